"""The result cache and parallel linting give exactly what a fresh, serial run gives."""

from __future__ import annotations

import datetime
import json
import shutil
from pathlib import Path

from click.testing import CliRunner

from clinicpress.cache import ResultCache
from clinicpress.cli import main
from clinicpress.lint import PARALLEL_THRESHOLD, Linter, collect_articles, lint_files
from clinicpress.reporting import FORMATTERS, render
from clinicpress.settings import Settings

REPO = Path(__file__).resolve().parents[1]
TODAY = datetime.date(2026, 11, 21)


def article(slug: str, extra: str = "") -> str:
    return f"---\ntitle: {slug}\nslug: {slug}\nauthor: A\nstatus: draft\n---\n\nIt helps alot with sciatca.{extra}\n"


def make_project(tmp_path: Path, count: int = 3) -> tuple[Settings, list[Path]]:
    content = tmp_path / "content"
    content.mkdir()
    for number in range(count):
        (content / f"a{number:03}.md").write_text(article(f"article-{number}"))
    settings = Settings(base_dir=tmp_path, rules=str(REPO / "rules"))
    return settings, collect_articles([content])


def as_json(report) -> dict:
    data = json.loads(render(FORMATTERS, "json", report))
    data.pop("engines")
    return data


def run(settings: Settings, files, rules: Path | None = None, jobs: int = 1):
    linter = Linter.create(settings)
    cache = ResultCache.for_run(settings.base_dir, linter.cache_key(), TODAY)
    return lint_files(files, settings, linter, cache=cache, jobs=jobs), cache


def test_warm_run_reads_the_cache_and_gives_the_same_report(tmp_path):
    settings, files = make_project(tmp_path)
    cold, cold_cache = run(settings, files)
    warm, warm_cache = run(settings, files)
    assert (cold_cache.misses, warm_cache.hits, warm_cache.misses) == (3, 3, 0)
    assert as_json(cold) == as_json(warm)
    fresh = lint_files(files, settings, Linter.create(settings))
    assert as_json(fresh) == as_json(warm)
    assert (tmp_path / ".clinicpress_cache" / ".gitignore").read_text().splitlines()[-1] == "*"


def test_a_changed_file_is_linted_again(tmp_path):
    settings, files = make_project(tmp_path)
    run(settings, files)
    files[0].write_text(article("article-0", " As least as good."))
    report, cache = run(settings, files)
    assert (cache.hits, cache.misses) == (2, 1)
    assert "confusion/as-least-as" in [f.rule for f in report.files[0].findings]


def test_changed_rules_or_settings_miss_every_entry(tmp_path):
    settings, files = make_project(tmp_path)
    run(settings, files)
    rules = tmp_path / "rules"
    shutil.copytree(REPO / "rules", rules)
    (rules / "vocabulary.txt").write_text("sciatca\n")
    report, cache = run(Settings(base_dir=tmp_path, rules=str(rules)), files)
    assert cache.hits == 0
    assert "spelling/unknown-word" not in [f.rule for f in report.files[0].findings]
    _, cache = run(Settings(base_dir=tmp_path, rules=str(REPO / "rules"), profile="uk-asa"), files)
    assert cache.hits == 0
    first = ResultCache.for_run(tmp_path, {"rules": "x"}, TODAY).run_key
    assert first != ResultCache.for_run(tmp_path, {"rules": "x"}, TODAY + datetime.timedelta(days=1)).run_key


def test_corrupt_or_foreign_entries_are_ignored_and_rebuilt(tmp_path):
    settings, files = make_project(tmp_path)
    cold, _ = run(settings, files)
    entries = sorted((tmp_path / ".clinicpress_cache").rglob("*.json"))
    assert len(entries) == 3
    entries[0].write_text("{not json")
    entries[1].write_text(json.dumps({"findings": "surprise"}))
    entries[2].write_bytes(b"\x00\xff" * 10)
    warm, cache = run(settings, files)
    assert cache.hits == 0 and as_json(warm) == as_json(cold)
    again, cache = run(settings, files)
    assert cache.hits == 3  # rebuilt


def test_checks_across_files_still_run_on_cached_results(tmp_path):
    settings, files = make_project(tmp_path, count=2)
    files[1].write_text(article("article-0"))  # the same slug twice
    run(settings, files)
    warm, cache = run(settings, files)
    assert cache.hits == 2
    assert all("metadata/duplicate-slug" in [f.rule for f in result.findings] for result in warm.files)


def test_parallel_run_equals_serial_run_in_the_same_order(tmp_path):
    settings, files = make_project(tmp_path, count=PARALLEL_THRESHOLD + 6)
    linter = Linter.create(settings)
    serial = lint_files(files, settings, linter, jobs=1)
    parallel = lint_files(files, settings, linter, jobs=2)
    assert [r.path for r in parallel.files] == [r.path for r in serial.files]
    assert as_json(parallel) == as_json(serial)


def test_no_cache_flag_writes_no_cache(tmp_path, monkeypatch):
    make_project(tmp_path)
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".git").mkdir()
    (tmp_path / "clinicpress.yaml").write_text(f"rules: {REPO / 'rules'}\n")
    assert CliRunner().invoke(main, ["lint", "--no-cache"]).exit_code == 1
    assert not (tmp_path / ".clinicpress_cache").exists()
    assert CliRunner().invoke(main, ["lint"]).exit_code == 1
    assert (tmp_path / ".clinicpress_cache").is_dir()
