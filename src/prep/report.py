"""Grade reports for machines: versioned JSON, JUnit XML, GitHub Actions annotations and job summary."""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

from prep.grading.judge import Verdict


def to_json(verdicts: Sequence[Verdict]) -> dict[str, Any]:
    results = []
    for v in verdicts:
        checks = [{"name": c.name, "passed": c.passed, "message": c.message} for c in v.checks]
        if v.error:
            checks.insert(0, {"name": "loads", "passed": False, "message": v.error})
        item: dict[str, Any] = {"path": v.path, "kata": v.kata, "passed": v.passed, "checks": checks,
                                "seconds": round(v.seconds, 4), "isolation": v.isolation}
        if v.speed_ratio is not None:
            item["speed_vs_reference"] = round(v.speed_ratio, 3)
        results.append(item)
    return {"version": 1, "results": results}


def _clean(text: str) -> str:
    """XML 1.0 cannot hold most control characters; a submission's message may contain them."""
    return "".join(ch for ch in text if ch in "\t\n\r" or ord(ch) >= 0x20)


def to_junit(verdicts: Sequence[Verdict]) -> bytes:
    suites = ET.Element("testsuites", name="prep grade")
    total = failures = 0
    for v in verdicts:
        checks = [(c.name, c.passed, c.message) for c in v.checks] or [("loads", False, v.error or "no checks ran")]
        fails = sum(1 for _, ok, _ in checks if not ok)
        suite = ET.SubElement(suites, "testsuite", name=_clean(f"{v.kata}: {v.path}"), tests=str(len(checks)),
                              failures=str(fails), errors="0", skipped="0", time=f"{v.seconds:.3f}")
        for name, ok, message in checks:
            case = ET.SubElement(suite, "testcase", classname=_clean(f"{v.kata}.{Path(v.path).stem}"),
                                 name=_clean(name), time="0")
            if not ok:
                failure = ET.SubElement(case, "failure", message=_clean(message.splitlines()[0] if message else ""))
                failure.text = _clean(message)
        total += len(checks)
        failures += fails
    suites.set("tests", str(total))
    suites.set("failures", str(failures))
    body: bytes = ET.tostring(suites, encoding="utf-8", xml_declaration=False)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + body


def _escape_annotation(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def github_annotations(verdicts: Sequence[Verdict]) -> list[str]:
    lines = []
    for v in verdicts:
        for c in v.checks:
            if not c.passed:
                lines.append(f"::error file={v.path},title={_escape_annotation(v.kata + ': ' + c.name)}::"
                             f"{_escape_annotation(c.message)}")
        if v.error:
            lines.append(f"::error file={v.path},title={v.kata}::{_escape_annotation(v.error)}")
    return lines


def github_summary(verdicts: Sequence[Verdict]) -> str:
    rows = ["| submission | kata | result | checks passed | seconds |", "|---|---|---|---|---|"]
    for v in verdicts:
        ok = sum(1 for c in v.checks if c.passed)
        cell = v.path.replace("|", "\\|")
        rows.append(f"| `{cell}` | {v.kata} | {'✅ pass' if v.passed else '❌ fail'} | {ok}/{len(v.checks)} "
                    f"| {v.seconds:.2f} |")
    passed = sum(1 for v in verdicts if v.passed)
    return f"### prep grade: {passed}/{len(verdicts)} passed\n\n" + "\n".join(rows) + "\n"


def write_reports(verdicts: Sequence[Verdict], json_path: Path | None, junit_path: Path | None) -> list[str]:
    """Write the requested files; under GitHub Actions also the job summary. Returns annotation lines."""
    if json_path is not None:
        json_path.write_text(json.dumps(to_json(verdicts), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    if junit_path is not None:
        junit_path.write_bytes(to_junit(verdicts))
    if os.environ.get("GITHUB_ACTIONS") == "true":
        summary = os.environ.get("GITHUB_STEP_SUMMARY")
        if summary:
            with open(summary, "a", encoding="utf-8") as fh:
                fh.write(github_summary(verdicts))
        return github_annotations(verdicts)
    return []
