"""The rules of a console account: how long a password must be, how long a session lasts, and
the refusals a person sees when logging in or choosing a password."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from zxcvbn import zxcvbn

from openlfr.domain.errors import GovernanceError

MIN_PASSWORD_LENGTH = 12
MIN_SCORE = 3
"""zxcvbn's 0-4 scale; 3 is 'safely unguessable' (about 10^8 guesses or more)."""
MAX_CHECKED = 64
"""zxcvbn slows sharply (and refuses past 72) on long input: only this much is scored; a
passphrase longer than this is long enough anyway."""
SESSION_LIFETIME = timedelta(hours=12)
SELF = "self"
"""The audit role of a step a user takes on their own account (log in, change password)."""


class PasswordRejected(GovernanceError):
    """The new password does not meet the rules."""


class StillReferenced(GovernanceError):
    """A person named in records cannot be removed, only disabled."""


class LoginFailed(GovernanceError):
    """Wrong username or password; deliberately does not say which."""


def check_password(password: str, username: str = "") -> None:
    """Refuse, with the reason, a password that is short, blank, contains the user name, or
    that zxcvbn (common passwords, words, keyboard runs, dates) scores below MIN_SCORE."""
    if not password.strip():
        raise PasswordRejected("a password cannot be only spaces")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise PasswordRejected(f"a password needs at least {MIN_PASSWORD_LENGTH} characters")
    name = username.strip().lower()
    if len(name) >= 3 and name in password.lower():
        raise PasswordRejected("a password cannot contain your user name")
    scored = password[:MAX_CHECKED]
    if zxcvbn(scored, user_inputs=[name] if name else [])["score"] < MIN_SCORE:
        raise PasswordRejected(
            "this password is too easy to guess (a common password, word or pattern); "
            "try three or four unrelated words"
        )


@dataclass(frozen=True)
class LoginSession:
    """A session as stored: whose it is, until when, when last used, and whether it still owes
    the second factor (`stage`: "enrol" or "code"; None once the console is open to it)."""

    username: str
    expires_at: datetime
    last_seen_at: datetime | None = None
    stage: str | None = None

    def open_at(self, now: datetime, idle: timedelta | None = None) -> bool:
        if idle is not None and self.last_seen_at is not None and now >= self.last_seen_at + idle:
            return False
        return now < self.expires_at


@dataclass(frozen=True)
class SecondFactor:
    """A user's authenticator secret; `enrolled` once a code from it has been shown."""

    secret: str
    enrolled: bool
    last_step: int | None


@dataclass(frozen=True)
class AccountState:
    """What an administrator sees of a login: disabled or not, second factor, last login."""

    username: str
    has_password: bool
    disabled: bool
    second_factor: bool
    last_login_at: datetime | None
