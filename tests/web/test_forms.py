"""Bad input is answered beside the field, never with a 500; logins are throttled; headers."""

from __future__ import annotations

import json
import re

from markupsafe import Markup, escape
from webkit import World, csrf_of, log_in

from govkit import START, T0
from openlfr.domain.application import IntelligenceCase, Section
from openlfr.domain.checks import application_problems
from openlfr.services import deployments
from openlfr.services.audit import audit_history
from openlfr.services.policy import show_policy
from openlfr.store.uow import UnitOfWork
from openlfr.web import application_form as af

OPTIONAL = {"reference", "raised_privacy", "legal_advice", "technical_advice"}
"""Fields no rule requires (tests/governance/test_application_rules.py)."""


def test_a_bad_date_is_shown_beside_its_field(world: World) -> None:
    client = world.client()
    token = log_in(client, "alice")
    response = client.post(
        f"/deployments/{world.draft}/application/place",
        data={"csrf_token": token, "location": "Town square", "start": "not a date"},
    )
    assert response.status_code == 422
    field = response.text.split('id="field-start"')[1].split('id="field-end"')[0]
    assert "give a date and time" in field


def test_gaps_reported_by_the_domain_land_beside_their_fields(world: World) -> None:
    client = world.client()
    token = log_in(client, "alice")
    client.post(
        f"/deployments/{world.draft}/application/watchlist",
        data={"csrf_token": token, "categories": "wanted_by_courts", "approximate_size": "0"},
    )
    page = client.get(f"/deployments/{world.draft}/application/watchlist").text
    field = page.split('id="field-approximate_size"')[1].split('id="field-')[0]
    assert "the approximate watchlist size is not recorded" in field
    submitted = client.post(f"/deployments/{world.draft}/submit", data={"csrf_token": token})
    assert submitted.status_code == 422
    assert "approximate watchlist size is not recorded" in submitted.text


def _field(page: str, name: str) -> str:
    return page.split(f'id="field-{name}"')[1].split('id="field-')[0]


def test_every_problem_lands_beside_its_field_for_every_field_of_every_section(
    world: World,
) -> None:
    """A blank application, and one that also proposes what needs more (a raised-privacy
    place, an associate, every special category) with the start only: between them every
    field a rule requires has a problem, each on its section's page inside its field."""
    uow = UnitOfWork(world.database.sessions)
    policy = show_policy(uow)
    blank = deployments.open_deployment(uow, "alice", IntelligenceCase(), now=T0).reference
    more = deployments.open_deployment(uow, "alice", IntelligenceCase(), now=T0).reference
    for section, changes in {
        Section.PLACE: {"start": START, "raised_privacy": ["school"]},
        Section.WATCHLIST: {"categories": ["associate"]},
        Section.SPECIAL: {c.key: "" for c in policy.special_categories},
    }.items():
        deployments.edit_section(uow, "alice", more, section, changes, now=T0)
    client = world.client()
    log_in(client, "alice")
    faulted = set()
    for ref in (blank, more):
        d = deployments.get_deployment(uow, ref)
        problems = application_problems(d.intelligence_case, d.draft, policy, af.today())
        for sec in af.sections(policy):
            page = client.get(f"/deployments/{ref}/application/{sec.key}").text
            for problem in (p for p in problems if p.where.section == sec.section):
                said = str(escape(problem.text.removeprefix(f"{sec.title}: ")))
                assert said in _field(page, problem.where.field), problem
                faulted.add((sec.key, problem.where.field))
    every = {(s.key, f.name) for s in af.sections(policy) for f in s.fields}
    assert faulted == {(key, name) for key, name in every if name not in OPTIONAL}


SHOWN = re.compile(r"name=\"shown\" value='([^']*)'")


def _as_shown(page: str) -> tuple[str, dict[str, object]]:
    """The page's record of what it showed, and the inputs as a browser would post them."""
    shown = Markup(SHOWN.search(page).group(1)).unescape()  # type: ignore[union-attr]
    return shown, json.loads(shown)


def test_two_people_saving_one_section_page_keep_each_others_change(world: World) -> None:
    """Both open Section 1 before either saves; each changes one field and saves the whole
    page. The second save keeps the first one's change: only changed fields are saved."""
    ref = world.draft
    first, second = world.client(), world.client()
    pages = []
    for client in (first, second):
        token = log_in(client, "alice")
        page = client.get(f"/deployments/{ref}/application/place").text
        pages.append((client, token, *_as_shown(page)))
    for (client, token, shown, values), field, value in zip(
        pages, ("location", "rationale"), ("Market square", "Saturday footfall."), strict=True
    ):
        posted = {**values, field: value, "shown": shown, "csrf_token": token}
        assert client.post(f"/deployments/{ref}/application/place", data=posted).status_code == 303
    place = deployments.get_deployment(UnitOfWork(world.database.sessions), ref).draft.place
    assert (place.location, place.rationale) == ("Market square", "Saturday footfall.")


def test_an_incomplete_authority_lists_what_is_missing(world: World) -> None:
    client = world.client()
    token = log_in(client, "bob")
    response = client.post(
        f"/deployments/{world.live}/authorise", data={"csrf_token": token, "threshold": "x"}
    )
    assert response.status_code == 422
    assert "threshold" in response.text


def test_failed_logins_are_throttled(world: World) -> None:
    client = world.client()
    token = csrf_of(client.get("/login").text)
    statuses = [
        client.post(
            "/login", data={"username": "eve", "password": "wrong", "csrf_token": token}
        ).status_code
        for _ in range(6)
    ]
    assert statuses == [422] * 5 + [429]


def test_security_headers_and_cookie_flags(world: World) -> None:
    client = world.client()
    response = client.get("/login")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert "unsafe-inline" not in response.headers["content-security-policy"]
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "no-referrer"
    token = csrf_of(response.text)
    logged_in = client.post(
        "/login",
        data={"username": "gail", "password": "correct horse battery", "csrf_token": token},
    )
    cookie = logged_in.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie


def test_viewing_an_alert_image_is_audited(world: World) -> None:
    client = world.client()
    log_in(client, "otto")
    image = client.get(f"/alerts/{world.alert_id}/image")
    assert image.headers["content-type"] == "image/jpeg"
    assert image.headers["cache-control"] == "no-store"
    history = audit_history(UnitOfWork(world.database.sessions), "alert", world.alert_id)
    assert any(e.action == "alert.image_viewed" and e.actor == "otto" for e in history)
