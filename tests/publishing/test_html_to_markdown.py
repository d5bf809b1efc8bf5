"""html_to_markdown: WordPress post HTML back into lintable Markdown.

The strongest check is the round trip: Markdown rendered by clinicpress's markdown-it pipeline,
converted back and rendered again must give the same HTML. Equality is judged on the parsed
token stream, so only serialisation differences (``<br>`` vs ``<br />``, ``&quot;`` vs ``"``),
whitespace-only text next to block tags and the newline markdown-it writes after ``<br />`` are
ignored; every tag, attribute and other character of text must match.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from mdit_py_plugins.footnote import footnote_plugin

from clinicpress.publishing.html_to_markdown import html_to_markdown

REPO = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).parent / "html"
ARTICLES = sorted((REPO / "content").glob("*.md"))

# The pipeline from the brief, and the publisher's (which also enables strikethrough).
PIPELINES = {
    "commonmark+table+footnote": MarkdownIt("commonmark", {"html": True}).enable("table").use(footnote_plugin),
    "publisher": MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"]).use(footnote_plugin),
}
PUBLISHER = PIPELINES["publisher"]

_BLOCK_TAGS = frozenset(
    "blockquote body div figure figcaption h1 h2 h3 h4 h5 h6 hr li ol p pre section table tbody td th "
    "thead tr ul".split()
)


class _Tokens(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tokens: list[tuple] = []

    def handle_starttag(self, tag, attrs):
        self.tokens.append(("start", tag, tuple(sorted((name, value or "") for name, value in attrs))))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        if tag not in ("br", "hr", "img"):
            self.tokens.append(("end", tag))

    def handle_data(self, data):
        if self.tokens and self.tokens[-1][0] == "text":
            self.tokens[-1] = ("text", self.tokens[-1][1] + data)
        else:
            self.tokens.append(("text", data))


def canonical(html: str) -> list[tuple]:
    """Tokens of ``html``, without whitespace-only text beside a block tag or the newline that
    follows a ``<br>``."""
    parser = _Tokens()
    parser.feed(html)
    parser.close()
    tokens = parser.tokens
    kept: list[tuple] = []
    for index, token in enumerate(tokens):
        if token[0] == "text" and kept and kept[-1][:2] == ("start", "br"):
            token = ("text", token[1].lstrip("\n"))  # markdown-it writes "<br />\n"
            if not token[1]:
                continue
        if token[0] == "text" and not token[1].strip(" \t\n"):
            neighbours = tokens[index - 1 : index] + tokens[index + 1 : index + 2]
            if not neighbours or any(other[1] in _BLOCK_TAGS for other in neighbours):
                continue
        kept.append(token)
    return kept


def body_of(article: Path) -> str:
    text = article.read_text(encoding="utf-8")
    return re.sub(r"\A---\n.*?\n---\n", "", text, count=1, flags=re.DOTALL)


def assert_round_trip(markdown: str, pipeline: MarkdownIt = PUBLISHER) -> str:
    first = pipeline.render(markdown)
    converted = html_to_markdown(first)
    second = pipeline.render(converted)
    assert canonical(second) == canonical(first), f"\n--- markdown:\n{markdown}\n--- converted:\n{converted}"
    return converted


def convert(html: str) -> str:
    return html_to_markdown(html)


# ------------------------------------------------------------------------------------------
# Elements


@pytest.mark.parametrize(
    ("html", "markdown"),
    [
        pytest.param("<p>One.</p><p>Two.</p>", "One.\n\nTwo.\n", id="paragraphs"),
        pytest.param("<p>Line one<br>line two<br/></p>", "Line one\\\nline two\n", id="hard-break"),
        pytest.param("<h1>A</h1><h3>B</h3><h6>C</h6>", "# A\n\n### B\n\n###### C\n", id="headings"),
        pytest.param("<p><strong>s</strong> <b>b</b> <em>e</em> <i>i</i></p>", "**s** **b** *e* *i*\n", id="emphasis"),
        pytest.param("<p><s>old</s> <del>gone</del></p>", "~~old~~ ~~gone~~\n", id="strikethrough"),
        pytest.param("<p>Run <code>npm test</code> now</p>", "Run `npm test` now\n", id="code-span"),
        pytest.param("<p><code>a`b</code> <code>`x</code></p>", "``a`b`` `` `x ``\n", id="code-span-backticks"),
        pytest.param(
            '<pre><code class="language-python">def f():\n    return 1\n</code></pre>',
            "```python\ndef f():\n    return 1\n```\n",
            id="fenced-code",
        ),
        pytest.param("<pre><code>x = ```\n</code></pre>", "````\nx = ```\n````\n", id="fence-longer-than-content"),
        pytest.param(
            "<blockquote><p>Outer</p><blockquote><p>Inner</p></blockquote></blockquote>",
            "> Outer\n>\n> > Inner\n",
            id="nested-blockquote",
        ),
        pytest.param(
            "<ul><li>a<ul><li>b<ol><li>c</li></ol></li></ul></li><li>d</li></ul>",
            "- a\n  - b\n    1. c\n- d\n",
            id="nested-lists",
        ),
        pytest.param('<ol start="7"><li>seven</li><li>eight</li></ol>', "7. seven\n8. eight\n", id="ordered-start"),
        pytest.param("<ul><li><p>a</p></li><li><p>b</p></li></ul>", "- a\n\n- b\n", id="loose-list"),
        pytest.param("<p>a</p><hr><p>b</p>", "a\n\n---\n\nb\n", id="thematic-break"),
        pytest.param(
            '<p><a href="https://x.test/a" title="The &quot;A&quot; page">A</a></p>',
            '[A](https://x.test/a "The \\"A\\" page")\n',
            id="link-with-title",
        ),
        pytest.param('<p><a href="/a b(1">odd</a></p>', "[odd](</a b(1>)\n", id="link-needing-brackets"),
        pytest.param('<p><a href="https://x.test/">https://x.test/</a></p>', "<https://x.test/>\n", id="autolink"),
        pytest.param(
            '<p><img src="/i.png" alt="A [spine]" title="Spine"></p>',
            '![A \\[spine\\]](/i.png "Spine")\n',
            id="image",
        ),
        pytest.param(
            '<figure><a href="/big.jpg"><img src="/small.jpg" alt="Needle"></a>'
            "<figcaption>Fine <em>needles</em></figcaption></figure>",
            "[![Needle](/small.jpg)](/big.jpg)\n\nFine *needles*\n",
            id="figure",
        ),
        pytest.param(
            '<table><thead><tr><th style="text-align:left">Dose</th><th align="right">mg</th><th>Note</th></tr></thead>'
            "<tbody><tr><td>a | b</td><td>5</td><td>x<br>y</td></tr><tr><td>c</td></tr></tbody></table>",
            "| Dose | mg | Note |\n| :--- | ---: | --- |\n| a \\| b | 5 | x<br />y |\n| c |  |  |\n",
            id="table",
        ),
        pytest.param("<p>Proven.<sup>1,2</sup></p>", "Proven.<sup>1,2</sup>\n", id="sup-citation"),
        pytest.param("<p>H<sub>2</sub>O</p>", "H<sub>2</sub>O\n", id="sub"),
        pytest.param("<p>Evidence¹ and more²</p>", "Evidence¹ and more²\n", id="unicode-superscripts"),
        pytest.param("<p>Tom &amp; Jerry&#8217;s&nbsp;clinic</p>", "Tom & Jerry’s clinic\n", id="entities"),
        pytest.param("<p>  lots\n\tof   space  </p>", "lots\nof space\n", id="whitespace-collapses"),
        pytest.param("<pre>  keep\n\n   this  </pre>", "```\n  keep\n\n   this  \n```\n", id="pre-keeps-whitespace"),
        pytest.param(
            "<p><span>Unknown</span> <u>tags</u> <mark>keep</mark> text</p>",
            "Unknown tags keep text\n",
            id="unknown-inline",
        ),
    ],
)
def test_element(html: str, markdown: str) -> None:
    assert convert(html) == markdown


def test_heading_keeps_its_breaks() -> None:
    assert convert("<h3>Part one<br>part two</h3>") == "### Part one<br />part two\n"
    assert convert("<h2>Part one<br>part two</h2>") == "Part one\\\npart two\n---\n"


def test_empty_and_blank_input() -> None:
    assert convert("") == ""
    assert convert("<p>&nbsp;</p><p><br></p>\n\n") == ""


def test_adjacent_lists_stay_separate() -> None:
    markdown = convert("<ul><li>a</li></ul><ul><li>b</li></ul><ol><li>c</li></ol><ol><li>d</li></ol>")
    assert markdown == "- a\n\n* b\n\n1. c\n\n1) d\n"
    html = PUBLISHER.render(markdown)
    assert html.count("<ul>") == 2 and html.count("<ol>") == 2


def test_emphasis_that_markdown_cannot_delimit_stays_html() -> None:
    # '**"quoted"**word' would not close: a closing run after punctuation must not touch a letter
    assert convert('<p><strong>"quoted"</strong>word</p>') == '<strong>"quoted"</strong>word\n'
    assert convert("<p><strong><em>both</em></strong></p>") == "__*both*__\n"
    assert convert("<p><em>a</em><em>b</em></p>") == "*a*_b_\n"


def test_whitespace_moves_out_of_emphasis() -> None:
    assert convert("<p>a<strong> bold </strong>b</p>") == "a **bold** b\n"


# ------------------------------------------------------------------------------------------
# Escaping


@pytest.mark.parametrize(
    "text",
    [
        "2 * 3 * 4",
        "snake_case and _underscores_",
        "`not code`",
        "[not a link](x)",
        "<b>not a tag</b>",
        "# not a heading",
        "+ not a list",
        "- not a list",
        "12. not a list",
        "3) not a list",
        "> not a quote",
        "back\\slash",
        "~~not struck~~",
        "&copy; stays literal",
        "Wow![x]",
        "---",
        "===",
        "[^1]: not a definition",
    ],
)
def test_literal_text_stays_literal(text: str) -> None:
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    markdown = convert(f"<p>{escaped}</p>")
    assert canonical(PUBLISHER.render(markdown)) == canonical(f"<p>{escaped}</p>"), markdown


def test_line_starts_after_breaks_are_guarded() -> None:
    html = "<p>first<br># two<br>- three<br>4. four<br>===<br>|---|</p>"
    markdown = convert(html)
    assert canonical(PUBLISHER.render(markdown)) == canonical(html), markdown


def test_ordinary_punctuation_is_not_escaped() -> None:
    text = "Dr. Lee's clinic (est. 1990) - open 9am-5pm; 50% off! Email a_b@x.test, \"quotes\", 1.5 mg/kg, a~b, x = 1+2"
    assert convert(f"<p>{text}</p>") == text + "\n"


# ------------------------------------------------------------------------------------------
# Footnotes


def test_markdown_it_footnotes_become_markdown_footnotes() -> None:
    html = PUBLISHER.render(
        "Claim.[^a] Again.[^a] Other.[^b]\n\n[^a]: First source.\n[^b]: Second\n\n    with a second paragraph.\n"
    )
    assert convert(html) == (
        "Claim.[^1] Again.[^1] Other.[^2]\n\n"
        "[^1]: First source.\n\n"
        "[^2]: Second\n\n    with a second paragraph.\n"
    )


def test_footnote_definition_starting_with_a_list() -> None:
    assert_round_trip("Note.[^1]\n\n[^1]:\n    - a\n    - b\n")


def test_python_markdown_footnotes() -> None:
    html = (
        '<p>Text<sup id="fnref:1"><a class="footnote-ref" href="#fn:1">1</a></sup></p>'
        '<div class="footnote"><hr /><ol><li id="fn:1"><p>The note.&#160;'
        '<a class="footnote-backref" href="#fnref:1" title="Jump back">&#8617;</a></p></li></ol></div>'
    )
    assert convert(html) == "Text[^1]\n\n[^1]: The note.\n"


def test_link_to_a_missing_footnote_stays_a_link() -> None:
    html = '<p>Text<sup class="footnote-ref"><a href="#fn9" id="fnref9">[9]</a></sup></p>'
    # Balanced brackets are fine inside link text; they render exactly as the escaped form would.
    assert convert(html) == "Text<sup>[[9]](#fn9)</sup>\n"


# ------------------------------------------------------------------------------------------
# What is dropped


def test_citation_markers_stay_citations() -> None:
    assert convert("<p>Exercise helps [1]. See [2, 3] and [a] note.</p>") == "Exercise helps [1]. See [2, 3] and \\[a\\] note.\n"


def test_comments_are_dropped() -> None:
    html = (
        "<!-- wp:paragraph --><p>Kept<!-- inline note --></p><!-- /wp:paragraph -->\n"
        "<!-- clinicpress:sha256=" + "0" * 64 + " -->"
    )
    assert convert(html) == "Kept\n"


def test_executable_and_embedded_content_is_dropped() -> None:
    html = (
        "<p>a<script>alert('x')</script>b</p><style>p{color:red}</style>"
        '<iframe src="https://evil.test">fallback</iframe><p><a href="javascript:alert(1)">click</a>'
        ' <a href=" JaVaScRiPt:alert(1)">again</a> <img src="javascript:x" alt="pic"></p>'
    )
    markdown = convert(html)
    assert markdown == "ab\n\nclick again pic\n"
    for needle in ("alert", "color", "evil", "fallback", "javascript"):
        assert needle not in markdown.lower()


def test_self_closed_iframe_does_not_swallow_the_post() -> None:
    assert convert('<iframe src="x" /><p>Still here</p>') == "Still here\n"


# ------------------------------------------------------------------------------------------
# WordPress specifics


def test_classic_text_gets_wpautop_paragraphs_and_breaks() -> None:
    html = "First paragraph\nsecond line.\n\nSecond paragraph.\n<h2>Heading</h2>\nAfter heading."
    assert convert(html) == "First paragraph\\\nsecond line.\n\nSecond paragraph.\n\n## Heading\n\nAfter heading.\n"


def test_block_editor_text_is_not_autop() -> None:
    html = "<!-- wp:freeform -->one\ntwo<!-- /wp:freeform -->"
    assert convert(html) == "one\ntwo\n"


def test_caption_shortcode_becomes_figure() -> None:
    html = '[caption id="a" align="alignleft" width="300"]<img src="/i.jpg" alt="Spine" /> The spine[/caption]'
    assert convert(html) == "![Spine](/i.jpg)\n\nThe spine\n"


def test_unclosed_paragraphs_and_items_are_repaired() -> None:
    assert convert("<p>one<p>two<ul><li>a<li>b</ul>") == "one\n\ntwo\n\n- a\n- b\n"


def test_deep_nesting_does_not_crash() -> None:
    markdown = convert("<div><blockquote>" * 3000 + "deep" + "</blockquote></div>" * 3000)
    assert "deep" in markdown


@pytest.mark.parametrize("name", ["classic-post", "block-editor-post", "references-post"])
def test_wordpress_fixture(name: str) -> None:
    html = (FIXTURES / f"{name}.html").read_text(encoding="utf-8")
    expected = (FIXTURES / f"{name}.expected.md").read_text(encoding="utf-8")
    markdown = convert(html)
    assert markdown == expected
    # publishing the import and importing it again changes nothing
    assert convert(PUBLISHER.render(markdown)) == markdown


# ------------------------------------------------------------------------------------------
# Round trips


@pytest.mark.parametrize("pipeline", PIPELINES.values(), ids=PIPELINES.keys())
@pytest.mark.parametrize("article", ARTICLES, ids=[article.stem for article in ARTICLES])
def test_articles_round_trip(article: Path, pipeline: MarkdownIt) -> None:
    assert_round_trip(body_of(article), pipeline)


def test_there_are_articles_to_round_trip() -> None:
    assert len(ARTICLES) >= 5


def test_round_trip_of_awkward_markdown() -> None:
    assert_round_trip(
        "Setext heading\nover two lines\n===\n\n"
        "- a\n  3. nested ordered\n\n"
        "1. one\n\n   para in item\n\n"
        "> quote with `code` and a [link](</a b> 'title')\n>\n> ```js\n> x()\n> ```\n\n"
        "***strong em*** and *em **strong** em* and **a*b*c** and 1*2*3\n\n"
        "| a | b |\n|---|:-:|\n| `x\\|y` | \\| |\n\n"
        "Text with trailing break \\\nnext <sup>3</sup>\n"
    )


_WORDS = st.sampled_from(
    [
        "pain", "dose", "1.", "2)", "#", "-", "+", ">", "*", "_", "`", "[x]", "\\[", "!", "<", "&amp;", "&",
        "a~b", "|", "x\\y", "\\*", "a_b", "x*y", "(", ")", ":", "=", "---", "<sup>1</sup>", "¹", "é", "'", '"', "°C",
    ]
)
_WORD = st.one_of(_WORDS, st.text(alphabet="abc*_`()!>#-+=|&;:.1", min_size=1, max_size=4))


def _inline(depth: int) -> st.SearchStrategy[str]:
    base = st.lists(_WORD, min_size=1, max_size=4).map(" ".join)
    if depth == 0:
        return base
    sub = _inline(depth - 1)
    # emphasis opening on a hard break is hoisted out of it; markdown writers never do that
    emphasis_body = sub.filter(lambda text: not text.startswith("\\\n"))
    return st.one_of(
        base,
        emphasis_body.map(lambda text: f"*{text}*"),
        emphasis_body.map(lambda text: f"**{text}**"),
        base.map(lambda text: f"~~{text}~~"),
        base.map(lambda text: "`" + text.replace("`", "") + "`"),
        st.tuples(sub, st.sampled_from(["https://e.x/a", "/p (1)", "/a%20b?x=1&y=2", "#top", ""])).map(
            lambda pair: f"[{pair[0].strip()}]({pair[1]})"
        ),
        base.map(lambda text: f'![{text}](i.png "t")'),
        st.lists(sub, min_size=2, max_size=3).map("".join),
        st.lists(sub, min_size=2, max_size=3).map(" ".join),
        st.lists(sub, min_size=2, max_size=3).map("\n".join),
        st.lists(sub, min_size=2, max_size=3).map("\\\n".join),
    )


def _indented(text: str, prefix: str) -> str:
    return "\n".join(prefix + line if line else line for line in text.split("\n"))


def _blocks(depth: int) -> st.SearchStrategy[str]:
    paragraph = _inline(2)
    leaf = st.one_of(
        paragraph,
        paragraph.map(lambda text: "## " + text.replace("\n", " ")),
        st.just("```py\nx = 1\n\n  y\n```"),
        st.just("---"),
    )
    if depth == 0:
        return leaf
    children = st.lists(_blocks(depth - 1), min_size=1, max_size=3).map("\n\n".join)
    return st.one_of(
        leaf,
        children.map(lambda text: _indented(text, "> ")),
        st.tuples(st.lists(children, min_size=1, max_size=3), st.booleans()).map(
            lambda pair: ("\n\n" if pair[1] else "\n").join("- " + _indented(item, "  ")[2:] for item in pair[0])
        ),
        st.lists(children, min_size=1, max_size=3).map(
            lambda items: "\n\n".join(f"{n + 3}. " + _indented(item, "   ")[3:] for n, item in enumerate(items))
        ),
    )


_CELL = _inline(1).map(lambda text: text.replace("\n", " ").replace("|", "\\|"))
_TABLE = st.integers(1, 3).flatmap(
    lambda width: st.tuples(
        st.lists(_CELL, min_size=width, max_size=width),
        st.lists(st.sampled_from(["---", ":--", "--:", ":-:"]), min_size=width, max_size=width),
        st.lists(st.lists(_CELL, min_size=width, max_size=width), max_size=3),
    )
).map(lambda t: "\n".join("| " + " | ".join(row) + " |" for row in [t[0], t[1], *t[2]]))


def _document(parts: tuple[list[str], list[str]]) -> str:
    blocks, notes = parts
    text = "\n\n".join(blocks)
    if notes:
        text += "\n\n" + " ".join(f"x[^{n + 1}]" for n in range(len(notes)))
        text += "\n\n" + "\n\n".join(f"[^{n + 1}]: {note}" for n, note in enumerate(notes))
    # Runs of spaces inside text are collapsed like a browser does; a writer's double space
    # between words is not something the import keeps.
    return re.sub(r"(?<=\S)  +(?=\S)", " ", text)


MARKDOWN_DOCUMENTS = st.tuples(
    st.lists(st.one_of(_blocks(2), _TABLE), min_size=1, max_size=4),
    st.lists(_inline(1), max_size=3),
).map(_document)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(MARKDOWN_DOCUMENTS)
def test_generated_markdown_round_trips(markdown: str) -> None:
    assert_round_trip(markdown)


_HTML_PIECES = st.sampled_from(
    [
        "<p>", "</p>", "<em>", "</em>", "<strong>", "</b>", "<ul>", "<ol start='x'>", "<li>", "</li>", "</ul>",
        "<br>", "</br>", "<a href='#fn1'>", "<a href='javascript:x'>", "</a>", "<sup class='footnote-ref'>",
        "</sup>", "<section class='footnotes'><ol><li id='fn1' class='footnote-item'>", "<pre>", "</pre>",
        "<code>", "</code>", "<table>", "<tr>", "<td>", "<th style='text-align:right'>", "</table>", "<!--",
        "-->", "<!-- wp:paragraph -->", "<![CDATA[", "<!x", "<?php", "&amp;", "&#", "&nbsp;", "<script>",
        "</script>", "<style>", "<iframe>", "</iframe>", "<iframe/>", "<h2>", "</h2>", "<blockquote>",
        "<img src=x alt='a]'>", "<img src='javascript:x' onerror='alert(1)'>", "<", ">", "<![if x]>",
        "<!DOCTYPE html>", "[caption]", "[/caption]", "<div onclick='x()'>", "\n", "\n\n", " ", "`", "*", "_",
    ]
)


_ANY_HTML = st.lists(st.one_of(_HTML_PIECES, st.text(max_size=6)), max_size=40).map("".join)


@settings(max_examples=300, deadline=None)
@given(_ANY_HTML)
def test_any_html_converts_without_error_or_executable_content(html: str) -> None:
    markdown = html_to_markdown(html)
    assert isinstance(markdown, str)
    for token in canonical(PUBLISHER.render(markdown)):
        if token[0] == "start":
            assert token[1] not in ("script", "style", "iframe"), markdown
            for name, value in token[2]:
                assert not name.startswith("on") and not value.lower().startswith("javascript:"), markdown


_PRINTABLE_HTML = st.lists(
    st.one_of(_HTML_PIECES, st.text(alphabet=st.characters(codec="ascii", exclude_categories=["Cc"]), max_size=6)),
    max_size=40,
).map("".join)


@settings(max_examples=300, deadline=None)
@given(_PRINTABLE_HTML)
def test_import_is_a_fixed_point_of_publishing(html: str) -> None:
    # Whatever the import writes means what it says: published and imported again, it is unchanged.
    markdown = html_to_markdown(html)
    assert html_to_markdown(PUBLISHER.render(markdown)) == markdown
