"""What retention deletes and when, as pure rules over domain values: no database, so every
combination of verdicts, holds and times can be generated."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from postkit import CLOSED, OTTO, RETENTION, new_alert

from govkit import START, T0
from openlfr.domain import alerts as rules
from openlfr.domain.alerts import Alert, Verdict
from openlfr.domain.deployment import Deployment, DeploymentId, DeploymentRef, Signed, State
from openlfr.domain.errors import TransitionRefused
from openlfr.domain.retention import (
    EvidenceHold,
    require_release_reason,
    retention_schedule,
)


def _deployment(n: int, state: State) -> Deployment:
    closure = Signed(by="gail", at=CLOSED) if state is State.CLOSED else None
    return Deployment(
        id=DeploymentId(f"id-{n}"),
        reference=DeploymentRef(f"LFR-{n}"),
        applicant="alice",
        created_at=T0,
        state=state,
        closure=closure,
    )


CLOSED_ONE, LIVE_ONE = _deployment(1, State.CLOSED), _deployment(2, State.LIVE)


def _alert(n: int, verdict: Verdict | None, deployment: Deployment = CLOSED_ONE) -> Alert:
    alert = new_alert(deployment.id, n, f"WL-{n:04d}", START + timedelta(minutes=n))
    if verdict is not None:
        rules.adjudicate(alert, OTTO, ["otto"], verdict, alert.raised_at)
    return alert


def _hold(alert: Alert, review: date) -> EvidenceHold:
    return EvidenceHold(
        alert_id=alert.id,
        deployment_id=alert.deployment_id,
        reason="Evidence of assault",
        review_date=review,
        held_by="gail",
        held_at=CLOSED,
    )


def test_false_alerts_go_after_a_day_others_after_a_month_held_ones_never() -> None:
    false, true, held, elsewhere = (
        _alert(1, Verdict.FALSE_ALERT),
        _alert(2, Verdict.TRUE_ALERT),
        _alert(3, None),
        _alert(4, None, LIVE_ONE),
    )
    hold = _hold(held, CLOSED.date() + timedelta(days=1))
    live_snapshots = {CLOSED_ONE.id: ["snap-1"], LIVE_ONE.id: ["snap-2"]}
    now = CLOSED + timedelta(days=1)
    plan = retention_schedule(
        now,
        RETENTION,
        [CLOSED_ONE, LIVE_ONE],
        [false, true, held, elsewhere],
        live_snapshots,
        {held.id: hold},
    )
    assert [(i.kind, i.entity_id, i.deployment) for i in plan.due] == [
        ("watchlist_snapshot", "snap-1", "LFR-1"),  # due at the closure; not the live one's
        ("alert", false.id, "LFR-1"),  # due 24 h after it was raised
    ]
    assert plan.due[1].rule == "false alert: 24 h"
    assert [i.entity_id for i in plan.upcoming] == [true.id, elsewhere.id]
    assert plan.upcoming[0].due_at == true.raised_at + timedelta(days=31)
    assert plan.held == [hold] and plan.review_overdue == [hold]


@given(
    verdicts=st.lists(st.sampled_from([None, *Verdict]), max_size=12),
    held=st.sets(st.integers(0, 11)),
    hours_after_close=st.integers(-24, 24 * 40),
)
def test_every_alert_not_held_is_due_or_upcoming_exactly_once(
    verdicts: list[Verdict | None], held: set[int], hours_after_close: int
) -> None:
    alerts = [_alert(n, verdict) for n, verdict in enumerate(verdicts)]
    holds = {a.id: _hold(a, CLOSED.date()) for n, a in enumerate(alerts) if n in held}
    now = CLOSED + timedelta(hours=hours_after_close)
    plan = retention_schedule(now, RETENTION, [CLOSED_ONE], alerts, {}, holds)
    listed = [i.entity_id for i in [*plan.due, *plan.upcoming]]
    assert sorted(listed) == sorted(a.id for a in alerts if a.id not in holds)
    assert all(i.due_at <= now for i in plan.due)
    assert all(i.due_at > now for i in plan.upcoming)
    for items in (plan.due, plan.upcoming):
        assert [i.due_at for i in items] == sorted(i.due_at for i in items)


@given(st.text(alphabet=" \t\n\u00a0", max_size=5))
def test_a_hold_is_released_only_with_a_reason(blank: str) -> None:
    with pytest.raises(TransitionRefused, match="needs a reason"):
        require_release_reason(blank)
    require_release_reason(blank + "Complaint resolved")
