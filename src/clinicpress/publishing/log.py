"""The publish log: one CSV row per write that reached the site, appended, never rewritten.
CSV because editors open it in a spreadsheet; every row says who approved what went out."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from clinicpress.atomic import write_text_atomic
from clinicpress.publishing.publisher import Outcome

COLUMNS = ("time", "target", "article", "slug", "action", "post_id", "url", "sha256", "approved_by")


def append(path: Path, target: str, outcome: Outcome, time: str) -> None:
    existing = path.read_text(encoding="utf-8") if path.exists() else ""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    if not existing:
        writer.writerow(COLUMNS)
    writer.writerow(
        (time, target, outcome.path, outcome.slug, outcome.action, outcome.post_id or "", outcome.url, outcome.sha256, outcome.approved_by)
    )
    # Rewriting the whole small file atomically keeps an interrupted run from leaving half a row.
    write_text_atomic(path, existing + buffer.getvalue())


def read(path: Path) -> list[dict[str, str]]:
    if not path.exists():
        return []
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
