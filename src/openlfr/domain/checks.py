"""What the AO needs before an application can be decided: one readable line per gap.

Messages name the form and section so the applicant knows where to look."""

from __future__ import annotations

from datetime import date

from openlfr.domain.application import ApplicationForm, IntelligenceCase
from openlfr.domain.policy import Policy, version_tuple

SECTION = {
    1: "Section 1 (place and times)",
    2: "Section 2 (legal basis and legitimate aim)",
    3: "Section 3 (ECHR and data protection)",
    4: "Section 4 (necessity)",
    5: "Section 5 (proportionality)",
    6: "Section 6 (watchlist composition)",
    7: "Section 7 (special categories)",
    8: "Section 8 (document compliance)",
}
FORM_3 = "Intelligence case (Form 3)"


def _blank(text: str) -> bool:
    return not text.strip()


def _missing(where: str, fields: dict[str, str]) -> list[str]:
    return [f"{where}: {label} is not recorded" for label, text in fields.items() if _blank(text)]


def intelligence_problems(case: IntelligenceCase, policy: Policy) -> list[str]:
    problems = []
    use_cases = policy.keys(policy.use_cases)
    if case.use_case not in use_cases:
        problems.append(
            f"{FORM_3}: use case {case.use_case!r} is not one of the policy's use cases "
            f"({', '.join(sorted(use_cases))})"
        )
    return problems + _missing(
        FORM_3,
        {
            "the policing need": case.policing_need,
            "the evidence for the need": case.evidence_for_need,
            "the evidence for the place": case.evidence_for_place,
            "the evidence for who is likely to be there": case.evidence_for_people,
        },
    )


def _place_problems(form: ApplicationForm, policy: Policy) -> list[str]:
    place, where = form.place, SECTION[1]
    problems = _missing(where, {"the location": place.location, "the rationale": place.rationale})
    if place.start is None or place.end is None:
        problems.append(f"{where}: the start and end date and time are not recorded")
    elif place.end <= place.start:
        problems.append(f"{where}: the end ({place.end}) is not after the start ({place.start})")
    unknown = set(place.raised_privacy) - policy.keys(policy.raised_privacy_places)
    if unknown:
        problems.append(f"{where}: {sorted(unknown)} are not raised-privacy places in the policy")
    if place.raised_privacy:
        problems += _missing(
            where,
            {
                "why the place raises expectations of privacy": place.raised_privacy_explanation,
                "the additional safeguards for the place": place.additional_safeguards,
            },
        )
    return problems


def _legal_and_rights_problems(form: ApplicationForm, policy: Policy) -> list[str]:
    legal, rights = form.legal, form.rights
    problems = _missing(
        SECTION[2],
        {
            "the legal basis": legal.legal_basis,
            "how the deployment achieves the aim": legal.how_achieved,
        },
    )
    if not [aim for aim in legal.legitimate_aims if not _blank(aim)]:
        problems.append(f"{SECTION[2]}: no legitimate aim is recorded")
    if 8 not in rights.echr_articles:
        problems.append(f"{SECTION[3]}: Article 8 is always engaged and must be listed")
    if unknown := set(rights.echr_articles) - set(policy.echr_articles):
        problems.append(f"{SECTION[3]}: Articles {sorted(unknown)} are not ones the policy lists")
    if rights.schedule8_condition not in policy.keys(policy.schedule8_conditions):
        problems.append(f"{SECTION[3]}: no DPA 2018 Schedule 8 condition from the policy is chosen")
    return problems + _missing(
        SECTION[3],
        {"the rationale for sensitive processing": rights.sensitive_processing_rationale},
    )


def _case_problems(form: ApplicationForm) -> list[str]:
    need, prop = form.necessity, form.proportionality
    return _missing(
        SECTION[4],
        {
            "the pressing social need": need.pressing_social_need,
            "why it is strictly necessary": need.strict_necessity,
        },
    ) + _missing(
        SECTION[5],
        {
            "the importance of the objective": prop.importance_of_objective,
            "the less intrusive alternatives considered": prop.alternatives_considered,
            "the public awareness steps": prop.public_awareness,
            "the measures for least intrusion": prop.least_intrusion,
        },
    )


def _watchlist_problems(form: ApplicationForm, policy: Policy) -> list[str]:
    proposal, where = form.watchlist, SECTION[6]
    problems = []
    if not proposal.categories:
        problems.append(f"{where}: no watchlist category is proposed")
    if unknown := set(proposal.categories) - policy.keys(policy.watchlist_categories):
        problems.append(f"{where}: {sorted(unknown)} are not watchlist categories in the policy")
    if proposal.approximate_size <= 0:
        problems.append(f"{where}: the approximate watchlist size is not recorded")
    stricter = set(proposal.categories) & policy.stricter_categories()
    if stricter and _blank(proposal.stricter_justification):
        problems.append(
            f"{where}: {sorted(stricter)} need the stricter justification, none is recorded"
        )
    return problems + _missing(
        where,
        {
            "how the intelligence case supports it": proposal.intelligence_support,
            "why it is necessary and proportionate": proposal.necessity_and_proportionality,
        },
    )


def _special_problems(form: ApplicationForm, policy: Policy) -> list[str]:
    titles = {c.key: c.title for c in policy.special_categories}
    problems, seen = [], set()
    for item in form.special_categories:
        if item.category not in titles:
            problems.append(
                f"{SECTION[7]}: {item.category!r} is not a special category in the policy"
            )
        elif item.category in seen:
            problems.append(f"{SECTION[7]}: {titles[item.category]} is listed twice")
        elif _blank(item.rationale):
            title = titles[item.category].lower()
            problems.append(f"{SECTION[7]}: {title} are proposed but no rationale is recorded")
        seen.add(item.category)
    return problems


def _document_problems(form: ApplicationForm, policy: Policy, today: date) -> list[str]:
    where, given = SECTION[8], {ref.key: ref for ref in form.documents.documents}
    problems = []
    for unknown in sorted(set(given) - policy.keys(policy.documents)):
        problems.append(f"{where}: {unknown!r} is not a document the policy requires")
    for doc in policy.documents:
        ref = given.get(doc.key)
        if ref is None:
            problems.append(f"{where}: {doc.title} is not cited")
            continue
        try:
            too_old = version_tuple(ref.version) < version_tuple(doc.minimum_version)
        except ValueError as exc:
            problems.append(f"{where}: {doc.title}: {exc}")
            continue
        if too_old:
            problems.append(
                f"{where}: {doc.title} version {ref.version} is older than the policy's "
                f"minimum {doc.minimum_version}"
            )
        if ref.review_date < today:
            problems.append(f"{where}: {doc.title} was due for review on {ref.review_date}")
    return problems + _missing(
        where, {"the compliance statement": form.documents.compliance_statement}
    )


def application_problems(
    case: IntelligenceCase, form: ApplicationForm, policy: Policy, today: date
) -> list[str]:
    """Every gap that stops the application going to, or being authorised by, the AO."""
    return (
        intelligence_problems(case, policy)
        + _place_problems(form, policy)
        + _legal_and_rights_problems(form, policy)
        + _case_problems(form)
        + _watchlist_problems(form, policy)
        + _special_problems(form, policy)
        + _document_problems(form, policy, today)
    )
