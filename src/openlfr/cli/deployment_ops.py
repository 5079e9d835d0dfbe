"""`openlfr deployment ...` after authority: command, checklist, live period, close, publish.
Merged into the `deployment` group by `deployment.py`."""

from __future__ import annotations

from typing import Annotated

import typer

from openlfr.cli._shared import ActingAs, Key, refusals, say, unit_of_work
from openlfr.domain.command import ChecklistItem, WatchlistImport
from openlfr.domain.roles import Role
from openlfr.services import operations

app = typer.Typer()
Reason = Annotated[str, typer.Option(help="Why.")]


@app.command("appoint")
@refusals
def appoint(
    key: Key,
    by: ActingAs,
    post: Annotated[Role, typer.Argument(help="silver, bronze, operator or engagement_officer")],
    people: Annotated[list[str], typer.Argument(help="Usernames appointed to the post.")],
) -> None:
    """Gold appoints the rest of the command structure."""
    say(operations.appoint(unit_of_work(), by, key, post, people))


@app.command("check")
@refusals
def check(
    key: Key,
    by: ActingAs,
    item: ChecklistItem,
    note: str = "",
    waived: Annotated[bool, typer.Option(help="Advance notice only: urgent, no notice.")] = False,
) -> None:
    """Tick a pre-deployment checklist item (advance_notice, signage, roles, trained_personnel)."""
    operations.tick(unit_of_work(), by, key, item, note, waived)
    typer.echo(f"{key}: {item.value} recorded")


@app.command("cameras")
@refusals
def cameras(key: Key, by: ActingAs, camera: Annotated[list[str], typer.Argument()]) -> None:
    """Record the cameras set up (each must be an authorised camera)."""
    operations.record_cameras(unit_of_work(), by, key, camera)
    typer.echo(f"{key}: cameras {', '.join(camera)} recorded")


@app.command("watchlist-imported")
@refusals
def watchlist_imported(
    key: Key,
    by: ActingAs,
    snapshot: Annotated[str, typer.Option(help="Hash of the frozen watchlist snapshot.")],
    size: Annotated[int, typer.Option()],
    category: Annotated[list[str], typer.Option(help="Repeat per category.")],
    special: Annotated[list[str] | None, typer.Option(help="Repeat per special category.")] = None,
) -> None:
    """Record the imported watchlist snapshot (normally done by the watchlist builder)."""
    imported = WatchlistImport(
        snapshot_hash=snapshot, size=size, categories=category, special_categories=special or []
    )
    operations.record_watchlist_import(unit_of_work(), by, key, imported)
    typer.echo(f"{key}: watchlist {snapshot} recorded")


@app.command("ready")
@refusals
def ready(key: Key, by: ActingAs) -> None:
    """Gold declares the checklist complete."""
    say(operations.mark_ready(unit_of_work(), by, key))


@app.command("start")
@refusals
def start(key: Key, by: ActingAs) -> None:
    """Go live (inside the authorised window only)."""
    say(operations.start(unit_of_work(), by, key))


@app.command("pause")
@refusals
def pause(key: Key, by: ActingAs, reason: Reason) -> None:
    """Gold pauses the live deployment."""
    say(operations.pause(unit_of_work(), by, key, reason))


@app.command("resume")
@refusals
def resume(key: Key, by: ActingAs) -> None:
    """Gold resumes a paused deployment (inside the window only)."""
    say(operations.resume(unit_of_work(), by, key))


@app.command("stop")
@refusals
def stop(key: Key, by: ActingAs, reason: Reason) -> None:
    """End the live period for good."""
    say(operations.stop(unit_of_work(), by, key, reason))


@app.command("close")
@refusals
def close(key: Key, by: ActingAs, summary: str = "") -> None:
    """Close the deployment; it can never be reopened."""
    say(operations.close(unit_of_work(), by, key, summary))


@app.command("report")
@refusals
def report(key: Key, by: ActingAs, summary: Annotated[str, typer.Option()]) -> None:
    """Record the submission of the cancellation report (Form 1 Part 3)."""
    operations.submit_cancellation_report(unit_of_work(), by, key, summary)
    typer.echo(f"{key}: cancellation report submitted")


@app.command("publish")
@refusals
def publish(key: Key, by: ActingAs) -> None:
    """Publish the deployment to the register (after the cancellation report)."""
    say(operations.publish(unit_of_work(), by, key))


@app.command("can-run")
@refusals
def can_run(
    key: Key,
    camera: Annotated[str, typer.Option()],
    snapshot: Annotated[str, typer.Option()],
    threshold: Annotated[float, typer.Option()],
) -> None:
    """Ask the run gate whether the live engine may process faces now with these settings."""
    permit = operations.run_permit(unit_of_work(), key, camera, snapshot, threshold)
    typer.echo(f"{key}: may run on {permit.camera_id} until {permit.until}")
