"""Suppressions name a rule and a reason; suppressed findings stay in the report; an unused
suppression is itself a finding."""

from __future__ import annotations


def rules_of(findings):
    return [f.rule for f in findings]


def test_disable_next_line_keeps_the_finding_as_suppressed(wording_linter):
    result = wording_linter.lint_text('<!-- clinicpress-disable-next-line typo/run-together reason="quoting a patient" -->\nIt helps alot.\n')
    assert rules_of(result.findings) == []
    assert rules_of(result.suppressed) == ["typo/run-together"]
    assert result.suppressed[0].suppression_reason == "quoting a patient"


def test_disable_until_enable(wording_linter):
    text = (
        'Alot.\n\n<!-- clinicpress-disable typo/* reason="old newsletter" -->\n\nAlot here.\n\nInfact too.\n\n'
        "<!-- clinicpress-enable typo/* -->\n\nAlot after.\n"
    )
    result = wording_linter.lint_text(text)
    assert [f.line for f in result.findings] == [1, 11]
    assert [f.line for f in result.suppressed] == [5, 7]


def test_disable_to_the_end_of_the_file(wording_linter):
    result = wording_linter.lint_text('<!-- clinicpress-disable typo/run-together reason="x" -->\n\nAlot.\n\nAlot.\n')
    assert len(result.suppressed) == 2 and not result.findings


def test_a_suppression_without_reason_is_an_error_and_suppresses_nothing(wording_linter):
    result = wording_linter.lint_text("<!-- clinicpress-disable-next-line typo/run-together -->\nIt helps alot.\n")
    assert sorted(rules_of(result.findings)) == ["suppression/invalid", "typo/run-together"]
    assert "needs a reason" in next(f.message for f in result.findings if f.rule == "suppression/invalid")


def test_a_suppression_without_rule_is_an_error(wording_linter):
    result = wording_linter.lint_text('<!-- clinicpress-disable reason="x" -->\nText.\n')
    assert rules_of(result.findings) == ["suppression/invalid"]


def test_unused_suppression_is_reported(wording_linter):
    result = wording_linter.lint_text('<!-- clinicpress-disable-next-line typo/run-together reason="x" -->\nAll fine here.\n')
    assert rules_of(result.findings) == ["suppression/unused"]
    assert result.findings[0].line == 1


def test_suppression_only_covers_its_rule(wording_linter):
    result = wording_linter.lint_text('<!-- clinicpress-disable-next-line typo/run-together reason="x" -->\nAlot as least as good.\n')
    assert rules_of(result.findings) == ["confusion/as-least-as"]


def test_comments_in_code_are_not_suppressions(wording_linter):
    result = wording_linter.lint_text('```\n<!-- clinicpress-disable typo/run-together reason="x" -->\n```\n\nAlot.\n')
    assert rules_of(result.findings) == ["typo/run-together"]
