"""The intelligence case (Form 3) and the application (Form 1 Part 1) with its eight sections.

Every field has an empty default so a draft can be saved half-written; `checks.py` says what is
still missing before it can go to the AO. A section is edited a few fields at a time (`edited`),
so two people editing different fields of one draft both keep their change."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, ValidationError

from openlfr.domain.errors import Refusal
from openlfr.domain.problems import Problem, Where


class Section(StrEnum):
    """The parts of an application edited one at a time: Form 3, then Sections 1 to 8 of
    Form 1 Part 1. Problems name them (`Where.section`); their fields are named as in the models
    below, except Section 7 (a field per special category key) and the documents of Section 8
    (a field per document key)."""

    CASE = "case"
    PLACE = "place"
    LEGAL = "legal"
    RIGHTS = "rights"
    NECESSITY = "necessity"
    PROPORTIONALITY = "proportionality"
    WATCHLIST = "watchlist"
    SPECIAL = "special"
    DOCUMENTS = "documents"

    @property
    def heading(self) -> str:
        """How forms and problems name it: "Section 6 (watchlist composition)"."""
        return _TITLES[self]


_TITLES = {
    Section.CASE: "Intelligence case (Form 3)",
    Section.PLACE: "Section 1 (place and times)",
    Section.LEGAL: "Section 2 (legal basis and legitimate aim)",
    Section.RIGHTS: "Section 3 (ECHR and data protection)",
    Section.NECESSITY: "Section 4 (necessity)",
    Section.PROPORTIONALITY: "Section 5 (proportionality)",
    Section.WATCHLIST: "Section 6 (watchlist composition)",
    Section.SPECIAL: "Section 7 (special categories)",
    Section.DOCUMENTS: "Section 8 (document compliance)",
}


class _Form(BaseModel):
    model_config = ConfigDict(extra="forbid")


class IntelligenceCase(_Form):
    """Form 3: why LFR, why here, why these people. The use case comes from the policy's list."""

    use_case: str = ""
    policing_need: str = ""
    evidence_for_need: str = ""
    evidence_for_place: str = ""
    evidence_for_people: str = ""
    reference: str = ""


class PlaceAndTimes(_Form):
    """Section 1. `raised_privacy` holds keys of the policy's raised-privacy places."""

    location: str = ""
    start: AwareDatetime | None = None
    end: AwareDatetime | None = None
    rationale: str = ""
    raised_privacy: list[str] = []
    raised_privacy_explanation: str = ""
    additional_safeguards: str = ""


class LegalBasis(_Form):
    """Section 2."""

    legal_basis: str = ""
    legitimate_aims: list[str] = []
    how_achieved: str = ""


class RightsEngaged(_Form):
    """Section 3: ECHR articles (always 8) and the DPA 2018 Schedule 8 condition."""

    echr_articles: list[int] = []
    schedule8_condition: str = ""
    sensitive_processing_rationale: str = ""


class Necessity(_Form):
    """Section 4."""

    pressing_social_need: str = ""
    strict_necessity: str = ""


class Proportionality(_Form):
    """Section 5."""

    importance_of_objective: str = ""
    alternatives_considered: str = ""
    public_awareness: str = ""
    least_intrusion: str = ""


class WatchlistProposal(_Form):
    """Section 6: categories from the policy's closed list, roughly how many, and why."""

    categories: list[str] = []
    approximate_size: int = Field(default=0, ge=0)
    intelligence_support: str = ""
    necessity_and_proportionality: str = ""
    stricter_justification: str = ""


class SpecialCategory(_Form):
    """Section 7: one proposed special category and its own rationale."""

    category: str
    rationale: str = ""


class DocumentRef(_Form):
    """Section 8: one LFR document by key, the version relied on and its review date."""

    key: str
    version: str
    review_date: date


class DocumentCompliance(_Form):
    """Section 8."""

    documents: list[DocumentRef] = []
    compliance_statement: str = ""
    legal_advice: str = ""
    technical_advice: str = ""


class ApplicationForm(_Form):
    """Form 1 Part 1: the working copy the applicant edits."""

    place: PlaceAndTimes = PlaceAndTimes()
    legal: LegalBasis = LegalBasis()
    rights: RightsEngaged = RightsEngaged()
    necessity: Necessity = Necessity()
    proportionality: Proportionality = Proportionality()
    watchlist: WatchlistProposal = WatchlistProposal()
    special_categories: list[SpecialCategory] = []
    documents: DocumentCompliance = DocumentCompliance()

    def special_category_keys(self) -> set[str]:
        return {item.category for item in self.special_categories}


class ApplicationVersion(BaseModel):
    """A submitted, frozen version. A send-back never edits it: the next submission is new."""

    model_config = ConfigDict(frozen=True)

    number: int = Field(ge=1)
    form: ApplicationForm
    submitted_by: str
    submitted_at: AwareDatetime

    @property
    def window(self) -> tuple[datetime, datetime]:
        start, end = self.form.place.start, self.form.place.end
        if start is None or end is None:  # submission checks make this unreachable
            raise ValueError("a submitted application always has a start and end")
        return start, end


Fields = Mapping[str, Any]
"""A section's fields by name, as `section_fields` gives them and `edited` takes them."""

_PART = {
    Section.PLACE: "place",
    Section.LEGAL: "legal",
    Section.RIGHTS: "rights",
    Section.NECESSITY: "necessity",
    Section.PROPORTIONALITY: "proportionality",
    Section.WATCHLIST: "watchlist",
    Section.DOCUMENTS: "documents",
}
"""The attribute of `ApplicationForm` holding each section (Form 3 and Section 7 aside)."""


def section_fields(case: IntelligenceCase, form: ApplicationForm, section: Section) -> Fields:
    """What the section holds now, field by field: in Section 7 each chosen category's
    rationale, in Section 8 each cited document's version and review date."""
    if section is Section.SPECIAL:
        return {item.category: item.rationale for item in form.special_categories}
    if section is Section.CASE:
        return case.model_dump()
    part = getattr(form, _PART[section])
    if section is not Section.DOCUMENTS:
        return dict(part.model_dump())
    plain: dict[str, Any] = part.model_dump(exclude={"documents"})
    return plain | {ref.key: ref.model_dump(exclude={"key"}) for ref in form.documents.documents}


def edited(
    case: IntelligenceCase, form: ApplicationForm, section: Section, changes: Fields
) -> tuple[IntelligenceCase, ApplicationForm]:
    """The case and form with the named fields of one section changed and every other field as
    it was. In Sections 7 and 8 a category or document given as None is taken off the form.
    Refusal, with each problem at its field, if a value does not fit."""
    if section is Section.CASE:
        return _validated(IntelligenceCase, section, {**case.model_dump(), **changes}), form
    if section is Section.SPECIAL:
        chosen = _keyed(section, SpecialCategory, form.special_categories, changes, "rationale")
        return case, form.model_copy(update={"special_categories": chosen})
    part = getattr(form, _PART[section])
    data = {**part.model_dump(), **changes}
    if section is Section.DOCUMENTS:
        plain = set(DocumentCompliance.model_fields) - {"documents"}
        cited = {name: value for name, value in changes.items() if name not in plain}
        data = {name: value for name, value in data.items() if name not in cited}
        data["documents"] = _keyed(section, DocumentRef, form.documents.documents, cited)
    return case, form.model_copy(update={_PART[section]: _validated(type(part), section, data)})


def _keyed(
    section: Section,
    model: type[SpecialCategory | DocumentRef],
    items: list[Any],
    changes: Fields,
    value: str = "",
) -> list[Any]:
    """Records named by their first field (a category, a document key): changed in place,
    added at the end, or removed (None); `value` names the one attribute a change gives, else a
    change gives all the others."""
    key = next(iter(model.model_fields))
    kept = {getattr(item, key): item for item in items}
    problems: list[Problem] = []
    for name, change in changes.items():
        if change is None:
            kept.pop(name, None)
            continue
        given = {value: change} if value else dict(change)
        try:
            kept[name] = model.model_validate({key: name, **given})
        except ValidationError as exc:
            problems += _problems(section, exc, name)
    if problems:
        raise Refusal(problems)
    return list(kept.values())


def _validated(model: type[Any], section: Section, data: dict[str, Any]) -> Any:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise Refusal(_problems(section, exc)) from exc


def _problems(section: Section, exc: ValidationError, name: str = "") -> list[Problem]:
    """Each error beside its field: `name` for a record of Section 7 or 8, else its location."""
    return [
        Problem(
            "invalid_value",
            f"{section.heading}: {error['msg']}",
            Where(section, name or str(error["loc"][0])),
        )
        for error in exc.errors()
    ]
