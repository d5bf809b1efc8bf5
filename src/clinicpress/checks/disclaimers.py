"""``disclaimer``: the statements an article must carry, in the clinic's approved wording, where
they must stand.

A rule names its approved wording (one or more versions), when it is required (always, when a
word list matches, when a kind of claim appears, when an image matches), where it must stand,
and what to insert for ``--fix``. Each applicable rule ends in one status:

  present    an approved version is there, allowing case, white space, quotes and line wrapping
  modified   a paragraph is close to an approved version but words were changed or dropped
  missing    nothing like it
  misplaced  present, but not where the rule says
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Any, Iterable, Sequence

from clinicpress.checks import claims as claims_check
from clinicpress.checks.kind import CheckContext, CheckKind, finding_at
from clinicpress.checks.lexicons import load_lexicons
from clinicpress.document import Block, Document
from clinicpress.model import DisclaimerRecord, Edit, Finding, Span
from clinicpress.rulebook import Rule, RulebookError
from clinicpress.rulebook import options as opt

PLACEMENTS = ("anywhere", "end", "start", "near_trigger")
OPTIONS = {
    "approved": opt.Option(opt.texts, required=True, help="accepted wordings, each a full statement"),
    "required": opt.Option(opt.one_of("always", "when"), default="always"),
    "when_terms": opt.Option(opt.texts, default=(), help="word lists ({supplements}) or phrases that make it required"),
    "when_kinds": opt.Option(opt.texts, default=(), help="claim kinds (testimonial …) that make it required"),
    "when_images": opt.Option(opt.regex, help="image alt text or file name pattern that makes it required"),
    "placement": opt.Option(opt.one_of(*PLACEMENTS), default="anywhere"),
    "near_blocks": opt.Option(opt.integer, default=1, help="near_trigger: how many blocks away it may stand"),
    "similarity": opt.Option(opt.number, default=0.6, help="word overlap above which a paragraph counts as modified"),
    "insert": opt.Option(opt.text, help="what --fix inserts (default: the first approved version)"),
    "profiles": opt.Option(opt.texts, default=(), help="only under these profiles (default: all)"),
}
_QUOTES = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "–": "-", "—": "-"})
_WORD = re.compile(r"[a-z0-9']+")


def validate(options: dict[str, Any]) -> str | None:
    conditions = options["when_terms"] or options["when_kinds"] or options["when_images"]
    if options["required"] == "when" and not conditions:
        return "required: when needs when_terms, when_kinds or when_images"
    if options["required"] == "always" and conditions:
        return "when_terms, when_kinds and when_images need required: when"
    return None


def normalise(text: str) -> str:
    """Case, quotes, dashes, Markdown emphasis and white space do not make a statement different."""
    text = text.translate(_QUOTES).lower()
    text = re.sub(r"[*_`]+", "", text)
    return " ".join(text.split())


@dataclass(frozen=True)
class _Compiled:
    rule: Rule
    versions: tuple[str, ...]  # normalised approved wordings
    terms: re.Pattern[str] | None
    images: re.Pattern[str] | None


@dataclass
class Prepared:
    rules: tuple[_Compiled, ...]
    claims: Any  # the claims check's prepared rules, when it runs: for when_kinds
    default_profile: str
    # ``run`` and ``facts`` are called one after the other for one document: judge it once.
    last: tuple[Document, list] | None = None


def prepare(rules: Sequence[Rule], context: CheckContext) -> Prepared:
    lexicons = load_lexicons(context.rules_dir / "lexicons")
    compiled = []
    for rule in rules:
        terms = None
        if rule.options["when_terms"]:
            parts = []
            for term in rule.options["when_terms"]:
                name = re.fullmatch(r"\{([a-z_]+)\}", term)
                if name and name.group(1) not in lexicons:
                    raise RulebookError(f"{rule.source}:{rule.line}: rule {rule.id}: no word list lexicons/{name.group(1)}.txt")
                parts.append(lexicons[name.group(1)] if name else re.escape(term))
            terms = re.compile(rf"(?<![\w'’])(?:{'|'.join(parts)})(?![\w'’])", re.IGNORECASE)
        images = re.compile(rule.options["when_images"], re.IGNORECASE) if rule.options["when_images"] else None
        compiled.append(_Compiled(rule, tuple(normalise(v) for v in rule.options["approved"]), terms, images))
    return Prepared(tuple(compiled), context.prepared.get("claims"), context.settings.profile)


@dataclass(frozen=True)
class _Outcome:
    record: DisclaimerRecord
    findings: tuple[Finding, ...]


def check(document: Document, prepared: Prepared) -> list[_Outcome]:
    if prepared.last is None or prepared.last[0] is not document:
        prepared.last = (document, _check(document, prepared))
    return prepared.last[1]


def _check(document: Document, prepared: Prepared) -> list[_Outcome]:
    profile = document.front_matter.get("profile", prepared.default_profile)
    claims = claims_check.analyse(document, prepared.claims).claims if prepared.claims else []
    body = [(index, block) for index, block in enumerate(document.blocks) if _is_body(block)]
    outcomes = []
    for item in prepared.rules:
        rule = item.rule
        if rule.options["profiles"] and profile not in rule.options["profiles"]:
            continue
        triggers = _triggers(document, item, body, claims)
        if rule.options["required"] == "when" and not triggers:
            continue
        outcomes.append(_judge(document, item, body, triggers))
    return outcomes


def _is_body(block: Block) -> bool:
    return not block.in_references and block.kind not in ("title", "description", "heading", "footnote")


def _triggers(document: Document, item: _Compiled, body: list[tuple[int, Block]], claims) -> list[Span]:
    """Where the things that make this statement required stand (empty: nothing requires it)."""
    spans: list[Span] = []
    if item.terms:
        for _, block in body:
            for match in item.terms.finditer(document.prose, block.span.start, block.span.end):
                spans.append(Span(match.start(), match.end()))
    if item.rule.options["when_kinds"]:
        kinds = set(item.rule.options["when_kinds"])
        spans.extend(claim.span for claim in claims if kinds & set(claim.kinds))
    if item.images:
        for link in document.links:
            if link.is_image and (item.images.search(link.target) or (link.text_span and item.images.search(link.text_span.of(document.source)))):
                spans.append(link.text_span or link.target_span or Span(0, 0))
    return sorted(spans)


def _judge(document: Document, item: _Compiled, body: list[tuple[int, Block]], triggers: list[Span]) -> _Outcome:
    rule = item.rule
    found = _find_present(document, item, body)
    if found is not None:
        block_position, span = found
        if _well_placed(rule, block_position, body, triggers, document):
            record = DisclaimerRecord(rule.id, "present", "present in the approved wording", document.position(span).line)
            return _Outcome(record, ())
        where = _placement_words(rule)
        message = f"{rule.message}: present but misplaced; it must stand {where}"
        record = DisclaimerRecord(rule.id, "misplaced", message, document.position(span).line)
        return _Outcome(record, (finding_at(document, rule, span, message),))
    close = _closest(document, item, body)
    if close is not None:
        span, version, similarity = close
        differences = describe_difference(version, normalise(document.prose[span.start : span.end]))
        message = f"{rule.message}: the wording differs from the approved version ({differences})"
        record = DisclaimerRecord(rule.id, "modified", message, document.position(span).line)
        return _Outcome(record, (finding_at(document, rule, span, message, (rule.options["approved"][0],)),))
    anchor = _insertion_point(document, rule, body, triggers)
    message = f"{rule.message}: missing; add the approved wording {_placement_words(rule)}"
    text = rule.options["insert"] or rule.options["approved"][0]
    fix = Edit(Span(anchor, anchor), _as_paragraph(document, anchor, text))
    line_span = document.line_index.line_span(document.position(Span(anchor, anchor)).line)
    record = DisclaimerRecord(rule.id, "missing", message, None)
    return _Outcome(record, (finding_at(document, rule, Span(line_span.start, line_span.start), message, (text,), fix),))


def _find_present(document: Document, item: _Compiled, body: list[tuple[int, Block]]) -> tuple[int, Span] | None:
    """The body block (by position in ``body``) holding an approved version, and its span. A
    statement may be wrapped over several lines or split across a paragraph and its label."""
    for position, (_, block) in enumerate(body):
        text = normalise(document.prose[block.span.start : block.span.end])
        if any(version in text for version in item.versions):
            return position, block.span
    joined = normalise(" ".join(document.prose[b.span.start : b.span.end] for _, b in body))
    if any(version in joined for version in item.versions):
        # Present but spread over blocks (a list, say): report it at the first block it touches.
        first_words = [version.split()[:4] for version in item.versions]
        for position, (_, block) in enumerate(body):
            text = normalise(document.prose[block.span.start : block.span.end])
            if any(" ".join(words) in text for words in first_words):
                return position, block.span
    return None


def _closest(document: Document, item: _Compiled, body: list[tuple[int, Block]]) -> tuple[Span, str, float] | None:
    best: tuple[Span, str, float] | None = None
    for _, block in body:
        words = _WORD.findall(normalise(document.prose[block.span.start : block.span.end]))
        if not words:
            continue
        for version in item.versions:
            version_words = _WORD.findall(version)
            matcher = difflib.SequenceMatcher(a=version_words, b=words, autojunk=False)
            matched = sum(block_.size for block_ in matcher.get_matching_blocks())
            # How much of the approved statement this paragraph says, and how much of the
            # paragraph is that statement: both must be high for a paragraph to be a weakened copy.
            similarity = matched / len(version_words)
            share = matched / len(words)
            if similarity >= item.rule.options["similarity"] and share >= 0.5 and (best is None or similarity > best[2]):
                best = (block.span, version, similarity)
    if best is None:
        # A short stub ("This is not medical advice.") says little of the statement but is
        # plainly an attempt at it: the paragraph is mostly made of the statement's words.
        for _, block in body:
            words = _WORD.findall(normalise(document.prose[block.span.start : block.span.end]))
            for version in item.versions:
                version_words = set(_WORD.findall(version))
                key = {w for w in version_words if len(w) > 3}
                if words and len(words) <= len(version_words) and sum(w in version_words for w in words) / len(words) >= 0.8 and len(key & set(words)) >= 2:
                    return block.span, version, 0.0
    return best


def describe_difference(approved: str, actual: str) -> str:
    approved_words, actual_words = _WORD.findall(approved), _WORD.findall(actual)
    missing, added = [], []
    for tag, a1, a2, b1, b2 in difflib.SequenceMatcher(a=approved_words, b=actual_words, autojunk=False).get_opcodes():
        if tag in ("delete", "replace"):
            missing.append(" ".join(approved_words[a1:a2]))
        if tag in ("insert", "replace"):
            added.append(" ".join(actual_words[b1:b2]))
    def biggest(pieces: list[str]) -> str:
        # The longest omissions matter most ("in an emergency call …"), not a dropped "only".
        chosen = sorted(pieces, key=len, reverse=True)[:3]
        return "; ".join(f"'{p if len(p) <= 70 else p[:67] + '...'}'" for p in chosen)

    parts = []
    if missing:
        parts.append("missing: " + biggest(missing))
    if added:
        parts.append("changed or added: " + biggest(added))
    return ", ".join(parts) or "punctuation differs"


def _well_placed(rule: Rule, position: int, body: list[tuple[int, Block]], triggers: list[Span], document: Document) -> bool:
    placement = rule.options["placement"]
    if placement == "anywhere":
        return True
    if placement == "end":
        # Nothing of the article's own text after it: only the reference list may follow.
        return position >= len(body) - 1
    if placement == "start":
        return position <= 1
    reach = rule.options["near_blocks"]
    starts = [block.span.start for _, block in body]
    for trigger in triggers:
        trigger_position = max((i for i, start in enumerate(starts) if start <= trigger.start), default=0)
        if abs(trigger_position - position) <= reach:
            return True
    return False


def _placement_words(rule: Rule) -> str:
    return {
        "anywhere": "anywhere in the article",
        "end": "at the end of the article, before the references",
        "start": "at the start of the article",
        "near_trigger": "next to what requires it",
    }[rule.options["placement"]]


def _insertion_point(document: Document, rule: Rule, body: list[tuple[int, Block]], triggers: list[Span]) -> int:
    placement = rule.options["placement"]
    if placement == "near_trigger" and triggers:
        first = triggers[0]
        block = next((b for _, b in body if b.span.start <= first.start <= b.span.end), None)
        return _end_of_line(document, block.span.end if block else first.end)
    if placement == "start":
        return body[0][1].span.start if body else len(document.source)
    # end (and anywhere): before the reference list's heading, else at the end of the text.
    reference_heading = next((b for b in document.blocks if b.kind == "heading" and b.in_references), None)
    if reference_heading is not None:
        return document.source.rfind("\n", 0, reference_heading.span.start) + 1
    if document.references and document.references.entries:
        first_entry = document.references.entries[0].span.start
        return document.source.rfind("\n", 0, first_entry) + 1
    return len(document.source)


def _end_of_line(document: Document, offset: int) -> int:
    end = document.source.find("\n", offset)
    return len(document.source) if end < 0 else end + 1


def _as_paragraph(document: Document, offset: int, text: str) -> str:
    """The inserted statement as a paragraph of its own, with blank lines around it."""
    before = document.source[:offset]
    prefix = "" if before.endswith("\n\n") or not before else ("\n" if before.endswith("\n") else "\n\n")
    after = document.source[offset:]
    suffix = "\n\n" if after and not after.startswith("\n") else "\n"
    return f"{prefix}{text}{suffix}"


def run(document: Document, prepared: Prepared) -> Iterable[Finding]:
    return [finding for outcome in check(document, prepared) for finding in outcome.findings]


def facts(document: Document, prepared: Prepared) -> tuple[tuple[str, object], ...]:
    return (("disclaimers", tuple(outcome.record for outcome in check(document, prepared))),)


KIND = CheckKind("disclaimer", opt.OptionSchema(OPTIONS, validate), prepare, run, facts=facts)
