"""Claims: kinds, status per sentence, markers tied to references, profiles, library."""

from __future__ import annotations

from pathlib import Path

import pytest

from clinicpress.lint import Linter
from clinicpress.settings import Settings

REPO = Path(__file__).resolve().parents[2]
REFS = "\n\n## References\n\n1. Lee K. Acupuncture versus sham for neck pain: a randomised trial. J Pain. 2020. doi:10.5555/a.1\n2. Ng P. Cupping in rats: an animal study. 2019. PMID: 1234567\n"


def lint(text: str, **settings):
    linter = Linter.create(Settings(base_dir=REPO, rules="rules", disable=("metadata/*", "disclaimer/*"), **settings))
    return linter.lint_text(text, "article.md")


def claim_of(result, words: str):
    return next(c for c in result.claims if words in c.sentence)


def test_each_status():
    result = lint(
        "Acupuncture may ease neck pain [1]. Cupping relieves back pain. Needling helps headaches [7]. "
        "It cures migraines for good." + REFS.replace("2. Ng", "2. Ng") + ""
    )
    assert claim_of(result, "ease neck pain").status == "supported"
    assert claim_of(result, "Cupping relieves").status == "unsupported"
    assert claim_of(result, "Needling helps").status == "dangling"
    assert claim_of(result, "cures migraines").status == "prohibited"
    rules = {f.rule for f in result.findings}
    assert {"claim/efficacy", "citation/dangling", "claim/cure", "citation/orphan"} <= rules


def test_supported_claim_carries_its_reference_and_evidence():
    result = lint("Acupuncture may ease neck pain.[1]" + REFS)
    claim = claim_of(result, "neck pain")
    assert claim.citations == ("[1]",)
    [reference] = claim.references
    assert (reference.id, reference.doi, reference.evidence) == ("1", "10.5555/a.1", "strong")


def test_weak_evidence_is_a_concern_not_a_failure():
    result = lint("Cupping relieves neck pain [2]." + REFS.replace("\n1. Lee", "\n1. Lee"))
    claim = claim_of(result, "Cupping")
    assert claim.status == "supported"
    assert any("weak" in concern for concern in claim.concerns)
    assert [f.severity.value for f in result.findings if f.rule == "citation/weak-evidence"] == ["warning"]


def test_comparative_claim_needs_a_comparator_in_its_reference():
    text = "Cupping works better than massage for neck pain [1].\n\n## References\n\n1. Ng P. Cupping: a cohort study. 2019. PMID: 1234567\n"
    assert "citation/missing-comparator" in {f.rule for f in lint(text).findings}
    text = text.replace("a cohort study", "cupping versus massage, a randomised trial")
    assert "citation/missing-comparator" not in {f.rule for f in lint(text).findings}


@pytest.mark.parametrize(
    "marker",
    ["¹", "¹,²", "¹⁻²", "[1]", "[1, 2]", "[1–2]", "[^1]", "<sup>1</sup>", " (Lee et al., 2020)", " (doi:10.5555/a.1)"],
)
def test_every_marker_form_supports_its_own_sentence(marker):
    body = f"Acupuncture may ease neck pain.{marker} Our clinic opens at nine."
    if marker == "[^1]":
        text = body + "\n\n[^1]: Lee K. Acupuncture versus sham: a randomised trial. J Pain. 2020. doi:10.5555/a.1\n"
    else:
        text = body + REFS
    claim = claim_of(lint(text), "neck pain")
    assert claim.status == "supported", marker


def test_marker_before_the_full_stop():
    assert claim_of(lint("Acupuncture may ease neck pain [1]." + REFS), "neck").status == "supported"


def test_a_citation_in_the_next_sentence_does_not_count_by_default():
    text = "Acupuncture may ease neck pain. Most trials were small [1]." + REFS
    assert claim_of(lint(text), "ease neck pain").status == "unsupported"
    result = lint(text, citation_scope="paragraph")
    assert claim_of(result, "ease neck pain").status == "supported"
    assert claim_of(result, "ease neck pain").scope == "paragraph"


def test_a_disclaimer_never_cancels_a_claim():
    text = (
        "Cupping relieves back pain.\n\n**Disclaimer:** This article is for general information only and is not medical advice. "
        "Always consult a qualified clinician about your own health. In an emergency, call your local emergency number.\n"
    )
    assert claim_of(lint(text), "Cupping").status == "unsupported"


def test_claims_in_headings_only_report_what_no_citation_can_fix():
    result = lint("## Research shows acupuncture helps back pain\n\n## Acupuncture cures back pain\n\nOur clinic opens at nine.\n")
    assert [c.status for c in result.claims] == ["prohibited"]


def test_profiles_uk_asa_refuses_sciatica_even_when_cited():
    text = "---\ntitle: x\nprofile: uk-asa\n---\n\nAcupuncture may give short-term relief of sciatica [1]." + REFS
    rules = [f.rule for f in lint(text).findings]
    assert "claim/uk-asa-acupuncture-scope" in rules
    assert "claim/uk-asa-acupuncture-scope" not in [f.rule for f in lint(text.replace("uk-asa", "us-ftc")).findings]


def test_profile_changes_testimonial_severity():
    story = "One patient told us her back pain vanished."
    us = [f for f in lint(story).findings if f.rule == "claim/testimonial"]
    au = [f for f in lint("---\ntitle: x\nprofile: au-ahpra\n---\n\n" + story).findings if f.rule == "claim/testimonial"]
    assert (us[0].severity.value, au[0].severity.value) == ("warning", "error")


def test_unknown_profile_in_front_matter():
    result = lint("---\ntitle: x\nprofile: mars\n---\n\nText.\n")
    assert [f.rule for f in result.findings] == ["claim/unknown-profile"]


def test_unknown_profile_in_settings_is_a_configuration_error():
    from clinicpress.rulebook import RulebookError

    with pytest.raises(RulebookError, match="profile 'mars' is not in"):
        lint("Text.", profile="mars")


def test_library_suggests_the_approved_reference():
    result = lint("Acupuncture may give short-term relief of chronic low back pain.")
    finding = next(f for f in result.findings if f.rule.startswith("claim/"))
    assert "acupuncture-chronic-low-back-pain" in finding.message
    assert "doi:10.5555/cp.2019.0412" in finding.suggestions[0]


def test_reference_list_problems():
    text = (
        "It may help [1, 2, 3].\n\n## References\n\n1. Lee K. Trial. 2020. doi:10.5555/x.1\n"
        "2. Lee K. Same trial. 2020. DOI: 10.5555/X.1\n3. Ng P. Old notes. 2001.\n4. Bad. doi: 10.55/oops PMID: 0123\n"
    )
    messages = {(f.rule, f.line) for f in lint(text).findings}
    assert ("citation/duplicate", 6) in messages
    assert ("citation/missing-identifier", 7) in messages
    assert ("citation/orphan", 8) in messages
    assert ("citation/malformed-identifier", 8) in messages


def test_author_year_resolves_against_the_list():
    text = "Massage eases stiffness (Brown and Lee, 2019).\n\n## References\n\n- Brown A, Lee K. Massage: a randomised trial. 2019. doi:10.5555/m.1\n"
    assert claim_of(lint(text), "Massage").status == "supported"
    text = text.replace("Brown and Lee, 2019", "Green, 2018")
    assert claim_of(lint(text), "Massage").status == "dangling"


def test_sample_content_shows_every_status():
    linter = Linter.create(Settings(base_dir=REPO, rules="rules"))
    from clinicpress.lint import collect_articles, lint_files

    report = lint_files(collect_articles([REPO / "content"]), Settings(base_dir=REPO, rules="rules"), linter)
    statuses = {claim.status for result in report.files for claim in result.claims}
    assert statuses == {"supported", "unsupported", "dangling", "prohibited"}


def test_named_patient_with_health_details_needs_recorded_consent():
    story = '"My sciatica was gone after two visits," says Priya.'
    rules = [f.rule for f in lint(story).findings]
    assert "privacy/named-patient-without-consent" in rules
    with_consent = "---\ntitle: x\nconsent_ref: CONSENT-2026-014\n---\n\n" + story
    assert "privacy/named-patient-without-consent" not in [f.rule for f in lint(with_consent).findings]
    unnamed = "One patient told us her sciatica vanished after two visits."
    assert "privacy/named-patient-without-consent" not in [f.rule for f in lint(unnamed).findings]
