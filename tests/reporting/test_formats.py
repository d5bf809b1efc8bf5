"""SARIF, GitHub workflow commands and JUnit XML: each checked against the schema or the parser
its consumers use, on a hand-built report full of awkward text and on a real run over content/.

Golden files: CLINICPRESS_UPDATE_GOLDEN=1 pytest tests/reporting rewrites tests/reporting/golden/
from the current formatters; review the diff before committing it."""

from __future__ import annotations

import json
import os
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import unquote

import jsonschema
import pytest
import xmlschema
from hypothesis import given
from hypothesis import strategies as st

from clinicpress.lint import lint_paths
from clinicpress.model import (
    Category,
    EngineInfo,
    FileResult,
    Finding,
    LineIndex,
    Position,
    Report,
    RuleSummary,
    Severity,
    Span,
)
from clinicpress.reporting import github, junit, sarif
from clinicpress.settings import Settings

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
GOLDEN = HERE / "golden"
SARIF_SCHEMA = json.loads((HERE / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
JUNIT_SCHEMA = xmlschema.XMLSchema(str(HERE / "junit-10.xsd"))

ARTICLE = """\
---
title: Sleep & recovery
---
# Sleep & recovery

A clinical trail showed modest benefits for alot of patients.

Our tea cures 100% of cases.

<script>alert("hi")</script>
"""
AWKWARD_MESSAGE = "'cures 100% of cases': an absolute claim, needs a citation:\r\nadd one — or soften it (é, 日本)"
UNREADABLE_MESSAGE = "content/broken.md is not valid UTF-8 (byte 0xff on line 2): save the file as UTF-8"
RUN_ERROR = "content/drafts: no articles found (looked for .md, .markdown, .txt files)"


def finding_in(
    text: str, needle: str, rule: str, category: Category, severity: Severity, message: str, **extra
) -> Finding:
    start = text.index(needle)
    span = Span(start, start + len(needle))
    return Finding(
        rule=rule,
        category=category,
        severity=severity,
        path="content/sleep.md",
        span=span,
        position=LineIndex(text).position(span),
        excerpt=span.of(text),
        message=message,
        **extra,
    )


def rule(id: str, category: Category, severity: Severity, message: str) -> RuleSummary:
    why, link = f"Why {id} matters to a patient.", f"https://example.org/rules/{id}"
    return RuleSummary(id, category, severity, message, why, link)


TRAIL = finding_in(
    ARTICLE, "clinical trail", "confusion/clinical-trail", Category.GRAMMAR, Severity.ERROR,
    "'clinical trail' should be 'clinical trial'", suggestions=("clinical trial",),
)
CURE = finding_in(
    ARTICLE, "cures 100% of cases", "claims/absolute-cure", Category.CLAIM, Severity.WARNING, AWKWARD_MESSAGE
)
SCRIPT = finding_in(
    ARTICLE, '<script>alert("hi")</script>', "style/raw-html", Category.STYLE, Severity.INFO,
    "Raw HTML (<script>) is stripped on publish & won't run",
)
ALOT = finding_in(
    ARTICLE, "alot", "typo/run-together", Category.SPELLING, Severity.ERROR, "'alot' is two words: 'a lot'",
    suggestions=("a lot",),
).suppressed_because("quoting a patient's e-mail, kept verbatim")
# As the pipeline builds it: the text could not be decoded, so there is only a line to point at.
UNREADABLE = Finding(
    rule="input/encoding",
    category=Category.INPUT,
    severity=Severity.ERROR,
    path="content/broken.md",
    span=Span(0, 0),
    position=Position(2, 1, 2, 1),
    excerpt="",
    message=UNREADABLE_MESSAGE,
)
RULES = (
    rule("confusion/clinical-trail", Category.GRAMMAR, Severity.ERROR, "'{match}' should be '{replacement}'"),
    rule("claims/absolute-cure", Category.CLAIM, Severity.WARNING, "An absolute cure claim"),
    rule("style/raw-html", Category.STYLE, Severity.INFO, "Raw HTML in an article"),
    rule("typo/run-together", Category.SPELLING, Severity.ERROR, "'{match}' is two words"),
    rule("input/encoding", Category.INPUT, Severity.ERROR, "The file is not UTF-8"),
)


def hand_built(errors: tuple[str, ...] = (RUN_ERROR,)) -> Report:
    return Report(
        files=(
            FileResult("content/sleep.md", (TRAIL, CURE, SCRIPT), (ALOT,)),
            FileResult("content/broken.md", (UNREADABLE,)),
            FileResult("content/clean article.md", ()),
        ),
        tool_version="0.1.0",
        engines=(EngineInfo("spelling", "offline", "2024.06"),),
        rule_pack_hash="9f2c" * 16,
        rules=RULES,
        errors=errors,
    )


@pytest.fixture(scope="module")
def real_report() -> Report:
    report = lint_paths([REPO / "content"], Settings(base_dir=REPO, rules="rules"))
    assert report.findings, "the sample content has planted problems; a run without findings tests nothing"
    return report


# --- golden files ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "formatter"), [("sarif.json", sarif.render), ("github.txt", github.render), ("junit.xml", junit.render)]
)
def test_output_matches_golden_file(name, formatter, monkeypatch):
    # The golden SARIF must not depend on which project URLs the installed metadata happens to carry.
    monkeypatch.setattr(sarif, "INFORMATION_URI", None)
    actual = formatter(hand_built())
    golden = GOLDEN / name
    if os.environ.get("CLINICPRESS_UPDATE_GOLDEN") == "1":
        golden.write_bytes(actual.encode("utf-8"))
    # Bytes, not text mode: a \r that newline translation swallowed would hide a real difference.
    assert golden.read_bytes().decode("utf-8") == actual


# --- SARIF ----------------------------------------------------------------------------------------


def validate_sarif(log: dict) -> None:
    """Against the schema with the validator it declares (draft-04), and with Draft 7 as well:
    draft-04 has no "uri-reference" format, so only Draft 7 catches an unencoded space in
    artifactLocation.uri. Formats are enforced, not just annotations."""
    declared = jsonschema.validators.validator_for(SARIF_SCHEMA)
    for validator in (declared, jsonschema.Draft7Validator):
        validator(SARIF_SCHEMA, format_checker=validator.FORMAT_CHECKER).validate(log)


def test_the_vendored_schema_is_the_oasis_errata01_one():
    assert SARIF_SCHEMA["id"] == sarif.SCHEMA_URI
    assert jsonschema.validators.validator_for(SARIF_SCHEMA) is jsonschema.Draft4Validator


def test_uri_formats_are_really_checked():
    # Without rfc3986-validator installed jsonschema skips the URI formats and passes anything.
    assert not jsonschema.Draft7Validator.FORMAT_CHECKER.conforms("content/clean article.md", "uri-reference")
    assert not jsonschema.Draft4Validator.FORMAT_CHECKER.conforms("content/x.md", "uri")


def test_sarif_of_hand_built_report_is_schema_valid():
    validate_sarif(json.loads(sarif.render(hand_built())))


def test_sarif_of_real_run_is_schema_valid(real_report):
    log = json.loads(sarif.render(real_report))
    validate_sarif(log)
    run = log["runs"][0]
    assert len(run["results"]) == len(real_report.findings) + real_report.suppressed_count
    assert run["invocations"][0]["executionSuccessful"] is (real_report.exit_code(Severity.ERROR) != 2)


def test_sarif_run_describes_tool_engines_and_rule_pack():
    run = json.loads(sarif.render(hand_built()))["runs"][0]
    driver = run["tool"]["driver"]
    assert (driver["name"], driver["version"]) == ("clinicpress", "0.1.0")
    assert [d["id"] for d in driver["rules"]] == [r.id for r in RULES]
    trail = driver["rules"][0]
    assert trail == {
        "id": "confusion/clinical-trail",
        "name": "ConfusionClinicalTrail",
        "shortDescription": {"text": "'{match}' should be '{replacement}'"},
        "fullDescription": {"text": "Why confusion/clinical-trail matters to a patient."},
        "help": {"text": "Why confusion/clinical-trail matters to a patient."},
        "helpUri": "https://example.org/rules/confusion/clinical-trail",
        "defaultConfiguration": {"level": "error"},
        "properties": {"category": "grammar", "tags": ["grammar"]},
    }
    assert [d["defaultConfiguration"]["level"] for d in driver["rules"][:3]] == ["error", "warning", "note"]
    assert run["columnKind"] == "unicodeCodePoints"
    assert run["properties"] == {
        "engines": {"spelling": {"name": "offline", "version": "2024.06"}},
        "rulePack": {"sha256": "9f2c" * 16},
    }


def test_sarif_names_information_uri_when_the_project_declares_one(monkeypatch):
    monkeypatch.setattr(sarif, "INFORMATION_URI", "https://clinic.example/clinicpress")
    log = json.loads(sarif.render(hand_built()))
    assert log["runs"][0]["tool"]["driver"]["informationUri"] == "https://clinic.example/clinicpress"
    validate_sarif(log)


def test_sarif_result_points_at_the_excerpt():
    results = json.loads(sarif.render(hand_built()))["runs"][0]["results"]
    trail = next(r for r in results if r["ruleId"] == "confusion/clinical-trail")
    assert trail["ruleIndex"] == 0 and trail["level"] == "error"
    location = trail["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {"uri": "content/sleep.md", "uriBaseId": "%SRCROOT%"}
    assert location["region"] == {
        "startLine": 6, "startColumn": 3, "endLine": 6, "endColumn": 17, "snippet": {"text": "clinical trail"}
    }
    fix = trail["fixes"][0]
    assert fix["artifactChanges"][0]["replacements"] == [
        {
            "deletedRegion": {"startLine": 6, "startColumn": 3, "endLine": 6, "endColumn": 17},
            "insertedContent": {"text": "clinical trial"},
        }
    ]
    assert trail["properties"]["suggestions"] == ["clinical trial"]


def test_sarif_keeps_awkward_text_and_html_verbatim():
    results = json.loads(sarif.render(hand_built()))["runs"][0]["results"]
    by_rule = {r["ruleId"]: r for r in results}
    assert by_rule["claims/absolute-cure"]["message"]["text"] == AWKWARD_MESSAGE
    assert by_rule["claims/absolute-cure"]["level"] == "warning"
    snippet = by_rule["style/raw-html"]["locations"][0]["physicalLocation"]["region"]["snippet"]["text"]
    assert snippet == '<script>alert("hi")</script>'
    assert by_rule["style/raw-html"]["level"] == "note"


def test_sarif_suppressed_finding_is_an_in_source_suppression():
    results = json.loads(sarif.render(hand_built()))["runs"][0]["results"]
    (suppressed,) = [r for r in results if "suppressions" in r]
    assert suppressed["ruleId"] == "typo/run-together"
    assert suppressed["suppressions"] == [
        {"kind": "inSource", "justification": "quoting a patient's e-mail, kept verbatim"}
    ]


def test_sarif_results_follow_the_text_order_within_a_file():
    results = json.loads(sarif.render(hand_built()))["runs"][0]["results"]
    sleep = [
        r["ruleId"]
        for r in results
        if r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "content/sleep.md"
    ]
    assert sleep == ["confusion/clinical-trail", "typo/run-together", "claims/absolute-cure", "style/raw-html"]


def test_sarif_empty_span_is_a_point():
    results = json.loads(sarif.render(hand_built()))["runs"][0]["results"]
    (unreadable,) = [r for r in results if r["ruleId"] == "input/encoding"]
    assert unreadable["locations"][0]["physicalLocation"]["region"] == {"startLine": 2, "startColumn": 1}


def test_sarif_input_problems_mark_the_run_unsuccessful():
    invocation = json.loads(sarif.render(hand_built()))["runs"][0]["invocations"][0]
    assert invocation["executionSuccessful"] is False
    assert invocation["toolExecutionNotifications"] == [{"level": "error", "message": {"text": RUN_ERROR}}]
    clean = Report(files=(FileResult("content/sleep.md", (TRAIL,)),), tool_version="0.1.0", rules=RULES)
    assert json.loads(sarif.render(clean))["runs"][0]["invocations"][0] == {
        "executionSuccessful": True,
        "toolExecutionNotifications": [],
    }


def test_sarif_unreadable_file_alone_marks_the_run_unsuccessful():
    report = Report(files=(FileResult("content/broken.md", (UNREADABLE,)),), tool_version="0.1.0", rules=RULES)
    assert json.loads(sarif.render(report))["runs"][0]["invocations"][0]["executionSuccessful"] is False


def test_sarif_describes_rules_the_report_left_out():
    report = Report(files=(FileResult("content/sleep.md", (TRAIL, SCRIPT)),), tool_version="0.1.0", rules=RULES[:1])
    log = json.loads(sarif.render(report))
    validate_sarif(log)
    run = log["runs"][0]
    assert [d["id"] for d in run["tool"]["driver"]["rules"]] == ["confusion/clinical-trail", "style/raw-html"]
    assert [r["ruleIndex"] for r in run["results"]] == [0, 1]


@pytest.mark.parametrize(
    ("path", "location"),
    [
        ("content/clean article.md", {"uri": "content/clean%20article.md", "uriBaseId": "%SRCROOT%"}),
        ("content/café#1.md", {"uri": "content/caf%C3%A9%231.md", "uriBaseId": "%SRCROOT%"}),
        ("notes:draft.md", {"uri": "notes%3Adraft.md", "uriBaseId": "%SRCROOT%"}),
        ("/srv/articles/sleep.md", {"uri": "file:///srv/articles/sleep.md"}),
        ("C:\\articles\\sleep.md", {"uri": "file:///C:/articles/sleep.md"}),
    ],
)
def test_sarif_artifact_location(path, location):
    assert sarif.artifact_location(path) == location


def test_sarif_regions_of_real_run_select_the_snippet_by_code_points(real_report):
    """columnKind says unicodeCodePoints: slicing the file's lines by code point at each region
    must give back the snippet."""
    run = json.loads(sarif.render(real_report))["runs"][0]
    for result in run["results"]:
        location = result["locations"][0]["physicalLocation"]
        region = location["region"]
        if "snippet" not in region:
            continue
        uri = unquote(location["artifactLocation"]["uri"])
        path = (Path.cwd() / uri) if "uriBaseId" in location["artifactLocation"] else Path(uri.removeprefix("file://"))
        # Decoded and with line endings normalised as clinicpress reads articles.
        text = path.read_bytes().decode("utf-8-sig")
        lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        selected = "\n".join(lines[region["startLine"] - 1 : region["endLine"]])
        start = region["startColumn"] - 1
        end = len(selected) - len(lines[region["endLine"] - 1]) + region["endColumn"] - 1
        assert selected[start:end] == region["snippet"]["text"]


# --- GitHub workflow commands ---------------------------------------------------------------------


def unescape_property(value: str) -> str:
    """What the runner does (actions/runner ActionCommand.cs): %25 last, so '%253A' stays '%3A'."""
    for escaped, raw in (("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ","), ("%25", "%")):
        value = value.replace(escaped, raw)
    return value


def unescape_data(value: str) -> str:
    for escaped, raw in (("%0D", "\r"), ("%0A", "\n"), ("%25", "%")):
        value = value.replace(escaped, raw)
    return value


COMMAND = re.compile(r"^::(?P<command>[a-z]+)(?: (?P<properties>[^:]*))?::(?P<message>.*)$")


def parse_command(line: str) -> tuple[str, dict[str, str], str]:
    match = COMMAND.match(line)
    assert match, line
    properties = dict(pair.split("=", 1) for pair in (match["properties"] or "").split(",") if pair)
    return (
        match["command"],
        {key: unescape_property(value) for key, value in properties.items()},
        unescape_data(match["message"]),
    )


def test_github_line_for_awkward_message_is_exact():
    assert github.annotation(CURE) == (
        "::warning file=content/sleep.md,line=8,col=9,endLine=8,endColumn=28,title=claims/absolute-cure::"
        "'cures 100%25 of cases': an absolute claim, needs a citation:%0D%0Aadd one — or soften it (é, 日本)"
    )


def test_github_properties_escape_separators():
    finding = Finding(
        rule="claims/a,b:c",
        category=Category.CLAIM,
        severity=Severity.INFO,
        path="content/50%, off: sale.md",
        span=TRAIL.span,
        position=TRAIL.position,
        excerpt=TRAIL.excerpt,
        message="m",
    )
    assert github.annotation(finding) == (
        "::notice file=content/50%25%2C off%3A sale.md,line=6,col=3,endLine=6,endColumn=17,title=claims/a%2Cb%3Ac::m"
    )


def test_github_output_round_trips_through_the_runners_parser():
    lines = github.render(hand_built()).splitlines()
    *commands, summary_line = lines
    assert not summary_line.startswith("::")
    parsed = [parse_command(line) for line in commands]
    expected = [TRAIL, CURE, SCRIPT, UNREADABLE]
    assert [command for command, _, _ in parsed] == ["error", "warning", "notice", "error", "error"]
    for (_, properties, message), finding in zip(parsed, expected):
        assert message == finding.message
        assert properties == {
            "file": finding.path,
            "line": str(finding.position.line),
            "col": str(finding.position.column),
            "endLine": str(finding.position.end_line),
            "endColumn": str(finding.position.end_column),
            "title": finding.rule,
        }
    assert parsed[-1] == ("error", {"title": "clinicpress"}, RUN_ERROR)


def test_github_leaves_out_suppressed_findings():
    assert "typo/run-together" not in github.render(hand_built())


def test_github_output_of_real_run(real_report):
    *commands, summary_line = github.render(real_report).splitlines()
    assert len(commands) == len(real_report.findings)
    assert all(parse_command(line)[0] in {"error", "warning", "notice"} for line in commands)
    assert summary_line.startswith(f"{len(real_report.files)} files checked")


@given(st.text())
def test_github_escaping_round_trips_and_hides_separators(value):
    prop = github.escape_property(value)
    data = github.escape_data(value)
    assert unescape_property(prop) == value and unescape_data(data) == value
    assert not set(prop) & set(":,\r\n") and not set(data) & set("\r\n")


# --- JUnit XML ------------------------------------------------------------------------------------


def junit_tree(text: str) -> ET.Element:
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n')
    JUNIT_SCHEMA.validate(text)
    return ET.fromstring(text.encode("utf-8"))


def test_junit_of_hand_built_report():
    text = junit.render(hand_built())
    root = junit_tree(text)
    assert root.tag == "testsuites"
    assert (root.get("tests"), root.get("failures"), root.get("errors")) == ("7", "3", "2")
    suites = {suite.get("name"): suite for suite in root.findall("testsuite")}
    assert list(suites) == ["content/sleep.md", "content/broken.md", "content/clean article.md", "clinicpress"]

    sleep = suites["content/sleep.md"]
    assert {k: sleep.get(k) for k in ("tests", "failures", "errors", "skipped")} == {
        "tests": "4", "failures": "3", "errors": "0", "skipped": "1"
    }
    cases = {case.get("name"): case for case in sleep.findall("testcase")}
    assert all(case.get("classname") == "content/sleep.md" for case in cases.values())
    cure = cases["claims/absolute-cure at 8:9"].find("failure")
    assert (cure.get("type"), cure.get("message")) == ("warning", AWKWARD_MESSAGE)
    assert cure.text.splitlines()[0] == "content/sleep.md:8:9: cures 100% of cases"
    script = cases["style/raw-html at 10:1"].find("failure")
    assert script.get("type") == "info"
    assert script.text.startswith('content/sleep.md:10:1: <script>alert("hi")</script>')
    assert "suggestion: clinical trial" in cases["confusion/clinical-trail at 6:3"].find("failure").text
    skipped = cases["typo/run-together at 6:45"].find("skipped")
    assert skipped.get("message") == "suppressed: quoting a patient's e-mail, kept verbatim"

    broken = suites["content/broken.md"]
    (case,) = broken.findall("testcase")
    assert case.find("failure") is None and case.find("error").get("message") == UNREADABLE_MESSAGE
    assert (broken.get("errors"), broken.get("failures")) == ("1", "0")

    (clean_case,) = suites["content/clean article.md"].findall("testcase")
    assert list(clean_case) == [] and suites["content/clean article.md"].get("tests") == "1"

    (run_error,) = suites["clinicpress"].findall("testcase")
    assert run_error.find("error").get("message") == RUN_ERROR


def test_junit_escapes_markup_from_the_article():
    text = junit.render(hand_built())
    assert "<script>" not in text and "&lt;script&gt;" in text


def test_junit_survives_characters_xml_cannot_carry():
    text = "Bell\x07 and form feed\x0c here\n"
    finding = Finding(
        rule="style/control-character",
        category=Category.STYLE,
        severity=Severity.WARNING,
        path="content/odd.md",
        span=Span(0, 5),
        position=LineIndex(text).position(Span(0, 5)),
        excerpt=text[0:5],
        message="Control character \x07 in text",
    )
    root = junit_tree(junit.render(Report(files=(FileResult("content/odd.md", (finding,)),), tool_version="0.1.0")))
    failure = root.find("testsuite/testcase/failure")
    assert failure.get("message") == "Control character \\u0007 in text"
    assert "Bell\\u0007" in failure.text


def test_junit_of_real_run(real_report):
    root = junit_tree(junit.render(real_report))
    suites = root.findall("testsuite")
    assert [suite.get("name") for suite in suites] == [result.path for result in real_report.files]
    assert int(root.get("failures")) + int(root.get("errors")) == len(real_report.findings)
    for suite, result in zip(suites, real_report.files):
        passing = 0 if result.findings else 1
        assert len(suite.findall("testcase")) == len(result.findings) + len(result.suppressed) + passing
