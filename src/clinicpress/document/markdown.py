"""Markdown to prose with exact offsets.

markdown-it-py gives block tokens with line maps but inline tokens without positions. We align
each inline token's ``content`` to its source lines, then walk the inline children in order with a
cursor, marking as prose only the characters that ``text`` tokens (including link text and image
alt text) came from. Everything else — emphasis markers, code, HTML, link targets, escapes — stays
masked. When alignment fails (it should not, but Markdown is vast) the line counts as prose:
a gate that over-checks is safer than one that skips text.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.front_matter import front_matter_plugin

from clinicpress.document.structure import CitationMarker, Comment, Heading, Link
from clinicpress.model import Span

_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_COMMENT = re.compile(r"<!--(.*?)-->", re.DOTALL)
_HTML_TAG = re.compile(r"<!--.*?-->|<(script|style)\b.*?</\1\s*>|</?[A-Za-z][^>]*>", re.DOTALL | re.IGNORECASE)
_CONTAINERS = {
    "blockquote_open": "blockquote",
    "bullet_list_open": "bullet_list",
    "ordered_list_open": "ordered_list",
}


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    return (
        MarkdownIt("commonmark", {"html": True})
        .enable(["table", "strikethrough"])
        .use(front_matter_plugin)
        .use(footnote_plugin)
    )


@dataclass
class RawBlock:
    kind: str
    span: Span
    containers: tuple[str, ...]
    heading_level: int = 0
    footnote_label: str | None = None
    list_item: int | None = None  # index into MarkdownLayout.list_items


@dataclass
class ListItem:
    ordered: bool
    number: str
    depth: int  # 1 for a top-level list
    containers: tuple[str, ...]


@dataclass
class MarkdownLayout:
    """What the walk found, before sentences and references are worked out."""

    prose_mask: bytearray  # 1 where a source character is prose
    blocks: list[RawBlock] = field(default_factory=list)
    headings: list[Heading] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    comments: list[Comment] = field(default_factory=list)
    footnote_refs: list[CitationMarker] = field(default_factory=list)
    sup_spans: list[Span] = field(default_factory=list)  # text inside <sup>…</sup>
    list_items: list[ListItem] = field(default_factory=list)


class _AlignmentFailed(Exception):
    pass


def layout_markdown(source: str) -> MarkdownLayout:
    layout = MarkdownLayout(bytearray(len(source)))
    _Walker(source, layout).walk(_parser().parse(source))
    return layout


class _Walker:
    def __init__(self, source: str, layout: MarkdownLayout) -> None:
        self.source = source
        self.layout = layout
        self.line_starts = [0] + [i + 1 for i, c in enumerate(source) if c == "\n"]
        self.containers: list[str] = []
        self.list_item_stack: list[int] = []
        self.heading_level = 0
        self.cell = False
        self.footnote_label: str | None = None
        self.row_cursor = 0

    # -- block level -------------------------------------------------------------------------

    def walk(self, tokens: list[Token]) -> None:
        for token in tokens:
            kind = token.type
            if kind in _CONTAINERS:
                self.containers.append(_CONTAINERS[kind])
            elif kind in ("blockquote_close", "bullet_list_close", "ordered_list_close"):
                self.containers.pop()
            elif kind == "list_item_open":
                ordered = bool(self.containers) and self.containers[-1] == "ordered_list"
                depth = sum(1 for c in self.containers if c.endswith("_list"))
                self.layout.list_items.append(ListItem(ordered, token.info, depth, tuple(self.containers)))
                self.list_item_stack.append(len(self.layout.list_items) - 1)
            elif kind == "list_item_close":
                self.list_item_stack.pop()
            elif kind == "heading_open":
                self.heading_level = int(token.tag[1:])
            elif kind == "heading_close":
                self.heading_level = 0
            elif kind in ("th_open", "td_open"):
                self.cell = True
            elif kind in ("th_close", "td_close"):
                self.cell = False
            elif kind == "tr_open":
                self.row_cursor = 0
            elif kind == "footnote_open":
                self.footnote_label = str(token.meta.get("label", token.meta.get("id", "")))
            elif kind == "footnote_close":
                self.footnote_label = None
            elif kind == "html_block" and token.map:
                self._html_block(token)
            elif kind == "inline" and token.map:
                self._inline(token)

    def _html_block(self, token: Token) -> None:
        start = self.line_starts[token.map[0]]
        end = self._line_end(token.map[1] - 1)
        chunk = self.source[start:end]
        for match in _COMMENT.finditer(chunk):
            self._comment(Span(start + match.start(), start + match.end()), match.group(1))
        # Text between tags in pasted HTML is still what readers read, so it is still checked.
        cursor = 0
        first = last = None
        for match in _HTML_TAG.finditer(chunk):
            first, last = self._mark_prose_range(start + cursor, start + match.start(), first, last)
            cursor = match.end()
        first, last = self._mark_prose_range(start + cursor, end, first, last)
        if first is not None:
            self._add_block("html", Span(first, last))

    def _mark_prose_range(self, start: int, end: int, first: int | None, last: int | None):
        for offset in range(start, end):
            if not self.source[offset].isspace():
                self.layout.prose_mask[offset] = 1
                first = offset if first is None else first
                last = offset + 1
        return first, last

    # -- inline level ------------------------------------------------------------------------

    def _inline(self, token: Token) -> None:
        content = token.content
        try:
            offsets = self._align_lines(token, content)
            marked, _ = self._walk_children(token.children or [], content, offsets, 0)
        except _AlignmentFailed:
            marked = self._mark_lines_as_prose(token)
        if marked:
            kind = "heading" if self.heading_level else "table_cell" if self.cell else "paragraph"
            if self.footnote_label is not None:
                kind = "footnote"
            span = Span(min(marked), max(marked) + 1)
            self._add_block(kind, span)
            if self.heading_level:
                text = " ".join(
                    "".join(c if self.layout.prose_mask[span.start + i] else " " for i, c in enumerate(span.of(self.source))).split()
                )
                self.layout.headings.append(Heading(self.heading_level, text, span))

    def _add_block(self, kind: str, span: Span) -> None:
        self.layout.blocks.append(
            RawBlock(
                kind,
                span,
                tuple(self.containers),
                self.heading_level,
                self.footnote_label,
                self.list_item_stack[-1] if self.list_item_stack else None,
            )
        )

    def _line_end(self, line: int) -> int:
        if line + 1 < len(self.line_starts):
            return self.line_starts[line + 1] - 1
        return len(self.source)

    def _align_lines(self, token: Token, content: str) -> list[int]:
        """Source offset of every character of ``content`` (a newline maps to a newline)."""
        offsets: list[int] = []
        first_line = token.map[0]
        for number, piece in enumerate(content.split("\n")):
            line = first_line + number
            if line >= len(self.line_starts):
                raise _AlignmentFailed
            start, end = self.line_starts[line], self._line_end(line)
            text = self.source[start:end]
            if self.cell:
                at = text.find(piece, self.row_cursor)
                self.row_cursor = at + len(piece)
            elif text.endswith(piece):
                at = len(text) - len(piece)
            else:
                at = text.find(piece)
            if at < 0:
                raise _AlignmentFailed
            offsets.extend(range(start + at, start + at + len(piece)))
            offsets.append(end)  # the "\n" that joined this line to the next
        return offsets[:-1]

    def _mark_lines_as_prose(self, token: Token) -> list[int]:
        marked = []
        for line in range(token.map[0], token.map[1]):
            start, end = self.line_starts[line], self._line_end(line)
            for offset in range(start, end):
                if not self.source[offset].isspace():
                    self.layout.prose_mask[offset] = 1
                    marked.append(offset)
        return marked

    def _walk_children(
        self, children: list[Token], content: str, offsets: list[int], cursor: int
    ) -> tuple[list[int], int]:
        """Mark the prose among ``children``; returns the source offsets marked and the cursor."""
        marked: list[int] = []
        link_starts: list[int] = []
        in_autolink = False
        in_sup = False
        for child in children:
            kind = child.type
            if kind == "text":
                if in_autolink:
                    continue
                start, cursor, prose = _align_text(content, cursor, child.content)
                for index in prose:
                    self.layout.prose_mask[offsets[index]] = 1
                    marked.append(offsets[index])
                if in_sup and prose:
                    self.layout.sup_spans.append(Span(offsets[prose[0]], offsets[prose[-1]] + 1))
            elif kind in ("softbreak", "hardbreak"):
                newline = content.find("\n", cursor)
                cursor = newline + 1 if newline >= 0 else cursor
            elif kind == "code_inline":
                cursor = _skip_code(content, cursor, child.markup)
            elif kind == "html_inline":
                at = _find(content, child.content, cursor)
                cursor = at + len(child.content)
                tag = child.content.lower()
                if tag.startswith("<!--"):
                    self._comment(Span(offsets[at], offsets[cursor - 1] + 1), child.content[4:-3])
                elif tag.startswith("<sup"):
                    in_sup = True
                elif tag.startswith("</sup"):
                    in_sup = False
            elif kind in ("em_open", "em_close", "strong_open", "strong_close", "s_open", "s_close"):
                cursor = _find(content, child.markup, cursor) + len(child.markup)
            elif kind == "link_open":
                if child.markup == "autolink":
                    at = _find(content, "<", cursor)
                    cursor = _find(content, ">", at) + 1
                    target = Span(offsets[at + 1], offsets[cursor - 2] + 1)
                    self.layout.links.append(Link(None, str(child.attrs.get("href", "")), target))
                    in_autolink = True
                else:
                    cursor = _find(content, "[", cursor) + 1
                    link_starts.append(cursor)
            elif kind == "link_close":
                if in_autolink:
                    in_autolink = False
                    continue
                text_start = link_starts.pop() if link_starts else cursor
                close = _find(content, "]", cursor)
                target_span, cursor = _skip_destination(content, close + 1)
                self.layout.links.append(
                    Link(
                        _span_of(offsets, text_start, close),
                        _href(children, child),
                        _span_of(offsets, *target_span) if target_span else None,
                    )
                )
            elif kind == "image":
                at = _find(content, "![", cursor)
                inner = at + 2
                alt_marked, after_alt = self._walk_children(child.children or [], content, offsets, inner)
                marked.extend(alt_marked)
                close = _find(content, "]", after_alt)
                target_span, cursor = _skip_destination(content, close + 1)
                self.layout.links.append(
                    Link(
                        _span_of(offsets, inner, close),
                        str(child.attrs.get("src", "")),
                        _span_of(offsets, *target_span) if target_span else None,
                        is_image=True,
                    )
                )
            elif kind == "footnote_ref":
                at = _find(content, "[^", cursor)
                cursor = _find(content, "]", at) + 1
                label = str(child.meta.get("label", ""))
                self.layout.footnote_refs.append(
                    CitationMarker(Span(offsets[at], offsets[cursor - 1] + 1), "footnote", (label,))
                )
        return marked, cursor

    def _comment(self, span: Span, body: str) -> None:
        self.layout.comments.append(Comment(span, body.strip()))


def _find(content: str, needle: str, cursor: int) -> int:
    at = content.find(needle, cursor)
    if at < 0:
        raise _AlignmentFailed
    return at


def _span_of(offsets: list[int], start: int, end: int) -> Span | None:
    if end <= start:
        return None
    return Span(offsets[start], offsets[end - 1] + 1)


def _href(children: list[Token], close: Token) -> str:
    # link_close carries no attributes; its opener is the nearest unmatched link_open before it.
    depth = 0
    for token in reversed(children[: children.index(close)]):
        if token.type == "link_close":
            depth += 1
        elif token.type == "link_open":
            if depth == 0:
                return str(token.attrs.get("href", ""))
            depth -= 1
    return ""


def _align_text(content: str, cursor: int, text: str) -> tuple[int, int, list[int]]:
    """Find ``text`` (a text token, escapes and entities already decoded) in ``content`` at or
    after ``cursor``. Returns start, end and the content indices of its prose characters."""
    start = cursor
    while start < len(content) and content[start] in " \t\n" and (not text or content[start] != text[0]):
        start += 1
    if content.startswith(text, start):  # no escapes or entities: the common case, done in C
        return start, start + len(text), list(range(start, start + len(text)))
    matched = _match_decoded(content, start, text)
    if matched is None:
        exact = content.find(text, cursor)
        if exact < 0:
            raise _AlignmentFailed
        return exact, exact + len(text), list(range(exact, exact + len(text)))
    end, prose = matched
    return start, end, prose


def _match_decoded(content: str, start: int, text: str) -> tuple[int, list[int]] | None:
    i, j, prose = start, 0, []
    while j < len(text):
        if i >= len(content):
            return None
        char = content[i]
        entity = _ENTITY.match(content, i) if char == "&" else None
        decoded = html.unescape(entity.group()) if entity else ""
        if entity and decoded != entity.group() and text.startswith(decoded, j):
            i, j = entity.end(), j + len(decoded)
        elif char == text[j]:
            prose.append(i)
            i += 1
            j += 1
        elif char == "\\" and i + 1 < len(content) and content[i + 1] == text[j]:
            i += 1  # the escaped character itself is prose; the backslash is not
        else:
            return None
    return i, prose


def _skip_code(content: str, cursor: int, fence: str) -> int:
    opening = _find(content, fence, cursor)
    closing = content.find(fence, opening + len(fence))
    while closing >= 0 and content[closing + len(fence) : closing + len(fence) + 1] == "`":
        # A longer run of backticks does not close this span.
        run_end = closing
        while run_end < len(content) and content[run_end] == "`":
            run_end += 1
        closing = content.find(fence, run_end)
    if closing < 0:
        raise _AlignmentFailed
    return closing + len(fence)


def _skip_destination(content: str, at: int) -> tuple[tuple[int, int] | None, int]:
    """After ``]``: skip ``(url "title")``, ``[ref]`` or nothing. Returns the URL's range and the
    index after the construct."""
    if at < len(content) and content[at] == "(":
        depth, i, quote = 0, at, ""
        url_start = at + 1
        while url_start < len(content) and content[url_start] in " \t\n":
            url_start += 1
        url_end = None
        while i < len(content):
            char = content[i]
            if quote:
                if char == quote:
                    quote = ""
            elif char == "\\":
                i += 1
            elif char in "\"'" and url_end is not None:
                quote = char
            elif char == "(":
                depth += 1
            elif char == ")":
                depth -= 1
                if depth == 0:
                    if url_end is None:
                        url_end = i
                    return (url_start, url_end), i + 1
            elif char in " \t\n" and url_end is None and i > url_start:
                url_end = i
            i += 1
        raise _AlignmentFailed
    if at < len(content) and content[at] == "[":
        close = _find(content, "]", at)
        return None, close + 1
    return None, at
