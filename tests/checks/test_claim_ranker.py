"""The claim ranker: ships in the package, loads offline, only ranks what the rules left."""

from __future__ import annotations

import datetime
import json
import socket
from pathlib import Path

import pytest

import clinicpress
from clinicpress.cache import ResultCache
from clinicpress.checks import claim_ranker
from clinicpress.lint import Linter, lint_files
from clinicpress.reporting import AUDIT_FORMATTERS, render
from clinicpress.settings import Settings

REPO = Path(__file__).resolve().parents[2]
# Written for this test, in no corpus: a claim the rules do not know how to say, and logistics.
CLAIM_LIKE = "Cupping draws fresh blood into tired muscles so they recover faster."
LOGISTICS = "The car park is behind the pharmacy on Elm Street and is free after six."


def lint(text: str):
    linter = Linter.create(Settings(base_dir=REPO, rules="rules", disable=("metadata/*", "disclaimer/*")))
    return linter.lint_text(text, "article.md")


def test_weights_ship_inside_the_package_and_load_without_a_network(monkeypatch):
    assert claim_ranker.WEIGHTS.parent.is_relative_to(Path(clinicpress.__file__).parent)

    def no_network(*args, **kwargs):
        raise AssertionError("the ranker tried to open a connection")

    monkeypatch.setattr(socket, "create_connection", no_network)
    monkeypatch.setattr(socket.socket, "connect", no_network)
    claim_ranker._model.cache_clear()
    assert 0 < claim_ranker.threshold() < 1
    model = json.loads(claim_ranker.WEIGHTS.read_text(encoding="utf-8"))
    assert "decides nothing" in model["about"] and len(model["weights"]) > 1000


def test_claim_like_sentences_outrank_logistics():
    assert claim_ranker.score(CLAIM_LIKE) > claim_ranker.threshold() > claim_ranker.score(LOGISTICS)


def test_numbers_are_one_feature_whatever_the_digits():
    assert claim_ranker.features("Open 9:00 to 17:30") == claim_ranker.features("Open 8:15 to 12:45")


def test_review_lists_only_sentences_no_rule_judged_and_never_makes_findings():
    text = (
        "# Knees\n\n"
        f"{CLAIM_LIKE} {LOGISTICS} Acupuncture relieves knee pain.\n\n"
        "## References\n\n1. Lee K. Knee pain and exercise: a randomised trial. 2020. doi:10.5555/k.1\n"
    )
    result = lint(text)
    reviewed = [r["sentence"] for r in result.review]
    assert reviewed == [CLAIM_LIKE]
    assert [c.sentence for c in result.claims] == ["Acupuncture relieves knee pain."]
    assert not any(CLAIM_LIKE in f.excerpt for f in result.findings)
    [candidate] = result.review
    assert (candidate["line"], candidate["column"], candidate["section"]) == (3, 1, "Knees")
    assert text.splitlines()[candidate["line"] - 1].startswith(candidate["sentence"])


def test_review_is_sorted_by_score_and_reaches_the_audit_views(tmp_path):
    second = "Fascia that has been freed up lets the shoulder glide again."
    result = lint(f"{second}\n\n{CLAIM_LIKE}\n")
    scores = [r["score"] for r in result.review]
    assert len(scores) == 2 and scores == sorted(scores, reverse=True)
    (tmp_path / "a.md").write_text(f"---\ntitle: Knees\n---\n\n{CLAIM_LIKE}\n", encoding="utf-8")
    settings = Settings(base_dir=tmp_path, rules=str(REPO / "rules"))
    report = lint_files([tmp_path / "a.md"], settings, Linter.create(settings), keep_records=True)
    data = json.loads(render(AUDIT_FORMATTERS, "json", report))
    assert [r["sentence"] for r in data["articles"][0]["review"]] == [CLAIM_LIKE]
    markdown = render(AUDIT_FORMATTERS, "markdown", report)
    assert "Worth a second look (1)" in markdown and "a.md:5" in markdown
    assert "Worth a second look" in render(AUDIT_FORMATTERS, "html", report)


def test_cached_results_keep_the_review_list(tmp_path):
    (tmp_path / "a.md").write_text(f"---\ntitle: Knees\n---\n\n{CLAIM_LIKE}\n", encoding="utf-8")
    settings = Settings(base_dir=tmp_path, rules=str(REPO / "rules"))
    linter = Linter.create(settings)
    today = datetime.date(2026, 11, 21)
    runs = []
    for _ in range(2):
        cache = ResultCache.for_run(tmp_path, linter.cache_key(), today)
        runs.append(lint_files([tmp_path / "a.md"], settings, linter, cache=cache, keep_records=True))
    assert cache.hits == 1
    assert [list(r.review) for r in runs[0].files] == [list(r.review) for r in runs[1].files]
    assert runs[1].files[0].review[0]["sentence"] == CLAIM_LIKE


@pytest.mark.parametrize("changed", [True, False])
def test_retrained_weights_invalidate_the_cache(tmp_path, monkeypatch, changed):
    weights = tmp_path / "weights.json"
    weights.write_bytes(claim_ranker.WEIGHTS.read_bytes())
    linter = Linter.create(Settings(base_dir=tmp_path, rules=str(REPO / "rules")))

    def run_key() -> str:
        claim_ranker.weights_digest.cache_clear()
        return ResultCache.for_run(tmp_path, linter.cache_key(), datetime.date(2026, 11, 21)).run_key

    before = run_key()
    monkeypatch.setattr(claim_ranker, "WEIGHTS", weights)
    if changed:
        weights.write_bytes(weights.read_bytes().replace(b'"bias": ', b'"bias": 0.0001 + ', 1))
    after = run_key()
    claim_ranker.weights_digest.cache_clear()
    assert (before != after) is changed
