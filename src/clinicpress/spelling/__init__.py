"""Spelling engines behind one small protocol.

The spelling *check* (checks/spelling.py) decides what text is prose and worth checking; an engine
only answers "which words in this text are wrong, and what should they be". Engines are built
lazily (``make_engine``) so that nothing heavy loads unless a spelling rule actually runs.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, Sequence

from clinicpress.model import EngineInfo, Span


@dataclass(frozen=True)
class Misspelling:
    """One problem an engine found, with offsets into the text it was given."""

    span: Span
    word: str
    suggestions: tuple[str, ...]  # ranked, best first; may be empty
    message: str = ""
    # "spelling" for unknown words; engines that also check grammar (LanguageTool) say "grammar".
    category: str = "spelling"
    # The engine's own rule id (LanguageTool's "MORFOLOGIK_RULE_EN_US", say); "" for the offline one.
    engine_rule: str = ""


class SpellingEngine(Protocol):
    info: EngineInfo

    def check(self, text: str, skip: Sequence[Span] = ()) -> list[Misspelling]:
        """Problems in ``text``; nothing inside a ``skip`` span is reported."""
        ...


class EngineUnavailable(Exception):
    """A configured engine cannot run (server down, not installed). The run must fail closed."""
