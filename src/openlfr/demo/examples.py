"""The example deployment: a complete intelligence case, Form 1 Part 1 and Form 1 Part 2.

The demo files these, and the test suites vary them (`tests/govkit.py`), so both run the same
forms through the same guards. `changes` replace sections or fields; nested dicts merge."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from openlfr.domain.application import ApplicationForm, IntelligenceCase
from openlfr.domain.authority import DecisionPoint, OralAuthority, WrittenAuthority

DOCUMENTS = (
    "lfr_policy",
    "sop",
    "legal_mandate",
    "dpia",
    "eia",
    "cia",
    "apd",
    "scc_self_assessment",
)
ADOPTED = ("dpia", "eia", "scc_self_assessment")
GOLD = "gail"
"""The Gold Commander the example authority names."""


def merge(base: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in changes.items():
        if isinstance(value, dict) and isinstance(base.get(key), dict):
            merged[key] = merge(base[key], value)
        else:
            merged[key] = value
    return merged


def case(**changes: Any) -> IntelligenceCase:
    base = {
        "use_case": "crime_hotspot",
        "policing_need": "Knife crime around the high street has doubled this year.",
        "evidence_for_need": "Crime data: 48 knife offences within 300 m in six months.",
        "evidence_for_place": "Hotspot analysis ranks the station exit first.",
        "evidence_for_people": "Eleven wanted suspects are known to frequent the area.",
        "reference": "INT-2030-117",
    }
    return IntelligenceCase.model_validate(merge(base, changes))


def form(start: datetime, end: datetime, **changes: Any) -> ApplicationForm:
    """A complete Form 1 Part 1 for the window `start`-`end`; documents reviewed after it."""
    review = (end + timedelta(days=180)).date().isoformat()
    base = {
        "place": {
            "location": "High Street station exit",
            "start": start.isoformat(),
            "end": end.isoformat(),
            "rationale": "The hotspot with the most offences and the best camera sight lines.",
        },
        "legal": {
            "legal_basis": "Common law policing powers; DPA 2018 Part 3.",
            "legitimate_aims": ["prevention of disorder or crime"],
            "how_achieved": "Locating people wanted for knife offences where they gather.",
        },
        "rights": {
            "echr_articles": [8],
            "schedule8_condition": "statutory_purposes",
            "sensitive_processing_rationale": "Necessary for the law enforcement purpose.",
        },
        "necessity": {
            "pressing_social_need": "Serious violence in a public place.",
            "strict_necessity": "Patrols have failed to locate the suspects.",
        },
        "proportionality": {
            "importance_of_objective": "Preventing serious violence.",
            "alternatives_considered": "Patrols, stop and search, CCTV review.",
            "public_awareness": "Website notice 48 h ahead; signage; leaflets.",
            "least_intrusion": "Six-hour window; non-matches deleted at once.",
        },
        "watchlist": {
            "categories": ["wanted_by_courts", "suspected_offender"],
            "approximate_size": 400,
            "intelligence_support": "Offenders linked to the hotspot by the intelligence case.",
            "necessity_and_proportionality": "Only those linked to violence in the area.",
        },
        "special_categories": [],
        "documents": {
            "documents": [
                {"key": key, "version": "1.2", "review_date": review} for key in DOCUMENTS
            ],
            "compliance_statement": "Complies with policy s5, SOP s5-6, legal mandate s3.",
        },
    }
    return ApplicationForm.model_validate(merge(base, changes))


def terms(**changes: Any) -> dict[str, Any]:
    base = {
        "threshold": 0.45,
        "cameras": ["cam-1", "cam-2"],
        "watchlist_categories": ["wanted_by_courts", "suspected_offender"],
        "special_categories": [],
        "max_watchlist_size": 500,
        "gold": GOLD,
    }
    return merge(base, changes)


def authority(**changes: Any) -> WrittenAuthority:
    """A complete Form 1 Part 2 approving `form()`; `terms=` changes merge into the terms."""
    base = {
        "decisions": [
            {"point": p.value, "approved": True, "reasons": f"Satisfied on {p.value}."}
            for p in DecisionPoint
        ],
        "scrutiny": [],
        "documents_adopted": [{"key": key, "version": "1.2"} for key in ADOPTED],
        "cia_review": "Reviewed against the watchlist and the likely footfall.",
        "consulted": [{"party": "dpo", "name": "DPO", "advice": "No objection."}],
        "chief_officer": {"name": "Cdr Chen", "rank": "commander", "notes": "Pan-London view."},
        "training_direction": "All officers and staff deployed must complete MPS LFR training.",
        "terms": terms(),
    }
    return WrittenAuthority.model_validate(merge(base, changes))


def oral(**changes: Any) -> OralAuthority:
    base = {"urgency_reason": "Credible threat to life at the event tonight.", "terms": terms()}
    return OralAuthority.model_validate(merge(base, changes))
