"""Form 3 and the eight sections of Form 1 Part 1 as HTML forms: which fields each section has,
how a posted section becomes the domain's model, and which field each refusal is about.

The domain's messages (`domain/checks.py`) name the form or section first and then the thing
missing; `Field.phrase` is the words that identify the field, so a reason lands beside it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from pydantic import BaseModel, ValidationError
from starlette.datastructures import FormData

from openlfr.domain.application import (
    ApplicationForm,
    DocumentCompliance,
    DocumentRef,
    IntelligenceCase,
    LegalBasis,
    Necessity,
    PlaceAndTimes,
    Proportionality,
    RightsEngaged,
    SpecialCategory,
    WatchlistProposal,
)
from openlfr.domain.checks import FORM_3, SECTION
from openlfr.domain.errors import NotFound
from openlfr.domain.policy import Named, Policy

Values = dict[str, Any]


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    kind: str = "textarea"
    """text, textarea, datetime, number, choice, multi, lines, special or document."""
    phrase: str = ""
    options: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    model: type[BaseModel]
    fields: tuple[Field, ...] = field(default_factory=tuple)


class FieldErrors(Exception):
    """A posted section that cannot even be saved: the message for each field."""

    def __init__(self, errors: dict[str, list[str]], values: Values) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors, self.values = errors, values


def _options(items: list[Named]) -> tuple[tuple[str, str], ...]:
    return tuple((item.key, item.title) for item in items)


def sections(policy: Policy) -> list[Section]:
    """Every section, its fields drawn from the policy's closed lists."""
    F = Field
    return [
        Section("case", FORM_3, IntelligenceCase, (
            F("use_case", "Use case", "choice", "use case", _options(policy.use_cases)),
            F("policing_need", "The policing need", phrase="the policing need"),
            F("evidence_for_need", "Evidence for the need", phrase="evidence for the need"),
            F("evidence_for_place", "Evidence for the place", phrase="evidence for the place"),
            F("evidence_for_people", "Evidence for who is likely to be there",
              phrase="evidence for who is likely"),
            F("reference", "Intelligence case reference", "text"),
        )),
        Section("place", SECTION[1], PlaceAndTimes, (
            F("location", "Location", "text", "the location"),
            F("start", "Start (UTC)", "datetime", "start and end"),
            F("end", "End (UTC)", "datetime", "the end"),
            F("rationale", "Rationale for the place and times", phrase="the rationale"),
            F("raised_privacy", "Places with raised expectations of privacy", "multi",
              "raised-privacy", _options(policy.raised_privacy_places)),
            F("raised_privacy_explanation", "Why the place raises expectations of privacy",
              phrase="why the place raises"),
            F("additional_safeguards", "Additional safeguards", phrase="additional safeguards"),
        )),
        Section("legal", SECTION[2], LegalBasis, (
            F("legal_basis", "Legal basis", phrase="the legal basis"),
            F("legitimate_aims", "Legitimate aims (one a line)", "lines", "legitimate aim"),
            F("how_achieved", "How the deployment achieves them", phrase="achieves the aim"),
        )),
        Section("rights", SECTION[3], RightsEngaged, (
            F("echr_articles", "ECHR articles engaged", "multi", "article",
              tuple((str(a), f"Article {a}") for a in policy.echr_articles)),
            F("schedule8_condition", "DPA 2018 Schedule 8 condition", "choice", "schedule 8",
              _options(policy.schedule8_conditions)),
            F("sensitive_processing_rationale", "Why sensitive processing is necessary",
              phrase="sensitive processing"),
        )),
        Section("necessity", SECTION[4], Necessity, (
            F("pressing_social_need", "The pressing social need", phrase="pressing social need"),
            F("strict_necessity", "Why it is strictly necessary", phrase="strictly necessary"),
        )),
        Section("proportionality", SECTION[5], Proportionality, (
            F("importance_of_objective", "Importance of the objective", phrase="importance"),
            F("alternatives_considered", "Less intrusive alternatives considered",
              phrase="alternatives"),
            F("public_awareness", "Public awareness steps", phrase="public awareness"),
            F("least_intrusion", "Measures for least intrusion", phrase="least intrusion"),
        )),
        Section("watchlist", SECTION[6], WatchlistProposal, (
            F("categories", "Watchlist categories", "multi", "categor",
              _options(policy.watchlist_categories)),
            F("approximate_size", "Approximate size", "number", "approximate watchlist size"),
            F("intelligence_support", "How the intelligence case supports it",
              phrase="intelligence case supports"),
            F("necessity_and_proportionality", "Why it is necessary and proportionate",
              phrase="necessary and proportionate"),
            F("stricter_justification", "Stricter justification (associates, witnesses, victims)",
              phrase="stricter justification"),
        )),
        Section("special", SECTION[7], SpecialCategory, tuple(
            F(c.key, c.title, "special", c.title.lower()) for c in policy.special_categories
        )),
        Section("documents", SECTION[8], DocumentCompliance, (
            *(F(d.key, f"{d.title} (minimum version {d.minimum_version})", "document",
                d.title.lower()) for d in policy.documents),
            F("compliance_statement", "Compliance statement", phrase="compliance statement"),
            F("legal_advice", "Legal advice"),
            F("technical_advice", "Technical advice"),
        )),
    ]  # fmt: skip


def section(policy: Policy, key: str) -> Section:
    for candidate in sections(policy):
        if candidate.key == key:
            return candidate
    raise NotFound(f"no application section {key!r}")


_ATTRIBUTE = {
    "place": "place",
    "legal": "legal",
    "rights": "rights",
    "necessity": "necessity",
    "proportionality": "proportionality",
    "watchlist": "watchlist",
    "documents": "documents",
}


def values_of(sec: Section, case: IntelligenceCase, form: ApplicationForm) -> Values:
    """What the section's inputs show now, as strings and lists of strings."""
    if sec.key == "special":
        chosen = {item.category: item.rationale for item in form.special_categories}
        return {
            f.name: {"on": f.name in chosen, "rationale": chosen.get(f.name, "")}
            for f in sec.fields
        }
    model: BaseModel = case if sec.key == "case" else getattr(form, _ATTRIBUTE[sec.key])
    data = model.model_dump(mode="json")
    refs = {ref["key"]: ref for ref in data.get("documents", [])} if sec.key == "documents" else {}
    values: Values = {}
    for f in sec.fields:
        if f.kind == "document":
            ref = refs.get(f.name, {})
            values[f.name] = {
                "version": ref.get("version", ""),
                "review_date": ref.get("review_date", ""),
            }
        elif f.kind == "datetime":
            moment = getattr(model, f.name)
            values[f.name] = moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M") if moment else ""
        elif f.kind == "multi":
            values[f.name] = [str(item) for item in data[f.name]]
        elif f.kind == "lines":
            values[f.name] = "\n".join(data[f.name])
        else:
            values[f.name] = "" if data[f.name] is None else str(data[f.name])
    return values


def _posted(sec: Section, posted: FormData) -> Values:
    values: Values = {}
    for f in sec.fields:
        if f.kind == "special":
            values[f.name] = {
                "on": posted.get(f"{f.name}:on") is not None,
                "rationale": str(posted.get(f"{f.name}:rationale", "")),
            }
        elif f.kind == "document":
            values[f.name] = {
                part: str(posted.get(f"{f.name}:{part}", "")).strip()
                for part in ("version", "review_date")
            }
        elif f.kind == "multi":
            values[f.name] = [str(item) for item in posted.getlist(f.name)]
        else:
            values[f.name] = str(posted.get(f.name, ""))
    return values


def _utc(text: str) -> datetime | None:
    return datetime.fromisoformat(text).replace(tzinfo=UTC) if text.strip() else None


def _validate(
    model: type[BaseModel], data: Values, errors: dict[str, list[str]], name: str = ""
) -> Any:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        for error in exc.errors():
            errors.setdefault(name or str(error["loc"][0]), []).append(error["msg"])
        return None


def apply(
    sec: Section, posted: FormData, case: IntelligenceCase, form: ApplicationForm
) -> tuple[IntelligenceCase, ApplicationForm]:
    """The case and form with this section replaced by what was posted; FieldErrors if a value
    cannot be stored at all (a date that is not a date, a negative size)."""
    values, errors = _posted(sec, posted), {}
    if sec.key == "special":
        chosen = [
            _validate(
                SpecialCategory, {"category": name, "rationale": v["rationale"]}, errors, name
            )
            for name, v in values.items()
            if v["on"]
        ]
        if errors:
            raise FieldErrors(errors, values)
        return case, form.model_copy(update={"special_categories": chosen})
    data: Values = {}
    refs = []
    for f in sec.fields:
        raw = values[f.name]
        if f.kind == "document":
            if raw["version"] or raw["review_date"]:
                refs.append(_validate(DocumentRef, {"key": f.name, **raw}, errors, f.name))
        elif f.kind == "datetime":
            try:
                data[f.name] = _utc(raw)
            except ValueError:
                errors.setdefault(f.name, []).append("give a date and time")
        elif f.kind == "lines":
            data[f.name] = [line.strip() for line in raw.splitlines() if line.strip()]
        elif f.kind == "number":
            data[f.name] = raw.strip() or 0
        else:
            data[f.name] = raw
    if sec.key == "documents":
        data["documents"] = refs
    model = _validate(sec.model, data, errors)
    if errors:
        raise FieldErrors(errors, values)
    if sec.key == "case":
        return model, form
    return case, form.model_copy(update={_ATTRIBUTE[sec.key]: model})


def problems_by_field(sec: Section, problems: list[str]) -> dict[str, list[str]]:
    """This section's problems keyed by field name ('' for the section as a whole)."""
    found: dict[str, list[str]] = {}
    prefix = f"{sec.title}: "
    for problem in problems:
        if not problem.startswith(prefix):
            continue
        text = problem[len(prefix) :]
        matches = [f for f in sec.fields if f.phrase and f.phrase in text.lower()]
        best = max(matches, key=lambda f: len(f.phrase), default=None)
        found.setdefault(best.name if best else "", []).append(text)
    return found


def today() -> date:
    return datetime.now(UTC).date()
