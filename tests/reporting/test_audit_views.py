"""The audit's HTML page and Markdown summary: both drawn from audit_json.as_data.

Hostile article text (a <script> tag, an onerror attribute) must reach the page as text; the page
must work from a file:// URL in a real browser without a single network request; editors must be
able to filter, sort, print and read it on a phone. The browser tests use Debian's Chromium through
Playwright and skip when either is missing, unless CLINICPRESS_REQUIRE_BROWSER=1 (CI) makes that a
failure.

Golden file: CLINICPRESS_UPDATE_GOLDEN=1 pytest tests/reporting rewrites
tests/reporting/audit/small-report.md from the current formatter; review the diff before committing.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from clinicpress.lint import lint_paths
from clinicpress.model import (
    Category,
    ClaimRecord,
    DisclaimerRecord,
    EngineInfo,
    FileResult,
    Finding,
    LineIndex,
    ReferenceRecord,
    Report,
    Severity,
    Span,
)
from clinicpress.reporting import audit_html, audit_json, audit_markdown
from clinicpress.settings import Settings, load_settings

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
FIXTURES = HERE / "audit"
TEMPLATES = REPO / "src" / "clinicpress" / "reporting" / "templates"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
REQUIRE_BROWSER = os.environ.get("CLINICPRESS_REQUIRE_BROWSER") == "1"
SCRIPT_TAG = "<script>alert(1)</script>"
IMG_TAG = "<img src=x onerror=alert(1)>"


# --- a small hand-made report -------------------------------------------------------------------

HOSTILE_PATH = "content/sleep | <tea>.md"
HOSTILE_TITLE = f"Sleep {SCRIPT_TAG} & {IMG_TAG}"
HOSTILE_SOURCE = f"""\
---
title: "{HOSTILE_TITLE}"
status: draft
---
# Sleep

Winter nights are long. Our tea {SCRIPT_TAG} cures insomnia for good {IMG_TAG}. Most people like it.

A trial found melatonin shortened sleep onset by *7 minutes* [1]. Chamomile | valerian work better than pills.

Magnesium eases restless legs [2].

## References

1. Example Author A, Sample B. Meta-analysis: melatonin for sleep onset in adults. *Journal of Example Sleep Studies*. 2019;4(2):11-19. doi:10.5555/example.sleep.0412 PMID: 9123456
"""
CLEAN_PATH = "content/stretching.md"
CLEAN_SOURCE = """\
---
title: Gentle stretching
status: approved
---
# Gentle stretching

A review found that daily stretching improved flexibility in older adults [1]. Alot of people enjoy it.

<!-- clinicpress-disable-next-line typo/run-together reason="quoting a patient's e-mail" -->
"""


def _claim(source: str, sentence: str, status: str, kinds: tuple[str, ...], triggers: tuple[str, ...], **extra) -> ClaimRecord:
    start = source.index(sentence)
    span = Span(start, start + len(sentence))
    paragraph_start = source.rfind("\n\n", 0, start) + 2
    paragraph_end = source.find("\n\n", start)
    context = source[paragraph_start:paragraph_end]
    trigger_spans = tuple(Span(source.index(t, start), source.index(t, start) + len(t)) for t in triggers)
    fields = dict(citations=(), references=(), concerns=(), suggestion="", scope="sentence", section="Sleep")
    fields.update(extra)
    return ClaimRecord(
        sentence=sentence,
        span=span,
        position=LineIndex(source).position(span),
        kinds=kinds,
        triggers=triggers,
        trigger_spans=trigger_spans,
        status=status,
        context=context,
        context_start=paragraph_start,
        **fields,
    )


def _finding(path: str, source: str, needle: str, rule: str, category: Category, severity: Severity, message: str, **extra) -> Finding:
    start = source.index(needle)
    span = Span(start, start + len(needle))
    return Finding(rule, category, severity, path, span, LineIndex(source).position(span), needle, message, **extra)


MELATONIN = ReferenceRecord(
    id="1",
    text="Example Author A, Sample B. Meta-analysis: melatonin for sleep onset in adults. *Journal of Example Sleep Studies*. 2019;4(2):11-19.",
    doi="10.5555/example.sleep.0412",
    pmid="9123456",
    evidence="strong",
)


def small_report() -> Report:
    hostile_sentence = f"Our tea {SCRIPT_TAG} cures insomnia for good {IMG_TAG}."
    hostile = FileResult(
        path=HOSTILE_PATH,
        findings=(
            _finding(HOSTILE_PATH, HOSTILE_SOURCE, "status: draft", "metadata/approval-missing", Category.METADATA,
                     Severity.ERROR, "no approval record: add approved_by and approved_on"),
            _finding(HOSTILE_PATH, HOSTILE_SOURCE, "[2]", "citation/dangling", Category.CITATION, Severity.ERROR,
                     "Citation marker points at no reference: [2] has no entry in the reference list"),
        ),
        facts=(
            ("title", HOSTILE_TITLE),
            ("sha256", "1" * 64),
            ("front_matter", {"title": HOSTILE_TITLE, "status": "draft"}),
            ("claims", (
                _claim(HOSTILE_SOURCE, hostile_sentence, "prohibited", ("cure", "absolute"), ("cures insomnia", "for good"),
                       suggestion="Many people find a warm drink <b>relaxing</b> before bed."),
                _claim(HOSTILE_SOURCE, "A trial found melatonin shortened sleep onset by *7 minutes* [1].", "supported",
                       ("establishment", "efficacy", "quantified"), ("A trial found", "shortened sleep onset"),
                       citations=("[1]",), references=(MELATONIN,)),
                _claim(HOSTILE_SOURCE, "Chamomile | valerian work better than pills.", "unsupported",
                       ("comparative",), ("work better than",), concerns=("compares with $5 pills, no comparator",)),
                _claim(HOSTILE_SOURCE, "Magnesium eases restless legs [2].", "dangling", ("efficacy",),
                       ("Magnesium eases",), citations=("[2]",)),
            )),
            ("disclaimers", (DisclaimerRecord("disclaimer/medical-advice", "missing", "Medical-advice disclaimer: missing", None),)),
        ),
    )
    clean = FileResult(
        path=CLEAN_PATH,
        findings=(),
        suppressed=(
            _finding(CLEAN_PATH, CLEAN_SOURCE, "Alot", "typo/run-together", Category.SPELLING, Severity.ERROR,
                     "'Alot' is two words").suppressed_because("quoting a patient's e-mail"),
        ),
        facts=(
            ("title", "Gentle stretching"),
            ("sha256", "2" * 64),
            ("front_matter", {"title": "Gentle stretching", "status": "approved", "approved_by": "Priya",
                              "approved_on": "2026-01-02", "medical_reviewer": "Dr Brooks", "reviewed_on": "2026-01-01"}),
            ("claims", (
                _claim(CLEAN_SOURCE, "A review found that daily stretching improved flexibility in older adults [1].",
                       "supported", ("establishment", "efficacy"), ("A review found", "improved flexibility"),
                       citations=("[1]",), references=(ReferenceRecord("1", "Smith J. Stretching. 2020.", None, None, "weak"),),
                       section=None),
            )),
            ("disclaimers", (DisclaimerRecord("disclaimer/medical-advice", "present", "present in the approved wording", 9),)),
        ),
    )
    # As the pipeline builds it for a file it cannot decode: one input finding, no facts.
    unreadable = FileResult(
        path="content/broken.md",
        findings=(Finding("input/encoding", Category.INPUT, Severity.ERROR, "content/broken.md", Span(0, 0),
                          LineIndex("").position(Span(0, 0)), "", "content/broken.md is not valid UTF-8: save it as UTF-8"),),
    )
    return Report(
        files=(hostile, clean, unreadable),
        errors=("content/drafts: no articles found (looked for .md, .markdown, .txt files)",),
        tool_version="9.9.9",
        engines=(EngineInfo("spelling", "clinicpress-offline", "1.0"),),
        rule_pack_hash="ab" * 32,
        generated_at="2026-01-02T03:04:05+00:00",
        profile="us-ftc",
    )


@pytest.fixture(scope="module")
def content_report() -> Report:
    return lint_paths([REPO / "content"], load_settings(REPO))


@pytest.fixture(scope="module")
def content_html(content_report: Report, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("audit") / "audit.html"
    path.write_text(audit_html.render(content_report), encoding="utf-8")
    return path


# --- reading the HTML without a browser ---------------------------------------------------------


class Page(HTMLParser):
    """Elements, headings, labels and the text outside scripts, as a browser's parser sees them."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[str] = []
        self.headings: list[tuple[int, str]] = []
        self.text: list[str] = []
        self._in: list[str] = []
        self._heading: list[str] | None = None
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag in ("script", "style"):
            self._in.append(tag)
            if tag == "script":
                self.scripts.append("")
        if re.fullmatch(r"h[1-6]", tag):
            self._heading = [tag]

    def handle_endtag(self, tag: str) -> None:
        if self._in and self._in[-1] == tag:
            self._in.pop()
        if self._heading and tag == self._heading[0]:
            self.headings.append((int(tag[1]), "".join(self._heading[1:]).strip()))
            self._heading = None

    def handle_data(self, data: str) -> None:
        if self._in and self._in[-1] == "script":
            self.scripts[-1] += data
        elif not self._in:
            self.text.append(data)
            if self._heading is not None:
                self._heading.append(data)

    def all(self, tag: str) -> list[dict[str, str | None]]:
        return [attrs for name, attrs in self.tags if name == tag]

    def by_class(self, name: str) -> list[tuple[str, dict[str, str | None]]]:
        return [(tag, attrs) for tag, attrs in self.tags if name in (attrs.get("class") or "").split()]


def _outside_own_script(html: str) -> str:
    own = "<script>" + (TEMPLATES / "audit.js").read_text(encoding="utf-8") + "</script>"
    assert html.count(own) == 1
    return html.replace(own, "")


def test_hostile_text_is_escaped_in_the_html() -> None:
    html = audit_html.render(small_report())
    page = Page(html)
    rest = _outside_own_script(html)
    for raw in (SCRIPT_TAG, IMG_TAG, "<img", "onerror=alert(1)>", "<b>relaxing</b>", "<tea>"):
        assert raw not in rest
    assert [tag for tag, _ in page.tags].count("script") == 1
    assert page.all("img") == []
    assert not [(tag, name) for tag, attrs in page.tags for name in attrs if name.lower().startswith("on")]
    # ...and the text is still there for the editor to read, in the title and in the claim.
    text = "".join(page.text)
    assert text.count(HOSTILE_TITLE) >= 2  # the article heading and the blocked list
    assert f"Our tea {SCRIPT_TAG} cures insomnia for good {IMG_TAG}." in text
    assert "<b>relaxing</b>" in text


def test_hostile_article_through_the_real_pipeline_is_escaped(tmp_path: Path) -> None:
    article = tmp_path / "hostile.md"
    shutil.copy(FIXTURES / "hostile.md", article)
    report = lint_paths([article], Settings(base_dir=REPO, rules="rules", cache=False))
    claims = report.files[0].claims
    assert claims and any("<img" in claim.context for claim in claims)
    html = audit_html.render(report)
    rest = _outside_own_script(html)
    assert "<script>" not in rest and "<img" not in rest and "<b onmouseover" not in rest
    assert "&lt;img src=x onerror=alert(1)&gt;" in rest


def test_page_is_self_contained_and_pinned_by_csp() -> None:
    html = audit_html.render(small_report())
    page = Page(html)
    assert not page.all("img") and not [a for a in page.all("script") if "src" in a]
    assert [a.get("href") for a in page.all("link")] == ["data:,"]
    assert "url(" not in (TEMPLATES / "audit.css").read_text(encoding="utf-8")
    assert "@import" not in (TEMPLATES / "audit.css").read_text(encoding="utf-8")
    (csp,) = [a["content"] for a in page.all("meta") if a.get("http-equiv") == "Content-Security-Policy"]
    assert "default-src 'none'" in csp and "'unsafe-inline'" not in csp
    # Every link out is to the reference itself, never something the page loads.
    hrefs = [a.get("href") or "" for a in page.all("a")]
    external = [h for h in hrefs if not h.startswith("#")]
    assert external == [
        "https://doi.org/10.5555/example.sleep.0412",
        "https://pubmed.ncbi.nlm.nih.gov/9123456/",
    ]


def test_html_is_drawn_from_the_audit_data(content_report: Report) -> None:
    data = audit_json.as_data(content_report)
    page = Page(audit_html.render(content_report))
    claims = [attrs for tag, attrs in page.by_class("claim") if tag == "li"]
    expected = [c["status"] for a in data["articles"] for c in a["claims"]]
    assert [c["data-status"] for c in claims] == expected
    assert len(page.by_class("article")) == data["summary"]["articles"]
    attention = [c for c in expected if c != "supported"]
    assert len([1 for tag, _ in page.by_class("attention-claim")]) == len(attention)
    text = " ".join("".join(page.text).split())
    for article in data["articles"]:
        for reason in article["blocked_because"]:
            assert " ".join(reason.split()) in text
        for claim in article["claims"]:
            start, end = claim["sentence_in_context"]
            assert " ".join(claim["context"][start:end].split()) in text
            if claim["status"] != "supported":
                assert " ".join(claim["sentence"].split()) in text
            for reference in claim["references"]:
                if reference["doi"]:
                    assert {"href": f"https://doi.org/{reference['doi']}", "rel": "noreferrer"} in page.all("a")
    for article in data["articles"]:
        assert article["sha256"] in text  # provenance: each input's hash


def test_reference_text_keeps_identifiers_whole() -> None:
    parts = audit_html._emphasis("Lee K. *Gut* 2020. https://x.org/a_b_c and _Lancet_.")
    assert "".join(p["text"] for p in parts) == "Lee K. Gut 2020. https://x.org/a_b_c and Lancet."
    assert [p["text"] for p in parts if p["em"]] == ["Gut", "Lancet"]


def test_empty_report_renders() -> None:
    report = Report(files=(), tool_version="9.9.9")
    assert "<h1>Claim audit</h1>" in audit_html.render(report)
    assert "**0 articles**" in audit_markdown.render(report)


def test_highlight_cuts_the_paragraph_without_losing_text() -> None:
    context = "One. Two <b> three & four five. Six."
    runs = audit_html.highlight(context, [5, 31], [[9, 12], [10, 20], [26, 31], [40, 99]])
    assert "".join(p["text"] for r in runs for p in r["parts"]) == context
    marked = [(p["text"], p["strong"]) for r in runs if r["mark"] for p in r["parts"]]
    # The two overlapping triggers merge; the one past the end is dropped.
    assert marked == [("Two ", False), ("<b> three &", True), (" four ", False), ("five.", True)]
    # A bad span costs the highlight, never the text.
    runs = audit_html.highlight("abc", [2, 1], [[-5, 99]])
    assert "".join(p["text"] for r in runs for p in r["parts"]) == "abc"


def test_long_paragraphs_are_cut_around_the_claim() -> None:
    before, sentence, after = "Filler words here. " * 60, "Our tea cures insomnia.", " More filler text." * 60
    context = before + sentence + after
    start = len(before)
    runs = audit_html.highlight(context, [start, start + len(sentence)], [[start + 8, start + 13]])
    shown = "".join(p["text"] for r in runs for p in r["parts"])
    assert len(shown) < len(context) and shown.startswith("… ") and shown.endswith(" …")
    assert "".join(p["text"] for r in runs if r["mark"] for p in r["parts"]) == sentence


def test_importing_the_views_does_not_import_jinja2() -> None:
    code = "import sys, clinicpress.reporting.audit_html, clinicpress.reporting.audit_markdown; print('jinja2' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO)
    assert out.stdout.strip() == "False"


# --- accessibility without a browser ------------------------------------------------------------


def test_headings_labels_and_status_words(content_report: Report) -> None:
    for report in (content_report, small_report()):
        page = Page(audit_html.render(report))
        levels = [level for level, _ in page.headings]
        assert levels.count(1) == 1 and levels[0] == 1
        assert all(b <= a + 1 for a, b in zip(levels, levels[1:])), page.headings
        assert all(text for _, text in page.headings)
        labelled = {attrs.get("for") for attrs in page.all("label")}
        for tag in ("select", "input", "textarea"):
            for attrs in page.all(tag):
                assert attrs.get("id") in labelled or attrs.get("aria-label"), (tag, attrs)
        assert Page(audit_html.render(report)).all("html")[0].get("lang") == "en"
    # Status as a word, not only a colour: every badge says its status.
    html = audit_html.render(small_report())
    for status in audit_json.STATUSES:
        assert re.search(rf'<span class="badge badge--{status}">.*?</span> {status}</span>', html)


def _css_variables() -> dict[str, str]:
    css = (TEMPLATES / "audit.css").read_text(encoding="utf-8")
    root = re.search(r":root\s*{(.*?)}", css, re.S).group(1)
    return dict(re.findall(r"--([\w-]+):\s*(#[0-9a-fA-F]{6})\s*;", root))


def _luminance(colour: str | tuple[float, float, float]) -> float:
    if isinstance(colour, str):
        colour = tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5))
    def channel(value: float) -> float:
        value /= 255
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(v) for v in colour)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a, b) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_colours_meet_wcag_contrast() -> None:
    v = _css_variables()
    text_pairs = [
        ("text", "surface"), ("text", "page"), ("muted", "surface"), ("muted", "page"), ("muted", "code-bg"),
        ("link", "surface"), ("link", "page"), ("mark-text", "mark-bg"), ("code-text", "code-bg"),
        ("head-text", "head-bg"), ("head-muted", "head-bg"), ("info-fg", "info-bg"), ("text", "code-bg"),
    ]
    for status in audit_json.STATUSES:
        text_pairs += [(f"{status}-fg", f"{status}-bg"), (f"{status}-fg", "surface"), (f"{status}-fg", "page")]
    for fg, bg in text_pairs:
        assert contrast(v[fg], v[bg]) >= 4.5, (fg, bg, round(contrast(v[fg], v[bg]), 2))
    # Borders and bar segments that carry status: WCAG 1.4.11 asks 3:1 for such graphics.
    for status in audit_json.STATUSES:
        assert contrast(v[f"{status}-solid"], v["surface"]) >= 3.0, status
    # The four statuses must not share a colour.
    assert len({v[f"{status}-fg"] for status in audit_json.STATUSES}) == 4


# --- Markdown -----------------------------------------------------------------------------------


def test_markdown_matches_the_golden_file() -> None:
    rendered = audit_markdown.render(small_report())
    golden = FIXTURES / "small-report.md"
    if os.environ.get("CLINICPRESS_UPDATE_GOLDEN") == "1":
        golden.write_text(rendered, encoding="utf-8")
    assert rendered == golden.read_text(encoding="utf-8")


def test_markdown_escapes_article_text() -> None:
    rendered = audit_markdown.render(small_report())
    # Code spans show their text literally, so only what is outside them could become markup.
    prose = re.sub(r"`[^`]*`", "", rendered)
    assert "<script>" not in prose and "<img" not in prose and "<b>" not in prose and "<tea>" not in prose
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in prose
    assert "Chamomile \\| valerian" in rendered
    # Every table row keeps its columns: an unescaped pipe in a title would add one.
    for block in re.findall(r"(?:^\|.*\n)+", rendered, re.M):
        rows = block.splitlines()
        widths = {len(re.findall(r"(?<!\\)\|", row)) for row in rows}
        assert len(widths) == 1, rows


def test_markdown_lists_every_claim_that_needs_work(content_report: Report) -> None:
    data = audit_json.as_data(content_report)
    rendered = audit_markdown.render(content_report)
    s = data["summary"]
    assert f"**{s['ready']}** ready to publish" in rendered and f"**{s['blocked']}** blocked" in rendered
    assert "| Article | Ready | Claims | Supported | Unsupported | Dangling | Prohibited | Blocked because |" in rendered
    for article in data["articles"]:
        assert f"`{article['path']}`" in rendered
        for claim in article["claims"]:
            where = f"`{article['path']}:{claim['line']}`"
            if claim["status"] in ("unsupported", "prohibited", "dangling"):
                assert where in rendered
    assert f"Prohibited claims ({s['claims_by_status']['prohibited']})" in rendered
    assert f"Unsupported claims ({s['claims_by_status']['unsupported']})" in rendered


def test_markdown_stays_small_for_a_big_corpus() -> None:
    template = small_report().files[0]
    files = tuple(
        FileResult(path=f"content/section-{i:04d}/a-rather-long-article-name-{i}.md", findings=template.findings,
                   facts=template.facts)
        for i in range(3000)
    )
    report = Report(files=files, tool_version="9.9.9", generated_at="2026-01-02T03:04:05+00:00", profile="us-ftc")
    rendered = audit_markdown.render(report)
    assert len(rendered.encode("utf-8")) <= audit_markdown.LIMIT
    assert "more articles not listed (3000 blocked, 0 ready)" not in rendered  # some rows are listed
    assert re.search(r"\*\d+ more articles not listed \(\d+ blocked, 0 ready\)", rendered)
    assert re.search(r"\*\d+ more not listed: see the HTML or JSON audit\.\*", rendered)
    assert "Prohibited claims (3000)" in rendered and "Unsupported claims (3000)" in rendered


# --- in a real browser --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser():
    missing = []
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing.append("the playwright package is not installed (pip install playwright)")
    if not CHROMIUM.exists():
        missing.append(f"{CHROMIUM} is missing (apt-get install chromium)")
    if missing:
        reason = "; ".join(missing)
        if REQUIRE_BROWSER:
            pytest.fail(f"CLINICPRESS_REQUIRE_BROWSER=1, but {reason}", pytrace=False)
        pytest.skip(f"no browser for the audit page tests: {reason}")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


class Visit:
    """One page in its own browser context, recording what would betray a broken page."""

    def __init__(self, browser, path: Path, **context) -> None:
        self.context = browser.new_context(**context)
        self.page = self.context.new_page()
        # A busy CI machine (or one writing a 100,000-article corpus) can be slow to paint.
        self.page.set_default_timeout(90_000)
        self.requests: list[str] = []
        self.console_errors: list[str] = []
        self.dialogs: list[str] = []
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.on("console", lambda message: message.type == "error" and self.console_errors.append(message.text))
        self.page.on("pageerror", lambda error: self.console_errors.append(str(error)))
        self.page.on("dialog", self._dialog)
        self.url = path.resolve().as_uri()
        self.page.goto(self.url)
        self.page.wait_for_load_state("load")

    def _dialog(self, dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def visible_claims(self) -> list[dict]:
        return self.page.eval_on_selector_all(
            ".claim",
            """els => els.filter(e => e.checkVisibility()).map(e => ({
                id: e.id, status: e.dataset.status, kinds: e.dataset.kinds.split(' '), rank: Number(e.dataset.rank),
                article: e.closest('.article').dataset.article}))""",
        )

    def article_order(self) -> list[str]:
        return self.page.eval_on_selector_all(".article", "els => els.filter(e => e.checkVisibility()).map(e => e.id)")

    def assert_clean(self) -> None:
        assert self.console_errors == []
        assert self.dialogs == []
        assert [u for u in self.requests if u != self.url and not u.startswith("data:")] == []

    def close(self) -> None:
        self.context.close()


@pytest.mark.slow
def test_filters_sorting_and_screenshots(browser, content_report: Report, content_html: Path, tmp_path: Path) -> None:
    data = audit_json.as_data(content_report)
    s = data["summary"]
    visit = Visit(browser, content_html, viewport={"width": 1280, "height": 900})
    page = visit.page
    try:
        assert page.is_visible("#controls")
        assert len(visit.visible_claims()) == s["claims"]
        assert f"Showing {s['claims']} of {s['claims']} claims" in page.inner_text("#shown")

        page.select_option("#filter-status", "unsupported")
        shown = visit.visible_claims()
        assert len(shown) == s["claims_by_status"]["unsupported"] > 0
        assert {c["status"] for c in shown} == {"unsupported"}
        assert f"Showing {len(shown)} of {s['claims']} claims" in page.inner_text("#shown")
        assert "Filtered by status unsupported" in page.inner_text("#shown")
        # Articles without an unsupported claim are out of the way.
        assert len(visit.article_order()) == len({c["article"] for c in shown})

        page.select_option("#filter-status", "")
        kind = max(s["claims_by_kind"], key=lambda k: (s["claims_by_kind"][k] < s["claims"], -s["claims_by_kind"][k]))
        page.select_option("#filter-kind", kind)
        shown = visit.visible_claims()
        assert len(shown) == s["claims_by_kind"][kind] and all(kind in c["kinds"] for c in shown)

        page.select_option("#filter-kind", "")
        index = max(range(len(data["articles"])), key=lambda i: len(data["articles"][i]["claims"]))
        page.select_option("#filter-article", str(index + 1))
        shown = visit.visible_claims()
        assert len(shown) == len(data["articles"][index]["claims"])
        assert visit.article_order() == [f"article-{index + 1}"]

        page.select_option("#filter-article", "")
        page.fill("#filter-text", "sciatica")
        shown = visit.visible_claims()
        assert 0 < len(shown) < s["claims"]

        page.fill("#filter-text", "no claim says this: zqxj")
        assert visit.visible_claims() == [] and page.is_visible("#no-match")

        page.click("#reset")
        assert len(visit.visible_claims()) == s["claims"] and not page.is_visible("#no-match")
        assert page.input_value("#filter-text") == ""

        # Sorting: worst first puts the articles with prohibited claims on top, claims worst first.
        by_path = visit.article_order()
        page.select_option("#sort", "severity")
        by_severity = visit.article_order()
        assert by_severity != by_path and sorted(by_severity) == sorted(by_path)
        first = by_severity[0]
        ranks = [c["rank"] for c in visit.visible_claims() if c["article"] == first.split("-")[1]]
        assert ranks[0] == max(c["rank"] for c in visit.visible_claims()) and ranks == sorted(ranks, reverse=True)
        page.select_option("#sort", "path")
        assert visit.article_order() == by_path

        # A link from the summary to a claim the filters hide shows everything again.
        page.select_option("#filter-status", "supported")
        target = page.get_attribute(".attention-where a", "href")
        page.click(".attention-where a >> nth=0")
        page.wait_for_function(f"document.querySelector('{target}').checkVisibility()")
        assert page.input_value("#filter-status") == ""
        page.evaluate("window.scrollTo(0, 0)")

        # The status colours as the browser computes them.
        for status in audit_json.STATUSES:
            fg, bg = page.eval_on_selector(
                f".badge--{status}", "e => [getComputedStyle(e).color, getComputedStyle(e).backgroundColor]"
            )
            rgb = lambda css: tuple(float(x) for x in re.findall(r"[\d.]+", css)[:3])
            assert contrast(rgb(fg), rgb(bg)) >= 4.5, status

        page.screenshot(path=str(tmp_path / "audit.png"), full_page=True)
        shutil.copy(tmp_path / "audit.png", "/tmp/clinicpress-audit.png")

        # Paper: no controls, every claim still there.
        page.emulate_media(media="print")
        assert not page.is_visible("#controls")
        assert len(visit.visible_claims()) == s["claims"]
        page.pdf(path=str(tmp_path / "audit.pdf"))
        assert (tmp_path / "audit.pdf").stat().st_size > 10_000
        visit.assert_clean()
    finally:
        visit.close()


@pytest.mark.slow
def test_phone_layout(browser, content_html: Path, tmp_path: Path) -> None:
    visit = Visit(browser, content_html, viewport={"width": 390, "height": 844}, is_mobile=True)
    try:
        page = visit.page
        # Nothing wider than the screen: an editor on a phone never scrolls sideways.
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        page.select_option("#filter-status", "prohibited")
        assert {c["status"] for c in visit.visible_claims()} == {"prohibited"}
        page.select_option("#filter-status", "")
        page.screenshot(path=str(tmp_path / "audit-phone.png"), full_page=True)
        shutil.copy(tmp_path / "audit-phone.png", "/tmp/clinicpress-audit-phone.png")
        visit.assert_clean()
    finally:
        visit.close()


@pytest.mark.slow
def test_hostile_text_shows_as_text_in_the_browser(browser, tmp_path: Path) -> None:
    path = tmp_path / "hostile.html"
    path.write_text(audit_html.render(small_report()), encoding="utf-8")
    visit = Visit(browser, path)
    try:
        page = visit.page
        page.wait_for_timeout(200)  # a dialog would open asynchronously, after an image error
        assert page.inner_text("#article-1-title") == HOSTILE_TITLE
        assert page.inner_text("#article-1-claim-1 mark") == f"Our tea {SCRIPT_TAG} cures insomnia for good {IMG_TAG}."
        assert page.eval_on_selector_all("img", "els => els.length") == 0
        assert page.eval_on_selector_all("script", "els => els.length") == 1
        visit.assert_clean()
    finally:
        visit.close()
