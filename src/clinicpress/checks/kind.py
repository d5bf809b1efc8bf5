"""What a kind of check is: the options its rules take, a ``prepare`` step that compiles a set of
rules once per run, and a ``run`` step that turns one Document into Findings."""

from __future__ import annotations

import bisect
import datetime
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping, Sequence

from clinicpress.document import Block, Document
from clinicpress.model import Edit, EngineInfo, FileResult, Finding, Span
from clinicpress.rulebook import Rule
from clinicpress.rulebook.options import OptionSchema
from clinicpress.settings import Settings


@dataclass(frozen=True)
class CheckContext:
    """What checks may need besides the article: settings, and the rule pack's directory (word
    lists and lexicons live beside the rules). Side effects (engines, clocks) are passed in here."""

    settings: Settings
    rules_dir: Path
    today: datetime.date = field(default_factory=datetime.date.today)
    # Kinds prepared before this one, by name: a check that builds on another's analysis (the
    # disclaimer check needs to know where the testimonials are) reads it here.
    prepared: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class CheckKind:
    name: str
    schema: OptionSchema
    prepare: Callable[[Sequence[Rule], CheckContext], Any]
    run: Callable[[Document, Any], Iterable[Finding]]
    # Checks that compare articles (two articles with one slug): ``facts`` keeps what they need
    # from each document in its FileResult (so a cached result still takes part), and
    # ``across_files`` turns all files' facts into findings, each for the file it names.
    facts: Callable[[Document, Any], tuple[tuple[str, object], ...]] | None = None
    across_files: Callable[[Sequence[FileResult], Any], Iterable[Finding]] | None = None
    # Engines behind the check (a spelling engine), named with their versions in every report.
    engines: Callable[[Any], tuple[EngineInfo, ...]] | None = None
    # A general check (the speller) steps back where a specific rule that knows the right
    # replacement flags the same text ("alot": a lot, not "alto").
    yields: bool = False


def finding_at(
    document: Document,
    rule: Rule,
    span: Span,
    message: str | None = None,
    suggestions: Sequence[str] = (),
    fix: Edit | None = None,
) -> Finding:
    return Finding(
        rule=rule.id,
        category=rule.category,
        severity=rule.severity,
        path=document.path,
        span=span,
        position=document.position(span),
        excerpt=span.of(document.source),
        message=message or rule.message,
        suggestions=tuple(suggestions),
        fix=fix,
    )


class BlockFinder:
    """Which block an offset falls in, by bisection over block starts."""

    def __init__(self, blocks: Sequence[Block]) -> None:
        self._blocks = blocks
        self._starts = [block.span.start for block in blocks]

    def block_at(self, span: Span) -> Block | None:
        index = bisect.bisect_right(self._starts, span.start) - 1
        if index >= 0 and self._blocks[index].span.contains(span):
            return self._blocks[index]
        return None
