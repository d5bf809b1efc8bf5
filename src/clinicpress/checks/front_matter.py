"""``front_matter``: the editorial record an article carries in its YAML front matter — who wrote
it, who reviewed it medically and when, who approved it, and the slug it is published under.

Which fields exist and what type each has is data in the rules (``fields``, ``required``); this
module only knows the kinds of problem a rule can look for, named by its ``problem`` option.

Dates: PyYAML turns an unquoted ``2026-09-14`` into a date, and a quoted ``'2026-09-14'`` is
accepted as the same date, because editors quote values out of habit and the meaning does not
change. Anything else (``Sept 2026``, ``2026-9-14``) is not a date.

A duplicate slug is only visible across articles: ``facts`` keeps each article's slug with the
place it stands, and ``across_files`` reports every article that shares one. A slug the site
already uses for itself (``taken``) is visible in one article, so ``run`` reports that."""

from __future__ import annotations

import calendar
import datetime
import difflib
import re
import unicodedata
from dataclasses import dataclass
from typing import Any, Callable, Iterable, NamedTuple, Sequence

from clinicpress.checks.kind import CheckContext, CheckKind, finding_at
from clinicpress.document import Document
from clinicpress.model import FileResult, Finding, Position, Span
from clinicpress.rulebook import Rule
from clinicpress.rulebook import options as opt

FIELD_TYPES = ("text", "text_list", "date")
_EXPECTED = {
    "text": "text",
    "text_list": "a list of texts (one '- item' per line)",
    "date": "a date written YYYY-MM-DD",
}
_FIELD_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_URL_SAFE_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
DEFAULT_MAX_AGE_MONTHS = 12


def field_types(value: Any) -> tuple[tuple[str, str], ...]:
    """``field: type`` pairs, kept as a tuple so the rule stays frozen."""
    if not isinstance(value, dict) or not value:
        raise opt.OptionError(f"must be a mapping of field name to type ({', '.join(FIELD_TYPES)})")
    for name, kind in value.items():
        if not isinstance(name, str) or not _FIELD_NAME.match(name):
            raise opt.OptionError(f"field {name!r} must be a plain word")
        if kind not in FIELD_TYPES:
            raise opt.OptionError(f"field {name}: type must be one of {', '.join(FIELD_TYPES)} (got {kind!r})")
    return tuple(value.items())


# Which options each problem needs, and which it may take besides.
_NEEDS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "missing-front-matter": ((), ()),
    "missing-field": (("required",), ()),
    "wrong-type": (("fields",), ()),
    "unknown-field": (("fields",), ()),
    "unknown-status": (("field", "statuses"), ()),
    "approval-incomplete": (("field", "when_status", "required"), ("in_order",)),
    "stale-review": (("field",), ("max_age_months",)),
    "slug-not-url-safe": (("field",), ()),
    "duplicate-slug": (("field",), ("taken",)),
}
PROBLEMS = tuple(_NEEDS)

OPTIONS = {
    "problem": opt.Option(opt.one_of(*PROBLEMS), required=True, help="what this rule looks for"),
    "fields": opt.Option(field_types, help="every known field with its type: text, text_list or date"),
    "required": opt.Option(opt.texts, help="fields that must be present and not empty"),
    "field": opt.Option(opt.text, help="the field the problem is about: the status, the review date, the slug"),
    "statuses": opt.Option(opt.texts, help="unknown-status: every status there is"),
    "when_status": opt.Option(opt.texts, help="approval-incomplete: the statuses that mean approved"),
    "in_order": opt.Option(opt.texts, help="date fields that must not go backwards (reviewed_on, approved_on)"),
    "max_age_months": opt.Option(opt.integer, help=f"how old a medical review may be (default {DEFAULT_MAX_AGE_MONTHS})"),
    "taken": opt.Option(opt.texts, help="slugs the site already uses itself, which no article may take"),
}


def validate(options: dict) -> str | None:
    problem = options["problem"]
    needed, optional = _NEEDS[problem]
    for name in needed:
        if options.get(name) is None:
            return f"problem {problem} needs option '{name}'"
    for name, value in options.items():
        if name != "problem" and value is not None and name not in needed + optional:
            takes = ", ".join(needed + optional) or "no other options"
            return f"problem {problem} does not use option '{name}' (it takes: {takes})"
    return None


@dataclass(frozen=True)
class _Prepared:
    rules: tuple[Rule, ...]
    today: datetime.date

    @property
    def duplicate_rules(self) -> tuple[Rule, ...]:
        return tuple(rule for rule in self.rules if rule.options["problem"] == "duplicate-slug")


def prepare(rules: Sequence[Rule], context: CheckContext) -> _Prepared:
    return _Prepared(tuple(rules), context.today)


def run(document: Document, prepared: _Prepared) -> Iterable[Finding]:
    # Plain-text articles have no front matter by design.
    if not document.is_markdown:
        return
    for rule in prepared.rules:
        problem = rule.options["problem"]
        if problem == "missing-front-matter":
            if document.front_matter_span is None:
                yield finding_at(document, rule, document.line_index.line_span(1))
        # Without front matter every field would be "missing": one finding says it all.
        elif document.front_matter_span is not None:
            yield from _FINDERS[problem](document, rule, prepared.today)


def _missing_fields(document: Document, rule: Rule, today: datetime.date) -> Iterable[Finding]:
    for name in rule.options["required"]:
        if name not in document.front_matter:
            yield finding_at(document, rule, _opening_line(document), f"{rule.message}: add '{name}'")
        elif _is_empty(document.front_matter[name]):
            yield finding_at(document, rule, _key_line(document, name), f"{rule.message}: '{name}' is empty")


def _wrong_types(document: Document, rule: Rule, today: datetime.date) -> Iterable[Finding]:
    for name, kind in rule.options["fields"]:
        value = document.front_matter.get(name)
        # An empty value is a missing field, not a wrong type.
        if _is_empty(value) or _fits(value, kind):
            continue
        message = f"{rule.message}: '{name}' should be {_EXPECTED[kind]}, not {_describe(value)}"
        yield finding_at(document, rule, _key_line(document, name), message)


def _unknown_fields(document: Document, rule: Rule, today: datetime.date) -> Iterable[Finding]:
    known = [name for name, _ in rule.options["fields"]]
    for name in document.front_matter:
        if name in known:
            continue
        closest = difflib.get_close_matches(name.lower(), known, n=1, cutoff=0.6)
        span = _key_line(document, name)
        if closest:
            message = f"{rule.message}: '{name}' (did you mean '{closest[0]}'?)"
            fixed = span.of(document.source).replace(name, closest[0], 1)
            yield finding_at(document, rule, span, message, (fixed,))
        else:
            message = f"{rule.message}: '{name}' (known: {', '.join(known)})"
            yield finding_at(document, rule, span, message)


def _unknown_status(document: Document, rule: Rule, today: datetime.date) -> Iterable[Finding]:
    name, statuses = rule.options["field"], rule.options["statuses"]
    status = document.front_matter.get(name)
    # A missing or non-text status belongs to missing-field and wrong-type.
    if not isinstance(status, str) or not status.strip() or status in statuses:
        return
    message = f"{rule.message}: '{status}' is not one of {', '.join(statuses)}"
    closest = difflib.get_close_matches(status.strip().lower(), statuses, n=1, cutoff=0.6)
    suggestions = (_line_with_value(document, name, closest[0]),) if closest else ()
    yield finding_at(document, rule, _key_line(document, name), message, suggestions)


def _approval_incomplete(document: Document, rule: Rule, today: datetime.date) -> Iterable[Finding]:
    name = rule.options["field"]
    status = document.front_matter.get(name)
    if isinstance(status, str) and status in rule.options["when_status"]:
        for needed in rule.options["required"]:
            if _is_empty(document.front_matter.get(needed)):
                message = f"{rule.message}: status is '{status}' but '{needed}' is missing"
                yield finding_at(document, rule, _key_line(document, name), message)
    # Dates out of order are suspicious whatever the status: an approval cannot precede the review.
    dated = [
        (field, date)
        for field in rule.options["in_order"] or ()
        if (date := _as_date(document.front_matter.get(field))) is not None
    ]
    for (earlier, earlier_date), (later, later_date) in zip(dated, dated[1:]):
        if later_date < earlier_date:
            message = f"{rule.message}: '{later}' ({later_date}) is before '{earlier}' ({earlier_date})"
            yield finding_at(document, rule, _key_line(document, later), message)


def _stale_review(document: Document, rule: Rule, today: datetime.date) -> Iterable[Finding]:
    name = rule.options["field"]
    reviewed = _as_date(document.front_matter.get(name))
    if reviewed is None:
        return
    limit = rule.options["max_age_months"]
    limit = DEFAULT_MAX_AGE_MONTHS if limit is None else limit
    if reviewed > today:
        message = f"{rule.message}: '{name}' {reviewed} is in the future (today is {today})"
        yield finding_at(document, rule, _key_line(document, name), message)
    elif today > _add_months(reviewed, limit):
        message = (
            f"{rule.message}: reviewed {reviewed}, {_months_between(reviewed, today)} months ago "
            f"(limit {limit} months); have it reviewed again and update '{name}'"
        )
        yield finding_at(document, rule, _key_line(document, name), message)


def _slug_not_url_safe(document: Document, rule: Rule, today: datetime.date) -> Iterable[Finding]:
    name = rule.options["field"]
    slug = document.front_matter.get(name)
    if not isinstance(slug, str) or not slug.strip() or _URL_SAFE_SLUG.match(slug):
        return
    fixed = url_safe_slug(slug)
    hint = f": use '{fixed}'" if fixed else ""
    message = f"{rule.message}: '{slug}' (lowercase a-z, 0-9 and single hyphens only){hint}"
    suggestions = (_line_with_value(document, name, fixed),) if fixed else ()
    yield finding_at(document, rule, _key_line(document, name), message, suggestions)


def _slug_taken(document: Document, rule: Rule, today: datetime.date) -> Iterable[Finding]:
    name = rule.options["field"]
    slug = document.front_matter.get(name)
    taken = {item.casefold() for item in rule.options["taken"] or ()}
    if isinstance(slug, str) and _slug_key(slug) in taken:
        message = f"{rule.message}: '{slug}' is already used by the site itself"
        yield finding_at(document, rule, _key_line(document, name), message)


_FINDERS: dict[str, Callable[[Document, Rule, datetime.date], Iterable[Finding]]] = {
    "missing-field": _missing_fields,
    "wrong-type": _wrong_types,
    "unknown-field": _unknown_fields,
    "unknown-status": _unknown_status,
    "approval-incomplete": _approval_incomplete,
    "stale-review": _stale_review,
    "slug-not-url-safe": _slug_not_url_safe,
    "duplicate-slug": _slug_taken,
}


class KeyLocation(NamedTuple):
    """Where a key's line stands, kept in a FileResult's facts. A plain tuple, so a result
    cached as JSON (a list) still reads back as one."""

    value: str
    start: int
    end: int
    line: int
    column: int
    end_line: int
    end_column: int
    excerpt: str


def facts(document: Document, prepared: _Prepared) -> tuple[tuple[str, object], ...]:
    found: dict[str, KeyLocation] = {}
    for rule in prepared.duplicate_rules:
        name = rule.options["field"]
        value = document.front_matter.get(name)
        if document.is_markdown and isinstance(value, str) and value.strip():
            span = _key_line(document, name)
            position = document.position(span)
            found[_fact_name(name)] = KeyLocation(
                value,
                span.start,
                span.end,
                position.line,
                position.column,
                position.end_line,
                position.end_column,
                span.of(document.source),
            )
    return tuple(found.items())


def across_files(results: Sequence[FileResult], prepared: _Prepared) -> Iterable[Finding]:
    for rule in prepared.duplicate_rules:
        by_slug: dict[str, dict[str, KeyLocation]] = {}
        for result in results:
            raw = result.fact(_fact_name(rule.options["field"]))
            if raw is not None:
                location = KeyLocation(*raw)
                by_slug.setdefault(_slug_key(location.value), {})[result.path] = location
        for sharing in by_slug.values():
            if len(sharing) < 2:
                continue
            for path, location in sharing.items():
                others = ", ".join(sorted(other for other in sharing if other != path))
                yield Finding(
                    rule=rule.id,
                    category=rule.category,
                    severity=rule.severity,
                    path=path,
                    span=Span(location.start, location.end),
                    position=Position(location.line, location.column, location.end_line, location.end_column),
                    excerpt=location.excerpt,
                    message=f"{rule.message}: '{location.value}' is also the slug of {others}",
                )


def url_safe_slug(text: str) -> str:
    """``Cupping Therapy Guide`` → ``cupping-therapy-guide``; accents folded to plain letters."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return "-".join(re.findall(r"[a-z0-9]+", folded.lower()))


def _slug_key(slug: str) -> str:
    # Publishers lower-case slugs, so two that differ only in case still collide.
    return slug.strip().casefold()


def _fact_name(field: str) -> str:
    return f"front_matter.{field}"


def _opening_line(document: Document) -> Span:
    return document.line_index.line_span(1)


def _key_line(document: Document, name: str) -> Span:
    line = document.front_matter_lines.get(name)
    return document.line_index.line_span(line) if line else _opening_line(document)


def _line_with_value(document: Document, name: str, value: str) -> str:
    """The key's line with a new value: the replacement for the finding's excerpt."""
    line = _key_line(document, name).of(document.source)
    return f"{line[: line.index(':') + 1]} {value}"


def _is_empty(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    return isinstance(value, (list, dict)) and not value


def _fits(value: object, kind: str) -> bool:
    if kind == "text":
        return isinstance(value, str)
    if kind == "text_list":
        return isinstance(value, list) and all(isinstance(item, str) and item.strip() for item in value)
    return _as_date(value) is not None


def _as_date(value: object) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str) and _ISO_DATE.match(value.strip()):
        try:
            return datetime.date.fromisoformat(value.strip())
        except ValueError:  # 2026-02-30 has the shape of a date but is not one
            return None
    return None


def _describe(value: object) -> str:
    if isinstance(value, bool):
        return f"true/false ({str(value).lower()})"
    if isinstance(value, (int, float)):
        return f"a number ({value})"
    if isinstance(value, datetime.date):
        return f"a date ({value})"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return f"text '{value}'"


def _add_months(date: datetime.date, months: int) -> datetime.date:
    month_index = date.month - 1 + months
    year, month = date.year + month_index // 12, month_index % 12 + 1
    # 31 January + 1 month is the last day of February, not an error.
    return datetime.date(year, month, min(date.day, calendar.monthrange(year, month)[1]))


def _months_between(earlier: datetime.date, later: datetime.date) -> int:
    months = (later.year - earlier.year) * 12 + later.month - earlier.month
    return months - (1 if later.day < earlier.day else 0)


KIND = CheckKind(
    "front_matter",
    opt.OptionSchema(OPTIONS, validate),
    prepare,
    run,
    facts=facts,
    across_files=across_files,
)
