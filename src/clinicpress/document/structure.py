"""The values a parsed article is made of. All spans are offsets into ``Document.source``."""

from __future__ import annotations

from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Mapping

from clinicpress.model import LineIndex, Position, Span


@dataclass(frozen=True)
class Heading:
    level: int
    text: str
    span: Span


@dataclass(frozen=True)
class Block:
    """A run of prose a reader sees as one unit: a paragraph, a heading, a list item's paragraph,
    a table cell, or the title/description from front matter."""

    kind: str  # title | description | heading | paragraph | table_cell | footnote
    span: Span
    section: str | None  # text of the nearest heading above, None before the first one
    # Enclosing structures, outermost first: "blockquote", "bullet_list", "ordered_list".
    containers: tuple[str, ...] = ()
    in_references: bool = False


@dataclass(frozen=True)
class CitationMarker:
    """Something in the prose that points at evidence: ¹,², [1, 3], [^2], <sup>4</sup>,
    (Smith et al., 2020), an inline DOI/PMID, or a link to a scholarly source."""

    span: Span
    kind: str  # superscript | bracket | footnote | sup_html | author_year | identifier | scholarly_link
    labels: tuple[str, ...]  # reference labels it names ("1", "3"); author-year: ("Smith 2020",)
    target: str = ""  # DOI, PMID or URL when the marker carries one itself


@dataclass(frozen=True)
class Sentence:
    span: Span
    text: str  # the prose as a reader sees it: markup removed, white space folded
    block_index: int
    section: str | None
    citations: tuple[CitationMarker, ...] = ()


@dataclass(frozen=True)
class ReferenceEntry:
    label: str  # "1" for the first numbered entry, the footnote label, or "" when unnumbered
    span: Span
    text: str
    doi: str | None = None  # Crossref form, case-folded, trailing punctuation stripped
    pmid: str | None = None
    pmcid: str | None = None
    url: str | None = None
    # Identifiers that look intended but are not well formed ("doi: 10.55/x", "PMID 0123"), kept
    # so a check can say what is wrong with them.
    malformed: tuple[str, ...] = ()


@dataclass(frozen=True)
class References:
    """The article's reference list; ``found_by`` says how it was recognised."""

    found_by: str  # heading | footnotes | trailing_list
    entries: tuple[ReferenceEntry, ...]
    heading: str | None = None


@dataclass(frozen=True)
class Link:
    text_span: Span | None  # None for autolinks and bare URLs: they have no prose text
    target: str
    target_span: Span | None
    is_image: bool = False


@dataclass(frozen=True)
class Comment:
    """An HTML comment; suppressions live in these."""

    span: Span
    body: str  # between <!-- and -->, stripped


@dataclass(frozen=True)
class Document:
    path: str
    source: str
    # Same length as ``source``: prose characters kept, everything else (markup, code, HTML, URLs,
    # citation markers, front matter) blanked to spaces, newlines kept. Checks search this, so
    # every match offset is already a source offset.
    prose: str
    is_markdown: bool
    front_matter: Mapping[str, object] = field(default_factory=lambda: MappingProxyType({}))
    front_matter_span: Span | None = None
    front_matter_lines: Mapping[str, int] = field(default_factory=lambda: MappingProxyType({}))
    blocks: tuple[Block, ...] = ()
    sentences: tuple[Sentence, ...] = ()
    headings: tuple[Heading, ...] = ()
    citations: tuple[CitationMarker, ...] = ()
    references: References | None = None
    links: tuple[Link, ...] = ()
    comments: tuple[Comment, ...] = ()
    # "\r\n" when the file used Windows line endings; ``source`` itself always uses "\n".
    newline: str = "\n"

    def __post_init__(self) -> None:
        object.__setattr__(self, "_line_index", LineIndex(self.source))

    @property
    def line_index(self) -> LineIndex:
        return self._line_index  # type: ignore[attr-defined]

    def position(self, span: Span) -> Position:
        return self.line_index.position(span)

    def block_text(self, block: Block) -> str:
        return self.prose[block.span.start : block.span.end]

    @property
    def title(self) -> str | None:
        value = self.front_matter.get("title")
        return value if isinstance(value, str) else None
