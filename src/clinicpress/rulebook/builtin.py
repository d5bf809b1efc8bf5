"""Rules the pipeline itself reports: input problems and suppression hygiene. They are not in a
rule pack because no pack can turn them off: a file that cannot be read must always be reported."""

from __future__ import annotations

from types import MappingProxyType

from clinicpress.model import Category, Severity
from clinicpress.rulebook.rule import Examples, Rule

_INPUT_WHY = (
    "A file clinicpress cannot read is a file nobody checked. The run exits 2 so that a CI gate "
    "never passes because an article was skipped."
)


def _rule(rule_id: str, category: Category, severity: Severity, message: str, why: str, examples=Examples()) -> Rule:
    return Rule(
        id=rule_id,
        check="builtin",
        category=category,
        severity=severity,
        message=message,
        why=why,
        link="https://github.com/clinicpress/clinicpress#bad-input",
        options=MappingProxyType({}),
        examples=examples,
        source="(built in)",
        line=0,
    )


BUILTIN_RULES = (
    _rule("input/unreadable", Category.INPUT, Severity.ERROR, "the file cannot be read", _INPUT_WHY),
    _rule("input/binary", Category.INPUT, Severity.ERROR, "the file is binary, not text", _INPUT_WHY),
    _rule("input/encoding", Category.INPUT, Severity.ERROR, "the file is not UTF-8", _INPUT_WHY),
    _rule("input/front-matter", Category.INPUT, Severity.ERROR, "the front matter is not valid YAML", _INPUT_WHY),
    _rule(
        "suppression/invalid",
        Category.STYLE,
        Severity.ERROR,
        "this clinicpress-disable comment is malformed",
        "A suppression must name the rule it turns off and say why, so an editor reading the audit "
        "can judge it. A malformed one suppresses nothing.",
        Examples(
            trigger=('<!-- clinicpress-disable-next-line spelling -->\nSome text.',),
            passing=('<!-- clinicpress-disable-next-line spelling reason="brand name" -->\nSome text.',),
        ),
    ),
    _rule(
        "suppression/unused",
        Category.STYLE,
        Severity.WARNING,
        "this suppression matches no finding",
        "A suppression that suppresses nothing hides the next real problem on that line; remove it "
        "(as ruff's RUF100 and sqlfluff's --warn-unused-ignores do).",
        Examples(
            trigger=('<!-- clinicpress-disable-next-line spelling reason="old" -->\nThe clinic opens at nine.',),
        ),
    ),
)
