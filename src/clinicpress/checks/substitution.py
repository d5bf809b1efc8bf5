"""``substitution``: a phrase or pattern that should be something else. Used for confusions
(as least as → at least as), real-word slips (clinical trail → trial) and wording rules.

Each rule's regex runs once over the whole prose view of an article (not once per block: with a
few hundred rules and a thousand articles that difference is most of the run time), and a match
is kept only if it lies inside one prose block."""

from __future__ import annotations

import re
from functools import lru_cache
from dataclasses import dataclass
from typing import Iterable, Sequence

from clinicpress.checks.kind import BlockFinder, CheckContext, CheckKind, finding_at
from clinicpress.document import Document
from clinicpress.model import Edit, Finding, Span
from clinicpress.rulebook import Rule
from clinicpress.rulebook import options as opt

OPTIONS = {
    "phrases": opt.Option(opt.texts, help="literal phrases; any run of white space matches between words"),
    "pattern": opt.Option(opt.regex, help="a regular expression (Python syntax), instead of phrases"),
    "pairs": opt.Option(opt.text_map, help="phrase: replacement, each phrase with its own replacement"),
    "replacement": opt.Option(opt.text, help="what to write instead; \\1 refers to a group of the pattern"),
    "case_sensitive": opt.Option(opt.boolean, default=False),
    "word_boundaries": opt.Option(opt.boolean, default=True, help="match whole words only"),
    "preserve_case": opt.Option(opt.boolean, default=True, help="'As least' → 'At least', 'AS' → 'AT'"),
    "exceptions": opt.Option(opt.regexes, default=(), help="patterns that, when they cover a match, cancel it"),
    "near": opt.Option(opt.regex, help="only report when this pattern occurs within near_words words"),
    "near_words": opt.Option(opt.integer, default=6),
    "in_references": opt.Option(opt.boolean, default=False, help="also check the reference list"),
}
# Rough characters per word, to turn near_words into a window without tokenising.
_CHARS_PER_WORD = 8


@dataclass(frozen=True)
class _Compiled:
    rule: Rule
    pattern: re.Pattern[str]
    exceptions: re.Pattern[str] | None
    near: re.Pattern[str] | None


def prepare(rules: Sequence[Rule], context: CheckContext) -> list[_Compiled]:
    return [_compile(rule) for rule in rules]


def _compile(rule: Rule) -> _Compiled:
    options = rule.options
    flags = 0 if options["case_sensitive"] else re.IGNORECASE
    if options["pattern"]:
        body = options["pattern"]
    else:
        phrases = options["phrases"] or tuple(phrase for phrase, _ in options["pairs"])
        phrases = sorted(phrases, key=len, reverse=True)
        body = "|".join(r"\s+".join(re.escape(word) for word in phrase.split()) for phrase in phrases)
    if options["word_boundaries"]:
        body = rf"(?<![\w'’])(?:{body})(?![\w'’])"
    exceptions = "|".join(f"(?:{e})" for e in options["exceptions"])
    return _Compiled(
        rule,
        re.compile(body, flags),
        re.compile(exceptions, flags) if exceptions else None,
        re.compile(options["near"], flags) if options["near"] else None,
    )


def validate(options: dict) -> str | None:
    if sum(1 for key in ("phrases", "pattern", "pairs") if options.get(key)) != 1:
        return "give exactly one of phrases, pattern or pairs"
    if options.get("pairs") and options.get("replacement"):
        return "pairs carry their own replacements: drop replacement"
    return None


def run(document: Document, compiled: list[_Compiled]) -> Iterable[Finding]:
    blocks = BlockFinder(document.blocks)
    prose = document.prose
    for item in compiled:
        for match in item.pattern.finditer(prose):
            span = Span(match.start(), match.end())
            block = blocks.block_at(span)
            if block is None or (block.in_references and not item.rule.options["in_references"]):
                continue
            if item.exceptions and _covered(item.exceptions, prose, span, block.span):
                continue
            if item.near and not _near(item.near, prose, span, block.span, item.rule.options["near_words"]):
                continue
            replacement = _replacement(item.rule, match)
            message = item.rule.message.replace("{match}", match.group()).replace("{replacement}", replacement or "")
            fix = Edit(span, replacement) if replacement else None
            yield finding_at(document, item.rule, span, message, (replacement,) if replacement else (), fix)


def _replacement(rule: Rule, match: re.Match[str]) -> str | None:
    if rule.options["pairs"]:
        replacement = _pair_lookup(rule.options["pairs"])[" ".join(match.group().lower().split())]
    elif rule.options["replacement"] is None:
        return None
    else:
        replacement = match.expand(rule.options["replacement"])
    return match_case(replacement, match.group()) if rule.options["preserve_case"] else replacement


@lru_cache(maxsize=None)
def _pair_lookup(pairs) -> dict[str, str]:
    return {" ".join(key.lower().split()): value for key, value in pairs}


def match_case(replacement: str, original: str) -> str:
    letters = [c for c in original if c.isalpha()]
    if len(letters) > 1 and all(c.isupper() for c in letters):
        return replacement.upper()
    if original[:1].isupper():
        return replacement[:1].upper() + replacement[1:]
    return replacement


def _covered(exceptions: re.Pattern[str], prose: str, span: Span, block: Span) -> bool:
    window_start = max(block.start, span.start - 80)
    for match in exceptions.finditer(prose, window_start, min(block.end, span.end + 80)):
        if match.start() <= span.start and span.end <= match.end():
            return True
    return False


def _near(near: re.Pattern[str], prose: str, span: Span, block: Span, words: int) -> bool:
    reach = words * _CHARS_PER_WORD
    return near.search(prose, max(block.start, span.start - reach), min(block.end, span.end + reach)) is not None


KIND = CheckKind("substitution", opt.OptionSchema(OPTIONS, validate), prepare, run)
