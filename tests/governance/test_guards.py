"""Every safeguard refuses with a reason a person can act on, and a refusal changes nothing.
The rules live in the domain, so these run on SQLite only; the lifecycle runs on both."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from govkit import END, SNAPSHOT, START, T0, Flow, authority, form, oral, terms
from openlfr.domain.application import Section
from openlfr.domain.authority import DecisionPoint
from openlfr.domain.command import ChecklistItem, WatchlistImport
from openlfr.domain.deployment import State
from openlfr.domain.errors import (
    ApplicationIncomplete,
    AuthorityRefused,
    ChecklistIncomplete,
    PermissionRefused,
    Refusal,
    RunRefused,
    TransitionRefused,
)
from openlfr.domain.roles import Role
from openlfr.services import deployments, operations
from openlfr.services.audit import audit_history
from openlfr.store.uow import UnitOfWork

LATER = T0 + timedelta(minutes=30)


def test_an_incomplete_application_cannot_be_submitted(sqlite_flow: Flow) -> None:
    proposal = form(special_categories=[{"category": "under_18"}])
    proposal.necessity.strict_necessity = ""
    ref = sqlite_flow.opened(proposal)
    with pytest.raises(ApplicationIncomplete) as refused:
        deployments.submit(sqlite_flow.uow, "alice", ref, now=T0)
    assert refused.value.problems == [
        "Section 4 (necessity): why it is strictly necessary is not recorded",
        "Section 7 (special categories): under-18s are proposed but no rationale is recorded",
    ]


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (
            {"place": {"raised_privacy": ["place_of_worship"]}},
            "Section 1 (place and times): why the place raises expectations of privacy is not",
        ),
        ({"rights": {"echr_articles": [10]}}, "Article 8 is always engaged"),
        ({"watchlist": {"categories": ["other"]}}, "['other'] are not watchlist categories"),
        (
            {"watchlist": {"categories": ["witness"]}},
            "['witness'] need the stricter justification",
        ),
        ({"place": {"end": (START - timedelta(hours=1)).isoformat()}}, "is not after the start"),
    ],
)
def test_section_rules(sqlite_flow: Flow, change: dict[str, object], reason: str) -> None:
    ref = sqlite_flow.opened(form(**change))
    with pytest.raises(ApplicationIncomplete, match=re.escape(reason)):
        deployments.submit(sqlite_flow.uow, "alice", ref, now=T0)


def test_a_document_older_than_the_policy_minimum_is_refused(sqlite_flow: Flow) -> None:
    proposal = form()
    proposal.documents.documents[3].version = "0.9"
    ref = sqlite_flow.opened(proposal)
    with pytest.raises(ApplicationIncomplete, match=r"Impact Assessment version 0.9 is older than"):
        deployments.submit(sqlite_flow.uow, "alice", ref, now=T0)


def test_no_authority_once_a_document_has_passed_its_review_date(sqlite_flow: Flow) -> None:
    proposal = form(end=T0 + timedelta(days=10))
    proposal.documents.documents[4].review_date = (T0 + timedelta(days=1)).date()
    ref = sqlite_flow.submitted(proposal)
    with pytest.raises(
        ApplicationIncomplete, match="Equality Impact Assessment was due for review"
    ):
        deployments.authorise(sqlite_flow.uow, "bob", ref, authority(), now=T0 + timedelta(days=2))


def test_an_applicant_can_never_authorise_their_own_application(sqlite_uow: UnitOfWork) -> None:
    ref = Flow(sqlite_uow, applicant="hank").submitted()
    with pytest.raises(PermissionRefused, match="made this application and can never decide it"):
        deployments.authorise(sqlite_uow, "hank", ref, authority(), now=LATER)
    with pytest.raises(PermissionRefused, match="can never decide it"):
        deployments.send_back(sqlite_uow, "hank", ref, "Looks fine to me", now=LATER)


def test_an_authorising_officer_below_the_minimum_rank_is_refused(sqlite_flow: Flow) -> None:
    ref = sqlite_flow.submitted()
    with pytest.raises(
        PermissionRefused, match=r"chief_inspector\) is below .* \(superintendent\)"
    ):
        deployments.authorise(sqlite_flow.uow, "dave", ref, authority(), now=LATER)
    with pytest.raises(PermissionRefused, match="authorising_officer role"):
        deployments.authorise(sqlite_flow.uow, "gail", ref, authority(), now=LATER)


def test_special_categories_need_the_aos_explicit_decision(sqlite_flow: Flow) -> None:
    rationale = "Two missing 16-year-olds at risk of exploitation are sought."
    proposal = form(special_categories=[{"category": "under_18", "rationale": rationale}])
    ref = sqlite_flow.submitted(proposal)
    silent = authority(terms=terms(special_categories=["under_18"]))
    with pytest.raises(AuthorityRefused, match="Under-18s is proposed; the AO's explicit decision"):
        deployments.authorise(sqlite_flow.uow, "bob", ref, silent, now=LATER)
    refused = [{"subject": "under_18", "approved": False, "reasons": "Not necessary here"}]
    with pytest.raises(AuthorityRefused, match="'under_18' is included but the AO refused it"):
        deployments.authorise(
            sqlite_flow.uow,
            "bob",
            ref,
            authority(scrutiny=refused, terms=terms(special_categories=["under_18"])),
            now=LATER,
        )
    approved = [{"subject": "under_18", "approved": True, "reasons": "Safeguarding need"}]
    deployments.authorise(
        sqlite_flow.uow,
        "bob",
        ref,
        authority(scrutiny=approved, terms=terms(special_categories=["under_18"])),
        now=LATER,
    )


def test_a_raised_privacy_place_needs_the_aos_explicit_approval(sqlite_flow: Flow) -> None:
    place = {
        "raised_privacy": ["protest"],
        "raised_privacy_explanation": "A march passes the station.",
        "additional_safeguards": "No cameras face the assembly point.",
    }
    ref = sqlite_flow.submitted(form(place=place))
    with pytest.raises(AuthorityRefused, match="Protest or assembly is proposed"):
        deployments.authorise(sqlite_flow.uow, "bob", ref, authority(), now=LATER)
    no = [{"subject": "protest", "approved": False, "reasons": "Chilling effect"}]
    with pytest.raises(AuthorityRefused, match="did not approve the protest or assembly"):
        deployments.authorise(sqlite_flow.uow, "bob", ref, authority(scrutiny=no), now=LATER)


def test_all_seven_decisions_are_needed(sqlite_flow: Flow) -> None:
    ref = sqlite_flow.submitted()
    decisions = [
        {"point": p.value, "approved": p is not DecisionPoint.WATCHLIST_COMPOSITION, "reasons": "x"}
        for p in DecisionPoint
        if p is not DecisionPoint.LOCATION_AND_TIMES
    ]
    with pytest.raises(AuthorityRefused) as refused:
        deployments.authorise(
            sqlite_flow.uow, "bob", ref, authority(decisions=decisions), now=LATER
        )
    assert (
        "Decision (vi) watchlist composition: not approved; reject or send back"
        in refused.value.reason
    )
    assert (
        "Decision (vii) location and times: no decision with reasons is recorded"
        in refused.value.reason
    )


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"terms": terms(threshold=0.3)}, "threshold 0.3 is below the policy floor 0.4"),
        ({"terms": terms(watchlist_categories=["victim"])}, r"\['victim'\] were not proposed"),
        (
            {"chief_officer": {"name": "Ch Supt X", "rank": "chief_superintendent"}},
            "below commander",
        ),
        ({"documents_adopted": []}, "has not recorded adopting the Data Protection Impact"),
        ({"training_direction": " "}, "direction that everyone deployed is trained is missing"),
    ],
)
def test_authority_terms(sqlite_flow: Flow, changes: dict[str, object], reason: str) -> None:
    ref = sqlite_flow.submitted()
    with pytest.raises(AuthorityRefused, match=reason):
        deployments.authorise(sqlite_flow.uow, "bob", ref, authority(**changes), now=LATER)


def test_the_ao_cannot_confirm_themself_as_gold(sqlite_uow: UnitOfWork) -> None:
    ref = Flow(sqlite_uow).submitted()
    with pytest.raises(PermissionRefused, match="cannot confirm themself as Gold"):
        deployments.authorise(
            sqlite_uow, "hank", ref, authority(terms=terms(gold="hank")), now=LATER
        )
    with pytest.raises(PermissionRefused, match="gold role needed to be confirmed as Gold"):
        deployments.authorise(sqlite_uow, "bob", ref, authority(terms=terms(gold="sam")), now=LATER)


def test_an_urgent_authority_needs_its_reason(sqlite_flow: Flow) -> None:
    ref = sqlite_flow.submitted()
    with pytest.raises(AuthorityRefused, match="reason the matter is urgent is not recorded"):
        deployments.authorise_orally(sqlite_flow.uow, "bob", ref, oral(urgency_reason=""), now=T0)


def test_a_refused_step_leaves_no_trace(sqlite_flow: Flow) -> None:
    ref = sqlite_flow.submitted()
    records = len(audit_history(sqlite_flow.uow))
    with pytest.raises(AuthorityRefused):
        deployments.authorise(
            sqlite_flow.uow, "bob", ref, authority(terms=terms(threshold=0.1)), now=LATER
        )
    d = deployments.get_deployment(sqlite_flow.uow, ref)
    assert d.state is State.SUBMITTED and len(d.decisions) == 0
    assert len(audit_history(sqlite_flow.uow)) == records


def test_only_gold_appoints_and_appointees_need_the_role(sqlite_flow: Flow) -> None:
    ref = sqlite_flow.authorised()
    u = sqlite_flow.uow
    with pytest.raises(PermissionRefused, match="only the deployment's Gold may appoint"):
        operations.appoint(u, "sam", ref, Role.OPERATOR, ["otto"], now=LATER)
    with pytest.raises(PermissionRefused, match="eve does not hold the operator role"):
        operations.appoint(u, "gail", ref, Role.OPERATOR, ["eve"], now=LATER)


def test_the_checklist_keeps_to_the_authority(sqlite_flow: Flow) -> None:
    ref = sqlite_flow.authorised()
    u = sqlite_flow.uow
    with pytest.raises(ChecklistIncomplete, match="no silver is appointed"):
        operations.tick(u, "gail", ref, ChecklistItem.ROLES, now=LATER)
    with pytest.raises(ChecklistIncomplete, match="if waived, the urgent reason"):
        operations.tick(u, "gail", ref, ChecklistItem.ADVANCE_NOTICE, "", waived=True, now=LATER)
    operations.tick(
        u, "gail", ref, ChecklistItem.ADVANCE_NOTICE, "Bomb threat", waived=True, now=LATER
    )
    with pytest.raises(ChecklistIncomplete, match="only advance notice can"):
        operations.tick(u, "gail", ref, ChecklistItem.SIGNAGE, "none", waived=True, now=LATER)
    too_big = WatchlistImport(snapshot_hash="h", size=501, categories=["wanted_by_courts"])
    with pytest.raises(ChecklistIncomplete, match="501 entries exceed the authorised maximum 500"):
        operations.record_watchlist_import(u, "gail", ref, too_big, now=LATER)
    wrong = WatchlistImport(snapshot_hash="h", size=5, categories=["missing_at_risk"])
    with pytest.raises(
        ChecklistIncomplete, match=r"categories \['missing_at_risk'\] are not authorised"
    ):
        operations.record_watchlist_import(u, "gail", ref, wrong, now=LATER)
    with pytest.raises(ChecklistIncomplete, match=r"\['cam-9'\] are not authorised cameras"):
        operations.record_cameras(u, "gail", ref, ["cam-1", "cam-9"], now=LATER)
    with pytest.raises(
        ChecklistIncomplete, match="incomplete: signage, watchlist imported, cameras"
    ):
        operations.mark_ready(u, "gail", ref, now=LATER)


def test_no_start_outside_the_window(sqlite_flow: Flow) -> None:
    ref = sqlite_flow.ready()
    with pytest.raises(RunRefused, match="before the authorised window opens"):
        operations.start(sqlite_flow.uow, "gail", ref, now=START - timedelta(minutes=1))
    with pytest.raises(RunRefused, match="the authorised window closed"):
        operations.start(sqlite_flow.uow, "gail", ref, now=END)
    with pytest.raises(PermissionRefused, match="only the deployment's Gold may start"):
        operations.start(sqlite_flow.uow, "sam", ref, now=START)


def test_the_run_gate(sqlite_flow: Flow) -> None:
    ref = sqlite_flow.live()
    u, now = sqlite_flow.uow, START + timedelta(hours=1)
    with pytest.raises(RunRefused, match=re.escape("threshold 0.44 is below the approved 0.45")):
        operations.run_permit(u, ref, "cam-1", SNAPSHOT, 0.44, now=now)
    with pytest.raises(RunRefused, match="camera 'cam-2' is not authorised and set up"):
        operations.run_permit(u, ref, "cam-2", SNAPSHOT, 0.5, now=now)
    with pytest.raises(RunRefused, match="snapshot 'other' is not the one imported"):
        operations.run_permit(u, ref, "cam-1", "other", 0.5, now=now)
    with pytest.raises(RunRefused, match="window closed"):
        operations.run_permit(u, ref, "cam-1", SNAPSHOT, 0.5, now=END)
    operations.pause(u, "gail", ref, "Fault on cam-1", now=now)
    with pytest.raises(RunRefused, match="is paused, not live"):
        operations.run_permit(u, ref, "cam-1", SNAPSHOT, 0.5, now=now)


def test_only_gold_or_silver_starts_the_cameras_and_it_is_recorded(sqlite_flow: Flow) -> None:
    ref = sqlite_flow.live()
    u, now = sqlite_flow.uow, START + timedelta(hours=1)
    camera = {"cam-1": "rtsp://van7:s3cret@10.0.0.5:554/live"}
    records = len(audit_history(u))
    with pytest.raises(PermissionRefused, match="only the deployment's Gold or Silver"):
        operations.start_cameras(u, "otto", ref, camera, SNAPSHOT, 0.45, now=now)
    with pytest.raises(RunRefused, match="choose a source for cam-1"):
        operations.start_cameras(u, "sam", ref, {}, SNAPSHOT, 0.45, now=now)
    with pytest.raises(RunRefused, match=re.escape("threshold 0.4 is below the approved 0.45")):
        operations.start_cameras(u, "sam", ref, camera, SNAPSHOT, 0.4, now=now)
    assert len(audit_history(u)) == records
    operations.start_cameras(u, "sam", ref, camera, SNAPSHOT, 0.45, now=now)
    started = deployments.get_deployment(u, ref).live_events[-1]
    assert (started.kind, started.by) == ("cameras started", "sam")
    assert started.reason == "cam-1 on rtsp://10.0.0.5:554/live; threshold 0.45"  # no password
    assert audit_history(u)[-1].action == "cameras.started"


def test_a_section_is_edited_only_by_its_applicant_while_a_draft(sqlite_flow: Flow) -> None:
    ref, u = sqlite_flow.opened(), sqlite_flow.uow
    before, records = deployments.get_deployment(u, ref).draft, len(audit_history(u))
    elsewhere = {"location": "Somewhere else"}
    with pytest.raises(PermissionRefused, match="does not hold the applicant role"):
        deployments.edit_section(u, "bob", ref, Section.PLACE, elsewhere, now=LATER)
    with pytest.raises(TransitionRefused, match=re.escape("only the applicant (alice)")):
        deployments.edit_section(u, "hank", ref, Section.PLACE, elsewhere, now=LATER)
    with pytest.raises(Refusal, match="greater than or equal to 0"):
        deployments.edit_section(u, "alice", ref, Section.WATCHLIST, {"approximate_size": -1})
    assert deployments.get_deployment(u, ref).draft == before
    assert len(audit_history(u)) == records
    deployments.submit(u, "alice", ref, now=LATER)
    with pytest.raises(TransitionRefused, match="is submitted; 'edit' "):
        deployments.edit_section(u, "alice", ref, Section.PLACE, elsewhere, now=LATER)


def test_a_closed_deployment_cannot_be_reopened(sqlite_flow: Flow) -> None:
    ref = sqlite_flow.closed()
    u, now = sqlite_flow.uow, END + timedelta(minutes=1)
    for attempt in (
        lambda: operations.start(u, "gail", ref, now=now),
        lambda: operations.resume(u, "gail", ref, now=now),
        lambda: operations.appoint(u, "gail", ref, Role.OPERATOR, ["otto"], now=now),
        lambda: deployments.edit_application(u, "alice", ref, form=form(), now=now),
    ):
        with pytest.raises(TransitionRefused, match="a closed deployment cannot be reopened"):
            attempt()
    with pytest.raises(TransitionRefused, match=r"cancellation report .* is not yet submitted"):
        operations.publish(u, "gail", ref, now=now)
