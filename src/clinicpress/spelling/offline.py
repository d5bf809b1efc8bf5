"""The default spelling engine: a shipped dictionary plus clinical vocabulary, no network.

Speed comes from doing almost nothing for words that are fine. The text is split into tokens by
one regex, the distinct tokens are subtracted from the dictionary as a set (in C), and only the few
left over (capitalised sentence starts, codes like ST36, possessives, real typos) go through the
slower rules, whose verdicts are remembered for the rest of the run. Offsets are only looked up
for tokens that are actually wrong.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Iterable, Iterator, Sequence

from clinicpress import __version__
from clinicpress.model import EngineInfo, Span
from clinicpress.spelling import Misspelling
from clinicpress.spelling.british import american_spellings
from clinicpress.spelling.lexicon import LexiconCache, iter_vocabulary_lines
from clinicpress.spelling.suggestions import Suggester
from clinicpress.spelling.vocabulary import Vocabulary

ENGINE_NAME = "clinicpress-offline"

# Letters and digits, joined inside the word by apostrophes or hyphens ("don't", "X-ray", "ST36").
# Tokens with digits are then never reported: numbers, doses (5mg), codes (LI4, HbA1c).
JOINERS = "'\u2019-"
TOKEN = re.compile(r"[^\W_]+(?:['\u2019\-][^\W_]+)*")

# Memos are cleared at this size so a long-running process does not grow without bound.
_MEMO_LIMIT = 200_000


class OfflineEngine:
    """Dictionary spell checker tuned for clinic articles.

    ``extra_words`` are accepted too (the clinic's own names and house terms), in the format and
    with the case rules of ``data/medical.txt`` lines. Nothing is loaded until the first ``check``
    (or ``load()``).
    """

    def __init__(
        self,
        extra_words: Iterable[str] = (),
        *,
        cache_dir: str | Path | None = None,
        skip_abbreviations: bool = True,
        lexicon_cache: LexiconCache | None = None,
        accept_commonwealth: bool = False,
    ) -> None:
        # en-GB, en-AU …: "colour" is accepted because "color" is known (see british.py).
        self._accept_commonwealth = accept_commonwealth
        self._lexicon = lexicon_cache or LexiconCache(Path(cache_dir) if cache_dir else None)
        self._extra_spellings = frozenset(iter_vocabulary_lines(extra_words))
        self._skip_abbreviations = skip_abbreviations
        self._vocabulary: Vocabulary | None = None
        self._suggester: Suggester | None = None
        self._wrong_parts_memo: dict[str, tuple[tuple[int, int, str], ...]] = {}
        self._suggestion_memo: dict[tuple[str, int], tuple[str, ...]] = {}
        self.info = offline_engine_info(self._lexicon.fingerprint, accept_commonwealth)

    @property
    def vocabulary(self) -> Vocabulary:
        if self._vocabulary is None:
            self._vocabulary = Vocabulary(
                self._lexicon.load_acceptance(),
                self._extra_spellings,
                skip_abbreviations=self._skip_abbreviations,
            )
        return self._vocabulary

    def load(self) -> OfflineEngine:
        """Load the dictionary now rather than on the first ``check`` (to time it, say)."""
        _ = self.vocabulary
        return self

    @property
    def suggester(self) -> Suggester:
        if self._suggester is None:
            vocabulary = self.vocabulary
            self._suggester = Suggester(vocabulary.acceptance, self._lexicon.load_suggestion(), self._extra_spellings)
        return self._suggester

    def check(self, text: str, skip: Sequence[Span] = ()) -> list[Misspelling]:
        vocabulary = self.vocabulary
        unknown = set(TOKEN.findall(text))
        unknown.difference_update(vocabulary.acceptance.words)
        if self._extra_spellings:
            unknown.difference_update(self._extra_spellings)
        wrong_tokens = {token for token in unknown if self._wrong_parts(token)}
        if not wrong_tokens:
            return []
        found: list[Misspelling] = []
        for start, token in sorted(_occurrences(text, wrong_tokens)):
            for offset, length, word in self._wrong_parts(token):
                span = Span(start + offset, start + offset + length)
                if any(span.overlaps(skipped) for skipped in skip):
                    continue
                suggestions = self.suggest(word)
                found.append(Misspelling(span=span, word=word, suggestions=suggestions, message=_message(word, suggestions)))
        return found

    def is_known(self, word: str) -> bool:
        return not self.vocabulary.wrong_parts(word)

    def suggest(self, word: str, limit: int = 5) -> tuple[str, ...]:
        """Corrections for ``word``, best first, written with the capitals the writer used."""
        key = (word, limit)
        suggestions = self._suggestion_memo.get(key)
        if suggestions is None:
            if len(self._suggestion_memo) > _MEMO_LIMIT:
                self._suggestion_memo.clear()
            suggestions = self._suggestion_memo[key] = self.suggester.suggest(word, limit)
        return suggestions

    def _wrong_parts(self, token: str) -> tuple[tuple[int, int, str], ...]:
        parts = self._wrong_parts_memo.get(token)
        if parts is None:
            if len(self._wrong_parts_memo) > _MEMO_LIMIT:
                self._wrong_parts_memo.clear()
            parts = self.vocabulary.wrong_parts(token)
            if parts and self._accept_commonwealth:
                parts = tuple(part for part in parts if not self._american_form_known(part[2]))
            self._wrong_parts_memo[token] = parts
        return parts

    def _american_form_known(self, word: str) -> bool:
        return any(not self.vocabulary.wrong_parts(form) for form in american_spellings(word))


def offline_engine_info(fingerprint: str, accept_commonwealth: bool) -> EngineInfo:
    """The offline engine's name and version: clinicpress's version and its word lists'."""
    variant = "+en-GB" if accept_commonwealth else ""
    return EngineInfo(role="spelling", name=ENGINE_NAME, version=f"{__version__}+{fingerprint}{variant}")


def _occurrences(text: str, tokens: Iterable[str]) -> Iterator[tuple[int, str]]:
    """Where each token occurs as a whole token. ``str.find`` on a handful of wrong tokens is much
    faster than running the tokenizer over the whole text again with offsets."""
    for token in tokens:
        start = text.find(token)
        while start != -1:
            match = TOKEN.match(text, start)
            if match is not None and match.end() == start + len(token) and _starts_token(text, start):
                yield start, token
            start = text.find(token, start + 1)


def _starts_token(text: str, start: int) -> bool:
    if start == 0:
        return True
    before = text[start - 1]
    if before.isalnum():
        return False
    # "x-ray" must not yield "ray", nor "don't" yield "t".
    return not (before in JOINERS and start >= 2 and text[start - 2].isalnum())


def _message(word: str, suggestions: tuple[str, ...]) -> str:
    if suggestions:
        return f"Unknown word '{word}'; did you mean '{suggestions[0]}'?"
    return f"Unknown word '{word}'."
