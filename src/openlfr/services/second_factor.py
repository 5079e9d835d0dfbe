"""Enrolling and checking the second factor of a session that has passed the password.

Enrolment keeps a fresh secret until a code from it is shown, then issues the ten recovery
codes (shown once, kept hashed). Every step is audited; an administrator may reset a lost
factor, which ends the person's sessions so they enrol again at their next login."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from openlfr.domain.accounts import SELF, LoginFailed, SecondFactor
from openlfr.domain.audit import AuditEvent, Entity
from openlfr.domain.errors import PermissionRefused
from openlfr.domain.permissions import require_role
from openlfr.domain.roles import Role
from openlfr.domain.second_factor import (
    CODE,
    ENROL,
    accepted_step,
    code_hash,
    new_recovery_codes,
    new_secret,
    provisioning_uri,
)
from openlfr.services.accounts import complete_session, pending_session
from openlfr.services.clock import now_or
from openlfr.store.uow import UnitOfWork


@dataclass(frozen=True)
class Enrolment:
    username: str
    secret: str
    uri: str


@dataclass(frozen=True)
class Enrolled:
    token: str
    recovery_codes: list[str]


def _pending(uow: UnitOfWork, token: str, stage: str, now: datetime) -> str:
    found = pending_session(uow, token, now)
    if found is None or found[1] != stage:
        raise PermissionRefused("log in with your password first")
    return found[0]


def pending_stage(uow: UnitOfWork, token: str, now: datetime | None = None) -> str | None:
    """The second-factor step this session token still owes, if any."""
    with uow:
        found = pending_session(uow, token, now_or(now))
        return found[1] if found else None


def pending_user(uow: UnitOfWork, token: str, now: datetime | None = None) -> str:
    """Whose password this pending session checked ("" when none): wrong codes are throttled
    per account, like wrong passwords."""
    with uow:
        found = pending_session(uow, token, now_or(now))
        return found[0] if found else ""


def start_enrolment(uow: UnitOfWork, token: str, now: datetime | None = None) -> Enrolment:
    """The secret to enrol (the same one until it is confirmed, so a reload shows one QR)."""
    now = now_or(now)
    with uow:
        username = _pending(uow, token, ENROL, now)
        factor = uow.accounts.second_factor(username)
        if factor is None or factor.enrolled:
            secret = new_secret()
            uow.accounts.begin_second_factor(username, secret)
            uow.commit()
        else:
            secret = factor.secret
        return Enrolment(username, secret, provisioning_uri(secret, username))


def confirm_enrolment(
    uow: UnitOfWork, token: str, code: str, now: datetime | None = None
) -> Enrolled:
    """A code from the new secret proves the app holds it: enrol, issue recovery codes, open."""
    now = now_or(now)
    with uow:
        username = _pending(uow, token, ENROL, now)
        factor = uow.accounts.second_factor(username)
        step = _step(factor, code, now)
        if step is None:
            _audit(uow, username, "account.second_factor_failed", now)
            uow.commit()
            raise LoginFailed("that code is not right; type the six digits the app shows now")
        uow.accounts.accept_step(username, step, now)
        codes = new_recovery_codes()
        uow.accounts.replace_recovery_codes(username, [code_hash(c) for c in codes])
        _audit(uow, username, "account.second_factor_enrolled", now)
        fresh = complete_session(uow, token, username, now)
        uow.commit()
    return Enrolled(fresh, codes)


def verify_code(uow: UnitOfWork, token: str, code: str, now: datetime | None = None) -> str:
    """A code from the app, or an unspent recovery code: the session opens (a new token)."""
    now = now_or(now)
    with uow:
        username = _pending(uow, token, CODE, now)
        factor = uow.accounts.second_factor(username)
        step = _step(factor, code, now)
        if step is not None:
            uow.accounts.accept_step(username, step, now)
        elif uow.accounts.use_recovery_code(username, code_hash(code), now):
            _audit(uow, username, "account.recovery_code_used", now)
        else:
            _audit(uow, username, "account.second_factor_failed", now)
            uow.commit()
            raise LoginFailed("that code is not right, or was used already")
        fresh = complete_session(uow, token, username, now)
        uow.commit()
    return fresh


def reset_second_factor(
    uow: UnitOfWork, by: str, username: str, now: datetime | None = None
) -> None:
    """An administrator clears a lost factor; the person enrols again at their next login."""
    now = now_or(now)
    with uow:
        require_role(uow.actors.get(by), Role.ADMINISTRATOR, "reset a second factor")
        uow.accounts.clear_second_factor(username)
        uow.accounts.drop_sessions_of(username)
        uow.audit.record(
            AuditEvent(
                actor=by,
                role=Role.ADMINISTRATOR,
                action="account.second_factor_reset",
                entity=Entity("user", username),
                at=now,
            )
        )
        uow.commit()


def _step(factor: SecondFactor | None, code: str, now: datetime) -> int | None:
    return accepted_step(factor.secret, code, now, factor.last_step) if factor else None


def _audit(uow: UnitOfWork, username: str, action: str, now: datetime) -> None:
    uow.audit.record(
        AuditEvent(
            actor=username, role=SELF, action=action, entity=Entity("user", username), at=now
        )
    )
