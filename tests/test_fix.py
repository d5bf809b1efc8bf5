"""lint --fix and --fix --diff, through the real command line."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from clinicpress.cli import main

REPO = Path(__file__).resolve().parents[1]
ARTICLE = "It helps alot.\r\nA clinical trail showed it.\r\n"


def project(tmp_path: Path, monkeypatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".git").mkdir()
    (tmp_path / "clinicpress.yaml").write_text(f"rules: {REPO / 'rules'}\ndisable: ['metadata/*', 'claim/*', 'citation/*']\n")
    (tmp_path / "content").mkdir()
    path = tmp_path / "content" / "a.md"
    path.write_bytes(ARTICLE.encode())
    return path


def test_fix_writes_keeps_line_endings_and_reports_what_is_left(tmp_path, monkeypatch):
    path = project(tmp_path, monkeypatch)
    result = CliRunner().invoke(main, ["lint", "--fix"], catch_exceptions=False)
    fixed = path.read_bytes().decode()
    assert fixed.startswith("It helps a lot.\r\nA clinical trial showed it.\r\n")
    assert "**Disclaimer:**" in fixed and "\n\n" not in fixed.replace("\r\n", "\r")  # CRLF kept throughout
    assert "fixed typo/run-together: 'alot' -> 'a lot'" in result.output
    assert result.exit_code == 0, result.output
    again = CliRunner().invoke(main, ["lint", "--fix"], catch_exceptions=False)
    assert path.read_bytes().decode() == fixed  # inserted once: the second run changes nothing
    assert again.exit_code == 0


def test_diff_writes_nothing(tmp_path, monkeypatch):
    path = project(tmp_path, monkeypatch)
    result = CliRunner().invoke(main, ["lint", "--fix", "--diff"], catch_exceptions=False)
    assert path.read_bytes().decode() == ARTICLE
    assert "-It helps alot." in result.output and "+It helps a lot." in result.output
    assert result.exit_code == 0


def test_diff_alone_is_a_usage_error(tmp_path, monkeypatch):
    project(tmp_path, monkeypatch)
    result = CliRunner().invoke(main, ["lint", "--diff"])
    assert result.exit_code == 2 and "--diff goes with --fix" in result.output
