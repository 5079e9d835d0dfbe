"""Policy as configuration: the bundled MPS defaults, faults named by line, versions kept."""

from __future__ import annotations

from datetime import timedelta

import pytest

from govkit import T0, Flow
from openlfr.domain.errors import PermissionRefused, PolicyInvalid
from openlfr.domain.policy_file import bundled_policy, bundled_policy_text, parse_policy
from openlfr.services import deployments
from openlfr.services.audit import audit_history
from openlfr.services.policy import install_policy, show_policy
from openlfr.store.uow import UnitOfWork


def _line_of(text: str, fragment: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if fragment in line)


def test_the_bundled_policy_holds_the_mps_defaults() -> None:
    policy = bundled_policy()
    assert [u.key for u in policy.use_cases] == [
        "crime_hotspot",
        "missing_person_hotspot",
        "protective_security_cni",
        "protective_security_event",
        "specific_intelligence",
    ]
    assert policy.stricter_categories() == {"associate", "witness", "victim"}
    assert {c.key for c in policy.special_categories} == {
        "under_13",
        "under_18",
        "disabled",
        "gender_transition",
        "non_police_images",
    }
    assert policy.ranks.authorising_officer_minimum == "superintendent"
    assert not policy.rank_at_least("chief_inspector", "superintendent")
    assert (policy.retention.watchlist_hours_after_close, policy.retention.match_data_hours) == (
        24,
        24,
    )
    assert policy.retention.alert_with_footage_days == 31
    assert policy.threshold.floor == 0.40


def test_malformed_toml_is_rejected_with_its_line() -> None:
    text = bundled_policy_text().replace("floor = 0.40", "floor = 0.40 0.50")
    with pytest.raises(PolicyInvalid, match="not valid TOML") as refused:
        parse_policy(text)
    assert refused.value.line == _line_of(text, "floor = 0.40 0.50")


AO_MINIMUM = 'authorising_officer_minimum = "superintendent"'
FAULTS = [  # (replace, with, key named, line text; None: the line of `with`)
    ("floor = 0.40", "floor = 1.5", "threshold.floor", None),
    ('minimum_version = "1.0"', 'minimum_version = "one"', "documents.0.minimum_version", None),
    ('key = "victim"', 'key = "other"', "watchlist_categories.7.key", None),
    (AO_MINIMUM, AO_MINIMUM.replace("superintendent", "supt"), "ranks", "[ranks]"),
    ("match_data_hours", "match_data_hourz", "retention.match_data_hours", "[retention]"),
]


@pytest.mark.parametrize(("old", "new", "key", "at"), FAULTS)
def test_an_invalid_policy_names_the_key_and_line(
    old: str, new: str, key: str, at: str | None
) -> None:
    text = bundled_policy_text().replace(old, new, 1)
    with pytest.raises(PolicyInvalid) as refused:
        parse_policy(text)
    line = _line_of(text, at or new)
    assert refused.value.line == line
    assert f"line {line}, key {key}:" in refused.value.reason


def test_the_version_is_the_content_not_the_comments() -> None:
    text = bundled_policy_text()
    assert parse_policy("# a new comment\n" + text).version == bundled_policy().version
    assert (
        parse_policy(text.replace("floor = 0.40", "floor = 0.45")).version
        != bundled_policy().version
    )


def test_a_policy_change_is_audited_and_never_changes_a_past_decision(
    flow: Flow, uow: UnitOfWork
) -> None:
    ref = flow.authorised()
    old = show_policy(uow)
    with pytest.raises(PermissionRefused, match="administrator role needed to change the policy"):
        install_policy(uow, "bob", bundled_policy_text())
    stricter = bundled_policy_text().replace("floor = 0.40", "floor = 0.50")
    new = install_policy(uow, "admin", stricter, now=T0 + timedelta(hours=1))

    assert show_policy(uow).version == new.version != old.version
    decision = deployments.get_deployment(uow, ref).decisions[-1]
    assert decision.policy_version == old.version
    assert show_policy(uow, decision.policy_version).threshold.floor == 0.40
    change = [e for e in audit_history(uow, "policy") if e.actor == "admin"][-1]
    assert change.before["version"] == old.version and change.after["version"] == new.version
