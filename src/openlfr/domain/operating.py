"""From authority to the published register: command, checklist, the live period and closure.

Gold runs the deployment: only the deployment's own Gold (or Silver, for checklist items) may
take these steps."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urlsplit, urlunsplit

from openlfr.domain.authorising import require_authority_in_force
from openlfr.domain.command import APPOINTABLE, ChecklistEntry, ChecklistItem, WatchlistImport
from openlfr.domain.deployment import Deployment, LiveEvent, Signed
from openlfr.domain.errors import ChecklistIncomplete, RunRefused, TransitionRefused
from openlfr.domain.permissions import require_post, require_role
from openlfr.domain.roles import Actor, Role
from openlfr.domain.run_gate import authorise_run


def appoint(d: Deployment, gold: Actor, post: Role, people: list[Actor], now: datetime) -> None:
    """Gold appoints the rest of the command; each appointee must hold the role."""
    d.begin("appoint")
    require_authority_in_force(d, now)
    require_post(gold, [d.command.gold], "Gold", "appoint the command structure")
    if post not in APPOINTABLE:
        raise TransitionRefused(f"{post.value} is not a post Gold appoints")
    for person in people:
        require_role(person, post, f"be appointed {post.value.replace('_', ' ')}")
    update = {post.value: [person.username for person in people]}
    d.command = d.command.model_copy(update=update)


def tick(
    d: Deployment, by: Actor, item: ChecklistItem, note: str, now: datetime, waived: bool = False
) -> None:
    """Record a checklist item. Only advance notice can be waived, and only with a reason."""
    _begin_checklist(d, by, now)
    if item is ChecklistItem.WATCHLIST_IMPORTED or item is ChecklistItem.CAMERAS:
        raise ChecklistIncomplete(f"{item.value} is recorded with its own step, not ticked")
    if waived and item is not ChecklistItem.ADVANCE_NOTICE:
        raise ChecklistIncomplete(f"{item.value} cannot be waived; only advance notice can")
    if item is ChecklistItem.ADVANCE_NOTICE and not note.strip():
        raise ChecklistIncomplete(
            "advance notice: record where it was published or, if waived, the urgent reason"
        )
    if item is ChecklistItem.ROLES and (gaps := d.command.gaps()):
        raise ChecklistIncomplete(f"roles cannot be confirmed: {'; '.join(gaps)}")
    _record(d, by, item, now, note, waived)


def record_watchlist_import(
    d: Deployment, by: Actor, imported: WatchlistImport, now: datetime
) -> None:
    """The frozen snapshot must stay inside the authorised composition and size."""
    _begin_checklist(d, by, now)
    terms = d.terms
    if not imported.snapshot_hash.strip():
        raise ChecklistIncomplete("watchlist: the snapshot hash is missing")
    if imported.size > terms.max_watchlist_size:
        raise ChecklistIncomplete(
            f"watchlist: {imported.size} entries exceed the authorised maximum "
            f"{terms.max_watchlist_size}"
        )
    if extra := set(imported.categories) - set(terms.watchlist_categories):
        raise ChecklistIncomplete(f"watchlist: categories {sorted(extra)} are not authorised")
    if extra := set(imported.special_categories) - set(terms.special_categories):
        raise ChecklistIncomplete(
            f"watchlist: special categories {sorted(extra)} are not authorised"
        )
    d.checklist = d.checklist.model_copy(update={"watchlist": imported})
    _record(d, by, ChecklistItem.WATCHLIST_IMPORTED, now, imported.snapshot_hash)


def record_cameras(d: Deployment, by: Actor, cameras: list[str], now: datetime) -> None:
    _begin_checklist(d, by, now)
    if not cameras:
        raise ChecklistIncomplete("cameras: no camera is listed")
    if extra := set(cameras) - set(d.terms.cameras):
        raise ChecklistIncomplete(f"cameras: {sorted(extra)} are not authorised cameras")
    d.checklist = d.checklist.model_copy(update={"cameras": cameras})
    _record(d, by, ChecklistItem.CAMERAS, now, ", ".join(cameras))


def mark_ready(d: Deployment, gold: Actor) -> None:
    d.begin("mark_ready")
    _require_gold(d, gold, "declare the deployment ready")
    _require_checklist_complete(d)
    d.finish("mark_ready")


def start(d: Deployment, gold: Actor, now: datetime) -> None:
    """Go live: only inside the authorised window and with every checklist item done."""
    d.begin("start")
    _require_gold(d, gold, "start the deployment")
    _require_checklist_complete(d)
    _require_in_window(d, now, "start")
    _log(d, "started", gold, now)
    d.finish("start")


def start_cameras(
    d: Deployment,
    by: Actor,
    sources: dict[str, str],
    snapshot_hash: str,
    threshold: float,
    now: datetime,
) -> None:
    """The deployment's Gold or Silver starts its cameras: each camera set up for it needs a
    source, and the run gate must permit every one now (live, in the window, authorised
    camera, the imported snapshot, no lower threshold). Logged with who and on what sources,
    credentials left out, so the timeline says who turned the cameras on."""
    require_camera_runner(d, by)
    if missing := [c for c in d.checklist.cameras if c not in sources]:
        raise RunRefused(f"choose a source for {', '.join(missing)}")
    for camera in sources:
        authorise_run(d, now, camera, snapshot_hash, threshold)
    on = ", ".join(f"{c} on {without_credentials(s)}" for c, s in sorted(sources.items()))
    _log(d, "cameras started", by, now, f"{on}; threshold {threshold}")


def require_camera_runner(d: Deployment, actor: Actor) -> None:
    """Only the deployment's Gold or Silver runs its cameras."""
    require_post(actor, [d.command.gold, *d.command.silver], "Gold or Silver", "run cameras")


def without_credentials(source: str) -> str:
    """A camera URL as a record may keep it: `rtsp://user:secret@host/s` -> `rtsp://host/s`."""
    parts = urlsplit(source)
    if parts.username is None and parts.password is None:
        return source
    host = parts.hostname or ""
    netloc = f"{host}:{parts.port}" if parts.port else host
    return urlunsplit(parts._replace(netloc=netloc))


def pause(d: Deployment, gold: Actor, reason: str, now: datetime) -> None:
    d.begin("pause")
    _require_gold(d, gold, "pause the deployment")
    _log(d, "paused", gold, now, _required(reason, "the reason to pause"))
    d.finish("pause")


def resume(d: Deployment, gold: Actor, now: datetime) -> None:
    d.begin("resume")
    _require_gold(d, gold, "resume the deployment")
    _require_in_window(d, now, "resume")
    _log(d, "resumed", gold, now)
    d.finish("resume")


def stop(d: Deployment, gold: Actor, reason: str, now: datetime) -> None:
    d.begin("stop")
    _require_gold(d, gold, "stop the deployment")
    _log(d, "stopped", gold, now, _required(reason, "the reason to stop"))
    d.finish("stop")


def close(d: Deployment, gold: Actor, summary: str, now: datetime) -> None:
    """Close for good: no later step can bring a closed deployment back to life."""
    d.begin("close")
    _require_gold(d, gold, "close the deployment")
    d.closure = Signed(by=gold.username, at=now, text=summary)
    d.finish("close")


def submit_cancellation_report(d: Deployment, gold: Actor, summary: str, now: datetime) -> None:
    """Form 1 Part 3. Records that it was submitted; the report itself is built elsewhere."""
    d.begin("report")
    _require_gold(d, gold, "submit the cancellation report")
    d.cancellation_report = Signed(
        by=gold.username, at=now, text=_required(summary, "the report's summary")
    )


def publish(d: Deployment, gold: Actor, now: datetime) -> None:
    d.begin("publish")
    _require_gold(d, gold, "publish the deployment to the register")
    if d.cancellation_report is None:
        raise TransitionRefused("the cancellation report (Form 1 Part 3) is not yet submitted")
    d.publication = Signed(by=gold.username, at=now)
    d.finish("publish")


def _begin_checklist(d: Deployment, by: Actor, now: datetime) -> None:
    d.begin("checklist")
    require_authority_in_force(d, now)
    require_post(
        by, [d.command.gold, *d.command.silver], "Gold or Silver", "record checklist items"
    )


def _record(
    d: Deployment, by: Actor, item: ChecklistItem, now: datetime, note: str, waived: bool = False
) -> None:
    entry = ChecklistEntry(done_by=by.username, done_at=now, note=note, waived=waived)
    entries = {**d.checklist.entries, item: entry}
    d.checklist = d.checklist.model_copy(update={"entries": entries})


def _require_gold(d: Deployment, actor: Actor, to: str) -> None:
    require_post(actor, [d.command.gold], "Gold", to)


def _require_checklist_complete(d: Deployment) -> None:
    if missing := d.checklist.missing():
        names = ", ".join(item.value.replace("_", " ") for item in missing)
        raise ChecklistIncomplete(f"the pre-deployment checklist is incomplete: {names}")


def _require_in_window(d: Deployment, now: datetime, step: str) -> None:
    start_at, end_at = d.window
    if now < start_at:
        raise RunRefused(f"cannot {step} before the authorised window opens at {start_at}")
    if now >= end_at:
        raise RunRefused(f"cannot {step}: the authorised window closed at {end_at}")


def _required(text: str, what: str) -> str:
    if not text.strip():
        raise TransitionRefused(f"{what} is not recorded")
    return text


def _log(d: Deployment, kind: str, by: Actor, now: datetime, reason: str = "") -> None:
    d.live_events.append(LiveEvent(kind=kind, at=now, by=by.username, reason=reason))
