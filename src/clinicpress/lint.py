"""The pipeline: read → parse → run checks → apply suppressions → Report."""

from __future__ import annotations

import datetime
import hashlib
import os
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Callable, Iterable, Sequence

from clinicpress import __version__
from clinicpress.checks import CHECKS, CheckContext, finding_at, option_schemas
from clinicpress.document import (
    ARTICLE_SUFFIXES,
    Document,
    Unreadable,
    parse_document,
    parse_suppressions,
    read_document,
)
from clinicpress.document.suppressions import apply_suppressions
from clinicpress.model import Category, FileResult, Finding, Position, Report, Severity, Span
from clinicpress.rulebook import Rulebook, load_rulebook
from clinicpress.settings import Settings

_SKIPPED_DIRECTORIES = {"node_modules", "__pycache__", "venv"}


class InputPathError(Exception):
    """A path on the command line that cannot be linted at all (missing, or holds no articles)."""


@dataclass(frozen=True)
class Linter:
    """A rule pack with its checks prepared once, ready for any number of articles."""

    rulebook: Rulebook
    prepared: tuple[tuple[str, Any], ...]  # (check kind, its prepared rules)
    settings: Settings
    clock: Callable[[], datetime.datetime] = lambda: datetime.datetime.now(datetime.timezone.utc)

    @classmethod
    def create(
        cls, settings: Settings, rulebook: Rulebook | None = None, today: datetime.date | None = None
    ) -> Linter:
        rulebook = (rulebook or load_rulebook(settings.rules_dir, option_schemas())).configured(settings)
        prepared: dict[str, Any] = {}
        context = CheckContext(settings, rulebook.directory, today or datetime.date.today(), prepared)
        for name, kind in CHECKS.items():
            if rulebook.of_kind(name):
                prepared[name] = kind.prepare(rulebook.of_kind(name), context)
        return cls(rulebook, tuple(prepared.items()), settings)

    def check(self, document: Document) -> FileResult:
        general: list[Finding] = []
        specific: list[Finding] = []
        for name, prepared in self.prepared:
            (general if CHECKS[name].yields else specific).extend(CHECKS[name].run(document, prepared))
        knowing = [f.span for f in specific if f.suggestions]
        kept = [f for f in general if not any(f.span.overlaps(span) for span in knowing)]
        return self._suppress(document, sorted(specific + kept, key=Finding.sort_key))

    def _suppress(self, document: Document, findings: list[Finding]) -> FileResult:
        outcome = apply_suppressions(parse_suppressions(document.comments), findings, document.line_index)
        unused_rule = self.rulebook.by_id("suppression/unused")
        invalid_rule = self.rulebook.by_id("suppression/invalid")
        extra = [finding_at(document, invalid_rule, s.span, f"{invalid_rule.message}: {s.problem}") for s in outcome.invalid]
        extra += [
            finding_at(document, unused_rule, s.span, f"{unused_rule.message} ({', '.join(s.rules)}): remove it")
            for s in outcome.unused
        ]
        facts = [
            ("title", document.title),
            ("sha256", hashlib.sha256(document.source.encode("utf-8")).hexdigest()),
            ("front_matter", json_safe(dict(document.front_matter))),
        ]
        for name, prepared in self.prepared:
            if CHECKS[name].facts:
                facts.extend(CHECKS[name].facts(document, prepared))
        return FileResult(
            document.path,
            tuple(sorted(list(outcome.kept) + extra, key=Finding.sort_key)),
            outcome.suppressed,
            tuple(facts),
        )

    def lint_file(self, path: Path, label: str) -> FileResult:
        try:
            document = read_document(path, label)
        except Unreadable as problem:
            return unreadable_result(label, problem, self.rulebook)
        return self.check(document)

    def lint_text(self, text: str, label: str = "<text>") -> FileResult:
        try:
            document = parse_document(text, label)
        except Unreadable as problem:
            return unreadable_result(label, problem, self.rulebook)
        return self.check(document)

    def across_files(self, results: Sequence[FileResult]) -> list[FileResult]:
        """Add the findings of checks that compare articles with each other."""
        extra: dict[str, list[Finding]] = {}
        for name, prepared in self.prepared:
            if CHECKS[name].across_files:
                for finding in CHECKS[name].across_files(results, prepared):
                    extra.setdefault(finding.path, []).append(finding)
        if not extra:
            return list(results)
        return [
            replace(result, findings=tuple(sorted(result.findings + tuple(extra.get(result.path, ())), key=Finding.sort_key)))
            for result in results
        ]

    def report(self, results: Sequence[FileResult]) -> Report:
        engines = tuple(
            info
            for name, prepared in self.prepared
            if CHECKS[name].engines
            for info in CHECKS[name].engines(prepared)
        )
        return Report(
            files=tuple(self.across_files(results)),
            tool_version=__version__,
            engines=engines,
            rule_pack_hash=self.rulebook.digest,
            rules=tuple(rule.summary() for rule in self.rulebook.all_rules),
            generated_at=self.clock().isoformat(timespec="seconds"),
            profile=self.settings.profile,
        )


def json_safe(value: Any) -> Any:
    """Front matter values as JSON can hold them (dates as ISO text), for reports and the cache."""
    if isinstance(value, dict):
        return {str(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_safe(v) for v in value]
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def lint_paths(paths: Sequence[Path], settings: Settings, linter: Linter | None = None) -> Report:
    return lint_files(collect_articles(paths), settings, linter)


def lint_files(
    files: Sequence[Path],
    settings: Settings,
    linter: Linter | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Report:
    """Lint files already collected; ``report.files[i]`` is the result for ``files[i]``.
    ``progress(done, total)`` is called after each file (the CLI draws a bar on a terminal)."""
    linter = linter or Linter.create(settings)
    results = []
    for done, path in enumerate(files, start=1):
        results.append(linter.lint_file(path, display_path(path)))
        if progress:
            progress(done, len(files))
    return linter.report(results)


def collect_articles(paths: Sequence[Path]) -> list[Path]:
    """Articles under ``paths``, each once, in a stable order. A missing path, or a directory
    with no articles in it, is an ``InputPathError``: linting nothing must never look like a pass."""
    found: list[Path] = []
    for path in paths:
        if not path.exists():
            raise InputPathError(f"{path}: no such file or directory (check the path)")
        if path.is_dir():
            articles = sorted(_articles_under(path))
            if not articles:
                raise InputPathError(
                    f"{path}: no articles found (looked for {', '.join(ARTICLE_SUFFIXES)} files)"
                )
            found.extend(articles)
        else:
            found.append(path)
    unique: dict[Path, Path] = {}
    for path in found:
        unique.setdefault(path.resolve(), path)
    return list(unique.values())


def _articles_under(directory: Path) -> Iterable[Path]:
    for root, directories, files in os.walk(directory):
        directories[:] = sorted(d for d in directories if not d.startswith(".") and d not in _SKIPPED_DIRECTORIES)
        for name in files:
            if name.lower().endswith(ARTICLE_SUFFIXES) and not name.startswith("."):
                yield Path(root) / name


def display_path(path: Path) -> str:
    """The path as the user would type it: relative to here when it is below here. Links are
    not followed, so a broken link is named by its own name."""
    absolute = Path(os.path.abspath(path))
    try:
        return absolute.relative_to(Path(os.path.abspath(Path.cwd()))).as_posix()
    except ValueError:
        return path.as_posix()


def unreadable_result(label: str, problem: Unreadable, rulebook: Rulebook) -> FileResult:
    rule = rulebook.by_id(problem.rule)
    line = problem.line or 1
    finding = Finding(
        rule=rule.id,
        category=Category.INPUT,
        severity=Severity.ERROR,
        path=label,
        # An empty span where the problem is: the text may not even be decodable, so there is
        # nothing to quote, and an empty excerpt is still the source text at an empty span.
        span=Span(problem.offset, problem.offset),
        position=Position(line, problem.column, line, problem.column),
        excerpt="",
        message=f"{label} {problem.message}",
    )
    return FileResult(label, (finding,))
