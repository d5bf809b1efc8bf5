"""JUnit XML, the lowest common denominator of CI test reporters (Jenkins, GitLab, GitHub actions
that publish test results): one suite per article, one failing test case per finding.

The element and attribute set stays inside the Jenkins xunit plugin's junit-10.xsd, which is
what those readers accept; tests/reporting validates against it."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from clinicpress.model import Category, FileResult, Finding, Report

DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n'
# Report.errors are not about one article, so they get a suite of their own under this name.
RUN_SUITE = "clinicpress"

# XML 1.0 cannot carry these at all, not even as character references; an article can.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def render(report: Report, color: bool = False) -> str:
    root = ET.Element("testsuites", name="clinicpress")
    suites = [_file_suite(result) for result in report.files]
    if report.errors:
        suites.append(_run_errors_suite(report.errors))
    for suite in suites:
        # Which engine judged the spelling, as JUnit readers show run metadata: suite properties.
        if report.engines:
            properties = ET.Element("properties")
            for engine in report.engines:
                properties.append(ET.Element("property", name=f"clinicpress.{engine.role}", value=f"{engine.name} {engine.version}"))
            suite.insert(0, properties)
        root.append(suite)
    for total in ("tests", "failures", "errors"):
        root.set(total, str(sum(int(suite.get(total, "0")) for suite in suites)))
    ET.indent(root)
    return DECLARATION + ET.tostring(root, encoding="unicode") + "\n"


def _file_suite(result: FileResult) -> ET.Element:
    cases = [_finding_case(finding) for finding in result.findings]
    cases += [_suppressed_case(finding) for finding in result.suppressed]
    if not result.findings:
        # A reader shows an article with nothing wrong as passed rather than as an empty suite.
        cases.append(_element("testcase", classname=result.path, name="no findings"))
    return _suite(result.path, cases)


def _run_errors_suite(errors: tuple[str, ...]) -> ET.Element:
    cases = []
    for number, error in enumerate(errors, start=1):
        case = _element("testcase", classname=RUN_SUITE, name=f"input error {number}")
        case.append(_element("error", type="error", message=error))
        cases.append(case)
    return _suite(RUN_SUITE, cases)


def _suite(name: str, cases: list[ET.Element]) -> ET.Element:
    def counting(outcome: str) -> int:
        return sum(1 for case in cases if case.find(outcome) is not None)

    suite = _element(
        "testsuite",
        name=name,
        tests=str(len(cases)),
        failures=str(counting("failure")),
        errors=str(counting("error")),
        skipped=str(counting("skipped")),
    )
    suite.extend(cases)
    return suite


def _finding_case(finding: Finding) -> ET.Element:
    case = _case(finding)
    # An unreadable article is the run going wrong, not the article failing a rule: JUnit's
    # distinction between an error and a failure.
    outcome = "error" if finding.category is Category.INPUT else "failure"
    problem = _element(outcome, type=finding.severity.value, message=finding.message)
    problem.text = _clean(_details(finding))
    case.append(problem)
    return case


def _suppressed_case(finding: Finding) -> ET.Element:
    case = _case(finding)
    case.append(_element("skipped", message=f"suppressed: {finding.suppression_reason}"))
    return case


def _case(finding: Finding) -> ET.Element:
    return _element("testcase", classname=finding.path, name=f"{finding.rule} at {finding.line}:{finding.column}")


def _details(finding: Finding) -> str:
    lines = [f"{finding.path}:{finding.line}:{finding.column}: {finding.excerpt}".rstrip()]
    lines.append(f"{finding.rule} ({finding.category.value}, {finding.severity.value})")
    if finding.suggestions:
        lines.append(f"suggestion: {', '.join(finding.suggestions)}")
    return "\n".join(lines)


def _element(tag: str, **attributes: str) -> ET.Element:
    return ET.Element(tag, {key: _clean(value) for key, value in attributes.items()})


def _clean(text: str) -> str:
    return _NOT_XML.sub(lambda match: f"\\u{ord(match.group()):04x}", text)
