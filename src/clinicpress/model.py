"""Pure values shared by every layer: spans, severities, findings, per-file results, the report.

Nothing here does I/O. Positions are fixed once, at parse time, as offsets into the original text
(principle 2 of DESIGN.md): a finding carries both its offsets and the line/column view of them, and
its excerpt is always ``source[start:end]``.
"""

from __future__ import annotations

import bisect
import enum
from dataclasses import dataclass, field, replace


class Severity(enum.Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"error": 3, "warning": 2, "info": 1}[self.value]

    def at_least(self, threshold: Severity) -> bool:
        return self.rank >= threshold.rank


class Category(enum.Enum):
    SPELLING = "spelling"
    GRAMMAR = "grammar"
    CLAIM = "claim"
    CITATION = "citation"
    DISCLAIMER = "disclaimer"
    METADATA = "metadata"
    STYLE = "style"
    # A file that could not be read or parsed. Any such finding makes the run exit 2.
    INPUT = "input"


@dataclass(frozen=True, order=True, slots=True)
class Span:
    """Half-open range ``[start, end)`` of character offsets into a source text."""

    start: int
    end: int

    def __post_init__(self) -> None:
        if not 0 <= self.start <= self.end:
            raise ValueError(f"bad span {self.start}..{self.end}")

    def __len__(self) -> int:
        return self.end - self.start

    def contains(self, other: Span) -> bool:
        return self.start <= other.start and other.end <= self.end

    def overlaps(self, other: Span) -> bool:
        return self.start < other.end and other.start < self.end

    def shifted(self, offset: int) -> Span:
        return Span(self.start + offset, self.end + offset)

    def of(self, text: str) -> str:
        return text[self.start : self.end]


@dataclass(frozen=True, slots=True)
class Position:
    """1-based line and column; ``end_column`` is one past the last character (as SARIF counts)."""

    line: int
    column: int
    end_line: int
    end_column: int


class LineIndex:
    """Turns offsets into 1-based line/column pairs in O(log lines)."""

    def __init__(self, text: str) -> None:
        self._length = len(text)
        self._starts = [0]
        start = text.find("\n")
        while start != -1:
            self._starts.append(start + 1)
            start = text.find("\n", start + 1)

    def line_col(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self._starts, offset) - 1
        return line + 1, offset - self._starts[line] + 1

    def position(self, span: Span) -> Position:
        line, column = self.line_col(span.start)
        end_line, end_column = self.line_col(span.end)
        return Position(line, column, end_line, end_column)

    def line_span(self, line: int) -> Span:
        """Span of 1-based ``line`` without its newline."""
        start = self._starts[min(line, len(self._starts)) - 1]
        end = self._starts[line] - 1 if line < len(self._starts) else self._length
        return Span(start, max(start, end))

    @property
    def line_count(self) -> int:
        return len(self._starts)


@dataclass(frozen=True, slots=True)
class Edit:
    """Replace ``span`` of the source with ``text`` (an empty span inserts)."""

    span: Span
    text: str


@dataclass(frozen=True, slots=True)
class Finding:
    rule: str
    category: Category
    severity: Severity
    path: str
    span: Span
    position: Position
    excerpt: str
    message: str
    suggestions: tuple[str, ...] = ()
    # Set when a clinicpress-disable comment covers this finding: the finding stays in the report.
    suppression_reason: str | None = None
    # The one unambiguous correction, when there is one: what `lint --fix` applies.
    fix: Edit | None = None

    @property
    def line(self) -> int:
        return self.position.line

    @property
    def column(self) -> int:
        return self.position.column

    @property
    def suppressed(self) -> bool:
        return self.suppression_reason is not None

    def suppressed_because(self, reason: str) -> Finding:
        return replace(self, suppression_reason=reason)

    def sort_key(self) -> tuple:
        return (self.span.start, self.span.end, self.rule, self.message)


@dataclass(frozen=True, slots=True)
class ReferenceRecord:
    """A reference a claim cites, as the audit shows it."""

    id: str
    text: str
    doi: str | None
    pmid: str | None
    evidence: str  # strong | weak | unknown


@dataclass(frozen=True, slots=True)
class ClaimRecord:
    """One health claim, its evidence and its verdict: what editors read in the audit."""

    sentence: str
    span: Span
    position: Position
    section: str | None
    kinds: tuple[str, ...]
    triggers: tuple[str, ...]  # the words that made it a claim
    trigger_spans: tuple[Span, ...]
    status: str  # supported | unsupported | dangling | prohibited
    citations: tuple[str, ...]  # the markers as written
    references: tuple[ReferenceRecord, ...]
    concerns: tuple[str, ...]
    suggestion: str
    scope: str  # sentence | paragraph: where its citation had to stand
    context: str  # the paragraph it stands in, as source text
    context_start: int  # offset of ``context`` in the source
    rules: tuple[str, ...] = ()  # the rules that found it


@dataclass(frozen=True, slots=True)
class DisclaimerRecord:
    id: str
    status: str  # present | modified | missing | misplaced
    message: str
    line: int | None


@dataclass(frozen=True, slots=True)
class FileResult:
    path: str
    findings: tuple[Finding, ...]
    suppressed: tuple[Finding, ...] = ()
    # Per-file values later stages want without re-parsing (title, slug, content hash …).
    facts: tuple[tuple[str, object], ...] = ()

    def fact(self, name: str, default: object = None) -> object:
        return dict(self.facts).get(name, default)

    @property
    def claims(self) -> tuple[ClaimRecord, ...]:
        return self.fact("claims", ())  # type: ignore[return-value]

    @property
    def disclaimers(self) -> tuple[DisclaimerRecord, ...]:
        return self.fact("disclaimers", ())  # type: ignore[return-value]

    @property
    def review(self) -> tuple[dict[str, object], ...]:
        """Sentences the claim rules left that a ranker puts in front of an editor, likeliest first."""
        return tuple(self.fact("review", ()))  # type: ignore[arg-type]

    @property
    def unreadable(self) -> bool:
        return any(f.category is Category.INPUT for f in self.findings)

    def count(self, severity: Severity) -> int:
        return sum(1 for f in self.findings if f.severity is severity)


@dataclass(frozen=True, slots=True)
class RuleSummary:
    """What a report needs to know about a rule to explain its findings (SARIF's rule metadata)."""

    id: str
    category: Category
    severity: Severity
    message: str
    why: str
    link: str


@dataclass(frozen=True, slots=True)
class EngineInfo:
    """Which engine did a job (e.g. spelling) and which version: every report names it."""

    role: str
    name: str
    version: str


@dataclass(frozen=True)
class Report:
    files: tuple[FileResult, ...]
    tool_version: str
    engines: tuple[EngineInfo, ...] = ()
    rule_pack_hash: str = ""
    rules: tuple[RuleSummary, ...] = ()
    generated_at: str = ""  # ISO 8601, UTC
    profile: str = ""  # the default jurisdiction profile (an article may name its own)
    # Problems that are not about one file (an empty directory, say): shown, and they force exit 2.
    errors: tuple[str, ...] = field(default=())

    @property
    def findings(self) -> tuple[Finding, ...]:
        return tuple(f for result in self.files for f in result.findings)

    def count(self, severity: Severity) -> int:
        return sum(result.count(severity) for result in self.files)

    @property
    def suppressed_count(self) -> int:
        return sum(len(result.suppressed) for result in self.files)

    def exit_code(self, fail_on: Severity) -> int:
        """0 clean, 1 findings at or above ``fail_on``, 2 input problems (they win: a gate must not
        pass because a file could not even be read)."""
        if self.errors or any(result.unreadable for result in self.files):
            return 2
        if any(f.severity.at_least(fail_on) for f in self.findings):
            return 1
        return 0
