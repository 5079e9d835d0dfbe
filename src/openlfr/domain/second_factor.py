"""The second factor: time-based codes from an authenticator app (RFC 6238, 30-second steps)
and single-use recovery codes. Pure: the clock and the stored state are passed in."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

import pyotp

STEP_SECONDS = 30
DRIFT_STEPS = 1
"""A code from the step before or after is accepted too: phones' clocks drift."""
RECOVERY_CODES = 10
ISSUER = "OpenLFR"
ENROL, CODE = "enrol", "code"
"""What a session still owes after the password: setting up the app, or a code from it."""
PENDING_MINUTES = 10
"""How long a password-checked session may wait for its second factor."""


def new_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(secret: str, username: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=username, issuer_name=ISSUER)


def grouped(secret: str) -> str:
    """The secret in groups of four, for typing into an app by hand."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def accepted_step(secret: str, code: str, now: datetime, last_step: int | None) -> int | None:
    """The step the code belongs to, if it is right and newer than the last one accepted
    (so a code seen over a shoulder or replayed cannot be used again); otherwise None."""
    code = code.strip().replace(" ", "")
    if not (code.isdigit() and len(code) == 6):
        return None
    totp, current = pyotp.TOTP(secret), int(now.timestamp()) // STEP_SECONDS
    for step in range(current - DRIFT_STEPS, current + DRIFT_STEPS + 1):
        fresh = last_step is None or step > last_step
        if fresh and secrets.compare_digest(totp.at(step * STEP_SECONDS), code):
            return step
    return None


def new_recovery_codes() -> list[str]:
    """Ten codes of ten base-32 characters (50 bits each), as xxxxx-xxxxx."""
    alphabet = "abcdefghijkmnpqrstuvwxyz23456789"
    codes = []
    for _ in range(RECOVERY_CODES):
        raw = "".join(secrets.choice(alphabet) for _ in range(10))
        codes.append(f"{raw[:5]}-{raw[5:]}")
    return codes


def code_hash(code: str) -> str:
    return hashlib.sha256(code.strip().lower().encode()).hexdigest()
