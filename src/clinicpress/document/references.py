"""Finding the reference list: under a References/Sources/… heading, as Markdown footnote
definitions, or — as many real clinic posts end — a trailing numbered list of citation-like
entries with no heading at all."""

from __future__ import annotations

import re
from dataclasses import dataclass

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
    return ReferenceEntry(label, candidate.span, " ".join(text.split()))
