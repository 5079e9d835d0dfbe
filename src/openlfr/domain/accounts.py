"""The rules of a console account: how long a password must be, how long a session lasts, and
the refusals a person sees when logging in or choosing a password."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from openlfr.domain.errors import GovernanceError

MIN_PASSWORD_LENGTH = 12
SESSION_LIFETIME = timedelta(hours=12)
SELF = "self"
"""The audit role of a step a user takes on their own account (log in, change password)."""


class PasswordRejected(GovernanceError):
    """The new password does not meet the rules."""


class LoginFailed(GovernanceError):
    """Wrong username or password; deliberately does not say which."""


def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise PasswordRejected(f"a password needs at least {MIN_PASSWORD_LENGTH} characters")


@dataclass(frozen=True)
class LoginSession:
    """A session as stored: whose it is and until when it opens the console."""

    username: str
    expires_at: datetime

    def open_at(self, now: datetime) -> bool:
        return now < self.expires_at
