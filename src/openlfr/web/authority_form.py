"""The AO's review as an HTML form: the seven decisions, the high-scrutiny decisions, documents
adopted, consultations, the chief officer, training and the terms, into a `WrittenAuthority`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError
from starlette.datastructures import FormData

from openlfr.biometrics import calibration
from openlfr.biometrics.embedder import SFACE_SPEC
from openlfr.domain.authority import Consultee, DecisionPoint, WrittenAuthority
from openlfr.domain.deployment import Deployment
from openlfr.domain.policy import Policy


@dataclass(frozen=True)
class Flag:
    """A high-scrutiny subject the AO must decide on explicitly, with reasons."""

    key: str
    title: str
    kind: str
    rationale: str


def flags(d: Deployment, policy: Policy) -> list[Flag]:
    form = d.current_version.form
    special = {c.key: c.title for c in policy.special_categories}
    places = {p.key: p.title for p in policy.raised_privacy_places}
    place_reason = (
        f"{form.place.raised_privacy_explanation} Safeguards: {form.place.additional_safeguards}"
    )
    return [
        *(Flag(item.category, special.get(item.category, item.category), "Special category",
               item.rationale) for item in form.special_categories),
        *(Flag(key, places.get(key, key), "Raised-privacy place", place_reason)
          for key in form.place.raised_privacy),
    ]  # fmt: skip


def false_alert_statements(policy: Policy, size: int) -> list[str]:
    """What the bundled model's calibration predicts at the floor and a few stricter settings."""
    try:
        table = calibration.load(SFACE_SPEC.model_id)
    except calibration.CalibrationError as exc:
        return [str(exc)]
    floor = policy.threshold.floor
    settings = sorted({round(floor + step, 2) for step in (0.0, 0.05, 0.1, 0.15)})
    return [table.statement(threshold, max(size, 1)) for threshold in settings if threshold <= 1]


def _text(posted: FormData, name: str) -> str:
    return str(posted.get(name, "")).strip()


def parse(posted: FormData) -> WrittenAuthority:
    """Raises ValidationError naming the fields that cannot be read (see `field_errors`)."""
    data: dict[str, Any] = {
        "decisions": [
            {
                "point": point.value,
                "approved": posted.get(f"decision:{point.value}:approved") is not None,
                "reasons": _text(posted, f"decision:{point.value}:reasons"),
            }
            for point in DecisionPoint
        ],
        "scrutiny": [
            {
                "subject": str(subject),
                "approved": posted.get(f"scrutiny:{subject}:approved") is not None,
                "reasons": _text(posted, f"scrutiny:{subject}:reasons"),
            }
            for subject in posted.getlist("scrutiny")
        ],
        "documents_adopted": [
            {
                "key": str(key),
                "version": _text(posted, f"adopt:{key}:version"),
                "amendments": _text(posted, f"adopt:{key}:amendments"),
            }
            for key in posted.getlist("adopt")
        ],
        "cia_review": _text(posted, "cia_review"),
        "consulted": [
            {
                "party": party.value,
                "name": _text(posted, f"consult:{party.value}:name"),
                "advice": _text(posted, f"consult:{party.value}:advice"),
            }
            for party in Consultee
            if _text(posted, f"consult:{party.value}:name")
        ],
        "chief_officer": {
            "name": _text(posted, "chief:name"),
            "rank": _text(posted, "chief:rank"),
            "notes": _text(posted, "chief:notes"),
        }
        if _text(posted, "chief:name")
        else None,
        "training_direction": _text(posted, "training_direction"),
        "terms": {
            "threshold": _text(posted, "threshold") or 0,
            "cameras": [c.strip() for c in _text(posted, "cameras").split(",") if c.strip()],
            "watchlist_categories": [str(c) for c in posted.getlist("watchlist_categories")],
            "special_categories": [str(c) for c in posted.getlist("special_categories")],
            "max_watchlist_size": _text(posted, "max_watchlist_size") or 0,
            "gold": _text(posted, "gold"),
        },
    }
    return WrittenAuthority.model_validate(data)


def field_errors(exc: ValidationError) -> list[str]:
    return [
        f"{' '.join(str(part) for part in error['loc'] if not isinstance(part, int))}: "
        f"{error['msg']}"
        for error in exc.errors()
    ]
