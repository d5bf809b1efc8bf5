"""The word lists behind the offline engine, and the compact cache that makes loading them cheap.

Two shipped files feed it: ``data/english-words.tsv.gz`` (general English with a usage count per word,
see data/LICENSES.md for where it comes from) and ``data/medical.txt`` (the clinical vocabulary we
wrote). Parsing them takes a few hundred milliseconds, far too slow for a linter that runs once per
article, so the parsed form is marshalled into a cache directory the first time it is needed (or by
``python -m clinicpress.spelling.lexicon`` from ``make setup``) and later runs only unmarshal it.

The cache is split in two: what every run needs to *accept* words (one frozenset and the map of
case-sensitive spellings) and what is needed only to *suggest* corrections (usage counts and the
candidate pools), which stays on disk until the first unknown word.
"""

from __future__ import annotations

import gzip
import hashlib
import marshal
import os
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator, Mapping

from clinicpress.user_cache import user_cache_dir

DATA_DIR = Path(__file__).with_name("data")
ENGLISH_WORDS = DATA_DIR / "english-words.tsv.gz"
MEDICAL_WORDS = DATA_DIR / "medical.txt"

# Bump when the cached structure changes; old caches are then simply ignored.
CACHE_FORMAT = 2

# Medical terms have no usage count of their own. In a clinic's article they are likely words, so
# they rank like moderately common English (a count chosen on the dev split, see the benchmark).
MEDICAL_TERM_COUNT = 5_000_000

APOSTROPHES = "'\u2019"


@dataclass(frozen=True)
class AcceptanceData:
    """Everything needed to decide whether a word is spelled right."""

    # Every accepted spelling exactly as written: lower-case words plus case-sensitive ones
    # ("MRI", "Achilles", "NSAIDs").
    words: frozenset[str]
    # Lower-cased form of each case-sensitive spelling -> its accepted spellings ("mri" -> ("MRI",)).
    cased: Mapping[str, tuple[str, ...]]


@dataclass(frozen=True)
class SuggestionData:
    """What ranking corrections needs; loaded only once some word is unknown."""

    # Lower-cased word -> usage count; words the sources never counted are simply absent.
    counts: Mapping[str, int]
    # First letter -> every lower-cased word starting with it, newline-joined: one string
    # unmarshals in microseconds where 130,000 small ones take tens of milliseconds.
    pools: Mapping[str, str] = field(repr=False)


def default_cache_dir() -> Path:
    return user_cache_dir()


def iter_vocabulary_lines(lines: Iterable[str]) -> Iterator[str]:
    """Words of a vocabulary file: one term per line, phrases split into words, ``#`` comments."""
    for raw in lines:
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        for word in line.split():
            yield from vocabulary_word_forms(word)


def vocabulary_word_forms(word: str) -> Iterator[str]:
    word = word.strip(",;").replace("\u2019", "'")
    if not word:
        return
    # A listed possessive ("de Quervain's") means the name itself is a word; the engine accepts
    # any known word with 's, so storing the bare name is enough.
    if word.endswith("'s") and len(word) > 2:
        word = word[:-2]
    yield word


def read_english_counts(path: Path = ENGLISH_WORDS) -> dict[str, int]:
    counts: dict[str, int] = {}
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            word, _, count = line.rstrip("\n").partition("\t")
            if word and not word.startswith("#"):
                counts[word] = int(count or 0)
    return counts


def read_medical_words(path: Path = MEDICAL_WORDS) -> list[str]:
    with open(path, encoding="utf-8") as handle:
        return list(iter_vocabulary_lines(handle))


def build_lexicon(
    english_counts: Mapping[str, int], medical_words: Iterable[str]
) -> tuple[AcceptanceData, SuggestionData]:
    """Turn word lists into the two structures the engine works with."""
    spellings: set[str] = set(english_counts)
    counts: dict[str, int] = {}
    for word, count in english_counts.items():
        lower = word.lower()
        counts[lower] = max(counts.get(lower, 0), count)
    for word in medical_words:
        spellings.add(word)
        lower = word.lower()
        counts[lower] = max(counts.get(lower, 0), MEDICAL_TERM_COUNT)

    cased: dict[str, list[str]] = {}
    for word in spellings:
        lower = word.lower()
        if word != lower:
            cased.setdefault(lower, []).append(word)
    pools: dict[str, list[str]] = {}
    for lower in counts:
        pools.setdefault(lower[:1], []).append(lower)
    counts = {lower: count for lower, count in counts.items() if count}
    acceptance = AcceptanceData(
        words=frozenset(spellings),
        cased={lower: tuple(sorted(forms)) for lower, forms in cased.items()},
    )
    suggestion = SuggestionData(
        counts=counts, pools={first: "\n".join(sorted(words)) for first, words in pools.items()}
    )
    return acceptance, suggestion


def _sources_fingerprint(paths: Iterable[Path]) -> str:
    digest = hashlib.sha256(f"{CACHE_FORMAT}:{sys.version_info[:2]}".encode())
    for path in paths:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


class LexiconCache:
    """The marshalled lexicon for one pair of source files, built on first use."""

    def __init__(
        self,
        cache_dir: Path | None = None,
        english_path: Path = ENGLISH_WORDS,
        medical_path: Path = MEDICAL_WORDS,
    ) -> None:
        self.cache_dir = Path(cache_dir) if cache_dir is not None else default_cache_dir()
        self.english_path = english_path
        self.medical_path = medical_path
        self._fingerprint: str | None = None
        self._built: tuple[AcceptanceData, SuggestionData] | None = None

    @property
    def fingerprint(self) -> str:
        if self._fingerprint is None:
            # Hashing ~1 MB costs about a millisecond; a stale cache after a data update costs more.
            self._fingerprint = _sources_fingerprint((self.english_path, self.medical_path))
        return self._fingerprint

    def _path(self, part: str) -> Path:
        return self.cache_dir / f"spelling-{part}-{self.fingerprint}.marshal"

    def load_acceptance(self) -> AcceptanceData:
        cached = self._read("accept")
        if isinstance(cached, tuple) and len(cached) == 2 and isinstance(cached[0], frozenset):
            words, cased = cached
            return AcceptanceData(words=words, cased=cased)
        return self.build()[0]

    def load_suggestion(self) -> SuggestionData:
        cached = self._read("suggest")
        if isinstance(cached, tuple) and len(cached) == 2 and all(isinstance(p, str) for p in cached[1].values()):
            counts, pools = cached
            return SuggestionData(counts=counts, pools=pools)
        return self.build()[1]

    def build(self) -> tuple[AcceptanceData, SuggestionData]:
        """Parse the sources and write the cache (quietly skipped if the directory is read-only)."""
        if self._built is None:
            self._built = build_lexicon(
                read_english_counts(self.english_path), read_medical_words(self.medical_path)
            )
            acceptance, suggestion = self._built
            self._write("accept", (acceptance.words, dict(acceptance.cased)))
            self._write("suggest", (dict(suggestion.counts), dict(suggestion.pools)))
        return self._built

    def _read(self, part: str) -> object | None:
        try:
            # marshal.load(file) reads piecemeal and is ~6x slower than one read() + loads().
            return marshal.loads(self._path(part).read_bytes())
        except (OSError, EOFError, ValueError, TypeError):
            return None

    def _write(self, part: str, value: object) -> None:
        target = self._path(part)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            # Write-then-rename so a concurrent run never unmarshals half a file.
            handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=target.name, suffix=".tmp")
            with os.fdopen(handle, "wb") as out:
                out.write(marshal.dumps(value))
            os.chmod(temporary, 0o644)
            os.replace(temporary, target)
        except OSError:
            return


def prebuild_cache(cache_dir: Path | None = None) -> Path:
    """Build the lexicon cache now (for ``make setup``); returns the directory used."""
    cache = LexiconCache(cache_dir)
    cache.build()
    return cache.cache_dir


if __name__ == "__main__":
    print(f"spelling lexicon cache ready in {prebuild_cache()}")
