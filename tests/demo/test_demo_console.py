"""The demo as a newcomer runs it: the console comes up, the operator logs in while the video
plays, gives her verdicts when it ends, and the register publishes them."""

from __future__ import annotations

import queue
import re
import threading
from pathlib import Path

import httpx2
import pyotp
import pytest

from databases import _free_port
from openlfr.demo import cast
from openlfr.demo.run import DemoOptions, DemoResult, run_demo
from openlfr.live.sources import Pacing
from timing import wait_for

PHOTOS = Path(__file__).parents[2] / "demo" / "photos"
PASSWORD = "a demo passphrase nobody guesses"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
SECRET = re.compile(r'<code class="secret">([A-Z2-7 ]+)</code>')


def operator(url: str) -> httpx2.Client:
    """The operator's first login: the password, then setting up her authenticator app from the
    key the page shows (her role needs a second factor), which opens the console."""
    client = httpx2.Client(base_url=url, follow_redirects=False)
    token = CSRF.search(client.get("/login").text)
    assert token, "the login page has no CSRF token"
    form = {"username": cast.OPERATOR.username, "password": PASSWORD, "csrf_token": token[1]}
    answer = client.post("/login", data=form)
    assert answer.status_code == 303 and answer.headers["location"].startswith("/login/enrol")
    page = client.get(answer.headers["location"]).text
    secret, token = SECRET.search(page), CSRF.search(page)
    assert secret and token, "the enrolment page shows no key"
    code = pyotp.TOTP(secret[1].replace(" ", "")).now()
    assert client.post("/login/enrol", data={"code": code, "csrf_token": token[1]}).is_success
    return client


def test_the_operators_verdicts_in_the_console_reach_the_published_register(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENLFR_VAULT_KEY", "")  # the demo sets its own, restored after
    said: queue.Queue[str] = queue.Queue()
    options = DemoOptions(
        photos=PHOTOS,
        work=tmp_path / "demo",
        walkers=2,
        passers_by=3,
        port=_free_port(),
        pacing=Pacing.VIDEO,
        grace=600.0,
        password=PASSWORD,
    )
    results: list[DemoResult] = []
    demo = threading.Thread(target=lambda: results.append(run_demo(options, said.put)), daemon=True)
    demo.start()
    lines: list[str] = []

    def told(what: str) -> str | None:
        while not said.empty():
            lines.append(said.get_nowait())
        return next((line for line in lines if what in line), None)

    welcome = wait_for(lambda: told("The console is up"), 300, "the console's welcome")
    url = re.search(r"(http://127\.0\.0\.1:\d+)/login", welcome)
    assert url, welcome
    wait_for(lambda: told("await a verdict"), 600, "the video's end")
    client = operator(url[1])
    ref = re.search(r"/deployments/([^/]+)/console", welcome)
    assert ref, welcome
    pending = client.get(f"/api/deployments/{ref[1]}/alerts").json()
    assert len(pending) == 2  # one per watchlisted walker
    token = CSRF.search(client.get(f"/deployments/{ref[1]}/console").text)
    assert token
    for alert in pending:
        verdict = client.post(
            f"/api/alerts/{alert['id']}/adjudicate",
            json={"verdict": "true_alert"},
            headers={"x-csrf-token": token[1]},
        )
        assert verdict.status_code == 200, verdict.text
    demo.join(600)
    assert results, "the demo did not finish after the last verdict"
    result = results[0]
    try:
        row = result.outcome.register.row()
        assert row["True alerts (unconfirmed)"] + row["True alerts (confirmed)"] == 2
        assert row["False alerts (confirmed)"] + row["False alerts (unconfirmed)"] == 0
        assert not any("left unadjudicated" in line for line in lines)
    finally:
        assert result.console is not None
        result.console.stop()
