"""WordPress post HTML (``content.raw``) back into the Markdown clinicpress lints.

Three kinds of HTML arrive here: classic-editor posts (bare text with blank lines, WordPress adds
the ``<p>`` tags only on display), block-editor posts (HTML between ``<!-- wp:... -->`` comments)
and what clinicpress itself published (markdown-it-py with the footnote plugin). The Markdown must
mean exactly what the page shows, because the linter judges the text: literal ``*`` stays literal,
a footnote stays a footnote, a script never becomes text.

How it works: ``html.parser`` builds a small tree (repairing the usual unclosed ``<p>``/``<li>``),
then a writer turns block elements into Markdown blocks and inline runs into paragraphs. Where
CommonMark cannot say something with its own syntax (emphasis whose delimiters would not open or
close at that spot, ``<sup>``/``<sub>``) the inline HTML tag is written instead: markdown-it
renders it unchanged, so meaning is kept at the cost of a little tidiness.

Known losses, all presentational: attributes other than href/src/alt/title/start/alignment,
underline and other unknown inline tags (their text is kept), table cell spans, whitespace a
browser would not show either (runs of spaces, spaces at the edges of a block), and the tightness
of a list whose items Markdown cannot write tightly. ``~~`` needs markdown-it's strikethrough
rule, which clinicpress enables.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from html.parser import HTMLParser

__all__ = ["html_to_markdown"]


def html_to_markdown(html: str) -> str:
    """Convert post HTML to CommonMark (GFM tables, footnotes); "" when nothing is left."""
    # Block-editor content is served as stored; everything else goes through wpautop on display.
    classic = _BLOCK_COMMENT.search(html) is None
    source = _CAPTION_SHORTCODE.sub(_caption_to_figure, html.replace("\r\n", "\n").replace("\r", "\n"))
    root = _parse(source)
    writer = _Writer(_collect_footnotes(root), classic)
    text = "\n\n".join(block.text for block in writer.blocks(root.children, flow=True))
    return text + "\n" if text else ""


# --------------------------------------------------------------------------------------------
# Parsing

_BLOCK_COMMENT = re.compile(r"<!--\s*/?wp:")
_CAPTION_SHORTCODE = re.compile(r"\[caption\b([^\]]*)\](.*?)\[/caption\]", re.DOTALL | re.IGNORECASE)
_CAPTION_IMAGE = re.compile(r"\s*((?:<a\b[^>]*>\s*)?<img\b[^>]*>(?:\s*</a>)?)(.*)", re.DOTALL | re.IGNORECASE)
_CAPTION_ATTR = re.compile(r"""\bcaption=(?:"([^"]*)"|'([^']*)')""", re.IGNORECASE)

_VOID = frozenset(
    "area base br col embed hr img input link meta param source track wbr keygen basefont frame".split()
)
# Executable or embedded content, and fallback text meant for when such content cannot run.
_DROPPED = frozenset(
    "script style iframe noscript template object embed applet frame frameset noframes noembed "
    "svg math canvas video audio head title".split()
)
_BLOCK = frozenset(
    "address article aside blockquote body center dd details dialog dir div dl dt fieldset "
    "figcaption figure footer form h1 h2 h3 h4 h5 h6 header hgroup hr html legend li main menu nav "
    "ol p pre section summary table caption tbody thead tfoot tr td th ul".split()
)
# Containers whose loose text WordPress's wpautop turns into paragraphs.
_FLOW = frozenset(
    "#root div section article blockquote main aside header footer figure nav details center form".split()
)
_CLOSES_P = frozenset(
    "address article aside blockquote center details dialog dir div dl fieldset figcaption figure "
    "footer form h1 h2 h3 h4 h5 h6 header hgroup hr main menu nav ol p pre section summary table ul "
    "li dd dt".split()
)
_SCOPE = frozenset("table td th caption html template object button".split())
# Nesting deeper than this is never prose; capping it keeps the recursive writer within limits.
_MAX_DEPTH = 48


@dataclass(eq=False)
class _Element:
    tag: str
    attrs: dict[str, str]
    children: list[_Element | str] = field(default_factory=list)
    parent: _Element | None = None
    has_block: bool = False  # a block-level element somewhere below

    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = _Element("#root", {})
        self.stack = [self.root]
        self.skipping: str | None = None
        self.skip_depth = 0
        self.ignored_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, attrs, self_closing=False)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        # Browsers ignore the slash of <div/>; for dropped elements the empty reading is kinder
        # than swallowing the rest of the post.
        self._start(tag, attrs, self_closing=True)

    def _start(self, tag: str, attrs: list[tuple[str, str | None]], self_closing: bool) -> None:
        if self.skipping is not None:
            if tag == self.skipping and not self_closing:
                self.skip_depth += 1
            return
        if tag in _DROPPED:
            if tag not in _VOID and not self_closing:
                self.skipping, self.skip_depth = tag, 1
            return
        self._close_implied(tag)
        if len(self.stack) > _MAX_DEPTH and tag not in _VOID:
            self.ignored_depth += 1
            return
        values: dict[str, str] = {}
        for name, value in attrs:
            values.setdefault(name, (value or "").replace("\xa0", " "))
        element = _Element(tag, values, parent=self.stack[-1])
        self.stack[-1].children.append(element)
        if tag not in _VOID:
            self.stack.append(element)

    def handle_endtag(self, tag: str) -> None:
        if self.skipping is not None:
            if tag == self.skipping:
                self.skip_depth -= 1
                if self.skip_depth == 0:
                    self.skipping = None
            return
        if tag == "br":  # browsers read </br> as <br>
            self._start("br", [], self_closing=True)
            return
        for index in range(len(self.stack) - 1, 0, -1):
            if self.stack[index].tag == tag:
                del self.stack[index:]
                return
        if self.ignored_depth:
            self.ignored_depth -= 1

    def parse_html_declaration(self, i: int) -> int:
        # Python 3.11 raises AssertionError on "<![" not followed by a marked-section keyword;
        # in HTML content browsers read any "<![...>" as a bogus comment, and so do we.
        if self.rawdata.startswith("<![", i):
            return self.parse_bogus_comment(i)
        return super().parse_html_declaration(i)

    def handle_data(self, data: str) -> None:
        if self.skipping is not None or not data:
            return
        data = data.replace("\xa0", " ").replace("\x00", "\ufffd")
        children = self.stack[-1].children
        if children and isinstance(children[-1], str):
            children[-1] += data
        else:
            children.append(data)

    def _close_implied(self, tag: str) -> None:
        if tag in _CLOSES_P:
            self._close({"p"}, _SCOPE)
        if tag == "li":
            self._close({"li"}, _SCOPE | {"ul", "ol"})
        elif tag in ("dt", "dd"):
            self._close({"dt", "dd"}, _SCOPE | {"dl"})
        elif tag in ("td", "th"):
            self._close({"td", "th"}, {"tr", "table"})
        elif tag == "tr":
            self._close({"tr", "td", "th"}, {"table"})
        elif tag in ("thead", "tbody", "tfoot"):
            self._close({"thead", "tbody", "tfoot", "tr", "td", "th"}, {"table"})

    def _close(self, names: set[str], boundary: frozenset[str] | set[str]) -> None:
        for index in range(len(self.stack) - 1, 0, -1):
            current = self.stack[index].tag
            if current in names:
                del self.stack[index:]
                return
            if current in boundary:
                return


def _parse(source: str) -> _Element:
    builder = _TreeBuilder()
    builder.feed(source)
    builder.close()
    _mark_blocks(builder.root)
    return builder.root


def _mark_blocks(root: _Element) -> None:
    order: list[_Element] = []
    pending = [root]
    while pending:
        element = pending.pop()
        order.append(element)
        pending.extend(child for child in element.children if isinstance(child, _Element))
    for element in reversed(order):
        element.has_block = any(
            isinstance(child, _Element) and (child.tag in _BLOCK or child.has_block) for child in element.children
        )


def _caption_to_figure(match: re.Match[str]) -> str:
    attributes, body = match.group(1), match.group(2)
    image = _CAPTION_IMAGE.match(body)
    if image is None:
        return match.group(0)
    named = _CAPTION_ATTR.search(attributes)
    caption = (named.group(1) or named.group(2) or "") if named else image.group(2)
    return f"<figure>{image.group(1)}<figcaption>{caption.strip()}</figcaption></figure>"


# --------------------------------------------------------------------------------------------
# Footnotes: markdown-it-py's (li.footnote-item, id="fn1") and Python-Markdown's (id="fn:1")


def _collect_footnotes(root: _Element) -> dict[str, str]:
    """Referenced footnote item id -> Markdown label; back-links are removed from all notes.

    A note nobody refers to stays an ordinary list item: markdown-it drops an unreferenced
    definition from its output, and the linter would never see its text.
    """
    referenced = {target for element in _walk(root) if (target := _footnote_target(element))}
    labels: dict[str, str] = {}
    for element in _walk(root):
        if element.tag != "li" or not _is_footnote_item(element):
            continue
        assert element.parent is not None
        siblings = [child for child in element.parent.children if isinstance(child, _Element)]
        if not all(child.tag == "li" and _is_footnote_item(child) for child in siblings):
            continue  # only a whole list of notes becomes definitions; the writer relies on that
        _remove_backrefs(element)
        ident = element.attrs["id"]
        if ident not in referenced:
            continue
        label = re.sub(r"[^\w-]", "", re.sub(r"^fn[-:_]?", "", ident)) or str(len(labels) + 1)
        while label in labels.values():
            label += "-"
        labels[ident] = label
    return labels


def _footnote_target(element: _Element) -> str | None:
    """The id a footnote reference (``<sup><a href="#fn1">`` or ``a.footnote-ref``) points to."""
    if element.tag == "sup":
        solid = [child for child in element.children if not (isinstance(child, str) and not child.strip())]
        if len(solid) != 1 or not isinstance(solid[0], _Element):
            return None
        element = solid[0]
    elif "footnote-ref" not in element.classes():
        return None  # an ordinary link to a note keeps its own words
    href = element.attrs.get("href", "")
    return href[1:] if element.tag == "a" and href.startswith("#") and len(href) > 1 else None


def _is_footnote_item(element: _Element) -> bool:
    ident = element.attrs.get("id", "")
    if not ident.startswith("fn") or ident.startswith("fnref"):
        return False
    if "footnote-item" in element.classes():
        return True
    ancestor = element.parent
    while ancestor is not None:
        if ancestor.classes() & {"footnotes", "footnote", "footnotes-list"}:
            return True
        ancestor = ancestor.parent
    return False


def _remove_backrefs(element: _Element) -> None:
    kept: list[_Element | str] = []
    for child in element.children:
        if isinstance(child, _Element):
            if child.tag == "a" and (
                "footnote-backref" in child.classes() or child.attrs.get("href", "").startswith("#fnref")
            ):
                continue
            _remove_backrefs(child)
        kept.append(child)
    element.children = kept


def _walk(element: _Element):
    pending = [element]
    while pending:
        current = pending.pop()
        yield current
        pending.extend(reversed([child for child in current.children if isinstance(child, _Element)]))


# --------------------------------------------------------------------------------------------
# Inline content

_EMPHASIS = {"strong": "strong", "b": "strong", "em": "em", "i": "em", "s": "s", "del": "s", "strike": "s"}
_CODE = frozenset("code kbd samp tt var".split())
_RAW_INLINE = frozenset({"sup", "sub"})  # kept as HTML: citation markers, chemical formulas
_DELIMITERS = {"em": ("*", "_"), "strong": ("**", "__"), "s": ("~~",)}
_HTML_SPACE = " \t\n\f\r"
_WHITESPACE = re.compile(r"[ \t\n\f\r]+")
_ENTITY_AHEAD = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_UNSAFE_URL = re.compile(r"^(?:vbscript|javascript|file|data):")
_SAFE_DATA_URL = re.compile(r"^data:image/(?:gif|png|jpeg|webp);")
_AUTOLINK = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]{1,31}:[A-Za-z0-9\-._~:/?#@!$'()*+,;=]*")
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?"
_EMAIL = re.compile(rf"[A-Za-z0-9._+\-]+@{_LABEL}(?:\.{_LABEL})*")  # CommonMark's e-mail autolink


@dataclass(frozen=True)
class _Style:
    """How one inline run is written: a paragraph line, a heading, or a table cell."""

    hard_break: str
    newlines: bool


_PARAGRAPH = _Style("\\\n", newlines=True)
_HEADING = _Style("<br />", newlines=False)
_CELL = _Style("<br />", newlines=False)


@dataclass
class _Emphasis:
    kind: str
    inner: str
    risky: frozenset[str]  # delimiter characters inside that could close an enclosing run early


def _text_of(node: _Element | str) -> str:
    if isinstance(node, str):
        return node
    if node.tag == "br":
        return "\n"
    return "".join(_text_of(child) for child in node.children)


def _is_whitespace(char: str | None) -> bool:
    # CommonMark: start/end of line, Unicode Zs or ASCII whitespace; markdown-it-py agrees.
    return char is None or char in " \t\n\v\f\r" or unicodedata.category(char) == "Zs"


def _is_punctuation(char: str | None) -> bool:
    return char is not None and unicodedata.category(char)[0] in "PS"


def _left_flanking(before: str | None, after: str | None) -> bool:
    return not _is_whitespace(after) and (
        not _is_punctuation(after) or _is_whitespace(before) or _is_punctuation(before)
    )


def _right_flanking(before: str | None, after: str | None) -> bool:
    return not _is_whitespace(before) and (
        not _is_punctuation(before) or _is_whitespace(after) or _is_punctuation(after)
    )


def _delimiter_works(mark: str, before: str | None, first: str, last: str, after: str | None) -> bool:
    """Would ``mark`` inner ``mark`` open and close right here (CommonMark 6.2)?"""
    char = mark[0]
    if char in (before, first, last, after):
        return False  # it would merge with a neighbouring run and pair differently
    return _can_open(char, before, first) and _can_close(char, last, after)


def _can_open(char: str, before: str | None, after: str | None) -> bool:
    if char == "_":
        return _left_flanking(before, after) and (not _right_flanking(before, after) or _is_punctuation(before))
    return _left_flanking(before, after)


def _can_close(char: str, before: str | None, after: str | None) -> bool:
    if char == "_":
        return _right_flanking(before, after) and (not _left_flanking(before, after) or _is_punctuation(after))
    return _right_flanking(before, after)


# A citation marker like [1], [1, 3] or [2–4] that no "(" or "[" follows is literal text in
# CommonMark (imported Markdown has no reference definitions): left as written, it stays a
# citation the linter recognises, instead of reading "\[1\]".
_CITATION_BRACKETS = re.compile(r"\[\d{1,3}(?:\s*[,–‒-]\s*\d{1,3})*\](?![(\[:])")


def _escape_text(text: str) -> str:
    out: list[str] = []
    end = len(text) - 1
    literal = {i for m in _CITATION_BRACKETS.finditer(text) for i in (m.start(), m.end() - 1)}
    for index, char in enumerate(text):
        before = text[index - 1] if index > 0 else ""
        after = text[index + 1] if index < end else ""
        if index in literal:
            out.append(char)
        elif char in "\\`*[]":
            out.append("\\" + char)
        elif char == "_":
            # snake_case and e-mail addresses cannot open emphasis; keep them readable
            out.append("_" if before.isalnum() and after.isalnum() else "\\_")
        elif char == "~":
            # one tilde between other characters never strikes through; runs and edges might
            out.append("~" if before and after and before != "~" and after != "~" else "\\~")
        elif char == "<":
            out.append("\\<" if after and (after.isalpha() or after in "/!?") else "<")
        elif char == "&":
            out.append("\\&" if _ENTITY_AHEAD.match(text, index) else "&")
        else:
            out.append(char)
    return "".join(out)


def _code_span(content: str) -> str:
    content = content.replace("\n", " ")
    if not content:
        return ""
    longest = max((len(run) for run in re.findall(r"`+", content)), default=0)
    fence = "`" * (longest + 1)
    pad = content[0] == "`" or content[-1] == "`" or (content[0] == content[-1] == " " and content.strip(" "))
    return f"{fence} {content} {fence}" if pad else f"{fence}{content}{fence}"


def _url_allowed(url: str, image: bool) -> bool:
    probe = re.sub(r"[\x00-\x20]", "", url).lower()
    return not _UNSAFE_URL.match(probe) or (image and bool(_SAFE_DATA_URL.match(probe)))


def _destination(url: str) -> str:
    url = re.sub(r"[\n\r\t]", "", url)  # browsers strip these from URLs too
    if re.search(r"[\s<>\x00-\x1f]", url) or url.count("(") != url.count(")"):
        return "<" + re.sub(r"([\\<>])", r"\\\1", url) + ">"
    escaped = re.sub(r"([\\()])", r"\\\1", url)
    return _ENTITY_AHEAD.sub(lambda match: "\\" + match.group(0), escaped)


def _title(title: str) -> str:
    title = _WHITESPACE.sub(" ", title).strip()
    if not title:
        return ""
    escaped = re.sub(r'([\\"])', r"\\\1", title)
    return ' "' + _ENTITY_AHEAD.sub(lambda match: "\\" + match.group(0), escaped) + '"'


# --------------------------------------------------------------------------------------------
# Blocks


@dataclass
class _Block:
    kind: str  # para heading fence quote list hr table footnote
    text: str
    marker: str = ""  # a list's bullet or delimiter, so the next list can differ
    interrupts: bool = False  # a list that may start right under a paragraph line


_LINE_HAZARDS = (
    re.compile(r"#{1,6}(?=[ \t]|$)"),  # ATX heading
    re.compile(r">"),  # block quote
    re.compile(r"[-+](?=[ \t]|$)"),  # bullet item
    re.compile(r"=+[ \t]*$"),  # setext underline
    re.compile(r"(?=[|:\- \t]*-)[-|:][-|: \t]*$"),  # thematic break, setext underline, table delimiter row
)
_ORDERED_START = re.compile(r"(\d{1,9})([.)])(?=[ \t]|$)")
_FOOTNOTE_DEF_START = re.compile(r"(\[\^[^\]\s]+\]):")


def _guard_line(line: str) -> str:
    """Escape what would turn this paragraph line into block syntax."""
    for hazard in _LINE_HAZARDS:
        if hazard.match(line):
            return "\\" + line
    ordered = _ORDERED_START.match(line)
    if ordered:
        return ordered.group(1) + "\\" + line[len(ordered.group(1)) :]
    definition = _FOOTNOTE_DEF_START.match(line)
    if definition:
        return definition.group(1) + "\\" + line[len(definition.group(1)) :]
    return line


def _table_columns(line: str) -> int:
    """Cells markdown-it would see if ``line`` headed a table (0: it cannot)."""
    if "|" not in line:
        return 0
    cells = re.split(r"(?<!\\)\|", line.strip())
    if cells and cells[0] == "":
        cells.pop(0)
    if cells and cells[-1] == "":
        cells.pop()
    return len(cells)


def _indent(text: str, first: str, rest: str, blank: str = "") -> str:
    lines = text.split("\n")
    out = [first + lines[0] if lines[0] else first.rstrip()]
    out.extend(rest + line if line else blank for line in lines[1:])
    return "\n".join(out)


def _is_paragraph(node: _Element | str) -> bool:
    """A ``<p>`` with something in it: markdown-it wraps items in them only in loose lists."""
    return (
        isinstance(node, _Element)
        and node.tag == "p"
        and (bool(_text_of(node).strip()) or any(isinstance(child, _Element) for child in node.children))
    )


def _can_join_tight(blocks: list[_Block]) -> bool:
    """May an item's blocks follow each other without blank lines (which make a list loose)?"""
    for previous, block in zip(blocks, blocks[1:]):
        if previous.kind in ("heading", "fence", "hr"):
            continue
        if previous.kind == "para" and (
            block.kind in ("heading", "fence", "quote") or (block.kind == "list" and block.interrupts)
        ):
            continue
        return False  # a paragraph line would continue the block above lazily
    return True


class _Writer:
    def __init__(self, footnotes: dict[str, str], classic: bool) -> None:
        self.footnotes = footnotes
        self.classic = classic

    # Block level ------------------------------------------------------------------------

    def blocks(self, nodes: list[_Element | str], flow: bool, previous: _Block | None = None) -> list[_Block]:
        """``previous`` is the block written just before these, when they continue its level."""
        out: list[_Block] = []
        run: list[_Element | str] = []
        for node in nodes:
            if isinstance(node, str) or (node.tag not in _BLOCK and not node.has_block):
                run.append(node)
                continue
            out.extend(self._paragraphs(run, flow))
            run = []
            out.extend(self._block(node, out[-1] if out else previous))
        out.extend(self._paragraphs(run, flow))
        return out

    def _block(self, element: _Element, previous: _Block | None) -> list[_Block]:
        tag = element.tag
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            return [self._heading(element)]
        if tag == "pre":
            return [self._fence(element)]
        if tag == "blockquote":
            inner = "\n\n".join(block.text for block in self.blocks(element.children, flow=True))
            return [_Block("quote", _indent(inner, "> ", "> ", blank=">"))]
        if tag in ("ul", "ol"):
            items = [child for child in element.children if isinstance(child, _Element) and child.tag == "li"]
            if any(child.attrs.get("id") in self.footnotes for child in items):
                notes = [self._definition(child) for child in items if child.attrs.get("id") in self.footnotes]
                unreferenced = [child for child in items if child.attrs.get("id") not in self.footnotes]
                if unreferenced:
                    notes.append(self._list(_Element("ol", {}, list(unreferenced)), notes[-1]))
                return notes
            listed = self._list(element, previous)
            return [listed] if listed.text else []
        if tag == "hr":
            parent_classes = element.parent.classes() if element.parent else set()
            if "footnotes-sep" in element.classes() or parent_classes & {"footnote", "footnotes"}:
                return []
            return [_Block("hr", "---")]
        if tag == "table":
            return self._table(element)
        return self.blocks(element.children, flow=tag in _FLOW, previous=previous)

    def _paragraphs(self, run: list[_Element | str], flow: bool) -> list[_Block]:
        if not run:
            return []
        groups = self._autop(run) if flow and self.classic else [run]
        out = []
        for group in groups:
            text = self.inline(group, _PARAGRAPH)
            if text.strip():  # markdown-it trims Unicode whitespace such as \v from paragraphs
                out.append(_Block("para", "\n".join(_guard_line(line) for line in text.split("\n"))))
        return out

    @staticmethod
    def _autop(run: list[_Element | str]) -> list[list[_Element | str]]:
        """wpautop's reading of loose classic text: blank line = paragraph, newline = <br>."""
        groups: list[list[_Element | str]] = [[]]
        run = list(run)
        # wpautop leaves the newlines next to block tags alone
        if isinstance(run[0], str):
            run[0] = run[0].lstrip(_HTML_SPACE)
        if isinstance(run[-1], str):
            run[-1] = run[-1].rstrip(_HTML_SPACE)
        for node in run:
            if not isinstance(node, str):
                groups[-1].append(node)
                continue
            for index, chunk in enumerate(re.split(r"\n[ \t]*\n\s*", node)):
                if index:
                    groups.append([])
                for number, line in enumerate(chunk.split("\n")):
                    if number:
                        groups[-1].append(_Element("br", {}))
                    if line:
                        groups[-1].append(line)
        return groups

    def _heading(self, element: _Element) -> _Block:
        level = int(element.tag[1])
        if level <= 2:
            # Only a setext heading can keep the soft and hard line breaks inside the heading.
            text = self.inline(element.children, _PARAGRAPH)
            # ...unless its last line would read as a one-column table header above a "---"
            if "\n" in text and (level == 1 or _table_columns(text.rsplit("\n", 1)[-1]) != 1):
                underline = "=" if level == 1 else "-"
                return _Block("heading", "\n".join(map(_guard_line, text.split("\n"))) + "\n" + underline * 3)
        text = self.inline(element.children, _HEADING)
        # a trailing run of '#' would be read as the optional closing sequence
        text = re.sub(r"(^|[ \t])(#+)$", r"\1\\\2", text)
        return _Block("heading", "#" * level + (" " + text if text else ""))

    def _fence(self, element: _Element) -> _Block:
        code = _text_of(element)
        first = element.children[0] if element.children else None
        if isinstance(first, str) and first.startswith("\n"):  # HTML drops a newline right after <pre>
            code = code[1:]
        language = ""
        candidates = [element] + [child for child in element.children if isinstance(child, _Element)]
        for candidate in candidates:
            for name in sorted(candidate.classes()):
                found = re.match(r"(?:language|lang)-([^\s`]+)$", name)
                if found:
                    language = found.group(1)
                    break
            if language:
                break
        longest = max((len(run) for run in re.findall(r"`+", code)), default=0)
        fence = "`" * max(3, longest + 1)
        body = code if code.endswith("\n") else code + "\n" if code else ""
        return _Block("fence", f"{fence}{language}\n{body}{fence}")

    def _list(self, element: _Element, previous: _Block | None) -> _Block:
        ordered = element.tag == "ol"
        items: list[list[_Element | str]] = []
        for child in element.children:
            if isinstance(child, _Element) and child.tag == "li":
                items.append(list(child.children))
            elif isinstance(child, str) and not child.strip():
                continue
            elif items:  # <ul><li>a</li><ul>…</ul></ul>: the stray list belongs to the item above
                items[-1].append(child)
            else:
                items.append([child])
        loose = any(_is_paragraph(node) for item in items for node in item)
        same_kind = previous is not None and previous.kind == "list"
        if ordered:
            marker = ")" if same_kind and previous.marker == "." else "."
            try:
                number = min(max(int(element.attrs.get("start", "1").strip()), 0), 999_999_999)
            except ValueError:
                number = 1
        else:
            marker = "*" if same_kind and previous.marker == "-" else "-"
            number = 0
        first_number = number
        # "- - -" would be a thematic break: a bullet list opening an item takes the other bullet
        opening = None if ordered else _Block("list", "", marker)
        item_blocks = [self.blocks(item, flow=False, previous=opening) for item in items]
        # An item Markdown cannot write tightly makes the whole list loose; say so everywhere.
        loose = loose or not all(_can_join_tight(blocks) for blocks in item_blocks)
        texts = []
        first_empty = False
        for index, blocks in enumerate(item_blocks):
            if blocks and blocks[0].kind == "hr":
                # "- ---" and "* ***" would read as one thematic break
                blocks[0] = _Block("hr", "***" if marker == "-" else "---")
            body = ("\n\n" if loose else "\n").join(block.text for block in blocks)
            prefix = f"{number}{marker}" if ordered else marker
            if index == 0:
                first_empty = not body
            texts.append(_indent(body, prefix + " ", " " * (len(prefix) + 1)))
            number = min(number + 1, 999_999_999)
        text = ("\n\n" if loose else "\n").join(texts)
        interrupts = bool(texts) and not first_empty and (not ordered or first_number == 1)
        return _Block("list", text, marker, interrupts)

    def _definition(self, item: _Element) -> _Block:
        label = self.footnotes[item.attrs["id"]]
        blocks = self.blocks(item.children, flow=False)
        body = "\n\n".join(block.text for block in blocks)
        if blocks and blocks[0].kind != "para":
            # Nested containers measure their indent from the 4-column continuation, so only a
            # paragraph may start on the label's line.
            return _Block("footnote", f"[^{label}]:\n" + _indent(body, "    ", "    "))
        return _Block("footnote", _indent(body, f"[^{label}]: ", "    "))

    def _table(self, element: _Element) -> list[_Block]:
        rows: list[list[_Element]] = []
        captions: list[_Element] = []
        pending = list(element.children)
        while pending:
            node = pending.pop(0)
            if not isinstance(node, _Element):
                continue
            if node.tag in ("thead", "tbody", "tfoot"):
                pending[0:0] = node.children
            elif node.tag == "tr":
                rows.append([cell for cell in node.children if isinstance(cell, _Element) and cell.tag in ("td", "th")])
            elif node.tag == "caption":
                captions.append(node)
        width = max((len(row) for row in rows), default=0)
        if width == 0:
            return []
        aligns = []
        for column in range(width):
            cell = rows[0][column] if column < len(rows[0]) else None
            aligns.append(_alignment(cell) if cell is not None else "")
        lines = []
        for index, row in enumerate(rows):
            cells = [self.inline(cell.children, _CELL).replace("|", "\\|") for cell in row]
            cells += [""] * (width - len(cells))
            lines.append("| " + " | ".join(cells) + " |")
            if index == 0:
                lines.append("| " + " | ".join(aligns) + " |")
        out = []
        for caption in captions:
            out.extend(self.blocks(caption.children, flow=False))
        out.append(_Block("table", "\n".join(lines)))
        return out

    # Inline level -----------------------------------------------------------------------

    def inline(self, nodes: list[_Element | str], style: _Style) -> str:
        items = _hoist_edges(self._flatten(nodes, in_link=False))
        _normalise_whitespace(items, style.newlines)
        return self._render(items, style, nested=False)[0].strip(" \n")

    def _flatten(self, nodes: list[_Element | str], in_link: bool) -> list[_Element | str]:
        """Copy of the run with only the tags that carry meaning; adjacent text merged."""
        out: list[_Element | str] = []

        for node in nodes:
            if isinstance(node, str):
                _push(out, node)
                continue
            tag = node.tag
            label = self._footnote_label(node)
            if label is not None:
                _push(out, _Element("#footnote", {"label": label}))
            elif tag == "img" and not _url_allowed(node.attrs.get("src", ""), True):
                _push(out, node.attrs.get("alt", ""))
            elif tag in _CODE and not _text_of(node):
                continue
            elif tag in ("br", "img") or tag in _CODE:
                _push(out, node)
            elif tag in _EMPHASIS or tag in _RAW_INLINE:
                _push(out, _Element(tag, {}, self._flatten(node.children, in_link)))
            elif tag == "a" and "href" in node.attrs and not in_link and _url_allowed(node.attrs["href"], False):
                _push(out, _Element("a", node.attrs, self._flatten(node.children, in_link=True)))
            else:
                children = self._flatten(node.children, in_link)
                if tag in _BLOCK and out and children:
                    _push(out, _Element("br", {}))  # a block boundary inside a heading or cell
                for child in children:
                    _push(out, child)
        return out

    def _footnote_label(self, element: _Element) -> str | None:
        target = _footnote_target(element)
        return self.footnotes.get(target) if target else None

    def _render(self, items: list[_Element | str], style: _Style, nested: bool) -> tuple[str, frozenset[str]]:
        """Markdown for the run, and the delimiter characters an enclosing emphasis must avoid."""
        pieces: list[str | _Emphasis] = []
        risky: frozenset[str] = frozenset()
        for node in items:
            piece = self._piece(node, style)
            if isinstance(piece, tuple):
                piece, inner_risky = piece
                risky |= inner_risky
            if isinstance(piece, _Emphasis):
                pieces.append(piece)
            elif piece:
                previous = pieces[-1] if pieces else None
                if piece[0] == "[" and isinstance(previous, str) and previous.endswith(("!", "^")):
                    # "![" would start an image, "^[" an inline footnote
                    pieces[-1] = previous[:-1] + "\\" + previous[-1]
                if piece[0] == "(" and isinstance(previous, str) and re.fullmatch(r"\[\^[^\]]+\]", previous):
                    piece = "\\" + piece  # "[^1](x)" would be read as a link
                pieces.append(piece)
        # Inside emphasis, link text or <sup>, the run is framed by punctuation, not whitespace.
        text, found = _resolve_emphasis([piece for piece in pieces if piece != ""], "!" if nested else None)
        return text, risky | found

    def _piece(self, node: _Element | str, style: _Style) -> str | _Emphasis | tuple[str, frozenset[str]]:
        if isinstance(node, str):
            return _escape_text(node)
        tag = node.tag
        if tag == "br":
            return style.hard_break
        if tag == "#footnote":
            return f"[^{node.attrs['label']}]"
        if tag in _CODE:
            return _code_span(_text_of(node))
        if tag in _EMPHASIS:
            return _Emphasis(_EMPHASIS[tag], *self._render(node.children, style, nested=True))
        if tag in _RAW_INLINE:
            inner, risky = self._render(node.children, style, nested=True)
            return (f"<{tag}>{inner}</{tag}>" if inner else "", risky)
        if tag == "img":
            return self._image(node)
        if tag == "a":
            return self._link(node, style)
        return ""

    def _image(self, node: _Element) -> str:
        alt = _escape_text(re.sub(r"[\t\n\f\r]", " ", node.attrs.get("alt", "")))
        src = node.attrs.get("src", "")
        return f"![{alt}]({_destination(src)}{_title(node.attrs.get('title', ''))})"

    def _link(self, node: _Element, style: _Style) -> str:
        href = node.attrs["href"]
        title = node.attrs.get("title", "").strip()
        plain = node.children[0] if len(node.children) == 1 and isinstance(node.children[0], str) else None
        if not title and plain is not None:
            if plain == href and _AUTOLINK.fullmatch(href):
                return f"<{href}>"
            if href == "mailto:" + plain and _EMAIL.fullmatch(plain):
                return f"<{plain}>"
        # Emphasis inside link text pairs only there (markdown-it nests delimiter lists per link).
        text = self._render(node.children, style, nested=True)[0]
        return f"[{text}]({_destination(href)}{_title(title)})"


def _alignment(cell: _Element) -> str:
    style = re.search(r"text-align\s*:\s*(left|right|center)", cell.attrs.get("style", ""), re.IGNORECASE)
    block_editor = re.search(r"\bhas-text-align-(left|right|center)\b", cell.attrs.get("class", ""))
    found = style or block_editor
    align = (found.group(1) if found else cell.attrs.get("align") or cell.attrs.get("data-align", "")).lower()
    return {"left": ":---", "right": "---:", "center": ":---:"}.get(align, "---")


def _push(out: list[_Element | str], node: _Element | str) -> None:
    """Append ``node``, merging adjacent text so that later passes see one string per run."""
    if isinstance(node, str) and out and isinstance(out[-1], str):
        out[-1] += node
    elif node != "":
        out.append(node)


def _hoist_edges(nodes: list[_Element | str]) -> list[_Element | str]:
    """Move edge whitespace, and line breaks at the end, out of emphasis: ``**a **`` would not
    close, nor would ``**`` at the start of the line after a break."""
    out: list[_Element | str] = []

    for node in nodes:
        if isinstance(node, str) or node.tag not in _EMPHASIS and node.tag not in _RAW_INLINE and node.tag != "a":
            _push(out, node)
            continue
        children = _hoist_edges(node.children)
        if node.tag not in _EMPHASIS:
            node.children = children
            _push(out, node)
            continue
        lead: list[_Element | str] = []
        while children and isinstance(children[0], str) and _is_edge(children[0]):
            lead.append(children.pop(0))
        if children and isinstance(children[0], str):
            kept = children[0].lstrip(_HTML_SPACE)
            lead.append(children[0][: len(children[0]) - len(kept)])
            children[0] = kept
        trail: list[_Element | str] = []
        while children and _is_edge(children[-1]):
            trail.insert(0, children.pop())
        if children and isinstance(children[-1], str):
            kept = children[-1].rstrip(_HTML_SPACE)
            trail.insert(0, children[-1][len(kept) :])
            children[-1] = kept
        node.children = [child for child in children if child != ""]
        for item in [*lead, *([node] if node.children else []), *trail]:
            _push(out, item)
    return out


def _is_edge(node: _Element | str) -> bool:
    if isinstance(node, str):
        return not node.strip(_HTML_SPACE)
    return node.tag == "br"


def _normalise_whitespace(items: list[_Element | str], newlines: bool) -> None:
    """Collapse whitespace as a browser would, keeping a newline as a soft line break, and drop
    line breaks that end the run. Code and images are left alone: markdown-it keeps code spaces
    verbatim."""
    slots: list[tuple[str, list[_Element | str], int]] = []  # ("text" | "break" | "solid", list, index)

    def collect(nodes: list[_Element | str], allow_newlines: bool) -> None:
        for index, node in enumerate(nodes):
            if isinstance(node, str):
                nodes[index] = _WHITESPACE.sub(lambda m: "\n" if allow_newlines and "\n" in m.group() else " ", node)
                slots.append(("text", nodes, index))
            elif node.tag == "br":
                slots.append(("break", nodes, index))
            elif node.tag in _EMPHASIS or node.tag == "a":
                collect(node.children, allow_newlines)
            elif node.tag in _RAW_INLINE:
                collect(node.children, False)  # a newline after <sup> could end a line on a raw tag
            else:
                slots.append(("solid", nodes, index))

    collect(items, newlines)
    after_space = True
    for kind, nodes, index in slots:
        if kind != "text":
            after_space = kind == "break"
            continue
        text = nodes[index]
        assert isinstance(text, str)
        if after_space:
            text = text.lstrip(" \n")
        if text:
            after_space = text[-1] in " \n"
        nodes[index] = text
    trimming = True
    for kind, nodes, index in reversed(slots):
        if kind != "text":
            # a paragraph keeps "a \\" + newline as markdown-it wrote it; headings and cells trim
            trimming = kind == "break" and not newlines
            continue
        if trimming:
            text = nodes[index]
            assert isinstance(text, str)
            nodes[index] = text.rstrip(" \n")
            trimming = not nodes[index]
    # A break at the end of a block shows nothing, and "\\" there would be a literal backslash.
    for kind, nodes, index in reversed(slots):
        if kind == "break":
            nodes[index] = ""
        elif kind == "solid" or nodes[index]:
            break


def _resolve_emphasis(pieces: list[str | _Emphasis], edge: str | None) -> tuple[str, frozenset[str]]:
    """Choose each emphasis's delimiters now that its neighbours are known.

    An unresolved neighbour will itself pick something other than our character, and every
    candidate (``*``, ``_``, ``~``, ``<``) is punctuation, so that is what it counts as here.
    An opener that could also close would close an enclosing run of the same character instead
    of opening its own; such characters are reported so the enclosing emphasis avoids them.
    """
    done = ""
    risky: set[str] = set()
    for index, piece in enumerate(pieces):
        if isinstance(piece, str):
            done += piece
            continue
        risky |= piece.risky
        if not piece.inner:
            continue
        following = pieces[index + 1] if index + 1 < len(pieces) else None
        if isinstance(following, _Emphasis):
            after: str | None = "!"
        else:
            after = following[0] if following else edge
        before = done[-1] if done else edge
        first, last = piece.inner[0], piece.inner[-1]
        for mark in _DELIMITERS[piece.kind]:
            if mark[0] not in piece.risky and _delimiter_works(mark, before, first, last, after):
                done += mark + piece.inner + mark
                if _can_close(mark[0], before, first):
                    risky.add(mark[0])
                break
        else:
            done += f"<{piece.kind}>{piece.inner}</{piece.kind}>"
    return done, frozenset(risky)
