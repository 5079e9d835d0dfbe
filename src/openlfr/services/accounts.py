"""Logging in to the web console: argon2 passwords for actors, and server-side sessions.

A session token is random, handed to the browser once and kept here only as its SHA-256, so a
stolen copy of the database opens no session. Setting a password and logging in are audited."""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from openlfr.domain.audit import AuditEvent, Entity
from openlfr.domain.errors import GovernanceError, NotFound, PermissionRefused
from openlfr.domain.roles import Actor, Role
from openlfr.services import users
from openlfr.services.clock import now_or
from openlfr.store.account_tables import AccountStore
from openlfr.store.uow import UnitOfWork

MIN_PASSWORD_LENGTH = 12
SESSION_LIFETIME = timedelta(hours=12)
SELF = "self"
"""The audit role of a step a user takes on their own account (log in, change password)."""

_hasher = PasswordHasher()
_DUMMY_HASH = _hasher.hash("not-a-real-password-only-for-equal-timing")


class PasswordRejected(GovernanceError):
    """The new password does not meet the rules."""


class LoginFailed(GovernanceError):
    """Wrong username or password; deliberately does not say which."""


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def needs_first_administrator(uow: UnitOfWork) -> bool:
    with uow:
        return uow.actors.count() == 0


def create_first_administrator(
    uow: UnitOfWork, actor: Actor, password: str, now: datetime | None = None
) -> Actor:
    """First run: the very first user, an administrator, with a password."""
    _check_password(password)
    users.add_user(uow, None, actor, now)
    return set_password(uow, actor.username, actor.username, password, now)


def set_password(
    uow: UnitOfWork, by: str, username: str, password: str, now: datetime | None = None
) -> Actor:
    """An administrator sets anyone's password; a user may change their own. Ends their sessions."""
    now = now_or(now)
    _check_password(password)
    with uow:
        setter, actor = uow.actors.get(by), uow.actors.get(username)
        if by != username and not setter.has(Role.ADMINISTRATOR):
            raise PermissionRefused(f"{by} may not set the password of {username}")
        store = AccountStore(uow.session)
        store.set_password_hash(username, _hasher.hash(password), now)
        store.drop_sessions_of(username)
        role = Role.ADMINISTRATOR.value if by != username else SELF
        uow.audit.record(
            AuditEvent(
                actor=by,
                role=role,
                action="account.password_set",
                entity=Entity("user", username),
                at=now,
            )
        )
        uow.commit()
    return actor


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise PasswordRejected(f"a password needs at least {MIN_PASSWORD_LENGTH} characters")


def log_in(
    uow: UnitOfWork, username: str, password: str, now: datetime | None = None
) -> tuple[Actor, str]:
    """Check the password and open a session; returns the actor and the session token."""
    now = now_or(now)
    with uow:
        store = AccountStore(uow.session)
        stored = store.password_hash(username)
        if not _verified(stored or _DUMMY_HASH, password) or stored is None:
            raise LoginFailed("wrong username or password")
        actor = uow.actors.get(username)
        if _hasher.check_needs_rehash(stored):
            store.set_password_hash(username, _hasher.hash(password), now)
        token = secrets.token_urlsafe(32)
        store.drop_expired(now)
        store.add_session(_token_hash(token), username, now, now + SESSION_LIFETIME)
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


def _verified(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def session_actor(uow: UnitOfWork, token: str, now: datetime | None = None) -> Actor | None:
    """The actor a live session token belongs to, or None (unknown, expired or logged out)."""
    now = now_or(now)
    with uow:
        found = AccountStore(uow.session).find_session(_token_hash(token))
        if found is None or _aware(found.expires_at) <= now:
            return None
        try:
            return uow.actors.get(found.username)
        except NotFound:
            return None


def _aware(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes; they were stored in UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def log_out(uow: UnitOfWork, token: str) -> None:
    with uow:
        AccountStore(uow.session).drop_session(_token_hash(token))
        uow.commit()


def users_with_password(uow: UnitOfWork) -> set[str]:
    with uow:
        return AccountStore(uow.session).usernames_with_password()
