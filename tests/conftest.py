from __future__ import annotations

from pathlib import Path

import pytest

from clinicpress.lint import Linter
from clinicpress.settings import Settings

REPO = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="session")
def repo() -> Path:
    return REPO


@pytest.fixture(scope="session")
def linter() -> Linter:
    """The shipped rule pack, prepared once for the whole session."""
    return Linter.create(Settings(base_dir=REPO, rules="rules"))


@pytest.fixture(scope="session")
def wording_linter() -> Linter:
    """Only the wording rules (confusions, typos) and the pipeline's own: for tests about the
    mechanics (suppressions, positions) on snippets that are not whole articles."""
    return Linter.create(
        Settings(base_dir=REPO, rules="rules", disable=("metadata/*", "claim/*", "citation/*", "disclaimer/*"))
    )
