"""One module per output format; each turns a whole Report into a string (principle 7)."""

from __future__ import annotations

from typing import Callable

from clinicpress.model import Report
from clinicpress.reporting import json_report, text

Formatter = Callable[..., str]

FORMATTERS: dict[str, Formatter] = {
    "text": text.render,
    "json": json_report.render,
}
