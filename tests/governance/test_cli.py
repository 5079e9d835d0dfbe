"""The command line drives a whole deployment, need to published register, on a real database;
every governance command is run with its output and exit code, refusals included."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from pydantic import BaseModel

from command_line import Cli
from govkit import Flow, authority, case, form, oral
from openlfr import __version__
from openlfr.services import deployments
from openlfr.store.migrate import shipped_revision
from openlfr.store.uow import UnitOfWork

REF = "LFR-CLI-1"


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


POLICY = Path(__file__).parents[2] / "src" / "openlfr" / "domain" / "policy_mps.toml"


def test_version_and_the_schema_revision(cli: Cli) -> None:
    assert cli("version").output.strip() == __version__
    assert cli("db", "current").output.strip() == "empty (run: openlfr db upgrade)"
    cli("db", "upgrade")
    assert cli("db", "current").output.strip() == shipped_revision()


def test_users_and_the_policy_are_changed_by_administrators_only(cli: Cli) -> None:
    refused = cli("users", "add", "alice", "PS Alice", "--role", "applicant", code=2)
    assert "refused:" in refused.output  # the first user must be an administrator
    cli("users", "add", "admin", "Ada Admin", "--role", "administrator")
    cli("users", "add", "alice", "PS Alice", "--role", "applicant", "--as", "admin")
    by_alice = ["--role", "applicant", "--as", "alice"]
    assert "refused:" in cli("users", "add", "mal", "Mal", *by_alice, code=2).output
    assert "refused:" in cli("users", "update", "alice", "Alice", *by_alice, code=2).output
    renamed = ["--role", "applicant", "--rank", "sergeant", "--as", "admin"]
    assert cli("users", "update", "alice", "PS Alice Smith", *renamed).output == "updated alice\n"
    assert "alice\tPS Alice Smith\tsergeant\tapplicant" in cli("users", "list").output
    assert "mal" not in cli("users", "list").output

    shown = cli("policy", "show").output
    version = shown.splitlines()[0].removeprefix("version ")
    assert f"valid, version {version}" in cli("policy", "validate", str(POLICY)).output
    assert "refused:" in cli("policy", "install", str(POLICY), "--as", "alice", code=2).output
    assert "installed" in cli("policy", "install", str(POLICY), "--as", "admin").output
    assert cli("policy", "show", "--version", version).output == shown


def test_an_application_is_rejected_or_authorised_orally(
    cli: Cli, sqlite_flow: Flow, tmp_path: Path
) -> None:
    d = ["deployment"]
    rejected, urgent = sqlite_flow.submitted(), sqlite_flow.submitted()
    no_reason = cli(*d, "reject", rejected, "--as", "bob", "--reasons", " ", code=2)
    assert "refused" in no_reason.output
    assert (
        "refused" in cli(*d, "reject", rejected, "--as", "alice", "--reasons", "x", code=2).output
    )
    reasons = ["--reasons", "The need is not made out"]
    assert cli(*d, "reject", rejected, "--as", "bob", *reasons).output == f"{rejected}: rejected\n"
    assert "refused" in cli(*d, "reject", rejected, "--as", "bob", *reasons, code=2).output  # final

    oral_file = _file(tmp_path, "oral.json", oral())
    orally = ["authorise-orally", urgent, "--oral", oral_file]
    assert "refused" in cli(*d, *orally, "--as", "alice", code=2).output
    assert "oral_authorised; written authority due by" in cli(*d, *orally, "--as", "bob").output
    assert cli(*d, "lapse-overdue").output == ""  # the written record is not due yet
    assert f"{urgent}\toral_authorised" in cli(*d, "list", "--state", "oral_authorised").output


def test_an_overdue_oral_authority_lapses(cli: Cli, sqlite_uow: UnitOfWork) -> None:
    past = datetime(2024, 3, 1, 8, 0, tzinfo=UTC)  # everything happened then: overdue by now
    opened = deployments.open_deployment(sqlite_uow, "alice", case(), now=past)
    window = form(start=past + timedelta(hours=2), end=past + timedelta(hours=8))
    deployments.edit_application(sqlite_uow, "alice", opened.reference, form=window, now=past)
    deployments.submit(sqlite_uow, "alice", opened.reference, now=past)
    deployments.authorise_orally(sqlite_uow, "bob", opened.reference, oral(), now=past)
    assert cli("deployment", "lapse-overdue").output == f"{opened.reference}: lapsed\n"
    assert cli("deployment", "lapse-overdue").output == ""
    shown = json.loads(cli("deployment", "show", opened.reference, "--json").output)
    assert shown["state"] == "lapsed"


def test_an_unknown_deployment_is_named_in_the_refusal(cli: Cli) -> None:
    cli("db", "upgrade")
    refused = cli("deployment", "show", "LFR-NOPE", code=2)
    assert "LFR-NOPE" in refused.output
    assert cli("audit", "log", "--json").output == ""  # nothing happened, nothing recorded
