"""The claim audit as GitHub-flavoured Markdown: a pull-request comment or a CI job summary
(``$GITHUB_STEP_SUMMARY``). Drawn from ``audit_json.as_data`` like every audit view.

A comment is capped at 65,536 characters, so the output stays under ``LIMIT`` bytes whatever the
corpus: article rows and listed claims stop when their share is spent, and the text says how many
were left out and where to find them. Article text is escaped for Markdown and inline HTML, so a
title cannot break the table or inject markup into the comment.
"""

from __future__ import annotations

import re
from typing import Any

from clinicpress.model import Report
from clinicpress.reporting import audit_json

LIMIT = 60_000
ARTICLE_SHARE = 20_000  # of LIMIT: the rest goes to the claims
MAX_ARTICLE_ROWS = 60
MAX_CLAIMS = 150
SENTENCE_CHARS = 240
FOOTER_RESERVE = 1_000

STATUS_MARK = {"supported": "✓", "unsupported": "✗", "dangling": "?", "prohibited": "⊘"}
# The claims a reviewer must act on, worst first, each with what to do about it.
SECTIONS = (
    ("prohibited", "Prohibited claims", "no citation can make these acceptable: rewrite them"),
    ("unsupported", "Unsupported claims", "add a citation to a reference, or soften the wording"),
    ("dangling", "Dangling citations", "the citation points at no entry in the reference list"),
)
# What can start markup inside a table cell ($ is GitHub's maths); the rest needs no escaping there.
_MARKDOWN_PUNCTUATION = re.compile(r"([\\`*_\[\]|~$])")


def render(report: Report, color: bool = False) -> str:
    return render_data(audit_json.as_data(report))


def render_data(data: dict[str, Any]) -> str:
    s = data["summary"]
    by_status = s["claims_by_status"]
    lines = [
        "## clinicpress claim audit",
        "",
        f"**{_n(s['articles'], 'article')}** · **{s['ready']}** ready to publish · **{s['blocked']}** blocked · "
        f"**{_n(s['claims'], 'claim')}**: "
        + ", ".join(f"{by_status.get(status, 0)} {status}" for status in audit_json.STATUSES),
        "",
    ]
    for error in data.get("errors", []):
        lines.append(f"> **Error:** {text(error)}")
    if data.get("errors"):
        lines.append("")
    lines += _article_table(data["articles"])
    lines += _claim_sections(data["articles"], budget=LIMIT - FOOTER_RESERVE - _size(lines))
    lines += _review_section(data["articles"], budget=LIMIT - FOOTER_RESERVE - _size(lines))
    lines += [
        f"<sub>{text(data['tool']['name'])} {text(data['tool']['version'])} · profile {text(data.get('profile') or '—')}"
        f" · rule pack {text((data.get('rule_pack') or {}).get('sha256', '')[:12] or '—')}"
        f" · {text(data.get('generated_at') or '')}</sub>",
        "",
    ]
    return "\n".join(lines)


def _article_table(articles: list[dict[str, Any]]) -> list[str]:
    if not articles:
        return []
    head = [
        "| Article | Ready | Claims | Supported | Unsupported | Dangling | Prohibited | Blocked because |",
        "|---|---|--:|--:|--:|--:|--:|---|",
    ]

    def counts(article: dict[str, Any]) -> dict[str, int]:
        found = {status: 0 for status in audit_json.STATUSES}
        for claim in article["claims"]:
            found[claim["status"]] = found.get(claim["status"], 0) + 1
        return found

    # Blocked first, those with the most claims to fix at the top: the rows a reviewer needs.
    def key(article: dict[str, Any]) -> tuple:
        c = counts(article)
        return (article["ready"], -(c["prohibited"] + c["unsupported"] + c["dangling"]), article["path"])

    rows, used, left_out = [], _size(head), []
    for article in sorted(articles, key=key):
        c = counts(article)
        row = (
            f"| {code(article['path'])} | {'✅ ready' if article['ready'] else '❌ blocked'} | {len(article['claims'])} | "
            f"{c['supported']} | {c['unsupported']} | {c['dangling']} | {c['prohibited']} | "
            f"{text('; '.join(article.get('blocked_because', []))) or '—'} |"
        )
        if len(rows) >= MAX_ARTICLE_ROWS or used + _size([row]) > ARTICLE_SHARE:
            left_out.append(article)
            continue
        rows.append(row)
        used += _size([row])
    lines = head + rows
    if left_out:
        blocked = sum(1 for article in left_out if not article["ready"])
        lines.append("")
        lines.append(
            f"*{_n(len(left_out), 'more article')} not listed ({blocked} blocked, {len(left_out) - blocked} ready): "
            "see the HTML audit (`clinicpress audit --format html`).*"
        )
    lines.append("")
    return lines


def _claim_sections(articles: list[dict[str, Any]], budget: int) -> list[str]:
    lines: list[str] = []
    listed = 0
    for status, heading, advice in SECTIONS:
        claims = [
            (article, claim) for article in articles for claim in article["claims"] if claim["status"] == status
        ]
        if not claims:
            continue
        section = [f"### {STATUS_MARK[status]} {heading} ({len(claims)})", "", f"*{advice}*", ""]
        if status == "prohibited":
            section += ["| Where | Claim | Suggested rewrite |", "|---|---|---|"]
        elif status == "dangling":
            section += ["| Where | Claim | Citation |", "|---|---|---|"]
        else:
            section += ["| Where | Claim |", "|---|---|"]
        shown = 0
        for article, claim in claims:
            row = f"| {code(article['path'] + ':' + str(claim['line']))} | {text(_shorten(claim['sentence']))} |"
            if status == "prohibited":
                row += f" {text(claim['suggestion']) or '—'} |"
            elif status == "dangling":
                row += f" {text(' '.join(claim['citations'])) or '—'} |"
            if listed >= MAX_CLAIMS or _size(lines + section + [row]) > budget:
                break
            section.append(row)
            shown += 1
            listed += 1
        if shown < len(claims):
            section += ["", f"*{len(claims) - shown} more not listed: see the HTML or JSON audit.*"]
        if shown == 0 and _size(lines + section) > budget:
            lines += [f"*{heading}: {len(claims)}, not listed for space: see the HTML or JSON audit.*", ""]
            continue
        lines += section + [""]
    return lines


def _review_section(articles: list[dict[str, Any]], budget: int) -> list[str]:
    """Sentences a model ranks as likely claims that no rule judged: a reading list, not findings."""
    candidates = sorted(
        ((article, r) for article in articles for r in article.get("review", [])), key=lambda pair: -pair[1]["score"]
    )
    if not candidates:
        return []
    section = [
        f"### Worth a second look ({len(candidates)})",
        "",
        "*No rule judged these a claim; a model ranks them as likely ones. Not findings: read and decide.*",
        "",
        "| Where | Sentence | Score |",
        "|---|---|---|",
    ]
    shown = 0
    for article, r in candidates[:MAX_CLAIMS]:
        row = f"| {code(article['path'] + ':' + str(r['line']))} | {text(_shorten(r['sentence']))} | {r['score']:.2f} |"
        if _size(section + [row]) > budget:
            break
        section.append(row)
        shown += 1
    if shown == 0:
        return [f"*Worth a second look: {len(candidates)} sentences, not listed for space: see the HTML or JSON audit.*", ""]
    if shown < len(candidates):
        section += ["", f"*{len(candidates) - shown} more not listed: see the HTML or JSON audit.*"]
    return section + [""]


def text(value: str) -> str:
    """Plain text for a table cell: one line, no Markdown or HTML meaning, pipes escaped."""
    value = " ".join(str(value).split())
    value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MARKDOWN_PUNCTUATION.sub(r"\\\1", value)


def code(value: str) -> str:
    """A code span that survives backticks and pipes in a path (GFM splits cells before spans)."""
    value = " ".join(str(value).split()).replace("|", "\\|")
    fence = "`" * (max((len(run) for run in re.findall(r"`+", value)), default=0) + 1)
    padding = " " if value.startswith("`") or value.endswith("`") else ""
    return f"{fence}{padding}{value}{padding}{fence}"


def _shorten(sentence: str) -> str:
    sentence = " ".join(sentence.split())
    if len(sentence) <= SENTENCE_CHARS:
        return sentence
    return sentence[: SENTENCE_CHARS - 1].rsplit(" ", 1)[0] + " …"


def _n(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _size(lines: list[str]) -> int:
    return sum(len(line.encode("utf-8")) + 1 for line in lines)
