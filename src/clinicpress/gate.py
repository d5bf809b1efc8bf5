"""May this exact content go out? One answer, shared by the audit (ready / blocked and why) and
by ``publish`` (which refuses what is blocked).

An article is ready when its lint has no error — for exactly the content that was linted — and
its front matter says ``status: approved`` (or ``published``) with who approved it, when, and
who reviewed it medically.
"""

from __future__ import annotations

from dataclasses import dataclass

from clinicpress.model import FileResult, Severity

APPROVED_STATUSES = ("approved", "published")
APPROVAL_FIELDS = ("approved_by", "approved_on", "medical_reviewer")


@dataclass(frozen=True)
class Readiness:
    ready: bool
    reasons: tuple[str, ...]  # why not, in words an editor reads


def readiness(result: FileResult) -> Readiness:
    reasons: list[str] = []
    if result.unreadable:
        reasons.append("the file cannot be read: " + result.findings[0].message)
        return Readiness(False, tuple(reasons))
    errors = [f for f in result.findings if f.severity is Severity.ERROR]
    if errors:
        by_category: dict[str, int] = {}
        for finding in errors:
            by_category[finding.category.value] = by_category.get(finding.category.value, 0) + 1
        summary = ", ".join(f"{count} {category}" for category, count in sorted(by_category.items()))
        reasons.append(f"{len(errors)} lint error{'s' if len(errors) != 1 else ''} ({summary})")
    front_matter = result.fact("front_matter", {}) or {}
    status = front_matter.get("status")
    if status not in APPROVED_STATUSES:
        reasons.append(f"status is {status!r}, not approved" if status else "no status in front matter")
    missing = [field for field in APPROVAL_FIELDS if not front_matter.get(field)]
    if missing:
        reasons.append("no " + ", no ".join(missing))
    return Readiness(not reasons, tuple(reasons))
