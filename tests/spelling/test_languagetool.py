"""The LanguageTool engine against LanguageTool's HTTP API (v2), served by a stdlib server here.

The recorded answers follow the documented /v2/check response: ``software``, ``language`` and
``matches[]`` with ``offset``/``length`` in UTF-16 code units (as the Java server counts),
``message``, ``replacements[].value``, ``context`` and ``rule.id``/``rule.issueType``/``rule.category``.
"""

from __future__ import annotations

import json
import os
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Iterator

import pytest

pytest.importorskip("language_tool_python")

from clinicpress.spelling import EngineUnavailable  # noqa: E402
from clinicpress.spelling.engines import make_engine  # noqa: E402
from clinicpress.spelling.languagetool import LanguageToolEngine  # noqa: E402

# The emoji is one character in Python but two UTF-16 units for LanguageTool: offsets after it
# in the recorded answer are one higher than Python's.
TEXT = "Pain \U0001f600 in the piriformis and tisuse. He have sciatica."

LANGUAGES = [
    {"name": "English", "code": "en", "longCode": "en"},
    {"name": "English (US)", "code": "en", "longCode": "en-US"},
    {"name": "English (GB)", "code": "en", "longCode": "en-GB"},
]


def _match(offset: int, length: int, message: str, replacements: list[str], rule_id: str, issue_type: str,
           category: str, context: str, context_offset: int) -> dict:
    return {
        "message": message,
        "shortMessage": "",
        "replacements": [{"value": value} for value in replacements],
        "offset": offset,
        "length": length,
        "context": {"text": context, "offset": context_offset, "length": length},
        "sentence": context,
        "type": {"typeName": "Other"},
        "rule": {
            "id": rule_id,
            "description": message,
            "issueType": issue_type,
            "category": {"id": category, "name": category.title()},
        },
        "ignoreForIncompleteSentence": False,
        "contextForSureMatch": 0,
    }


CHECK_RESPONSE = {
    "software": {"name": "LanguageTool", "version": "6.5", "buildDate": "2024-09-27 11:29:00 +0000",
                 "apiVersion": 1, "premium": False, "status": ""},
    "warnings": {"incompleteResults": False},
    "language": {
        "name": "English (US)",
        "code": "en-US",
        "detectedLanguage": {"name": "English (US)", "code": "en-US", "confidence": 0.99},
    },
    "matches": [
        _match(15, 10, "Possible spelling mistake found.", ["piriform"], "MORFOLOGIK_RULE_EN_US",
               "misspelling", "TYPOS", TEXT, 15),
        _match(30, 6, "Possible spelling mistake found.", ["tissue", "misuse", "disuse"], "MORFOLOGIK_RULE_EN_US",
               "misspelling", "TYPOS", TEXT, 30),
        _match(38, 7, "The pronoun 'He' is usually used with a third-person or a past tense verb.",
               ["He has", "He had"], "HE_VERB_AGR", "grammar", "GRAMMAR", TEXT, 38),
    ],
    "sentenceRanges": [[0, 37], [38, 55]],
}

PROBE_RESPONSE = {**CHECK_RESPONSE, "matches": []}


class FakeLanguageTool(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.checks: list[dict[str, list[str]]] = []
        self.broken = False

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class _Handler(BaseHTTPRequestHandler):
    server: FakeLanguageTool

    def log_message(self, format: str, *args: object) -> None:  # keep pytest output clean
        return

    def _answer(self, status: int, body: object, content_type: str = "application/json") -> None:
        payload = body if isinstance(body, bytes) else json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def do_GET(self) -> None:
        if self.path.split("?")[0] == "/v2/languages":
            self._answer(200, LANGUAGES)
        else:
            self._answer(404, b"not found", "text/plain")

    def do_POST(self) -> None:
        if self.path != "/v2/check":
            self._answer(404, b"not found", "text/plain")
            return
        length = int(self.headers.get("Content-Length", 0))
        form = urllib.parse.parse_qs(self.rfile.read(length).decode("utf-8"))
        if self.server.broken:
            self._answer(500, b"Internal error", "text/plain")
            return
        if form.get("language") != ["en-US"]:
            self._answer(400, b"Error: 'xx-XX' is not a language code known to LanguageTool.", "text/plain")
            return
        self.server.checks.append(form)
        self._answer(200, CHECK_RESPONSE if form.get("text") == [TEXT] else PROBE_RESPONSE)


@pytest.fixture
def server() -> Iterator[FakeLanguageTool]:
    fake = FakeLanguageTool()
    thread = threading.Thread(target=fake.serve_forever, daemon=True)
    thread.start()
    try:
        yield fake
    finally:
        fake.shutdown()
        fake.server_close()
        thread.join(timeout=5)


def closed_port_url() -> str:
    # Bind then release a port: nothing listens there afterwards, so connecting is refused at once.
    probe = ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler)
    port = probe.server_address[1]
    probe.server_close()
    return f"http://127.0.0.1:{port}"


def test_matches_become_misspellings_with_python_offsets(server: FakeLanguageTool) -> None:
    engine = LanguageToolEngine(server.url)
    problems = engine.check(TEXT)

    # "piriformis" is in the medical vocabulary, so LanguageTool's alarm on it is dropped.
    assert [p.word for p in problems] == ["tisuse", "He have"]
    typo, grammar = problems
    assert typo.span.of(TEXT) == "tisuse"
    assert typo.suggestions == ("tissue", "misuse", "disuse")
    assert typo.category == "spelling"
    assert typo.engine_rule == "MORFOLOGIK_RULE_EN_US"
    assert typo.message == "Possible spelling mistake found."
    assert grammar.span.of(TEXT) == "He have"
    assert grammar.category == "grammar"
    assert grammar.engine_rule == "HE_VERB_AGR"
    assert grammar.suggestions[0] == "He has"

    assert engine.info.name == "languagetool"
    assert engine.info.role == "spelling"
    assert engine.info.version == "6.5"
    assert server.checks[-1]["language"] == ["en-US"]
    assert server.checks[-1]["text"] == [TEXT]


def test_skip_spans_and_spelling_only(server: FakeLanguageTool) -> None:
    from clinicpress.model import Span

    engine = LanguageToolEngine(server.url, spelling_only=True)
    assert [p.word for p in engine.check(TEXT)] == ["tisuse"]
    start = TEXT.index("tisuse")
    assert engine.check(TEXT, skip=[Span(start, start + 6)]) == []


def test_extra_words_silence_languagetool_on_house_words(server: FakeLanguageTool) -> None:
    engine = LanguageToolEngine(server.url, extra_words=["tisuse"])
    assert [p.word for p in engine.check(TEXT)] == ["He have"]


def test_factory_builds_the_languagetool_engine(server: FakeLanguageTool) -> None:
    engine = make_engine("languagetool", extra_words=(), languagetool_url=server.url)
    assert isinstance(engine, LanguageToolEngine)
    assert engine.check("Nothing to see.") == []


def test_unreachable_server_fails_fast_with_a_clear_message() -> None:
    url = closed_port_url()
    start = time.perf_counter()
    with pytest.raises(EngineUnavailable) as caught:
        LanguageToolEngine(url)
    assert time.perf_counter() - start < 3
    message = str(caught.value)
    assert url in message and "unreachable" in message and "\n" not in message


def test_server_that_refuses_the_language(server: FakeLanguageTool) -> None:
    with pytest.raises(EngineUnavailable, match="HTTP 400"):
        LanguageToolEngine(server.url, language="xx-XX")


def test_server_failing_during_a_check_raises_engine_unavailable(server: FakeLanguageTool) -> None:
    engine = LanguageToolEngine(server.url)
    server.broken = True
    with pytest.raises(EngineUnavailable, match=server.url.split("//")[1]):
        engine.check(TEXT)


def test_no_url_and_no_local_install_is_unavailable() -> None:
    with pytest.raises(EngineUnavailable, match="server URL"):
        make_engine("languagetool")


def test_local_mode_never_downloads(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from language_tool_python.download_lt import LocalLanguageTool

    def no_download(*args: object, **kwargs: object) -> None:
        raise AssertionError("LanguageTool download attempted")

    monkeypatch.setenv("LTP_PATH", str(tmp_path))
    monkeypatch.delenv("LTP_JAR_DIR_PATH", raising=False)
    monkeypatch.setattr(LocalLanguageTool, "download", no_download)
    for subclass in LocalLanguageTool.__subclasses__():
        monkeypatch.setattr(subclass, "download", no_download)
    with pytest.raises(EngineUnavailable, match="local LanguageTool unavailable"):
        LanguageToolEngine(local=True)


def test_unknown_engine_name() -> None:
    with pytest.raises(ValueError, match="offline"):
        make_engine("hunspell")


@pytest.mark.skipif(
    not os.environ.get("CLINICPRESS_LANGUAGETOOL_URL"),
    reason="set CLINICPRESS_LANGUAGETOOL_URL to a LanguageTool server to run",
)
def test_real_languagetool_server() -> None:
    engine = LanguageToolEngine(os.environ["CLINICPRESS_LANGUAGETOOL_URL"])
    text = "The tisuse around the piriformis was sore after ibuprofen."
    problems = engine.check(text)
    spelling = [p for p in problems if p.category == "spelling"]
    assert [p.word for p in spelling] == ["tisuse"]
    assert spelling[0].span.of(text) == "tisuse"
    assert "tissue" in spelling[0].suggestions
    assert engine.info.version
