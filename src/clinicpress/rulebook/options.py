"""The small schema language check kinds use to declare their options. The rulebook validates a
rule's ``options`` against its kind's schema on load, so a bad pattern is reported as
``rules/x.yaml:12: …`` before any article is read."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Callable, Mapping

Validate = Callable[[Any], Any]


class OptionError(ValueError):
    pass


@dataclass(frozen=True)
class Option:
    validate: Validate
    required: bool = False
    default: Any = None
    help: str = ""


def text(value: Any) -> str:
    if not isinstance(value, str) or not value:
        raise OptionError("must be a non-empty text value")
    return value


def boolean(value: Any) -> bool:
    if not isinstance(value, bool):
        raise OptionError("must be true or false")
    return value


def integer(value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise OptionError("must be a whole number, 0 or more")
    return value


def number(value: Any) -> float:
    if not isinstance(value, (int, float)) or isinstance(value, bool) or not 0 <= value <= 1:
        raise OptionError("must be a number from 0 to 1")
    return float(value)


def texts(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not value or not all(isinstance(v, str) and v for v in value):
        raise OptionError("must be a non-empty list of text values")
    return tuple(value)


def regex(value: Any) -> str:
    value = text(value)
    try:
        re.compile(value)
    except re.error as error:
        raise OptionError(f"is not a valid regular expression: {error}") from None
    return value


def regexes(value: Any) -> tuple[str, ...]:
    return tuple(regex(item) for item in texts(value))


def text_map(value: Any) -> tuple[tuple[str, str], ...]:
    """A mapping of text to text, kept as sorted pairs so the rule stays hashable and frozen."""
    if not isinstance(value, dict) or not value:
        raise OptionError("must be a non-empty mapping of text to text")
    for key, item in value.items():
        if not isinstance(key, str) or not key or not isinstance(item, str) or not item:
            raise OptionError(f"entry {key!r}: both sides must be non-empty text")
    return tuple(sorted(value.items()))


def one_of(*choices: str) -> Validate:
    def check(value: Any) -> str:
        if value not in choices:
            raise OptionError(f"must be one of {', '.join(choices)} (got {value!r})")
        return value

    return check


@dataclass(frozen=True)
class OptionSchema:
    """The options one kind of check takes, and a check across them (``phrases`` or ``pattern``)."""

    options: Mapping[str, Option]
    validate: Callable[[dict[str, Any]], str | None] | None = None
