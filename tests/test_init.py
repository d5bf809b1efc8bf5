from __future__ import annotations

from pathlib import Path

import yaml
from click.testing import CliRunner

from clinicpress.cli import main
from clinicpress.rulebook import default_rules_dir


def test_init_makes_a_repository_that_lints_at_once(tmp_path, monkeypatch):
    site = tmp_path / "clinic-site"
    result = CliRunner().invoke(main, ["init", str(site)], catch_exceptions=False)
    assert result.exit_code == 0
    for name in ("clinicpress.yaml", ".pre-commit-config.yaml", ".github/workflows/clinicpress.yml", ".gitignore", "rules/claims.yaml"):
        assert (site / name).is_file(), name
    shipped = sorted(p.relative_to(default_rules_dir()) for p in default_rules_dir().rglob("*") if p.is_file())
    assert sorted(p.relative_to(site / "rules") for p in (site / "rules").rglob("*") if p.is_file()) == shipped
    workflow = yaml.safe_load((site / ".github/workflows/clinicpress.yml").read_text())
    assert set(workflow["jobs"]) == {"lint", "publish"}
    hooks = yaml.safe_load((site / ".pre-commit-config.yaml").read_text())
    assert hooks["repos"][0]["hooks"][0]["id"] == "clinicpress"

    (site / ".git").mkdir()
    monkeypatch.chdir(site)
    lint = CliRunner().invoke(main, ["lint"], catch_exceptions=False)
    assert lint.exit_code == 0
    assert lint.output.strip().startswith("1 file checked: 0 errors, 0 warnings, 0 info (spelling: clinicpress-offline ")
    shown = CliRunner().invoke(main, ["config", "--show"], catch_exceptions=False).output
    assert "rules" in shown and "(clinicpress.yaml:3)" in shown


def test_init_never_overwrites(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "clinicpress.yaml").write_text("content: [posts]\n")
    (site / ".gitignore").write_text("node_modules/\n")
    result = CliRunner().invoke(main, ["init", str(site)], catch_exceptions=False)
    assert result.exit_code == 0
    assert (site / "clinicpress.yaml").read_text() == "content: [posts]\n"
    assert (site / ".gitignore").read_text() == "node_modules/\n"
    assert f"kept    {site / 'clinicpress.yaml'} (it already exists)" in result.output
    again = CliRunner().invoke(main, ["init", str(site)], catch_exceptions=False)
    assert "created" not in again.output
