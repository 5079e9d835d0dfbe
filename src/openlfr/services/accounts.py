"""Logging in to the web console: argon2 passwords for actors, and server-side sessions.

A session token is random, handed to the browser once and kept here only as its SHA-256, so a
stolen copy of the database opens no session. Setting a password and logging in are audited."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from openlfr.domain.accounts import (
    SELF,
    SESSION_LIFETIME,
    AccountState,
    LoginFailed,
    check_password,
)
from openlfr.domain.audit import AuditEvent, Entity
from openlfr.domain.errors import NotFound, PermissionRefused
from openlfr.domain.policy import AccountRules
from openlfr.domain.policy_file import bundled_policy
from openlfr.domain.roles import Actor, Role
from openlfr.domain.second_factor import CODE, ENROL, PENDING_MINUTES
from openlfr.services.clock import now_or
from openlfr.services.users import enlist
from openlfr.store.uow import UnitOfWork

_hasher = PasswordHasher()
_DUMMY_HASH = _hasher.hash("not-a-real-password-only-for-equal-timing")


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def needs_first_administrator(uow: UnitOfWork) -> bool:
    with uow:
        return uow.actors.count() == 0


def create_first_administrator(
    uow: UnitOfWork, first: Actor, password: str, now: datetime | None = None
) -> Actor:
    """First run: the very first user, an administrator, with a password (one transaction)."""
    now = now_or(now)
    check_password(password, first.username)
    with uow:
        enlist(uow, None, first, now)
        _set_password(uow, first.username, first.username, password, now)
        uow.commit()
    return first


def add_user_with_password(
    uow: UnitOfWork, by: str | None, person: Actor, password: str, now: datetime | None = None
) -> Actor:
    """An administrator adds a user who can log in: both or neither (one transaction), so a
    refused password leaves no half-made user behind."""
    now = now_or(now)
    check_password(password, person.username)
    with uow:
        enlist(uow, by, person, now)
        _set_password(uow, by or person.username, person.username, password, now)
        uow.commit()
    return person


def set_password(
    uow: UnitOfWork, by: str, username: str, password: str, now: datetime | None = None
) -> Actor:
    """An administrator sets anyone's password; a user may change their own. Ends their sessions."""
    now = now_or(now)
    check_password(password, username)
    with uow:
        setter, person = uow.actors.get(by), uow.actors.get(username)
        if by != username and not setter.has(Role.ADMINISTRATOR):
            raise PermissionRefused(f"{by} may not set the password of {username}")
        _set_password(uow, by, username, password, now)
        uow.commit()
    return person


def _set_password(uow: UnitOfWork, by: str, username: str, password: str, now: datetime) -> None:
    uow.accounts.set_password_hash(username, _hasher.hash(password), now)
    uow.accounts.drop_sessions_of(username)
    uow.audit.record(
        AuditEvent(
            actor=by,
            role=Role.ADMINISTRATOR.value if by != username else SELF,
            action="account.password_set",
            entity=Entity("user", username),
            at=now,
        )
    )


def log_in(
    uow: UnitOfWork, username: str, password: str, now: datetime | None = None, client: str = ""
) -> tuple[Actor, str]:
    """Check the password and open a session; returns the actor and the session token.
    A failure is audited with the client's address (the name as typed, cut to 64 characters)."""
    now = now_or(now)
    with uow:
        stored = uow.accounts.password_hash(username)
        if not _verified(stored or _DUMMY_HASH, password) or stored is None:
            _audit_failure(uow, username[:64], client, now)
            uow.commit()
            raise LoginFailed("wrong username or password")
        if uow.accounts.disabled(username):
            _audit_failure(uow, username, client, now)
            uow.commit()
            raise LoginFailed("this account is disabled; ask an administrator")
        actor = uow.actors.get(username)
        if _hasher.check_needs_rehash(stored):
            uow.accounts.set_password_hash(username, _hasher.hash(password), now)
        uow.accounts.drop_expired(now)
        stage = second_factor_stage(uow, actor)
        if stage is not None:
            token = open_session(uow, username, now, stage)
            uow.commit()
            return actor, token
        token = open_session(uow, username, now)
        uow.accounts.logged_in(username, now)
        uow.audit.record(
            AuditEvent(
                actor=username,
                role=SELF,
                action="account.login",
                entity=Entity("user", username),
                at=now,
            )
        )
        uow.commit()
    return actor, token


def second_factor_stage(uow: UnitOfWork, actor: Actor) -> str | None:
    """What the password alone leaves owing: "code" for an enrolled user, "enrol" for one whose
    roles the policy says need a second factor, None for the rest."""
    factor = uow.accounts.second_factor(actor.username)
    if factor is not None and factor.enrolled:
        return CODE
    return ENROL if account_rules(uow).needs_second_factor(actor.roles) else None


def account_rules(uow: UnitOfWork) -> AccountRules:
    """Within an open unit of work: the active policy's account rules (read only)."""
    return (uow.policies.active() or bundled_policy()).account_rules


def open_session(uow: UnitOfWork, username: str, now: datetime, stage: str | None = None) -> str:
    """Within an open unit of work: a new session token (one still owing a second factor lives
    only minutes)."""
    token = secrets.token_urlsafe(32)
    lifetime = SESSION_LIFETIME if stage is None else timedelta(minutes=PENDING_MINUTES)
    uow.accounts.add_session(_token_hash(token), username, now, now + lifetime, stage)
    return token


def pending_session(uow: UnitOfWork, token: str, now: datetime) -> tuple[str, str] | None:
    """Within an open unit of work: (username, stage owed) of a live session still owing a
    second factor, or None."""
    found = uow.accounts.find_session(_token_hash(token))
    if found is None or found.stage is None or not found.open_at(now):
        return None
    return found.username, found.stage


def complete_session(uow: UnitOfWork, token: str, username: str, now: datetime) -> str:
    """Within an open unit of work: swap a pending session for a full one (a new token, so a
    token seen before the second factor opens nothing), and record the login."""
    uow.accounts.drop_session(_token_hash(token))
    fresh = open_session(uow, username, now)
    uow.accounts.logged_in(username, now)
    uow.audit.record(
        AuditEvent(
            actor=username,
            role=SELF,
            action="account.login",
            entity=Entity("user", username),
            at=now,
        )
    )
    return fresh


def _audit_failure(uow: UnitOfWork, username: str, client: str, now: datetime) -> None:
    uow.audit.record(
        AuditEvent(
            actor=username,
            role=SELF,
            action="account.login_failed",
            entity=Entity("user", username),
            after={"client": client},
            at=now,
        )
    )


def _verified(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def session_actor(uow: UnitOfWork, token: str, now: datetime | None = None) -> Actor | None:
    """The actor a live session token belongs to, or None (unknown, expired or logged out)."""
    now = now_or(now)
    with uow:
        found = uow.accounts.find_session(_token_hash(token))
        idle = timedelta(minutes=account_rules(uow).idle_minutes)
        if found is None or found.stage is not None or not found.open_at(now, idle):
            return None
        try:
            actor = uow.actors.get(found.username)
        except NotFound:
            return None
        uow.accounts.touch_session(_token_hash(token), now)
        uow.commit()
        return actor


def log_out(uow: UnitOfWork, token: str) -> None:
    with uow:
        uow.accounts.drop_session(_token_hash(token))
        uow.commit()


def account_states(uow: UnitOfWork) -> dict[str, AccountState]:
    """Each login's state by username, for the administrators' page."""
    with uow:
        return uow.accounts.states()
