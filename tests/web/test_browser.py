"""One deployment through a real browser (Debian's chromium), from a new application to its
published register entry: every person logs in and does their step by clicking. Gold imports
four walk-past people with their photos and freezes the snapshot, starts the camera on the
first seconds of walkpast.mp4 (an allow-listed source), and the real engine's alert reaches
the operator by server-sent events; after the stop the DPO's retention run destroys the
watchlist, Gold submits the cancellation report and the register shows the figures."""

from __future__ import annotations

import csv
import json
import os
import socket
import threading
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import cv2
import pytest
import uvicorn
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, expect, sync_playwright
from web_world import DPO, PASSWORD, Phone

from environment import CHROMIUM, missing
from govkit import PEOPLE
from openlfr.biometrics.embedder import SFACE_SPEC
from openlfr.domain.equitability import EquitabilityEvidence
from openlfr.services import accounts, reports
from openlfr.services.equitability import store_evidence
from openlfr.services.users import add_user
from openlfr.store.db import Database, open_database
from openlfr.store.uow import UnitOfWork
from openlfr.store.vault import Vault
from openlfr.web.app import create_app
from openlfr.web.live_state import LiveState
from openlfr.web.settings import WebSettings

CHROMIUM_BINARY = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).parents[2] / "test-artifacts" / "web"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


WATCHLISTED = ("Richard_Gere", "Ahmed_Chalabi", "Karen_Mok", "Sean_Astin")
"""Richard_Gere is the first watchlisted person to walk past (truth.json: frames 92-147)."""
CLIP_FRAMES = 160
SOURCE = "walkpast-clip"


def cut_clip(video: Path, out: Path, frames: int) -> Path:
    """The first `frames` frames of the walk-past video, as the camera the console runs."""
    reader = cv2.VideoCapture(str(video))
    fps = reader.get(cv2.CAP_PROP_FPS)
    ok, frame = reader.read()
    assert ok, video
    height, width = frame.shape[:2]
    writer = cv2.VideoWriter(str(out), cv2.VideoWriter_fourcc(*"mp4v"), fps, (width, height))
    for _ in range(frames):
        writer.write(frame)
        ok, frame = reader.read()
        if not ok:
            break
    writer.release()
    reader.release()
    return out


def watchlist_upload(walkpast: Path, out: Path) -> tuple[Path, list[Path]]:
    """A pool CSV (docs/WATCHLISTS.md) for the watchlisted people, and their enrolment photos."""
    truth = json.loads((walkpast / "truth.json").read_text())
    review = (date.today() + timedelta(days=365)).isoformat()
    images, rows = [], []
    for person in WATCHLISTED:
        photo = walkpast / truth["watchlist"][person][0]
        images.append(photo)
        rows.append(
            {
                "reference": person,
                "category": "wanted_by_courts",
                "legal_basis": f"Warrant for {person} (Magistrates)",
                "date_of_birth": "1970-01-01",
                "review_date": review,
                "image": photo.name,
                "image_source": "police",
                "captured_on": "2024-01-01",
                "disabled": "no",
                "gender_transition": "no",
            }
        )
    with (out / "records.csv").open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return out / "records.csv", images


class Site:
    def __init__(self, path: Path, clip: Path) -> None:
        self.database: Database = open_database(f"sqlite:///{path / 'browser.db'}")
        self.live = LiveState(vault=Vault(os.urandom(32)))
        self.phone = Phone()
        settings = WebSettings(secure_cookies=False, camera_sources={SOURCE: str(clip)})
        app = create_app(settings, self.database, self.live, clock=self.phone.clock)
        port = _free_port()
        self.url = f"http://127.0.0.1:{port}"
        config = uvicorn.Config(
            app, host="127.0.0.1", port=port, log_level="warning", timeout_graceful_shutdown=1
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        while not self.server.started:
            time.sleep(0.05)

    def uow(self) -> UnitOfWork:
        return UnitOfWork(self.database.sessions)

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(10)
        self.database.dispose()


@pytest.fixture
def walkpast(data_dir: Path) -> Path:
    return data_dir / "walkpast-dev"


@pytest.fixture
def site(tmp_path: Path, walkpast: Path) -> Iterator[Site]:
    clip = cut_clip(walkpast / "walkpast.mp4", tmp_path / "clip.mp4", CLIP_FRAMES)
    running = Site(tmp_path, clip)
    yield running
    running.stop()


@pytest.fixture(scope="session")
def chromium() -> str:
    """Debian's chromium; session-scoped so that, with the shared data also missing, the
    banner names the browser (the data has other tests to name it)."""
    if not os.access(CHROMIUM_BINARY, os.X_OK):
        missing(CHROMIUM, f"no browser at {CHROMIUM_BINARY}")
    return CHROMIUM_BINARY


@pytest.fixture(scope="module")
def browser(chromium: str) -> Iterator[Browser]:
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium, args=ARGS)
        yield launched
        launched.close()


def shot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def as_user(browser: Browser, site: Site, username: str, width: int = 1280) -> Page:
    page = browser.new_context(viewport={"width": width, "height": 900}).new_page()
    page.goto(f"{site.url}/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button:has-text('Log in')")
    page.wait_for_load_state()
    if "/login/code" in page.url:  # the person's role needs the second factor
        page.fill("input[name=code]", site.phone.code_for(username))
        page.click("button:has-text('Log in')")
    expect(page.locator(".who")).to_be_visible()
    return page


def enrol_in_browser(page: Page, site: Site, username: str) -> None:
    """Set up the authenticator from the key the page shows, as a person types it into a phone."""
    expect(page.locator("h1")).to_have_text("Set up your second step")
    site.phone.secrets[username] = page.inner_text("code.secret").replace(" ", "")
    page.fill("input[name=code]", site.phone.code_for(username))
    page.click("button:has-text('Finish setting up')")
    expect(page.locator("h1")).to_have_text("Your recovery codes")
    expect(page.locator("li.recovery")).to_have_count(10)


def fill(page: Page, values: dict[str, str]) -> None:
    for name, value in values.items():
        page.fill(f"[name='{name}']", value)


def first_run(browser: Browser, site: Site) -> None:
    """The administrator is created in the browser; the rest of the cast by the service."""
    page = browser.new_context().new_page()
    page.goto(site.url)
    expect(page).to_have_url(f"{site.url}/setup")
    fill(page, {"username": "root", "display_name": "Root Admin", "password": PASSWORD})
    page.click("button:has-text('Create administrator')")
    enrol_in_browser(page, site, "root")
    page.click("text=Continue to OpenLFR")
    expect(page.locator("h1")).to_have_text("Users")
    for person in [*PEOPLE[1:], DPO]:
        add_user(site.uow(), "root", person)
        accounts.set_password(site.uow(), "root", person.username, PASSWORD)
        site.phone.enrol(site.database, person.username)
    page.context.close()


def apply(browser: Browser, site: Site, start: datetime, end: datetime) -> str:
    page = as_user(browser, site, "alice")
    page.click("text=New application")
    page.select_option("[name=use_case]", "crime_hotspot")
    fill(
        page,
        {
            "deployment_reference": "LFR-WEB-1",
            "policing_need": "Knife crime around the high street has doubled this year.",
            "evidence_for_need": "48 knife offences within 300 m in six months.",
            "evidence_for_place": "Hotspot analysis ranks the station exit first.",
            "evidence_for_people": "Eleven wanted suspects frequent the area.",
        },
    )
    page.click("button:has-text('Open the application')")
    fill(
        page,
        {
            "location": "High Street station exit",
            "start": start.strftime("%Y-%m-%dT%H:%M"),
            "end": end.strftime("%Y-%m-%dT%H:%M"),
            "rationale": "Most offences and the best sight lines.",
        },
    )
    shot(page, "02-application-section-1")
    page.click("button:has-text('Save and continue')")
    fill(
        page,
        {
            "legal_basis": "Common law policing powers; DPA 2018 Part 3.",
            "legitimate_aims": "prevention of disorder or crime",
            "how_achieved": "Locating people wanted for knife offences.",
        },
    )
    page.click("button:has-text('Save and continue')")
    page.check("[name=echr_articles][value='8']")
    page.select_option("[name=schedule8_condition]", "statutory_purposes")
    fill(page, {"sensitive_processing_rationale": "Necessary for law enforcement."})
    page.click("button:has-text('Save and continue')")
    fill(page, {"pressing_social_need": "Serious violence.", "strict_necessity": "Patrols failed."})
    page.click("button:has-text('Save and continue')")
    fill(
        page,
        {
            "importance_of_objective": "Preventing serious violence.",
            "alternatives_considered": "Patrols, CCTV review.",
            "public_awareness": "Website notice 48 h ahead; signage.",
            "least_intrusion": "Six-hour window; non-matches deleted at once.",
        },
    )
    page.click("button:has-text('Save and continue')")
    page.check("[name=categories][value='wanted_by_courts']")
    fill(
        page,
        {
            "approximate_size": "400",
            "intelligence_support": "Offenders linked to the hotspot.",
            "necessity_and_proportionality": "Only those linked to violence here.",
        },
    )
    page.click("button:has-text('Save and continue')")
    page.click("button:has-text('Save and continue')")  # Section 7: no special category
    review = (end + timedelta(days=365)).strftime("%Y-%m-%d")
    for name in page.locator("input[name$=':version']").evaluate_all("els => els.map(e => e.name)"):
        key = name.split(":")[0]
        fill(page, {f"{key}:version": "1.2", f"{key}:review_date": review})
    fill(page, {"compliance_statement": "Complies with policy s5 and SOP s5-6."})
    page.click("button:has-text('Save and go to the overview')")
    page.click("button:has-text('Submit to the Authorising Officer')")
    expect(page.locator("h1")).to_contain_text("submitted")
    page.context.close()
    return "LFR-WEB-1"


def authorise(browser: Browser, site: Site, ref: str) -> None:
    page = as_user(browser, site, "bob")
    page.goto(f"{site.url}/deployments/{ref}/review")
    shot(page, "03-ao-review")
    for box in page.locator("input[name^='decision:'][name$=':approved']").all():
        box.check()
    for area in page.locator("textarea[name^='decision:']").all():
        area.fill("Satisfied on the application and the intelligence case.")
    for box in page.locator("input[name=adopt]").all():
        box.check()
    fill(
        page,
        {
            "cia_review": "Reviewed against the watchlist and footfall.",
            "consult:dpo:name": "DPO",
            "chief:name": "Cdr Chen",
            "training_direction": "Everyone deployed completes LFR training.",
            "threshold": "0.45",
            "cameras": "cam-1",
        },
    )
    page.select_option("[name='chief:rank']", "commander")
    page.select_option("[name=gold]", "gail")
    page.click("button:has-text('Authorise')")
    expect(page.locator("h1")).to_contain_text("authorised")
    page.context.close()


def prepare_and_start(
    browser: Browser, site: Site, ref: str, upload: tuple[Path, list[Path]]
) -> None:
    page = as_user(browser, site, "gail")
    page.goto(f"{site.url}/deployments/{ref}/checklist")
    for post, person in (
        ("silver", "sam"),
        ("bronze", "bea"),
        ("operator", "otto"),
        ("engagement officer", "eve"),
    ):
        page.select_option(f"select[aria-label='{post}']", person)
        page.locator("form", has=page.locator(f"select[aria-label='{post}']")).locator(
            "button"
        ).click()
    for item, note in (
        ("advance_notice", "met.police.uk/lfr, 48 h ahead"),
        ("signage", "12 signs within 100 m"),
        ("roles", ""),
        ("trained_personnel", "All trained"),
    ):
        row = page.locator(f"#item-{item}")
        row.locator("input[name=note]").fill(note)
        row.locator("button").click()
        expect(page.locator(f"#item-{item}")).to_have_class("done")
    page.locator("#item-cameras button").click()

    page.click("text=Import the watchlist")
    page.click("text=force's pool")
    records, images = upload
    page.set_input_files("input[name=records]", str(records))
    page.set_input_files("input[name=images]", [str(image) for image in images])
    page.click("button:has-text('Import and vet')")
    expect(page.locator("#imported-count")).to_contain_text(f"{len(images)} records")
    shot(page, "04-watchlist-import")
    page.goto(f"{site.url}/deployments/{ref}/watchlist")
    page.click("button:has-text('Build the snapshot')")
    expect(page.locator("#snapshot-size")).to_have_text(str(len(images)))
    expect(page.locator(".snapshot-report")).to_contain_text("per 10,000")
    shot(page, "04-watchlist-snapshot")
    page.click(f"text={ref} checklist")
    expect(page.locator("#item-watchlist_imported")).to_have_class("done")
    shot(page, "04-checklist")
    page.click("button:has-text('Mark ready')")
    page.click("button:has-text('Go live')")
    expect(page.locator("h1")).to_contain_text("live")
    page.select_option("select[aria-label='source for cam-1']", SOURCE)
    page.click("button:has-text('Run the cameras')")
    expect(page.locator("#engine-status")).to_have_text("running")
    page.context.close()


def adjudicate_and_engage(browser: Browser, site: Site, ref: str) -> str:
    operator = as_user(browser, site, "otto")
    operator.goto(f"{site.url}/deployments/{ref}/console")
    expect(operator.locator("#live-status")).to_have_text("live")
    row = operator.locator("#alert-queue tbody tr", has_text=WATCHLISTED[0])
    expect(row).to_be_visible(timeout=90_000)  # the engine's alert, pushed by SSE
    expect(row).to_have_class("status-raised fresh")
    shot(operator, "05-operator-console")
    row.locator("a").click()
    for image in operator.locator(".side-by-side img").all():
        expect(image).to_be_visible()
        assert image.evaluate("img => img.complete && img.naturalWidth > 0")
    shot(operator, "06-alert-side-by-side")
    operator.click("button:has-text('True alert')")
    expect(operator.locator(".verdict")).to_contain_text("true alert")
    alert_url = operator.url
    operator.context.close()

    officer = as_user(browser, site, "eve", width=820)  # a tablet
    officer.goto(alert_url)
    officer.check("[name=engaged][value=yes]")
    officer.check("[name=identity_checked]")
    officer.select_option("[name=outcome]", "arrest")
    shot(officer, "07-engagement-tablet")
    officer.click("button:has-text('Record the engagement')")
    expect(officer.locator(".engagement")).to_contain_text("arrest")
    officer.context.close()
    return alert_url


def stop_and_close(browser: Browser, site: Site, ref: str) -> None:
    page = as_user(browser, site, "gail")
    page.goto(f"{site.url}/deployments/{ref}/console")
    page.locator("input[aria-label='reason to stop']").fill("Objective met")
    page.click("button:has-text('Stop')")
    fill(page, {"summary": "Ran as authorised."})
    page.click("button:has-text('Close the deployment')")
    expect(page.locator("h1")).to_contain_text("closed")
    page.context.close()


def retention_destroys_the_watchlist(browser: Browser, site: Site, alert_url: str) -> None:
    dpo = as_user(browser, site, DPO.username)
    dpo.click("text=Retention")
    expect(dpo.locator("table").first).to_contain_text("watchlist_snapshot")
    dpo.click("button:has-text('Delete what is due now')")
    expect(dpo.locator("#watchlists-destroyed")).to_have_text("1")
    shot(dpo, "10-retention-run")
    dpo.context.close()
    operator = as_user(browser, site, "otto")
    operator.goto(alert_url)
    expect(operator.locator(".watchlist-gone")).to_have_text("destroyed with the watchlist")
    operator.context.close()


def report_and_publish(browser: Browser, site: Site, ref: str) -> None:
    page = as_user(browser, site, "gail")
    page.goto(f"{site.url}/deployments/{ref}/report")
    fill(
        page,
        {
            "evaluation": "One wanted person found and arrested. No faults.",
            "lessons": "Signage at the second exit was late.",
        },
    )
    page.click("button:has-text('Submit the cancellation report')")
    expect(page.locator(".cancellation-report")).to_contain_text("Submitted by gail")
    expect(page.locator(".cancellation-report")).to_contain_text("watchlist snapshot")
    pdf = page.request.get(site.url + (page.locator("#report-pdf").get_attribute("href") or ""))
    assert pdf.ok and pdf.body().startswith(b"%PDF")
    shot(page, "08-cancellation-report")
    page.click("button:has-text('Publish to the register')")
    expect(page).to_have_url(f"{site.url}/register")
    page.context.close()


def test_a_deployment_from_application_to_register(
    browser: Browser, site: Site, walkpast: Path, tmp_path: Path
) -> None:
    upload = watchlist_upload(walkpast, tmp_path)
    first_run(browser, site)
    now = datetime.now(UTC).replace(second=0, microsecond=0)
    ref = apply(browser, site, now - timedelta(minutes=5), now + timedelta(hours=6))
    evidence = EquitabilityEvidence(
        model_id=SFACE_SPEC.model_id,
        threshold=0.45,
        reference_set="a test set",
        provenance={},
        groups=[],
    )
    store_evidence(site.uow(), "root", evidence)
    authorise(browser, site, ref)  # the AO leaves "relies on evidence" ticked
    prepare_and_start(browser, site, ref, upload)
    alert_url = adjudicate_and_engage(browser, site, ref)
    stop_and_close(browser, site, ref)
    retention_destroys_the_watchlist(browser, site, alert_url)
    report_and_publish(browser, site, ref)

    public = browser.new_context().new_page()
    public.goto(f"{site.url}/register")
    expect(public.locator("section.register table").first).to_contain_text(
        "High Street station exit"
    )
    expect(public.locator("section.register svg").first).to_be_visible()
    shot(public, "09-public-register")
    relied_on = reports.cancellation_report(site.uow(), ref).equitability_evidence
    assert relied_on is not None and evidence.digest in relied_on
    (row,) = json.loads(public.request.get(f"{site.url}/register.json").text())
    assert row["Watchlist size"] == len(WATCHLISTED)
    assert row["True alerts (confirmed)"] == 1
    assert row["Outcomes (arrest)"] == 1
    assert row["Total alerts"] >= 1
    assert row["Faces seen"] >= 1
    exported = public.request.get(f"{site.url}/register.csv").text()
    assert exported.splitlines()[1].startswith("High Street station exit")
    dashboard = as_user(browser, site, "alice")
    shot(dashboard, "01-dashboard")
    public.context.close()
    dashboard.context.close()


def no_axe_violations(page: Page, name: str) -> None:
    results = Axe().run(page)
    assert results.violations_count == 0, f"{name}: {results.generate_report()}"


def test_the_login_and_account_pages_pass_axe(browser: Browser, tmp_path: Path) -> None:
    """Every page of logging in and of looking after accounts, checked with axe in Chromium:
    first run, the second step's setup and recovery codes, the code page, the users page."""
    site = Site(tmp_path, tmp_path / "no-camera.mp4")
    try:
        page = browser.new_context().new_page()
        page.goto(f"{site.url}/setup")
        no_axe_violations(page, "first run")
        fill(page, {"username": "root", "display_name": "Root Admin", "password": PASSWORD})
        page.click("button:has-text('Create administrator')")
        no_axe_violations(page, "second step setup")
        enrol_in_browser(page, site, "root")
        no_axe_violations(page, "recovery codes")
        page.click("text=Continue to OpenLFR")
        page.locator("details").first.evaluate("details => details.open = true")
        no_axe_violations(page, "users")
        weak = {"username": "nell", "display_name": "Nell", "password": "password1234"}
        for name, value in weak.items():
            page.fill(f"form[action='/admin/users'] [name='{name}']", value)
        page.click("button:has-text('Add user')")
        expect(page.locator(".problems")).to_contain_text("too easy to guess")
        no_axe_violations(page, "users, refused")
        page.context.close()
        login = browser.new_context().new_page()
        login.goto(f"{site.url}/login")
        no_axe_violations(login, "login")
        login.fill("input[name=username]", "root")
        login.fill("input[name=password]", PASSWORD)
        login.click("button:has-text('Log in')")
        expect(login.locator("h1")).to_have_text("Your code")
        no_axe_violations(login, "code")
    finally:
        site.stop()
