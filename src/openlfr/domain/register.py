"""The MPS register's figures for one deployment, and the annual summary, over plain records.

Pure: the counts are defined once here, so the cancellation report, the public register and
its exports cannot disagree. Definitions follow the MPS published register (2023 onwards)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from pydantic import AwareDatetime, BaseModel, ConfigDict

from openlfr.domain.alerts import Alert, Outcome, Verdict
from openlfr.domain.deployment import DeploymentId


class AlertSummary(BaseModel):
    """An alert as the report, the register and a redress answer see it: references, times,
    verdict and outcome, never an image. Also what a deletion receipt keeps of an alert."""

    model_config = ConfigDict(frozen=True)

    alert_id: str
    deployment_id: DeploymentId
    camera: str
    subject: str
    score: float
    raised_at: AwareDatetime
    verdict: Verdict | None = None
    adjudicated_by: str | None = None
    engaged: bool | None = None
    confirmed: bool = False
    outcome: Outcome | None = None
    engagement_by: str | None = None

    @classmethod
    def of(cls, alert: Alert) -> AlertSummary:
        judged, engaged = alert.adjudication, alert.engagement
        return cls(
            alert_id=alert.id,
            deployment_id=alert.deployment_id,
            camera=alert.camera,
            subject=alert.subject,
            score=alert.score,
            raised_at=alert.raised_at,
            verdict=judged.verdict if judged else None,
            adjudicated_by=judged.by if judged else None,
            engaged=engaged.engaged if engaged else None,
            confirmed=alert.confirmed,
            outcome=engaged.outcome if engaged else None,
            engagement_by=engaged.by if engaged else None,
        )


class DeploymentMetrics(BaseModel):
    """One deployment's figures with the MPS definitions. Alerts not yet adjudicated are
    counted in `alerts` and in `unadjudicated`, never guessed into true or false."""

    model_config = ConfigDict(frozen=True)

    faces_seen: int
    alerts: int
    true_confirmed: int
    true_unconfirmed: int
    false_confirmed: int
    false_unconfirmed: int
    unadjudicated: int
    outcomes: dict[Outcome, int]
    watchlist_size: int
    threshold: float
    use_case: str
    start: AwareDatetime | None
    end: AwareDatetime | None

    @property
    def true_alerts(self) -> int:
        return self.true_confirmed + self.true_unconfirmed

    @property
    def false_alerts(self) -> int:
        return self.false_confirmed + self.false_unconfirmed

    @property
    def false_alert_rate(self) -> float | None:
        """False alerts per face seen; None when no face was seen (the rate is undefined)."""
        return self.false_alerts / self.faces_seen if self.faces_seen else None

    @property
    def duration(self) -> timedelta | None:
        return self.end - self.start if self.start and self.end else None


def compute_metrics(
    alerts: Iterable[AlertSummary],
    faces_seen: int,
    watchlist_size: int,
    threshold: float,
    use_case: str,
    start: datetime | None,
    end: datetime | None,
) -> DeploymentMetrics:
    """Count alerts by verdict and confirmation, and engagements by outcome."""
    tally: Counter[tuple[Verdict | None, bool]] = Counter()
    outcomes: Counter[Outcome] = Counter()
    total = 0
    for alert in alerts:
        total += 1
        tally[(alert.verdict, alert.confirmed and alert.verdict is not None)] += 1
        if alert.outcome is not None:
            outcomes[alert.outcome] += 1
    true, false = Verdict.TRUE_ALERT, Verdict.FALSE_ALERT
    return DeploymentMetrics(
        faces_seen=faces_seen,
        alerts=total,
        true_confirmed=tally[(true, True)],
        true_unconfirmed=tally[(true, False)],
        false_confirmed=tally[(false, True)],
        false_unconfirmed=tally[(false, False)],
        unadjudicated=tally[(None, False)],
        outcomes={outcome: outcomes[outcome] for outcome in Outcome},
        watchlist_size=watchlist_size,
        threshold=threshold,
        use_case=use_case,
        start=start,
        end=end,
    )


REGISTER_COLUMNS: tuple[str, ...] = (
    "Location",
    "Date",
    "Duration (start)",
    "Duration (end)",
    "Use case",
    "Watchlist size",
    "Threshold setting",
    "Total alerts",
    "True alerts (confirmed)",
    "True alerts (unconfirmed)",
    "False alerts (confirmed)",
    "False alerts (unconfirmed)",
    "False alert rate",
    "Outcomes (arrest)",
    "Outcomes (other disposal)",
    "Outcomes (no action)",
    "Faces seen",
)
"""The MPS register's columns, in its order; the CSV and JSON exports use exactly these."""


class RegisterEntry(BaseModel):
    """One published deployment as the public sees it: place, time and figures, no people."""

    model_config = ConfigDict(frozen=True)

    reference: str
    location: str
    metrics: DeploymentMetrics

    @property
    def date(self) -> str:
        return self.metrics.start.date().isoformat() if self.metrics.start else ""

    def row(self) -> dict[str, str | int | float]:
        m = self.metrics
        rate = m.false_alert_rate
        return dict(
            zip(
                REGISTER_COLUMNS,
                (
                    self.location,
                    self.date,
                    f"{m.start:%H:%M}" if m.start else "",
                    f"{m.end:%H:%M}" if m.end else "",
                    m.use_case,
                    m.watchlist_size,
                    m.threshold,
                    m.alerts,
                    m.true_confirmed,
                    m.true_unconfirmed,
                    m.false_confirmed,
                    m.false_unconfirmed,
                    "" if rate is None else round(rate, 8),
                    m.outcomes[Outcome.ARREST],
                    m.outcomes[Outcome.OTHER_DISPOSAL],
                    m.outcomes[Outcome.NO_FURTHER_ACTION],
                    m.faces_seen,
                ),
                strict=True,
            )
        )


@dataclass
class Totals:
    deployments: int = 0
    faces_seen: int = 0
    alerts: int = 0
    false_alerts: int = 0
    arrests: int = 0

    def add(self, metrics: DeploymentMetrics) -> None:
        self.deployments += 1
        self.faces_seen += metrics.faces_seen
        self.alerts += metrics.alerts
        self.false_alerts += metrics.false_alerts
        self.arrests += metrics.outcomes[Outcome.ARREST]


@dataclass
class AnnualSummary:
    """The MPS annual report's figures: deployments, faces, alerts, false alerts, arrests,
    overall and by use case."""

    year: int
    total: Totals = field(default_factory=Totals)
    by_use_case: dict[str, Totals] = field(default_factory=dict)


def annual_summaries(entries: Sequence[RegisterEntry]) -> list[AnnualSummary]:
    """One summary per calendar year of the deployments' start, oldest first."""
    years: dict[int, AnnualSummary] = {}
    for entry in entries:
        if entry.metrics.start is None:
            continue
        year = entry.metrics.start.year
        summary = years.setdefault(year, AnnualSummary(year))
        summary.total.add(entry.metrics)
        summary.by_use_case.setdefault(entry.metrics.use_case, Totals()).add(entry.metrics)
    return [years[year] for year in sorted(years)]
