"""Sentences with spans. Split on the prose view, where markup and citation markers are already
blanked, so ``…sciatica.¹,² It can…`` reads as ``…sciatica.     It can…``; the markers between a
full stop and the next sentence are then given back to the sentence they follow."""

from __future__ import annotations

import re
from typing import Iterable

from clinicpress.document.structure import Block, CitationMarker, Sentence
from clinicpress.model import Span

_END = re.compile(r"[.!?]+[\"'”’)\]]*(?=\s+[\"'“‘(\[]?[A-Z0-9¡¿])")
_SPACE_BEFORE_PUNCTUATION = re.compile(r"\s+([.,;:!?)])")
# Words after which a full stop does not end a sentence.
_ABBREVIATIONS = frozenset(
    "e.g i.e etc vs dr mr mrs ms prof st no fig figs approx al ca cf jr sr dept est mt inc ltd "
    "co vol pp ed eds min max mg ml oz lb hr hrs wk wks mo yr yrs ph u.s u.k b.sc m.sc ph.d".split()
)


def split_sentences(
    prose: str, blocks: Iterable[Block], markers: list[CitationMarker]
) -> list[Sentence]:
    sentences: list[Sentence] = []
    blocks = list(blocks)
    for index, block in enumerate(blocks):
        text = prose[block.span.start : block.span.end]
        spans = list(_sentence_spans(text, block.span.start))
        # A block is trimmed to its prose, so a marker that ends it (…sleep.³) lies just past its
        # end: the last sentence may reach to the end of the line, or to the next block.
        line_end = prose.find("\n", block.span.end)
        block_limit = len(prose) if line_end < 0 else line_end
        if index + 1 < len(blocks):
            block_limit = min(block_limit, max(block.span.end, blocks[index + 1].span.start))
        for number, span in enumerate(spans):
            limit = spans[number + 1].start if number + 1 < len(spans) else block_limit
            cited = [m for m in markers if span.start <= m.span.start and m.span.end <= limit]
            end = max([span.end] + [m.span.end for m in cited])
            span = Span(span.start, end)
            sentences.append(Sentence(span, readable(span.of(prose)), index, block.section, tuple(cited)))
    return sentences


def readable(prose_text: str) -> str:
    """Prose as a reader sees it: white space folded, and no gap left where a marker was."""
    return _SPACE_BEFORE_PUNCTUATION.sub(r"\1", " ".join(prose_text.split()))


def _sentence_spans(text: str, offset: int) -> Iterable[Span]:
    start = 0
    for match in _END.finditer(text):
        # The whole word before the stop, apostrophes included: "can't." is no initial "t.".
        word = re.search(r"([\w.'’]+)\.+$", text[start : match.start() + 1])
        preceding = word.group(1).lower() if word else ""
        if preceding in _ABBREVIATIONS or (len(preceding) == 1 and preceding.isalpha()):
            continue
        span = _trimmed(text, start, match.end())
        if span:
            yield span.shifted(offset)
        start = match.end()
    span = _trimmed(text, start, len(text))
    if span:
        yield span.shifted(offset)


def _trimmed(text: str, start: int, end: int) -> Span | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Span(start, end) if end > start else None
