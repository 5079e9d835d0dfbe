"""Typed refusals. Each carries a reason written for the person who has to act on it."""

from __future__ import annotations

from collections.abc import Sequence

from openlfr.domain.problems import Problem, as_problem


class GovernanceError(Exception):
    """Base of every refusal the governance core raises; `reason` is shown to the user as is,
    and `details`, when there are several problems, one each (with where it is)."""

    def __init__(self, reason: str, problems: Sequence[Problem | str] = ()) -> None:
        super().__init__(reason)
        self.reason = reason
        self.details: list[Problem] = [as_problem(p) for p in problems]

    @property
    def problems(self) -> list[str]:
        """The sentences, one a problem, as a person reads them."""
        return [p.text for p in self.details]


class Refusal(GovernanceError):
    """A refusal made of several problems; its reason is their sentences joined."""

    def __init__(self, problems: Sequence[Problem | str]) -> None:
        found = [as_problem(p) for p in problems]
        super().__init__("; ".join(p.text for p in found), found)


class ApplicationIncomplete(Refusal):
    """The application (Form 1 Part 1) is missing something the AO needs; one line per problem."""


class AuthorityRefused(GovernanceError):
    """The written or oral authority (Form 1 Part 2) cannot be granted as recorded."""


class TransitionRefused(GovernanceError):
    """The deployment is not in a state that allows the requested step."""


class PermissionRefused(GovernanceError):
    """The actor lacks the role, rank or independence the step needs."""


class ChecklistIncomplete(GovernanceError):
    """A pre-deployment item is missing, so the deployment cannot be made ready or started."""


class RunRefused(GovernanceError):
    """The live engine may not process faces now, here, with these settings."""


class PolicyInvalid(GovernanceError):
    """The policy file is malformed; `line` is the first line at fault where it is known."""

    def __init__(self, reason: str, line: int | None = None) -> None:
        super().__init__(reason)
        self.line = line


class ConcurrentChange(GovernanceError):
    """Someone else changed the same record at the same time; nothing was saved."""


class NotFound(GovernanceError):
    """The named record does not exist."""


class AlreadyExists(GovernanceError):
    """A record with that name already exists."""
