"""The kinds of input an application form has, one class each: how the domain's value is shown,
how a posted value is read back and turned into the domain's value, and which macro of
`templates/field_inputs.html` draws it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, ClassVar

from starlette.datastructures import FormData

Options = tuple[tuple[str, str], ...]
"""(key, title) pairs from one of the policy's closed lists."""


class Unreadable(ValueError):
    """A posted value that cannot be read; the message is for the person who typed it."""


def _plain(value: Any) -> Any:
    """Line breaks as the browser posts them (CRLF) and as they are stored compare equal."""
    if isinstance(value, str):
        return value.replace("\r\n", "\n")
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value


@dataclass(frozen=True)
class Field:
    """A text area: the default input of a form."""

    name: str
    label: str
    macro: ClassVar[str] = "textarea"

    def shown(self, value: Any) -> Any:
        """The domain's value (None when there is none) as the input shows it."""
        return "" if value is None else str(value)

    def posted(self, form: FormData) -> Any:
        """What the input posted, in the shape `shown` gives."""
        return str(form.get(self.name, ""))

    def parsed(self, shown: Any) -> Any:
        """What the input shows as the domain's value; Unreadable if it cannot be read."""
        return shown

    def same(self, one: Any, other: Any) -> bool:
        """Whether two shown values say the same (the input was left as it was)."""
        return bool(_plain(one) == _plain(other))


class Text(Field):
    """One line of text."""

    macro = "text"


class Number(Field):
    """A whole number; blank is 0."""

    macro = "number"

    def parsed(self, shown: Any) -> Any:
        return str(shown).strip() or 0


class Moment(Field):
    """A date and time in UTC."""

    macro = "datetime"

    def shown(self, value: Any) -> Any:
        return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M") if value else ""

    def parsed(self, shown: Any) -> Any:
        if not str(shown).strip():
            return None
        try:
            return datetime.fromisoformat(str(shown)).replace(tzinfo=UTC)
        except ValueError as exc:
            raise Unreadable("give a date and time") from exc


class Lines(Field):
    """A list of texts, one a line."""

    def shown(self, value: Any) -> Any:
        return "\n".join(value)

    def parsed(self, shown: Any) -> Any:
        return [line.strip() for line in str(shown).splitlines() if line.strip()]


@dataclass(frozen=True)
class Choice(Field):
    """One of the policy's options."""

    options: Options = ()
    macro: ClassVar[str] = "choice"


class Several(Choice):
    """Any number of the policy's options, as checkboxes."""

    macro = "multi"

    def shown(self, value: Any) -> Any:
        return [str(item) for item in value]

    def posted(self, form: FormData) -> Any:
        return [str(item) for item in form.getlist(self.name)]

    def same(self, one: Any, other: Any) -> bool:
        return isinstance(other, list) and sorted(one) == sorted(other)


class Proposal(Field):
    """Section 7: one special category, proposed or not, with its own rationale; not proposed
    is None in the domain."""

    macro = "special"

    def shown(self, value: Any) -> Any:
        return {"on": value is not None, "rationale": value or ""}

    def posted(self, form: FormData) -> Any:
        return {
            "on": form.get(f"{self.name}:on") is not None,
            "rationale": str(form.get(f"{self.name}:rationale", "")),
        }

    def parsed(self, shown: Any) -> Any:
        return shown["rationale"] if shown["on"] else None


class Citation(Field):
    """Section 8: the version of one document relied on and its review date; not cited is None
    in the domain."""

    macro = "document"
    PARTS: ClassVar[tuple[str, str]] = ("version", "review_date")

    def shown(self, value: Any) -> Any:
        return {part: "" if value is None else str(value[part]) for part in self.PARTS}

    def posted(self, form: FormData) -> Any:
        return {part: str(form.get(f"{self.name}:{part}", "")).strip() for part in self.PARTS}

    def parsed(self, shown: Any) -> Any:
        return dict(shown) if any(shown.values()) else None
