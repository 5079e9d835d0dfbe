"""`openlfr deployment ...` after authority: command, checklist, live period, close, publish.
Merged into the `deployment` group by `deployment.py`."""

from __future__ import annotations

from typing import Annotated

import typer

from openlfr.cli._shared import ActingAs, Reference, refusals, say, unit_of_work
from openlfr.domain.command import ChecklistItem, WatchlistImport
from openlfr.domain.roles import Role
from openlfr.services import operations

app = typer.Typer()
Reason = Annotated[str, typer.Option(help="Why.")]


@app.command("appoint")
@refusals
def appoint(
    ref: Reference,
    by: ActingAs,
    post: Annotated[Role, typer.Argument(help="silver, bronze, operator or engagement_officer")],
    people: Annotated[list[str], typer.Argument(help="Usernames appointed to the post.")],
) -> None:
    """Gold appoints the rest of the command structure."""
    say(operations.appoint(unit_of_work(), by, ref, post, people))


@app.command("check")
@refusals
def check(
    ref: Reference,
    by: ActingAs,
    item: ChecklistItem,
    note: str = "",
    waived: Annotated[bool, typer.Option(help="Advance notice only: urgent, no notice.")] = False,
) -> None:
    """Tick a pre-deployment checklist item (advance_notice, signage, roles, trained_personnel)."""
    operations.tick(unit_of_work(), by, ref, item, note, waived)
    typer.echo(f"{ref}: {item.value} recorded")


@app.command("cameras")
@refusals
def cameras(ref: Reference, by: ActingAs, camera: Annotated[list[str], typer.Argument()]) -> None:
    """Record the cameras set up (each must be an authorised camera)."""
    operations.record_cameras(unit_of_work(), by, ref, camera)
    typer.echo(f"{ref}: cameras {', '.join(camera)} recorded")


@app.command("watchlist-imported")
@refusals
def watchlist_imported(
    ref: Reference,
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
    operations.record_watchlist_import(unit_of_work(), by, ref, imported)
    typer.echo(f"{ref}: watchlist {snapshot} recorded")


@app.command("ready")
@refusals
def ready(ref: Reference, by: ActingAs) -> None:
    """Gold declares the checklist complete."""
    say(operations.mark_ready(unit_of_work(), by, ref))


@app.command("start")
@refusals
def start(ref: Reference, by: ActingAs) -> None:
    """Go live (inside the authorised window only)."""
    say(operations.start(unit_of_work(), by, ref))


@app.command("pause")
@refusals
def pause(ref: Reference, by: ActingAs, reason: Reason) -> None:
    """Gold pauses the live deployment."""
    say(operations.pause(unit_of_work(), by, ref, reason))


@app.command("resume")
@refusals
def resume(ref: Reference, by: ActingAs) -> None:
    """Gold resumes a paused deployment (inside the window only)."""
    say(operations.resume(unit_of_work(), by, ref))


@app.command("stop")
@refusals
def stop(ref: Reference, by: ActingAs, reason: Reason) -> None:
    """End the live period for good."""
    say(operations.stop(unit_of_work(), by, ref, reason))


@app.command("close")
@refusals
def close(ref: Reference, by: ActingAs, summary: str = "") -> None:
    """Close the deployment; it can never be reopened."""
    say(operations.close(unit_of_work(), by, ref, summary))


@app.command("report")
@refusals
def report(ref: Reference, by: ActingAs, summary: Annotated[str, typer.Option()]) -> None:
    """Record the submission of the cancellation report (Form 1 Part 3)."""
    operations.submit_cancellation_report(unit_of_work(), by, ref, summary)
    typer.echo(f"{ref}: cancellation report submitted")


@app.command("publish")
@refusals
def publish(ref: Reference, by: ActingAs) -> None:
    """Publish the deployment to the register (after the cancellation report)."""
    say(operations.publish(unit_of_work(), by, ref))


@app.command("can-run")
@refusals
def can_run(
    ref: Reference,
    camera: Annotated[str, typer.Option()],
    snapshot: Annotated[str, typer.Option()],
    threshold: Annotated[float, typer.Option()],
) -> None:
    """Ask the run gate whether the live engine may process faces now with these settings."""
    permit = operations.run_permit(unit_of_work(), ref, camera, snapshot, threshold)
    typer.echo(f"{ref}: may run on {permit.camera_id} until {permit.until}")
