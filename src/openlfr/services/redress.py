"""Redress: the data protection officer asks whether a person reference was on any watchlist or
in any alert, and gets references, dates and outcomes, never images. Watchlists are listed by
the watchlist area (`watchlists.listings`); alerts here, from the alerts still held and the
receipts of those deleted. One question, one transaction, one audit record."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from openlfr.domain.audit import AuditEvent, Entity
from openlfr.domain.permissions import require_role
from openlfr.domain.register import AlertSummary
from openlfr.domain.roles import Role
from openlfr.services.clock import now_or
from openlfr.services.retention import deleted_alerts
from openlfr.services.steps import load_actor
from openlfr.services.watchlists import RedressEntry, listings
from openlfr.store.uow import UnitOfWork

ASKED = "redress.query"


@dataclass(frozen=True)
class AlertMention:
    deployment: str
    alert: AlertSummary
    deleted: bool


@dataclass(frozen=True)
class RedressAnswer:
    person_reference: str
    watchlists: list[RedressEntry]
    alerts: list[AlertMention]


def redress(
    uow: UnitOfWork, dpo: str, person_reference: str, now: datetime | None = None
) -> RedressAnswer:
    now = now_or(now)
    with uow:
        require_role(load_actor(uow, dpo), Role.DPO, "answer a redress request")
        listed = listings(uow, person_reference)
        mentions = _mentions(uow, person_reference)
        uow.audit.record(
            AuditEvent(
                actor=dpo,
                role=Role.DPO,
                action=ASKED,
                entity=Entity("watchlist_person", person_reference),
                after={
                    "deployments": [e.deployment for e in listed],
                    "alerts": [m.alert.alert_id for m in mentions],
                },
                at=now,
            )
        )
        uow.commit()
    return RedressAnswer(person_reference, listed, mentions)


def _mentions(uow: UnitOfWork, person_reference: str) -> list[AlertMention]:
    """The alerts on the person still held, and the receipts of those deleted, oldest first."""
    references = {d.id: d.reference for d in uow.deployments.list(None)}
    held = [AlertSummary.of(alert) for alert in uow.alerts.about(person_reference)]
    gone = [AlertSummary.model_validate(e.after["alert"]) for e in deleted_alerts(uow)]
    mentions = [
        AlertMention(references.get(a.deployment_id, a.deployment_id), a, deleted)
        for deleted, found in ((False, held), (True, gone))
        for a in found
        if a.subject == person_reference
    ]
    mentions.sort(key=lambda m: m.alert.raised_at)
    return mentions
