"""`openlfr deployment ...`: need to authority. Big forms are TOML or JSON files.
The steps after authority are in `deployment_ops.py`, merged into the same command group."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from openlfr.cli import deployment_ops
from openlfr.cli._shared import ActingAs, Reference, load_model, refusals, say, unit_of_work
from openlfr.domain.application import ApplicationForm, IntelligenceCase
from openlfr.domain.authority import OralAuthority, WrittenAuthority
from openlfr.domain.deployment import DeploymentRef, State
from openlfr.services import deployments

app = typer.Typer(help="Deployments from policing need to published register.")
app.add_typer(deployment_ops.app)

FormFile = Annotated[Path | None, typer.Option(help="Form 1 Part 1 as TOML or JSON.", exists=True)]
CaseFile = Annotated[Path | None, typer.Option(help="Form 3 as TOML or JSON.", exists=True)]
Reasons = Annotated[str, typer.Option(help="The AO's reasons.")]


@app.command("apply")
@refusals
def apply(
    by: ActingAs,
    case: Annotated[Path, typer.Option(help="Form 3 as TOML or JSON.", exists=True)],
    form: FormFile = None,
    reference: Annotated[
        DeploymentRef | None, typer.Option(parser=DeploymentRef, help="Your own reference.")
    ] = None,
) -> None:
    """Open a deployment with its intelligence case (and, optionally, the application form)."""
    uow = unit_of_work()
    d = deployments.open_deployment(uow, by, load_model(case, IntelligenceCase), reference)
    if form is not None:
        d = deployments.edit_application(
            uow, by, d.reference, form=load_model(form, ApplicationForm)
        )
    say(d)


@app.command("edit")
@refusals
def edit(ref: Reference, by: ActingAs, form: FormFile = None, case: CaseFile = None) -> None:
    """Replace the draft's application form and/or intelligence case."""
    say(
        deployments.edit_application(
            unit_of_work(),
            by,
            ref,
            case=load_model(case, IntelligenceCase) if case else None,
            form=load_model(form, ApplicationForm) if form else None,
        )
    )


@app.command("submit")
@refusals
def submit(ref: Reference, by: ActingAs) -> None:
    """Send the application to an Authorising Officer as a new version."""
    d = deployments.submit(unit_of_work(), by, ref)
    typer.echo(f"{d.reference}: submitted as version {d.current_version.number}")


@app.command("authorise")
@refusals
def authorise(
    ref: Reference,
    by: ActingAs,
    authority: Annotated[Path, typer.Option(help="Form 1 Part 2 as TOML or JSON.", exists=True)],
) -> None:
    """Grant the written authority (also the written record after an oral authority)."""
    say(deployments.authorise(unit_of_work(), by, ref, load_model(authority, WrittenAuthority)))


@app.command("authorise-orally")
@refusals
def authorise_orally(
    ref: Reference,
    by: ActingAs,
    oral: Annotated[Path, typer.Option(help="Urgency reason, scrutiny, terms.", exists=True)],
) -> None:
    """Urgent route: record an oral authority; the written one must follow in time."""
    d = deployments.authorise_orally(unit_of_work(), by, ref, load_model(oral, OralAuthority))
    typer.echo(f"{d.reference}: oral_authorised; written authority due by {d.oral_written_due}")


@app.command("reject")
@refusals
def reject(ref: Reference, by: ActingAs, reasons: Reasons) -> None:
    """Refuse the application, with reasons (final)."""
    say(deployments.reject(unit_of_work(), by, ref, reasons))


@app.command("send-back")
@refusals
def send_back(ref: Reference, by: ActingAs, reasons: Reasons) -> None:
    """Require amendments: the applicant edits and resubmits as a new version."""
    say(deployments.send_back(unit_of_work(), by, ref, reasons))


@app.command("lapse-overdue")
def lapse_overdue() -> None:
    """Lapse oral authorities whose written record is overdue (run it from a scheduler)."""
    for reference in deployments.lapse_overdue(unit_of_work()):
        typer.echo(f"{reference}: lapsed")


@app.command("list")
def list_command(state: State | None = None) -> None:
    """List deployments, newest change first."""
    for d in deployments.list_deployments(unit_of_work(), state):
        typer.echo(f"{d.reference}\t{d.state.value}\t{d.applicant}\t{d.intelligence_case.use_case}")


@app.command("show")
@refusals
def show(ref: Reference, as_json: bool = typer.Option(False, "--json")) -> None:
    """The deployment's state, versions, decisions, terms, command and checklist."""
    d = deployments.get_deployment(unit_of_work(), ref)
    if as_json:
        typer.echo(d.model_dump_json(indent=2))
        return
    typer.echo(f"{d.reference} ({d.id}): {d.state.value}; applicant {d.applicant}")
    for version in d.versions:
        typer.echo(f"  version {version.number} submitted {version.submitted_at}")
    for decision in d.decisions:
        on = f"v{decision.application_version} under policy {decision.policy_version[:12]}"
        typer.echo(f"  {decision.kind.value} by {decision.by} at {decision.at} on {on}")
    if d.command.gold:
        t = d.terms
        typer.echo(f"  terms: threshold {t.threshold}, cameras {t.cameras}")
        typer.echo(f"  watchlist at most {t.max_watchlist_size}")
        typer.echo(f"  categories {t.watchlist_categories}, special {t.special_categories}")
        typer.echo(f"  command: {d.command.model_dump()}")
        missing = [item.value for item in d.checklist.missing()]
        typer.echo(f"  checklist missing: {missing or 'nothing'}")
    for event in d.live_events:
        typer.echo(f"  {event.kind} at {event.at} by {event.by} {event.reason}")
