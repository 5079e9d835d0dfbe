"""The Authorising Officer's authority (Form 1 Part 2): seven reasoned decisions, the explicit
scrutiny of special categories and raised-privacy places, and the terms the deployment must keep."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from openlfr.domain.application import ApplicationForm
from openlfr.domain.policy import Policy


class DecisionPoint(StrEnum):
    DOCUMENT_COMPLIANCE = "document_compliance"
    LEGITIMATE_AIM = "legitimate_aim"
    HUMAN_RIGHTS_NECESSITY = "human_rights_necessity"
    DATA_PROTECTION_NECESSITY = "data_protection_necessity"
    PROPORTIONALITY = "proportionality"
    WATCHLIST_COMPOSITION = "watchlist_composition"
    LOCATION_AND_TIMES = "location_and_times"

    @property
    def label(self) -> str:
        numeral = ("i", "ii", "iii", "iv", "v", "vi", "vii")[list(DecisionPoint).index(self)]
        return f"({numeral}) {self.value.replace('_', ' ')}"


class Consultee(StrEnum):
    SRO = "sro"
    DPO = "dpo"
    DLS = "dls"
    CPIE = "cpie"
    TECHNICAL = "technical"


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Decision(_Record):
    """The AO's decision on one of the seven points, with the reasons."""

    point: DecisionPoint
    approved: bool
    reasons: str


class ScrutinyDecision(_Record):
    """The AO's explicit decision on a special category or a raised-privacy place (by key)."""

    subject: str
    approved: bool
    reasons: str


class AdoptedDocument(_Record):
    key: str
    version: str
    amendments: str = ""


class Consultation(_Record):
    party: Consultee
    name: str
    advice: str = ""


class ChiefOfficerEngagement(_Record):
    """The engagement with an officer of NPCC rank on pan-London issues."""

    name: str
    rank: str
    notes: str = ""


class AuthorityTerms(_Record):
    """What the deployment may do: the watchlist builder and live engine are held to these."""

    threshold: float = Field(gt=0.0, le=1.0)
    cameras: list[str]
    watchlist_categories: list[str]
    special_categories: list[str] = []
    max_watchlist_size: int = Field(gt=0)
    gold: str


class WrittenAuthority(_Record):
    decisions: list[Decision]
    scrutiny: list[ScrutinyDecision] = []
    documents_adopted: list[AdoptedDocument] = []
    cia_review: str = ""
    consulted: list[Consultation] = []
    chief_officer: ChiefOfficerEngagement | None = None
    training_direction: str = ""
    terms: AuthorityTerms


class OralAuthority(_Record):
    """Urgent route: given orally first; lapses unless the written authority follows in time."""

    urgency_reason: str
    scrutiny: list[ScrutinyDecision] = []
    terms: AuthorityTerms


def _scrutiny_problems(
    scrutiny: list[ScrutinyDecision], terms: AuthorityTerms, form: ApplicationForm, policy: Policy
) -> list[str]:
    titles = {c.key: c.title for c in [*policy.special_categories, *policy.raised_privacy_places]}
    decided = {s.subject: s for s in scrutiny}
    problems = []
    for key in sorted(form.special_category_keys() | set(form.place.raised_privacy)):
        decision = decided.get(key)
        if decision is None or not decision.reasons.strip():
            problems.append(
                f"High scrutiny: {titles.get(key, key)} is proposed; the AO's explicit decision "
                "with reasons is not recorded"
            )
    for place in form.place.raised_privacy:
        if place in decided and not decided[place].approved:
            problems.append(
                f"High scrutiny: the AO did not approve the {titles.get(place, place).lower()}; "
                "reject or send back the application instead"
            )
    for key in terms.special_categories:
        if key not in form.special_category_keys():
            problems.append(f"Terms: special category {key!r} was not proposed in Section 7")
        elif key in decided and not decided[key].approved:
            problems.append(f"Terms: special category {key!r} is included but the AO refused it")
    return problems


def terms_problems(
    terms: AuthorityTerms, scrutiny: list[ScrutinyDecision], form: ApplicationForm, policy: Policy
) -> list[str]:
    """Checks shared by oral and written authority: the terms stay inside application and policy."""
    problems = []
    if terms.threshold < policy.threshold.floor:
        problems.append(
            f"Terms: threshold {terms.threshold} is below the policy floor {policy.threshold.floor}"
        )
    if not [camera for camera in terms.cameras if camera.strip()]:
        problems.append("Terms: no camera is approved")
    if not terms.watchlist_categories:
        problems.append("Terms: no watchlist category is approved")
    if extra := set(terms.watchlist_categories) - set(form.watchlist.categories):
        problems.append(
            f"Terms: watchlist categories {sorted(extra)} were not proposed in Section 6"
        )
    if not terms.gold.strip():
        problems.append("Terms: Gold is not confirmed")
    return problems + _scrutiny_problems(scrutiny, terms, form, policy)


def written_authority_problems(
    authority: WrittenAuthority, form: ApplicationForm, policy: Policy
) -> list[str]:
    """Every reason the written authority cannot be granted as recorded."""
    problems = []
    given = {d.point: d for d in authority.decisions}
    for point in DecisionPoint:
        decision = given.get(point)
        if decision is None or not decision.reasons.strip():
            problems.append(f"Decision {point.label}: no decision with reasons is recorded")
        elif not decision.approved:
            problems.append(
                f"Decision {point.label}: not approved; reject or send back the application instead"
            )
    adopted = {doc.key for doc in authority.documents_adopted}
    for doc in policy.documents:
        if doc.adopted_by_ao and doc.key not in adopted:
            problems.append(f"Documents: the AO has not recorded adopting the {doc.title}")
    if not authority.cia_review.strip():
        problems.append("Documents: the AO's review of the Community Impact Assessment is missing")
    chief = authority.chief_officer
    minimum = policy.ranks.chief_officer_minimum
    if chief is None:
        problems.append(
            "Chief officer: the engagement with an officer of NPCC rank is not recorded"
        )
    elif not policy.rank_at_least(chief.rank, minimum):
        problems.append(f"Chief officer: {chief.name} ({chief.rank}) is below {minimum} rank")
    if not authority.training_direction.strip():
        problems.append("Training: the direction that everyone deployed is trained is missing")
    return problems + terms_problems(authority.terms, authority.scrutiny, form, policy)
