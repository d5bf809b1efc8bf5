from __future__ import annotations

from pathlib import Path

import pytest

from clinicpress.spelling.offline import OfflineEngine

@pytest.fixture(scope="session")
def lexicon_cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # A private cache so the tests neither depend on nor write to the user's ~/.cache.
    return tmp_path_factory.mktemp("spelling-cache")


@pytest.fixture(scope="session")
def engine(lexicon_cache_dir: Path) -> OfflineEngine:
    return OfflineEngine(cache_dir=lexicon_cache_dir).load()
