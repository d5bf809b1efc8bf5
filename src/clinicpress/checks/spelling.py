"""``spelling``: unknown words (and, with LanguageTool, grammar) in the prose.

The engine gets an article's whole prose view in one call: code, HTML, URLs, e-mail addresses,
citation markers, front matter keys and suppression comments are already blanked there, and the
reference list (authors, journal abbreviations) is passed as a span to skip. Numbers, doses and
codes with digits (5mg, ST36, HbA1c) are never reported by the engines.

The project's own words live in ``rules/vocabulary.txt`` (one term a line, ``#`` comments), in
the case they must be written (``clinicpress vocabulary add WORD``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Sequence

from clinicpress.checks.kind import CheckContext, CheckKind, finding_at
from clinicpress.document import Document
from clinicpress.model import Category, Edit, EngineInfo, Finding
from clinicpress.rulebook import Rule
from clinicpress.rulebook import options as opt
from clinicpress.spelling import SpellingEngine
from clinicpress.spelling.engines import make_engine

VOCABULARY_FILE = "vocabulary.txt"
OPTIONS = {
    "reports": opt.Option(opt.one_of("misspellings", "grammar"), default="misspellings"),
    "in_references": opt.Option(opt.boolean, default=False, help="also check the reference list"),
}


@dataclass(frozen=True)
class Prepared:
    engine: SpellingEngine
    misspellings: Rule | None
    grammar: Rule | None
    in_references: bool


def project_words(rules_dir: Path) -> list[str]:
    path = rules_dir / VOCABULARY_FILE
    return path.read_text(encoding="utf-8").splitlines() if path.is_file() else []


def prepare(rules: Sequence[Rule], context: CheckContext) -> Prepared:
    spelling = context.settings.spelling
    engine = make_engine(
        spelling.engine,
        extra_words=project_words(context.rules_dir),
        languagetool_url=spelling.languagetool_url,
        language=spelling.language,
        languagetool_local=spelling.engine == "languagetool" and not spelling.languagetool_url,
    )
    by_role = {rule.options["reports"]: rule for rule in rules}
    return Prepared(
        engine,
        by_role.get("misspellings"),
        by_role.get("grammar"),
        any(rule.options["in_references"] for rule in rules),
    )


def run(document: Document, prepared: Prepared) -> Iterable[Finding]:
    skip = [] if prepared.in_references else [b.span for b in document.blocks if b.in_references]
    findings = []
    for problem in prepared.engine.check(document.prose, skip):
        rule = prepared.misspellings if problem.category == Category.SPELLING.value else prepared.grammar
        if rule is None:
            continue
        suggestions = problem.suggestions
        # Only an unambiguous correction is applied by --fix.
        fix = Edit(problem.span, suggestions[0]) if len(suggestions) == 1 else None
        message = problem.message or rule.message
        findings.append(finding_at(document, rule, problem.span, message, suggestions, fix))
    return findings


def engines(prepared: Prepared) -> tuple[EngineInfo, ...]:
    return (prepared.engine.info,)


KIND = CheckKind("spelling", opt.OptionSchema(OPTIONS), prepare, run, engines=engines, yields=True)
