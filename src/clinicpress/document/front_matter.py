"""YAML front matter: parsed with positions, so metadata findings can name the line of a key and
the title and description can be checked as prose at their exact offsets."""

from __future__ import annotations

import re
from dataclasses import dataclass
from types import MappingProxyType
from typing import Mapping

import yaml

from clinicpress.document.reading import Unreadable
from clinicpress.model import Span
from clinicpress.yaml_source import describe_yaml_error

try:
    _Loader = yaml.CSafeLoader  # libyaml: several times faster on every article
except AttributeError:  # pragma: no cover - pyyaml wheels ship libyaml
    _Loader = yaml.SafeLoader

_OPENING = re.compile(r"---[ \t]*\n")
_CLOSING = re.compile(r"^(?:---|\.\.\.)[ \t]*$", re.MULTILINE)
PROSE_KEYS = ("title", "description")


@dataclass(frozen=True)
class FrontMatter:
    values: Mapping[str, object]
    span: Span  # the whole block, both --- lines included
    key_lines: Mapping[str, int]  # 1-based source line of each top-level key
    prose_spans: Mapping[str, Span]  # where the title and description values stand in the source


def split_front_matter(source: str) -> FrontMatter | None:
    """Front matter if the text starts with a ``---`` line; ``Unreadable`` if it is broken."""
    opening = _OPENING.match(source)
    if not opening:
        return None
    body_start = opening.end()
    closing = _CLOSING.search(source, body_start)
    if not closing:
        raise Unreadable(
            "input/front-matter",
            "front matter opens with --- on line 1 but is never closed: add a line with --- after it",
            1,
        )
    body = source[body_start : closing.start()]
    end = closing.end() + (1 if source[closing.end() : closing.end() + 1] == "\n" else 0)
    try:
        node = yaml.compose(body, Loader=_Loader)
    except yaml.YAMLError as error:
        raise _yaml_problem(error, body_start) from None
    if node is None:
        return FrontMatter(MappingProxyType({}), Span(0, end), MappingProxyType({}), MappingProxyType({}))
    if not isinstance(node, yaml.MappingNode):
        raise Unreadable(
            "input/front-matter",
            "front matter must be YAML key: value pairs, not a single value or a list",
            2,
        )
    try:
        values = yaml.load(body, Loader=_Loader)
    except yaml.YAMLError as error:  # constructor errors (a bad date, say) only show up here
        raise _yaml_problem(error, body_start) from None
    if not isinstance(values, dict) or not all(isinstance(key, str) for key in values):
        raise Unreadable("input/front-matter", "front matter keys must be plain words", 2)
    key_lines: dict[str, int] = {}
    prose_spans: dict[str, Span] = {}
    for key_node, value_node in node.value:
        key = key_node.value
        key_lines[key] = key_node.start_mark.line + 2
        if key in PROSE_KEYS and isinstance(value_node, yaml.ScalarNode) and value_node.tag.endswith(":str"):
            prose_spans[key] = _scalar_text_span(value_node, body_start)
    return FrontMatter(
        MappingProxyType(values), Span(0, end), MappingProxyType(key_lines), MappingProxyType(prose_spans)
    )


def _scalar_text_span(node: yaml.ScalarNode, offset: int) -> Span:
    start, end = node.start_mark.index, node.end_mark.index
    if node.style in ("'", '"'):
        start, end = start + 1, max(start + 1, end - 1)
    return Span(offset + start, offset + end)


def _yaml_problem(error: yaml.YAMLError, body_start: int) -> Unreadable:
    """The YAML error as one line; its position counted in the whole file (the body starts on
    line 2, after the opening ---), naming where an unclosed bracket or quote began."""
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    if isinstance(error, yaml.MarkedYAMLError):
        line, problem = describe_yaml_error(error, first_line=2)
        problem = problem.removeprefix("is not valid YAML: ")
    else:
        line, problem = None, str(error).splitlines()[0]
    where = f" on line {line}" if line else ""
    return Unreadable(
        "input/front-matter",
        f"front matter is not valid YAML{where}: {problem}; fix the YAML between the --- lines "
        "(quote values that contain a colon)",
        line,
        column=mark.column + 1 if mark is not None else 1,
        offset=body_start + mark.index if mark is not None else 0,
    )
