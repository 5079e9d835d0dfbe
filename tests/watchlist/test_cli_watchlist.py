"""Every `openlfr watchlist` command with its output and exit code: the vault key, importing
real photos (a refused row, a possible duplicate), resolving, withdrawing, the snapshot, its
destruction and the DPO's redress question, each refused when it must be."""

from __future__ import annotations

import stat
from datetime import timedelta
from pathlib import Path

from watchlist_records import Row, portrait, write_import

from command_line import Cli
from govkit import START, Flow
from openlfr.domain.roles import Actor, Role
from openlfr.services import operations
from openlfr.services.users import add_user
from openlfr.store.vault import Vault

W = "watchlist"


def test_a_vault_key_file_is_written_once_and_only_readable_by_its_owner(
    cli: Cli, tmp_path: Path
) -> None:
    key = tmp_path / "vault.key"
    assert f"export OPENLFR_VAULT_KEY_FILE={key}" in cli(W, "vault-key", str(key)).output
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    written = key.read_bytes()
    refused = cli(W, "vault-key", str(key), code=2)
    assert "exists; refusing to overwrite a vault key" in refused.output
    assert key.read_bytes() == written


def test_records_go_from_import_to_a_snapshot_and_its_destruction(
    cli: Cli, cli_vault: Vault, sqlite_flow: Flow, data_dir: Path, tmp_path: Path
) -> None:
    rows = [
        Row("A1", "a1.jpg"),
        Row("A2", "a2.jpg"),
        Row("TWIN", "twin.jpg"),  # the same person as A2: a possible duplicate
        Row("LATE", "a3.jpg", review_date="not a date"),
    ]
    files = {
        "a1.jpg": portrait(data_dir, 1),
        "a2.jpg": portrait(data_dir, 2),
        "twin.jpg": portrait(data_dir, 2, smiling=True),
        "a3.jpg": portrait(data_dir, 3),
    }
    csv_path, images = write_import(tmp_path, rows, files)
    importing = [W, "import", str(csv_path), str(images)]
    assert "refused" in cli(*importing, "--as", "otto", code=2).output
    imported = cli(*importing, "--as", "alice").output
    assert "imported 3 records (3 images); replaced 0; refused 1 rows" in imported
    assert "line 5 LATE: " in imported
    assert "possible duplicate: A2 and TWIN" in imported

    reason = ["--reason", "Different people: checked by the custody record"]
    assert "refused" in cli(W, "resolve", "A1", "A2", "--as", "alice", *reason, code=2).output
    resolved = cli(W, "resolve", "A2", "TWIN", "--as", "alice", *reason).output
    assert resolved == "A2 and TWIN: resolved as different people\n"
    executed = ["--reason", "Warrant executed"]
    assert "refused" in cli(W, "withdraw", "A1", "--as", "otto", *executed, code=2).output
    assert cli(W, "withdraw", "A1", "--as", "alice", *executed).output == "A1: withdrawn\n"
    assert "refused" in cli(W, "withdraw", "A1", "--as", "alice", *executed, code=2).output

    ref = sqlite_flow.authorised()
    assert "refused" in cli(W, "snapshot", ref, "--as", "otto", code=2).output
    frozen = cli(W, "snapshot", ref, "--as", "gail").output
    assert "(2 records) imported" in frozen  # A2 and TWIN; A1 was withdrawn
    assert "false alerts per 10,000 passers-by" in frozen

    dpo = Actor(username="dora", display_name="Dora DPO", roles=frozenset({Role.DPO}))
    add_user(sqlite_flow.uow, "admin", dpo)
    assert "refused" in cli(W, "redress", "A2", "--as", "gail", code=2).output
    held = cli(W, "redress", "A2", "--as", "dora").output
    assert f"A2: {ref} as wanted_by_courts" in held and held.strip().endswith("held")
    assert cli(W, "redress", "A1", "--as", "dora").output == "A1: on no deployment's watchlist\n"

    assert "refused" in cli(W, "destroy", ref, "--as", "gail", code=2).output  # not finished
    _run_and_close(sqlite_flow, ref)
    assert "refused" in cli(W, "destroy", ref, "--as", "otto", code=2).output
    destroyed = cli(W, "destroy", ref, "--as", "gail").output
    assert destroyed.startswith("destroyed sha256:") and "2 templates and 2 images" in destroyed
    assert cli(W, "destroy-due").output == "0 snapshots destroyed\n"  # nothing left to sweep
    assert "destroyed" in cli(W, "redress", "A2", "--as", "dora").output


def test_the_vault_key_is_rotated_by_an_administrator_only(
    cli: Cli, cli_vault: Vault, sqlite_flow: Flow, tmp_path: Path
) -> None:
    successor = tmp_path / "next.key"
    refused = cli(W, "vault-rotate", str(successor), "--as", "alice", code=2)
    assert "refused" in refused.output and not successor.exists()  # no stray key left
    rotated = cli(W, "vault-rotate", str(successor), "--as", "admin").output
    assert "data keys now under" in rotated and stat.S_IMODE(successor.stat().st_mode) == 0o600


def test_the_sweep_destroys_a_finished_deployments_watchlist(
    cli: Cli, cli_vault: Vault, sqlite_flow: Flow, data_dir: Path, tmp_path: Path
) -> None:
    csv_path, images = write_import(
        tmp_path, [Row("A1", "a1.jpg")], {"a1.jpg": portrait(data_dir, 1)}
    )
    cli(W, "import", str(csv_path), str(images), "--as", "alice")
    ref = sqlite_flow.authorised()
    cli(W, "snapshot", ref, "--as", "gail")
    assert cli(W, "destroy-due").output == "0 snapshots destroyed\n"  # still authorised
    _run_and_close(sqlite_flow, ref)
    swept = cli(W, "destroy-due").output
    assert swept.startswith(f"{ref}: destroyed sha256:") and swept.endswith(
        "1 snapshots destroyed\n"
    )


def test_without_a_vault_key_nothing_is_imported(cli: Cli, tmp_path: Path) -> None:
    csv_path, images = write_import(tmp_path, [Row("A1", "a1.jpg")], {})
    refused = cli(W, "import", str(csv_path), str(images), "--as", "alice", code=2)
    assert "vault: no vault key" in refused.output


def _run_and_close(flow: Flow, ref: str) -> None:
    """Prepared, live, stopped and closed through the services, the watchlist still held."""
    flow.prepare(ref, watchlist=False)
    operations.mark_ready(flow.uow, "gail", ref, now=START)
    operations.start(flow.uow, "gail", ref, now=START + timedelta(minutes=5))
    flow.closed(ref)
