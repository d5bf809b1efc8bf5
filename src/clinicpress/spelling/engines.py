"""Build a spelling engine by name, importing only what that engine needs.

``import clinicpress.spelling`` stays cheap: the offline dictionary is read on the engine's first
check and language-tool-python is imported only when the LanguageTool engine is built.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterable

from clinicpress.model import EngineInfo
from clinicpress.spelling import SpellingEngine

ENGINE_NAMES = ("offline", "languagetool")


def make_engine(
    name: str,
    *,
    extra_words: Iterable[str] = (),
    languagetool_url: str | None = None,
    language: str = "en-US",
    languagetool_local: bool = False,
    cache_dir: str | Path | None = None,
    spelling_only: bool = False,
) -> SpellingEngine:
    """``"offline"`` (the default engine) or ``"languagetool"`` (a server at ``languagetool_url``,
    or with ``languagetool_local`` an already installed local LanguageTool).

    Raises ``EngineUnavailable`` when the LanguageTool engine cannot run, ``ValueError`` for an
    unknown name.
    """
    if name == "offline":
        from clinicpress.spelling.offline import OfflineEngine

        from clinicpress.spelling.british import COMMONWEALTH

        return OfflineEngine(extra_words, cache_dir=cache_dir, accept_commonwealth=language in COMMONWEALTH)
    if name == "languagetool":
        from clinicpress.spelling.languagetool import LanguageToolEngine

        return LanguageToolEngine(
            languagetool_url,
            language,
            extra_words=extra_words,
            local=languagetool_local,
            spelling_only=spelling_only,
        )
    raise ValueError(f"unknown spelling engine {name!r}; choose one of: {', '.join(ENGINE_NAMES)}")


def engine_info(name: str, *, language: str = "en-US", languagetool_url: str | None = None) -> EngineInfo:
    """Which engine, and which version, without building it (a run whose results all come from
    the cache never builds one). LanguageTool's version is only known by asking the server, so
    such a run names its address instead."""
    if name == "offline":
        from clinicpress.spelling.british import COMMONWEALTH
        from clinicpress.spelling.lexicon import LexiconCache
        from clinicpress.spelling.offline import offline_engine_info

        return offline_engine_info(LexiconCache(None).fingerprint, language in COMMONWEALTH)
    return EngineInfo(role="spelling", name=name, version=f"results cached from {languagetool_url or 'local'}")


def engine_identity(name: str, *, language: str = "en-US", languagetool_url: str | None = None) -> str:
    """What an engine's results depend on, for the result cache's key (a LanguageTool server
    upgrade is not seen: run with --no-cache after one)."""
    info = engine_info(name, language=language, languagetool_url=languagetool_url)
    return f"{info.name}:{info.version}:{language}:{languagetool_url or ''}"
