"""Racing writers: two decisions on one application end with exactly one recorded, edits of
different fields of a draft all land, and concurrent audit appends never fork the chain. Real
threads, real connections, both databases."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import timedelta

import pytest
from sqlalchemy import func, select, text

from govkit import T0, Flow, authority
from openlfr.domain import authorising
from openlfr.domain.application import Section
from openlfr.domain.audit import AuditEvent, Entity
from openlfr.domain.deployment import Deployment, State
from openlfr.domain.errors import ConcurrentChange, GovernanceError
from openlfr.domain.roles import Role
from openlfr.services import deployments
from openlfr.services.audit import verify_chain
from openlfr.services.steps import Step, change_deployment
from openlfr.store.db import Database
from openlfr.store.tables import AuditRow, DecisionRow
from openlfr.store.uow import UnitOfWork
from polling import wait_for

LATER = T0 + timedelta(minutes=30)


def _race(*calls: Callable[[], object]) -> list[BaseException | None]:
    """Run the calls at once on their own threads; return each one's exception or None."""
    start = threading.Barrier(len(calls))
    outcomes: list[BaseException | None] = [None] * len(calls)

    def run(index: int, call: Callable[[], object]) -> None:
        start.wait()
        try:
            call()
        except BaseException as exc:
            outcomes[index] = exc

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def _decisions(uow: UnitOfWork) -> int:
    with uow:
        return uow.session.scalar(select(func.count()).select_from(DecisionRow)) or 0


def test_two_aos_deciding_at_once_record_exactly_one_decision(
    flow: Flow, uow: UnitOfWork, db: Database
) -> None:
    ref = flow.submitted()
    outcomes = _race(  # a unit of work per thread, as per request in the web app
        lambda: deployments.authorise(UnitOfWork(db.sessions), "bob", ref, authority(), now=LATER),
        lambda: deployments.reject(UnitOfWork(db.sessions), "carol", ref, "No", now=LATER),
    )
    failures = [o for o in outcomes if o is not None]
    assert len(failures) == 1 and isinstance(failures[0], GovernanceError), outcomes
    assert _decisions(uow) == 1
    assert deployments.get_deployment(uow, ref).state in {State.AUTHORISED, State.REJECTED}
    assert verify_chain(uow).ok


@pytest.mark.postgres
@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_interleaved_decisions_lose_no_update(flow: Flow, uow: UnitOfWork, db: Database) -> None:
    """Force the worst case: both transactions have read the application before either writes.
    PostgreSQL only: SQLite serialises writers at BEGIN IMMEDIATE, so it cannot interleave."""
    ref = flow.submitted()
    both_loaded = threading.Barrier(2, timeout=20)

    def decide(ao: str) -> Callable[[], object]:
        def change(d: Deployment, step: Step) -> None:
            both_loaded.wait()
            authorising.reject(d, step.actor, f"{ao} says no", step.policy, step.now)

        own = UnitOfWork(db.sessions)
        return lambda: change_deployment(
            own, ao, ref, "application.rejected", Role.AUTHORISING_OFFICER, change, LATER
        )

    outcomes = _race(decide("bob"), decide("carol"))
    assert sorted(type(o).__name__ for o in outcomes) == ["ConcurrentChange", "NoneType"]
    assert any(isinstance(o, ConcurrentChange) for o in outcomes)
    assert _decisions(uow) == 1


def test_edits_of_different_fields_at_once_lose_none(flow: Flow, db: Database) -> None:
    """Two people change two fields of Section 1 and a third Section 4, each from the page as
    it was before any of them saved: every change is kept."""
    ref = flow.opened()
    edits = {
        (Section.PLACE, "location"): "Market square, north side",
        (Section.PLACE, "rationale"): "The market draws the most footfall on Saturdays.",
        (Section.NECESSITY, "strict_necessity"): "Three weeks of patrols found no one.",
    }
    outcomes = _race(
        *(
            lambda s=section, f=field, v=value: deployments.edit_section(
                UnitOfWork(db.sessions), "alice", ref, s, {f: v}, now=LATER
            )
            for (section, field), value in edits.items()
        )
    )
    assert outcomes == [None] * len(edits)
    draft = deployments.get_deployment(UnitOfWork(db.sessions), ref).draft
    assert draft.place.location == edits[Section.PLACE, "location"]
    assert draft.place.rationale == edits[Section.PLACE, "rationale"]
    assert draft.necessity.strict_necessity == edits[Section.NECESSITY, "strict_necessity"]
    assert verify_chain(UnitOfWork(db.sessions)).ok


def _waiting_for_a_lock(db: Database) -> bool:
    query = (
        "SELECT count(*) FROM pg_stat_activity"
        " WHERE datname = current_database() AND wait_event_type = 'Lock'"
    )
    with db.engine.connect() as connection:
        return bool(connection.scalar(text(query)))


@pytest.mark.postgres
@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_an_edit_waits_for_one_in_progress_instead_of_failing(flow: Flow, db: Database) -> None:
    """Force the worst case: a second edit starts while the first holds the draft. It waits
    (PostgreSQL shows it waiting for the lock), then merges into what the first saved."""
    ref = flow.opened()
    holding, release = threading.Event(), threading.Event()

    def first(d: Deployment, step: Step) -> None:
        authorising.edit_section(d, step.actor, Section.PLACE, {"location": "Market square"})
        holding.set()
        release.wait(20)

    def second() -> None:
        holding.wait(20)
        deployments.edit_section(
            UnitOfWork(db.sessions), "alice", ref, Section.PLACE, {"rationale": "Footfall."}
        )

    own = UnitOfWork(db.sessions)
    threads_done = _race(
        lambda: change_deployment(
            own, "alice", ref, "application.edited", Role.APPLICANT, first, LATER, exclusive=True
        ),
        lambda: (
            wait_for(lambda: _waiting_for_a_lock(db), 20, "the second edit to wait"),
            release.set(),
        ),
        second,
    )
    assert threads_done == [None, None, None]
    place = deployments.get_deployment(UnitOfWork(db.sessions), ref).draft.place
    assert (place.location, place.rationale) == ("Market square", "Footfall.")


def test_concurrent_audit_appends_keep_one_chain(uow: UnitOfWork, db: Database) -> None:
    def append(worker: int) -> Callable[[], object]:
        def run() -> None:
            own = UnitOfWork(db.sessions)
            for n in range(5):
                with own:
                    own.audit.record(
                        AuditEvent(
                            actor=f"w{worker}",
                            role="test",
                            action="test.append",
                            entity=Entity("test", str(n)),
                            after=n,
                            at=T0 + timedelta(seconds=n),
                        )
                    )
                    own.commit()

        return run

    outcomes = _race(*(append(worker) for worker in range(4)))
    assert outcomes == [None] * 4
    with uow:
        seqs = list(uow.session.scalars(select(AuditRow.seq).order_by(AuditRow.seq)))
    assert seqs == list(range(1, len(seqs) + 1))
    assert verify_chain(uow).ok
