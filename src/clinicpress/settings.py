"""Typed, frozen settings, layered in one visible order:

    built-in defaults < pyproject.toml [tool.clinicpress] < clinicpress.yaml < --config FILE < flags

Every value remembers where it came from (``clinicpress config --show``). An unknown key is an
error that names the key: a misspelt setting must never be silently ignored by a gate.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any, Callable, Mapping

from clinicpress.yaml_source import YamlFileError, load_yaml_file

CONFIG_NAMES = ("clinicpress.yaml", ".clinicpress.yaml")
SEVERITIES = ("error", "warning", "info")


class SettingsError(Exception):
    """A settings problem; ``str()`` is one line naming the file (and line) and what to do."""


@dataclass(frozen=True)
class SpellingSettings:
    engine: str = "offline"
    languagetool_url: str | None = None
    language: str = "en-US"


@dataclass(frozen=True)
class Target:
    name: str
    type: str
    url: str
    user: str
    password_env: str


@dataclass(frozen=True)
class Settings:
    base_dir: Path = field(default_factory=Path.cwd)
    content: tuple[str, ...] = ("content",)
    rules: str | None = None  # None: the rule pack shipped with clinicpress
    fail_on: str = "error"
    disable: tuple[str, ...] = ()
    severity: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    profile: str = "us-ftc"
    citation_scope: str = "sentence"
    spelling: SpellingSettings = field(default_factory=SpellingSettings)
    targets: Mapping[str, Target] = field(default_factory=lambda: MappingProxyType({}))
    cache: bool = True
    publish_log: str = "publish-log.csv"
    # dotted key → where its value came from: "default", "clinicpress.yaml:4", "--fail-on" …
    sources: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))

    def resolve(self, relative: str) -> Path:
        path = Path(relative).expanduser()
        return path if path.is_absolute() else self.base_dir / path

    @property
    def rules_dir(self) -> Path | None:
        return self.resolve(self.rules) if self.rules else None


# -- the schema: one validator per dotted key -------------------------------------------------

Validator = Callable[[Any], Any]


def _text(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError("must be a non-empty text value")
    return value


def _optional_text(value: Any) -> str | None:
    return None if value is None else _text(value)


def _texts(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(item, str) and item for item in value):
        raise ValueError("must be a list of text values")
    return tuple(value)


def _choice(*choices: str) -> Validator:
    def check(value: Any) -> str:
        if value not in choices:
            raise ValueError(f"must be one of {', '.join(choices)} (got {value!r})")
        return value

    return check


def _boolean(value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValueError("must be true or false")
    return value


def _severity_map(value: Any) -> Mapping[str, str]:
    if not isinstance(value, dict):
        raise ValueError("must map rule ids to error, warning, info or off")
    for rule, level in value.items():
        if level not in SEVERITIES + ("off",):
            raise ValueError(f"rule {rule}: must be error, warning, info or off (got {level!r})")
    return MappingProxyType(dict(value))


_TARGET_KEYS = {"type", "url", "user", "password_env"}
_ENV_NAME = re.compile(r"^[A-Z_][A-Z0-9_]*$")


def _targets(value: Any) -> Mapping[str, Target]:
    if not isinstance(value, dict):
        raise ValueError("must map target names to {type, url, user, password_env}")
    targets = {}
    for name, spec in value.items():
        if not isinstance(spec, dict):
            raise ValueError(f"target {name}: must be a mapping")
        unknown = set(spec) - _TARGET_KEYS
        if unknown:
            raise ValueError(f"target {name}: unknown key '{sorted(unknown)[0]}' (known: {', '.join(sorted(_TARGET_KEYS))})")
        missing = {"url", "user", "password_env"} - set(spec)
        if missing:
            raise ValueError(f"target {name}: missing '{sorted(missing)[0]}'")
        if spec.get("type", "wordpress") != "wordpress":
            raise ValueError(f"target {name}: type must be wordpress")
        if not _ENV_NAME.match(str(spec["password_env"])):
            raise ValueError(
                f"target {name}: password_env names an environment variable (like WP_APP_PASSWORD); "
                "never put the password itself in this file"
            )
        targets[name] = Target(name, "wordpress", _text(spec["url"]), _text(spec["user"]), spec["password_env"])
    return MappingProxyType(targets)


SCHEMA: dict[str, tuple[Validator, Any]] = {
    "content": (_texts, ("content",)),
    "rules": (_optional_text, None),
    "fail_on": (_choice(*SEVERITIES), "error"),
    "disable": (_texts, ()),
    "severity": (_severity_map, MappingProxyType({})),
    "profile": (_text, "us-ftc"),
    "citation_scope": (_choice("sentence", "paragraph"), "sentence"),
    "spelling.engine": (_choice("offline", "languagetool"), "offline"),
    "spelling.languagetool_url": (_optional_text, None),
    "spelling.language": (_text, "en-US"),
    "targets": (_targets, MappingProxyType({})),
    "cache": (_boolean, True),
    "publish_log": (_text, "publish-log.csv"),
}
_SECTIONS = {key.split(".")[0] for key in SCHEMA if "." in key}


# -- layers -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Layer:
    """Values from one source, by dotted key, each with the place it was written."""

    values: Mapping[str, Any]
    origins: Mapping[str, str]


def load_settings(
    start: Path | None = None, config_file: Path | None = None, overrides: Mapping[str, Any] | None = None
) -> Settings:
    start = (start or Path.cwd()).resolve()
    layers: list[Layer] = []
    base_dir = start
    if config_file is not None:
        if not config_file.is_file():
            raise SettingsError(f"{config_file}: config file not found (check the --config path)")
        layers.append(_yaml_layer(config_file, str(config_file)))
        base_dir = config_file.resolve().parent
    else:
        found = discover(start)
        if found:
            base_dir = found
            pyproject = found / "pyproject.toml"
            if pyproject.is_file():
                layer = _pyproject_layer(pyproject)
                if layer:
                    layers.append(layer)
            for name in CONFIG_NAMES:
                if (found / name).is_file():
                    layers.append(_yaml_layer(found / name, name if found == start else str(found / name)))
                    break
    if overrides:
        layers.append(
            Layer(
                {k: v for k, v in overrides.items() if v is not None},
                {k: f"--{k.replace('_', '-')}" for k in overrides},
            )
        )
    return build_settings(base_dir, layers)


def discover(start: Path) -> Path | None:
    """The nearest directory, from ``start`` up, that holds clinicpress settings; the search stops
    at a repository root so that one project never picks up another's settings."""
    for directory in (start, *start.parents):
        if any((directory / name).is_file() for name in CONFIG_NAMES):
            return directory
        if _pyproject_has_section(directory / "pyproject.toml"):
            return directory
        if (directory / ".git").exists():
            return None
    return None


def build_settings(base_dir: Path, layers: list[Layer]) -> Settings:
    values: dict[str, Any] = {}
    sources: dict[str, str] = {key: "default" for key in SCHEMA}
    for layer in layers:
        for key, value in layer.values.items():
            validator, _ = SCHEMA[key]
            try:
                values[key] = validator(value)
            except ValueError as error:
                raise SettingsError(f"{layer.origins.get(key, '?')}: {key} {error}") from None
            sources[key] = layer.origins.get(key, "?")
    get = lambda key: values.get(key, SCHEMA[key][1])  # noqa: E731
    return Settings(
        base_dir=base_dir,
        content=get("content"),
        rules=get("rules"),
        fail_on=get("fail_on"),
        disable=get("disable"),
        severity=get("severity"),
        profile=get("profile"),
        citation_scope=get("citation_scope"),
        spelling=SpellingSettings(get("spelling.engine"), get("spelling.languagetool_url"), get("spelling.language")),
        targets=get("targets"),
        cache=get("cache"),
        publish_log=get("publish_log"),
        sources=MappingProxyType(sources),
    )


def describe(settings: Settings) -> list[tuple[str, str, str]]:
    """(key, value, source) for every setting, for ``clinicpress config --show``."""
    rows = []
    for key in SCHEMA:
        value: Any = settings
        for part in key.split("."):
            value = getattr(value, part)
        if isinstance(value, Mapping):
            value = {k: (v.url if isinstance(v, Target) else v) for k, v in value.items()}
        if isinstance(value, tuple):
            value = list(value)
        if key == "rules" and value is None:
            value = "(the rule pack shipped with clinicpress)"
        rows.append((key, str(value), settings.sources.get(key, "default")))
    return rows


def _flatten(data: Any, origin: str, line_of: Callable[[tuple], int | None]) -> Layer:
    if data is None:
        return Layer({}, {})
    if not isinstance(data, dict):
        raise SettingsError(f"{origin}: settings must be key: value pairs")
    values: dict[str, Any] = {}
    origins: dict[str, str] = {}
    for key, value in data.items():
        if key in _SECTIONS:
            if not isinstance(value, dict):
                raise SettingsError(f"{_at(origin, line_of((key,)))}: {key} must be a mapping")
            for sub_key, sub_value in value.items():
                dotted = f"{key}.{sub_key}"
                _known(dotted, _at(origin, line_of((key, sub_key))))
                values[dotted] = sub_value
                origins[dotted] = _at(origin, line_of((key, sub_key)))
        else:
            _known(key, _at(origin, line_of((key,))))
            values[key] = value
            origins[key] = _at(origin, line_of((key,)))
    return Layer(values, origins)


def _known(key: str, where: str) -> None:
    if key not in SCHEMA:
        close = [k for k in SCHEMA if k.split(".")[-1] in key or key.split(".")[-1] in k]
        hint = f" (did you mean '{close[0]}'?)" if close else f" (known keys: {', '.join(SCHEMA)})"
        raise SettingsError(f"{where}: unknown setting '{key}'{hint}")


def _at(origin: str, line: int | None) -> str:
    return f"{origin}:{line}" if line else origin


def _yaml_layer(path: Path, label: str) -> Layer:
    try:
        located = load_yaml_file(path, label)
    except YamlFileError as error:
        raise SettingsError(str(error)) from None
    return _flatten(located.data, label, located.line)


def _pyproject_has_section(path: Path) -> bool:
    if not path.is_file():
        return False
    try:
        return "clinicpress" in tomllib.loads(path.read_text(encoding="utf-8")).get("tool", {})
    except (tomllib.TOMLDecodeError, UnicodeDecodeError, OSError):
        return False


def _pyproject_layer(path: Path) -> Layer | None:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise SettingsError(f"{path}: is not valid TOML: {error}") from None
    section = data.get("tool", {}).get("clinicpress")
    if section is None:
        return None
    return _flatten(section, "pyproject.toml [tool.clinicpress]", lambda _: None)
