"""The whole demo in order: a fresh database and vault key, the cast, the deployment through the
real services, the live engine on the walk-past (or the user's camera), the console for the
operator's verdicts, then the end of the deployment and its register entry."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from queue import Queue
from typing import Any

from openlfr.demo import cast
from openlfr.demo.console import Console
from openlfr.demo.deployment import (
    CAMERA,
    Outcome,
    Prepared,
    apply_and_authorise,
    prepare,
    wind_up,
)
from openlfr.demo.material import make_walkpast
from openlfr.demo.watchlist import Casting, bundled_casting, folder_casting
from openlfr.domain.alerts import Alert
from openlfr.domain.deployment import DeploymentRef
from openlfr.domain.metrics import CameraMetrics
from openlfr.live.desk import AlertEvent
from openlfr.live.engine import LiveEngine
from openlfr.live.sources import Pacing
from openlfr.services.alerts import list_alerts
from openlfr.store.db import open_database
from openlfr.store.uow import UnitOfWork
from openlfr.store.vault import Vault, new_master_key
from openlfr.web.engines import Engines
from openlfr.web.live_state import LiveState

Say = Callable[[str], None]
DATABASE_FILES = ("openlfr.db", "openlfr.db-wal", "openlfr.db-shm")


def bundled_photos() -> Path:
    """`demo/photos` of the current folder, else of the source checkout this package runs from."""
    here = Path("demo/photos")
    return here if here.is_dir() else Path(__file__).resolve().parents[3] / "demo" / "photos"


@dataclass(frozen=True)
class DemoOptions:
    photos: Path = field(default_factory=bundled_photos)
    """The bundled people: the watchlist (unless `watchlist`) and the passers-by."""
    work: Path = Path("var/demo")
    watchlist: Path | None = None
    """A user's folder, one subfolder per person, instead of the bundled watchlist."""
    source: str | None = None
    """A webcam index or a video file instead of the walk-past."""
    walkers: int | None = None
    """Watchlisted people who walk past (the first of the casting); all of them by default."""
    passers_by: int = 10
    seconds: float | None = None
    """Stop the cameras after this long (a webcam never ends by itself)."""
    headless: bool = False
    port: int = 8000
    grace: float = 300.0
    """After the video: seconds left for the operator to adjudicate what is pending."""
    pacing: Pacing = Pacing.REALTIME
    seed: int = 7
    password: str | None = None


@dataclass(frozen=True)
class DemoResult:
    reference: DeploymentRef
    logins: cast.Logins
    prepared: Prepared
    truth: dict[str, Any] | None
    alerts: list[Alert]
    metrics: dict[str, CameraMetrics]
    stop_reason: str
    outcome: Outcome
    database: Path
    console: Console | None
    """Still up, so that the register can be looked at; the caller stops it."""


def run_demo(options: DemoOptions, say: Say = print) -> DemoResult:
    work = options.work
    work.mkdir(parents=True, exist_ok=True)
    for name in DATABASE_FILES:
        (work / name).unlink(missing_ok=True)
    os.environ["OPENLFR_VAULT_KEY"] = new_master_key()  # this process only; never on disk
    vault = Vault.from_environment(data_dirs=[work])
    database = open_database(f"sqlite:///{work / DATABASE_FILES[0]}")

    def uow() -> UnitOfWork:
        return UnitOfWork(database.sessions)

    now = datetime.now(UTC)
    logins = cast.enlist(uow, options.password or cast.new_password(), now)
    ref = apply_and_authorise(uow, now)
    say(f"{ref}: applied for by {cast.APPLICANT.username}, authorised by {cast.AO.username}")
    casting = _casting(options)
    source, truth = options.source, None
    if source is None:
        walkers = len(casting.enrolment) if options.walkers is None else options.walkers
        say(f"building the walk-past: {walkers} watchlisted, {options.passers_by} passers-by")
        video, truth = make_walkpast(
            casting, options.photos, work, walkers, options.passers_by, options.seed
        )
        source = str(video)
    prepared = prepare(uow, ref, casting, work, vault)
    say(
        f"{ref}: watchlist of {prepared.snapshot.size} frozen ({prepared.snapshot.snapshot_hash}); "
        f"live on {source}"
    )
    live = LiveState(vault=vault)
    console = None if options.headless else Console(database, live, options.port)
    if console is not None:
        console.start()
        say(_welcome(console.url, ref, logins))
    engines = console.engines if console is not None else Engines(live)
    inbox = live.hub.subscribe()
    engine = engines.start(
        database, vault, cast.GOLD_COMMANDER, ref, {CAMERA: source}, options.pacing
    )
    _watch(engine, options.seconds, lambda: _announce(inbox, say))
    if console is not None:
        _await_verdicts(uow, ref, options.grace, say)
    outcome = wind_up(uow, ref, vault, engine.stop_reason or "the camera's video ended")
    return DemoResult(
        reference=ref,
        logins=logins,
        prepared=prepared,
        truth=truth,
        alerts=list_alerts(uow(), ref),
        metrics=engine.metrics,
        stop_reason=engine.stop_reason or "the video ended",
        outcome=outcome,
        database=work / DATABASE_FILES[0],
        console=console,
    )


def _casting(options: DemoOptions) -> Casting:
    if options.watchlist is not None:
        return folder_casting(options.watchlist)
    return bundled_casting(options.photos, options.seed)


def _welcome(url: str, ref: str, logins: cast.Logins) -> str:
    people = "\n".join(
        f"  {a.username:<7} {', '.join(sorted(r.value for r in a.roles))}" for a in logins.people
    )
    return (
        f"\nThe console is up: {url}/login\n"
        f"Log in as {cast.OPERATOR.username} (the operator) with password {logins.password}\n"
        f"and adjudicate the alerts as they come: {url}/deployments/{ref}/console\n"
        f"Every demo account has the same password:\n{people}\n"
        "The operator, Gold, Silver, AO, DPO, auditor and administrator accounts also set up an\n"
        "authenticator app (a phone app's six-digit code) at their first login.\n"
    )


def _watch(engine: LiveEngine, seconds: float | None, tick: Callable[[], None]) -> None:
    """Until the video ends, the time is up, or Ctrl-C."""
    deadline = None if seconds is None else time.monotonic() + seconds
    try:
        while not engine.finished:
            if deadline is not None and time.monotonic() >= deadline:
                engine.stop(f"the demo's {seconds:g} s were up")
            tick()
            time.sleep(0.2)
    except KeyboardInterrupt:
        engine.stop("stopped with Ctrl-C")
    engine.join()
    tick()


def _announce(inbox: Queue[AlertEvent], say: Say) -> None:
    """One line per new alert as the engine raises it (data only; the image stays in the vault)."""
    while not inbox.empty():
        event = inbox.get_nowait()
        if event.kind == "raised":
            alert = event.alert
            say(f"alert: {alert.subject} (score {alert.score:.2f}) on {alert.camera}")


def _await_verdicts(
    uow: Callable[[], UnitOfWork], ref: DeploymentRef, grace: float, say: Say
) -> None:
    """Give the operator `grace` seconds to adjudicate what is pending; Ctrl-C ends it early."""
    deadline, told = time.monotonic() + grace, -1
    try:
        while pending := [a for a in list_alerts(uow(), ref) if a.adjudication is None]:
            if time.monotonic() >= deadline:
                say(f"{len(pending)} alerts left unadjudicated: the register counts them so")
                return
            if len(pending) != told:
                told = len(pending)
                say(f"the video is over; {told} alerts await a verdict (Ctrl-C to finish now)")
            time.sleep(1.0)
    except KeyboardInterrupt:
        return
