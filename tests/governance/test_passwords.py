"""A password is refused when it is short, blank, common or guessable (zxcvbn), or made from
the user name; the reason says which. Every door (the service, `users add`, the admin form)
gives the same reasons, and a refused password creates no user. The command line also
disables, enables and removes people."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from command_line import Cli
from govkit import Flow
from openlfr.domain.accounts import MAX_CHECKED, PasswordRejected, check_password
from openlfr.services import accounts


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        (" " * 12, "only spaces"),
        ("\t \n" * 6, "only spaces"),
        ("password1234", "too easy to guess"),
        ("qwertyuiop12", "too easy to guess"),
        ("aaaaaaaaaaaaaaaa", "too easy to guess"),
        ("short", "at least 12 characters"),
        ("otto.otto.2024", "your user name"),
    ],
)
def test_weak_passwords_are_refused_with_their_reason(password: str, reason: str) -> None:
    with pytest.raises(PasswordRejected, match=reason):
        check_password(password, "otto")


def test_a_long_passphrase_is_accepted() -> None:
    check_password("correct horse battery", "otto")
    check_password("plum kettle orbit lantern " * 10, "otto")  # far past what zxcvbn is shown


@given(st.text(alphabet=" \t\r\n\u00a0\u2003", min_size=12, max_size=200))
def test_whitespace_alone_is_never_a_password(password: str) -> None:
    with pytest.raises(PasswordRejected):
        check_password(password, "otto")


def test_only_the_first_characters_are_scored() -> None:
    assert 64 <= MAX_CHECKED <= 72


def test_set_password_refuses_the_user_name(sqlite_flow: Flow) -> None:
    with pytest.raises(PasswordRejected, match="user name"):
        accounts.set_password(sqlite_flow.uow, "admin", "otto", "Otto-otto-OTTO")


def test_users_add_refuses_a_weak_password_and_creates_no_one(cli: Cli, sqlite_flow: Flow) -> None:
    weak = "password1234"
    add = ["users", "add", "nia", "Nia New", "--role", "bronze", "--login", "--as", "admin"]
    refused = cli(*add, input=f"{weak}\n{weak}\n", code=2)
    assert "too easy to guess" in refused.output
    assert "nia" not in cli("users", "list").output
    good = "a sturdy long passphrase"
    assert "added nia" in cli(*add, input=f"{good}\n{good}\n").output
    accounts.log_in(sqlite_flow.uow, "nia", good)


def test_the_account_lifecycle_from_the_command_line(cli: Cli, sqlite_flow: Flow) -> None:
    good = "a sturdy long passphrase"
    add = ["users", "add", "nia", "Nia New", "--role", "bronze", "--login", "--as", "admin"]
    cli(*add, input=f"{good}\n{good}\n")
    uow = sqlite_flow.uow
    accounts.log_in(uow, "nia", good)
    assert "nia\tNia New\t-\tbronze\tcan log in\t20" in cli("users", "list").output
    assert "disabled nia" in cli("users", "disable", "nia", "--as", "admin").output
    with pytest.raises(accounts.LoginFailed, match="disabled"):
        accounts.log_in(uow, "nia", good)
    assert "\tdisabled\t" in cli("users", "list").output
    cli("users", "enable", "nia", "--as", "admin")
    accounts.log_in(uow, "nia", good)
    refused = cli("users", "disable", "admin", "--as", "admin", code=2)
    assert "cannot disable yourself" in refused.output
    assert "removed nia" in cli("users", "remove", "nia", "--as", "admin").output
    assert "nia" not in cli("users", "list").output
    sqlite_flow.opened()  # alice applies: the record names her
    kept = cli("users", "remove", "alice", "--as", "admin", code=2)
    assert "disable the account instead" in kept.output
