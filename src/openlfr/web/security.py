"""Browser-facing defences: security headers on every response, signed double-submit CSRF
tokens, and a throttle on failed logins."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from collections import defaultdict, deque
from collections.abc import Callable

from starlette.types import ASGIApp, Message, Receive, Scope, Send

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
HEADERS = {
    "content-security-policy": CSP,
    "x-frame-options": "DENY",
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "cross-origin-opener-policy": "same-origin",
    "permissions-policy": "camera=(), microphone=(), geolocation=()",
}
NO_STORE = {"cache-control": "no-store"}
"""Pages can show alert images and names: no browser or proxy may keep a copy."""


class SecurityHeaders:
    """Pure ASGI so streamed responses (server-sent events) pass through untouched."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        static = scope["path"].startswith("/static/")

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                extra = HEADERS if static else {**HEADERS, **NO_STORE}
                for name, value in extra.items():
                    if name.encode() not in present:
                        headers.append((name.encode(), value.encode()))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, with_headers)


def new_csrf_seed() -> str:
    return secrets.token_urlsafe(32)


def csrf_token(secret: bytes, seed: str) -> str:
    """The token a form carries: an HMAC of the cookie's seed, so a forged cookie is useless."""
    return hmac.new(secret, seed.encode(), hashlib.sha256).hexdigest()


def csrf_valid(secret: bytes, seed: str | None, token: str | None) -> bool:
    if not seed or not token:
        return False
    return hmac.compare_digest(csrf_token(secret, seed), token)


class LoginThrottle:
    """After `allowed` failures for one username or one client within the window, refuse."""

    def __init__(
        self, allowed: int, window_seconds: int, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.allowed, self.window, self.clock = allowed, window_seconds, clock
        self._failures: dict[str, deque[float]] = defaultdict(deque)

    def _recent(self, key: str) -> deque[float]:
        failures, cutoff = self._failures[key], self.clock() - self.window
        while failures and failures[0] < cutoff:
            failures.popleft()
        return failures

    def blocked(self, client: str, username: str) -> bool:
        keys = (f"client:{client}", f"user:{username.lower()}")
        return any(len(self._recent(key)) >= self.allowed for key in keys)

    def failed(self, client: str, username: str) -> None:
        for key in (f"client:{client}", f"user:{username.lower()}"):
            self._recent(key).append(self.clock())

    def succeeded(self, username: str) -> None:
        self._failures.pop(f"user:{username.lower()}", None)
