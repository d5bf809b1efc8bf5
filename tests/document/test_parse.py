"""The document model: what is prose and what is not, sections, references, sentences."""

from __future__ import annotations

import pytest

from clinicpress.document import parse_document


def prose_words(document) -> list[str]:
    return document.prose.split()


def test_front_matter_is_not_prose_but_title_and_description_are():
    document = parse_document('---\ntitle: "Sciatica: a guide"\nslug: sciatica-guide\ndescription: Short one.\n---\nBody text.\n')
    words = prose_words(document)
    assert "slug:" not in words and "sciatica-guide" not in words
    assert document.front_matter["slug"] == "sciatica-guide"
    assert document.front_matter_lines["description"] == 4
    kinds = {block.kind: block.span.of(document.source) for block in document.blocks}
    assert kinds["title"] == "Sciatica: a guide"
    assert kinds["description"] == "Short one."


@pytest.mark.parametrize(
    "markdown, hidden",
    [
        ("Use `ibuprofn --dose` here.", "ibuprofn"),
        ("```\nsciatca in code\n```\n", "sciatca"),
        ("    indented sciatca code\n", "sciatca"),
        ("Text <span class=\"tisuse\">ok</span> more.", "tisuse"),
        ("<div class=\"tisuse\">\n</div>\n", "tisuse"),
        ("Text <!-- tisuse in a comment --> more.", "tisuse"),
        ("See [our page](https://clinic.test/tisuse) today.", "tisuse"),
        ("![x ray](images/tisuse.png)", "tisuse"),
        ("Visit https://clinic.test/tisuse now.", "tisuse"),
        ("Mail tisuse@clinic.test now.", "tisuse"),
        ("Go to <https://clinic.test/tisuse> now.", "tisuse"),
    ],
)
def test_non_prose_is_masked(markdown, hidden):
    document = parse_document(markdown)
    assert hidden not in document.prose
    assert len(document.prose) == len(document.source)


def test_link_text_and_image_alt_are_prose():
    document = parse_document("Read [our sciatca guide](https://x.test/a) and ![a tisuse diagram](d.png).")
    assert "sciatca" in document.prose and "tisuse" in document.prose
    link = next(link for link in document.links if not link.is_image)
    assert link.text_span.of(document.source) == "our sciatca guide"
    assert link.target == "https://x.test/a"
    assert link.target_span.of(document.source) == "https://x.test/a"


def test_escapes_and_entities_keep_offsets():
    document = parse_document("Pain &amp; stiffness \\*really\\* ease.")
    assert "Pain" in document.prose and "stiffness" in document.prose
    assert "&amp;" not in document.prose
    assert len(document.prose) == len(document.source)


def test_html_block_text_is_still_prose():
    document = parse_document("<p>Pasted paragraph about sciatca.</p>\n")
    assert "sciatca" in document.prose
    assert "<p>" not in document.prose


def test_sections_and_block_kinds():
    source = "# Sciatica\n\nIntro.\n\n## Treatment\n\n> A quote.\n\n- One item.\n\n| a |\n|---|\n| cell |\n"
    document = parse_document(source)
    by_text = {block.span.of(document.source): block for block in document.blocks}
    assert by_text["Intro."].section == "Sciatica"
    assert by_text["A quote."].containers == ("blockquote",)
    assert by_text["A quote."].section == "Treatment"
    assert by_text["One item."].containers == ("bullet_list",)
    assert by_text["cell"].kind == "table_cell"
    assert [h.text for h in document.headings] == ["Sciatica", "Treatment"]
    assert [(s.text, s.section) for s in document.sentences][:2] == [("Sciatica", "Sciatica"), ("Intro.", "Sciatica")]


def test_markers_after_the_full_stop_belong_to_the_sentence_before():
    document = parse_document("Acupuncture may ease sciatica.¹,² It can also help sleep.³\n")
    first, second = document.sentences
    assert first.span.of(document.source) == "Acupuncture may ease sciatica.¹,²"
    assert first.citations[0].labels == ("1", "2")
    assert second.span.of(document.source) == "It can also help sleep.³"
    assert second.citations[0].labels == ("3",)


@pytest.mark.parametrize(
    "text, kind, labels",
    [
        ("It helps [1].", "bracket", ("1",)),
        ("It helps [1, 3].", "bracket", ("1", "3")),
        ("It helps [2–4].", "bracket", ("2", "3", "4")),
        ("It helps \\[2\\].", "bracket", ("2",)),
        ("It helps.¹⁻³", "superscript", ("1", "2", "3")),
        ("It helps.[^2]\n\n[^2]: Lee K. Trial. 2021.", "footnote", ("2",)),
        ("It helps.<sup>5</sup>", "sup_html", ("5",)),
        ("It helps (Smith et al., 2020).", "author_year", ("Smith et al. 2020",)),
    ],
)
def test_citation_markers(text, kind, labels):
    document = parse_document(text)
    marker = document.sentences[0].citations[0]
    assert (marker.kind, marker.labels) == (kind, labels)


def test_identifiers_and_scholarly_links_are_markers():
    document = parse_document(
        "One review agrees (doi:10.5555/cp.2020.1). PMID: 1234567 says so. "
        "A [Cochrane review](https://www.cochranelibrary.com/x) too."
    )
    kinds = [(c.kind, c.target) for s in document.sentences for c in s.citations]
    assert ("identifier", "doi:10.5555/cp.2020.1") in kinds
    assert ("identifier", "pmid:1234567") in kinds
    assert ("scholarly_link", "https://www.cochranelibrary.com/x") in kinds


def test_square_metres_are_not_citations():
    assert parse_document("The room is 12 m² in size.").citations == ()


def test_a_contraction_before_the_stop_is_not_an_initial():
    document = parse_document("We'd love to, but we can't. Trials so far are small.")
    assert [s.text for s in document.sentences] == ["We'd love to, but we can't.", "Trials so far are small."]


def test_abbreviations_do_not_end_sentences():
    document = parse_document("Dr. Lee uses e.g. cupping. Smith J. et al. agree. Then we rest.")
    assert [s.text for s in document.sentences] == ["Dr. Lee uses e.g. cupping.", "Smith J. et al. agree.", "Then we rest."]


def test_references_under_a_heading():
    document = parse_document(
        "Body.[1]\n\n## References\n\n1. Smith J. A trial. J Pain. 2020. doi:10.5555/a\n2. Lee K. Review. 2019.\n\n## After\n\nMore body.\n"
    )
    assert document.references.found_by == "heading"
    assert [(e.label, e.text) for e in document.references.entries] == [
        ("1", "Smith J. A trial. J Pain. 2020. doi:10.5555/a"),
        ("2", "Lee K. Review. 2019."),
    ]
    in_refs = {block.span.of(document.source): block.in_references for block in document.blocks}
    assert in_refs["More body."] is False
    assert in_refs["Body."] is False


def test_references_as_footnotes():
    document = parse_document("Claim.[^a]\n\n[^a]: Smith J. Trial of things. 2020.\n")
    assert document.references.found_by == "footnotes"
    assert document.references.entries[0].label == "a"


def test_trailing_numbered_list_without_heading():
    source = (
        "Intro.\n\n1. Rest first.\n2. Then move.\n\nMore text.\n\n"
        "1. Smith J, Lee K. Acupuncture for pain. J Pain. 2019;3(2):1-9.\n"
        "2. Brown A et al. Massage review. Pain Med. 2020. PMID: 1234567\n"
    )
    document = parse_document(source)
    assert document.references.found_by == "trailing_list"
    assert [e.label for e in document.references.entries] == ["1", "2"]
    assert "Rest first." not in [e.text for e in document.references.entries]


def test_a_trailing_list_of_advice_is_not_a_reference_list():
    document = parse_document("Intro.\n\n1. Rest first.\n2. Then move gently.\n")
    assert document.references is None


def test_windows_line_endings_are_normalised_and_remembered():
    document = parse_document(b"# Title\r\n\r\nBody text.\r\n")
    assert document.newline == "\r\n"
    assert "\r" not in document.source
    assert document.sentences[-1].text == "Body text."


def test_plain_text_articles():
    document = parse_document("First para.\n\nSecond para.\nReferences\n1. Smith J. Trial. J Pain. 2020.\n", is_markdown=False)
    assert [b.span.of(document.source) for b in document.blocks][:2] == ["First para.", "Second para."]
    assert document.references is not None and document.references.entries[0].label == "1"


def test_suppression_comments_are_collected():
    document = parse_document('Text.\n\n<!-- clinicpress-disable-next-line typo/run-together reason="quote" -->\nAlot.\n')
    assert [c.body for c in document.comments] == ['clinicpress-disable-next-line typo/run-together reason="quote"']
