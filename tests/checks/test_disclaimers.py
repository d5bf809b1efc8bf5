from __future__ import annotations

from pathlib import Path

from clinicpress.lint import Linter
from clinicpress.settings import Settings

REPO = Path(__file__).resolve().parents[2]
DISCLAIMER = (
    "**Disclaimer:** This article is for general information only and is not medical advice. "
    "Always consult a qualified clinician about your own health. In an emergency, call your local emergency number."
)


def lint(text: str):
    linter = Linter.create(Settings(base_dir=REPO, rules="rules", disable=("metadata/*",)))
    return linter.lint_text(text, "article.md")


def statuses(result):
    return {record.id: record.status for record in result.disclaimers}


def test_present_allows_case_quotes_and_wrapping():
    text = "We are open on Mondays.\n\n" + DISCLAIMER.upper().replace(". ", ".\n")
    assert statuses(lint(text)) == {"disclaimer/medical-advice": "present"}


def test_missing_and_the_fix_inserts_it_before_the_references():
    text = "We are open on Mondays.\n\n## References\n\n1. Lee K. Trial. 2020. doi:10.5555/x.1\n"
    result = lint(text)
    assert statuses(result)["disclaimer/medical-advice"] == "missing"
    finding = next(f for f in result.findings if f.rule == "disclaimer/medical-advice")
    fixed = text[: finding.fix.span.start] + finding.fix.text + text[finding.fix.span.end :]
    assert fixed.index("**Disclaimer:**") < fixed.index("## References")
    assert statuses(lint(fixed))["disclaimer/medical-advice"] == "present"


def test_modified_shows_what_differs():
    result = lint("We are open on Mondays.\n\nThis article is general information and is not medical advice. Consult a clinician.\n")
    finding = next(f for f in result.findings if f.rule == "disclaimer/medical-advice")
    assert statuses(result)["disclaimer/medical-advice"] == "modified"
    assert "missing:" in finding.message and "emergency" in finding.message


def test_weakened_stub_is_modified_not_missing():
    assert statuses(lint("We are open.\n\nThis is not medical advice.\n"))["disclaimer/medical-advice"] == "modified"


def test_misplaced_when_not_at_the_end():
    result = lint(DISCLAIMER + "\n\nWe are open on Mondays.\n\nParking is free.\n")
    assert statuses(result)["disclaimer/medical-advice"] == "misplaced"


def test_supplement_needs_the_fda_statement_only_under_us_ftc():
    text = "Our ashwagandha capsules support calm.\n\n" + DISCLAIMER
    assert statuses(lint(text))["disclaimer/fda-supplement"] == "missing"
    assert "disclaimer/fda-supplement" not in statuses(lint("---\ntitle: x\nprofile: uk-asa\n---\n\n" + text))
    fda = "These statements have not been evaluated by the Food and Drug Administration. This product is not intended to diagnose, treat, cure, or prevent any disease."
    assert statuses(lint(text + "\n\n" + fda.replace("Food", "food")))["disclaimer/fda-supplement"] == "present"
    singular = fda.replace("These statements have", "This statement has")
    assert statuses(lint(text + "\n\n" + singular))["disclaimer/fda-supplement"] == "present"


def test_testimonial_needs_typical_results_next_to_it():
    story = "One patient told us her back pain vanished after two visits."
    assert statuses(lint(story + "\n\n" + DISCLAIMER))["disclaimer/typical-results"] == "missing"
    weak = lint(story + "\n\nResults not typical.\n\n" + DISCLAIMER)
    assert statuses(weak)["disclaimer/typical-results"] in ("missing", "modified")
    disclosure = "This is one patient's experience, not a typical result: most patients notice a smaller, gradual change, and some notice none."
    assert statuses(lint(story + "\n\n" + disclosure + "\n\n" + DISCLAIMER))["disclaimer/typical-results"] == "present"


def test_before_after_image_needs_a_disclosure():
    text = "Our care.\n\n![Before and after acne treatment](img/before-after.jpg)\n\n" + DISCLAIMER
    assert statuses(lint(text))["disclaimer/before-after"] == "missing"


def test_clean_sample_articles_have_every_disclaimer_they_need():
    from clinicpress.lint import collect_articles, lint_files

    settings = Settings(base_dir=REPO, rules="rules")
    report = lint_files(collect_articles([REPO / "content"]), settings)
    clean = [r for r in report.files if r.fact("title") and not any(f.category.value == "disclaimer" for f in r.findings)]
    assert len(clean) >= 6
    for result in clean:
        assert all(record.status == "present" for record in result.disclaimers), result.path
