"""The whole process, need to published register, through the services, on both databases."""

from __future__ import annotations

from datetime import timedelta

import pytest

from govkit import END, SNAPSHOT, START, T0, Flow, authority, form, oral
from openlfr.domain.deployment import DecisionKind, State
from openlfr.domain.errors import AuthorityRefused, TransitionRefused
from openlfr.domain.roles import Role
from openlfr.services import deployments, operations
from openlfr.services.audit import audit_history, verify_chain
from openlfr.services.policy import show_policy
from openlfr.store.uow import UnitOfWork


def test_a_deployment_goes_from_need_to_published_register(flow: Flow, uow: UnitOfWork) -> None:
    ref = flow.live()
    permit = operations.run_permit(
        uow, ref, "cam-1", SNAPSHOT, 0.45, now=START + timedelta(hours=1)
    )
    assert permit.until == END

    operations.pause(
        uow, "gail", ref, "Crowd surge; officers redeployed", now=START + timedelta(hours=2)
    )
    operations.resume(uow, "gail", ref, now=START + timedelta(hours=3))
    operations.stop(uow, "gail", ref, "Window ending", now=END - timedelta(minutes=5))
    operations.close(uow, "gail", ref, "Ran as authorised", now=END)
    operations.submit_cancellation_report(uow, "gail", ref, "3 alerts, 1 arrest", now=END)
    operations.publish(uow, "gail", ref, now=END + timedelta(days=1))

    d = deployments.get_deployment(uow, ref)
    assert d.state is State.PUBLISHED
    assert [e.kind for e in d.live_events] == ["started", "paused", "resumed", "stopped"]
    assert d.actual_start == START + timedelta(minutes=5)
    assert d.actual_end == END - timedelta(minutes=5)
    assert d.live_events[1].reason == "Crowd surge; officers redeployed"
    assert d.command.gold == "gail" and d.command.operator == ["otto"]
    decision = d.last_decision(DecisionKind.AUTHORISED)
    assert decision is not None and decision.by == "bob"
    assert decision.policy_version == show_policy(uow).version

    actions = [e.action for e in audit_history(uow, "deployment", d.id)]
    assert actions[:3] == ["deployment.opened", "application.edited", "application.submitted"]
    assert "application.authorised" in actions and actions[-1] == "register.published"
    assert verify_chain(uow).ok


def test_a_sent_back_application_keeps_every_version(flow: Flow, uow: UnitOfWork) -> None:
    ref = flow.submitted()
    deployments.send_back(uow, "bob", ref, "Narrow the window to the evening peak", now=T0)
    amended = form(start=START + timedelta(hours=3))
    deployments.edit_application(uow, "alice", ref, form=amended, now=T0)
    deployments.submit(uow, "alice", ref, now=T0)

    d = deployments.get_deployment(uow, ref)
    assert d.state is State.SUBMITTED
    assert [v.number for v in d.versions] == [1, 2]
    assert d.versions[0].form.place.start == START
    assert d.versions[1].form.place.start == START + timedelta(hours=3)
    assert d.decisions[0].kind is DecisionKind.SENT_BACK
    assert d.decisions[0].application_version == 1


def test_a_rejected_application_cannot_be_resubmitted(flow: Flow, uow: UnitOfWork) -> None:
    ref = flow.submitted()
    deployments.reject(uow, "bob", ref, "Intelligence case does not support the place", now=T0)
    with pytest.raises(TransitionRefused, match="rejected"):
        deployments.submit(uow, "alice", ref, now=T0)


def test_urgent_oral_authority_then_written_record(flow: Flow, uow: UnitOfWork) -> None:
    ref = flow.submitted()
    deployments.authorise_orally(uow, "bob", ref, oral(), now=T0)
    d = deployments.get_deployment(uow, ref)
    assert d.state is State.ORAL_AUTHORISED
    assert d.oral_written_due == T0 + timedelta(hours=show_policy(uow).urgent.written_record_hours)
    # Pre-deployment may start on the oral authority; going live needs the written one.
    operations.appoint(uow, "gail", ref, Role.SILVER, ["sam"], now=T0)
    with pytest.raises(TransitionRefused, match="oral_authorised"):
        operations.mark_ready(uow, "gail", ref, now=T0)
    with pytest.raises(AuthorityRefused, match="recorded by bob"):
        deployments.authorise(uow, "carol", ref, authority(), now=T0 + timedelta(hours=1))
    deployments.authorise(uow, "bob", ref, authority(), now=T0 + timedelta(hours=1))
    assert deployments.get_deployment(uow, ref).state is State.AUTHORISED


def test_an_oral_authority_not_written_up_in_time_lapses(flow: Flow, uow: UnitOfWork) -> None:
    ref = flow.submitted(form(end=T0 + timedelta(days=3)))
    deployments.authorise_orally(uow, "bob", ref, oral(), now=T0)
    late = T0 + timedelta(hours=show_policy(uow).urgent.written_record_hours, minutes=1)
    with pytest.raises(AuthorityRefused, match="lapsed"):
        deployments.authorise(uow, "bob", ref, authority(), now=late)
    with pytest.raises(AuthorityRefused, match="lapsed"):
        operations.appoint(uow, "gail", ref, Role.SILVER, ["sam"], now=late)
    assert deployments.lapse_overdue(uow, now=T0) == []
    assert deployments.lapse_overdue(uow, now=late) == [ref]
    d = deployments.get_deployment(uow, ref)
    assert d.state is State.LAPSED
    assert d.decisions[-1].kind is DecisionKind.LAPSED
