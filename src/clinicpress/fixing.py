"""``lint --fix``: apply the unambiguous corrections (a finding with exactly one fix: a
substitution rule's replacement, a single spelling suggestion, a missing disclaimer) and write
each file atomically. ``--diff`` shows what would change without writing.

The file is read again and must still be exactly what was linted (its SHA-256 is in the lint
result); a file that changed in between is left alone rather than edited at stale offsets.
"""

from __future__ import annotations

import difflib
import hashlib
from dataclasses import dataclass
from pathlib import Path

from clinicpress.atomic import write_text_atomic
from clinicpress.document.reading import Unreadable, read_source
from clinicpress.model import FileResult, Finding


@dataclass(frozen=True)
class FileFix:
    path: Path
    label: str
    before: str  # newlines normalised to "\n", as linted
    after: str
    newline: str
    applied: tuple[Finding, ...]

    def diff(self) -> str:
        return "".join(
            difflib.unified_diff(
                self.before.splitlines(keepends=True),
                self.after.splitlines(keepends=True),
                fromfile=f"a/{self.label}",
                tofile=f"b/{self.label}",
            )
        )

    def write(self) -> None:
        write_text_atomic(self.path, self.after, self.newline)


def plan_fix(path: Path, result: FileResult) -> FileFix | str | None:
    """The fix for one file, a reason it cannot be fixed, or None when there is nothing to do."""
    fixable = sorted((f for f in result.findings if f.fix is not None), key=lambda f: (f.fix.span.start, f.fix.span.end))
    if not fixable:
        return None
    try:
        source = read_source(path)
    except Unreadable as problem:
        return f"{result.path}: not fixed: {problem}"
    if hashlib.sha256(source.text.encode("utf-8")).hexdigest() != result.fact("sha256"):
        return f"{result.path}: not fixed: the file changed while it was being checked; run again"
    pieces, applied, cursor = [], [], 0
    for finding in fixable:
        edit = finding.fix
        if edit.span.start < cursor:
            continue  # overlaps an edit already taken: the next run will see it afresh
        pieces.append(source.text[cursor : edit.span.start])
        pieces.append(edit.text)
        cursor = edit.span.end
        applied.append(finding)
    pieces.append(source.text[cursor:])
    return FileFix(path, result.path, source.text, "".join(pieces), source.newline, tuple(applied))


def describe(fix: FileFix) -> list[str]:
    lines = []
    for finding in fix.applied:
        replacement = finding.fix.text.strip()
        if len(replacement) > 60:
            replacement = replacement[:57] + "..."
        what = f"'{finding.excerpt}' -> '{replacement}'" if finding.excerpt else f"inserted '{replacement}'"
        lines.append(f"{fix.label}:{finding.line}:{finding.column}: fixed {finding.rule}: {what}")
    return lines
