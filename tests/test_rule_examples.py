"""Every rule ships examples that must and must not trigger it; this runs them all (DESIGN
principle 5). A rule whose examples fail is a rule nobody can trust."""

from __future__ import annotations

from pathlib import Path

import pytest

from clinicpress.checks import option_schemas
from clinicpress.lint import Linter
from clinicpress.rulebook import load_rulebook
from clinicpress.settings import Settings

REPO = Path(__file__).resolve().parents[1]

RULEBOOK = load_rulebook(REPO / "rules", option_schemas())
CASES = [
    pytest.param(rule, expected, text, id=f"{rule.id}:{expected}:{number}")
    for rule in RULEBOOK.all_rules
    for expected, texts in (("trigger", rule.examples.trigger), ("pass", rule.examples.passing))
    for number, text in enumerate(texts)
]


def prerequisites(rule) -> set[str]:
    """Rules that judge claims (evidence, comparators, profile scope), qualify them (a disease, a
    population) or exclude them (reported speech) only act on sentences the claim-kind rules
    found: those run with them."""
    claim_kinds = {r.id for r in RULEBOOK.rules if r.check == "claims" and r.options["finds"] == "claim"}
    options = rule.options
    if rule.check == "disclaimer" and options["when_kinds"]:
        return claim_kinds  # a testimonial is what requires the typical-results disclosure
    if rule.check != "claims" or (options["finds"] == "claim" and not options["qualifier"]):
        return set()
    return claim_kinds


@pytest.fixture(scope="module")
def only_rule_linters():
    cache = {}

    def linter_for(rule) -> Linter:
        if rule.id not in cache:
            needed = {rule.id} | prerequisites(rule)
            others = tuple(r.id for r in RULEBOOK.rules if r.id not in needed)
            cache[rule.id] = Linter.create(Settings(base_dir=REPO, rules="rules", disable=others), RULEBOOK)
        return cache[rule.id]

    return linter_for


@pytest.mark.parametrize("rule, expected, text", CASES)
def test_rule_example(rule, expected, text, only_rule_linters):
    if rule.check == "spelling" and rule.options["reports"] == "grammar":
        # Only LanguageTool reports grammar matches; its engine is tested against its wire format
        # in tests/spelling/test_languagetool.py and against a real server when one is configured.
        pytest.skip("grammar matches come from LanguageTool only (set CLINICPRESS_LANGUAGETOOL_URL)")
    result = only_rule_linters(rule).lint_text(text, "example.md")
    if rule.check == "claims" and rule.options["finds"] == "claim":
        # A claim-kind rule finds claims; whether a claim is also a finding depends on its status.
        hits = [c for c in result.claims if rule.id in c.rules]
    else:
        hits = [f for f in result.findings if f.rule == rule.id]
    if expected == "trigger":
        assert hits, f"{rule.id} should trigger on: {text!r}"
    else:
        assert not hits, f"{rule.id} should not trigger on: {text!r}, got {[h.excerpt for h in hits]}"


def test_every_pack_rule_has_both_kinds_of_example():
    for rule in RULEBOOK.rules:
        assert rule.examples.trigger and rule.examples.passing, rule.id


def test_substitution_suggestions_keep_the_writers_case(linter):
    result = linter.lint_text("As least as good. AS LEAST AS GOOD.")
    assert [f.suggestions for f in result.findings if f.rule == "confusion/as-least-as"] == [
        ("At least as",),
        ("AT LEAST AS",),
    ]
