"""One module per output format; each turns a whole Report into a string (principle 7)."""

from __future__ import annotations

from typing import Callable

from clinicpress.model import Report
from clinicpress.reporting import audit_json, github, json_report, junit, sarif, text

Formatter = Callable[..., str]

FORMATTERS: dict[str, Formatter] = {
    "text": text.render,
    "json": json_report.render,
    "sarif": sarif.render,
    "github": github.render,
    "junit": junit.render,
}

# The claim audit: one report for editors (html), one for pull requests (markdown), one for tools.
AUDIT_FORMATTERS: dict[str, Formatter] = {
    "json": audit_json.render,
}
