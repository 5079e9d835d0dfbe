"""How the console is run: database, cookie security and the secret that signs CSRF tokens."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field


def _flag(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    return default if raw is None else raw.strip().lower() in {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class WebSettings:
    """`secure_cookies` must stay on behind HTTPS; turn it off only for http://127.0.0.1 in
    development and tests (OPENLFR_SECURE_COOKIES=0), or browsers will not send the cookies."""

    database_url: str | None = None
    secure_cookies: bool = True
    secret: bytes = field(default_factory=lambda: secrets.token_bytes(32))
    login_failures_allowed: int = 5
    login_lockout_seconds: int = 900

    @classmethod
    def from_environment(cls) -> WebSettings:
        secret = os.environ.get("OPENLFR_SECRET")
        return cls(
            database_url=os.environ.get("OPENLFR_DATABASE_URL"),
            secure_cookies=_flag("OPENLFR_SECURE_COOKIES", True),
            **({"secret": secret.encode()} if secret else {}),
        )

    @property
    def session_cookie(self) -> str:
        """`__Host-` binds the cookie to this host and path /; browsers only allow it Secure."""
        return "__Host-openlfr_session" if self.secure_cookies else "openlfr_session"

    @property
    def csrf_cookie(self) -> str:
        return "__Host-openlfr_csrf" if self.secure_cookies else "openlfr_csrf"
