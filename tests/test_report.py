"""Machine-readable grade reports: prep's JSON (round trip), JUnit against an XSD and read back as CI
reporters do, Gradescope and Exercism against their schemas, GitHub annotations and job summary."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import junitparser
import pytest
import xmlschema

from prep.classgrade import ClassResult, Graded, NotGraded, Shard
from prep.errors import DataError, PrepError
from prep.grading.judge import CheckResult, Verdict
from prep.report import (
    EXERCISM_TRUNCATED,
    Outputs,
    Weights,
    check_outputs,
    escape_data,
    escape_property,
    from_json,
    github_annotations,
    github_summary,
    parse_weight,
    to_exercism,
    to_gradescope,
    to_json,
    to_junit,
)

from .conftest import DATA

SCHEMAS = DATA / "schemas"
PARAM = "shapes strides and padding[stride=2-padding=1]"

PASSED = Verdict("subs/alice/conv2d.py", "conv2d", True,
                 (CheckResult("matches the definition", True, seconds=0.2), CheckResult(PARAM, True, seconds=0.1)),
                 0.5, "namespaces", 1.2, seed=7)
FAILED = Verdict("subs/Smith, John/conv2d.py", "conv2d", False,
                 (CheckResult("matches the definition", True, seconds=0.2),
                  CheckResult(PARAM, False, "expected (2, 4)\x00\x1b[31m\nnext line", "ignores stride", 0.3),
                  CheckResult("float32 stays float32", False, "the worker died: out of memory", seconds=1.0,
                              error=True)),
                 0.7, "namespaces", output="[bold red]hello[/]\n" + "x" * 600, seed=7)
BROKEN = Verdict("subs/eve/conv2d.py", "conv2d", False, (), 0.01, "namespaces",
                 error="imports 'torch'; katas are written with numpy only", error_line=3, seed=7)


def result(skip_unknown: bool = False, shard: Shard | None = None) -> ClassResult:
    graded = tuple(Graded(v, v.path.removeprefix("subs/").removesuffix(".py").replace("/", "__"))
                   for v in (PASSED, FAILED, BROKEN))
    return ClassResult(graded, (NotGraded("subs/bob/conv2d (1).py", "cannot tell the kata from the name"),),
                       "namespaces", shard, skip_unknown)


def test_json_carries_everything_and_reads_back() -> None:
    data = to_json(result(shard=Shard(2, 3)))
    jsonschema.validate(data, json.loads((SCHEMAS / "prep-grade-v2.schema.json").read_text()))
    assert data["version"] == 2 and data["shard"] == {"index": 2, "count": 3}
    assert data["summary"] == {"graded": 3, "passed": 1, "failed": 2, "not_graded": 1, "all_passed": False}
    failed = data["results"][1]
    assert failed["checks"][1]["mistake"] == "ignores stride" and failed["checks"][2]["error"] is True
    assert data["results"][2]["error_line"] == 3 and data["not_graded"][0]["path"].endswith("(1).py")
    stats = {(s["check"]): s for s in data["statistics"]}
    assert stats[PARAM] == {"kata": "conv2d", "check": PARAM, "failed": 1, "of": 2, "mistake": "ignores stride",
                            "mistake_count": 1}
    back = from_json(json.loads(json.dumps(data)), "r.json")
    assert back.verdicts == result().verdicts and back.shard == Shard(2, 3)
    assert [g.name for g in back.graded] == ["alice__conv2d", "Smith, John__conv2d", "eve__conv2d"]


def test_json_that_is_not_a_report_is_refused() -> None:
    with pytest.raises(DataError, match="version 2"):
        from_json({"version": 1, "results": []}, "old.json")
    with pytest.raises(DataError, match="damaged"):
        from_json({"version": 2, "results": [{"path": "x"}]}, "cut.json")


def test_junit_validates_and_reads_back_with_junitparser(tmp_path: Path) -> None:
    xml = to_junit(result())
    xmlschema.XMLSchema(SCHEMAS / "junit-10.xsd").validate(xml.decode("utf-8"))
    path = tmp_path / "r.xml"
    path.write_bytes(xml)
    suites = list(junitparser.JUnitXml.fromfile(str(path)))
    assert len(suites) == 4  # one per submission, and the file that was not graded
    keys = [(case.classname, case.name) for suite in suites for case in suite]
    assert len(keys) == len(set(keys))
    alice, smith, eve, bob = suites
    assert "subs/alice/conv2d.py" in alice.name and all("subs/alice/conv2d" in c.classname for c in alice)
    props = {p.name: p.value for p in smith.properties()}
    assert props["seed"] == "7" and props["isolation"] == "namespaces"
    cases = {c.name: c for c in smith}
    assert cases["matches the definition"].time == pytest.approx(0.2) and cases["matches the definition"].is_passed
    assert isinstance(cases[PARAM].result[0], junitparser.Failure)
    assert cases[PARAM].result[0].message == "expected (2, 4)[31m"  # control characters dropped
    assert isinstance(cases["float32 stays float32"].result[0], junitparser.Error)
    assert (smith.failures, smith.errors, smith.tests) == (1, 1, 3)
    assert isinstance(next(iter(eve)).result[0], junitparser.Error) and eve.errors == 1
    assert isinstance(next(iter(bob)).result[0], junitparser.Error)
    skipped = to_junit(result(skip_unknown=True))
    xmlschema.XMLSchema(SCHEMAS / "junit-10.xsd").validate(skipped.decode("utf-8"))
    assert b"<skipped" in skipped


def test_gradescope_matches_its_schema_and_weights_apply() -> None:
    schema = json.loads((SCHEMAS / "gradescope-results.schema.json").read_text())
    graded = result().graded
    plain = to_gradescope(graded[1], Weights())
    jsonschema.validate(plain, schema)
    assert plain["score"] == 1 and [t["max_score"] for t in plain["tests"]] == [1, 1, 1]
    assert [t["status"] for t in plain["tests"]] == ["passed", "failed", "failed"]
    weighted = to_gradescope(graded[0], Weights({"shapes strides and padding": 3.0}))
    jsonschema.validate(weighted, schema)
    assert weighted["score"] == 4 and weighted["tests"][1]["max_score"] == 3
    broken = to_gradescope(graded[2], Weights())
    jsonschema.validate(broken, schema)
    assert broken["score"] == 0 and "torch" in broken["output"]
    assert parse_weight(f"{PARAM}=2.5") == (PARAM, 2.5)
    with pytest.raises(PrepError):
        parse_weight("no points")
    assert Weights({"typo": 1.0}).unused(result().verdicts) == ["typo"]


def test_exercism_matches_the_v3_schema() -> None:
    schema = json.loads((SCHEMAS / "exercism-results-v3.schema.json").read_text())
    reports = [to_exercism(g) for g in result().graded]
    for report in reports:
        jsonschema.validate(report, schema)
    passed, failed, broken = reports
    assert passed["status"] == "pass" and [t["name"] for t in passed["tests"]] == [c.name for c in PASSED.checks]
    assert failed["status"] == "fail" and [t["status"] for t in failed["tests"]] == ["pass", "fail", "error"]
    output = failed["tests"][1]["output"]
    assert len(output) <= 500 and output.endswith(EXERCISM_TRUNCATED)
    assert broken["status"] == "error" and "torch" in broken["message"]


def test_github_annotations_escape_as_the_toolkit_does() -> None:
    assert escape_data("100%\r\nnext") == "100%25%0D%0Anext"
    assert escape_property("Smith, John: 50%") == "Smith%2C John%3A 50%25"
    lines = github_annotations(result())
    assert all("\n" not in line and "\x1b" not in line for line in lines)
    smith = [line for line in lines if "Smith" in line]
    assert smith[0].startswith("::error file=subs/Smith%2C John/conv2d.py,title=conv2d%3A shapes")
    eve = next(line for line in lines if "eve" in line)
    assert ",line=3," in eve
    assert lines[-1].startswith("::error file=subs/bob/conv2d (1).py,title=not graded::")
    assert github_annotations(result(skip_unknown=True))[-1].startswith("::warning ")


def test_job_summary_has_failures_statistics_and_not_graded() -> None:
    summary = github_summary(result())
    assert "1/3 passed" in summary and "not graded 1" in summary
    assert "| failed checks |" in summary and "shapes strides and padding\\[stride=2-padding=1\\]" in summary
    assert "#### Class statistics" in summary and "1 of 2 | ignores stride (1)" in summary
    assert "\x1b" not in summary and "conv2d (1).py" in summary


def test_outputs_are_checked_before_grading(tmp_path: Path) -> None:
    (tmp_path / "folder").mkdir()
    with pytest.raises(DataError, match="is a folder"):
        check_outputs(Outputs(json=tmp_path / "folder"), ["a"])
    (tmp_path / "file").write_text("")
    with pytest.raises(DataError, match="not a folder"):
        check_outputs(Outputs(junit=tmp_path / "file" / "r.xml"), ["a"])
    with pytest.raises(PrepError, match="written twice"):
        check_outputs(Outputs(json=tmp_path / "r", junit=tmp_path / "r"), ["a"])
    with pytest.raises(PrepError, match="written twice"):
        check_outputs(Outputs(gradescope=str(tmp_path / "{name}")), ["a", "a"])
    with pytest.raises(PrepError, match="need \\{name\\}"):
        check_outputs(Outputs(gradescope=str(tmp_path / "results.json")), ["a", "b"])
    check_outputs(Outputs(json=tmp_path / "new" / "deep" / "r.json", gradescope=str(tmp_path / "gs/{name}/r.json")),
                  ["a", "b"])
    assert (tmp_path / "new" / "deep").is_dir() and (tmp_path / "gs" / "b").is_dir()
