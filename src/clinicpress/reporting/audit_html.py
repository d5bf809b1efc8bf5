"""The claim audit as one self-contained HTML page for editors.

Everything shown comes from ``audit_json.as_data`` (the same data a CI job parses); this module only
arranges it for reading. Article text reaches the page only through Jinja2 with autoescaping on: the
paragraph around a claim is cut into plain-text segments here and the template wraps them, so no
piece of HTML is ever assembled from article text. The page's own CSS and JS are inlined and pinned
by hash in a Content-Security-Policy, so even a markup slip could not run a script or fetch anything.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import re
from typing import Any

from clinicpress.model import Report
from clinicpress.reporting import audit_json

# Worst first: the order an editor should work through them, and the "severity" sort on the page.
STATUS_ORDER = ("prohibited", "unsupported", "dangling", "supported")
STATUS_RANK = {status: len(STATUS_ORDER) - i for i, status in enumerate(STATUS_ORDER)}
STATUS_LABELS = {
    "supported": ("✓", "supported", "cited, and every citation resolves to a reference"),
    "unsupported": ("✗", "unsupported", "needs a citation and has none"),
    "dangling": ("?", "dangling", "cited, but the citation points at no reference in the list"),
    "prohibited": ("⊘", "prohibited", "not allowed under the profile, whatever the evidence"),
}
NEEDS_WORK = ("prohibited", "unsupported", "dangling")
# Problems the page shows in their own sections; claim findings are the claims themselves.
_SECTIONED = {"metadata", "spelling", "disclaimer"}
# Paragraphs longer than this are cut to about CONTEXT_AROUND characters either side of the claim.
CONTEXT_LIMIT = 520
CONTEXT_AROUND = 200
# Underscores only at word edges: URLs and identifiers in reference lists are full of them.
_EMPHASIS = re.compile(r"\*([^*\n]+)\*|(?<!\w)_([^_\n]+)_(?!\w)")

_environment = None


def render(report: Report, color: bool = False) -> str:
    data = audit_json.as_data(report)
    environment = _templates()
    css = environment.loader.get_source(environment, "audit.css")[0]
    script = environment.loader.get_source(environment, "audit.js")[0]
    # Inlined verbatim: a closing tag inside either would end the element early.
    if "</style" in css.lower() or "</script" in script.lower():
        raise ValueError("audit.css / audit.js must not contain a closing </style> or </script> tag")
    from markupsafe import Markup

    return environment.get_template("audit.html.j2").render(
        data=data,
        view=_view(data),
        css=Markup(css),
        script=Markup(script),
        csp=_content_security_policy(css, script),
        statuses=STATUS_ORDER,
        labels=STATUS_LABELS,
    )


def _templates():
    # Jinja2 is imported on first use only: `clinicpress lint` never pays for it.
    global _environment
    if _environment is None:
        import jinja2

        _environment = jinja2.Environment(
            loader=jinja2.PackageLoader("clinicpress.reporting", "templates"),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
        _environment.filters["words"] = lambda value: str(value).replace("_", " ")
    return _environment


def _content_security_policy(css: str, script: str) -> str:
    def digest(text: str) -> str:
        return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"

    return "; ".join(
        (
            "default-src 'none'",
            f"style-src {digest(css)}",
            f"script-src {digest(script)}",
            "img-src data:",
            "base-uri 'none'",
            "form-action 'none'",
        )
    )


def _view(data: dict[str, Any]) -> dict[str, Any]:
    """What the template needs besides the data itself: the paragraph cut for highlighting, problems
    grouped by section, and the list of claims that need work. Nothing here judges a claim again."""
    articles = []
    attention = []
    for a_index, article in enumerate(data["articles"]):
        anchor = f"article-{a_index + 1}"
        claims = []
        for c_index, claim in enumerate(article["claims"]):
            claim_view = {
                "anchor": f"{anchor}-claim-{c_index + 1}",
                "rank": STATUS_RANK.get(claim["status"], 0),
                "runs": highlight(claim["context"], claim["sentence_in_context"], claim["triggers_in_context"])
                if claim.get("context")
                else [{"mark": True, "parts": [{"text": claim["sentence"], "strong": False}]}],
                "references": [
                    {**reference, "parts": _emphasis(reference["text"])} for reference in claim["references"]
                ],
            }
            claims.append(claim_view)
            if claim["status"] in NEEDS_WORK:
                attention.append({"article": article, "article_anchor": anchor, "claim": claim, **claim_view})
        by_status = {status: 0 for status in STATUS_ORDER}
        for claim in article["claims"]:
            by_status[claim["status"]] = by_status.get(claim["status"], 0) + 1
        problems = article.get("problems", [])
        articles.append(
            {
                "anchor": anchor,
                "claims": claims,
                "by_status": by_status,
                "worst": max((STATUS_RANK.get(c["status"], 0) for c in article["claims"]), default=0),
                "needs_work": sum(by_status[s] for s in NEEDS_WORK),
                "front_matter": [p for p in problems if p["category"] == "metadata"],
                "spelling": _spelling(p for p in problems if p["category"] == "spelling"),
                "other": [p for p in problems if p["category"] not in _SECTIONED],
            }
        )
    attention.sort(key=lambda item: (-item["rank"], item["article"]["path"], item["claim"]["line"]))
    return {
        "articles": articles,
        "attention": attention,
        "ready": [(article, av) for article, av in zip(data["articles"], articles) if article["ready"]],
        "needs_work": sum(data["summary"]["claims_by_status"].get(s, 0) for s in NEEDS_WORK),
        "generated": _when(data.get("generated_at", "")),
        "status_share": _shares(data["summary"]["claims_by_status"]),
    }


def highlight(context: str, sentence: list[int], triggers: list[list[int]]) -> list[dict[str, Any]]:
    """Cut ``context`` into runs outside / inside the claim sentence, each a list of plain-text parts
    flagged when a trigger covers them. Overlapping triggers merge; offsets out of range are clamped
    so a bad span can cost a highlight but never text of the claim."""
    length = len(context)

    def clamp(span: list[int]) -> tuple[int, int]:
        start, end = (max(0, min(int(v), length)) for v in span[:2])
        return start, max(start, end)

    s_start, s_end = clamp(sentence)
    spans = sorted(clamp(t) for t in triggers)
    before = after = ""
    if length > CONTEXT_LIMIT:
        # A long paragraph shown whole for every claim in it buries the claim: keep its surroundings.
        start = context.find(" ", max(0, s_start - CONTEXT_AROUND), s_start) + 1 if s_start > CONTEXT_AROUND else 0
        end = context.rfind(" ", s_end, s_end + CONTEXT_AROUND) if length - s_end > CONTEXT_AROUND else length
        end = length if end == -1 else end
        before, after = ("… " if start else ""), (" …" if end < length else "")
        context, length = context[start:end], end - start
        s_start, s_end = s_start - start, s_end - start
        spans = [(max(0, a - start), min(length, b - start)) for a, b in spans if a < end and b > start]
    merged: list[list[int]] = []
    for start, end in spans:
        if start == end:
            continue
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    cuts = sorted({0, length, s_start, s_end, *(v for span in merged for v in span)})
    runs: list[dict[str, Any]] = []
    for start, end in zip(cuts, cuts[1:]):
        if start == end:
            continue
        in_sentence = s_start <= start and end <= s_end and s_start < s_end
        strong = any(m_start <= start and end <= m_end for m_start, m_end in merged)
        part = {"text": context[start:end], "strong": strong}
        if runs and runs[-1]["mark"] == in_sentence:
            previous = runs[-1]["parts"][-1]
            if previous["strong"] == strong:
                previous["text"] += part["text"]
            else:
                runs[-1]["parts"].append(part)
        else:
            runs.append({"mark": in_sentence, "parts": [part]})
    if before:
        runs.insert(0, {"mark": False, "parts": [{"text": before, "strong": False}]})
    if after:
        runs.append({"mark": False, "parts": [{"text": after, "strong": False}]})
    return runs


def _emphasis(text: str) -> list[dict[str, Any]]:
    """Reference lists are Markdown: show *Journal* in italics rather than with its asterisks."""
    parts: list[dict[str, Any]] = []
    position = 0
    for match in _EMPHASIS.finditer(text):
        if match.start() > position:
            parts.append({"text": text[position : match.start()], "em": False})
        parts.append({"text": match.group(1) or match.group(2), "em": True})
        position = match.end()
    if position < len(text):
        parts.append({"text": text[position:], "em": False})
    return parts


def _spelling(problems: Any) -> list[dict[str, Any]]:
    """One row per misspelt word, however often it occurs: editors fix words, not occurrences."""
    words: dict[str, dict[str, Any]] = {}
    for problem in problems:
        entry = words.setdefault(
            problem["excerpt"], {"word": problem["excerpt"], "lines": [], "suggestions": problem["suggestions"][:3]}
        )
        entry["lines"].append(problem["line"])
    return list(words.values())


def _shares(by_status: dict[str, int]) -> list[dict[str, Any]]:
    total = sum(by_status.values())
    shares, offset = [], 0.0
    for status in STATUS_ORDER:
        count = by_status.get(status, 0)
        width = 100.0 * count / total if total else 0.0
        shares.append({"status": status, "count": count, "x": round(offset, 3), "width": round(width, 3)})
        offset += width
    return shares


def _when(stamp: str) -> str:
    try:
        moment = datetime.datetime.fromisoformat(stamp)
    except ValueError:
        return stamp
    if moment.tzinfo is not None:
        moment = moment.astimezone(datetime.timezone.utc)
        return moment.strftime("%d %b %Y, %H:%M UTC")
    return moment.strftime("%d %b %Y, %H:%M")
