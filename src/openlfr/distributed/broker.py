"""The broker as OpenLFR uses it: where each message goes (stream and key names under one
namespace per deployment), how long a stream may grow, and the sealed envelope every message
travels in.

Every message body is AES-GCM under the shared broker key (`OPENLFR_BROKER_KEY`, never the vault
key), with the stream, kind and sender as associated data: a worker with another key, or a
message moved to another stream, fails authentication and is refused, not read."""

from __future__ import annotations

import base64
import binascii
import json
import os
from dataclasses import dataclass
from typing import Any

import redis
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from openlfr.domain.deployment import DeploymentRef

#: XADD ... MAXLEN bound (exact) of a decision stream: a matcher outage drops the oldest
#: messages (templates are then never compared, which is safe) rather than letting Redis grow.
DECIDE_MAXLEN = 10_000
#: Bound of a worker's crop-request stream.
REQUESTS_MAXLEN = 1_000
GROUP = "matchers"
NONCE_BYTES = 12


class BrokerError(Exception):
    """The broker is misconfigured (no key, the vault key reused, a malformed key)."""


class BrokerRefused(Exception):
    """A message failed authentication: sent under another broker key, or tampered with."""


def connect(url: str) -> redis.Redis:
    return redis.Redis.from_url(url, socket_timeout=10, health_check_interval=10)


@dataclass(frozen=True)
class Names:
    """Every stream and key of one deployment, under a namespace (one per test session)."""

    namespace: str
    deployment: DeploymentRef

    @property
    def base(self) -> str:
        return f"{self.namespace}:{self.deployment}"

    def decide(self, partition: int) -> str:
        """Templates, track ends and crops of the cameras routed to this partition."""
        return f"{self.base}:decide:{partition}"

    def requests(self, worker: str) -> str:
        """Crop requests from the matchers to one worker."""
        return f"{self.base}:worker:{worker}:requests"

    def alive(self, role: str, member: str) -> str:
        return f"{self.base}:{role}:{member}:alive"

    def alive_pattern(self, role: str) -> str:
        return f"{self.base}:{role}:*:alive"

    def lease(self, name: str) -> str:
        return f"{self.base}:lease:{name}"

    def evidence(self, track: str) -> str:
        return f"{self.base}:evidence:{track}"

    def episode(self, subject: str) -> str:
        """A subject's open alert, shared by the matchers (`episodes.SharedEpisodes`)."""
        return f"{self.base}:episode:{subject}"

    def decided(self, track: str) -> str:
        return f"{self.base}:decided:{track}"

    def refused(self, worker: str) -> str:
        return f"{self.base}:refused:{worker}"

    def stats(self, matcher: str) -> str:
        return f"{self.base}:matcher:{matcher}:stats"

    @property
    def alerts(self) -> str:
        """Pub/Sub channel: alert events for the consoles (`alert_feed`)."""
        return f"{self.base}:alerts"

    @property
    def config(self) -> str:
        """partitions and snapshot hash, set by the first matcher."""
        return f"{self.base}:config"

    @property
    def cameras(self) -> str:
        """camera -> source (URL or path on the worker's host)."""
        return f"{self.base}:cameras"

    @property
    def assignment(self) -> str:
        """camera -> worker."""
        return f"{self.base}:assignment"

    @property
    def state(self) -> str:
        """camera -> live | paused | stopped: reason (the run gate, asked centrally)."""
        return f"{self.base}:state"


@dataclass(frozen=True)
class Sealed:
    kind: str
    sender: str
    header: dict[str, Any]
    blob: bytes


class BrokerKey:
    def __init__(self, key: bytes) -> None:
        if len(key) != 32:
            raise BrokerError("the broker key must be 32 bytes (base64 in OPENLFR_BROKER_KEY)")
        self._aead = AESGCM(key)

    @classmethod
    def from_environment(cls) -> BrokerKey:
        raw = os.environ.get("OPENLFR_BROKER_KEY", "")
        if not raw:
            raise BrokerError("OPENLFR_BROKER_KEY is not set (openssl rand -base64 32)")
        if raw == os.environ.get("OPENLFR_VAULT_KEY"):
            raise BrokerError("the broker key must not be the vault key: use a key of its own")
        try:
            return cls(base64.b64decode(raw, validate=True))
        except binascii.Error as error:
            raise BrokerError("OPENLFR_BROKER_KEY is not base64") from error

    def seal(
        self, stream: str, kind: str, sender: str, header: dict[str, Any], blob: bytes = b""
    ) -> dict[str, bytes]:
        """Stream fields: the kind and sender in clear (routing), everything else sealed."""
        text = json.dumps(header, separators=(",", ":")).encode()
        nonce = os.urandom(NONCE_BYTES)
        body = len(text).to_bytes(4, "big") + text + blob
        sealed = self._aead.encrypt(nonce, body, _context(stream, kind, sender))
        return {"k": kind.encode(), "s": sender.encode(), "n": nonce, "c": sealed}

    def open(self, stream: str, fields: dict[bytes, bytes]) -> Sealed:
        kind, sender = fields[b"k"].decode(), fields[b"s"].decode()
        try:
            body = self._aead.decrypt(fields[b"n"], fields[b"c"], _context(stream, kind, sender))
        except (InvalidTag, KeyError) as error:
            raise BrokerRefused(f"a {kind} message from {sender} failed authentication") from error
        size = int.from_bytes(body[:4], "big")
        return Sealed(kind, sender, json.loads(body[4 : 4 + size]), body[4 + size :])


def _context(stream: str, kind: str, sender: str) -> bytes:
    return f"{stream}|{kind}|{sender}".encode()


def new_broker_key() -> str:
    return base64.b64encode(os.urandom(32)).decode()
