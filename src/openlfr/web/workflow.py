"""Which page moves a deployment on from its state, and for whom: the dashboard's links."""

from __future__ import annotations

from dataclasses import dataclass

from openlfr.domain.deployment import Deployment, State
from openlfr.domain.roles import Actor, Role

S, R = State, Role


@dataclass(frozen=True)
class Page:
    label: str
    path: str
    states: frozenset[State]
    roles: frozenset[Role]


PAGES = (
    Page("Application", "application", frozenset({S.DRAFT, S.SENT_BACK}), frozenset({R.APPLICANT})),
    Page("Review", "review", frozenset({S.SUBMITTED}), frozenset({R.AUTHORISING_OFFICER})),
    Page(
        "Checklist",
        "checklist",
        frozenset({S.ORAL_AUTHORISED, S.AUTHORISED, S.READY}),
        frozenset({R.GOLD, R.SILVER}),
    ),
    Page(
        "Watchlist",
        "watchlist",
        frozenset({S.ORAL_AUTHORISED, S.AUTHORISED}),
        frozenset({R.GOLD, R.SILVER}),
    ),
    Page(
        "Console",
        "console",
        frozenset({S.LIVE, S.PAUSED}),
        frozenset({R.GOLD, R.SILVER, R.BRONZE, R.OPERATOR, R.ENGAGEMENT_OFFICER}),
    ),
    Page("Close and report", "report", frozenset({S.STOPPED, S.CLOSED}), frozenset({R.GOLD})),
)


def next_steps(deployment: Deployment, actor: Actor) -> list[tuple[str, str]]:
    """(label, url) of the pages this actor can use on this deployment now."""
    return [
        (page.label, f"/deployments/{deployment.reference}/{page.path}")
        for page in PAGES
        if deployment.state in page.states and actor.roles & page.roles
    ]
