"""Ranked corrections for an unknown word.

Candidates are the known words within Damerau (optimal string alignment) distance 2 of the typo.
They are ranked by a typo cost and by how common the word is. The typo cost is an edit distance in
which the mistakes people really make are cheap: swapping two neighbouring letters, doubling or
undoubling a letter, writing the wrong vowel, hitting a neighbouring key, spelling a sound another
way (ph/f, c/s). A mistake in the first letter is expensive because writers rarely make one.

Edit distance 1 is generated directly (a few hundred strings). Distance 2 is searched with
rapidfuzz's C++ matcher over the words sharing the typo's first letter; without rapidfuzz the
classic generate-every-double-edit fallback is used, correct but far slower.
"""

from __future__ import annotations

import math
from typing import Callable, Iterable, Mapping

from clinicpress.spelling.lexicon import MEDICAL_TERM_COUNT, AcceptanceData, SuggestionData

ALPHABET = "abcdefghijklmnopqrstuvwxyz'"
VOWELS = frozenset("aeiouy")


def _keyboard_neighbours(rows: tuple[str, ...] = ("qwertyuiop", "asdfghjkl", "zxcvbnm")) -> dict[str, frozenset[str]]:
    """Keys next to each key on a US QWERTY keyboard: where a slipping finger lands."""
    neighbours: dict[str, frozenset[str]] = {}
    for row_index, row in enumerate(rows):
        for column, key in enumerate(row):
            near = set()
            for row_step, column_step in ((0, -1), (0, 1), (-1, 0), (-1, 1), (1, -1), (1, 0)):
                r, c = row_index + row_step, column + column_step
                if 0 <= r < len(rows) and 0 <= c < len(rows[r]):
                    near.add(rows[r][c])
            neighbours[key] = frozenset(near)
    return neighbours


_KEYBOARD_NEIGHBOURS = _keyboard_neighbours()

# Letters that stand for the same sound, so writers who spell by ear swap them.
_SOUND_ALIKE_LETTERS = {frozenset(pair) for pair in ("cs", "ck", "sz", "iy", "gj", "fv", "mn")}
# Multi-letter spellings of one sound: (written, intended, cost).
_SOUND_ALIKE_SPELLINGS = (
    ("f", "ph", 0.5),
    ("ph", "f", 0.5),
    ("k", "ch", 0.6),
    ("s", "sc", 0.5),
    ("c", "sc", 0.5),
    ("sh", "ti", 0.6),
    ("dge", "ge", 0.5),
    ("al", "le", 0.5),
    ("le", "al", 0.5),
    ("ys", "ies", 0.4),
    # "i before e": the best-known confusion in English spelling.
    ("ei", "ie", 0.3),
    ("ie", "ei", 0.3),
)

TRANSPOSE_COST = 0.5
DOUBLING_COST = 0.45
APOSTROPHE_COST = 0.3
VOWEL_SWAP_COST = 0.6
# Leaving a letter out is the most common slip of all; a vowel more so (writers spell by ear).
MISSING_LETTER_COST = 0.8
MISSING_VOWEL_COST = 0.6
EXTRA_LETTER_COST = 0.9
EXTRA_VOWEL_COST = 0.75
KEYBOARD_SLIP_COST = 0.75
SOUND_ALIKE_COST = 0.7
FIRST_LETTER_PENALTY = 0.6
# How many orders of magnitude of word frequency one unit of typo cost is worth; tuned on the
# dev split only (see benchmarks/spelling_accuracy.py).
COST_WEIGHT = 4.0
# Short words have too many neighbours at distance 2 for those to be useful guesses.
MIN_LENGTH_FOR_DISTANCE_2 = 5
MAX_RANKED_CANDIDATES = 20


def _substitution_cost(typed: str, intended: str) -> float:
    if typed == intended:
        return 0.0
    if typed in VOWELS and intended in VOWELS:
        return VOWEL_SWAP_COST
    if frozenset((typed, intended)) in _SOUND_ALIKE_LETTERS:
        return SOUND_ALIKE_COST
    if intended in _KEYBOARD_NEIGHBOURS.get(typed, ()):
        return KEYBOARD_SLIP_COST
    return 1.0


def _letter_cost(word: str, index: int, plain: float, vowel: float) -> float:
    """Cost of ``word[index]`` being present in one spelling and absent from the other."""
    letter = word[index]
    if letter == "'":
        return APOSTROPHE_COST
    if (index > 0 and word[index - 1] == letter) or (index + 1 < len(word) and word[index + 1] == letter):
        return DOUBLING_COST
    if letter in VOWELS:
        return vowel
    return plain


def _missing_cost(intended: str, index: int) -> float:
    return _letter_cost(intended, index, MISSING_LETTER_COST, MISSING_VOWEL_COST)


def _extra_cost(typed: str, index: int) -> float:
    return _letter_cost(typed, index, EXTRA_LETTER_COST, EXTRA_VOWEL_COST)


def typo_cost(typed: str, intended: str) -> float:
    """Weighted optimal-string-alignment distance from what was typed to what was meant."""
    rows, cols = len(typed), len(intended)
    extra = [_extra_cost(typed, i) for i in range(rows)]
    missing = [_missing_cost(intended, j) for j in range(cols)]
    extra[0:1] = [extra[0] + FIRST_LETTER_PENALTY] if rows else []
    missing[0:1] = [missing[0] + FIRST_LETTER_PENALTY] if cols else []
    # Cells where a multi-letter sound-alike spelling ends, found once rather than per cell.
    respellings: dict[tuple[int, int], list[tuple[int, int, float]]] = {}
    for written, meant, cost in _SOUND_ALIKE_SPELLINGS:
        typed_ends = [i + len(written) for i in range(rows - len(written) + 1) if typed.startswith(written, i)]
        if not typed_ends:
            continue
        meant_ends = [j + len(meant) for j in range(cols - len(meant) + 1) if intended.startswith(meant, j)]
        for i in typed_ends:
            for j in meant_ends:
                respellings.setdefault((i, j), []).append((len(written), len(meant), cost))

    table = [[0.0] * (cols + 1) for _ in range(rows + 1)]
    for j in range(1, cols + 1):
        table[0][j] = table[0][j - 1] + missing[j - 1]
    for i in range(1, rows + 1):
        above, row = table[i - 1], table[i]
        row[0] = above[0] + extra[i - 1]
        a = typed[i - 1]
        for j in range(1, cols + 1):
            b = intended[j - 1]
            if a == b:
                best = above[j - 1]
            else:
                best = above[j - 1] + _substitution_cost(a, b) + (FIRST_LETTER_PENALTY if i == 1 or j == 1 else 0.0)
            if above[j] + extra[i - 1] < best:
                best = above[j] + extra[i - 1]
            if row[j - 1] + missing[j - 1] < best:
                best = row[j - 1] + missing[j - 1]
            if i > 1 and j > 1 and a == intended[j - 2] and typed[i - 2] == b and a != b:
                best = min(best, table[i - 2][j - 2] + TRANSPOSE_COST)
            for back_rows, back_cols, cost in respellings.get((i, j), ()):
                best = min(best, table[i - back_rows][j - back_cols] + cost)
            row[j] = best
    return table[rows][cols]


def edits1(word: str) -> set[str]:
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    deletes = [left + right[1:] for left, right in splits if right]
    transposes = [left + right[1] + right[0] + right[2:] for left, right in splits if len(right) > 1]
    replaces = [left + letter + right[1:] for left, right in splits if right for letter in ALPHABET]
    inserts = [left + letter + right for left, right in splits for letter in ALPHABET]
    return set(deletes + transposes + replaces + inserts)


def _distance_2_finder() -> Callable[[str, list[str], Callable[[str], bool]], set[str]]:
    try:
        from rapidfuzz import process
        from rapidfuzz.distance import OSA
    except ImportError:  # pragma: no cover - exercised only where rapidfuzz is missing
        def generate(word: str, pool: list[str], is_word: Callable[[str], bool]) -> set[str]:
            return {e2 for e1 in edits1(word) for e2 in edits1(e1) if is_word(e2)}

        return generate

    def search(word: str, pool: list[str], is_word: Callable[[str], bool]) -> set[str]:
        matches = process.extract(word, pool, scorer=OSA.distance, score_cutoff=2, limit=None)
        return {match[0] for match in matches}

    return search


class Suggester:
    def __init__(self, acceptance: AcceptanceData, data: SuggestionData, extra_spellings: Iterable[str] = ()) -> None:
        self._acceptance = acceptance
        self._counts = data.counts
        self._pools = data.pools
        self._split_pools: dict[str, list[str]] = {}
        self._extra_cased: dict[str, list[str]] = {}
        extra_lower = set()
        for spelling in extra_spellings:
            lower = spelling.lower()
            if spelling == lower:
                extra_lower.add(lower)
            else:
                self._extra_cased.setdefault(lower, []).append(spelling)
        self._extra_lower = frozenset(extra_lower)
        self._extra = self._extra_lower | frozenset(self._extra_cased)
        self._find_distance_2 = _distance_2_finder()

    def is_word(self, lower: str) -> bool:
        return lower in self._acceptance.words or lower in self._acceptance.cased or lower in self._extra

    def _pool(self, first_letter: str) -> list[str]:
        pool = self._split_pools.get(first_letter)
        if pool is None:
            joined = self._pools.get(first_letter, "")
            pool = joined.split("\n") if joined else []
            pool.extend(word for word in self._extra if word[:1] == first_letter)
            self._split_pools[first_letter] = pool
        return pool

    def candidates(self, lower: str) -> dict[str, int]:
        """Known words near ``lower``, each with its plain edit distance (0 for a case-only slip)."""
        found = dict.fromkeys((word for word in edits1(lower) if self.is_word(word)), 1)
        if len(lower) >= MIN_LENGTH_FOR_DISTANCE_2:
            for word in self._find_distance_2(lower, self._pool(lower[:1]), self.is_word):
                found.setdefault(word, 2)
        if self.is_word(lower):
            found[lower] = 0  # "mri" for "MRI"
        return found

    def rank(self, lower: str, candidates: Mapping[str, int]) -> list[str]:
        counts = self._counts
        extra = self._extra

        def frequency_score(word: str) -> float:
            count = counts.get(word, 0)
            if not count and word in extra:
                count = MEDICAL_TERM_COUNT  # the clinic's own words are as likely as clinical terms
            return math.log10(count + 1)

        # The weighted cost is the slow part, so it only runs on the nearest and most common few.
        shortlist = sorted(candidates, key=lambda w: (candidates[w], -frequency_score(w)))[:MAX_RANKED_CANDIDATES]
        scored = [(frequency_score(w) - COST_WEIGHT * typo_cost(lower, w), w) for w in shortlist]
        scored.sort(key=lambda pair: (-pair[0], pair[1]))
        return [word for _, word in scored]

    def suggest(self, word: str, limit: int = 5) -> tuple[str, ...]:
        normalised = word.replace("\u2019", "'")
        lower = normalised.lower()
        ranked = self.rank(lower, self.candidates(lower))
        shown: list[str] = []
        for candidate in ranked:
            for form in self._display_forms(candidate, normalised):
                if form not in shown and form != word:
                    shown.append(form)
            if len(shown) >= limit:
                break
        return tuple(shown[:limit])

    def _display_forms(self, lower: str, typed: str) -> list[str]:
        """The candidate as the writer should write it, following the typo's capitals."""
        if lower in self._acceptance.words or lower in self._extra_lower:
            if typed.isupper() and len(typed) > 1:
                return [lower.upper()]
            if typed[:1].isupper():
                return [lower[:1].upper() + lower[1:]]
            return [lower]
        return [*self._acceptance.cased.get(lower, ()), *self._extra_cased.get(lower, ())]
