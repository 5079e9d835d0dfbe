"""The demo's people: one web account for every role, sharing one password printed at start.

The usernames are those the example authority names (`examples.GOLD`), so the forms in
`examples` fit this cast as they stand."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from openlfr.demo.examples import GOLD
from openlfr.domain.roles import Actor, Role
from openlfr.services import accounts
from openlfr.services.users import add_user
from openlfr.store.uow import UnitOfWork


def _actor(username: str, name: str, role: Role, rank: str | None = None) -> Actor:
    return Actor(username=username, display_name=name, roles=frozenset({role}), rank=rank)


ADMIN = _actor("admin", "Ada Admin", Role.ADMINISTRATOR)
APPLICANT = _actor("alice", "PS Alice", Role.APPLICANT, "sergeant")
AO = _actor("bob", "Supt Bob", Role.AUTHORISING_OFFICER, "superintendent")
GOLD_COMMANDER = _actor(GOLD, "Ch Supt Gail", Role.GOLD, "chief_superintendent")
SILVER = _actor("sam", "Insp Sam", Role.SILVER, "inspector")
BRONZE = _actor("bea", "PS Bea", Role.BRONZE, "sergeant")
OPERATOR = _actor("otto", "Otto Operator", Role.OPERATOR)
ENGAGEMENT = _actor("eve", "PC Eve", Role.ENGAGEMENT_OFFICER, "constable")
DPO = _actor("dora", "Dora DPO", Role.DPO)
AUDITOR = _actor("audrey", "Audrey Auditor", Role.AUDITOR)
CAST = (ADMIN, APPLICANT, AO, GOLD_COMMANDER, SILVER, BRONZE, OPERATOR, ENGAGEMENT, DPO, AUDITOR)


@dataclass(frozen=True)
class Logins:
    """Who can log in to the console, and the demo password they share."""

    people: tuple[Actor, ...]
    password: str


def new_password() -> str:
    """A fresh one per run: the demo database is throwaway, its password need not be known."""
    return secrets.token_urlsafe(12)


def enlist(uow_factory: Callable[[], UnitOfWork], password: str, now: datetime) -> Logins:
    """The administrator first (first-run path), then everyone else added by them."""
    accounts.create_first_administrator(uow_factory(), ADMIN, password, now)
    for actor in CAST[1:]:
        add_user(uow_factory(), ADMIN.username, actor, now)
        accounts.set_password(uow_factory(), ADMIN.username, actor.username, password, now)
    return Logins(CAST, password)
