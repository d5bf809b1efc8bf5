"""GitHub Actions workflow commands: each finding becomes an annotation on the pull request.

Escaping follows @actions/toolkit (packages/core/src/command.ts, escapeData and escapeProperty):
the runner splits a command at ``::`` and properties at ``,``, and a raw newline would end the
command, so those characters in a value must travel percent-encoded."""

from __future__ import annotations

from clinicpress.model import Finding, Report, Severity
from clinicpress.reporting.text import summary

_COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def render(report: Report, color: bool = False) -> str:
    # ``color`` is ignored: escape codes inside a command would end up in the annotation text.
    lines = [annotation(finding) for result in report.files for finding in result.findings]
    lines.extend(f"::error title={escape_property('clinicpress')}::{escape_data(error)}" for error in report.errors)
    # Not a command, so the runner prints it to the log as it is.
    lines.append(summary(report))
    return "\n".join(lines) + "\n"


def annotation(finding: Finding) -> str:
    position = finding.position
    properties = {
        "file": finding.path,
        "line": position.line,
        "col": position.column,
        "endLine": position.end_line,
        "endColumn": position.end_column,
        "title": finding.rule,
    }
    joined = ",".join(f"{key}={escape_property(str(value))}" for key, value in properties.items())
    return f"::{_COMMANDS[finding.severity]} {joined}::{escape_data(finding.message)}"


def escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(value: str) -> str:
    return escape_data(value).replace(":", "%3A").replace(",", "%2C")
