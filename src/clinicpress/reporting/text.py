"""``path:line:col: severity rule message`` a finding, then one summary line."""

from __future__ import annotations

from typing import Iterator

from clinicpress.model import Finding, Report, Severity

_COLOURS = {Severity.ERROR: "\033[31m", Severity.WARNING: "\033[33m", Severity.INFO: "\033[36m"}
_BOLD, _DIM, _RESET = "\033[1m", "\033[2m", "\033[0m"


def render(report: Report, color: bool = False) -> str:
    return "".join(stream(report, color))


def stream(report: Report, color: bool = False) -> Iterator[str]:
    for result in report.files:
        for finding in result.findings:
            yield _line(finding, color) + "\n"
    for error in report.errors:
        yield f"clinicpress: {error}\n"
    yield summary(report) + "\n"


def _line(finding: Finding, color: bool) -> str:
    where = f"{finding.path}:{finding.line}:{finding.column}:"
    severity = finding.severity.value
    message = finding.message
    if finding.suggestions:
        message += f" (suggestion: {', '.join(finding.suggestions[:3])})"
    if color:
        where = f"{_BOLD}{where}{_RESET}"
        severity = f"{_COLOURS[finding.severity]}{severity}{_RESET}"
        return f"{where} {severity} {_DIM}{finding.rule}{_RESET} {message}"
    return f"{where} {severity} {finding.rule} {message}"


def summary(report: Report) -> str:
    def count(n: int, word: str) -> str:
        return f"{n} {word}{'' if n == 1 else 's'}"

    files = len(report.files)
    text = (
        f"{count(files, 'file')} checked: {count(report.count(Severity.ERROR), 'error')}, "
        f"{count(report.count(Severity.WARNING), 'warning')}, {report.count(Severity.INFO)} info"
    )
    if report.suppressed_count:
        text += f"; {report.suppressed_count} suppressed"
    # Which engine judged the spelling is part of every report: a clean result from a different
    # engine is a different result.
    engines = ", ".join(f"{e.role}: {e.name} {e.version}" for e in report.engines)
    return f"{text} ({engines})" if engines else text
