"""Per-file lint results kept in ``.clinicpress_cache/``, so an unchanged article is not linted
again.

An entry's key is the SHA-256 of: the file's bytes, the rule pack's digest, every setting that
changes a result, the engines and their versions, clinicpress's version and today's date (a
medical review can become stale overnight). Change any of them and the entry is simply never
looked up again. Entries are JSON, never pickle: a cache directory committed by mistake or
planted in a repository must not be able to run code. An entry that cannot be read, parsed or
validated is a miss and is rebuilt; the cache never makes a run fail.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from pathlib import Path
from typing import Any

from clinicpress import __version__
from clinicpress.atomic import write_text_atomic
from clinicpress.document.reading import decode_source
from clinicpress.model import (
    Category,
    ClaimRecord,
    DisclaimerRecord,
    Edit,
    FileResult,
    Finding,
    Position,
    ReferenceRecord,
    Severity,
    Span,
)

DIRECTORY = ".clinicpress_cache"
FORMAT = 1


class ResultCache:
    def __init__(self, directory: Path, run_key: str) -> None:
        self.directory = directory / f"v{FORMAT}"
        self.run_key = run_key
        self.hits = 0
        self.misses = 0

    @classmethod
    def for_run(cls, base_dir: Path, parts: dict[str, Any], today: datetime.date) -> ResultCache:
        material = json.dumps({**parts, "tool": __version__, "today": today.isoformat()}, sort_keys=True, default=str)
        return cls(base_dir / DIRECTORY, hashlib.sha256(material.encode()).hexdigest())

    def _entry(self, data: bytes) -> Path:
        key = hashlib.sha256(self.run_key.encode() + b"\0" + data).hexdigest()
        return self.directory / key[:2] / f"{key}.json"

    def get(self, data: bytes, label: str) -> FileResult | None:
        path = self._entry(data)
        try:
            entry = json.loads(path.read_text(encoding="utf-8"))
            source = decode_source(data).text if entry["claims"] else ""
            result = result_from_json(entry, label, source)
        except FileNotFoundError:
            self.misses += 1
            return None
        except Exception:  # noqa: BLE001 - anything wrong with an entry makes it a miss
            self.misses += 1
            return None
        self.hits += 1
        return result

    def put(self, data: bytes, result: FileResult) -> None:
        path = self._entry(data)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            _ignore_in_git(self.directory.parent)
            write_text_atomic(path, json.dumps(result_to_json(result), ensure_ascii=False, separators=(",", ":")))
        except OSError:
            pass  # a read-only checkout still lints; it just does not remember


def _ignore_in_git(directory: Path) -> None:
    marker = directory / ".gitignore"
    if not marker.exists():
        marker.write_text("# clinicpress's cache of lint results: safe to delete\n*\n", encoding="utf-8")


# -- JSON forms -------------------------------------------------------------------------------


def result_to_json(result: FileResult) -> dict[str, Any]:
    facts = dict(result.facts)
    return {
        "findings": [_finding(f) for f in result.findings],
        "suppressed": [_finding(f) for f in result.suppressed],
        "facts": {
            key: value
            for key, value in facts.items()
            if key not in ("claims", "disclaimers")
        },
        "claims": [_claim(c) for c in result.claims],
        "disclaimers": [[d.id, d.status, d.message, d.line] for d in result.disclaimers],
    }


def result_from_json(data: dict[str, Any], label: str, source: str = "") -> FileResult:
    # Facts are JSON values already (checks keep JSON-shaped facts so that a cached result takes
    # part in checks across files exactly like a fresh one).
    facts = dict(data["facts"])
    facts["claims"] = tuple(_claim_back(c, source) for c in data["claims"])
    facts["disclaimers"] = tuple(DisclaimerRecord(str(i), str(s), str(m), line) for i, s, m, line in data["disclaimers"])
    return FileResult(
        label,
        tuple(_finding_back(f, label) for f in data["findings"]),
        tuple(_finding_back(f, label) for f in data["suppressed"]),
        tuple(facts.items()),
    )


def _finding(f: Finding) -> list[Any]:
    p = f.position
    fix = [f.fix.span.start, f.fix.span.end, f.fix.text] if f.fix else None
    return [
        f.rule, f.category.value, f.severity.value, f.span.start, f.span.end,
        p.line, p.column, p.end_line, p.end_column, f.excerpt, f.message,
        list(f.suggestions), f.suppression_reason, fix,
    ]


def _finding_back(raw: list[Any], label: str) -> Finding:
    (rule, category, severity, start, end, line, column, end_line, end_column, excerpt, message,
     suggestions, reason, fix) = raw
    return Finding(
        rule=str(rule),
        category=Category(category),
        severity=Severity(severity),
        path=label,
        span=Span(int(start), int(end)),
        position=Position(int(line), int(column), int(end_line), int(end_column)),
        excerpt=str(excerpt),
        message=str(message),
        suggestions=tuple(str(s) for s in suggestions),
        suppression_reason=reason,
        fix=Edit(Span(int(fix[0]), int(fix[1])), str(fix[2])) if fix else None,
    )


def _claim(c: ClaimRecord) -> dict[str, Any]:
    return {
        "sentence": c.sentence, "span": [c.span.start, c.span.end],
        "position": [c.position.line, c.position.column, c.position.end_line, c.position.end_column],
        "section": c.section, "kinds": list(c.kinds), "triggers": list(c.triggers),
        "trigger_spans": [[s.start, s.end] for s in c.trigger_spans], "status": c.status,
        "citations": list(c.citations),
        "references": [[r.id, r.text, r.doi, r.pmid, r.evidence] for r in c.references],
        "concerns": list(c.concerns), "suggestion": c.suggestion, "scope": c.scope,
        "context_start": c.context_start, "context_end": c.context_start + len(c.context), "rules": list(c.rules),
    }


def _claim_back(raw: dict[str, Any], source: str) -> ClaimRecord:
    return ClaimRecord(
        sentence=raw["sentence"],
        span=Span(*raw["span"]),
        position=Position(*raw["position"]),
        section=raw["section"],
        kinds=tuple(raw["kinds"]),
        triggers=tuple(raw["triggers"]),
        trigger_spans=tuple(Span(*s) for s in raw["trigger_spans"]),
        status=raw["status"],
        citations=tuple(raw["citations"]),
        references=tuple(ReferenceRecord(*r) for r in raw["references"]),
        concerns=tuple(raw["concerns"]),
        suggestion=raw["suggestion"],
        scope=raw["scope"],
        # The paragraph is not stored: it is in the file whose bytes were just read and hashed.
        context=source[raw["context_start"] : raw["context_end"]],
        context_start=raw["context_start"],
        rules=tuple(raw["rules"]),
    )
