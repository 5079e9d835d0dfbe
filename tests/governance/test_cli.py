"""The command line drives a whole deployment, need to published register, on a real database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from pydantic import BaseModel
from typer.testing import CliRunner, Result

from govkit import authority, case, form
from openlfr.cli import app
from openlfr.store.migrate import shipped_revision

REF = "LFR-CLI-1"


class Cli:
    def __init__(self) -> None:
        self.runner = CliRunner()

    def __call__(self, *args: str, code: int = 0) -> Result:
        result = self.runner.invoke(app, list(args))
        assert result.exit_code == code, result.output
        return result


@pytest.fixture
def cli(sqlite_url: str, monkeypatch: pytest.MonkeyPatch) -> Cli:
    monkeypatch.setenv("OPENLFR_DATABASE_URL", sqlite_url)
    monkeypatch.delenv("OPENLFR_USER", raising=False)
    return Cli()


def _file(folder: Path, name: str, model: BaseModel) -> str:
    path = folder / name
    path.write_text(model.model_dump_json(), encoding="utf-8")
    return str(path)


def test_the_cli_runs_a_deployment_end_to_end(cli: Cli, tmp_path: Path) -> None:
    now = datetime.now(UTC)
    window = {"start": now - timedelta(minutes=5), "end": now + timedelta(hours=6)}
    case_file = _file(tmp_path, "case.json", case())
    form_file = _file(tmp_path, "form.json", form(**window))
    authority_file = _file(tmp_path, "authority.json", authority())

    assert f"revision {shipped_revision()}" in cli("db", "upgrade").output
    cli("users", "add", "admin", "Ada Admin", "--role", "administrator")
    for user, name, role, rank in [
        ("alice", "PS Alice", "applicant", "sergeant"),
        ("bob", "Supt Bob", "authorising_officer", "superintendent"),
        ("gail", "Ch Supt Gail", "gold", "chief_superintendent"),
        ("sam", "Insp Sam", "silver", "inspector"),
        ("bea", "PS Bea", "bronze", "sergeant"),
        ("otto", "Otto", "operator", None),
        ("eve", "PC Eve", "engagement_officer", "constable"),
    ]:
        ranked = ["--rank", rank] if rank else []
        cli("users", "add", user, name, "--role", role, *ranked, "--as", "admin")

    d = ["deployment"]
    cli(*d, "apply", "--as", "alice", "--case", case_file, "--form", form_file, "--reference", REF)
    cli(*d, "submit", REF, "--as", "alice")
    refused = cli(*d, "authorise", REF, "--as", "alice", "--authority", authority_file, code=2)
    assert "refused: alice does not hold the authorising_officer role" in refused.output
    cli(*d, "send-back", REF, "--as", "bob", "--reasons", "State the signage plan")
    cli(*d, "edit", REF, "--as", "alice", "--form", form_file)
    assert "version 2" in cli(*d, "submit", REF, "--as", "alice").output
    cli(*d, "authorise", REF, "--as", "bob", "--authority", authority_file)

    for post, person in [("silver", "sam"), ("bronze", "bea"), ("operator", "otto")]:
        cli(*d, "appoint", REF, post, person, "--as", "gail")
    cli(*d, "appoint", REF, "engagement_officer", "eve", "--as", "gail")
    cli(*d, "check", REF, "advance_notice", "--note", "Website, 48 h ahead", "--as", "sam")
    cli(*d, "check", REF, "signage", "--note", "12 signs", "--as", "sam")
    cli(*d, "check", REF, "roles", "--as", "gail")
    cli(*d, "check", REF, "trained_personnel", "--note", "All trained", "--as", "gail")
    snapshot = ["--snapshot", "sha256:abc", "--size", "300", "--category", "wanted_by_courts"]
    cli(*d, "watchlist-imported", REF, *snapshot, "--as", "gail")
    cli(*d, "cameras", REF, "cam-1", "--as", "gail")
    cli(*d, "ready", REF, "--as", "gail")
    assert f"{REF}: live" in cli(*d, "start", REF, "--as", "gail").output
    gate = ["--camera", "cam-1", "--snapshot", "sha256:abc"]
    cli(*d, "can-run", REF, *gate, "--threshold", "0.45")
    low = cli(*d, "can-run", REF, *gate, "--threshold", "0.2", code=2)
    assert "threshold 0.2 is below the approved 0.45" in low.output
    cli(*d, "pause", REF, "--reason", "Camera fault", "--as", "gail")
    cli(*d, "resume", REF, "--as", "gail")
    cli(*d, "stop", REF, "--reason", "Objective met", "--as", "gail")
    cli(*d, "close", REF, "--summary", "2 alerts, 1 arrest", "--as", "gail")
    cli(*d, "report", REF, "--summary", "Form 1 Part 3 submitted", "--as", "gail")
    assert f"{REF}: published" in cli(*d, "publish", REF, "--as", "gail").output

    shown = cli(*d, "show", REF).output
    assert "published" in shown and "version 2 submitted" in shown
    assert "sent_back by bob" in shown and "authorised by bob" in shown
    assert "intact" in cli("audit", "verify").output
    assert "register.published" in cli("audit", "log").output


def test_the_cli_explains_an_incomplete_application(cli: Cli, tmp_path: Path) -> None:
    cli("users", "add", "admin", "Ada Admin", "--role", "administrator")
    cli("users", "add", "alice", "PS Alice", "--role", "applicant", "--as", "admin")
    incomplete = form(special_categories=[{"category": "under_13"}])
    form_file = _file(tmp_path, "form.json", incomplete)
    case_file = _file(tmp_path, "c.json", case())
    cli("deployment", "apply", "--as", "alice", "--case", case_file, "--form", form_file)
    reference = cli("deployment", "list").output.split()[0]
    refused = cli("deployment", "submit", reference, "--as", "alice", code=2)
    assert "under-13s are proposed but no rationale is recorded" in refused.output


def test_a_bad_policy_file_is_named_by_line(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "policy.toml"
    path.write_text('name = "x"\nforce = \n', encoding="utf-8")
    refused = cli("policy", "validate", str(path), code=2)
    assert "line 2" in refused.output
