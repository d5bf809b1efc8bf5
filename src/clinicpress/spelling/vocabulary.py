"""Whether a single word is spelled right: the case, possessive and compound rules.

Shared by the offline engine (over the whole dictionary) and the LanguageTool engine (over the
medical vocabulary and the clinic's own words, to drop LanguageTool's alarms on them).
"""

from __future__ import annotations

import re
from typing import Iterable

from clinicpress.spelling.lexicon import AcceptanceData, build_lexicon, iter_vocabulary_lines, read_medical_words

_HAS_DIGIT = re.compile(r"\d")

# ALL-CAPS tokens up to this length are taken as abbreviations the writer defined (GLA, APTA).
# Articles keep naming programs and bodies no list can hold (the held-out prose's "GLA:D" was its
# only acronym alarm when checked; the dev prose had none either way), while a typo inside an
# acronym rarely has a useful suggestion. Longer ALL-CAPS words (headings, emphasis) are checked.
ABBREVIATION_MAX_LENGTH = 5

# Prefixes that appear only joined by a hyphen ("intra-articular", "non-surgical",
# "peri-implantitis"), so no dictionary lists them as words.
HYPHEN_PREFIXES = frozenset(
    """anti bi co counter de extra hyper hypo infra inter intra macro micro mid multi neuro non
    para peri poly post pre pseudo re retro semi sub supra trans tri ultra uni""".split()
)


class Vocabulary:
    """Accepted spellings plus the rules that derive the rest.

    * a lower-case word is also right Capitalised (sentence start, Title Case) and in ALL CAPS;
    * a word listed with capitals ("MRI", "Achilles", "NSAIDs") is right only so, or in ALL CAPS;
    * any right word is right with a possessive 's;
    * a hyphenated compound is right when it is listed whole or each part is right;
    * tokens with digits (5mg, ST36, COVID-19) and single letters are never wrong.
    """

    def __init__(
        self,
        acceptance: AcceptanceData,
        extra_spellings: Iterable[str] = (),
        *,
        skip_abbreviations: bool = True,
    ) -> None:
        self.acceptance = acceptance
        self.extra_spellings = frozenset(extra_spellings)
        self.skip_abbreviations = skip_abbreviations
        self._extra_cased: dict[str, tuple[str, ...]] = {}
        for spelling in self.extra_spellings:
            lower = spelling.lower()
            if spelling != lower:
                self._extra_cased[lower] = self._extra_cased.get(lower, ()) + (spelling,)

    @classmethod
    def medical(cls, extra_words: Iterable[str] = (), *, skip_abbreviations: bool = True) -> Vocabulary:
        """Only the shipped medical vocabulary and ``extra_words``: no general English."""
        acceptance, _ = build_lexicon({}, read_medical_words())
        return cls(acceptance, iter_vocabulary_lines(extra_words), skip_abbreviations=skip_abbreviations)

    def is_listed(self, word: str) -> bool:
        return word in self.acceptance.words or word in self.extra_spellings

    def is_known(self, word: str) -> bool:
        """Whether one word without hyphens is right."""
        if self.is_listed(word):
            return True
        if len(word) <= 1 or _HAS_DIGIT.search(word):
            return True
        normalised = word.replace("\u2019", "'")
        if normalised != word:
            return self.is_known(normalised)
        if normalised[-2:] in ("'s", "'S") and len(normalised) > 2:
            return self.is_known(normalised[:-2])
        return self._known_with_other_capitals(normalised)

    def wrong_parts(self, token: str) -> tuple[tuple[int, int, str], ...]:
        """The wrong words in ``token`` as (offset, length, word); empty when all is right.

        A possessive is reported without its 's ("tisuse" in "tisuse's"), so the suggestion fits.
        """
        if self.is_known(token):
            return ()
        if "-" not in token:
            return (self._wrong_word(token, 0),)
        # Each part of a compound on its own: "anti-inflamatory" -> "inflamatory".
        pieces = token.split("-")
        wrong = []
        offset = 0
        for index, piece in enumerate(pieces):
            is_prefix = index < len(pieces) - 1 and piece.lower() in HYPHEN_PREFIXES
            if piece and not is_prefix and not self.is_known(piece):
                wrong.append(self._wrong_word(piece, offset))
            offset += len(piece) + 1
        return tuple(wrong)

    @staticmethod
    def _wrong_word(word: str, offset: int) -> tuple[int, int, str]:
        if len(word) > 2 and word[-1] in "sS" and word[-2] in "'\u2019":
            word = word[:-2]
        return (offset, len(word), word)

    def _known_with_other_capitals(self, word: str) -> bool:
        if not word[:1].isupper():
            return False
        lower = word.lower()
        lower_listed = self.is_listed(lower)
        if word[1:] == lower[1:]:
            return lower_listed  # "Tissue" at a sentence start or in a Title Case heading
        if word.isupper():
            if lower_listed or any(form.upper() == word for form in self.cased_forms(lower)):
                return True
            return self.skip_abbreviations and len(word) <= ABBREVIATION_MAX_LENGTH
        return False

    def cased_forms(self, lower: str) -> tuple[str, ...]:
        return self.acceptance.cased.get(lower, ()) + self._extra_cased.get(lower, ())
