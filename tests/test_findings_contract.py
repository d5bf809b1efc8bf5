"""Every finding's excerpt is the source text at its span, and its line/column say the same."""

from __future__ import annotations

from pathlib import Path

import pytest

from clinicpress.document import read_document
from clinicpress.model import LineIndex

REPO = Path(__file__).resolve().parents[1]
ARTICLES = sorted((REPO / "content").rglob("*.md")) + sorted((REPO / "tests" / "corpora").rglob("*.md"))


@pytest.mark.parametrize("path", ARTICLES, ids=lambda p: str(p.relative_to(REPO)))
def test_excerpt_is_the_source_at_the_span(linter, path):
    document = read_document(path)
    result = linter.check(document)
    lines = LineIndex(document.source)
    for finding in result.findings + result.suppressed:
        assert document.source[finding.span.start : finding.span.end] == finding.excerpt
        assert lines.position(finding.span) == finding.position


def test_the_corpus_is_not_empty():
    assert len(ARTICLES) >= 10
