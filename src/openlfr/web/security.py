"""Browser-facing defences: security headers on every response, signed double-submit CSRF
tokens, the back-off on failed logins, and the client's address behind a proxy."""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import secrets
import time
from collections.abc import Callable, Sequence

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
    """Back-off after failed logins, never a lockout. Three tallies: the client, the account from
    that client, and the account from anywhere. After `free` failures a tally makes the next
    attempt wait 1, 2, 4... seconds up to `cap_seconds`; the account-from-anywhere tally stops at
    `account_cap_seconds`, so a stranger failing on purpose slows the administrator by at most
    that, while a guesser's own client and pair keep doubling."""

    def __init__(
        self,
        free: int = 5,
        cap_seconds: float = 900,
        account_cap_seconds: float = 30,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.free, self.cap, self.account_cap, self.clock = (
            free,
            cap_seconds,
            account_cap_seconds,
            clock,
        )
        self._tallies: dict[tuple[str, ...], tuple[int, float]] = {}

    def _keys(self, client: str, username: str) -> dict[tuple[str, ...], float]:
        user = username.strip().lower()[:64]
        return {
            ("client", client): self.cap,
            ("pair", client, user): self.cap,
            ("user", user): (self.account_cap),
        }

    def _remaining(self, key: tuple[str, ...], cap: float) -> float:
        failures, last = self._tallies.get(key, (0, 0.0))
        if failures < self.free:
            return 0
        delay = min(cap, 2.0 ** (failures - self.free))
        return max(0.0, last + delay - self.clock())

    def wait(self, client: str, username: str) -> float:
        """Seconds before this client may try this account again (0: now)."""
        return max(self._remaining(key, cap) for key, cap in self._keys(client, username).items())

    def failed(self, client: str, username: str) -> None:
        now = self.clock()
        if len(self._tallies) > 100_000:
            self._tallies = {k: v for k, v in self._tallies.items() if v[1] > now - self.cap}
        for key in self._keys(client, username):
            failures, _ = self._tallies.get(key, (0, now))
            self._tallies[key] = (failures + 1, now)

    def succeeded(self, client: str, username: str) -> None:
        for key in self._keys(client, username):
            if key[0] != "client":
                self._tallies.pop(key, None)


def client_address(peer: str, forwarded: str | None, trusted_proxies: Sequence[str]) -> str:
    """The client's address: the peer, unless the peer is a trusted proxy, when it is the last
    address in X-Forwarded-For that is not itself a trusted proxy (the one a proxy added)."""
    networks = [ipaddress.ip_network(proxy, strict=False) for proxy in trusted_proxies]

    def trusted(address: str) -> bool:
        try:
            ip = ipaddress.ip_address(address)
        except ValueError:
            return False
        return any(ip in network for network in networks)

    if not forwarded or not trusted(peer):
        return peer
    for hop in reversed([part.strip() for part in forwarded.split(",")]):
        try:
            ipaddress.ip_address(hop)
        except ValueError:
            return peer
        if not trusted(hop):
            return hop
    return peer
