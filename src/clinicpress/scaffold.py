"""``clinicpress init``: a new content repository that lints at once. Files that already exist
are left exactly as they are; the report says which were created and which were kept."""

from __future__ import annotations

import datetime
import shutil
from dataclasses import dataclass
from pathlib import Path
from string import Template

from clinicpress.atomic import write_text_atomic
from clinicpress.rulebook import default_rules_dir

TEMPLATES = Path(__file__).resolve().parent / "init_templates"


@dataclass(frozen=True)
class Planned:
    target: str  # relative to the new repository
    template: str | None  # a file in init_templates/, or None for the rule pack's own files
    source: Path | None = None


def plan() -> list[Planned]:
    files = [
        Planned("clinicpress.yaml", "clinicpress.yaml"),
        Planned(".pre-commit-config.yaml", "pre-commit-config.yaml"),
        Planned(".github/workflows/clinicpress.yml", "workflow.yml"),
        Planned("content/your-first-physiotherapy-visit.md", "example-article.md"),
        Planned(".gitignore", "gitignore"),
    ]
    rules = default_rules_dir()
    for path in sorted(p for p in rules.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        files.append(Planned(f"rules/{path.relative_to(rules).as_posix()}", None, path))
    return files


def scaffold(directory: Path, today: datetime.date, profile: str = "us-ftc") -> tuple[list[str], list[str]]:
    """Create the files; returns (created, kept because they already existed)."""
    created, kept = [], []
    values = {"today": today.isoformat(), "profile": profile}
    for item in plan():
        target = directory / item.target
        if target.exists():
            kept.append(item.target)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        if item.source is not None:
            shutil.copyfile(item.source, target)
        else:
            text = (TEMPLATES / item.template).read_text(encoding="utf-8")  # type: ignore[operator]
            write_text_atomic(target, Template(text).safe_substitute(values))
        created.append(item.target)
    return created, kept
