"""The watchlist side of an alert: the record's image, beside the live image, for the people
posted to the deployment who look at alerts. Every view is audited (it is a look at a person's
face), and nothing is served once the deployment's watchlist snapshot has been destroyed."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from openlfr.domain.alerts import Alert
from openlfr.domain.audit import AuditEvent, Entity
from openlfr.domain.deployment import Deployment
from openlfr.domain.errors import NotFound
from openlfr.domain.permissions import require_post
from openlfr.domain.watchlist import WatchlistRefused
from openlfr.services.alerts import VIEWING_POSTS
from openlfr.services.clock import now_or
from openlfr.services.steps import load_actor, post_of
from openlfr.services.watchlist_destruction import live_snapshot_ids
from openlfr.services.watchlists import load_live_watchlist
from openlfr.store.uow import UnitOfWork
from openlfr.store.vault import Vault

DESTROYED = "destroyed with the watchlist"


class WatchlistImages(Protocol):
    """What serves a snapshot's images: `services.watchlists.LiveWatchlist` is one."""

    def image(self, reference: str, position: int = 0) -> bytes: ...


class WatchlistImageGone(NotFound):
    """The snapshot that held the image no longer exists (or never did)."""


def _alert_and_deployment(uow: UnitOfWork, alert_id: str) -> tuple[Alert, Deployment]:
    alert = uow.alerts.get(alert_id)
    return alert, uow.deployments.get(alert.deployment_id)


def watchlist_image_kept(uow: UnitOfWork, alert_id: str) -> bool:
    """Whether the alert's deployment still has an undestroyed watchlist snapshot."""
    with uow:
        _, deployment = _alert_and_deployment(uow, alert_id)
        return bool(live_snapshot_ids(uow, deployment.id))


def view_watchlist_image(
    uow: UnitOfWork,
    by: str,
    alert_id: str,
    vault: Vault,
    watchlist: WatchlistImages | None = None,
    position: int = 0,
    now: datetime | None = None,
) -> bytes:
    """The image of the alert's watchlist record, for a holder of a post that views alerts;
    from `watchlist` (the running engine's) or else loaded from the snapshot. The view is
    audited before the image is returned."""
    at = now_or(now)
    with uow:
        alert, deployment = _alert_and_deployment(uow, alert_id)
        actor = load_actor(uow, by)
        holders = [name for post in VIEWING_POSTS for name in deployment.command.holders(post)]
        require_post(actor, holders, "command and operators", "view its watchlist images")
        role = post_of(deployment, actor)
        if not live_snapshot_ids(uow, deployment.id):
            raise WatchlistImageGone(f"the watchlist image of {alert.subject} was {DESTROYED}")
    try:
        source = watchlist or load_live_watchlist(uow, deployment.reference, vault)
        image = source.image(alert.subject, position)
    except WatchlistRefused as refusal:
        reason = f"the watchlist image is not available: {refusal.reason}"
        raise WatchlistImageGone(reason) from None
    with uow:
        uow.audit.record(
            AuditEvent(
                actor=by,
                role=role,
                action="watchlist.image_viewed",
                entity=Entity("alert", alert_id),
                before={},
                after={"subject": alert.subject, "position": position},
                at=at,
            )
        )
        uow.commit()
    return image
