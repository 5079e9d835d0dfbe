"""`openlfr retention ...` and `openlfr redress`: deleting what is due, evidence holds, and the
data protection officer's redress question."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import typer

from openlfr.cli._shared import ActingAs, refusals, unit_of_work
from openlfr.services import retention
from openlfr.services.redress import redress as redress_service
from openlfr.store.vault import Vault

app = typer.Typer(help="Retention: delete what the policy says is due, with receipts.")


@app.command("run")
@refusals
def run() -> None:
    """Delete everything due now (alerts, watchlist snapshots); each leaves an audit receipt."""
    done = retention.run_due(unit_of_work, Vault.from_environment())
    typer.echo(
        f"deleted {len(done.alerts_deleted)} alerts, "
        f"destroyed {len(done.watchlist_receipts)} watchlist snapshots"
    )


@app.command("report")
def report() -> None:
    """What is due now, what later and when, and what is held as evidence."""
    plan = retention.schedule(unit_of_work())
    for title, items in (("due now", plan.due), ("upcoming", plan.upcoming)):
        typer.echo(f"{title}: {len(items)}")
        for i in items:
            typer.echo(
                f"  {i.due_at:%Y-%m-%d %H:%M}\t{i.kind}\t{i.entity_id}\t{i.deployment}\t{i.rule}"
            )
    typer.echo(f"held as evidence: {len(plan.held)}")
    for h in plan.held:
        overdue = " (REVIEW OVERDUE)" if h in plan.review_overdue else ""
        typer.echo(f"  {h.alert_id}\treview {h.review_date}{overdue}\t{h.held_by}: {h.reason}")


@app.command("hold")
@refusals
def hold(
    alert_id: str,
    by: ActingAs,
    reason: Annotated[str, typer.Option(help="Why the alert is kept as evidence.")],
    review: Annotated[str, typer.Option(help="Review date, YYYY-MM-DD.")],
) -> None:
    """Keep an alert past its retention period as evidence (Gold or DPO)."""
    retention.hold_as_evidence(unit_of_work(), by, alert_id, reason, date.fromisoformat(review))
    typer.echo(f"{alert_id}: held as evidence until reviewed on {review}")


@app.command("release")
@refusals
def release(alert_id: str, by: ActingAs, reason: Annotated[str, typer.Option()]) -> None:
    """End an evidence hold; the alert is then deleted at the next run if due."""
    retention.release_hold(unit_of_work(), by, alert_id, reason)
    typer.echo(f"{alert_id}: hold released")


@refusals
def redress(reference: str, by: ActingAs) -> None:
    """Was this person reference on any watchlist or in any alert? (DPO; no images)."""
    answer = redress_service(unit_of_work(), by, reference)
    for w in answer.watchlists:
        destroyed = f"destroyed {w.destroyed_at:%Y-%m-%d}" if w.destroyed_at else "not destroyed"
        typer.echo(f"watchlist\t{w.deployment}\t{w.built_at:%Y-%m-%d}\t{w.category}\t{destroyed}")
    for m in answer.alerts:
        a = m.alert
        typer.echo(
            f"alert\t{m.deployment}\t{a.raised_at:%Y-%m-%d %H:%M}\t"
            f"{a.verdict.value if a.verdict else 'not adjudicated'}\t"
            f"{a.outcome.value if a.outcome else '-'}\t{'deleted' if m.deleted else 'held'}"
        )
    if not answer.watchlists and not answer.alerts:
        typer.echo(f"{reference}: on no watchlist and in no alert")
