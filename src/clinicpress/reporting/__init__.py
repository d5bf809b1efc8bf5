"""One module per output format; each turns a whole Report into a string (principle 7).

The registries map a format's name to the module that renders it. Modules are imported only
when their format is asked for: a one-article lint in a pre-commit hook should not pay for
loading the SARIF, JUnit and HTML writers.
"""

from __future__ import annotations

import importlib
from typing import Callable, Iterator

from clinicpress.model import Report

Formatter = Callable[..., str]

FORMATTERS: dict[str, str] = {
    "text": "clinicpress.reporting.text",
    "json": "clinicpress.reporting.json_report",
    "sarif": "clinicpress.reporting.sarif",
    "github": "clinicpress.reporting.github",
    "junit": "clinicpress.reporting.junit",
}

# The claim audit: one report for editors (html), one for pull requests (markdown), one for tools.
AUDIT_FORMATTERS: dict[str, str] = {
    "json": "clinicpress.reporting.audit_json",
    "html": "clinicpress.reporting.audit_html",
    "markdown": "clinicpress.reporting.audit_markdown",
}


def render(registry: dict[str, str], name: str, report: Report, color: bool = False) -> str:
    module = importlib.import_module(registry[name])
    return module.render(report, color=color)


def stream(registry: dict[str, str], name: str, report: Report, color: bool = False) -> Iterator[str]:
    """The report in pieces, for formats that can be written as they are made (text, json);
    others come as one piece."""
    module = importlib.import_module(registry[name])
    if hasattr(module, "stream"):
        return module.stream(report, color=color)
    return iter((module.render(report, color=color),))
