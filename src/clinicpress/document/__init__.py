"""PARSE once: an article's text becomes a ``Document`` whose every part keeps its source offsets.

``read_document(path)`` is the only entry point the pipeline needs; ``parse_document`` does the
same from text already in memory (rule examples, tests, the publish gate)."""

from __future__ import annotations

import re
from pathlib import Path
from types import MappingProxyType

from clinicpress.document.citations import find_bare_links, find_markers
from clinicpress.document.front_matter import FrontMatter, split_front_matter
from clinicpress.document.markdown import ListItem, MarkdownLayout, RawBlock, layout_markdown
from clinicpress.document.reading import SourceText, Unreadable, decode_source, read_source
from clinicpress.document.references import EntryCandidate, find_references, is_reference_heading
from clinicpress.document.sentences import split_sentences
from clinicpress.document.structure import (
    Block,
    CitationMarker,
    Comment,
    Document,
    Heading,
    Link,
    ReferenceEntry,
    References,
    Sentence,
)
from clinicpress.document.suppressions import Suppression, parse_suppressions
from clinicpress.model import Span

__all__ = [
    "Block",
    "CitationMarker",
    "Comment",
    "Document",
    "Heading",
    "Link",
    "ReferenceEntry",
    "References",
    "Sentence",
    "Suppression",
    "Unreadable",
    "parse_document",
    "parse_suppressions",
    "read_document",
    "MARKDOWN_SUFFIXES",
    "ARTICLE_SUFFIXES",
]

MARKDOWN_SUFFIXES = (".md", ".markdown")
ARTICLE_SUFFIXES = MARKDOWN_SUFFIXES + (".txt",)


def read_document(path: Path, label: str | None = None) -> Document:
    """Read and parse one article. Raises ``Unreadable`` for a file no check can look at."""
    return parse_source(read_source(path), label or str(path), is_markdown=path.suffix.lower() != ".txt")


def parse_document(text: str | bytes, path: str = "<text>", *, is_markdown: bool = True) -> Document:
    data = text.encode("utf-8") if isinstance(text, str) else text
    return parse_source(decode_source(data), path, is_markdown=is_markdown)


def parse_source(source_text: SourceText, path: str, *, is_markdown: bool) -> Document:
    source = source_text.text
    front_matter = split_front_matter(source) if is_markdown else None
    layout = layout_markdown(source) if is_markdown else _plain_layout(source)
    mask = layout.prose_mask
    if front_matter:
        _mask_front_matter(mask, front_matter)

    prose = _prose_view(source, mask)
    bare_links, bare_spans = find_bare_links(prose)
    for span in bare_spans:
        mask[span.start : span.end] = bytes(len(span))
    links = sorted(layout.links + bare_links, key=lambda link: _link_start(link))
    markers = find_markers(prose, links, layout.sup_spans, layout.footnote_refs)
    for marker in markers:
        if marker.kind != "scholarly_link":  # a link's text is prose; the others are not
            mask[marker.span.start : marker.span.end] = bytes(len(marker.span))
    prose = _prose_view(source, mask)

    raw_blocks = _front_matter_blocks(front_matter) + _visible_blocks(layout.blocks, mask)
    references, reference_blocks = _references(source, prose, raw_blocks, layout.list_items)
    blocks = _blocks_with_sections(raw_blocks, reference_blocks, prose)
    sentences = split_sentences(prose, blocks, markers)
    return Document(
        path=path,
        source=source,
        prose=prose,
        is_markdown=is_markdown,
        front_matter=front_matter.values if front_matter else MappingProxyType({}),
        front_matter_span=front_matter.span if front_matter else None,
        front_matter_lines=front_matter.key_lines if front_matter else MappingProxyType({}),
        blocks=tuple(blocks),
        sentences=tuple(sentences),
        headings=tuple(layout.headings),
        citations=tuple(markers),
        references=references,
        links=tuple(links),
        comments=tuple(layout.comments),
        newline=source_text.newline,
    )


def _link_start(link: Link) -> int:
    span = link.text_span or link.target_span
    return span.start if span else 0


_MASKED_RUN = re.compile(rb"\x00+")
_NOT_NEWLINE = re.compile(r"[^\n]")


def _prose_view(source: str, mask: bytearray) -> str:
    """``source`` with every masked character (mask 0) blanked to a space, newlines kept. Works
    run by run rather than character by character: most of an article is one or the other."""
    pieces, cursor = [], 0
    for run in _MASKED_RUN.finditer(mask):
        start, end = run.span()
        pieces.append(source[cursor:start])
        hidden = source[start:end]
        pieces.append(_NOT_NEWLINE.sub(" ", hidden) if "\n" in hidden else " " * (end - start))
        cursor = end
    pieces.append(source[cursor:])
    return "".join(pieces)


def _mask_front_matter(mask: bytearray, front_matter: FrontMatter) -> None:
    mask[front_matter.span.start : front_matter.span.end] = bytes(len(front_matter.span))
    for span in front_matter.prose_spans.values():
        mask[span.start : span.end] = b"\x01" * len(span)


def _front_matter_blocks(front_matter: FrontMatter | None) -> list[RawBlock]:
    if not front_matter:
        return []
    return [RawBlock(key, span, ()) for key, span in front_matter.prose_spans.items() if len(span)]


def _visible_blocks(blocks: list[RawBlock], mask: bytearray) -> list[RawBlock]:
    """Blocks trimmed to their prose; a block left with none (a paragraph that was only a URL or
    a citation marker) is dropped."""
    visible = []
    for block in blocks:
        start, end = block.span.start, block.span.end
        while start < end and not mask[start]:
            start += 1
        while end > start and not mask[end - 1]:
            end -= 1
        if end > start:
            block.span = Span(start, end)
            visible.append(block)
    return visible


def _references(
    source: str, prose: str, blocks: list[RawBlock], items: list[ListItem]
) -> tuple[References | None, set[int]]:
    line_end = _LineEnds(source)
    heading: str | None = None
    heading_level = 0
    groups: dict[tuple, list[int]] = {}
    footnote_groups: dict[str, list[int]] = {}
    for index, block in enumerate(blocks):
        if block.kind == "heading":
            if heading is not None and block.heading_level <= heading_level:
                heading = None
            text = " ".join(block.span.of(prose).split())
            if is_reference_heading(text):
                heading, heading_level = text, block.heading_level
            continue
        if block.footnote_label is not None:
            footnote_groups.setdefault(block.footnote_label, []).append(index)
        elif heading is not None:
            key = (heading, "item", block.list_item) if block.list_item is not None else (heading, "block", index)
            groups.setdefault(key, []).append(index)
    by_heading: dict[str, list[EntryCandidate]] = {}
    for (heading_text, _, _), indices in groups.items():
        by_heading.setdefault(heading_text, []).append(_candidate(blocks, indices, items, line_end))
    footnotes = [_candidate(blocks, indices, items, line_end, label) for label, indices in footnote_groups.items()]
    return find_references(source, by_heading, _trailing_list(blocks, items, line_end), footnotes)


def _candidate(
    blocks: list[RawBlock], indices: list[int], items: list[ListItem], line_end, label: str | None = None
) -> EntryCandidate:
    first, last = blocks[indices[0]], blocks[indices[-1]]
    item = items[first.list_item] if first.list_item is not None else None
    if label is None:
        label = item.number if item is not None and item.ordered else ""
    return EntryCandidate(
        label,
        Span(first.span.start, line_end(last.span.end)),
        tuple(indices),
        bool(item and item.ordered and item.depth == 1),
    )


def _trailing_list(blocks: list[RawBlock], items: list[ListItem], line_end) -> list[EntryCandidate]:
    """Top-level numbered items that end the article, with nothing but footnotes after them."""
    tail: list[int] = []
    for index in range(len(blocks) - 1, -1, -1):
        block = blocks[index]
        if block.footnote_label is not None:
            continue
        item = items[block.list_item] if block.list_item is not None else None
        if item is None or not item.ordered or item.depth != 1:
            break
        tail.insert(0, index)
    by_item: dict[int, list[int]] = {}
    for index in tail:
        by_item.setdefault(blocks[index].list_item, []).append(index)  # type: ignore[arg-type]
    return [_candidate(blocks, indices, items, line_end) for indices in by_item.values()]


class _LineEnds:
    """End of the line an offset is on: a reference entry runs to the end of its last line, so a
    link target after the entry's last prose character still belongs to it."""

    def __init__(self, source: str) -> None:
        self.source = source

    def __call__(self, offset: int) -> int:
        end = self.source.find("\n", max(0, offset - 1))
        return len(self.source) if end < 0 else max(end, offset)


def _blocks_with_sections(raw_blocks: list[RawBlock], reference_blocks: set[int], prose: str) -> list[Block]:
    blocks = []
    section: str | None = None
    in_reference_heading = False
    for index, raw in enumerate(raw_blocks):
        if raw.kind == "heading":
            section = " ".join(raw.span.of(prose).split())
            in_reference_heading = is_reference_heading(section)
        blocks.append(
            Block(
                raw.kind,
                raw.span,
                section,
                raw.containers,
                index in reference_blocks or (raw.kind == "heading" and in_reference_heading),
            )
        )
    return blocks


_NUMBERED_LINE = re.compile(r"^\s*(\d{1,3})[.)]\s+\S")


def _plain_layout(source: str) -> MarkdownLayout:
    """A .txt article: paragraphs split on blank lines, numbered lines as list items, and a line
    that says "References" (or the like) on its own as a heading."""
    layout = MarkdownLayout(bytearray(len(source)))
    offset = 0
    paragraph: list[tuple[int, int]] = []

    def flush() -> None:
        if not paragraph:
            return
        start, end = paragraph[0][0], paragraph[-1][1]
        layout.prose_mask[start:end] = b"\x01" * (end - start)
        layout.blocks.append(RawBlock("paragraph", Span(start, end), ()))
        paragraph.clear()

    for line in source.split("\n"):
        start, end = offset, offset + len(line)
        offset = end + 1
        stripped = line.strip()
        if not stripped:
            flush()
            continue
        numbered = _NUMBERED_LINE.match(line)
        lead = start + (numbered.end() - 1 if numbered else len(line) - len(line.lstrip()))
        trail = start + len(line.rstrip())
        if numbered or (is_reference_heading(stripped) and len(stripped) < 40):
            flush()
            layout.prose_mask[lead:trail] = b"\x01" * (trail - lead)
            if numbered:
                layout.list_items.append(ListItem(True, numbered.group(1), 1, ("ordered_list",)))
                layout.blocks.append(
                    RawBlock("paragraph", Span(lead, trail), ("ordered_list",), list_item=len(layout.list_items) - 1)
                )
            else:
                layout.blocks.append(RawBlock("heading", Span(lead, trail), (), heading_level=2))
                layout.headings.append(Heading(2, stripped, Span(lead, trail)))
            continue
        paragraph.append((lead, trail))
    flush()
    return layout
