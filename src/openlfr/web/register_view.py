"""The published register's columns (MPS, 2023 onwards) for one deployment, from the services.

A stand-in until the reports area ships its register: the same columns, computed from the
deployment, its alerts and its camera counters, and nothing else."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from openlfr.domain.alerts import Alert
from openlfr.domain.deployment import Deployment
from openlfr.services import alerts
from openlfr.store.uow import UnitOfWork


@dataclass(frozen=True)
class RegisterEntry:
    reference: str
    location: str
    start: datetime | None
    end: datetime | None
    use_case: str
    watchlist_size: int
    threshold: float
    categories: Counter[str]
    outcomes: Counter[str]
    faces_seen: int

    @property
    def total_alerts(self) -> int:
        return sum(self.categories.values())

    @property
    def false_alerts(self) -> int:
        return self.categories["false_alert_confirmed"] + self.categories["false_alert_unconfirmed"]

    @property
    def true_alerts(self) -> int:
        return self.categories["true_alert_confirmed"] + self.categories["true_alert_unconfirmed"]

    @property
    def false_alert_rate(self) -> str:
        if not self.faces_seen:
            return "n/a"
        return f"1 in {self.faces_seen // self.false_alerts:,}" if self.false_alerts else "0"


def _counts(found: list[Alert]) -> tuple[Counter[str], Counter[str]]:
    categories = Counter(a.register_category or "not_adjudicated" for a in found)
    outcomes = Counter(
        a.engagement.outcome.value for a in found if a.engagement and a.engagement.outcome
    )
    return categories, outcomes


def entry(uow: UnitOfWork, d: Deployment) -> RegisterEntry:
    found = alerts.list_alerts(uow, d.reference)
    categories, outcomes = _counts(found)
    watchlist = d.checklist.watchlist
    return RegisterEntry(
        reference=d.reference,
        location=d.current_version.form.place.location,
        start=d.actual_start,
        end=d.actual_end,
        use_case=d.intelligence_case.use_case,
        watchlist_size=watchlist.size if watchlist else 0,
        threshold=d.terms.threshold,
        categories=categories,
        outcomes=outcomes,
        faces_seen=sum(m.faces_seen for m in alerts.camera_metrics(uow, d.reference)),
    )
