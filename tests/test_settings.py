from __future__ import annotations

from pathlib import Path

import pytest

from clinicpress.settings import SettingsError, describe, load_settings


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_without_any_file(tmp_path):
    (tmp_path / ".git").mkdir()
    settings = load_settings(tmp_path)
    assert settings.content == ("content",) and settings.fail_on == "error"
    assert settings.sources["fail_on"] == "default"


def test_layers_and_where_each_value_came_from(tmp_path):
    write(tmp_path / "pyproject.toml", '[tool.clinicpress]\nfail_on = "warning"\nprofile = "uk-asa"\n')
    write(tmp_path / "clinicpress.yaml", "content: [articles]\nprofile: au-ahpra\n")
    settings = load_settings(tmp_path, overrides={"fail_on": "error"})
    assert settings.content == ("articles",)
    assert settings.profile == "au-ahpra"
    assert settings.fail_on == "error"
    assert settings.sources["profile"] == "clinicpress.yaml:2"
    assert settings.sources["fail_on"] == "--fail-on"
    assert settings.sources["content"] == "clinicpress.yaml:1"
    rows = {key: (value, source) for key, value, source in describe(settings)}
    assert rows["profile"] == ("au-ahpra", "clinicpress.yaml:2")
    assert rows["spelling.engine"] == ("offline", "default")


def test_found_from_a_subdirectory(tmp_path):
    write(tmp_path / "clinicpress.yaml", "fail_on: warning\n")
    (tmp_path / "content" / "deep").mkdir(parents=True)
    settings = load_settings(tmp_path / "content" / "deep")
    assert settings.fail_on == "warning" and settings.base_dir == tmp_path.resolve()


@pytest.mark.parametrize(
    "text, words",
    [
        ("fial_on: error\n", "clinicpress.yaml:1: unknown setting 'fial_on'"),
        ("fail_on: sometimes\n", "clinicpress.yaml:1: fail_on must be one of error, warning, info"),
        ("spelling:\n  engin: offline\n", "clinicpress.yaml:2: unknown setting 'spelling.engin'"),
        ("content: [a\n", "is not valid YAML: did not find expected ',' or ']' (while parsing a flow sequence that starts on line 1)"),
        ("targets:\n  site:\n    url: https://x.test\n    user: ed\n    password_env: hunter2\n", "never put the password itself"),
    ],
)
def test_mistakes_name_the_key_and_line(tmp_path, text, words):
    write(tmp_path / "clinicpress.yaml", text)
    with pytest.raises(SettingsError) as caught:
        load_settings(tmp_path)
    assert words in str(caught.value)


def test_unknown_key_in_pyproject(tmp_path):
    write(tmp_path / "pyproject.toml", "[tool.clinicpress]\ncolour = true\n")
    with pytest.raises(SettingsError, match=r"pyproject.toml \[tool.clinicpress\]: unknown setting 'colour'"):
        load_settings(tmp_path)


def test_missing_config_file(tmp_path):
    with pytest.raises(SettingsError, match="config file not found"):
        load_settings(tmp_path, config_file=tmp_path / "nope.yaml")
