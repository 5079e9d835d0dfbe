"""The register's counting rules, pure (no database): every alert is counted once, by its
verdict and whether an engagement confirmed it; an unadjudicated alert is never guessed true or
false; the false alert rate is undefined when no face was seen."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from openlfr.domain.alerts import Outcome, Verdict
from openlfr.domain.register import AlertSummary, RegisterEntry, annual_summaries, compute_metrics

AT = datetime(2030, 6, 1, 10, 0, tzinfo=UTC)

alerts = st.lists(
    st.builds(
        lambda n, verdict, confirmed, outcome: AlertSummary(
            alert_id=f"a{n}",
            deployment_id="d1",
            camera="cam-1",
            subject=f"WL-{n}",
            score=0.5,
            raised_at=AT,
            verdict=verdict,
            confirmed=confirmed,
            outcome=outcome,
        ),
        st.integers(0, 999),
        st.none() | st.sampled_from(Verdict),
        st.booleans(),
        st.none() | st.sampled_from(Outcome),
    ),
    max_size=40,
)


def _metrics(found: list[AlertSummary], faces: int = 1000, start: datetime = AT):
    return compute_metrics(found, faces, 380, 0.45, "crime_hotspot", start, start)


@given(alerts)
def test_every_alert_is_counted_once_and_never_guessed(found: list[AlertSummary]) -> None:
    m = _metrics(found)
    assert m.alerts == len(found)
    assert m.true_alerts + m.false_alerts + m.unadjudicated == len(found)
    assert m.unadjudicated == sum(a.verdict is None for a in found)
    assert m.true_confirmed == sum(a.verdict is Verdict.TRUE_ALERT and a.confirmed for a in found)
    assert m.false_alerts == sum(a.verdict is Verdict.FALSE_ALERT for a in found)
    assert sum(m.outcomes.values()) == sum(a.outcome is not None for a in found)


@given(alerts)
def test_the_false_alert_rate_is_per_face_seen_and_undefined_without_faces(
    found: list[AlertSummary],
) -> None:
    assert _metrics(found, faces=0).false_alert_rate is None
    assert _metrics(found, faces=500).false_alert_rate == _metrics(found).false_alerts / 500


def test_the_annual_summary_counts_each_deployment_in_the_year_it_started() -> None:
    def entry(start: datetime | None, use_case: str = "crime_hotspot") -> RegisterEntry:
        metrics = compute_metrics([], 100, 380, 0.45, use_case, start, start)
        return RegisterEntry(reference="r", location="High Street", metrics=metrics)

    new_year = datetime(2030, 12, 31, 23, 0, tzinfo=UTC)
    entries = [
        entry(new_year),
        entry(new_year + timedelta(hours=2), "missing_person"),
        entry(None),
    ]  # the unfinished one (no start) is in no year
    years = annual_summaries(entries)
    assert [(y.year, y.total.deployments, y.total.faces_seen) for y in years] == [
        (2030, 1, 100),
        (2031, 1, 100),
    ]
    assert set(years[1].by_use_case) == {"missing_person"}
