"""Grade reports for machines: prep's versioned JSON (which shard reports are merged from), JUnit XML,
Gradescope and Exercism results, GitHub Actions annotations and job summary."""

from __future__ import annotations

import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

from prep.classgrade import CheckStat, ClassResult, Graded, NotGraded, Shard, check_stats
from prep.errors import DataError, PrepError
from prep.grading.judge import CheckResult, Verdict
from prep.katas import Kata
from prep.outputs import prepare_output, write_output
from prep.ui.text import printable

JSON_VERSION = 2
NAME = "{name}"
EXERCISM_OUTPUT_LIMIT = 500
EXERCISM_TRUNCATED = "Output was truncated. Please limit to 500 chars."


# --- prep's own JSON ---------------------------------------------------------------------------------

def _check_json(c: CheckResult) -> dict[str, Any]:
    return {"name": c.name, "passed": c.passed, "error": c.error, "message": c.message, "mistake": c.mistake,
            "seconds": round(c.seconds, 4)}


def _verdict_json(g: Graded) -> dict[str, Any]:
    v = g.verdict
    item: dict[str, Any] = {"path": v.path, "name": g.name, "kata": v.kata, "passed": v.passed,
                            "error": v.error, "error_line": v.error_line, "seconds": round(v.seconds, 4),
                            "isolation": v.isolation, "seed": v.seed, "speed_vs_reference": None,
                            "checks": [_check_json(c) for c in v.checks], "output": v.output}
    if v.speed_ratio is not None:
        item["speed_vs_reference"] = round(v.speed_ratio, 3)
    return item


def _stat_json(s: CheckStat) -> dict[str, Any]:
    return {"kata": s.kata, "check": s.check, "failed": s.failed, "of": s.ran, "mistake": s.mistake,
            "mistake_count": s.mistake_count}


def to_json(result: ClassResult) -> dict[str, Any]:
    """Everything needed to rebuild every other format: a merge of shard reports starts from these."""
    return {
        "version": JSON_VERSION,
        "summary": {"graded": len(result.graded), "passed": result.passed, "failed": result.failed,
                    "not_graded": len(result.not_graded), "all_passed": result.all_passed},
        "isolation": result.isolation,
        "shard": {"index": result.shard.index, "count": result.shard.count} if result.shard else None,
        "results": [_verdict_json(g) for g in result.graded],
        "not_graded": [{"path": n.path, "reason": n.reason} for n in result.not_graded],
        "statistics": [_stat_json(s) for s in check_stats(result.verdicts)],
    }


def _verdict_from_json(item: Mapping[str, Any]) -> Graded:
    checks = tuple(CheckResult(str(c["name"]), bool(c["passed"]), str(c["message"]), str(c["mistake"]),
                               float(c["seconds"]), bool(c["error"])) for c in item["checks"])
    speed = item["speed_vs_reference"]
    line = item["error_line"]
    seed = item["seed"]
    verdict = Verdict(str(item["path"]), str(item["kata"]), bool(item["passed"]), checks, float(item["seconds"]),
                      str(item["isolation"]), None if speed is None else float(speed), str(item["output"]),
                      str(item["error"]), None if line is None else int(line), None if seed is None else int(seed))
    return Graded(verdict, str(item["name"]))


def from_json(data: Any, source: str) -> ClassResult:
    """A result back from prep's JSON report; DataError naming the file if it is not one."""
    if not isinstance(data, dict) or data.get("version") != JSON_VERSION:
        found = data.get("version") if isinstance(data, dict) else None
        raise DataError(f"{source}: not a prep grade report of version {JSON_VERSION} (version: {found})")
    try:
        shard = data["shard"]
        return ClassResult(
            graded=tuple(_verdict_from_json(item) for item in data["results"]),
            not_graded=tuple(NotGraded(str(n["path"]), str(n["reason"])) for n in data["not_graded"]),
            isolation=str(data["isolation"]),
            shard=Shard(int(shard["index"]), int(shard["count"])) if shard is not None else None,
            skip_unknown=False,
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise DataError(f"{source}: damaged prep grade report ({type(exc).__name__}: {exc})") from None


def read_report(path: Path) -> ClassResult:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise DataError(f"{path}: cannot read: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise DataError(f"{path}: not a prep grade report (not UTF-8)") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise DataError(f"{path}: not JSON (line {exc.lineno}: {exc.msg})") from None
    return from_json(data, str(path))


# --- JUnit XML ---------------------------------------------------------------------------------------

def _xml(text: str) -> str:
    """XML 1.0 cannot hold most control characters; a submission's message may contain them."""
    return "".join(ch for ch in text if ch in "\t\n\r" or (0x20 <= ord(ch) < 0xD800) or 0xE000 <= ord(ch) <= 0xFFFD
                   or ord(ch) >= 0x10000)


def _first_line(text: str) -> str:
    return _xml(text.strip().splitlines()[0] if text.strip() else "")


def _classname(v: Verdict) -> str:
    # The kata, then the path: Jenkins-style readers group by the part before the first dot-free tail,
    # and (classname, name) stays unique across a class because paths are.
    return _xml(f"{v.kata}.{v.path.removesuffix('.py')}")


def _testcase(parent: ET.Element, classname: str, name: str, seconds: float) -> ET.Element:
    return ET.SubElement(parent, "testcase", classname=classname, name=_xml(name), time=f"{seconds:.3f}")


def _outcome(case: ET.Element, tag: str, message: str, kind: str) -> None:
    element = ET.SubElement(case, tag, message=_first_line(message), type=kind)
    element.text = _xml(message)


def _suite(suites: ET.Element, g: Graded) -> tuple[int, int, int]:
    v = g.verdict
    suite = ET.SubElement(suites, "testsuite", name=_xml(f"{v.path} ({v.kata})"), time=f"{v.seconds:.3f}")
    props = ET.SubElement(suite, "properties")
    for key, value in (("path", v.path), ("kata", v.kata), ("seed", "" if v.seed is None else str(v.seed)),
                       ("isolation", v.isolation)):
        ET.SubElement(props, "property", name=key, value=_xml(value))
    classname = _classname(v)
    failures = errors = 0
    if v.error:
        where = f"line {v.error_line}: " if v.error_line and f"line {v.error_line}" not in v.error else ""
        _outcome(_testcase(suite, classname, "loads", v.seconds), "error", where + v.error, "not run")
        errors += 1
    for c in v.checks:
        case = _testcase(suite, classname, c.name, c.seconds)
        if c.error:
            _outcome(case, "error", c.message, "not run")
            errors += 1
        elif not c.passed:
            _outcome(case, "failure", c.message, c.mistake or "wrong answer")
            failures += 1
    tests = len(v.checks) + (1 if v.error else 0)
    if v.output.strip():
        ET.SubElement(suite, "system-out").text = _xml(v.output)
    suite.set("tests", str(tests))
    suite.set("failures", str(failures))
    suite.set("errors", str(errors))
    suite.set("skipped", "0")
    return tests, failures, errors


def _not_graded_suite(suites: ET.Element, n: NotGraded, skipped: bool) -> None:
    suite = ET.SubElement(suites, "testsuite", name=_xml(f"{n.path} (not graded)"), tests="1", time="0.000",
                          failures="0", errors="0" if skipped else "1", skipped="1" if skipped else "0")
    case = _testcase(suite, _xml(f"not-graded.{n.path.removesuffix('.py')}"), "graded", 0.0)
    if skipped:
        ET.SubElement(case, "skipped", message=_xml(n.reason))
    else:
        _outcome(case, "error", n.reason, "not graded")


def to_junit(result: ClassResult) -> bytes:
    """One testsuite per submission; a wrong answer is a <failure>, a submission that could not be run an
    <error>; files that were not graded are an <error> (or <skipped> with --skip-unknown)."""
    suites = ET.Element("testsuites", name="prep grade")
    tests = failures = errors = 0
    for g in result.graded:
        t, f, e = _suite(suites, g)
        tests, failures, errors = tests + t, failures + f, errors + e
    for n in result.not_graded:
        _not_graded_suite(suites, n, result.skip_unknown)
        tests += 1
        errors += 0 if result.skip_unknown else 1
    suites.set("tests", str(tests))
    suites.set("failures", str(failures))
    suites.set("errors", str(errors))
    suites.set("time", f"{sum(g.verdict.seconds for g in result.graded):.3f}")
    body: bytes = ET.tostring(suites, encoding="utf-8", xml_declaration=False)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + body


# --- Gradescope and Exercism ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Weights:
    """Points per check: the command line's, then the kata's `weights:`, else 1. A parametrized check
    (`name[case]`) takes the weight given for `name` unless its full id has one."""

    overrides: Mapping[str, float] = field(default_factory=dict)
    katas: Mapping[str, Kata] = field(default_factory=dict)

    def of(self, kata: str, check: str) -> float:
        base = check.split("[", 1)[0]
        known = dict(self.katas[kata].weights) if kata in self.katas else {}
        for table in (self.overrides, known):
            for key in (check, base):
                if key in table:
                    return table[key]
        return 1.0

    def unused(self, verdicts: Sequence[Verdict]) -> list[str]:
        names = {n for v in verdicts for c in v.checks for n in (c.name, c.name.split("[", 1)[0])}
        return [name for name in self.overrides if name not in names]


def parse_weight(text: str) -> tuple[str, float]:
    """`CHECK=POINTS`; split at the last '=', since pytest ids contain '=' themselves."""
    name, sep, value = text.rpartition("=")
    try:
        points = float(value)
    except ValueError:
        points = -1.0
    if not sep or not name.strip() or points < 0:
        raise PrepError(f"--weight {text}: expected CHECK=POINTS, e.g. 'float32 stays float32=2'")
    return name.strip(), points


def _score(points: float) -> float | int:
    return int(points) if points == int(points) else round(points, 4)


def to_gradescope(g: Graded, weights: Weights) -> dict[str, Any]:
    """Gradescope's autograder results.json for one submission."""
    v = g.verdict
    tests: list[dict[str, Any]] = []
    score = 0.0
    for c in v.checks:
        points = weights.of(v.kata, c.name)
        score += points if c.passed else 0.0
        tests.append({"name": c.name, "score": _score(points if c.passed else 0.0), "max_score": _score(points),
                      "status": "passed" if c.passed else "failed", "output": c.message, "visibility": "visible"})
    passed = sum(1 for c in v.checks if c.passed)
    lines = [f"{v.kata}: {passed}/{len(v.checks)} checks pass" + (" (isolation: weak)" if "weak" in v.isolation
                                                                   else "")]
    if v.error:
        lines.append(f"could not be checked: {v.error}")
    if v.output.strip():
        lines += ["", "your code printed:", v.output[:4000]]
    return {"score": _score(score), "execution_time": round(v.seconds, 3),
            "output": "\n".join(lines), "tests": tests,
            "extra_data": {"kata": v.kata, "seed": v.seed, "isolation": v.isolation}}


def _capped(text: str) -> str:
    if len(text) <= EXERCISM_OUTPUT_LIMIT:
        return text
    return text[: EXERCISM_OUTPUT_LIMIT - len(EXERCISM_TRUNCATED) - 1] + "\n" + EXERCISM_TRUNCATED


def to_exercism(g: Graded) -> dict[str, Any]:
    """The Exercism test-runner results.json (interface version 3) for one submission."""
    v = g.verdict
    if v.error or not v.checks or all(c.error for c in v.checks):
        message = v.error or (v.checks[0].message if v.checks else "no checks ran")
        return {"version": 3, "status": "error", "message": message[:65535]}
    tests: list[dict[str, Any]] = []
    for c in v.checks:
        test: dict[str, Any] = {"name": c.name, "status": "error" if c.error else "pass" if c.passed else "fail",
                                "test_code": f"hidden check of the {v.kata} kata: {c.name}"}
        if not c.passed:
            test["message"] = c.message or "failed"
        tests.append(test)
    if v.output.strip():
        # the worker's output is not split per check: it goes with the first check that did not pass
        target = next((t for t in tests if t["status"] != "pass"), tests[0])
        target["output"] = _capped(v.output)
    return {"version": 3, "status": "pass" if v.passed else "fail", "tests": tests}


def expand(pattern: str, name: str) -> Path:
    return Path(pattern.replace(NAME, name))


# --- GitHub Actions ------------------------------------------------------------------------------------

def escape_data(text: str) -> str:
    """A workflow command's message, escaped as the Actions toolkit does (control characters dropped)."""
    return printable(text, keep_cr=True).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A workflow command's property value: as data, and ':' and ',' too."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _annotation(level: str, path: str, title: str, message: str, line: int | None = None) -> str:
    props = [f"file={escape_property(path)}"]
    if line:
        props.append(f"line={line}")
    props.append(f"title={escape_property(title)}")
    return f"::{level} {','.join(props)}::{escape_data(message)}"


def github_annotations(result: ClassResult) -> list[str]:
    lines = []
    for v in result.verdicts:
        if v.error:
            lines.append(_annotation("error", v.path, f"{v.kata}: not run", v.error, v.error_line))
        for c in v.checks:
            if not c.passed:
                lines.append(_annotation("error", v.path, f"{v.kata}: {c.name}", c.message or "failed"))
    level = "warning" if result.skip_unknown else "error"
    lines += [_annotation(level, n.path, "not graded", n.reason) for n in result.not_graded]
    return lines


def _md(text: str) -> str:
    """Text for a Markdown table cell: one line, no control characters, nothing that starts markup."""
    cell = " ".join(printable(text).split())
    for ch in "\\|`*_[]<>#":
        cell = cell.replace(ch, "\\" + ch)
    return cell


SUMMARY_ROWS = 200  # GitHub caps a job summary at 1 MiB; a class of thousands lists its failures only


def github_summary(result: ClassResult) -> str:
    head = f"### prep grade: {result.passed}/{len(result.graded)} passed\n\n{result.summary()} · " \
           f"isolation: {_md(result.isolation)}\n\n"
    rows = ["| submission | kata | result | checks passed | failed checks | seconds |", "|---|---|---|---|---|---|"]
    shown = [g.verdict for g in result.graded]
    if len(shown) > SUMMARY_ROWS:
        shown = [v for v in shown if not v.passed][:SUMMARY_ROWS]
    for v in shown:
        ok = sum(1 for c in v.checks if c.passed)
        failed = "not run: " + v.error if v.error else ", ".join(c.name for c in v.checks if not c.passed)
        rows.append(f"| {_md(v.path)} | {_md(v.kata)} | {'✅ pass' if v.passed else '❌ fail'} | "
                    f"{ok}/{len(v.checks)} | {_md(failed[:300])} | {v.seconds:.2f} |")
    if len(shown) < len(result.graded):
        rows.append(f"\n{len(result.graded) - len(shown)} more submissions not listed (passing ones first).")
    parts = [head + "\n".join(rows)]
    stats = [s for s in check_stats(result.verdicts) if s.failed]
    if stats and len(result.graded) > 1:
        table = ["| kata | check | failed | most common mistake |", "|---|---|---|---|"]
        table += [f"| {_md(s.kata)} | {_md(s.check)} | {s.failed} of {s.ran} | "
                  f"{_md(s.mistake) + f' ({s.mistake_count})' if s.mistake else ''} |" for s in stats]
        parts.append("#### Class statistics: checks failed\n\n" + "\n".join(table))
    if result.not_graded:
        parts.append("#### Not graded\n\n" + "\n".join(f"- {_md(n.path)}: {_md(n.reason)}" for n in result.not_graded))
    return "\n\n".join(parts) + "\n"


# --- writing -----------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Outputs:
    """The report files asked for; `gradescope` and `exercism` are patterns with `{name}`."""

    json: Path | None = None
    junit: Path | None = None
    gradescope: str | None = None
    exercism: str | None = None

    def per_submission(self) -> list[tuple[str, str]]:
        return [(flag, p) for flag, p in (("--gradescope", self.gradescope), ("--exercism", self.exercism)) if p]


def check_outputs(outputs: Outputs, names: Sequence[str]) -> None:
    """Every file this run will write, checked before grading: writable, not a folder, and one file
    per submission for the per-submission formats."""
    targets: dict[Path, str] = {}

    def claim(target: Path, owner: str) -> None:
        key = target.resolve()
        if key in targets:
            raise PrepError(f"{target} would be written twice ({targets[key]} and {owner})")
        targets[key] = owner

    for flag, path in (("--json", outputs.json), ("--junit", outputs.junit)):
        if path is not None:
            claim(path, flag)
            prepare_output(path, flag)
    for flag, pattern in outputs.per_submission():
        if NAME not in pattern and len(names) > 1:
            raise PrepError(f"{flag} {pattern}: {len(names)} submissions need {NAME} in the path "
                            f"(e.g. out/{NAME}.json)")
        for name in names:
            target = expand(pattern, name)
            claim(target, f"{flag} for {name}")
            prepare_output(target, flag)


def _dump(data: Any) -> bytes:
    return (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def write_reports(result: ClassResult, outputs: Outputs, weights: Weights) -> list[str]:
    """Write the requested files; under GitHub Actions also the job summary. Returns annotation lines."""
    if outputs.json is not None:
        write_output(outputs.json, _dump(to_json(result)), "--json")
    if outputs.junit is not None:
        write_output(outputs.junit, to_junit(result), "--junit")
    for g in result.graded:
        if outputs.gradescope:
            write_output(expand(outputs.gradescope, g.name), _dump(to_gradescope(g, weights)), "--gradescope")
        if outputs.exercism:
            write_output(expand(outputs.exercism, g.name), _dump(to_exercism(g)), "--exercism")
    if os.environ.get("GITHUB_ACTIONS") == "true":
        summary = os.environ.get("GITHUB_STEP_SUMMARY")
        if summary:
            try:
                with open(summary, "a", encoding="utf-8") as fh:
                    fh.write(github_summary(result))
            except OSError as exc:
                raise DataError(f"GITHUB_STEP_SUMMARY {summary}: cannot write: {exc.strerror}") from None
        return github_annotations(result)
    return []
