"""Machine-readable grade reports: JSON shape, JUnit XML that reporters parse, GitHub annotations."""

from __future__ import annotations

from xml.etree import ElementTree as ET

from prep.grading.judge import CheckResult, Verdict
from prep.report import github_annotations, github_summary, to_json, to_junit

PASSED = Verdict("subs/alice.py", "conv2d", True, (CheckResult("shapes", True),), 0.5, "namespaces", 1.2)
FAILED = Verdict("subs/bob.py", "conv2d", False,
                 (CheckResult("shapes", True), CheckResult("stride", False, "expected (2, 4)\x00\x1b[31m\nnext line")),
                 0.7, "namespaces")
BROKEN = Verdict("subs/eve.py", "conv2d", False, (), 0.01, "namespaces", error="does not parse: line 3: invalid syntax")


def test_json_shape() -> None:
    data = to_json([PASSED, FAILED, BROKEN])
    assert data["results"][0] == {"path": "subs/alice.py", "kata": "conv2d", "passed": True,
                                  "checks": [{"name": "shapes", "passed": True, "message": ""}],
                                  "seconds": 0.5, "isolation": "namespaces", "speed_vs_reference": 1.2}
    assert data["results"][2]["checks"][0]["message"].startswith("does not parse")


def test_junit_is_well_formed_even_with_control_characters() -> None:
    root = ET.fromstring(to_junit([PASSED, FAILED, BROKEN]))
    suites = root.findall("testsuite")
    assert [s.get("failures") for s in suites] == ["0", "1", "1"]
    failure = suites[1].find("testcase[@name='stride']/failure")
    assert failure is not None and failure.get("message") == "expected (2, 4)[31m"
    assert root.get("tests") == "4" and root.get("failures") == "2"


def test_github_annotations_escape_newlines() -> None:
    lines = github_annotations([PASSED, FAILED, BROKEN])
    assert len(lines) == 2 and all(line.startswith("::error file=") and "\n" not in line for line in lines)
    assert "%0A" in lines[0]
    assert "1/3 passed" in github_summary([PASSED, FAILED, BROKEN])
