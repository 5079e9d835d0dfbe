"""Test kit for the governance suite: the cast of people, valid forms to vary, and a Flow that
walks a deployment to any state through the real services."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import text

from openlfr.demo import examples
from openlfr.domain.application import ApplicationForm, IntelligenceCase
from openlfr.domain.authority import WrittenAuthority
from openlfr.domain.command import ChecklistItem, WatchlistImport
from openlfr.domain.roles import Actor, Role
from openlfr.live.gate import DeploymentGate
from openlfr.services import deployments, operations
from openlfr.services.users import add_user
from openlfr.store.db import Database
from openlfr.store.uow import UnitOfWork

T0 = datetime(2030, 6, 1, 8, 0, tzinfo=UTC)
"""Applications are made at T0; the window is T0+2h to T0+8h."""
START, END = T0 + timedelta(hours=2), T0 + timedelta(hours=8)
SNAPSHOT = "sha256:watchlist-snapshot-1"

R = Role


def _person(username: str, name: str, roles: set[Role], rank: str | None = None) -> Actor:
    return Actor(username=username, display_name=name, roles=frozenset(roles), rank=rank)


PEOPLE = [
    _person("admin", "Ada Admin", {R.ADMINISTRATOR}),
    _person("alice", "PS Alice", {R.APPLICANT}, "sergeant"),
    _person("bob", "Supt Bob", {R.AUTHORISING_OFFICER}, "superintendent"),
    _person("carol", "Ch Supt Carol", {R.AUTHORISING_OFFICER}, "chief_superintendent"),
    _person("dave", "CI Dave", {R.AUTHORISING_OFFICER}, "chief_inspector"),
    _person("hank", "Supt Hank", {R.APPLICANT, R.AUTHORISING_OFFICER, R.GOLD}, "superintendent"),
    _person("gail", "Ch Supt Gail", {R.GOLD}, "chief_superintendent"),
    _person("sam", "Insp Sam", {R.SILVER}, "inspector"),
    _person("bea", "PS Bea", {R.BRONZE}, "sergeant"),
    _person("otto", "Otto Operator", {R.OPERATOR}),
    _person("eve", "PC Eve", {R.ENGAGEMENT_OFFICER}, "constable"),
    _person("audrey", "Audrey Auditor", {R.AUDITOR}),
]


def add_people(uow: UnitOfWork) -> None:
    for actor in PEOPLE:
        add_user(uow, "admin", actor, now=T0 - timedelta(days=1))


def case(**changes: Any) -> IntelligenceCase:
    return examples.case(**changes)


def form(start: datetime = START, end: datetime = END, **changes: Any) -> ApplicationForm:
    """A complete Form 1 Part 1; `changes` replace sections or fields (nested dicts merge)."""
    return examples.form(start, end, **changes)


terms = examples.terms


def authority(**changes: Any) -> WrittenAuthority:
    """A complete Form 1 Part 2 approving `form()`; `terms=` changes merge into the terms."""
    return examples.authority(**changes)


oral = examples.oral


def execute_sql(db: Database, statement: str) -> None:
    """Raw SQL behind the application's back (for tampering tests)."""
    with db.engine.begin() as conn:
        conn.execute(text(statement))


class Flow:
    """Walk one deployment through the services; each method returns the reference."""

    def __init__(self, uow: UnitOfWork, applicant: str = "alice") -> None:
        self.uow = uow
        self.applicant = applicant

    def opened(self, form_: ApplicationForm | None = None) -> str:
        d = deployments.open_deployment(self.uow, self.applicant, case(), now=T0)
        deployments.edit_application(
            self.uow, self.applicant, d.reference, form=form_ or form(), now=T0
        )
        return d.reference

    def submitted(self, form_: ApplicationForm | None = None) -> str:
        ref = self.opened(form_)
        deployments.submit(self.uow, self.applicant, ref, now=T0)
        return ref

    def authorised(self, form_: ApplicationForm | None = None, **changes: Any) -> str:
        ref = self.submitted(form_)
        deployments.authorise(
            self.uow, "bob", ref, authority(**changes), now=T0 + timedelta(minutes=30)
        )
        return ref

    def prepared(self, cameras: list[str] | None = None, **changes: Any) -> str:
        """Authorised, command appointed and every checklist item done, but not yet ready;
        `cameras` (default cam-1) are authorised and recorded as the ones deployed."""
        if cameras:
            changes["terms"] = {"cameras": cameras} | changes.get("terms", {})
        return self.prepare(self.authorised(**changes), cameras)

    def prepare(self, ref: str, cameras: list[str] | None = None, watchlist: bool = True) -> str:
        """`ref` (authorised) prepared as `prepared` does; `watchlist=False` when a real
        snapshot already recorded the import."""
        u, at = self.uow, T0 + timedelta(hours=1)
        for post, person in (
            (R.SILVER, "sam"),
            (R.BRONZE, "bea"),
            (R.OPERATOR, "otto"),
            (R.ENGAGEMENT_OFFICER, "eve"),
        ):
            operations.appoint(u, "gail", ref, post, [person], now=at)
        operations.tick(
            u, "sam", ref, ChecklistItem.ADVANCE_NOTICE, "met.police.uk/lfr, 48 h ahead", now=at
        )
        operations.tick(u, "sam", ref, ChecklistItem.SIGNAGE, "12 signs within 100 m", now=at)
        operations.tick(u, "gail", ref, ChecklistItem.ROLES, now=at)
        operations.tick(u, "gail", ref, ChecklistItem.TRAINED_PERSONNEL, "All trained", now=at)
        if watchlist:
            imported = WatchlistImport(
                snapshot_hash=SNAPSHOT, size=380, categories=["wanted_by_courts"]
            )
            operations.record_watchlist_import(u, "gail", ref, imported, now=at)
        operations.record_cameras(u, "gail", ref, cameras or ["cam-1"], now=at)
        return ref

    def ready(self, cameras: list[str] | None = None, **changes: Any) -> str:
        ref = self.prepared(cameras, **changes)
        operations.mark_ready(self.uow, "gail", ref, now=T0 + timedelta(hours=1))
        return ref

    def live(self, cameras: list[str] | None = None, **changes: Any) -> str:
        ref = self.ready(cameras, **changes)
        operations.start(self.uow, "gail", ref, now=START + timedelta(minutes=5))
        return ref

    def gate(self, ref: str) -> DeploymentGate:
        """The run gate the live engine asks about `ref`, reading it through the services on a
        unit of work of each camera thread's own, as `bootstrap.live_engine` does."""
        return DeploymentGate(lambda: deployments.get_deployment(self.uow.another(), ref))

    def closed(self, ref: str | None = None) -> str:
        """Stopped and closed: a new live deployment, or `ref` (live) once the test has done
        what it needs while it runs."""
        ref = ref or self.live()
        operations.stop(self.uow, "gail", ref, "Window ending", now=END - timedelta(minutes=5))
        operations.close(self.uow, "gail", ref, "Ran as authorised", now=END)
        return ref
