"""YAML files read with the line of every key and value, so a mistake in a settings file or a
rule pack can be reported as ``file:line: what is wrong``."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

try:
    _Loader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - pyyaml wheels ship libyaml
    _Loader = yaml.SafeLoader

KeyPath = tuple[Any, ...]


class YamlFileError(Exception):
    """A YAML file that cannot be used; ``str()`` is one line naming the file and line."""

    def __init__(self, path: str, line: int | None, problem: str) -> None:
        self.path, self.line, self.problem = path, line, problem
        where = f"{path}:{line}" if line else path
        super().__init__(f"{where}: {problem}")


@dataclass(frozen=True)
class LocatedYaml:
    data: Any
    path: str
    lines: dict[KeyPath, int]  # (key, index, key …) → 1-based line

    def line(self, key_path: KeyPath) -> int | None:
        """Line of the value at ``key_path``, or of the nearest enclosing one that has a line."""
        while key_path not in self.lines and key_path:
            key_path = key_path[:-1]
        return self.lines.get(key_path)

    def error(self, key_path: KeyPath, problem: str) -> YamlFileError:
        return YamlFileError(self.path, self.line(key_path), problem)


def load_yaml_file(path: Path, label: str | None = None) -> LocatedYaml:
    label = label or str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise YamlFileError(label, None, "file not found") from None
    except UnicodeDecodeError:
        raise YamlFileError(label, None, "is not valid UTF-8: save it as UTF-8") from None
    except OSError as error:
        raise YamlFileError(label, None, f"cannot be read: {error.strerror or error}") from None
    return load_yaml_text(text, label)


def load_yaml_text(text: str, label: str, first_line: int = 1) -> LocatedYaml:
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        lines: dict[KeyPath, int] = {}
        if node is not None:
            _record_lines(node, (), lines, label, first_line)
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as error:
        raise YamlFileError(label, *describe_yaml_error(error, first_line)) from None
    except yaml.YAMLError as error:
        raise YamlFileError(label, None, f"is not valid YAML: {error}") from None
    finally:
        loader.dispose()
    return LocatedYaml(data, label, lines)


def _record_lines(node: yaml.Node, path: KeyPath, lines: dict[KeyPath, int], label: str, first_line: int) -> None:
    lines[path] = node.start_mark.line + first_line
    if isinstance(node, yaml.MappingNode):
        seen: set[Any] = set()
        for key_node, value_node in node.value:
            key = key_node.value
            if key in seen:
                raise YamlFileError(label, key_node.start_mark.line + first_line, f"key '{key}' appears twice")
            seen.add(key)
            _record_lines(value_node, path + (key,), lines, label, first_line)
            lines[path + (key,)] = key_node.start_mark.line + first_line
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _record_lines(item, path + (index,), lines, label, first_line)


def describe_yaml_error(error: yaml.MarkedYAMLError, first_line: int) -> tuple[int | None, str]:
    """Line and problem. libyaml often notices a missing bracket or quote only lines later, so
    the line where the unfinished construct began is named too."""
    mark = error.problem_mark or error.context_mark
    line = mark.line + first_line if mark else None
    problem = f"is not valid YAML: {error.problem or error.context}"
    context = error.context_mark
    if context is not None and error.context and line is not None and context.line + first_line != line:
        problem += f" ({error.context} that starts on line {context.line + first_line})"
    return line, problem
