"""``claims``: find every health claim sentence by sentence, tie it to its own citations, judge it.

One analysis per article serves everything: claim findings, citation findings (dangling markers,
orphan references, identifiers, weak evidence) and the records the audit shows. Each rule says
what it finds (``finds``); the kinds of claim (establishment, efficacy, cure …) are rules whose
triggers are phrases and patterns over shipped lexicons (``{treatments}``, ``{conditions}`` …).

Status of a claim, in order of precedence:
  prohibited  a kind no citation can fix (cure, guarantees, safety absolutes …)
  dangling    cited, but a marker names a reference that is not in the list
  supported   cited, and every marker resolves to a reference
  unsupported needs a citation and has none
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Iterable, Sequence

from clinicpress.checks import claim_ranker
from clinicpress.checks.kind import CheckContext, CheckKind, finding_at
from clinicpress.checks.lexicons import load_lexicons
from clinicpress.compiled_patterns import compile_pattern
from clinicpress.document import CitationMarker, Document, ReferenceEntry, Sentence
from clinicpress.model import ClaimRecord, Finding, ReferenceRecord, Severity, Span
from clinicpress.rulebook import Rule, RulebookError
from clinicpress.rulebook import options as opt
from clinicpress.yaml_source import YamlFileError, load_yaml_file

FINDS = (
    "claim",
    "not-a-claim",
    "dangling-citation",
    "orphan-reference",
    "missing-identifier",
    "malformed-identifier",
    "duplicate-reference",
    "weak-evidence",
    "missing-comparator",
    "condition-scope",
    "safety-without-risk",
    "unknown-profile",
    "patient-privacy",
)
OPTIONS = {
    "finds": opt.Option(opt.one_of(*FINDS), required=True),
    "kind": opt.Option(opt.text, help="the kind of claim (finds: claim)"),
    "prohibited": opt.Option(opt.boolean, default=False, help="no citation can fix this kind"),
    "cited_sentences": opt.Option(
        opt.boolean, default=False, help="every body sentence that carries its own citation is this kind of claim"
    ),
    "at_sentence_start": opt.Option(
        opt.boolean, default=False, help="a trigger counts only where it opens its sentence (benefit lists)"
    ),
    "max_words": opt.Option(opt.integer, default=0, help="only in sentences of at most this many words (0: any)"),
    "qualifier": opt.Option(
        opt.boolean, default=False, help="only names its kind in a sentence another rule already found a claim in"
    ),
    "triggers": opt.Option(opt.regexes, default=(), help="patterns; {lexicon} names a word list in lexicons/"),
    "exceptions": opt.Option(opt.regexes, default=(), help="patterns that cancel a trigger they cover"),
    "requires": opt.Option(opt.regexes, default=(), help="patterns that must all occur in the sentence too"),
    "suggestion": opt.Option(opt.text, help="safer wording to offer"),
    "profiles": opt.Option(opt.texts, default=(), help="only under these profiles (default: all)"),
    "applies_to": opt.Option(opt.texts, default=(), help="claim kinds a reference concern applies to"),
    "strong_terms": opt.Option(opt.texts, default=()),
    "weak_terms": opt.Option(opt.texts, default=()),
    "comparator_terms": opt.Option(opt.texts, default=()),
    "treatments": opt.Option(opt.regex, help="finds: condition-scope: claims about these treatments"),
    "allowed_conditions": opt.Option(opt.texts, default=()),
    "risk_terms": opt.Option(opt.texts, default=()),
    "name_patterns": opt.Option(opt.regexes, default=(), help="patient-privacy: how a named person looks"),
    "consent_field": opt.Option(opt.text, help="patient-privacy: the front matter key [consent_ref]"),
}
_ALLOWED = {
    "claim": {"kind", "prohibited", "qualifier", "cited_sentences", "at_sentence_start", "max_words", "triggers", "exceptions", "requires", "suggestion", "profiles"},
    "not-a-claim": {"triggers", "profiles"},
    "weak-evidence": {"applies_to", "strong_terms", "weak_terms", "profiles"},
    "missing-comparator": {"applies_to", "comparator_terms", "profiles"},
    "condition-scope": {"treatments", "allowed_conditions", "triggers", "suggestion", "profiles"},
    "safety-without-risk": {"risk_terms", "profiles", "applies_to"},
    "patient-privacy": {"name_patterns", "consent_field", "profiles", "applies_to"},
}
_LABELS = ("heading", "title", "description")
TRIGGER_START = r"(?=[^\W_]|[\"“#\[✓✔★⭐•])"
_LEXICON_REFERENCE = re.compile(r"\{([a-z_]+)\}")
_STOPWORDS = frozenset(
    "a an the and or of to in on for with by at is are was were be been it its this that these those "
    "can may might could will would our your you we they their as than more most very".split()
)


def validate(options: dict[str, Any]) -> str | None:
    finds = options["finds"]
    allowed = _ALLOWED.get(finds, set()) | {"finds"}
    extra = sorted(k for k, v in options.items() if k not in allowed and v not in (None, (), False))
    if extra:
        return f"option '{extra[0]}' does not apply to finds: {finds}"
    if finds == "claim" and not (options["kind"] and (options["triggers"] or options["cited_sentences"])):
        return "a claim rule needs kind, and triggers or cited_sentences"
    if finds == "patient-privacy" and not options["name_patterns"]:
        return "patient-privacy needs name_patterns"
    if finds == "not-a-claim" and not options["triggers"]:
        return "a not-a-claim rule needs triggers"
    if finds == "condition-scope" and not (options["treatments"] and options["allowed_conditions"]):
        return "condition-scope needs treatments and allowed_conditions"
    return None


# -- prepared data ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Profile:
    id: str
    name: str
    link: str
    severity: dict[str, Severity]


@dataclass(frozen=True)
class LibraryClaim:
    id: str
    text: str
    words: frozenset[str]
    reference: str
    profiles: tuple[str, ...]


@dataclass(frozen=True)
class _ClaimRule:
    rule: Rule
    pattern: re.Pattern[str]
    exceptions: re.Pattern[str] | None
    requires: tuple[re.Pattern[str], ...]


@dataclass
class Prepared:
    claim_rules: list[_ClaimRule]
    other_rules: dict[str, list[Rule]]
    profiles: dict[str, Profile]
    default_profile: str
    scope: str
    library: list[LibraryClaim]
    lexicons: dict[str, str]
    # The analysis of the last document: ``facts`` and ``run`` are called one after the other
    # for the same document, and this keeps them from analysing it twice.
    last: tuple[Document, Any] | None = field(default=None, repr=False)

    def rules(self, finds: str, profile: str) -> list[Rule]:
        return [r for r in self.other_rules.get(finds, []) if _applies(r, profile)]


def _applies(rule: Rule, profile: str) -> bool:
    return not rule.options["profiles"] or profile in rule.options["profiles"]


def prepare(rules: Sequence[Rule], context: CheckContext) -> Prepared:
    lexicons = load_lexicons(context.rules_dir / "lexicons")
    claim_rules = []
    other: dict[str, list[Rule]] = {}
    for rule in rules:
        if rule.options["finds"] in ("claim", "not-a-claim"):
            claim_rules.append(_compile(rule, lexicons))
        else:
            other.setdefault(rule.options["finds"], []).append(rule)
    profiles = load_profiles(context.rules_dir / "profiles")
    if profiles and context.settings.profile not in profiles:
        raise RulebookError(
            f"{context.settings.sources.get('profile', 'settings')}: profile '{context.settings.profile}' "
            f"is not in {context.rules_dir / 'profiles'} (known: {', '.join(sorted(profiles))})"
        )
    return Prepared(
        claim_rules,
        other,
        profiles,
        context.settings.profile,
        context.settings.citation_scope,
        load_library(context.rules_dir / "claims-library.yaml"),
        lexicons,
    )


def _expand(pattern: str, lexicons: dict[str, str], rule: Rule) -> str:
    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in lexicons:
            raise RulebookError(
                f"{rule.source}:{rule.line}: rule {rule.id}: no word list lexicons/{name.replace('_', '-')}.txt "
                f"(known: {', '.join(sorted(lexicons))})"
            )
        return lexicons[name]

    return _LEXICON_REFERENCE.sub(replace, pattern)


def _joined(patterns: Sequence[str], lexicons: dict[str, str], rule: Rule) -> re.Pattern[str] | None:
    if not patterns:
        return None
    body = "|".join(f"(?:{_expand(p, lexicons, rule)})" for p in patterns)
    # The leading look-ahead lets the engine skip quickly to where a trigger can start (a letter,
    # a digit, a quote, # or [): 1.8x faster on the benchmark corpus, with the same matches.
    return compile_pattern(rf"{TRIGGER_START}(?<![\w'’])(?:{body})(?![\w'’])", re.IGNORECASE)


def _compile(rule: Rule, lexicons: dict[str, str]) -> _ClaimRule:
    options = rule.options
    return _ClaimRule(
        rule,
        _joined(options["triggers"], lexicons, rule) or re.compile(r"(?!)"),
        _joined(options["exceptions"], lexicons, rule),
        tuple(re.compile(_expand(p, lexicons, rule), re.IGNORECASE) for p in options["requires"]),
    )


def load_profiles(directory: Path) -> dict[str, Profile]:
    profiles = {}
    if not directory.is_dir():
        return profiles
    for path in sorted(directory.glob("*.yaml")):
        located = _load(path)
        data = located.data
        if not isinstance(data, dict) or set(data) != {"profile"} or not isinstance(data["profile"], dict):
            raise RulebookError(f"{located.path}: a profile file holds one 'profile:' mapping")
        spec = data["profile"]
        unknown = set(spec) - {"id", "name", "link", "severity", "notes"}
        if unknown:
            raise RulebookError(str(located.error(("profile", sorted(unknown)[0]), f"unknown key '{sorted(unknown)[0]}'")))
        if spec.get("id") != path.stem:
            raise RulebookError(str(located.error(("profile", "id"), f"id must be '{path.stem}' (the file's name)")))
        severity = {}
        for rule_id, level in (spec.get("severity") or {}).items():
            try:
                severity[rule_id] = Severity(level)
            except ValueError:
                raise RulebookError(
                    str(located.error(("profile", "severity", rule_id), f"severity must be error, warning or info (got {level!r})"))
                ) from None
        profiles[path.stem] = Profile(path.stem, str(spec.get("name", path.stem)), str(spec.get("link", "")), severity)
    return profiles


def load_library(path: Path) -> list[LibraryClaim]:
    if not path.is_file():
        return []
    located = _load(path)
    data = located.data
    if not isinstance(data, dict) or not isinstance(data.get("claims"), list):
        raise RulebookError(f"{located.path}: the claims library holds a 'claims:' list")
    library = []
    for index, entry in enumerate(data["claims"]):
        at = ("claims", index)
        if not isinstance(entry, dict):
            raise RulebookError(str(located.error(at, "each approved claim is a mapping")))
        unknown = set(entry) - {"id", "claim", "references", "profiles", "notes"}
        if unknown:
            raise RulebookError(str(located.error(at + (sorted(unknown)[0],), f"unknown key '{sorted(unknown)[0]}'")))
        missing = {"id", "claim", "references"} - set(entry)
        if missing:
            raise RulebookError(str(located.error(at, f"approved claim is missing '{sorted(missing)[0]}'")))
        references = entry["references"]
        if not isinstance(references, list) or not references or not all(isinstance(r, str) for r in references):
            raise RulebookError(str(located.error(at + ("references",), "references must be a list of reference texts")))
        library.append(
            LibraryClaim(
                str(entry["id"]),
                str(entry["claim"]),
                content_words(str(entry["claim"])),
                "; ".join(references),
                tuple(entry.get("profiles") or ()),
            )
        )
    return library


def _load(path: Path):
    try:
        return load_yaml_file(path, path.name if path.parent.name != "profiles" else f"profiles/{path.name}")
    except YamlFileError as error:
        raise RulebookError(str(error)) from None


def content_words(text: str) -> frozenset[str]:
    words = re.findall(r"[a-z0-9]+", text.lower())
    return frozenset(_stem(w) for w in words if w not in _STOPWORDS and len(w) > 2)


def _stem(word: str) -> str:
    for suffix in ("ing", "ies", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


# -- analysis --------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Hit:
    rule: Rule
    span: Span


@dataclass
class Analysis:
    profile: str
    claims: list[ClaimRecord]
    findings: list[Finding]
    # Sentences the rules did not judge that read most like claims, likeliest first; JSON-shaped
    # so that cached results carry them unchanged. Never findings: the rules decide.
    review: list[dict[str, Any]] = field(default_factory=list)


def analyse(document: Document, prepared: Prepared) -> Analysis:
    if prepared.last is not None and prepared.last[0] is document:
        return prepared.last[1]
    analysis = _analyse(document, prepared)
    prepared.last = (document, analysis)
    return analysis


def _analyse(document: Document, prepared: Prepared) -> Analysis:
    findings: list[Finding] = []
    profile = document.front_matter.get("profile", prepared.default_profile)
    if not isinstance(profile, str) or (prepared.profiles and profile not in prepared.profiles):
        for rule in prepared.other_rules.get("unknown-profile", []):
            line = document.front_matter_lines.get("profile", 1)
            known = ", ".join(sorted(prepared.profiles))
            findings.append(
                finding_at(document, rule, document.line_index.line_span(line), f"{rule.message} (known: {known})")
            )
        profile = prepared.default_profile
    references = document.references.entries if document.references else ()
    resolver = _Resolver(references)
    hits = _hits_by_sentence(document, prepared, profile)
    markers = _body_markers(document)
    cited_labels: set[str] = set()
    for marker in markers:
        cited_labels.update(resolver.labels_of(marker))
    claims: list[ClaimRecord] = []
    for sentence_index, sentence_hits in sorted(hits.items()):
        if not _looks_like_claim(sentence_hits):
            continue
        sentence = document.sentences[sentence_index]
        excluded = _not_a_claim(sentence_hits)
        if excluded:
            message = f"{excluded.rule.message}: not checked as the article's own claim"
            findings.append(finding_at(document, excluded.rule, sentence.span, message))
            continue
        record, sentence_findings = _judge(document, prepared, profile, sentence, sentence_hits, resolver)
        claims.append(record)
        findings.extend(sentence_findings)
    findings.extend(_dangling_findings(document, prepared, profile, resolver, markers))
    findings.extend(_reference_findings(document, prepared, profile, references, cited_labels, resolver))
    severity = prepared.profiles[profile].severity if profile in prepared.profiles else {}
    if severity:
        findings = [_with_severity(f, severity[f.rule]) if f.rule in severity else f for f in findings]
    judged = {index for index, found in hits.items() if _looks_like_claim(found) or _not_a_claim(found)}
    return Analysis(profile, claims, findings, _review_candidates(document, judged))


_REVIEW_MIN_WORDS = 3


def _review_candidates(document: Document, judged: set[int]) -> list[dict[str, Any]]:
    threshold = claim_ranker.threshold()
    candidates = []
    for index, sentence in enumerate(document.sentences):
        block = document.blocks[sentence.block_index]
        if index in judged or block.in_references or block.kind in _LABELS:
            continue
        if len(sentence.text.split()) < _REVIEW_MIN_WORDS:
            continue
        score = claim_ranker.score(sentence.text)
        if score >= threshold:
            position = document.position(sentence.span)
            candidates.append(
                {
                    "sentence": sentence.text,
                    "line": position.line,
                    "column": position.column,
                    "section": sentence.section,
                    "score": round(score, 3),
                }
            )
    return sorted(candidates, key=lambda c: -c["score"])


def _with_severity(finding: Finding, severity: Severity) -> Finding:
    return replace(finding, severity=severity)


def _hits_by_sentence(document: Document, prepared: Prepared, profile: str) -> dict[int, list[_Hit]]:
    sentences = document.sentences
    starts = [s.span.start for s in sentences]
    blocks = document.blocks
    hits: dict[int, list[_Hit]] = {}
    prose = document.prose
    for compiled in prepared.claim_rules:
        if not _applies(compiled.rule, profile):
            continue
        for match in compiled.pattern.finditer(prose):
            index = bisect.bisect_right(starts, match.start()) - 1
            if index < 0:
                continue
            sentence = sentences[index]
            block = blocks[sentence.block_index]
            if match.end() > sentence.span.end or block.in_references:
                continue
            # A heading, title or description cannot carry a citation: the text under it does.
            # Only what no citation could fix is reported there.
            if block.kind in _LABELS and not compiled.rule.options["prohibited"]:
                continue
            span = Span(match.start(), match.end())
            if compiled.exceptions and _covered(compiled.exceptions, prose, span, sentence.span):
                continue
            if compiled.requires and not all(p.search(prose, sentence.span.start, sentence.span.end) for p in compiled.requires):
                continue
            options = compiled.rule.options
            if options["at_sentence_start"] and prose[sentence.span.start : span.start].strip(" ✓✔•-*\n"):
                continue
            if options["max_words"] and len(sentence.text.split()) > options["max_words"]:
                continue
            hits.setdefault(index, []).append(_Hit(compiled.rule, span))
    cited_rules = [c.rule for c in prepared.claim_rules if c.rule.options["cited_sentences"] and _applies(c.rule, profile)]
    if cited_rules:
        # A writer who cites a sentence says it rests on evidence: it is a claim, judged as one.
        for index, sentence in enumerate(sentences):
            block = blocks[sentence.block_index]
            found = hits.get(index, [])
            if sentence.citations and not block.in_references and block.kind not in _LABELS and not _looks_like_claim(found):
                for rule in cited_rules:
                    hits.setdefault(index, []).append(_Hit(rule, sentence.citations[0].span))
    return hits


def _looks_like_claim(hits: list[_Hit]) -> bool:
    """A rule that is not a mere qualifier (a population, a disease named) found a claim."""
    return any(hit.rule.options["finds"] == "claim" and not hit.rule.options["qualifier"] for hit in hits)


def _not_a_claim(hits: list[_Hit]) -> _Hit | None:
    """The not-a-claim rule (reported speech, an article's table of contents) that matched."""
    return next((hit for hit in hits if hit.rule.options["finds"] == "not-a-claim"), None)


def _covered(pattern: re.Pattern[str], prose: str, span: Span, within: Span) -> bool:
    return any(
        m.start() <= span.start and span.end <= m.end() for m in pattern.finditer(prose, within.start, within.end)
    )


class _Resolver:
    """Markers to reference entries: numbers and footnote labels by label, author–year by
    surname and year, inline DOIs and scholarly links by themselves."""

    def __init__(self, entries: Sequence[ReferenceEntry]) -> None:
        self.entries = entries
        numbered = all(not e.label for e in entries)
        self.by_label = {(str(i + 1) if numbered else e.label): e for i, e in enumerate(entries)}
        self.by_identifier = {key: e for e in entries for key in (e.doi, e.pmid, e.pmcid) if key}

    def labels_of(self, marker: CitationMarker) -> tuple[str, ...]:
        if marker.kind == "author_year":
            entry = self._author_year(marker.labels[0])
            return (entry_label(self, entry),) if entry else ()
        if marker.target:
            entry = self._by_target(marker.target)
            return (entry_label(self, entry),) if entry else ()
        return marker.labels

    def resolve(self, marker: CitationMarker) -> tuple[list[ReferenceEntry | str], list[str]]:
        """The entries (or the marker's own identifier) it points at, and labels that resolve to
        nothing."""
        if marker.kind == "author_year":
            entry = self._author_year(marker.labels[0])
            return ([entry], []) if entry else ([], [marker.labels[0]])
        if marker.target:
            entry = self._by_target(marker.target)
            return [entry or marker.target], []
        found, missing = [], []
        for label in marker.labels:
            if label in self.by_label:
                found.append(self.by_label[label])
            else:
                missing.append(label)
        return found, missing

    def _author_year(self, label: str) -> ReferenceEntry | None:
        words = label.split()
        surname, year = words[0], words[-1]
        return next((e for e in self.entries if surname in e.text and year[:4] in e.text), None)

    def _by_target(self, target: str) -> ReferenceEntry | None:
        key = target.split(":", 1)[1] if target.split(":", 1)[0] in ("doi", "pmid", "pmcid") else target
        key = re.sub(r"^https?://(?:dx\.)?doi\.org/", "", key).lower()
        return self.by_identifier.get(key) or next((e for e in self.entries if e.url and e.url == target), None)


def entry_label(resolver: _Resolver, entry: ReferenceEntry) -> str:
    return next(label for label, e in resolver.by_label.items() if e is entry)


def evidence_of(text: str, strong: Sequence[str], weak: Sequence[str]) -> str:
    lowered = text.lower()
    if any(term.lower() in lowered for term in weak):
        return "weak"
    if any(term.lower() in lowered for term in strong):
        return "strong"
    return "unknown"


def _judge(
    document: Document, prepared: Prepared, profile: str, sentence: Sentence, hits: list[_Hit], resolver: _Resolver
) -> tuple[ClaimRecord, list[Finding]]:
    findings: list[Finding] = []
    kinds = list(dict.fromkeys(hit.rule.options["kind"] for hit in hits))
    prohibited = [hit for hit in hits if hit.rule.options["prohibited"]]
    block = document.blocks[sentence.block_index]
    markers = sentence.citations
    scope = prepared.scope
    if scope == "paragraph":
        markers = tuple(m for m in document.citations if block.span.start <= m.span.start <= block.span.end + 8)
    found: list[ReferenceEntry | str] = []
    missing: list[tuple[CitationMarker, str]] = []
    for marker in markers:
        entries, unresolved = resolver.resolve(marker)
        found.extend(entries)
        missing.extend((marker, label) for label in unresolved)

    weak_rules = prepared.rules("weak-evidence", profile)
    strong_terms = [t for r in weak_rules for t in r.options["strong_terms"]]
    weak_terms = [t for r in weak_rules for t in r.options["weak_terms"]]
    records = tuple(_reference_record(item, strong_terms, weak_terms) for item in dict.fromkeys(found))
    concerns: list[str] = []
    suggestion = ""

    if prohibited:
        status = "prohibited"
        for hit in _first_per_rule(prohibited):
            rule_suggestion = hit.rule.options["suggestion"] or ""
            suggestion = suggestion or rule_suggestion
            message = f"{hit.rule.message}: '{hit.span.of(document.source)}'"
            if rule_suggestion:
                message += f"; try: \"{rule_suggestion}\""
            findings.append(finding_at(document, hit.rule, hit.span, message, (rule_suggestion,) if rule_suggestion else ()))
    elif missing:
        status = "dangling"
    elif markers:
        status = "supported"
    else:
        status = "unsupported"

    if status == "unsupported":
        # Named after its most serious kind: a claim about babies or cancer is first of all that.
        citable = next(
            (hit for hit in hits if hit.rule.options["qualifier"]),
            next(hit for hit in hits if hit.rule.options["finds"] == "claim" and not hit.rule.options["prohibited"]),
        )
        library = _library_match(prepared, profile, sentence.text)
        kinds_text = ", ".join(kinds)
        message = f"{citable.rule.message} ({kinds_text}): cite the evidence in this sentence, or rewrite it"
        suggestions: tuple[str, ...] = ()
        if library:
            suggestion = f"approved claim '{library.id}': cite {library.reference}"
            message += f"; the claims library has an approved version ({library.id}) with its reference"
            suggestions = (library.reference,)
        findings.append(finding_at(document, citable.rule, sentence.span, message, suggestions))

    if status in ("supported", "dangling") and records:
        for rule in weak_rules:
            if set(rule.options["applies_to"]) & set(kinds) and any(r.evidence == "weak" for r in records):
                concern = "the evidence cited is weak (a pilot, case report, animal or lab study)"
                concerns.append(concern)
                findings.append(finding_at(document, rule, sentence.span, f"{rule.message}: {concern}"))
        for rule in prepared.rules("missing-comparator", profile):
            if "comparative" in kinds and set(rule.options["applies_to"] or ("comparative",)) & set(kinds):
                terms = [t.lower() for t in rule.options["comparator_terms"]]
                if not any(any(t in r.text.lower() for t in terms) for r in records):
                    concern = "a comparison, but no reference cited for it names a comparator"
                    concerns.append(concern)
                    findings.append(finding_at(document, rule, sentence.span, f"{rule.message}: {concern}"))

    findings.extend(_scope_findings(document, prepared, profile, sentence, kinds, concerns))
    findings.extend(_privacy_findings(document, prepared, profile, sentence, kinds))
    record = ClaimRecord(
        sentence=sentence.text,
        span=sentence.span,
        position=document.position(sentence.span),
        section=sentence.section,
        kinds=tuple(kinds),
        triggers=tuple(dict.fromkeys(hit.span.of(document.source) for hit in hits)),
        trigger_spans=tuple(sorted({hit.span for hit in hits})),
        status=status,
        citations=tuple(marker.span.of(document.source) for marker in markers),
        references=records,
        concerns=tuple(concerns),
        suggestion=suggestion,
        scope=scope,
        context=block.span.of(document.source),
        context_start=block.span.start,
        rules=tuple(dict.fromkeys(hit.rule.id for hit in hits)),
    )
    return record, findings


def _first_per_rule(hits: list[_Hit]) -> list[_Hit]:
    seen: dict[str, _Hit] = {}
    for hit in hits:
        seen.setdefault(hit.rule.id, hit)
    return list(seen.values())


def _scope_findings(
    document: Document, prepared: Prepared, profile: str, sentence: Sentence, kinds: list[str], concerns: list[str]
) -> list[Finding]:
    findings = []
    text = sentence.text
    for rule in prepared.rules("condition-scope", profile):
        if not re.search(rule.options["treatments"], text, re.IGNORECASE) or "efficacy" not in kinds:
            continue
        allowed = [c.lower() for c in rule.options["allowed_conditions"]]
        conditions = re.findall(prepared.lexicons.get("conditions", "(?!)"), text, re.IGNORECASE)
        outside = [c for c in conditions if c.lower() not in ("pain", "symptoms", "condition", "conditions") and not any(c.lower() in a or a in c.lower() for a in allowed)]
        if outside:
            concern = f"'{outside[0]}' is not among the conditions this profile accepts claims for"
            concerns.append(concern)
            findings.append(finding_at(document, rule, sentence.span, f"{rule.message}: {concern}", ((rule.options['suggestion'],) if rule.options["suggestion"] else ())))
        elif not re.search(r"short[- ]term|temporar", text, re.IGNORECASE):
            concern = "accepted only as short-term relief: say so"
            concerns.append(concern)
            findings.append(finding_at(document, rule, sentence.span, f"{rule.message}: {concern}", ((rule.options['suggestion'],) if rule.options["suggestion"] else ())))
    for rule in prepared.rules("safety-without-risk", profile):
        if not set(rule.options["applies_to"] or ("safety",)) & set(kinds):
            continue
        block = document.blocks[sentence.block_index]
        paragraph = document.prose[block.span.start : block.span.end].lower()
        if not any(term.lower() in paragraph for term in rule.options["risk_terms"]):
            concern = "says it is safe without stating the risks"
            concerns.append(concern)
            findings.append(finding_at(document, rule, sentence.span, f"{rule.message}: {concern}"))
    return findings


def _privacy_findings(
    document: Document, prepared: Prepared, profile: str, sentence: Sentence, kinds: list[str]
) -> list[Finding]:
    """A patient named together with their health, and no record of their written consent."""
    findings = []
    for rule in prepared.rules("patient-privacy", profile):
        if not set(rule.options["applies_to"] or ("testimonial",)) & set(kinds):
            continue
        consent_field = rule.options["consent_field"] or "consent_ref"
        if document.front_matter.get(consent_field):
            continue
        text = document.prose[sentence.span.start : sentence.span.end]
        named = next((m for p in rule.options["name_patterns"] for m in [re.search(p, text)] if m), None)
        health = "efficacy" in kinds or re.search(prepared.lexicons.get("conditions", "(?!)"), text, re.IGNORECASE)
        if named and health:
            message = (
                f"{rule.message}: '{named.group().strip()}' with health details, and no "
                f"{consent_field} in front matter: record the patient's written consent, or remove the name"
            )
            findings.append(finding_at(document, rule, sentence.span, message))
    return findings


def _library_match(prepared: Prepared, profile: str, text: str) -> LibraryClaim | None:
    words = content_words(text)
    best, best_score = None, 0.0
    for claim in prepared.library:
        if claim.profiles and profile not in claim.profiles:
            continue
        shared = len(words & claim.words)
        if not shared:
            continue
        score = shared / len(claim.words)  # how much of the approved claim the sentence says
        if score > best_score:
            best, best_score = claim, score
    return best if best_score >= 0.6 else None


def _reference_record(item: ReferenceEntry | str, strong: Sequence[str], weak: Sequence[str]) -> ReferenceRecord:
    if isinstance(item, str):
        kind, _, value = item.partition(":") if item.split(":", 1)[0] in ("doi", "pmid", "pmcid") else ("url", "", item)
        return ReferenceRecord(
            item, item, value if kind == "doi" else None, value if kind == "pmid" else None, "unknown"
        )
    return ReferenceRecord(item.label or item.text[:20], item.text, item.doi, item.pmid, evidence_of(item.text, strong, weak))


def _body_markers(document: Document) -> list[CitationMarker]:
    """Citation markers outside the reference list (whose own DOIs are markers too)."""
    blocks = document.blocks
    starts = [b.span.start for b in blocks]
    markers = []
    for marker in document.citations:
        index = bisect.bisect_right(starts, marker.span.start) - 1
        if index < 0 or not blocks[index].in_references:
            markers.append(marker)
    return markers


def _dangling_findings(
    document: Document, prepared: Prepared, profile: str, resolver: _Resolver, markers: list[CitationMarker]
) -> list[Finding]:
    """Every marker that names a reference the list does not have: a property of the marker,
    whether or not its sentence reads as a claim."""
    findings = []
    for marker in markers:
        _, missing = resolver.resolve(marker)
        for label in missing:
            for rule in prepared.rules("dangling-citation", profile):
                message = f"{rule.message}: [{label}] has no entry in the reference list"
                findings.append(finding_at(document, rule, marker.span, message))
    return findings


def _reference_findings(
    document: Document,
    prepared: Prepared,
    profile: str,
    entries: Sequence[ReferenceEntry],
    cited: set[str],
    resolver: _Resolver,
) -> list[Finding]:
    findings = []
    for label, entry in resolver.by_label.items():
        if label not in cited:
            for rule in prepared.rules("orphan-reference", profile):
                findings.append(finding_at(document, rule, entry.span, f"{rule.message}: entry {label} is never cited"))
    for entry in entries:
        if not (entry.doi or entry.pmid or entry.pmcid or entry.url):
            for rule in prepared.rules("missing-identifier", profile):
                findings.append(finding_at(document, rule, entry.span))
        for problem in entry.malformed:
            for rule in prepared.rules("malformed-identifier", profile):
                findings.append(finding_at(document, rule, entry.span, f"{rule.message}: {problem}"))
    seen: dict[str, ReferenceEntry] = {}
    for entry in entries:
        for key in (entry.doi, entry.pmid and f"pmid:{entry.pmid}"):
            if not key:
                continue
            if key in seen and seen[key] is not entry:
                for rule in prepared.rules("duplicate-reference", profile):
                    first = seen[key].label or "an earlier entry"
                    findings.append(finding_at(document, rule, entry.span, f"{rule.message}: same work as entry {first} ({key})"))
            seen.setdefault(key, entry)
    return findings


# -- the check kind ----------------------------------------------------------------------------


def run(document: Document, prepared: Prepared) -> Iterable[Finding]:
    return analyse(document, prepared).findings


def facts(document: Document, prepared: Prepared) -> tuple[tuple[str, object], ...]:
    analysis = analyse(document, prepared)
    return (("claims", tuple(analysis.claims)), ("profile", analysis.profile), ("review", tuple(analysis.review)))


KIND = CheckKind("claims", opt.OptionSchema(OPTIONS, validate), prepare, run, facts=facts)
