"""The intelligence case (Form 3) and the application (Form 1 Part 1) with its eight sections.

Every field has an empty default so a draft can be saved half-written; `checks.py` says what is
still missing before it can go to the AO."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field


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
