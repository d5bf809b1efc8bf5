"""A rule is data: what to look for (its kind's options), how bad it is, and why it matters."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

from clinicpress.model import Category, RuleSummary, Severity


@dataclass(frozen=True)
class Examples:
    trigger: tuple[str, ...] = ()  # each must produce at least one finding of this rule
    passing: tuple[str, ...] = ()  # each must produce none


@dataclass(frozen=True)
class Rule:
    id: str
    check: str  # the kind of check that runs it: substitution, spelling, claims …
    category: Category
    severity: Severity
    message: str
    why: str
    link: str
    options: Mapping[str, Any]
    examples: Examples
    source: str  # file the rule came from
    line: int

    def summary(self) -> RuleSummary:
        return RuleSummary(self.id, self.category, self.severity, self.message, self.why, self.link)
