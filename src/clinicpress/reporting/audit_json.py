"""The claim audit as data, contract version 1 (documented in README.md, JSON Schema in
schemas/audit-v1.schema.json). The HTML and Markdown views are drawn from this same data, so
what an editor reads and what a CI job parses never disagree."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from clinicpress.gate import readiness
from clinicpress.model import ClaimRecord, FileResult, Report, Severity
from clinicpress.reporting.json_report import finding_data

VERSION = 1
STATUSES = ("supported", "unsupported", "dangling", "prohibited")


def render(report: Report, color: bool = False) -> str:
    return json.dumps(as_data(report), ensure_ascii=False, indent=2) + "\n"


def as_data(report: Report) -> dict[str, Any]:
    articles = [article_data(result, report.profile) for result in report.files]
    return {
        "version": VERSION,
        "tool": {"name": "clinicpress", "version": report.tool_version},
        "generated_at": report.generated_at,
        "profile": report.profile,
        "rule_pack": {"sha256": report.rule_pack_hash},
        "engines": {engine.role: {"name": engine.name, "version": engine.version} for engine in report.engines},
        "summary": summary(articles),
        "errors": list(report.errors),
        "articles": articles,
    }


def article_data(result: FileResult, default_profile: str) -> dict[str, Any]:
    front_matter = result.fact("front_matter", {}) or {}
    ready = readiness(result)
    return {
        "path": result.path,
        "title": result.fact("title") or "",
        "sha256": result.fact("sha256") or "",
        "profile": result.fact("profile") or front_matter.get("profile") or default_profile,
        "status": front_matter.get("status"),
        "approval": {key: front_matter.get(key) for key in ("approved_by", "approved_on", "medical_reviewer", "reviewed_on")},
        "ready": ready.ready,
        "blocked_because": list(ready.reasons),
        "claims": [claim_data(claim) for claim in result.claims],
        # Ranked by a model, not judged: sentences the rules left that read most like claims.
        "review": [dict(candidate) for candidate in result.review],
        "disclaimers": [
            {"id": d.id, "status": d.status, "message": d.message, "line": d.line} for d in result.disclaimers
        ],
        "findings": {
            "errors": result.count(Severity.ERROR),
            "warnings": result.count(Severity.WARNING),
            "infos": result.count(Severity.INFO),
            "by_category": dict(sorted(Counter(f.category.value for f in result.findings).items())),
        },
        # Everything but the claims, which have their own richer records above: same fields as
        # the lint contract's findings.
        "problems": [finding_data(f) for f in result.findings if f.category.value != "claim"],
        "suppressed": [
            {"rule": f.rule, "line": f.line, "excerpt": f.excerpt, "reason": f.suppression_reason}
            for f in result.suppressed
        ],
    }


def claim_data(claim: ClaimRecord) -> dict[str, Any]:
    return {
        "sentence": claim.sentence,
        "line": claim.position.line,
        "column": claim.position.column,
        "section": claim.section,
        "kinds": list(claim.kinds),
        "triggers": list(claim.triggers),
        "status": claim.status,
        "citations": list(claim.citations),
        "references": [
            {"id": r.id, "text": r.text, "doi": r.doi, "pmid": r.pmid, "evidence": r.evidence} for r in claim.references
        ],
        "concerns": list(claim.concerns),
        "suggestion": claim.suggestion,
        "scope": claim.scope,
        # Where the sentence and its triggers stand in its paragraph, for highlighting.
        "context": claim.context,
        "sentence_in_context": [claim.span.start - claim.context_start, claim.span.end - claim.context_start],
        "triggers_in_context": [[s.start - claim.context_start, s.end - claim.context_start] for s in claim.trigger_spans],
    }


def summary(articles: list[dict[str, Any]]) -> dict[str, Any]:
    claims = [claim for article in articles for claim in article["claims"]]
    by_status = Counter(claim["status"] for claim in claims)
    by_kind = Counter(kind for claim in claims for kind in claim["kinds"])
    return {
        "articles": len(articles),
        "claims": len(claims),
        "claims_by_status": {status: by_status.get(status, 0) for status in STATUSES},
        "claims_by_kind": dict(sorted(by_kind.items())),
        "ready": sum(1 for article in articles if article["ready"]),
        "blocked": sum(1 for article in articles if not article["ready"]),
    }
