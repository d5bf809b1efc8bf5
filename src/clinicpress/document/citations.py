"""Citation markers and bare URLs in prose.

Markers are found on the prose view (code and HTML already masked), recorded with their spans,
and then masked themselves: ¹,² or [3] are not words to spell-check, and a sentence splitter must
see through them to know that ``…sciatica.¹,² It can…`` ends after the superscripts.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from clinicpress.document.structure import CitationMarker, Link
from clinicpress.model import Span

_SUPERSCRIPT_VALUES = {c: str(i) for i, c in enumerate("⁰¹²³⁴⁵⁶⁷⁸⁹")}
_SUPERSCRIPT = re.compile(r"[⁰¹²³⁴⁵⁶⁷⁸⁹]+(?:[ ]?[,⁻–‒-][ ]?[⁰¹²³⁴⁵⁶⁷⁸⁹]+)*")
# "5 m²" or "3 cm²" are units, not citations.
_UNIT_BEFORE = re.compile(r"\d\s?[cmk]?m$")
# White space is allowed inside the brackets: an escaped marker (\[1\]) reads "[1 ]" in the prose
# view, where the escaping backslash is blanked.
_BRACKET = re.compile(r"\[\s?(\d{1,3}(?:\s*[,–‒-]\s*\d{1,3})*)\s?\]")
_NAME = r"[A-Z][A-Za-z'’\-]+"
_AUTHOR_YEAR = re.compile(
    rf"\((?:e\.g\.,?\s+|see\s+)?{_NAME}(?:\s+(?:et\s+al\.?|(?:and|&)\s+{_NAME}))?,?\s+(?:19|20)\d\d[a-z]?"
    rf"(?:;\s*{_NAME}(?:\s+(?:et\s+al\.?|(?:and|&)\s+{_NAME}))?,?\s+(?:19|20)\d\d[a-z]?)*\)"
)
_DOI = re.compile(r"\b(?:doi:\s*)?(10\.\d{4,9}/[^\s\"<>]+)", re.IGNORECASE)
_PMID = re.compile(r"\bPMID:?\s*([1-9]\d{0,7})\b")
_PMCID = re.compile(r"\b(PMC\d{4,9})\b")
_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"'`]+", re.IGNORECASE)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_TRAILING_PUNCTUATION = ".,;:!?)]}'\"’”"
SCHOLARLY_HOSTS = (
    "doi.org",
    "pubmed.ncbi.nlm.nih.gov",
    "ncbi.nlm.nih.gov",
    "europepmc.org",
    "cochranelibrary.com",
    "cochrane.org",
    "nice.org.uk",
    "nih.gov",
    "who.int",
    "nccih.nih.gov",
    "thelancet.com",
    "bmj.com",
    "jamanetwork.com",
    "nejm.org",
)


def is_scholarly(url: str) -> bool:
    host = urlsplit(url if "://" in url else f"https://{url}").hostname or ""
    return any(host == known or host.endswith("." + known) for known in SCHOLARLY_HOSTS)


def expand_labels(text: str) -> tuple[str, ...]:
    """"¹⁻³" or "1–3" → ("1", "2", "3"); "1, 4" → ("1", "4")."""
    digits = "".join(_SUPERSCRIPT_VALUES.get(c, c) for c in text)
    labels: list[str] = []
    for part in re.split(r"\s*,\s*", digits):
        bounds = re.split(r"\s*[⁻–‒-]\s*", part)
        if len(bounds) == 2 and all(b.isdigit() for b in bounds) and 0 < int(bounds[1]) - int(bounds[0]) < 50:
            labels.extend(str(n) for n in range(int(bounds[0]), int(bounds[1]) + 1))
        elif part.strip().isdigit():
            labels.append(str(int(part)))
    return tuple(labels)


def strip_trailing_punctuation(text: str) -> str:
    while text and text[-1] in _TRAILING_PUNCTUATION:
        if text[-1] == ")" and text.count("(") >= text.count(")"):
            break  # a DOI or URL may end in a balanced parenthesis
        text = text[:-1]
    return text


def find_bare_links(prose: str) -> tuple[list[Link], list[Span]]:
    """URLs typed straight into prose, and e-mail addresses: neither is prose to check."""
    links, masked = [], []
    for match in _URL.finditer(prose):
        url = strip_trailing_punctuation(match.group())
        span = Span(match.start(), match.start() + len(url))
        links.append(Link(None, url, span))
        masked.append(span)
    for match in _EMAIL.finditer(prose):
        masked.append(Span(match.start(), match.end()))
    return links, masked


def find_markers(
    prose: str, links: list[Link], sup_spans: list[Span], footnote_refs: list[CitationMarker]
) -> list[CitationMarker]:
    markers: list[CitationMarker] = list(footnote_refs)
    for match in _SUPERSCRIPT.finditer(prose):
        if _UNIT_BEFORE.search(prose, max(0, match.start() - 6), match.start()):
            continue
        markers.append(CitationMarker(Span(match.start(), match.end()), "superscript", expand_labels(match.group())))
    for match in _BRACKET.finditer(prose):
        markers.append(CitationMarker(Span(match.start(), match.end()), "bracket", expand_labels(match.group(1))))
    for span in sup_spans:
        text = span.of(prose).strip()
        if re.fullmatch(r"\[?\d{1,3}(?:\s*[,–‒-]\s*\d{1,3})*\]?", text):
            markers.append(CitationMarker(span, "sup_html", expand_labels(text.strip("[]"))))
    for match in _AUTHOR_YEAR.finditer(prose):
        label = re.sub(r"[()]|,", "", match.group()).strip()
        markers.append(CitationMarker(Span(match.start(), match.end()), "author_year", (label,)))
    for pattern, kind in ((_DOI, "doi"), (_PMID, "pmid"), (_PMCID, "pmcid")):
        for match in pattern.finditer(prose):
            target = strip_trailing_punctuation(match.group(1))
            end = match.start(1) + len(target)
            markers.append(CitationMarker(Span(match.start(), end), "identifier", (), f"{kind}:{target}"))
    for link in links:
        if is_scholarly(link.target):
            span = link.text_span or link.target_span
            if span is not None:
                markers.append(CitationMarker(span, "scholarly_link", (), link.target))
    markers.sort(key=lambda m: (m.span.start, m.span.end))
    # A DOI inside a doi.org URL is one marker, not two: keep the outer one.
    kept: list[CitationMarker] = []
    for marker in markers:
        if kept and kept[-1].span.contains(marker.span):
            continue
        kept.append(marker)
    return kept
