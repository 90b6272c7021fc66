"""Reach values as plain data: "reached, number not recorded" and the rules on counts (no models).

A group's (or category's) reach is one of: not recorded (no value, no row), a number of people
(0 means nobody), or ``NUMBER_NOT_RECORDED`` (reached, number not recorded: ``Reach.count`` NULL).
Code that compares or adds up counts uses ``counted`` so the third is never taken for a number.
"""

import enum
from collections.abc import Iterable


class Uncounted(enum.Enum):
    """A group reached with no number of people recorded (``Reach.count`` NULL)."""

    NUMBER_NOT_RECORDED = "reached, number not recorded"

    def __str__(self):
        return self.value


NUMBER_NOT_RECORDED = Uncounted.NUMBER_NOT_RECORDED
"""The value for "reached, number not recorded" in ``ActivityInput.reach``."""

REACHED_WORDS = frozenset({"reached", "yes", "y", "x", "✓", "✔", "number not recorded"})
"""What a reach cell may say for "reached, number not recorded" (case-insensitive)."""


def counted(values: Iterable) -> list[int]:
    """The numbers among reach values (leaving out not recorded and reached, number not recorded)."""
    return [v for v in values if isinstance(v, int) and not isinstance(v, bool)]


def is_reached(value) -> bool:
    """Reached: a number above 0, or reached with no number recorded."""
    return value is NUMBER_NOT_RECORDED or (isinstance(value, int) and value > 0)


def describe(value) -> str:
    """A value as the history and messages say it."""
    if value is None:
        return "not recorded"
    return str(value)


def group_id_of(target) -> int:
    """The audience group a reach target (a group, or a category within one) belongs to."""
    return target.group_id if is_category(target) else getattr(target, "pk", target)


def is_category(target) -> bool:
    """A category within a group (an ``AudienceCategory``), rather than a whole group."""
    return hasattr(target, "group_id")


def json_key(target) -> str:
    """How an import's stored row names a reach target: ``g<group id>`` or ``c<category id>``."""
    return f"{'c' if is_category(target) else 'g'}{target.pk}"


def parse_json_key(key: str) -> tuple[str, int]:
    """``("group" | "category", id)`` from ``json_key``'s form (a bare number, as stored before
    categories, is a group)."""
    if key[:1] in {"g", "c"}:
        return ("category" if key[0] == "c" else "group"), int(key[1:])
    return "group", int(key)


def json_value(value):
    """A reach value as an import's stored row keeps it: a number, or "reached"."""
    return "reached" if value is NUMBER_NOT_RECORDED else value


def from_json_value(value):
    return NUMBER_NOT_RECORDED if value == "reached" else value
