"""The spelling check through the command line: the engine named in reports, the clinic's own
words, and an engine that is configured but down failing closed."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from clinicpress.cli import main

REPO = Path(__file__).resolve().parents[1]


def project(tmp_path: Path, monkeypatch, settings: str = "") -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".git").mkdir()
    rules = tmp_path / "rules"
    rules.mkdir()
    for source in (REPO / "rules").glob("spelling.yaml"):
        (rules / source.name).write_text(source.read_text())
    (tmp_path / "clinicpress.yaml").write_text("rules: rules\n" + settings)
    (tmp_path / "content").mkdir()
    return tmp_path / "content"


def invoke(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_typos_found_with_the_right_first_suggestion_and_medical_terms_pass(tmp_path, monkeypatch):
    content = project(tmp_path, monkeypatch)
    (content / "a.md").write_text(
        "Massage relaxes the soft tisuse around the piriformis and gluteus medius.\n\n"
        "Many people with sciatca take NSAIDs such as ibuprofen; we use moxibustion at ST36 and fascial work.\n"
    )
    data = json.loads(invoke("lint", "--format", "json").output)
    findings = data["files"][0]["findings"]
    assert [(f["excerpt"], f["suggestions"][0]) for f in findings] == [("tisuse", "tissue"), ("sciatca", "sciatica")]
    assert data["engines"]["spelling"]["name"] == "clinicpress-offline"


def test_case_matters_for_abbreviations(tmp_path, monkeypatch):
    content = project(tmp_path, monkeypatch)
    (content / "a.md").write_text("Avoid nsaids before an MRI.\n")
    findings = json.loads(invoke("lint", "--format", "json").output)["files"][0]["findings"]
    assert [f["excerpt"] for f in findings] == ["nsaids"]


def test_british_spelling_under_en_gb(tmp_path, monkeypatch):
    content = project(tmp_path, monkeypatch, "spelling:\n  language: en-GB\n")
    (content / "a.md").write_text("A randomised trial of fibre and oestrogen; colur is still a typo.\n")
    findings = json.loads(invoke("lint", "--format", "json").output)["files"][0]["findings"]
    assert [f["excerpt"] for f in findings] == ["colur"]


def test_vocabulary_add_makes_a_word_pass(tmp_path, monkeypatch):
    content = project(tmp_path, monkeypatch)
    (content / "a.md").write_text("Dr Okonkwo leads our Thermaflex sessions.\n")
    assert invoke("lint").exit_code == 1
    result = invoke("vocabulary", "add", "Thermaflex", "Okonkwo")
    assert "added 'Thermaflex'" in result.output
    assert invoke("vocabulary", "add", "Thermaflex").output.strip().endswith("is already in " + str(tmp_path / "rules" / "vocabulary.txt"))
    lines = (tmp_path / "rules" / "vocabulary.txt").read_text().splitlines()
    assert [line for line in lines if not line.startswith("#")] == ["Okonkwo", "Thermaflex"]
    assert invoke("lint").exit_code == 0


def test_configured_languagetool_that_is_down_fails_closed(tmp_path, monkeypatch):
    content = project(tmp_path, monkeypatch, "spelling:\n  engine: languagetool\n  languagetool_url: http://127.0.0.1:9\n")
    (content / "a.md").write_text("Fine text.\n")
    result = CliRunner().invoke(main, ["lint"])
    assert result.exit_code == 2
    assert result.output.startswith("clinicpress: LanguageTool server at http://127.0.0.1:9 is unreachable")
    assert len(result.output.strip().splitlines()) == 1
