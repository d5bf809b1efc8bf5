"""The command line as users meet it: exit codes, output formats, and every kind of bad input
giving one clear line (never a traceback)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from clinicpress.cli import main

REPO = Path(__file__).resolve().parents[1]
SCHEMA = json.loads((REPO / "src/clinicpress/reporting/schemas/lint-v1.schema.json").read_text())
TEXT_LINE = re.compile(r"^[^:\n]+:\d+:\d+: (error|warning|info) [a-z0-9/-]+ .+$")
CLEAN = "---\ntitle: Opening hours\n---\n\nThe clinic opens at nine on weekdays.\n"
SLIP = "---\ntitle: Rest\n---\n\nA clinical trail found that rest helps alot.\n"


@pytest.fixture
def run(tmp_path, monkeypatch):
    """Run the CLI in a project directory of its own that uses the repo's rule pack."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".git").mkdir()
    (tmp_path / "clinicpress.yaml").write_text(f"rules: {REPO / 'rules'}\ndisable: ['metadata/*', 'disclaimer/*']\n")

    def invoke(*args: str, env: dict | None = None):
        return CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)

    return invoke


def article(directory: Path, name: str, text: str | bytes) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode())
    return path


def test_clean_article_exits_0(run, tmp_path):
    article(tmp_path / "content", "ok.md", CLEAN)
    result = run("lint")
    assert result.exit_code == 0, result.output
    assert result.output.strip().startswith("1 file checked: 0 errors, 0 warnings, 0 info (spelling: clinicpress-offline ")


def test_findings_exit_1_with_one_line_each(run, tmp_path):
    article(tmp_path / "content", "slip.md", SLIP)
    result = run("lint", "content")
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert lines[0] == (
        "content/slip.md:5:3: error confusion/clinical-trail 'clinical trail' should be 'clinical trial' "
        "(suggestion: clinical trial)"
    )
    assert all(TEXT_LINE.match(line) for line in lines[:-1])
    assert lines[-1].startswith("1 file checked: 2 errors, 0 warnings, 0 info (spelling: clinicpress-offline ")


def test_json_follows_the_v1_contract(run, tmp_path):
    article(tmp_path / "content", "slip.md", SLIP)
    article(tmp_path / "content", "ok.md", CLEAN)
    result = run("lint", "--format", "json")
    assert result.exit_code == 1
    data = json.loads(result.output)
    jsonschema.validate(data, SCHEMA)
    assert data["summary"] == {"files": 2, "errors": 2, "warnings": 0, "infos": 0, "suppressed": 0}
    finding = data["files"][1]["findings"][0]
    assert finding == {
        "rule": "confusion/clinical-trail",
        "category": "grammar",
        "severity": "error",
        "line": 5,
        "column": 3,
        "end_line": 5,
        "end_column": 17,
        "excerpt": "clinical trail",
        "message": "'clinical trail' should be 'clinical trial'",
        "suggestions": ["clinical trial"],
    }


def test_output_file_is_written_and_stdout_stays_empty(run, tmp_path):
    article(tmp_path / "content", "slip.md", SLIP)
    result = run("lint", "--format", "json", "--output", "out/report.json")
    assert result.exit_code == 2  # the directory does not exist: a clear error
    assert "cannot write the report" in result.output
    (tmp_path / "out").mkdir()
    result = run("lint", "--format", "json", "--output", "out/report.json")
    assert result.exit_code == 1
    assert json.loads((tmp_path / "out/report.json").read_text())["version"] == 1
    assert not list((tmp_path / "out").glob(".*tmp"))


def test_fail_on_warning(run, tmp_path):
    article(tmp_path / "content", "a.md", '<!-- clinicpress-disable-next-line typo/run-together reason="x" -->\nFine.\n')
    assert run("lint").exit_code == 0
    assert run("lint", "--fail-on", "warning").exit_code == 1


def test_colour_only_when_asked_or_on_a_terminal(run, tmp_path):
    article(tmp_path / "content", "slip.md", SLIP)
    assert "\033[" not in run("lint").output
    assert "\033[31m" in run("lint", "--color", "always").output


def test_no_color_is_respected_on_a_terminal(tmp_path):
    """A real pseudo-terminal: colour by default, none with NO_COLOR."""
    article(tmp_path, "slip.md", SLIP)
    script = "import pty, sys; pty.spawn([sys.executable, '-m', 'clinicpress', 'lint', 'slip.md'])"
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    coloured = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, capture_output=True, env=env)
    plain = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, capture_output=True, env=env | {"NO_COLOR": "1"})
    assert b"\033[31m" in coloured.stdout
    assert b"\033[" not in plain.stdout and b"clinical trail" in plain.stdout


# -- bad input: one finding of category input, the other files still linted, exit 2 ----------

BAD_FILES = {
    "broken-yaml.md": ("---\ntitle: Sciatica: a guide\nslug: x\n---\nBody.\n", "input/front-matter", 2,
                       "front matter is not valid YAML on line 2"),
    "unclosed.md": ("---\ntitle: x\nBody without a closing line.\n", "input/front-matter", 1, "never closed"),
    "latin1.md": ("Caf\u00e9 hours.\nSecond line \u00e9.\n".encode("latin-1"), "input/encoding", 1, "is not valid UTF-8 (byte 0xe9 on line 1): save the file as UTF-8"),
    "picture.md": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "input/binary", 1, "is a binary file"),
    "list.md": ("---\n- a\n- b\n---\nBody.\n", "input/front-matter", 2, "must be YAML key: value pairs"),
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_bad_file_is_an_input_finding_and_others_are_still_linted(run, tmp_path, name):
    text, rule, line, words = BAD_FILES[name]
    article(tmp_path / "content", name, text)
    article(tmp_path / "content", "slip.md", SLIP)
    result = run("lint", "--format", "json")
    assert result.exit_code == 2
    data = json.loads(result.output)
    jsonschema.validate(data, SCHEMA)
    by_path = {f["path"]: f["findings"] for f in data["files"]}
    [problem] = by_path[f"content/{name}"]
    assert (problem["rule"], problem["category"], problem["line"]) == (rule, "input", line)
    assert words in problem["message"] and problem["message"].startswith(f"content/{name} ")
    assert [f["rule"] for f in by_path["content/slip.md"]] == ["confusion/clinical-trail", "typo/run-together"]


def test_broken_link_is_unreadable(run, tmp_path):
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "gone.md").symlink_to(tmp_path / "nowhere.md")
    result = run("lint")
    assert result.exit_code == 2
    assert "content/gone.md:1:1: error input/unreadable content/gone.md cannot be read: it does not exist" in result.output


def test_fifo_is_refused_not_read(run, tmp_path):
    (tmp_path / "content").mkdir()
    os.mkfifo(tmp_path / "content" / "pipe.md")
    result = run("lint")
    assert result.exit_code == 2 and "is not a regular file" in result.output


@pytest.mark.parametrize(
    "args, setup, words",
    [
        (("lint", "missing/"), None, "clinicpress: missing: no such file or directory (check the path)"),
        (("lint", "empty"), "empty", "clinicpress: empty: no articles found (looked for .md, .markdown, .txt files)"),
        (("lint", "--config", "nope.yaml"), None, "clinicpress: nope.yaml: config file not found (check the --config path)"),
        (("explain", "no/such-rule"), None, "clinicpress: no rule 'no/such-rule' (list them with: clinicpress rules)"),
    ],
)
def test_usage_errors_are_one_line_exit_2(run, tmp_path, args, setup, words):
    if setup:
        (tmp_path / setup).mkdir()
    result = run(*args)
    assert result.exit_code == 2
    assert result.output.strip() == words


def test_unknown_setting_is_one_line_exit_2(run, tmp_path):
    (tmp_path / "clinicpress.yaml").write_text("rules: x\nfail_onn: error\n")
    result = run("lint")
    assert (result.exit_code, result.output.strip()) == (
        2,
        "clinicpress: clinicpress.yaml:2: unknown setting 'fail_onn' (did you mean 'fail_on'?)",
    )


def test_broken_rule_pack_is_one_line_exit_2(run, tmp_path):
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "mine.yaml").write_text("rules:\n  - id: x\n    check: nope\n")
    (tmp_path / "clinicpress.yaml").write_text("rules: rules\n")
    result = run("rules")
    assert result.exit_code == 2
    assert result.output.startswith("clinicpress: rules/mine.yaml:2: rule is missing")


def test_rules_explain_and_config_show(run):
    listing = run("rules")
    assert listing.exit_code == 0 and "confusion/clinical-trail" in listing.output
    explained = run("explain", "confusion/clinical-trail")
    assert explained.exit_code == 0
    assert "Why: A trail is a path" in explained.output and "A clinical trail showed modest benefits." in explained.output
    shown = run("config", "--show")
    assert shown.exit_code == 0
    assert re.search(r"^rules\s+= .*/rules\s+\(clinicpress.yaml:1\)$", shown.output, re.MULTILINE)
    assert re.search(r"^fail_on\s+= error\s+\(default\)$", shown.output, re.MULTILINE)


def test_module_entry_point_and_version():
    result = subprocess.run([sys.executable, "-m", "clinicpress", "--version"], capture_output=True, text=True)
    assert result.returncode == 0 and result.stdout.startswith("clinicpress, version ")


def test_no_traceback_for_a_directory_full_of_bad_input(tmp_path):
    """A subprocess, as a user or CI runs it: stderr must never show a traceback."""
    for name, (text, *_rest) in BAD_FILES.items():
        article(tmp_path / "content", name, text)
    (tmp_path / ".git").mkdir()
    result = subprocess.run([sys.executable, "-m", "clinicpress", "lint"], cwd=tmp_path, capture_output=True, text=True)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr + result.stdout
    assert result.stdout.count("input/") == len(BAD_FILES)
