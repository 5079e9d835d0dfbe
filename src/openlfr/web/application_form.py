"""Form 3 and the eight sections of Form 1 Part 1 as HTML forms: which inputs each section has,
which fields a posted page changed, and each of the domain's problems beside its field.

Problems say where they are (`Where(section, field)`, with the domain's section keys and field
names), so no sentence is read to find its field. A page sends back what it showed (`shown`),
so only the fields the person changed are saved, merged into the draft as it is then."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from starlette.datastructures import FormData

from openlfr.domain.application import (
    ApplicationForm,
    Fields,
    IntelligenceCase,
    Section,
    edited,
    section_fields,
)
from openlfr.domain.errors import NotFound, Refusal
from openlfr.domain.policy import Named, Policy
from openlfr.domain.problems import Problem
from openlfr.web.form_fields import (
    Choice,
    Citation,
    Field,
    Lines,
    Moment,
    Number,
    Options,
    Proposal,
    Several,
    Text,
    Unreadable,
)

Values = dict[str, Any]
"""Each input's value as shown, by field name."""
Placed = dict[str, list[str]]
"""Sentences by field name; '' for the section as a whole."""


@dataclass(frozen=True)
class SectionForm:
    section: Section
    fields: tuple[Field, ...]

    @property
    def key(self) -> str:
        return self.section.value

    @property
    def title(self) -> str:
        return self.section.heading


class FieldErrors(Exception):
    """A posted section that cannot even be saved: the message for each field."""

    def __init__(self, errors: Placed, values: Values) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors, self.values = errors, values


def _options(items: Sequence[Named]) -> Options:
    return tuple((item.key, item.title) for item in items)


def sections(policy: Policy) -> list[SectionForm]:
    """Every section, its fields drawn from the policy's closed lists."""
    S = Section
    return [
        SectionForm(S.CASE, (
            Choice("use_case", "Use case", _options(policy.use_cases)),
            Field("policing_need", "The policing need"),
            Field("evidence_for_need", "Evidence for the need"),
            Field("evidence_for_place", "Evidence for the place"),
            Field("evidence_for_people", "Evidence for who is likely to be there"),
            Text("reference", "Intelligence case reference"),
        )),
        SectionForm(S.PLACE, (
            Text("location", "Location"),
            Moment("start", "Start (UTC)"),
            Moment("end", "End (UTC)"),
            Field("rationale", "Rationale for the place and times"),
            Several("raised_privacy", "Places with raised expectations of privacy",
                    _options(policy.raised_privacy_places)),
            Field("raised_privacy_explanation", "Why the place raises expectations of privacy"),
            Field("additional_safeguards", "Additional safeguards"),
        )),
        SectionForm(S.LEGAL, (
            Field("legal_basis", "Legal basis"),
            Lines("legitimate_aims", "Legitimate aims (one a line)"),
            Field("how_achieved", "How the deployment achieves them"),
        )),
        SectionForm(S.RIGHTS, (
            Several("echr_articles", "ECHR articles engaged",
                    tuple((str(a), f"Article {a}") for a in policy.echr_articles)),
            Choice("schedule8_condition", "DPA 2018 Schedule 8 condition",
                   _options(policy.schedule8_conditions)),
            Field("sensitive_processing_rationale", "Why sensitive processing is necessary"),
        )),
        SectionForm(S.NECESSITY, (
            Field("pressing_social_need", "The pressing social need"),
            Field("strict_necessity", "Why it is strictly necessary"),
        )),
        SectionForm(S.PROPORTIONALITY, (
            Field("importance_of_objective", "Importance of the objective"),
            Field("alternatives_considered", "Less intrusive alternatives considered"),
            Field("public_awareness", "Public awareness steps"),
            Field("least_intrusion", "Measures for least intrusion"),
        )),
        SectionForm(S.WATCHLIST, (
            Several("categories", "Watchlist categories", _options(policy.watchlist_categories)),
            Number("approximate_size", "Approximate size"),
            Field("intelligence_support", "How the intelligence case supports it"),
            Field("necessity_and_proportionality", "Why it is necessary and proportionate"),
            Field("stricter_justification",
                  "Stricter justification (associates, witnesses, victims)"),
        )),
        SectionForm(S.SPECIAL, tuple(Proposal(c.key, c.title) for c in policy.special_categories)),
        SectionForm(S.DOCUMENTS, (
            *(Citation(d.key, f"{d.title} (minimum version {d.minimum_version})")
              for d in policy.documents),
            Field("compliance_statement", "Compliance statement"),
            Field("legal_advice", "Legal advice"),
            Field("technical_advice", "Technical advice"),
        )),
    ]  # fmt: skip


def section(policy: Policy, key: str) -> SectionForm:
    for candidate in sections(policy):
        if candidate.key == key:
            return candidate
    raise NotFound(f"no application section {key!r}")


def values_of(sec: SectionForm, case: IntelligenceCase, form: ApplicationForm) -> Values:
    """What the section's inputs show now."""
    current = section_fields(case, form, sec.section)
    return {f.name: f.shown(current.get(f.name)) for f in sec.fields}


def changes(
    sec: SectionForm, posted: FormData, case: IntelligenceCase, form: ApplicationForm
) -> Fields:
    """The fields the person changed on the page (all of them if the page did not say what it
    showed), as the domain's values. FieldErrors if a value cannot be read or does not fit the
    section (a date that is not a date, a negative size)."""
    values = {f.name: f.posted(posted) for f in sec.fields}
    errors: Placed = {}
    parsed: Values = {}
    for f in sec.fields:
        try:
            parsed[f.name] = f.parsed(values[f.name])
        except Unreadable as exc:
            errors.setdefault(f.name, []).append(str(exc))
    if not errors:
        try:
            edited(case, form, sec.section, parsed)
        except Refusal as exc:
            errors = placed(sec, exc.details)
    if errors:
        raise FieldErrors(errors, values)
    before = shown_on(posted)
    if before is None:
        return parsed
    return {
        f.name: parsed[f.name]
        for f in sec.fields
        if f.name not in before or not f.same(values[f.name], before[f.name])
    }


SHOWN = "shown"
"""The hidden input holding what the page showed when it was drawn (JSON)."""


def shown_on(posted: FormData) -> Values | None:
    """What the posted page said it showed; None when it did not say (or not readably)."""
    try:
        found = json.loads(str(posted.get(SHOWN, "")))
    except ValueError:
        return None
    return found if isinstance(found, dict) else None


def placed(sec: SectionForm, problems: list[Problem]) -> Placed:
    """This section's problems beside their fields, each without the section's title (the page
    has it); a problem of a field the page does not have is about the section as a whole."""
    names = {f.name for f in sec.fields}
    found: Placed = {}
    for problem in problems:
        if problem.where.section != sec.section:
            continue
        name = problem.where.field if problem.where.field in names else ""
        found.setdefault(name, []).append(problem.text.removeprefix(f"{sec.title}: "))
    return found


def today() -> date:
    return datetime.now(UTC).date()
