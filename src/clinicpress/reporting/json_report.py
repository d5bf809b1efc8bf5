"""The JSON contract, version 1 (documented in README.md). CI jobs and editors' tools parse this:
keys are only ever added, never renamed or removed, without a new version number."""

from __future__ import annotations

import json
from typing import Any

from clinicpress.model import Finding, Report, Severity

VERSION = 1


def render(report: Report, color: bool = False) -> str:
    # Compact on purpose: indentation makes the json module fall back to its pure-Python encoder,
    # which took most of a warm run over 1,000 articles. Pipe through `jq .` to read it.
    return json.dumps(as_data(report), ensure_ascii=False) + "\n"


def as_data(report: Report) -> dict[str, Any]:
    return {
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
        "files": [
            {
                "path": result.path,
                "findings": [finding_data(f) for f in result.findings],
                "suppressed": [finding_data(f) | {"reason": f.suppression_reason} for f in result.suppressed],
            }
            for result in report.files
        ],
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
