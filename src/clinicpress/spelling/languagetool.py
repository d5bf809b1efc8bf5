"""LanguageTool as a spelling (and grammar) engine, through language-tool-python.

Two ways to run it, both explicit:

* ``LanguageToolEngine(server_url="http://lt.internal:8081")``: a LanguageTool server the clinic
  hosts. Nothing is downloaded; the server must answer within ``connect_timeout`` seconds.
* ``LanguageToolEngine(local=True)``: a LanguageTool that language-tool-python installed in its
  cache (``LTP_PATH``, default ~/.cache/language_tool_python) or that ``LTP_JAR_DIR_PATH`` points
  at, started as a local Java server.

language-tool-python downloads LanguageTool (~250 MB) by itself whenever it starts a local server
and finds none installed. A linter must never do that behind the writer's back, so local mode
first checks that the install and Java are there and raises ``EngineUnavailable`` otherwise; the
only way to download is calling ``install_languagetool()`` on purpose
(``python -m clinicpress.spelling.languagetool --install``).

LanguageTool knows little clinical vocabulary, so its spelling alarms on words of our medical list
or the clinic's ``extra_words`` are dropped, with the offline engine's case rules.
"""

from __future__ import annotations

import os
import shutil
import urllib.parse
from pathlib import Path
from typing import Any, Iterable, Sequence

from clinicpress.model import EngineInfo, Span
from clinicpress.spelling import EngineUnavailable, Misspelling
from clinicpress.spelling.vocabulary import Vocabulary

ENGINE_NAME = "languagetool"
# LanguageTool's issueType for unknown words; everything else (grammar, typographical, style,
# duplication...) is reported as grammar.
SPELLING_ISSUE_TYPE = "misspelling"
MAX_SUGGESTIONS = 5


def _require_language_tool_python() -> Any:
    try:
        import language_tool_python
    except ImportError as error:
        raise EngineUnavailable(
            "LanguageTool engine needs language-tool-python: pip install language-tool-python"
        ) from error
    return language_tool_python


def api_base(server_url: str) -> str:
    """The ``.../v2/`` base URL language-tool-python will use for ``server_url``."""
    from language_tool_python.utils import parse_url

    return urllib.parse.urljoin(parse_url(server_url), "v2/")


def install_languagetool(version: str | None = None) -> Path:
    """Download LanguageTool into language-tool-python's cache (explicitly: ~250 MB, needs Java)."""
    ltp = _require_language_tool_python()
    from language_tool_python.download_lt import LTP_DOWNLOAD_VERSION, LocalLanguageTool

    local = LocalLanguageTool.from_version_name(version or LTP_DOWNLOAD_VERSION)
    local.download()
    return ltp.utils.get_language_tool_download_path()


def local_install_problem(version: str | None = None) -> str | None:
    """Why a local LanguageTool cannot start without downloading, or None when it can."""
    _require_language_tool_python()
    from language_tool_python.download_lt import LTP_DOWNLOAD_VERSION, LocalLanguageTool
    from language_tool_python.utils import JAR_NAMES, LTP_JAR_DIR_PATH_ENV_VAR, get_language_tool_download_path

    if shutil.which("java") is None:
        return "Java is not installed (LanguageTool needs Java 17 or newer)"
    jar_dir = os.environ.get(LTP_JAR_DIR_PATH_ENV_VAR)
    if jar_dir:
        if any((Path(jar_dir) / name).exists() for name in JAR_NAMES):
            return None
        return f"{LTP_JAR_DIR_PATH_ENV_VAR}={jar_dir} holds no LanguageTool jar"
    wanted = LocalLanguageTool.from_version_name(version or LTP_DOWNLOAD_VERSION)
    if wanted in LocalLanguageTool.get_installed_versions():
        return None
    return (
        f"LanguageTool {wanted.version_name} is not installed in {get_language_tool_download_path()}; "
        "run `python -m clinicpress.spelling.languagetool --install` or use a server URL"
    )


class LanguageToolEngine:
    """Spelling and grammar from LanguageTool, remote (``server_url``) or local (``local=True``)."""

    def __init__(
        self,
        server_url: str | None = None,
        language: str = "en-US",
        *,
        extra_words: Iterable[str] = (),
        local: bool = False,
        version: str | None = None,
        connect_timeout: float = 3.0,
        timeout: float = 60.0,
        disabled_rules: Iterable[str] = (),
        spelling_only: bool = False,
    ) -> None:
        ltp = _require_language_tool_python()
        self.server_url = server_url
        self.language = language
        self.spelling_only = spelling_only
        self._vocabulary = Vocabulary.medical(extra_words)
        if server_url:
            software_version = self._probe(server_url, language, connect_timeout)
            where = server_url
            make_tool = lambda: ltp.LanguageTool(language, remote_server=server_url)  # noqa: E731
        elif local:
            problem = local_install_problem(version)
            if problem:
                raise EngineUnavailable(f"local LanguageTool unavailable: {problem}")
            software_version = version or "local"
            where = "local LanguageTool"
            kwargs = {"language_tool_download_version": version} if version else {}
            make_tool = lambda: ltp.LanguageTool(language, **kwargs)  # noqa: E731
        else:
            raise EngineUnavailable(
                "LanguageTool engine needs a server URL (languagetool_url) "
                "or local=True with LanguageTool installed"
            )
        try:
            self._tool = make_tool()
        except EngineUnavailable:
            raise
        except Exception as error:  # language-tool-python raises several unrelated types here
            raise EngineUnavailable(f"LanguageTool at {where} could not start: {_one_line(error)}") from error
        # language-tool-python waits up to 300 s for an answer; a lint run should fail sooner.
        self._tool._TIMEOUT = timeout
        if disabled_rules:
            self._tool.disabled_rules = set(disabled_rules)
        self._where = where
        self.info = EngineInfo(role="spelling", name=ENGINE_NAME, version=software_version)

    @staticmethod
    def _probe(server_url: str, language: str, connect_timeout: float) -> str:
        """Ask the server for a trivial check so that a wrong or dead URL fails fast and clearly;
        returns the server's LanguageTool version."""
        import requests

        url = urllib.parse.urljoin(api_base(server_url), "check")
        try:
            response = requests.post(url, data={"language": language, "text": "ok"}, timeout=connect_timeout)
        except requests.Timeout as error:
            raise EngineUnavailable(
                f"LanguageTool server at {server_url} did not answer within {connect_timeout:g} s; "
                "start it or fix languagetool_url, or use the offline engine"
            ) from error
        except requests.RequestException as error:
            raise EngineUnavailable(
                f"LanguageTool server at {server_url} is unreachable ({_connection_failure(error)}); "
                "start it or fix languagetool_url, or use the offline engine"
            ) from error
        if response.status_code != 200:
            raise EngineUnavailable(
                f"LanguageTool server at {server_url} refused a check for {language!r} "
                f"(HTTP {response.status_code}: {_one_line(Exception(response.text))})"
            )
        try:
            answer = response.json()
        except ValueError as error:
            raise EngineUnavailable(
                f"{server_url} answered, but not like a LanguageTool server (no JSON); check languagetool_url"
            ) from error
        software = answer.get("software", {}) if isinstance(answer, dict) else {}
        return str(software.get("version", "unknown"))

    def check(self, text: str, skip: Sequence[Span] = ()) -> list[Misspelling]:
        try:
            matches = self._tool.check(text)
        except Exception as error:  # LanguageToolError, RateLimitError, requests errors
            raise EngineUnavailable(f"LanguageTool at {self._where} failed: {_one_line(error)}") from error
        found = []
        for match in matches:
            problem = self._to_misspelling(match, text)
            if problem is None or any(problem.span.overlaps(skipped) for skipped in skip):
                continue
            found.append(problem)
        return found

    def _to_misspelling(self, match: Any, text: str) -> Misspelling | None:
        start = max(0, min(len(text), match.offset))
        span = Span(start, max(start, min(len(text), start + match.error_length)))
        word = span.of(text)
        is_spelling = match.rule_issue_type == SPELLING_ISSUE_TYPE
        if is_spelling and word and not self._vocabulary.wrong_parts(word):
            return None  # a medical term or house word LanguageTool does not know
        if self.spelling_only and not is_spelling:
            return None
        return Misspelling(
            span=span,
            word=word,
            suggestions=tuple(match.replacements[:MAX_SUGGESTIONS]),
            message=match.message,
            category="spelling" if is_spelling else "grammar",
            engine_rule=match.rule_id,
        )

    def close(self) -> None:
        self._tool.close()


def _connection_failure(error: BaseException) -> str:
    """The root cause ("Connection refused", "Name or service not known") without urllib3's wrapping."""
    cause: BaseException | None = error
    while cause is not None and (cause.__cause__ or cause.__context__) is not None:
        cause = cause.__cause__ or cause.__context__
    reason = str(cause or error)
    if "] " in reason:
        reason = reason.split("] ", 1)[1]
    return _one_line(Exception(reason.split(": ")[-1] if ": " in reason else reason))


def _one_line(error: BaseException) -> str:
    text = " ".join(str(error).split()) or type(error).__name__
    return text if len(text) <= 200 else text[:197] + "..."


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description="Manage the local LanguageTool for clinicpress.")
    parser.add_argument("--install", action="store_true", help="download LanguageTool (~250 MB)")
    parser.add_argument("--version", default=None)
    args = parser.parse_args()
    if args.install:
        print(f"LanguageTool installed in {install_languagetool(args.version)}")
    else:
        print(local_install_problem(args.version) or "local LanguageTool is installed")
