"""``<!-- clinicpress-disable RULE reason="…" -->`` and friends, parsed from HTML comments.

Parsing lives here with the rest of the document; applying them to findings is the pipeline's
job (lint.py), because only it knows which findings exist."""

from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass

from clinicpress.document.structure import Comment
from clinicpress.model import Span

_DIRECTIVE = re.compile(r"clinicpress-(disable-next-line|disable|enable)(?![\w-])(.*)", re.DOTALL)
_REASON = re.compile(r"""reason\s*=\s*(?:"([^"]*)"|'([^']*)'|“([^”]*)”)""")
_RULE_ID = re.compile(r"^[a-z0-9*][a-z0-9*/_-]*$")


@dataclass(frozen=True)
class Suppression:
    action: str  # disable | enable | disable-next-line
    rules: tuple[str, ...]
    reason: str | None
    span: Span  # the comment
    problem: str | None = None  # set when the directive is malformed; it then suppresses nothing


def parse_suppressions(comments: list[Comment] | tuple[Comment, ...]) -> tuple[Suppression, ...]:
    found = []
    for comment in comments:
        match = _DIRECTIVE.match(comment.body)
        if match:
            found.append(_parse(match.group(1), match.group(2), comment.span))
    return tuple(found)


def _parse(action: str, rest: str, span: Span) -> Suppression:
    reason_match = _REASON.search(rest)
    reason = next((g for g in reason_match.groups() if g is not None), None) if reason_match else None
    rule_text = rest[: reason_match.start()] if reason_match else rest
    rules = tuple(r for r in re.split(r"[\s,]+", rule_text.strip()) if r)
    problem = None
    bad = [r for r in rules if not _RULE_ID.match(r)]
    if bad:
        problem = f"'{bad[0]}' is not a rule id (write: clinicpress-{action} RULE reason=\"why\")"
    elif action != "enable" and not rules:
        problem = f'name the rule to turn off: clinicpress-{action} RULE reason="why"'
    elif action != "enable" and not (reason and reason.strip()):
        problem = f'a suppression needs a reason: clinicpress-{action} {" ".join(rules)} reason="why"'
    return Suppression(action, rules, reason.strip() if reason else None, span, problem)


@dataclass(frozen=True)
class SuppressionOutcome:
    kept: tuple  # findings no suppression covers
    suppressed: tuple  # findings covered, each carrying its suppression's reason
    unused: tuple[Suppression, ...]  # valid suppressions that covered nothing
    invalid: tuple[Suppression, ...]  # malformed directives (they covered nothing)


def apply_suppressions(suppressions: tuple[Suppression, ...], findings, line_index) -> SuppressionOutcome:
    """Match findings to the suppressions that cover them.

    ``disable`` covers from the comment to the matching ``enable`` (or the end of the file);
    ``disable-next-line`` covers the line after the comment. A rule id may use ``*`` as a wildcard
    (``claims/*``)."""
    regions: list[tuple[Suppression, int, int]] = []  # suppression, first offset, end offset
    open_disables: list[Suppression] = []
    invalid = [s for s in suppressions if s.problem]
    end_of_text = line_index.line_span(line_index.line_count).end
    for suppression in (s for s in suppressions if not s.problem):
        if suppression.action == "disable-next-line":
            next_line = line_index.line_col(suppression.span.end)[0] + 1
            line = line_index.line_span(next_line)
            regions.append((suppression, line.start, line.end))
        elif suppression.action == "disable":
            open_disables.append(suppression)
        else:
            for disable in [d for d in open_disables if not suppression.rules or set(d.rules) & set(suppression.rules)]:
                open_disables.remove(disable)
                regions.append((disable, disable.span.end, suppression.span.start))
    regions.extend((disable, disable.span.end, end_of_text) for disable in open_disables)

    used: set[int] = set()
    kept, suppressed = [], []
    for finding in findings:
        cover = next(
            (
                (index, region)
                for index, region in enumerate(regions)
                if region[1] <= finding.span.start <= region[2] and _names(region[0].rules, finding.rule)
            ),
            None,
        )
        if cover is None:
            kept.append(finding)
        else:
            used.add(cover[0])
            suppressed.append(finding.suppressed_because(cover[1][0].reason or ""))
    unused = tuple(region[0] for index, region in enumerate(regions) if index not in used)
    return SuppressionOutcome(tuple(kept), tuple(suppressed), unused, tuple(invalid))


def _names(patterns: tuple[str, ...], rule_id: str) -> bool:
    return any(fnmatch.fnmatchcase(rule_id, pattern) for pattern in patterns)
