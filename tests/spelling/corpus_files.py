"""Readers for the labelled spelling corpora in tests/corpora/spelling."""

from __future__ import annotations

from pathlib import Path

CORPORA = Path(__file__).resolve().parents[1] / "corpora" / "spelling"


def read_pairs(split: str) -> list[tuple[str, str]]:
    pairs = []
    for line in (CORPORA / f"misspellings-{split}.tsv").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            typo, correction = line.split("\t")
            pairs.append((typo, correction))
    return pairs


def read_clean(split: str) -> list[str]:
    return [path.read_text(encoding="utf-8") for path in sorted((CORPORA / f"clean-{split}").glob("*.md"))]
