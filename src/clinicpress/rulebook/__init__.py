"""Load and validate the rule pack (``rules/*.yaml``) into ``Rule`` values.

Rules are data; kinds of rule are code. The rulebook knows the shape every rule shares; each
check kind declares the options it takes (``known_checks``), and the rulebook validates them on
load so a broken pack fails with ``file:line: what is wrong`` before any article is read.
"""

from __future__ import annotations

import fnmatch
import hashlib
import json
import re
from dataclasses import dataclass, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any, Mapping

from clinicpress.atomic import write_text_atomic
from clinicpress.model import Category, Severity
from clinicpress.rulebook.builtin import BUILTIN_RULES
from clinicpress.rulebook.options import OptionError, OptionSchema
from clinicpress.rulebook.rule import Examples, Rule
from clinicpress.settings import Settings
from clinicpress.user_cache import user_cache_dir
from clinicpress.yaml_source import LocatedYaml, YamlFileError, load_yaml_file

__all__ = ["Rule", "Examples", "Rulebook", "RulebookError", "load_rulebook", "default_rules_dir", "BUILTIN_RULES"]

RULE_KEYS = {"id", "check", "category", "severity", "message", "why", "link", "options", "examples", "enabled"}
REQUIRED_KEYS = ("id", "check", "category", "severity", "message", "why", "link", "examples")
FILE_KEYS = {"rules", "defaults"}
_RULE_ID = re.compile(r"^[a-z0-9]+(?:[-/][a-z0-9]+)*$")
_LINK = re.compile(r"^https?://\S+$")


class RulebookError(Exception):
    """A rule pack that cannot be used; ``str()`` names the file and line."""


@dataclass(frozen=True)
class Rulebook:
    rules: tuple[Rule, ...]
    directory: Path
    digest: str  # sha256 of every file in the pack: the cache key and the audit's provenance

    def by_id(self, rule_id: str) -> Rule | None:
        return next((rule for rule in self.all_rules if rule.id == rule_id), None)

    @property
    def all_rules(self) -> tuple[Rule, ...]:
        return self.rules + BUILTIN_RULES

    def of_kind(self, kind: str) -> tuple[Rule, ...]:
        return tuple(rule for rule in self.rules if rule.check == kind)

    def configured(self, settings: Settings) -> Rulebook:
        """The pack with the settings' ``disable`` and ``severity`` applied."""
        known = [rule.id for rule in self.all_rules]
        for key, ids in (("disable", settings.disable), ("severity", tuple(settings.severity))):
            for pattern in ids:
                if not fnmatch.filter(known, pattern):
                    where = settings.sources.get(key, "settings")
                    raise RulebookError(f"{where}: {key} names unknown rule '{pattern}' (see: clinicpress rules)")
        rules = []
        for rule in self.rules:
            level = settings.severity.get(rule.id)
            if any(fnmatch.fnmatchcase(rule.id, pattern) for pattern in settings.disable) or level == "off":
                continue
            rules.append(replace(rule, severity=Severity(level)) if level else rule)
        return replace(self, rules=tuple(rules))


def default_rules_dir() -> Path:
    """The rule pack shipped with clinicpress: package data in a wheel, ``rules/`` in a checkout."""
    packaged = Path(__file__).resolve().parent.parent / "default_rules"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[3] / "rules"


def load_rulebook(directory: Path | None, known_checks: Mapping[str, OptionSchema]) -> Rulebook:
    directory = directory or default_rules_dir()
    if not directory.is_dir():
        raise RulebookError(f"{directory}: rules directory not found (set 'rules:' in clinicpress.yaml)")
    files = sorted(p for p in directory.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file())
    digest = hashlib.sha256()
    for path in sorted(p for p in directory.rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(directory)).encode())
        digest.update(path.read_bytes())
    remembered = _remembered_rules(digest.hexdigest())
    if remembered is not None:
        return Rulebook(remembered, directory, digest.hexdigest())
    rules: list[Rule] = []
    seen: dict[str, Rule] = {rule.id: rule for rule in BUILTIN_RULES}
    for path in files:
        try:
            located = load_yaml_file(path, _label(path))
        except YamlFileError as error:
            raise RulebookError(str(error)) from None
        if not _is_rule_file(located):
            continue
        for rule in _rules_in(located, known_checks):
            if rule.id in seen:
                raise RulebookError(
                    f"{rule.source}:{rule.line}: rule id '{rule.id}' is already used at {seen[rule.id].source}:{seen[rule.id].line}"
                )
            seen[rule.id] = rule
            rules.append(rule)
    _remember_rules(digest.hexdigest(), rules)
    return Rulebook(tuple(rules), directory, digest.hexdigest())


# -- validated packs, remembered ---------------------------------------------------------------
# Validating a pack compiles every pattern in it (most of a one-article lint). A pack whose files
# are byte for byte one that already validated, under the same clinicpress code, is read back as
# validated Rule values from the user cache instead. JSON, so a cache file can never run code;
# anything wrong with one means it is not used.


def _code_fingerprint() -> str:
    package = Path(__file__).resolve().parents[1]
    listing = sorted(
        f"{p.relative_to(package)}:{p.stat().st_size}:{p.stat().st_mtime_ns}" for p in package.rglob("*.py")
    )
    return hashlib.sha256("\n".join(listing).encode()).hexdigest()[:16]


def _remembered_path(digest: str) -> Path:
    from clinicpress import __version__

    return user_cache_dir() / "rulebooks" / f"{digest[:32]}-{__version__}-{_code_fingerprint()}.json"


def _remember_rules(digest: str, rules: list[Rule]) -> None:
    data = [
        {
            "id": r.id, "check": r.check, "category": r.category.value, "severity": r.severity.value,
            "message": r.message, "why": r.why, "link": r.link, "options": dict(r.options),
            "trigger": list(r.examples.trigger), "passing": list(r.examples.passing), "source": r.source, "line": r.line,
        }
        for r in rules
    ]
    try:
        path = _remembered_path(digest)
        path.parent.mkdir(parents=True, exist_ok=True)
        write_text_atomic(path, json.dumps(data))
    except (OSError, TypeError, ValueError):
        pass


def _remembered_rules(digest: str) -> tuple[Rule, ...] | None:
    try:
        data = json.loads(_remembered_path(digest).read_text(encoding="utf-8"))
        return tuple(
            Rule(
                id=item["id"], check=item["check"], category=Category(item["category"]),
                severity=Severity(item["severity"]), message=item["message"], why=item["why"],
                link=item["link"], options=MappingProxyType({k: _frozen(v) for k, v in item["options"].items()}),
                examples=Examples(tuple(item["trigger"]), tuple(item["passing"])),
                source=item["source"], line=item["line"],
            )
            for item in data
        )
    except Exception:  # noqa: BLE001 - missing, stale or foreign: validate afresh
        return None


def _frozen(value: Any) -> Any:
    """JSON lists back to the tuples validated options are made of."""
    return tuple(_frozen(v) for v in value) if isinstance(value, list) else value


def _label(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _is_rule_file(located: LocatedYaml) -> bool:
    """Files with a top-level ``rules:`` list are rule files; other YAML in the pack (profiles,
    the claims library, lexicons) belongs to the check kinds that read it."""
    return isinstance(located.data, dict) and "rules" in located.data


def _rules_in(located: LocatedYaml, known_checks: Mapping[str, OptionSchema]) -> list[Rule]:
    data = located.data
    for key in data:
        if key not in FILE_KEYS:
            raise _error(located, (key,), f"unknown top-level key '{key}' (expected: rules, defaults)")
    defaults = data.get("defaults") or {}
    if not isinstance(defaults, dict):
        raise _error(located, ("defaults",), "defaults must be a mapping of rule keys")
    for key in defaults:
        if key not in RULE_KEYS - {"id", "examples"}:
            raise _error(located, ("defaults", key), f"unknown key '{key}' in defaults")
    entries = data["rules"]
    if not isinstance(entries, list):
        raise _error(located, ("rules",), "rules must be a list of rules (each starting with '- id:')")
    rules = (
        _rule(located, index, {**defaults, **entry} if isinstance(entry, dict) else entry, known_checks)
        for index, entry in enumerate(entries)
    )
    return [rule for rule in rules if rule is not None]


def _rule(located: LocatedYaml, index: int, entry: Any, known_checks: Mapping[str, OptionSchema]) -> Rule | None:
    """The validated rule, or None for a valid rule switched off with ``enabled: false``."""
    at = ("rules", index)
    if not isinstance(entry, dict):
        raise _error(located, at, "each rule must be a mapping with id, check, severity …")
    for key in entry:
        if key not in RULE_KEYS:
            raise _error(located, at + (key,), f"unknown key '{key}' (known: {', '.join(sorted(RULE_KEYS))})")
    for key in REQUIRED_KEYS:
        if key not in entry:
            raise _error(located, at, f"rule is missing '{key}'")
    rule_id = entry["id"]
    if not isinstance(rule_id, str) or not _RULE_ID.match(rule_id):
        raise _error(located, at + ("id",), f"id {rule_id!r} must be lower-case words joined by - or /")
    where = f"rule {rule_id}: "
    check = entry["check"]
    if check not in known_checks:
        raise _error(located, at + ("check",), f"{where}unknown check '{check}' (known: {', '.join(sorted(known_checks))})")
    category = _enum(located, at + ("category",), Category, entry["category"], where)
    severity = _enum(located, at + ("severity",), Severity, entry["severity"], where)
    for key in ("message", "why"):
        if not isinstance(entry[key], str) or not entry[key].strip():
            raise _error(located, at + (key,), f"{where}{key} must be a non-empty text")
    if not isinstance(entry["link"], str) or not _LINK.match(entry["link"]):
        raise _error(located, at + ("link",), f"{where}link must be an http(s) URL to the guidance behind the rule")
    if not isinstance(entry.get("enabled", True), bool):
        raise _error(located, at + ("enabled",), f"{where}enabled must be true or false")
    options = _options(located, at, entry.get("options") or {}, known_checks[check], where)
    examples = _examples(located, at, entry["examples"], where)
    if not entry.get("enabled", True):
        return None
    return Rule(
        id=rule_id,
        check=check,
        category=category,
        severity=severity,
        message=entry["message"].strip(),
        why=" ".join(entry["why"].split()),
        link=entry["link"],
        options=MappingProxyType(options),
        examples=examples,
        source=located.path,
        line=located.line(at) or 0,
    )


def _enum(located: LocatedYaml, at: tuple, enum: Any, value: Any, where: str) -> Any:
    try:
        return enum(value)
    except ValueError:
        choices = ", ".join(member.value for member in enum)
        raise _error(located, at, f"{where}{at[-1]} must be one of {choices} (got {value!r})") from None


def _options(located: LocatedYaml, at: tuple, raw: Any, kind: OptionSchema, where: str) -> dict[str, Any]:
    schema = kind.options
    if not isinstance(raw, dict):
        raise _error(located, at + ("options",), f"{where}options must be a mapping")
    options: dict[str, Any] = {}
    for key, value in raw.items():
        if key not in schema:
            known = ", ".join(sorted(schema)) or "none"
            raise _error(located, at + ("options", key), f"{where}unknown option '{key}' (known: {known})")
        try:
            options[key] = schema[key].validate(value)
        except OptionError as error:
            raise _error(located, at + ("options", key), f"{where}option {key} {error}") from None
    for key, option in schema.items():
        if key not in options:
            if option.required:
                raise _error(located, at + ("options",), f"{where}option '{key}' is required")
            options[key] = option.default
    problem = kind.validate(options) if kind.validate else None
    if problem:
        raise _error(located, at + ("options",), f"{where}{problem}")
    return options


def _examples(located: LocatedYaml, at: tuple, raw: Any, where: str) -> Examples:
    if not isinstance(raw, dict) or set(raw) - {"trigger", "pass"}:
        raise _error(located, at + ("examples",), f"{where}examples must have 'trigger' and 'pass' lists")
    lists = {}
    for key in ("trigger", "pass"):
        value = raw.get(key)
        if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
            raise _error(
                located,
                at + ("examples", key),
                f"{where}examples.{key} must be a non-empty list of texts that "
                + ("must trigger the rule" if key == "trigger" else "must not trigger it"),
            )
        lists[key] = tuple(value)
    return Examples(lists["trigger"], lists["pass"])


def _error(located: LocatedYaml, at: tuple, problem: str) -> RulebookError:
    return RulebookError(str(located.error(at, problem)))
