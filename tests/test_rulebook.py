"""A broken rule pack fails on load with file, line and what is wrong."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from clinicpress.checks import option_schemas
from clinicpress.rulebook import RulebookError, load_rulebook

GOOD_RULE = """
  - id: confusion/x
    check: substitution
    category: grammar
    severity: error
    message: "say y"
    why: "because"
    link: https://example.test/guide
    options:
      phrases: ["x x"]
      replacement: y
    examples:
      trigger: ["x x here"]
      pass: ["y here"]
"""


def load(tmp_path: Path, body: str):
    (tmp_path / "pack.yaml").write_text(textwrap.dedent(body), encoding="utf-8")
    return load_rulebook(tmp_path, option_schemas())


def error_of(tmp_path: Path, body: str) -> str:
    with pytest.raises(RulebookError) as caught:
        load(tmp_path, body)
    return str(caught.value)


def test_a_good_rule_loads(tmp_path):
    rulebook = load(tmp_path, "rules:" + GOOD_RULE)
    assert [r.id for r in rulebook.rules] == ["confusion/x"]
    assert rulebook.rules[0].line == 2
    assert len(rulebook.digest) == 64


@pytest.mark.parametrize(
    "change, line, words",
    [
        (("    why:", "    colour: red\n    why:"), 7, "unknown key 'colour'"),
        (("severity: error", "severity: fatal"), 5, "severity must be one of error, warning, info"),
        (("category: grammar", "category: nonsense"), 4, "category must be one of"),
        (("check: substitution", "check: telepathy"), 3, "unknown check 'telepathy'"),
        (('phrases: ["x x"]', 'pattern: "(unclosed"'), 10, "not a valid regular expression"),
        (('phrases: ["x x"]', 'phrasez: ["x x"]'), 10, "unknown option 'phrasez'"),
        (("link: https://example.test/guide", "link: see the guide"), 8, "link must be an http(s) URL"),
        (('      pass: ["y here"]', "      pass: []"), 14, "examples.pass must be a non-empty list"),
        (("id: confusion/x", "id: Bad Id"), 2, "must be lower-case words"),
        (('      phrases: ["x x"]\n', ''), 9, "exactly one of"),
    ],
)
def test_bad_rules_name_file_and_line(tmp_path, change, line, words):
    old, new = change
    assert old in GOOD_RULE
    message = error_of(tmp_path, "rules:" + GOOD_RULE.replace(old, new))
    assert message.startswith(f"pack.yaml:{line}:") or message.startswith(f"{tmp_path / 'pack.yaml'}:{line}:"), message
    assert words in message


def test_phrases_and_pattern_together_are_refused(tmp_path):
    message = error_of(tmp_path, "rules:" + GOOD_RULE.replace('phrases: ["x x"]', 'phrases: ["x x"]\n      pattern: "x"'))
    assert "exactly one of phrases, pattern or pairs" in message


def test_missing_key(tmp_path):
    assert "rule is missing 'why'" in error_of(tmp_path, "rules:" + GOOD_RULE.replace('    why: "because"\n', ""))


def test_duplicate_ids_name_both_places(tmp_path):
    message = error_of(tmp_path, "rules:" + GOOD_RULE + GOOD_RULE)
    assert "rule id 'confusion/x' is already used at" in message


def test_broken_yaml_names_the_line(tmp_path):
    message = error_of(tmp_path, "rules:\n  - id: x\n    message: [unclosed\n")
    assert "is not valid YAML" in message and "starts on line 3" in message


def test_unknown_top_level_key(tmp_path):
    assert "unknown top-level key 'rulez'" in error_of(tmp_path, "rulez: []\nrules: []\n")


def test_defaults_apply_to_every_rule(tmp_path):
    body = "defaults:\n  severity: warning\nrules:" + GOOD_RULE.replace("    severity: error\n", "")
    assert load(tmp_path, body).rules[0].severity.value == "warning"


def test_disabled_rules_are_validated_but_not_loaded(tmp_path):
    rulebook = load(tmp_path, "rules:" + GOOD_RULE.replace("    check:", "    enabled: false\n    check:"))
    assert rulebook.rules == ()


def test_other_yaml_files_in_the_pack_are_left_to_their_readers(tmp_path):
    (tmp_path / "profiles.yaml").write_text("profiles: {}\n")
    assert load(tmp_path, "rules:" + GOOD_RULE).rules
