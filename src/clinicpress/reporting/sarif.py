"""SARIF 2.1.0 (OASIS Standard with Errata 01), the format code-scanning services ingest.

One run per report. Suppressed findings are results too, carrying an in-source suppression, so a
viewer can show what was silenced and why instead of silently losing it."""

from __future__ import annotations

import importlib.metadata
import json
import re
from pathlib import PurePosixPath, PureWindowsPath
from typing import Any
from urllib.parse import quote

from clinicpress.model import Category, Finding, Report, RuleSummary, Severity

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
SARIF_VERSION = "2.1.0"
SOURCE_ROOT = "%SRCROOT%"

_LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def _project_homepage() -> str | None:
    """informationUri comes from the installed package's metadata so that it names a real page,
    the one pyproject.toml declares, rather than a guess hard-coded here."""
    try:
        metadata = importlib.metadata.metadata("clinicpress")
    except importlib.metadata.PackageNotFoundError:
        return None
    for entry in metadata.get_all("Project-URL") or ():
        label, _, url = entry.partition(",")
        if label.strip().lower() in {"homepage", "home", "documentation", "repository", "source"}:
            return url.strip()
    return metadata.get("Home-page") or None


INFORMATION_URI = _project_homepage()


def render(report: Report, color: bool = False) -> str:
    return json.dumps(as_data(report), ensure_ascii=False, indent=2) + "\n"


def as_data(report: Report) -> dict[str, Any]:
    rules = _rule_descriptors(report)
    rule_index = {descriptor["id"]: index for index, descriptor in enumerate(rules)}
    results = [
        _result(finding, rule_index)
        for file_result in report.files
        for finding in sorted(file_result.findings + file_result.suppressed, key=Finding.sort_key)
    ]
    driver: dict[str, Any] = {"name": "clinicpress", "version": report.tool_version}
    if INFORMATION_URI:
        driver["informationUri"] = INFORMATION_URI
    driver["rules"] = rules
    input_failed = bool(report.errors) or any(file_result.unreadable for file_result in report.files)
    return {
        "$schema": SCHEMA_URI,
        "version": SARIF_VERSION,
        "runs": [
            {
                "tool": {"driver": driver},
                "invocations": [
                    {
                        "executionSuccessful": not input_failed,
                        "toolExecutionNotifications": [
                            {"level": "error", "message": {"text": error}} for error in report.errors
                        ],
                    }
                ],
                "originalUriBaseIds": {
                    SOURCE_ROOT: {"description": {"text": "The directory clinicpress was run from."}}
                },
                "columnKind": "unicodeCodePoints",
                "results": results,
                "properties": {
                    "engines": {
                        engine.role: {"name": engine.name, "version": engine.version} for engine in report.engines
                    },
                    "rulePack": {"sha256": report.rule_pack_hash},
                },
            }
        ],
    }


def _rule_descriptors(report: Report) -> list[dict[str, Any]]:
    descriptors = [_descriptor(rule) for rule in report.rules]
    known = {rule.id for rule in report.rules}
    # A finding whose rule the report does not describe (a hand-made report, say) still needs a
    # descriptor, or its ruleIndex would point at nothing.
    for file_result in report.files:
        for finding in file_result.findings + file_result.suppressed:
            if finding.rule not in known:
                known.add(finding.rule)
                descriptors.append(_bare_descriptor(finding))
    return descriptors


def _descriptor(rule: RuleSummary) -> dict[str, Any]:
    descriptor: dict[str, Any] = {
        "id": rule.id,
        "name": _readable_name(rule.id),
        "shortDescription": {"text": rule.message},
        "fullDescription": {"text": rule.why},
        "help": {"text": rule.why},
    }
    if rule.link:
        descriptor["helpUri"] = rule.link
    descriptor["defaultConfiguration"] = {"level": _LEVELS[rule.severity]}
    descriptor["properties"] = _rule_properties(rule.category)
    return descriptor


def _bare_descriptor(finding: Finding) -> dict[str, Any]:
    return {
        "id": finding.rule,
        "name": _readable_name(finding.rule),
        "defaultConfiguration": {"level": _LEVELS[finding.severity]},
        "properties": _rule_properties(finding.category),
    }


def _rule_properties(category: Category) -> dict[str, Any]:
    # GitHub code scanning filters alerts by properties.tags; other viewers read category.
    return {"category": category.value, "tags": [category.value]}


def _readable_name(rule_id: str) -> str:
    """``confusion/clinical-trail`` -> ``ConfusionClinicalTrail``: the spec wants a name a person
    can read that is not the opaque id, and its examples use this PascalCase form."""
    return "".join(word[:1].upper() + word[1:] for word in re.split(r"[^0-9A-Za-z]+", rule_id) if word)


def _result(finding: Finding, rule_index: dict[str, int]) -> dict[str, Any]:
    result: dict[str, Any] = {
        "ruleId": finding.rule,
        "ruleIndex": rule_index[finding.rule],
        "level": _LEVELS[finding.severity],
        "message": {"text": finding.message},
        "locations": [
            {"physicalLocation": {"artifactLocation": artifact_location(finding.path), "region": _region(finding)}}
        ],
    }
    if finding.suggestions:
        result["fixes"] = _fixes(finding)
        result["properties"] = {"category": finding.category.value, "suggestions": list(finding.suggestions)}
    else:
        result["properties"] = {"category": finding.category.value}
    if finding.suppressed:
        result["suppressions"] = [{"kind": "inSource", "justification": finding.suppression_reason}]
    return result


def artifact_location(path: str) -> dict[str, Any]:
    """A relative path becomes a URI reference against %SRCROOT%; an absolute one (a file outside
    the working directory) becomes a file: URI, since no base can make it relative."""
    if PureWindowsPath(path).drive:
        return {"uri": PureWindowsPath(path).as_uri()}
    posix = path.replace("\\", "/")
    if posix.startswith("/"):
        return {"uri": PurePosixPath(posix).as_uri()}
    # Spaces, '#', '?' and non-ASCII letters are legal in file names but not in a URI reference.
    return {"uri": quote(posix, safe="/-._~!$&'()*+,;=@"), "uriBaseId": SOURCE_ROOT}


def _region(finding: Finding) -> dict[str, Any]:
    position = finding.position
    region: dict[str, Any] = {"startLine": position.line, "startColumn": position.column}
    # An empty span (an unreadable file, say) is a point: end coordinates and an empty snippet
    # would only invite viewers to highlight nothing.
    if len(finding.span):
        region["endLine"] = position.end_line
        region["endColumn"] = position.end_column
        region["snippet"] = {"text": finding.excerpt}
    return region


def _fixes(finding: Finding) -> list[dict[str, Any]]:
    deleted = _region(finding)
    deleted.pop("snippet", None)
    return [
        {
            "description": {"text": f"Replace with '{suggestion}'"},
            "artifactChanges": [
                {
                    "artifactLocation": artifact_location(finding.path),
                    "replacements": [{"deletedRegion": deleted, "insertedContent": {"text": suggestion}}],
                }
            ],
        }
        for suggestion in finding.suggestions
    ]
