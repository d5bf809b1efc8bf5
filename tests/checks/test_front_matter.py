"""The ``front_matter`` check kind, run through the real rule pack with a fixed date so review
ages do not depend on when the tests run."""

from __future__ import annotations

import datetime
from dataclasses import replace
from pathlib import Path

import pytest

from clinicpress.document import parse_document
from clinicpress.lint import Linter, lint_paths
from clinicpress.model import Category, Severity
from clinicpress.rulebook import RulebookError
from clinicpress.settings import Settings

REPO = Path(__file__).resolve().parents[2]
CONTENT = REPO / "content"
TODAY = datetime.date(2026, 11, 21)
PROBLEM_ARTICLES = {
    "chiropractic-care-for-the-whole-family.md",
    "acupuncture-for-sciatica.md",
    "cupping-therapy-guide.md",
    "mens-health-at-midlife-naturopathic-approach.md",
}
COMPLETE_FIELDS = {
    "title": "Heat or Ice for a Sore Back?",
    "slug": "heat-or-ice-for-a-sore-back",
    "author": "Jordan Avery, PT",
    "medical_reviewer": "Hannah Keller, MD",
    "reviewed_on": "2026-10-06",
    "status": "approved",
    "approved_by": "Priya Natarajan",
    "approved_on": "2026-10-12",
}


@pytest.fixture(scope="module")
def linter() -> Linter:
    return Linter.create(Settings(base_dir=REPO, rules="rules"), today=TODAY)


def article(drop: tuple[str, ...] = (), body: str = "Most people with a sore back can try either.\n", **fields: str) -> str:
    values = {**COMPLETE_FIELDS, **fields}
    lines = [f"{key}: {value}" if value != "" else f"{key}:" for key, value in values.items() if key not in drop]
    return "---\n" + "\n".join(lines) + "\n---\n" + body


def metadata_findings(result, source: str):
    found = [f for f in result.findings if f.category is Category.METADATA]
    for finding in found:
        assert finding.excerpt == finding.span.of(source), finding
    return found


def lint(linter: Linter, text: str, label: str = "article.md"):
    return metadata_findings(linter.lint_text(text, label), text)


def lint_file(linter: Linter, path: Path):
    return metadata_findings(linter.lint_file(path, str(path)), path.read_text(encoding="utf-8"))


def rules_of(findings) -> list[str]:
    return sorted(f.rule for f in findings)


# -- the sample content ---------------------------------------------------------------------


def test_clean_content_has_no_metadata_findings(linter):
    clean = [path for path in sorted(CONTENT.glob("*.md")) if path.name not in PROBLEM_ARTICLES]
    approved = [path for path in clean if "\nstatus: approved\n" in path.read_text(encoding="utf-8")]
    assert len(approved) == 6
    for path in clean:
        assert lint_file(linter, path) == [], path.name


def content_findings(linter, name):
    return lint_file(linter, CONTENT / name)


def test_approved_without_reviewer_or_approver(linter):
    findings = content_findings(linter, "chiropractic-care-for-the-whole-family.md")
    assert rules_of(findings) == ["metadata/approval-incomplete"] * 2
    assert {f.excerpt for f in findings} == {"status: approved"}
    assert {f.line for f in findings} == {7}
    assert any("'medical_reviewer' is missing" in f.message for f in findings)
    assert any("'approved_by' is missing" in f.message for f in findings)


def test_stale_review(linter):
    [finding] = content_findings(linter, "acupuncture-for-sciatica.md")
    assert finding.rule == "metadata/stale-review"
    assert (finding.line, finding.column, finding.excerpt) == (7, 1, "reviewed_on: 2024-03-02")
    assert "32 months ago" in finding.message


def test_slug_with_spaces_and_capitals(linter):
    [finding] = content_findings(linter, "cupping-therapy-guide.md")
    assert finding.rule == "metadata/slug-not-url-safe"
    assert finding.excerpt == "slug: Cupping Therapy Guide"
    assert finding.suggestions == ("slug: cupping-therapy-guide",)


def test_unknown_status_in_content(linter):
    [finding] = content_findings(linter, "mens-health-at-midlife-naturopathic-approach.md")
    assert finding.rule == "metadata/unknown-status"
    assert (finding.line, finding.excerpt) == (8, "status: live")
    assert "'live'" in finding.message


# -- missing front matter and missing fields --------------------------------------------------


def test_markdown_without_front_matter_gets_one_finding_at_line_one(linter):
    findings = lint(linter, "# Heat or ice?\n\nEither helps.\n")
    assert rules_of(findings) == ["metadata/missing-front-matter"]
    assert (findings[0].line, findings[0].column, findings[0].excerpt) == (1, 1, "# Heat or ice?")


def test_empty_markdown_file_points_at_an_empty_span(linter):
    [finding] = lint(linter, "")
    assert finding.rule == "metadata/missing-front-matter"
    assert (finding.line, finding.excerpt) == (1, "")


def test_plain_text_articles_need_no_front_matter(linter):
    document = parse_document("Heat or ice?\n\nEither helps.\n", "article.txt", is_markdown=False)
    assert metadata_findings(linter.check(document), document.source) == []


def test_missing_field_points_at_the_opening_line(linter):
    [finding] = lint(linter, article(drop=("author",)))
    assert finding.rule == "metadata/missing-field"
    assert (finding.line, finding.column, finding.excerpt) == (1, 1, "---")
    assert "'author'" in finding.message


def test_empty_field_points_at_its_own_line(linter):
    [finding] = lint(linter, article(author=""))
    assert finding.rule == "metadata/missing-field"
    assert (finding.line, finding.excerpt) == (4, "author:")
    assert "empty" in finding.message


def test_empty_front_matter_lacks_every_required_field(linter):
    findings = lint(linter, "---\n---\nEither helps.\n")
    assert rules_of(findings) == ["metadata/missing-field"] * 4
    assert {f.line for f in findings} == {1}


# -- types and unknown keys -------------------------------------------------------------------


@pytest.mark.parametrize(
    "fields, key, expected",
    [
        ({"reviewed_on": "last spring"}, "reviewed_on", "a date written YYYY-MM-DD, not text 'last spring'"),
        ({"reviewed_on": "'2026-02-30'"}, "reviewed_on", "a date"),
        ({"reviewed_on": "2026-9-14"}, "reviewed_on", "a date"),
        ({"tags": "back pain, heat"}, "tags", "a list of texts"),
        ({"tags": "[back-pain, 3]"}, "tags", "a list of texts"),
        ({"title": "2026"}, "title", "text, not a number (2026)"),
        ({"author": "yes"}, "author", "text, not true/false"),
    ],
)
def test_wrong_type(linter, fields, key, expected):
    [finding] = [f for f in lint(linter, article(**fields)) if f.rule == "metadata/wrong-type"]
    assert finding.excerpt.startswith(f"{key}:")
    assert f"'{key}' should be {expected}" in finding.message


@pytest.mark.parametrize("date", ["2026-10-06", "'2026-10-06'", '"2026-10-06"', "2026-10-06 09:30:00"])
def test_dates_may_be_plain_or_quoted_iso(linter, date):
    assert lint(linter, article(reviewed_on=date)) == []


def test_unknown_field_is_a_warning_that_suggests_the_closest_key(linter):
    text = article(drop=("reviewed_on",)).replace("status: approved", "reviewd_on: 2026-10-06\nstatus: draft")
    [finding] = lint(linter, text)
    assert (finding.rule, finding.severity) == ("metadata/unknown-field", Severity.WARNING)
    assert finding.excerpt == "reviewd_on: 2026-10-06"
    assert finding.suggestions == ("reviewed_on: 2026-10-06",)
    assert "did you mean 'reviewed_on'" in finding.message


def test_unknown_field_without_a_close_match_lists_the_known_ones(linter):
    [finding] = lint(linter, article(mood="cheerful"))
    assert finding.rule == "metadata/unknown-field"
    assert finding.suggestions == ()
    assert "known: title, slug" in finding.message


def test_optional_fields_are_known(linter):
    text = article(
        description="Which helps more.",
        tags="[back-pain]",
        categories="[physiotherapy]",
        profile="us-ftc",
        featured_image="images/heat.jpg",
        consent_ref="CONSENT-2026-014",
    )
    assert lint(linter, text) == []


# -- status and approval ----------------------------------------------------------------------


def test_unknown_status_suggests_a_close_one(linter):
    [finding] = lint(linter, article(status="Approved"))
    assert finding.rule == "metadata/unknown-status"
    assert finding.suggestions == ("status: approved",)


@pytest.mark.parametrize("status", ["draft", "in-review"])
def test_unapproved_articles_need_no_approval_record(linter, status):
    text = article(drop=("medical_reviewer", "reviewed_on", "approved_by", "approved_on"), status=status)
    assert lint(linter, text) == []


def test_published_needs_the_whole_approval_record(linter):
    findings = lint(linter, article(drop=("approved_on", "reviewed_on"), status="published"))
    assert rules_of(findings) == ["metadata/approval-incomplete"] * 2
    assert {f.excerpt for f in findings} == {"status: published"}


def test_approval_before_review_is_reported_on_the_approval_date(linter):
    [finding] = lint(linter, article(approved_on="2026-09-30"))
    assert finding.rule == "metadata/approval-incomplete"
    assert finding.excerpt == "approved_on: 2026-09-30"
    assert "'approved_on' (2026-09-30) is before 'reviewed_on' (2026-10-06)" in finding.message


# -- review age -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "reviewed_on, stale",
    [("2025-11-21", False), ("2025-11-20", True), ("2026-11-21", False), ("2026-11-22", True)],
)
def test_review_age_boundaries(linter, reviewed_on, stale):
    findings = lint(linter, article(reviewed_on=reviewed_on, approved_on="2026-11-21"))
    assert [f.rule for f in findings if f.rule == "metadata/stale-review"] == (["metadata/stale-review"] if stale else [])


def test_future_review_date_is_reported_as_such(linter):
    [finding] = [f for f in lint(linter, article(reviewed_on="2027-01-05")) if f.rule == "metadata/stale-review"]
    assert "in the future" in finding.message


def test_max_age_months_is_data(tmp_path):
    (tmp_path / "review.yaml").write_text(
        "rules:\n"
        "  - id: metadata/six-month-review\n"
        "    check: front_matter\n    category: metadata\n    severity: error\n"
        "    message: review older than six months\n    why: Fast-moving topic.\n"
        "    link: https://example.org/policy\n"
        "    options: {problem: stale-review, field: reviewed_on, max_age_months: 6}\n"
        "    examples: {trigger: ['x'], pass: ['y']}\n",
        encoding="utf-8",
    )
    six_months = Linter.create(Settings(base_dir=tmp_path, rules="."), today=TODAY)
    assert [f.rule for f in six_months.lint_text(article(reviewed_on="2026-05-01")).findings] == [
        "metadata/six-month-review"
    ]
    assert six_months.lint_text(article(reviewed_on="2026-06-01")).findings == ()


def test_options_a_problem_does_not_use_fail_on_load(tmp_path):
    (tmp_path / "bad.yaml").write_text(
        "rules:\n"
        "  - id: metadata/bad\n"
        "    check: front_matter\n    category: metadata\n    severity: error\n"
        "    message: m\n    why: w\n    link: https://example.org/\n"
        "    options: {problem: stale-review, field: reviewed_on, statuses: [draft]}\n"
        "    examples: {trigger: ['x'], pass: ['y']}\n",
        encoding="utf-8",
    )
    with pytest.raises(RulebookError, match=r"bad.yaml:\d+: .*does not use option 'statuses'"):
        Linter.create(Settings(base_dir=tmp_path, rules="."), today=TODAY)


# -- slugs ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "slug, fixed",
    [("heat--or-ice_sore-back", "heat-or-ice-sore-back"), ("Café-Guide", "cafe-guide"), ("-heat-", "heat")],
)
def test_slug_not_url_safe_suggests_a_fixed_slug(linter, slug, fixed):
    [finding] = lint(linter, article(slug=slug))
    assert finding.rule == "metadata/slug-not-url-safe"
    assert finding.suggestions == (f"slug: {fixed}",)


def test_slug_the_site_keeps_for_itself(linter):
    [finding] = lint(linter, article(slug="feed"))
    assert (finding.rule, finding.excerpt) == ("metadata/duplicate-slug", "slug: feed")


def test_duplicate_slug_is_reported_on_every_file_that_shares_it(tmp_path, linter):
    for name, slug in (("a.md", "heat-or-ice"), ("b.md", "heat-or-ice"), ("c.md", "Heat-Or-Ice"), ("d.md", "other")):
        (tmp_path / name).write_text(article(slug=slug), encoding="utf-8")
    report = lint_paths([tmp_path], Settings(base_dir=tmp_path), linter)
    duplicates = {result.path: [f for f in result.findings if f.rule == "metadata/duplicate-slug"] for result in report.files}
    by_name = {Path(path).name: found for path, found in duplicates.items()}
    assert by_name["d.md"] == []
    for name, others in (("a.md", ("b.md", "c.md")), ("b.md", ("a.md", "c.md")), ("c.md", ("a.md", "b.md"))):
        [finding] = by_name[name]
        assert all(other in finding.message for other in others)
        assert (finding.line, finding.column) == (3, 1)
        assert finding.excerpt == finding.span.of((tmp_path / name).read_text(encoding="utf-8"))


def test_duplicate_slug_works_from_facts_read_back_as_lists(linter):
    # A result cache that stores facts as JSON gives lists back, not KeyLocation tuples.
    results = [
        linter.lint_text(article(slug="heat-or-ice"), "a.md"),
        linter.lint_text(article(slug="heat-or-ice"), "b.md"),
    ]
    as_json = [replace(result, facts=tuple((name, list(value) if isinstance(value, tuple) else value) for name, value in result.facts)) for result in results]
    findings = [f for result in linter.across_files(as_json) for f in result.findings if f.rule == "metadata/duplicate-slug"]
    assert sorted((f.path, f.excerpt) for f in findings) == [("a.md", "slug: heat-or-ice"), ("b.md", "slug: heat-or-ice")]


def test_unreadable_articles_take_no_part_in_slug_comparison(linter):
    results = [linter.lint_text(article(slug="heat-or-ice"), "a.md"), linter.lint_text("---\ntitle: [\n---\n", "b.md")]
    assert [f.rule for result in linter.across_files(results) for f in result.findings if f.rule == "metadata/duplicate-slug"] == []
