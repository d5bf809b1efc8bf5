"""`clinicpress publish` end to end, against a real WordPress 6.1 on 127.0.0.1: the gate, the
rendering, idempotency, slug clashes, media once, the publish log, and faults mid-batch."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner

from clinicpress.cli import main
from clinicpress.publishing import log as publish_log

from .site_state import assert_site_consistent, posts, posts_with_slug, tiny_png

REPO = Path(__file__).resolve().parents[2]
TODAY = datetime.date.today()
DISCLAIMER = (
    "**Disclaimer:** This article is for general information only and is not medical advice. "
    "Always consult a qualified clinician about your own health. In an emergency, call your local emergency number."
)


def article(slug: str, title: str, *, status: str = "approved", body_extra: str = "", image: bool = False) -> str:
    reviewed = TODAY - datetime.timedelta(days=30)
    approved = TODAY - datetime.timedelta(days=20)
    picture = "\n![A diagram of the knee joint](images/knee.png)\n" if image else ""
    return f"""---
title: "{title}"
slug: {slug}
description: What a physiotherapy visit for knee pain involves.
author: Jordan Avery, PT
medical_reviewer: Dr Sam Lee
reviewed_on: {reviewed.isoformat()}
status: {status}
approved_by: Priya Natarajan
approved_on: {approved.isoformat()}
tags: [knee, exercise]
categories: [Physiotherapy]
---

## What to expect

Your first visit starts with questions about your knee and a gentle examination.{picture}
Exercise therapy may reduce knee pain in osteoarthritis.[1] {body_extra}

{DISCLAIMER}

## References

1. Lee K, Ortiz L. Exercise versus usual care for knee osteoarthritis: a randomised trial. J Example Physio. 2021. doi:10.5555/cp.2021.0101
"""


@pytest.fixture
def project(tmp_path, monkeypatch, wordpress):
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".git").mkdir()
    (tmp_path / "clinicpress.yaml").write_text(
        f"rules: {REPO / 'rules'}\n"
        "targets:\n"
        "  clinic:\n"
        "    type: wordpress\n"
        f"    url: {wordpress.base_url}\n"
        f"    user: {wordpress.user}\n"
        "    password_env: TEST_WP_PASSWORD\n"
    )
    monkeypatch.setenv("TEST_WP_PASSWORD", wordpress.app_password)
    content = tmp_path / "content"
    (content / "images").mkdir(parents=True)
    (content / "images" / "knee.png").write_bytes(tiny_png(90))
    (content / "knee.md").write_text(article("knee-pain-visit", "Knee pain: your first visit", image=True))
    (content / "hips.md").write_text(article("hip-pain-visit", "Hip pain: your first visit"))
    (content / "draft.md").write_text(article("back-pain-draft", "Back pain", status="draft"))
    (content / "cure.md").write_text(article("miracle", "Miracle", body_extra="Our exercises cure arthritis for good."))
    return tmp_path


def publish(*args: str):
    return CliRunner().invoke(main, ["publish", "--target", "clinic", *args], catch_exceptions=False)


def test_publish_gate_render_and_second_run_changes_nothing(project, wordpress):
    result = publish()
    assert result.exit_code == 1, result.output  # two articles blocked
    lines = result.output.splitlines()
    assert any(line.startswith("created") and "content/knee.md" in line for line in lines)
    assert any(line.startswith("created") and "content/hips.md" in line for line in lines)
    assert any(line.startswith("blocked") and "content/draft.md" in line for line in lines)
    assert "status is 'draft', not approved" in result.output
    assert any(line.startswith("blocked") and "content/cure.md" in line for line in lines)
    assert lines[-1] == "4 articles: 2 blocked, 2 created"

    [knee] = posts_with_slug(wordpress, "knee-pain-visit")
    assert knee["status"] == "publish"
    assert knee["title"]["raw"] == "Knee pain: your first visit"
    html = knee["content"]["raw"]
    assert "<h2>References</h2>" in html and "doi:10.5555/cp.2021.0101" in html
    assert "general information only and is not medical advice" in html
    assert "clinicpress:sha256=" in html
    assert "images/knee.png" not in html and "/wp-content/uploads/" in html  # uploaded, src rewritten
    assert posts_with_slug(wordpress, "back-pain-draft") == [] and posts_with_slug(wordpress, "miracle") == []

    rows = publish_log.read(project / "publish-log.csv")
    assert [(row["article"], row["action"], row["approved_by"]) for row in rows] == [
        ("content/hips.md", "created", "Priya Natarajan"),
        ("content/knee.md", "created", "Priya Natarajan"),
    ]
    media_before = httpx.get(f"{wordpress.api_url}/media", auth=(wordpress.user, wordpress.app_password)).json()

    again = publish()
    assert again.exit_code == 1
    assert again.output.splitlines()[-1] == "4 articles: 2 blocked, 2 unchanged"
    assert [p["modified_gmt"] for p in posts_with_slug(wordpress, "knee-pain-visit")] == [knee["modified_gmt"]]
    media_after = httpx.get(f"{wordpress.api_url}/media", auth=(wordpress.user, wordpress.app_password)).json()
    assert len(media_after) == len(media_before) == 1
    assert len(publish_log.read(project / "publish-log.csv")) == 2  # nothing written, nothing logged
    assert_site_consistent(wordpress, ["hip-pain-visit", "knee-pain-visit"])


def test_changed_article_is_updated_in_place(project, wordpress):
    assert publish("content/hips.md").exit_code == 0
    path = project / "content" / "hips.md"
    path.write_text(path.read_text().replace("gentle examination", "gentle examination of both hips"))
    result = publish("content/hips.md")
    assert result.exit_code == 0 and result.output.startswith("updated")
    [post] = posts_with_slug(wordpress, "hip-pain-visit")
    assert "both hips" in post["content"]["raw"] and post["status"] == "publish"


def test_dry_run_writes_nothing(project, wordpress):
    result = publish("--dry-run")
    assert result.exit_code == 1
    assert [line.split()[0] for line in result.output.splitlines()].count("would-create") == 2
    assert posts(wordpress) == [] and not (project / "publish-log.csv").exists()


def test_slug_taken_by_a_post_clinicpress_did_not_make(project, wordpress):
    httpx.post(
        f"{wordpress.api_url}/posts",
        auth=(wordpress.user, wordpress.app_password),
        json={"title": "Old page", "slug": "hip-pain-visit", "status": "publish", "content": "<p>old</p>"},
    ).raise_for_status()
    result = publish("content/hips.md")
    assert result.exit_code == 1
    assert "slug 'hip-pain-visit' is taken on the site by post" in result.output
    assert len(posts_with_slug(wordpress, "hip-pain-visit")) == 1


def test_wrong_password_is_one_clear_line(project, monkeypatch):
    monkeypatch.setenv("TEST_WP_PASSWORD", "wrong wrong wrong wrong")
    result = CliRunner().invoke(main, ["publish", "--target", "clinic"])
    assert result.exit_code == 3
    assert result.output.startswith("clinicpress: target clinic: ")
    assert "wrong wrong" not in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_missing_password_variable_is_a_configuration_error(project, monkeypatch):
    monkeypatch.delenv("TEST_WP_PASSWORD")
    result = CliRunner().invoke(main, ["publish", "--target", "clinic"])
    assert result.exit_code == 2
    assert "environment variable TEST_WP_PASSWORD is not set" in result.output


def test_a_batch_that_fails_midway_completes_on_the_next_run(project, wordpress, fault_proxy):
    config = project / "clinicpress.yaml"
    direct = config.read_text()
    config.write_text(direct.replace(wordpress.base_url, fault_proxy.url))
    # The first article (hips, no image) goes out; every upload of the second's image answers 500,
    # more times than the client retries: the site "fails" in the middle of the batch.
    fault_proxy.answer_with_status(500, method="POST", path_contains="/media", times=100)
    first = publish()
    assert first.exit_code == 3, first.output
    assert any(line.startswith("failed") and "content/knee.md" in line for line in first.output.splitlines())
    assert [p["status"] for p in posts_with_slug(wordpress, "hip-pain-visit")] == ["publish"]
    assert posts_with_slug(wordpress, "knee-pain-visit") == []  # nothing half-published

    config.write_text(direct)
    second = publish()
    assert second.exit_code == 1, second.output  # only the two gated articles are left out
    assert "unchanged  content/hips.md" in second.output and "created   content/knee.md" in second.output.replace("created    ", "created   ")
    for slug in ("knee-pain-visit", "hip-pain-visit"):
        [post] = posts_with_slug(wordpress, slug)
        assert post["status"] == "publish"
    assert_site_consistent(wordpress, ["hip-pain-visit", "knee-pain-visit"])


def test_import_round_trips_a_published_article(project, wordpress):
    assert publish("content/knee.md").exit_code == 0
    result = CliRunner().invoke(main, ["import", "--target", "clinic", "--out", "imported"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    imported = project / "imported" / "knee-pain-visit.md"
    assert imported.is_file()
    text = imported.read_text()
    assert 'title: "Knee pain: your first visit"' in text or "title: 'Knee pain: your first visit'" in text
    assert "status: published" in text and "wordpress_id:" in text
    assert "## References" in text and "doi:10.5555/cp.2021.0101" in text
    assert "clinicpress:sha256" not in text

    # The same audit works on what came back: the claim is still tied to its reference, and the
    # disclaimer is still there.
    audit = CliRunner().invoke(main, ["audit", "imported", "--format", "json", "--no-cache"], catch_exceptions=False)
    data = json.loads(audit.output)
    [article] = data["articles"]
    statuses = {c["sentence"][:40]: c["status"] for c in article["claims"]}
    assert statuses == {"Exercise therapy may reduce knee pain in": "supported"}
    assert [d["status"] for d in article["disclaimers"] if d["id"] == "disclaimer/medical-advice"] == ["present"]

    again = CliRunner().invoke(main, ["import", "--target", "clinic", "--out", "imported"], catch_exceptions=False)
    assert "0 imported, 1 kept" in again.output
