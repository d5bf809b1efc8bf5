"""The pre-commit hook, for real: a content repository uses this repository's
.pre-commit-hooks.yaml by URL and revision, `pre-commit install`s it, and git commits go through
it. pre-commit builds the hook's own environment from a snapshot of this working tree (it needs
the package registry, as CI has)."""

from __future__ import annotations

import datetime
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
PRE_COMMIT = Path(sys.executable).with_name("pre-commit")
DISCLAIMER = (
    "**Disclaimer:** This article is for general information only and is not medical advice. "
    "Always consult a qualified clinician about your own health. In an emergency, call your local emergency number."
)


def article(body: str) -> str:
    return (
        "---\ntitle: Getting ready for your first visit\nslug: first-visit\nauthor: Jordan Avery\nstatus: draft\n---\n\n"
        f"{body}\n\n{DISCLAIMER}\n"
    )


def git(cwd: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    env = os.environ | {
        "GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "t@example.test",
        "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "t@example.test",
    }
    return subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True, check=check)


@pytest.fixture(scope="module")
def hook_repository(tmp_path_factory) -> tuple[Path, str]:
    """This working tree, committed into a repository of its own (pre-commit clones by revision,
    and the tree under test may not be committed yet)."""
    snapshot = tmp_path_factory.mktemp("clinicpress-hook")
    listed = subprocess.run(
        ["git", "ls-files", "-co", "--exclude-standard"], cwd=REPO, capture_output=True, text=True, check=True
    ).stdout.splitlines()
    for name in listed:
        source = REPO / name
        if source.is_file() and not name.startswith(("tests/corpora/", "benchmarks/node_modules")):
            target = snapshot / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    git(snapshot, "init", "-q")
    git(snapshot, "add", "-A")
    git(snapshot, "commit", "-q", "-m", "snapshot")
    return snapshot, git(snapshot, "rev-parse", "HEAD").stdout.strip()


def test_a_commit_with_a_typo_is_refused_and_a_clean_one_goes_through(tmp_path, hook_repository):
    if not PRE_COMMIT.exists():
        pytest.fail(f"pre-commit is a test dependency and is missing at {PRE_COMMIT}")
    hook_repo, revision = hook_repository
    content_repo = tmp_path / "clinic-site"
    content_repo.mkdir()
    git(content_repo, "init", "-q")
    (content_repo / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {hook_repo}\n    rev: {revision}\n    hooks:\n      - id: clinicpress\n"
    )
    env = os.environ | {"PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home")}
    installed = subprocess.run([str(PRE_COMMIT), "install"], cwd=content_repo, env=env, capture_output=True, text=True)
    assert installed.returncode == 0, installed.stdout + installed.stderr

    (content_repo / "first-visit.md").write_text(article("Wear loose clothing so we can reach the soft tisuse of your back."))
    git(content_repo, "add", "first-visit.md")
    refused = git(content_repo, "commit", "-m", "add article", check=False)
    assert refused.returncode != 0, refused.stdout + refused.stderr
    output = refused.stdout + refused.stderr
    assert "first-visit.md:8:" in output and "spelling/unknown-word" in output and "'tisuse'" in output
    assert "Traceback" not in output
    assert git(content_repo, "log", "--oneline", check=False).returncode != 0  # still no commit

    (content_repo / "first-visit.md").write_text(article("Wear loose clothing so we can reach the soft tissue of your back."))
    (content_repo / "notes.py").write_text("print('not an article: the hook must not look at it, tisuse')\n")
    git(content_repo, "add", "first-visit.md", "notes.py")
    accepted = git(content_repo, "commit", "-m", "add article", check=False)
    assert accepted.returncode == 0, accepted.stdout + accepted.stderr
