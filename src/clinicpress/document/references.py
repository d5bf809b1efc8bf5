"""Finding the reference list: under a References/Sources/… heading, as Markdown footnote
definitions, or — as many real clinic posts end — a trailing numbered list of citation-like
entries with no heading at all."""

from __future__ import annotations

import re
from dataclasses import dataclass

from clinicpress.document.citations import strip_trailing_punctuation
from clinicpress.document.structure import ReferenceEntry, References
from clinicpress.model import Span

REFERENCE_HEADING = re.compile(
    r"^(?:references?|sources?|citations?|bibliography|works cited|literature(?: cited)?|"
    r"reference list|footnotes|notes|further reading|evidence|research)\b",
    re.IGNORECASE,
)
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
_SCHOLARLY_SIGN = re.compile(
    r"\bet al\b|\bdoi\b|10\.\d{4,9}/|\bPMID\b|\bPMC\d|https?://|\bjournal\b|\bJ\b|\b\d+\(\d+\)|"
    r"^[A-Z][A-Za-z'’-]+,?\s+[A-Z]{1,3}[.,\s]",
    re.IGNORECASE,
)
_LEADING_LABEL = re.compile(r"^\s*(?:\[(\d{1,3})\]|(\d{1,3})[.)])\s+")
# Crossref's recommended pattern for modern DOIs.
DOI = re.compile(r"^10\.\d{4,9}/[-._;()/:a-z0-9<>\[\]]+$", re.IGNORECASE)
_DOI_ATTEMPT = re.compile(r"(?:doi\.org/|\bdoi\b(?!\.org)\s*:?\s*)(\S+)|\b(10\.\d+/\S+)", re.IGNORECASE)
_PMID_ATTEMPT = re.compile(r"\bPMID\b\s*:?\s*(\S+)", re.IGNORECASE)
_PMCID = re.compile(r"\bPMC\d{4,9}\b")
_URL = re.compile(r"https?://[^\s<>()\]]+", re.IGNORECASE)


@dataclass(frozen=True)
class EntryCandidate:
    """A list item or paragraph, as the layout saw it, that may be a reference entry."""

    label: str
    span: Span
    block_indices: tuple[int, ...]
    top_level_ordered: bool


def looks_like_citation(text: str) -> bool:
    return bool(_YEAR.search(text)) and bool(_SCHOLARLY_SIGN.search(text))


def is_reference_heading(text: str) -> bool:
    return bool(REFERENCE_HEADING.match(text.strip().rstrip(":").strip()))


def find_references(
    source: str,
    candidates_by_heading: dict[str, list[EntryCandidate]],
    trailing: list[EntryCandidate],
    footnotes: list[EntryCandidate],
) -> tuple[References | None, set[int]]:
    """The references and the indices of the blocks that belong to them."""
    entries: list[EntryCandidate] = []
    found_by = None
    heading_text = None
    for heading, candidates in candidates_by_heading.items():
        entries.extend(candidates)
        found_by = found_by or "heading"
        heading_text = heading_text or heading
    if footnotes:
        entries.extend(footnotes)
        found_by = found_by or "footnotes"
    if not found_by and trailing:
        citation_like = [c for c in trailing if looks_like_citation(c.span.of(source))]
        if citation_like and len(citation_like) * 2 >= len(trailing):
            entries = trailing
            found_by = "trailing_list"
    if not found_by:
        return None, set()
    blocks = {index for entry in entries for index in entry.block_indices}
    return (
        References(found_by, tuple(_entry(source, c) for c in entries), heading_text),
        blocks,
    )


def _entry(source: str, candidate: EntryCandidate) -> ReferenceEntry:
    text = candidate.span.of(source)
    label = candidate.label
    leading = _LEADING_LABEL.match(text)
    if leading and not label:
        label = leading.group(1) or leading.group(2)
    doi, pmid, pmcid, url, malformed = identifiers(text)
    return ReferenceEntry(label, candidate.span, " ".join(text.split()), doi, pmid, pmcid, url, malformed)


def identifiers(text: str) -> tuple[str | None, str | None, str | None, str | None, tuple[str, ...]]:
    """DOI, PMID, PMCID and URL of one reference entry, and the attempts that are malformed."""
    malformed: list[str] = []
    doi = None
    for match in _DOI_ATTEMPT.finditer(text):
        candidate = strip_trailing_punctuation(match.group(1) or match.group(2)).lower()
        if DOI.match(candidate):
            doi = doi or candidate
        else:
            malformed.append(f"DOI {candidate!r}")
    pmid = None
    for match in _PMID_ATTEMPT.finditer(text):
        candidate = strip_trailing_punctuation(match.group(1))
        if re.fullmatch(r"[1-9]\d{0,7}", candidate):
            pmid = pmid or candidate
        else:
            malformed.append(f"PMID {candidate!r}")
    pmcid_match = _PMCID.search(text)
    url_match = _URL.search(text)
    url = strip_trailing_punctuation(url_match.group()) if url_match else None
    return doi, pmid, pmcid_match.group() if pmcid_match else None, url, tuple(malformed)
