"""The JSON contract, version 1 (documented in README.md). CI jobs and editors' tools parse this:
keys are only ever added, never renamed or removed, without a new version number."""

from __future__ import annotations

import json
from typing import Any, Iterator

from clinicpress.model import FileResult, Finding, Report, Severity

VERSION = 1


def render(report: Report, color: bool = False) -> str:
    return "".join(stream(report))


def stream(report: Report, color: bool = False) -> Iterator[str]:
    """The same JSON, one file at a time, so that a report on 100,000 articles is never held
    twice in memory. Compact on purpose: indentation makes the json module fall back to its
    pure-Python encoder, which took most of a warm run over 1,000 articles (use `jq .` to read)."""
    head = as_data(report, with_files=False)
    opening = json.dumps(head, ensure_ascii=False)
    yield opening[:-1] + ', "files": ['
    for number, result in enumerate(report.files):
        yield ("," if number else "") + json.dumps(file_data(result), ensure_ascii=False)
    yield "]}\n"


def as_data(report: Report, with_files: bool = True) -> dict[str, Any]:
    data = {
        "version": VERSION,
        "tool": {"name": "clinicpress", "version": report.tool_version},
        "engines": {engine.role: {"name": engine.name, "version": engine.version} for engine in report.engines},
        "rule_pack": {"sha256": report.rule_pack_hash},
        "summary": {
            "files": len(report.files),
            "errors": report.count(Severity.ERROR),
            "warnings": report.count(Severity.WARNING),
            "infos": report.count(Severity.INFO),
            "suppressed": report.suppressed_count,
        },
        "errors": list(report.errors),
    }
    if with_files:
        data["files"] = [file_data(result) for result in report.files]
    return data


def file_data(result: FileResult) -> dict[str, Any]:
    return {
        "path": result.path,
        "findings": [finding_data(f) for f in result.findings],
        "suppressed": [finding_data(f) | {"reason": f.suppression_reason} for f in result.suppressed],
    }


def finding_data(finding: Finding) -> dict[str, Any]:
    return {
        "rule": finding.rule,
        "category": finding.category.value,
        "severity": finding.severity.value,
        "line": finding.position.line,
        "column": finding.position.column,
        "end_line": finding.position.end_line,
        "end_column": finding.position.end_column,
        "excerpt": finding.excerpt,
        "message": finding.message,
        "suggestions": list(finding.suggestions),
    }
