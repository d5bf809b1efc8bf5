from __future__ import annotations

import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from clinicpress.model import Span
from clinicpress.spelling import lexicon as lexicon_module
from clinicpress.spelling.engines import make_engine
from clinicpress.spelling.lexicon import LexiconCache, MEDICAL_WORDS, read_medical_words
from clinicpress.spelling.offline import OfflineEngine

from .corpus_files import read_clean, read_pairs

PROSE_WORD = re.compile(r"[^\W\d_]+(?:['\u2019\-][^\W\d_]+)*")


def flagged(engine: OfflineEngine, text: str) -> list[str]:
    return [problem.word for problem in engine.check(text)]


def first_suggestion(engine: OfflineEngine, word: str) -> str:
    (problem,) = engine.check(word)
    return problem.suggestions[0]


# -- medical vocabulary ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Tight piriformis and gluteus medius muscles can irritate the sciatic nerve.",
        "NSAIDs such as ibuprofen or naproxen reduce prostaglandins.",
        "Fascial restrictions near the sacroiliac joint respond to myofascial release.",
        "We needle ST36, LI4, SP6, GB34 and LV3, then apply moxibustion.",
        "Cupping, gua sha and tui na are part of Traditional Chinese Medicine (TCM).",
        "Untreated gingivitis can progress to periodontitis and alveolar bone loss.",
        "An MRI, a CT scan and your BMI; TMJ pain; an ACL tear; PRP and TENS.",
        "Qi flows along each meridian; electroacupuncture at Zusanli and Hegu.",
        "Topical tretinoin, benzoyl peroxide and emollients help with acne and eczema.",
        "Duloxetine, pregabalin and gabapentin are used for neuropathic pain.",
    ],
)
def test_medical_prose_is_not_flagged(engine: OfflineEngine, text: str) -> None:
    assert flagged(engine, text) == []


def test_every_word_of_the_medical_vocabulary_is_accepted(engine: OfflineEngine) -> None:
    text = MEDICAL_WORDS.read_text(encoding="utf-8")
    terms = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    assert len(terms) >= 1500
    assert flagged(engine, "\n".join(terms)) == []


# -- typos and suggestions ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typo", "correction"),
    [
        ("tisuse", "tissue"),
        ("sciatca", "sciatica"),
        ("inflamation", "inflammation"),
        ("piriformus", "piriformis"),
        ("ibuprofin", "ibuprofen"),
        ("ibuprophen", "ibuprofen"),
        ("accupuncture", "acupuncture"),
        ("recieve", "receive"),
        ("doesnt", "doesn't"),
        ("febuary", "February"),
    ],
)
def test_typo_is_flagged_with_the_right_first_suggestion(engine: OfflineEngine, typo: str, correction: str) -> None:
    assert first_suggestion(engine, typo) == correction


def test_suggestions_follow_the_writers_capitals(engine: OfflineEngine) -> None:
    assert first_suggestion(engine, "Tisuse") == "Tissue"
    assert first_suggestion(engine, "INFLAMATION") == "INFLAMMATION"


def test_message_names_the_word_and_the_suggestion(engine: OfflineEngine) -> None:
    (problem,) = engine.check("tisuse")
    assert "tisuse" in problem.message and "tissue" in problem.message
    assert problem.category == "spelling"


# -- case rules --------------------------------------------------------------------------------


@pytest.mark.parametrize("word", ["MRI", "Achilles", "NSAIDs", "NSAIDS", "ACHILLES", "Tissue", "TISSUE", "McKenzie"])
def test_accepted_capitals(engine: OfflineEngine, word: str) -> None:
    assert flagged(engine, word) == []


@pytest.mark.parametrize(
    ("word", "correction"),
    [("mri", "MRI"), ("achilles", "Achilles"), ("nsaids", "NSAIDs"), ("Nsaids", "NSAIDs")],
)
def test_word_known_only_with_capitals_is_wrong_otherwise(engine: OfflineEngine, word: str, correction: str) -> None:
    assert first_suggestion(engine, word) == correction


def test_title_case_heading_is_fine(engine: OfflineEngine) -> None:
    assert flagged(engine, "# Living Well With Knee Osteoarthritis and Plantar Fasciitis") == []


def test_unknown_short_abbreviations_are_left_alone_but_long_caps_words_are_checked(engine: OfflineEngine) -> None:
    assert flagged(engine, "The GLA program and the APTA guideline") == []
    assert flagged(engine, "IMPORTANT: TISUSE DAMAGE") == ["TISUSE"]


# -- tokens ------------------------------------------------------------------------------------


def test_possessives(engine: OfflineEngine) -> None:
    assert flagged(engine, "the patient's knee, the piriformis's tone, Achilles's tendon, the clinic\u2019s MRI") == []
    assert flagged(engine, "the tisuse's tone") == ["tisuse"]


def test_contractions_with_either_apostrophe(engine: OfflineEngine) -> None:
    assert flagged(engine, "It doesn't hurt and it won\u2019t last.") == []


def test_hyphenated_compounds_are_checked_part_by_part(engine: OfflineEngine) -> None:
    assert flagged(engine, "anti-inflammatory, evidence-based, X-ray, intra-articular, non-surgical, low-dose") == []
    text = "an anti-inflamatory gel"
    (problem,) = engine.check(text)
    assert problem.word == "inflamatory"
    assert problem.span.of(text) == "inflamatory"
    assert problem.suggestions[0] == "inflammatory"


@pytest.mark.parametrize("text", ["Take 5mg twice", "10 mL", "repeat 3x daily", "ST36 and GB20", "HbA1c", "COVID-19", "L4-L5", "B12"])
def test_numbers_doses_and_codes_are_skipped(engine: OfflineEngine, text: str) -> None:
    assert flagged(engine, text) == []


def test_spans_are_exact_offsets_into_the_text(engine: OfflineEngine) -> None:
    text = "Café 😀 the tisuse and the sciatca.\nAgain: tisuse, tisuses? Tisuse!"
    problems = engine.check(text)
    assert [p.span.of(text) for p in problems] == [p.word for p in problems]
    assert [p.word for p in problems] == ["tisuse", "sciatca", "tisuse", "tisuses", "Tisuse"]
    assert problems == sorted(problems, key=lambda p: p.span.start)


def test_word_inside_another_token_is_not_reported_there(engine: OfflineEngine) -> None:
    text = "xtisuse tisuse"
    problems = engine.check(text)
    assert [(p.word, p.span) for p in problems] == [("xtisuse", Span(0, 7)), ("tisuse", Span(8, 14))]


def test_skip_spans_are_honoured(engine: OfflineEngine) -> None:
    text = "tisuse in `tisuse` and [tisuse](https://example.org/tisuse)"
    code = Span(text.index("`"), text.index("`", text.index("`") + 1) + 1)
    url = Span(text.index("(https"), len(text))
    problems = engine.check(text, skip=[code, url])
    assert [p.span.start for p in problems] == [0, text.index("[tisuse]") + 1]


def test_extra_words_are_accepted_with_their_case(lexicon_cache_dir: Path) -> None:
    engine = OfflineEngine(["Kinetiva", "backcare", "# a comment"], cache_dir=lexicon_cache_dir)
    assert flagged(engine, "Kinetiva offers backcare. KINETIVA. Backcare") == []
    assert flagged(engine, "kinetiva") == ["kinetiva"]
    assert first_suggestion(engine, "Kinetva") == "Kinetiva"


# -- loading -----------------------------------------------------------------------------------


def test_nothing_is_loaded_until_the_first_check(lexicon_cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def forbidden(self: LexiconCache) -> None:
        raise AssertionError("dictionary loaded too early")

    monkeypatch.setattr(LexiconCache, "load_acceptance", forbidden)
    engine = make_engine("offline", extra_words=["Kinetiva"], cache_dir=lexicon_cache_dir)
    assert engine.info.role == "spelling" and engine.info.name == "clinicpress-offline"


def test_importing_the_package_loads_no_engine() -> None:
    code = (
        "import sys, clinicpress.spelling, clinicpress.spelling.engines\n"
        "heavy = [m for m in sys.modules if m.startswith(('language_tool_python', 'rapidfuzz',"
        " 'clinicpress.spelling.offline', 'clinicpress.spelling.lexicon'))]\n"
        "assert not heavy, heavy\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_cache_is_built_once_then_loaded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = OfflineEngine(cache_dir=tmp_path)
    assert flagged(first, "tisuse") == ["tisuse"]
    assert list(tmp_path.glob("spelling-*.marshal"))

    def no_parsing(*args: object) -> None:
        raise AssertionError("sources parsed although the cache exists")

    monkeypatch.setattr(lexicon_module, "read_english_counts", no_parsing)
    monkeypatch.setattr(lexicon_module, "read_medical_words", no_parsing)
    second = OfflineEngine(cache_dir=tmp_path)
    assert first_suggestion(second, "tisuse") == "tissue"
    assert second.info == first.info


def test_unwritable_cache_dir_still_works(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("")
    assert flagged(OfflineEngine(cache_dir=blocker / "cache"), "tisuse piriformis") == ["tisuse"]


def test_prebuild_cache_for_make_setup(tmp_path: Path) -> None:
    assert lexicon_module.prebuild_cache(tmp_path) == tmp_path
    assert len(list(tmp_path.glob("spelling-*.marshal"))) == 2


def test_load_and_check_are_fast(lexicon_cache_dir: Path) -> None:
    start = time.perf_counter()
    engine = OfflineEngine(cache_dir=lexicon_cache_dir).load()
    load_seconds = time.perf_counter() - start
    article = "\n\n".join(read_clean("dev"))[:3000]
    engine.check(article)
    start = time.perf_counter()
    for _ in range(200):
        engine.check(article)
    per_article = (time.perf_counter() - start) / 200
    # Generous bounds (shared CI machines); the benchmark reports the real figures.
    assert load_seconds < 0.25
    assert per_article < 0.003


# -- accuracy on the dev split (held-out is reported by benchmarks/spelling_accuracy.py) -------------


def test_dev_accuracy_meets_the_targets(engine: OfflineEngine) -> None:
    pairs = read_pairs("dev")
    flagged_pairs = [(typo, fix) for typo, fix in pairs if engine.check(typo)]
    right_first = [typo for typo, fix in flagged_pairs if engine.check(typo)[0].suggestions[:1] == (fix,)]
    texts = read_clean("dev")
    words = sum(len(PROSE_WORD.findall(text)) for text in texts)
    false_flags = [p.word for text in texts for p in engine.check(text)]

    recall = len(flagged_pairs) / len(pairs)
    top1 = len(right_first) / len(pairs)
    false_flags_per_1k = 1000 * len(false_flags) / words
    assert recall >= 0.98
    assert top1 >= 0.9
    assert false_flags_per_1k <= 1.0, false_flags


def test_labelled_sets_are_large_enough() -> None:
    pairs = read_pairs("dev") + read_pairs("heldout")
    assert len(pairs) >= 250
    assert all(typo != fix for typo, fix in pairs)
    words = sum(len(PROSE_WORD.findall(text)) for split in ("dev", "heldout") for text in read_clean(split))
    assert words >= 3500
    assert len(read_medical_words()) >= 1500
