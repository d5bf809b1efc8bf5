"""The pipeline: read → parse → run checks → apply suppressions → Report."""

from __future__ import annotations

import concurrent.futures
import datetime
import hashlib
import multiprocessing
import os
from dataclasses import replace
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping, Sequence

from clinicpress import __version__
from clinicpress.checks import CHECKS, CheckContext, claim_ranker, finding_at, option_schemas
from clinicpress.cache import ResultCache
from clinicpress.document import (
    ARTICLE_SUFFIXES,
    Document,
    Unreadable,
    parse_document,
    parse_source,
    parse_suppressions,
)
from clinicpress.document.reading import decode_source, read_bytes
from clinicpress.document.suppressions import apply_suppressions
from clinicpress.model import Category, EngineInfo, FileResult, Finding, Position, Report, Severity, Span
from clinicpress.rulebook import Rulebook, load_rulebook
from clinicpress.settings import Settings
from clinicpress.spelling.engines import engine_identity, engine_info

_SKIPPED_DIRECTORIES = {"node_modules", "__pycache__", "venv"}


class InputPathError(Exception):
    """A path on the command line that cannot be linted at all (missing, or holds no articles)."""


class PreparedKinds(Mapping[str, Any]):
    """Each kind of check prepared on first use, in the registry's order of dependence (the
    disclaimer kind reads the claims kind's analysis). A warm run, every result from the cache,
    prepares at most the cheap kinds that compare articles."""

    def __init__(self, rulebook: Rulebook, settings: Settings, today: datetime.date) -> None:
        self._rulebook = rulebook
        self._kinds = [name for name in CHECKS if rulebook.of_kind(name)]
        self._done: dict[str, Any] = {}
        self._context = CheckContext(settings, rulebook.directory, today, self)

    def __getitem__(self, name: str) -> Any:
        if name not in self._kinds:
            raise KeyError(name)
        if name not in self._done:
            self._done[name] = CHECKS[name].prepare(self._rulebook.of_kind(name), self._context)
        return self._done[name]

    def __iter__(self):
        return iter(self._kinds)

    def __len__(self) -> int:
        return len(self._kinds)

    def is_prepared(self, name: str) -> bool:
        return name in self._done


class Linter:
    """A rule pack whose checks are prepared on first need, for any number of articles.
    Preparing compiles every rule's patterns; a run whose files all come from the cache never
    needs to."""

    def __init__(self, rulebook: Rulebook, settings: Settings, today: datetime.date) -> None:
        self.rulebook = rulebook
        self.settings = settings
        self.today = today
        self.clock: Callable[[], datetime.datetime] = lambda: datetime.datetime.now(datetime.timezone.utc)
        self.kinds = PreparedKinds(rulebook, settings, today)

    @classmethod
    def create(
        cls, settings: Settings, rulebook: Rulebook | None = None, today: datetime.date | None = None
    ) -> Linter:
        rulebook = (rulebook or load_rulebook(settings.rules_dir, option_schemas())).configured(settings)
        return cls(rulebook, settings, today or datetime.date.today())

    def prepare_all(self) -> None:
        for name in self.kinds:
            self.kinds[name]

    @property
    def prepared(self) -> tuple[tuple[str, Any], ...]:
        """(check kind, its prepared rules) for every kind, in registry order."""
        return tuple((name, self.kinds[name]) for name in self.kinds)

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
            data = read_bytes(path)
        except Unreadable as problem:
            return unreadable_result(label, problem, self.rulebook)
        return self.lint_bytes(data, label, is_markdown=path.suffix.lower() != ".txt")

    def lint_bytes(self, data: bytes, label: str, *, is_markdown: bool = True) -> FileResult:
        try:
            document = parse_source(decode_source(data), label, is_markdown=is_markdown)
        except Unreadable as problem:
            return unreadable_result(label, problem, self.rulebook)
        return self.check(document)

    def cache_key(self) -> dict[str, Any]:
        """Everything besides a file's bytes that can change its result (without preparing the
        checks: a warm run must stay cheap)."""
        settings = self.settings
        spelling = settings.spelling
        return {
            "rules": self.rulebook.digest,
            "profile": settings.profile,
            "citation_scope": settings.citation_scope,
            "spelling": engine_identity(spelling.engine, language=spelling.language, languagetool_url=spelling.languagetool_url),
            "disable": sorted(settings.disable),
            "severity": sorted(settings.severity.items()),
            "claim_ranker": claim_ranker.weights_digest(),
        }

    def engines(self) -> tuple[EngineInfo, ...]:
        infos: list[EngineInfo] = []
        for name in self.kinds:
            if not CHECKS[name].engines:
                continue
            if self.kinds.is_prepared(name):
                infos.extend(CHECKS[name].engines(self.kinds[name]))
            elif name == "spelling":  # every result came from the cache: name the engine, don't build it
                spelling = self.settings.spelling
                infos.append(engine_info(spelling.engine, language=spelling.language, languagetool_url=spelling.languagetool_url))
        return tuple(infos)

    def lint_text(self, text: str, label: str = "<text>") -> FileResult:
        try:
            document = parse_document(text, label)
        except Unreadable as problem:
            return unreadable_result(label, problem, self.rulebook)
        return self.check(document)

    def across_files(self, results: Sequence[FileResult]) -> list[FileResult]:
        """Add the findings of checks that compare articles with each other."""
        extra: dict[str, list[Finding]] = {}
        for name in self.kinds:
            if CHECKS[name].across_files:
                for finding in CHECKS[name].across_files(results, self.kinds[name]):
                    extra.setdefault(finding.path, []).append(finding)
        if not extra:
            return list(results)
        return [
            replace(result, findings=tuple(sorted(result.findings + tuple(extra.get(result.path, ())), key=Finding.sort_key)))
            for result in results
        ]

    def report(self, results: Sequence[FileResult]) -> Report:
        engines = self.engines()
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
    cache: ResultCache | None = None,
    jobs: int = 1,
    keep_records: bool = True,
) -> Report:
    """Lint files already collected; ``report.files[i]`` is the result for ``files[i]``.

    With a ``cache``, unchanged files are not linted again. With ``jobs`` > 1 and enough files,
    the files to lint are shared out over worker processes; the report is the same, in the same
    order, as a serial run. ``progress(done, total)`` is called as files finish. Without
    ``keep_records`` the claim and disclaimer records (with their paragraphs) are dropped as soon
    as each file is done: a lint of 100,000 articles does not need them, the audit does."""
    linter = linter or Linter.create(settings)
    labels = [display_path(path) for path in files]
    results: list[FileResult | None] = [None] * len(files)
    pending: list[int] = []
    contents: dict[int, bytes] = {}
    done = 0
    for index, path in enumerate(files):
        if cache is not None:
            try:
                contents[index] = read_bytes(path)
            except Unreadable as problem:
                results[index] = unreadable_result(labels[index], problem, linter.rulebook)
                done += 1
                continue
            cached = cache.get(contents[index], labels[index])
            if cached is not None:
                results[index] = cached if keep_records else without_records(cached)
                done += 1
                continue
        pending.append(index)
    if progress and done:
        progress(done, len(files))
    for index, result in _lint_pending(linter, files, labels, contents, pending, jobs):
        if cache is not None and index in contents and not result.unreadable:
            cache.put(contents[index], result)
        results[index] = result if keep_records else without_records(result)
        done += 1
        if progress:
            progress(done, len(files))
    return linter.report([r for r in results if r is not None])


_RECORDS = ("claims", "disclaimers", "review")


def without_records(result: FileResult) -> FileResult:
    return replace(result, facts=tuple((k, v) for k, v in result.facts if k not in _RECORDS))


# Below this many files to lint, starting worker processes costs more than it saves.
PARALLEL_THRESHOLD = 64
_worker_linter: Linter | None = None


def _lint_pending(linter: Linter, files, labels, contents, pending: list[int], jobs: int):
    if jobs <= 1 or len(pending) < PARALLEL_THRESHOLD:
        for index in pending:
            yield index, _lint_one(linter, files[index], labels[index], contents.get(index))
        return
    global _worker_linter
    linter.prepare_all()  # here, once: the forked workers inherit the prepared checks
    _worker_linter = linter
    context = multiprocessing.get_context("fork")
    tasks = [(index, files[index], labels[index], contents.get(index)) for index in pending]
    with concurrent.futures.ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
        chunk = max(1, len(tasks) // (jobs * 8))
        yield from pool.map(_lint_in_worker, tasks, chunksize=chunk)


def _lint_one(linter: Linter, path: Path, label: str, data: bytes | None) -> FileResult:
    if data is None:
        return linter.lint_file(path, label)
    return linter.lint_bytes(data, label, is_markdown=path.suffix.lower() != ".txt")


def _lint_in_worker(task) -> tuple[int, FileResult]:
    index, path, label, data = task
    assert _worker_linter is not None
    return index, _lint_one(_worker_linter, path, label, data)


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
