"""How the console is run: database, cookie security, the secret that signs CSRF tokens, the
camera sources an administrator allows, the retention schedule, and the broker it hears the
matchers' alerts from in distributed mode."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field, replace


def _flag(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    return default if raw is None else raw.strip().lower() in {"1", "true", "yes", "on"}


def parse_sources(raw: str) -> dict[str, str]:
    """`name=source,name=source` (OPENLFR_CAMERA_SOURCES): a video file, an rtsp/http URL or
    a webcam index per name. Browser users pick a name; they never type a path or URL."""
    sources = {}
    for item in raw.split(","):
        name, _, source = item.partition("=")
        if name.strip() and source.strip():
            sources[name.strip()] = source.strip()
    return sources


@dataclass(frozen=True)
class WebSettings:
    """`secure_cookies` must stay on behind HTTPS; turn it off only for http://127.0.0.1 in
    development and tests (OPENLFR_SECURE_COOKIES=0), or browsers will not send the cookies."""

    database_url: str | None = None
    secure_cookies: bool = True
    secret: bytes = field(default_factory=lambda: secrets.token_bytes(32))
    login_failures_allowed: int = 5
    """Failed logins before the back-off starts (per client, per account)."""
    login_backoff_cap_seconds: int = 900
    trusted_proxies: tuple[str, ...] = ()
    """Addresses or networks of the HTTPS proxies in front (OPENLFR_TRUSTED_PROXIES, comma
    separated): only from these is X-Forwarded-For believed."""
    camera_sources: dict[str, str] = field(default_factory=dict)
    """The only sources the console may start a camera on, by name."""
    run_retention: bool = False
    """Run `services.retention.RetentionScheduler` while the app is up (`openlfr serve`)."""
    retention_interval_seconds: float = 3600.0
    broker_url: str | None = None
    """Distributed mode (OPENLFR_BROKER_URL): the matchers' alert events reach this console's
    queue (`distributed.alert_feed.AlertRelay`, with OPENLFR_BROKER_KEY)."""
    broker_namespace: str = "openlfr"

    @classmethod
    def from_environment(cls) -> WebSettings:
        secret = os.environ.get("OPENLFR_SECRET")
        settings = cls(
            database_url=os.environ.get("OPENLFR_DATABASE_URL"),
            secure_cookies=_flag("OPENLFR_SECURE_COOKIES", True),
            camera_sources=parse_sources(os.environ.get("OPENLFR_CAMERA_SOURCES", "")),
            retention_interval_seconds=float(
                os.environ.get("OPENLFR_RETENTION_INTERVAL_SECONDS", "3600")
            ),
            broker_url=os.environ.get("OPENLFR_BROKER_URL") or None,
            broker_namespace=os.environ.get("OPENLFR_BROKER_NAMESPACE", "openlfr"),
            trusted_proxies=tuple(
                proxy.strip()
                for proxy in os.environ.get("OPENLFR_TRUSTED_PROXIES", "").split(",")
                if proxy.strip()
            ),
        )
        return replace(settings, secret=secret.encode()) if secret else settings

    @property
    def session_cookie(self) -> str:
        """`__Host-` binds the cookie to this host and path /; browsers only allow it Secure."""
        return "__Host-openlfr_session" if self.secure_cookies else "openlfr_session"

    @property
    def csrf_cookie(self) -> str:
        return "__Host-openlfr_csrf" if self.secure_cookies else "openlfr_csrf"
