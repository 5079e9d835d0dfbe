"""`openlfr watchlist ...`: import records, build a deployment's snapshot, destroy, redress."""

from __future__ import annotations

import base64
import os
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

from openlfr.cli._shared import ActingAs, Reference, refusals, unit_of_work
from openlfr.services import vault_rotation, watchlist_destruction, watchlist_vetting, watchlists
from openlfr.services.watchlist_import import import_records
from openlfr.store.vault import Vault, new_master_key

app = typer.Typer(help="Watchlists: vetted records, frozen snapshots, destruction, redress.")
console = Console(stderr=True)


def _new_key_file(path: Path) -> str:
    """A fresh master ref written to `path` (mode 0600, never over an existing file)."""
    if path.exists():
        typer.echo(f"{path} exists; refusing to overwrite a vault key", err=True)
        raise typer.Exit(2)
    key = new_master_key()
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w") as handle:
        handle.write(key)
    return key


@app.command("vault-key")
def vault_key(
    path: Annotated[Path, typer.Argument(help="Where to write the new ref file.")],
) -> None:
    """Create a master ref file (mode 0600). Keep it away from the data directory and backups."""
    _new_key_file(path)
    typer.echo(f"wrote {path}; export OPENLFR_VAULT_KEY_FILE={path.resolve()}")


@app.command("vault-rotate")
@refusals
def vault_rotate(
    path: Annotated[Path, typer.Argument(help="Where to write the new ref file.")],
    by: ActingAs,
) -> None:
    """Wrap every data ref under a new master ref (written to PATH), so that once the current
    ref is destroyed, backups taken before a watchlist's destruction cannot be opened."""
    current = Vault.from_environment()
    successor = Vault(base64.b64decode(_new_key_file(path)))
    try:
        count = vault_rotation.rotate_master_key(unit_of_work(), by, current, successor)
    except BaseException:
        path.unlink()  # nothing was re-wrapped under it
        raise
    typer.echo(
        f"{count} data keys now under {path}: export OPENLFR_VAULT_KEY_FILE={path.resolve()} "
        "everywhere, then destroy the old ref (and every copy of it)"
    )


@app.command("import")
@refusals
def import_(
    csv_file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="Records CSV.")],
    images_dir: Annotated[Path, typer.Argument(exists=True, file_okay=False)],
    by: ActingAs,
    all_or_nothing: Annotated[
        bool, typer.Option(help="Store nothing if any row is refused.")
    ] = False,
) -> None:
    """Validate, quality-check, encrypt and store watchlist records; report each refused row."""
    vault = Vault.from_environment()
    columns = (BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress("[progress.description]{task.description}", *columns, console=console) as bar:
        task = bar.add_task("enrolling images", total=None)
        report = import_records(
            unit_of_work(),
            by,
            csv_file,
            images_dir,
            vault,
            all_or_nothing=all_or_nothing,
            progress=lambda done, total: bar.update(task, completed=done, total=total),
        )
    typer.echo(
        f"imported {len(report.imported)} records ({report.images} images); "
        f"replaced {len(report.replaced)}; refused {len(report.refused)} rows"
    )
    for row in report.refused:
        typer.echo(f"  line {row.line} {row.reference}: {'; '.join(row.reasons)}")
    for pair in report.duplicates:
        typer.echo(
            f"  possible duplicate: {pair.reference_a} and {pair.reference_b} "
            f"(score {pair.score:.2f}); resolve with `openlfr watchlist resolve`"
        )


@app.command("resolve")
@refusals
def resolve(first: str, second: str, by: ActingAs, reason: Annotated[str, typer.Option()]) -> None:
    """Record that two flagged records are different people."""
    watchlist_vetting.resolve_duplicate(unit_of_work(), by, first, second, reason)
    typer.echo(f"{first} and {second}: resolved as different people")


@app.command("withdraw")
@refusals
def withdraw(reference: str, by: ActingAs, reason: Annotated[str, typer.Option()]) -> None:
    """Take a record out of the pool; its images and templates are shredded."""
    watchlist_vetting.withdraw_record(
        unit_of_work(), by, reference, reason, Vault.from_environment()
    )
    typer.echo(f"{reference}: withdrawn")


@app.command("snapshot")
@refusals
def snapshot(
    ref: Reference,
    by: ActingAs,
    reference: Annotated[
        list[str] | None, typer.Option(help="Only these records (repeat); default: all that fit.")
    ] = None,
) -> None:
    """Gold or Silver freezes the deployment's watchlist and records it as imported."""
    report = watchlists.build_snapshot(
        unit_of_work(), by, ref, Vault.from_environment(), reference or None
    )
    typer.echo(f"{ref}: snapshot {report.snapshot_hash} ({report.size} records) imported")
    typer.echo(f"categories: {', '.join(report.categories)}")
    typer.echo(f"special categories: {', '.join(report.special_categories) or 'none'}")
    typer.echo(report.false_alerts)
    for left_out in report.excluded:
        typer.echo(f"  left out {left_out.reference}: {'; '.join(left_out.reasons)}")


@app.command("destroy")
@refusals
def destroy(ref: Reference, by: ActingAs) -> None:
    """Destroy a finished deployment's watchlist; the receipt goes into the audit chain."""
    for receipt in watchlist_destruction.destroy_for_deployment(
        unit_of_work(), by, ref, Vault.from_environment()
    ):
        typer.echo(
            f"destroyed {receipt.snapshot_hash}: {receipt.templates} templates and "
            f"{receipt.images} images (ciphertext sha256 {receipt.ciphertext_sha256})"
        )


@app.command("destroy-due")
def destroy_due() -> None:
    """Sweep (run from cron): destroy every finished deployment's remaining watchlist."""
    done = watchlist_destruction.destroy_due(unit_of_work(), Vault.from_environment())
    for receipt in done:
        late = " (after the policy deadline)" if receipt.overdue else ""
        typer.echo(f"{receipt.deployment}: destroyed {receipt.snapshot_hash}{late}")
    typer.echo(f"{len(done)} snapshots destroyed")


@app.command("redress")
@refusals
def redress(reference: str, by: ActingAs) -> None:
    """DPO: was this person on the watchlist of any deployment? (references only)."""
    found = watchlists.redress_query(unit_of_work(), by, reference)
    if not found:
        typer.echo(f"{reference}: on no deployment's watchlist")
    for entry in found:
        status = f"destroyed {entry.destroyed_at:%Y-%m-%d %H:%M}" if entry.destroyed_at else "held"
        special = f" ({', '.join(entry.special_categories)})" if entry.special_categories else ""
        typer.echo(
            f"{reference}: {entry.deployment} as {entry.category}{special}; "
            f"snapshot {entry.snapshot_hash}, {status}"
        )
