"""What the AO needs before an application can be decided: one problem per gap.

Each problem says where it is (the section and field of `application.Section`), what it is (a
stable code) and, for people, a sentence naming the form or section first and then the gap."""

from __future__ import annotations

from datetime import date

from openlfr.domain.application import ApplicationForm, IntelligenceCase, Section
from openlfr.domain.policy import Policy, version_tuple
from openlfr.domain.problems import Problem, Where

NOT_RECORDED = "not_recorded"


def _problem(section: Section, field: str, code: str, what: str) -> Problem:
    return Problem(code, f"{section.heading}: {what}", Where(section, field))


def _blank(text: str) -> bool:
    return not text.strip()


def _missing(section: Section, fields: dict[str, tuple[str, str]]) -> list[Problem]:
    """`fields`: name -> (what the field is, its text); one problem for each blank one."""
    return [
        _problem(section, name, NOT_RECORDED, f"{label} is not recorded")
        for name, (label, text) in fields.items()
        if _blank(text)
    ]


def _intelligence_problems(case: IntelligenceCase, policy: Policy) -> list[Problem]:
    problems, section = [], Section.CASE
    use_cases = policy.keys(policy.use_cases)
    if case.use_case not in use_cases:
        problems.append(
            _problem(
                section,
                "use_case",
                "unknown_use_case",
                f"use case {case.use_case!r} is not one of the policy's use cases "
                f"({', '.join(sorted(use_cases))})",
            )
        )
    return problems + _missing(
        section,
        {
            "policing_need": ("the policing need", case.policing_need),
            "evidence_for_need": ("the evidence for the need", case.evidence_for_need),
            "evidence_for_place": ("the evidence for the place", case.evidence_for_place),
            "evidence_for_people": (
                "the evidence for who is likely to be there",
                case.evidence_for_people,
            ),
        },
    )


def _place_problems(form: ApplicationForm, policy: Policy) -> list[Problem]:
    place, section = form.place, Section.PLACE
    problems = _missing(
        section,
        {
            "location": ("the location", place.location),
            "rationale": ("the rationale", place.rationale),
        },
    )
    if place.start is None or place.end is None:
        problems.append(
            _problem(
                section,
                "start" if place.start is None else "end",
                "window_not_recorded",
                "the start and end date and time are not recorded",
            )
        )
    elif place.end <= place.start:
        problems.append(
            _problem(
                section,
                "end",
                "window_reversed",
                f"the end ({place.end}) is not after the start ({place.start})",
            )
        )
    unknown = set(place.raised_privacy) - policy.keys(policy.raised_privacy_places)
    if unknown:
        problems.append(
            _problem(
                section,
                "raised_privacy",
                "unknown_raised_privacy_place",
                f"{sorted(unknown)} are not raised-privacy places in the policy",
            )
        )
    if place.raised_privacy:
        problems += _missing(
            section,
            {
                "raised_privacy_explanation": (
                    "why the place raises expectations of privacy",
                    place.raised_privacy_explanation,
                ),
                "additional_safeguards": (
                    "the additional safeguards for the place",
                    place.additional_safeguards,
                ),
            },
        )
    return problems


def _legal_problems(form: ApplicationForm) -> list[Problem]:
    legal, section = form.legal, Section.LEGAL
    problems = _missing(
        section,
        {
            "legal_basis": ("the legal basis", legal.legal_basis),
            "how_achieved": ("how the deployment achieves the aim", legal.how_achieved),
        },
    )
    if not [aim for aim in legal.legitimate_aims if not _blank(aim)]:
        problems.append(
            _problem(
                section, "legitimate_aims", "no_legitimate_aim", "no legitimate aim is recorded"
            )
        )
    return problems


def _rights_problems(form: ApplicationForm, policy: Policy) -> list[Problem]:
    rights, section = form.rights, Section.RIGHTS
    problems = []
    if 8 not in rights.echr_articles:
        problems.append(
            _problem(
                section,
                "echr_articles",
                "article_8_not_listed",
                "Article 8 is always engaged and must be listed",
            )
        )
    if unknown := set(rights.echr_articles) - set(policy.echr_articles):
        problems.append(
            _problem(
                section,
                "echr_articles",
                "unknown_article",
                f"Articles {sorted(unknown)} are not ones the policy lists",
            )
        )
    if rights.schedule8_condition not in policy.keys(policy.schedule8_conditions):
        problems.append(
            _problem(
                section,
                "schedule8_condition",
                "no_schedule8_condition",
                "no DPA 2018 Schedule 8 condition from the policy is chosen",
            )
        )
    return problems + _missing(
        section,
        {
            "sensitive_processing_rationale": (
                "the rationale for sensitive processing",
                rights.sensitive_processing_rationale,
            )
        },
    )


def _necessity_problems(form: ApplicationForm) -> list[Problem]:
    need, prop = form.necessity, form.proportionality
    return _missing(
        Section.NECESSITY,
        {
            "pressing_social_need": ("the pressing social need", need.pressing_social_need),
            "strict_necessity": ("why it is strictly necessary", need.strict_necessity),
        },
    ) + _missing(
        Section.PROPORTIONALITY,
        {
            "importance_of_objective": (
                "the importance of the objective",
                prop.importance_of_objective,
            ),
            "alternatives_considered": (
                "the less intrusive alternatives considered",
                prop.alternatives_considered,
            ),
            "public_awareness": ("the public awareness steps", prop.public_awareness),
            "least_intrusion": ("the measures for least intrusion", prop.least_intrusion),
        },
    )


def _watchlist_problems(form: ApplicationForm, policy: Policy) -> list[Problem]:
    proposal, section = form.watchlist, Section.WATCHLIST
    problems = []
    if not proposal.categories:
        problems.append(
            _problem(
                section,
                "categories",
                "no_watchlist_category",
                "no watchlist category is proposed",
            )
        )
    if unknown := set(proposal.categories) - policy.keys(policy.watchlist_categories):
        problems.append(
            _problem(
                section,
                "categories",
                "unknown_watchlist_category",
                f"{sorted(unknown)} are not watchlist categories in the policy",
            )
        )
    if proposal.approximate_size <= 0:
        problems.append(
            _problem(
                section,
                "approximate_size",
                NOT_RECORDED,
                "the approximate watchlist size is not recorded",
            )
        )
    stricter = set(proposal.categories) & policy.stricter_categories()
    if stricter and _blank(proposal.stricter_justification):
        problems.append(
            _problem(
                section,
                "stricter_justification",
                NOT_RECORDED,
                f"{sorted(stricter)} need the stricter justification, none is recorded",
            )
        )
    return problems + _missing(
        section,
        {
            "intelligence_support": (
                "how the intelligence case supports it",
                proposal.intelligence_support,
            ),
            "necessity_and_proportionality": (
                "why it is necessary and proportionate",
                proposal.necessity_and_proportionality,
            ),
        },
    )


def _special_problems(form: ApplicationForm, policy: Policy) -> list[Problem]:
    titles = {c.key: c.title for c in policy.special_categories}
    problems, seen, section = [], set(), Section.SPECIAL
    for item in form.special_categories:
        key = item.category
        if key not in titles:
            problems.append(
                _problem(
                    section,
                    key,
                    "unknown_special_category",
                    f"{key!r} is not a special category in the policy",
                )
            )
        elif key in seen:
            problems.append(
                _problem(section, key, "special_category_twice", f"{titles[key]} is listed twice")
            )
        elif _blank(item.rationale):
            problems.append(
                _problem(
                    section,
                    key,
                    NOT_RECORDED,
                    f"{titles[key].lower()} are proposed but no rationale is recorded",
                )
            )
        seen.add(key)
    return problems


def _document_problems(form: ApplicationForm, policy: Policy, today: date) -> list[Problem]:
    section, given = Section.DOCUMENTS, {ref.key: ref for ref in form.documents.documents}
    problems = [
        _problem(section, key, "unknown_document", f"{key!r} is not a document the policy requires")
        for key in sorted(set(given) - policy.keys(policy.documents))
    ]
    for doc in policy.documents:
        ref = given.get(doc.key)
        if ref is None:
            problems.append(
                _problem(section, doc.key, "document_not_cited", f"{doc.title} is not cited")
            )
            continue
        try:
            too_old = version_tuple(ref.version) < version_tuple(doc.minimum_version)
        except ValueError as exc:
            problems.append(
                _problem(section, doc.key, "document_version_unreadable", f"{doc.title}: {exc}")
            )
            continue
        if too_old:
            problems.append(
                _problem(
                    section,
                    doc.key,
                    "document_too_old",
                    f"{doc.title} version {ref.version} is older than the policy's "
                    f"minimum {doc.minimum_version}",
                )
            )
        if ref.review_date < today:
            problems.append(
                _problem(
                    section,
                    doc.key,
                    "document_review_overdue",
                    f"{doc.title} was due for review on {ref.review_date}",
                )
            )
    return problems + _missing(
        section,
        {
            "compliance_statement": (
                "the compliance statement",
                form.documents.compliance_statement,
            )
        },
    )


def application_problems(
    case: IntelligenceCase, form: ApplicationForm, policy: Policy, today: date
) -> list[Problem]:
    """Every gap that stops the application going to, or being authorised by, the AO."""
    return (
        _intelligence_problems(case, policy)
        + _place_problems(form, policy)
        + _legal_problems(form)
        + _rights_problems(form, policy)
        + _necessity_problems(form)
        + _watchlist_problems(form, policy)
        + _special_problems(form, policy)
        + _document_problems(form, policy, today)
    )
