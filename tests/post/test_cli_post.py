"""Every command after the deployment with its output and exit code: the cancellation report
(show, PDF, equitability evidence relied on, submit), the register, retention and the DPO's
redress question, each refused when it must be."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from scripted_deployment import EXPECTED, FACES_SEEN, SCRIPT, add_dpo, scripted_deployment

from command_line import Cli
from govkit import Flow
from openlfr.domain.register import REGISTER_COLUMNS
from openlfr.eval.equitability import EquitabilityEvidence
from openlfr.store.vault import Vault

LONDON = ("001", "002", "003", "004", "005", "006")


def test_the_report_is_shown_printed_submitted_and_published(
    cli: Cli, cli_vault: Vault, sqlite_flow: Flow, tmp_path: Path
) -> None:
    ref = scripted_deployment(sqlite_flow, cli_vault).reference
    draft = json.loads(cli("report", "show", ref).output)
    assert len(draft["alerts"]) == len(SCRIPT) and draft["metrics"]["faces_seen"] == FACES_SEEN
    pdf = tmp_path / "report.pdf"
    assert cli("report", "pdf", ref, "--out", str(pdf)).output == f"{ref}: written to {pdf}\n"
    assert pdf.read_bytes().startswith(b"%PDF")

    words = ["--evaluation", "Met its objective", "--lessons", "More signs at the exit"]
    assert "refused" in cli("report", "submit", ref, "--as", "otto", *words, code=2).output
    assert "refused" in cli("deployment", "publish", ref, "--as", "gail", code=2).output
    submitted = cli("report", "submit", ref, "--as", "gail", *words).output
    assert submitted == f"{ref}: cancellation report submitted\n"
    assert "refused" in cli("report", "submit", ref, "--as", "gail", *words, code=2).output
    assert cli("register", "export").output == ",".join(REGISTER_COLUMNS) + "\n"  # not yet
    cli("deployment", "publish", ref, "--as", "gail")

    [row] = list(csv.DictReader(io.StringIO(cli("register", "export").output)))
    assert int(row["Total alerts"]) == EXPECTED["alerts"]
    assert int(row["Outcomes (arrest)"]) == EXPECTED["arrest"]
    [entry] = json.loads(cli("register", "export", "--format", "json").output)
    assert entry == {c: entry[c] for c in REGISTER_COLUMNS} and entry["Faces seen"] == FACES_SEEN
    summary = cli("register", "summary").output
    assert summary.startswith(f"2030: 1 deployments, {FACES_SEEN} faces, 6 alerts")
    assert "crime_hotspot: 1 deployments, 6 alerts, 2 false alerts, 1 arrests" in summary


def test_equitability_evidence_is_measured_filed_and_relied_on(
    cli: Cli, cli_vault: Vault, sqlite_flow: Flow, data_dir: Path, tmp_path: Path
) -> None:
    london = data_dir / "redistributable" / "london-set"
    gallery = tmp_path / "gallery"
    for person in LONDON:
        (gallery / person).mkdir(parents=True)
        for photo in ("neutral_front.jpg", "smiling_front.jpg"):
            (gallery / person / photo).symlink_to(london / person / photo)
    dpo = add_dpo(sqlite_flow.uow)
    out = tmp_path / "evidence.json"
    measure = ["eval", "equitability", str(gallery), "--demographics"]
    measure += [str(london / "london_info.csv"), "--threshold", "0.45", "--workers", "1"]
    refused = cli(*measure, "--out", str(out), "--file-as", "otto", code=2)
    assert "refused" in refused.output
    measured = cli(*measure, "--out", str(out), "--file-as", dpo).output
    assert "Too small to conclude anything" in measured  # six people: said so, not hidden
    digest = EquitabilityEvidence.model_validate_json(out.read_text()).digest
    assert f"filedasversion1,{digest}" in "".join(measured.split())  # rich wraps long lines

    ref = sqlite_flow.closed()
    rely = ["report", "rely-on-evidence", ref]
    assert "refused" in cli(*rely, "sha256:" + "0" * 64, "--as", "bob", code=2).output
    assert "refused" in cli(*rely, digest, "--as", "otto", code=2).output
    relied = cli(*rely, digest, "--as", "bob").output
    assert relied == f"{ref}: relies on equitability evidence {digest}\n"


def test_retention_holds_releases_and_runs(
    cli: Cli, cli_vault: Vault, sqlite_flow: Flow, monkeypatch
) -> None:
    scripted = scripted_deployment(sqlite_flow, cli_vault)
    alert = scripted.alert_ids[0]
    planned = cli("retention", "report").output
    assert planned.startswith("due now: 0\nupcoming: ")  # the window is in 2030
    assert f"\talert\t{alert}\t{scripted.reference}\t" in planned
    hold = ["retention", "hold", alert, "--reason", "Evidence of assault", "--review"]
    assert "refused" in cli(*hold, "2099-01-01", "--as", "otto", code=2).output
    assert "refused" in cli(*hold, "2001-01-01", "--as", "gail", code=2).output  # past review
    held = cli(*hold, "2099-01-01", "--as", "gail").output
    assert held == f"{alert}: held as evidence until reviewed on 2099-01-01\n"
    assert f"held as evidence: 1\n  {alert}\treview 2099-01-01" in cli("retention", "report").output
    release = ["retention", "release", alert, "--reason", "Complaint resolved"]
    assert "refused" in cli(*release, "--as", "otto", code=2).output
    assert cli(*release, "--as", "gail").output == f"{alert}: hold released\n"
    ran = cli("retention", "run").output
    assert ran == "deleted 0 alerts, destroyed 0 watchlist snapshots\n"  # nothing due yet
    monkeypatch.delenv("OPENLFR_VAULT_KEY")
    assert "vault: no vault key" in cli("retention", "run", code=2).output


def test_redress_answers_the_dpo_with_references_only(
    cli: Cli, cli_vault: Vault, sqlite_flow: Flow
) -> None:
    dpo = add_dpo(sqlite_flow.uow)
    ref = scripted_deployment(sqlite_flow, cli_vault).reference
    assert "refused" in cli("redress", "WL-0001", "--as", "gail", code=2).output
    answer = cli("redress", "WL-0001", "--as", dpo).output
    assert answer.startswith(f"alert\t{ref}\t2030-06-01 10:20\ttrue_alert\tarrest\theld")
    unknown = cli("redress", "WL-9999", "--as", dpo).output
    assert unknown == "WL-9999: on no watchlist and in no alert\n"
