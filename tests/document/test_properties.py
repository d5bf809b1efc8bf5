"""Any text parses without an exception, and every span round-trips to the source."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clinicpress.document import Unreadable, parse_document

MARKDOWN_PIECES = st.sampled_from(
    [
        "# ", "## ", "> ", "- ", "1. ", "* ", "**", "*", "_", "`", "```\n", "~~", "[", "]", "(", ")", "![",
        "<", ">", "<!-- ", " -->", "<sup>", "</sup>", "&amp;", "&#39;", "\\", "|", "---", "\n", "\n\n",
        "[^1]", "[^1]: ", "¹", "²,³", "[2]", "http://x.test/a", "a@b.test", " ", "  \n", "\t",
        "References\n", "Smith J. 2020. ", "doi:10.5555/x", "pain.", "Sciatica", "é", "中", "\r\n",
    ]
)
DOCUMENTS = st.lists(st.one_of(MARKDOWN_PIECES, st.text(max_size=8)), max_size=40).map("".join)


def check_round_trip(document) -> None:
    source, prose = document.source, document.prose
    assert len(prose) == len(source)
    assert all(p == s or p in " \n" for p, s in zip(prose, source))
    for block in document.blocks:
        assert 0 <= block.span.start < block.span.end <= len(source)
        assert prose[block.span.start] == source[block.span.start]
    for sentence in document.sentences:
        block = document.blocks[sentence.block_index]
        assert block.span.start <= sentence.span.start < sentence.span.end
        assert sentence.text.replace(" ", "") == "".join(prose[sentence.span.start : sentence.span.end].split())
    for marker in document.citations:
        assert marker.span.end <= len(source)
    for link in document.links:
        for span in (link.text_span, link.target_span):
            assert span is None or span.end <= len(source)
    if document.references:
        for entry in document.references.entries:
            assert entry.span.end <= len(source)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(DOCUMENTS)
def test_any_markdown_parses_and_spans_round_trip(text):
    try:
        document = parse_document(text)
    except Unreadable as problem:
        # Only a broken front matter block, or a NUL byte (binary), makes text unreadable.
        assert problem.rule in ("input/front-matter", "input/binary")
        return
    check_round_trip(document)


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=300))
def test_any_unicode_text_parses(text):
    try:
        document = parse_document(text)
    except Unreadable as problem:
        assert problem.rule in ("input/front-matter", "input/binary")
        return
    check_round_trip(document)


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=300))
def test_any_plain_text_parses(text):
    try:
        document = parse_document(text, is_markdown=False)
    except Unreadable as problem:
        assert problem.rule == "input/binary"
        return
    check_round_trip(document)
