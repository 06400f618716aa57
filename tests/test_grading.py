"""The grader: one test per kind of hostile submission; the batch goes on; no process is left behind."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from prep.grading.judge import Verdict, grade, grade_many, precheck
from prep.grading.sandbox import Limits, isolation_mode
from prep.katas import catalogue

from .conftest import DATA

SUBS = DATA / "submissions"
CONV = catalogue()["conv2d"]
FAST = Limits(cpu_seconds=20, call_seconds=3.0, memory_bytes=1 << 30)

# file -> a phrase the verdict must contain (in a check message or the load error)
HOSTILE = {
    "exits_on_import.py": "import failed: SystemExit",
    "exits_in_call.py": "exited",
    "hangs.py": "timed out",
    "sleeps.py": "timed out",
    "floods_output.py": "more output than the limit",
    "eats_memory.py": "MemoryError",
    "forks_and_escapes.py": "timed out",
    "raises_base_exception.py": "KeyboardInterrupt: stop the grader",
    "raises_system_exit.py": "SystemExit",
    "lies_about_equality.py": "an object of type AlwaysEqual",
    "patches_numpy.py": "exited",
    "syntax_error.py": "does not parse: line 4",
    "not_utf8.py": "not UTF-8",
    "import_error.py": "ModuleNotFoundError",
    "imports_torch.py": "imports 'torch'",
    "imports_forbidden_dynamically.py": "not allowed in a kata",
    "mutates_inputs.py": "modified an input array",
    "returns_garbage_types.py": "an object of type function",
    "writes_fake_frames.py": "should be a numpy array",
}


def _sleepers() -> list[str]:
    out = subprocess.run(["pgrep", "-f", "sleep 4242.5"], capture_output=True, text=True, check=False)
    return out.stdout.split()


def _text(v: Verdict) -> str:
    return " | ".join([v.error, *(c.message for c in v.checks)])


@pytest.fixture(scope="module")
def batch() -> dict[str, Verdict]:
    files = [CONV.solution, *(SUBS / name for name in HOSTILE), CONV.solution]
    verdicts = grade_many([(CONV, f) for f in files], limits=FAST, seed=7)
    assert verdicts[0].passed and verdicts[-1].passed, "the batch did not go on after hostile submissions"
    return {Path(v.path).name: v for v in verdicts[1:-1]}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_submission_fails_with_a_reason(batch: dict[str, Verdict], name: str) -> None:
    verdict = batch[name]
    assert not verdict.passed
    assert verdict.error or verdict.checks
    assert all(c.message for c in verdict.checks if not c.passed)
    assert HOSTILE[name] in _text(verdict), _text(verdict)


def test_every_check_gets_a_verdict(batch: dict[str, Verdict]) -> None:
    n_checks = len(grade(CONV, CONV.solution, seed=1).checks)
    for name, verdict in batch.items():
        if not verdict.error:
            assert len(verdict.checks) == n_checks, name


def test_no_process_is_left_behind(batch: dict[str, Verdict]) -> None:
    if isolation_mode() != "bwrap":
        pytest.skip("escaped sessions are only reaped inside a PID namespace")
    assert _sleepers() == []


@pytest.mark.skipif(isolation_mode() != "bwrap", reason="needs bubblewrap")
def test_reference_and_checks_are_invisible_to_the_submission(tmp_path: Path) -> None:
    from prep.grading.sandbox import hidden_dirs

    v = grade(CONV, SUBS / "steals_reference.py", limits=FAST, hidden=hidden_dirs([SUBS]))
    assert not v.passed
    assert "reference not reachable" in _text(v)


def test_without_isolation_the_thief_would_pass(tmp_path: Path) -> None:
    """Control for the test above: the file really does find and use the reference when it can."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("thief", SUBS / "steals_reference.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.conv2d.__module__ == "stolen"


def test_correct_submission_passes_with_speed_figure() -> None:
    v = grade(CONV, CONV.solution, seed=3)
    assert v.passed and v.speed_ratio is not None and v.speed_ratio > 0
    assert v.isolation in ("bwrap", "weak")


def test_fresh_cases_each_grading() -> None:
    """Hidden cases come from a seed drawn at grading time: two gradings see different inputs."""
    a = grade(CONV, CONV.folder / "wrong" / "bias_summed.py")
    b = grade(CONV, CONV.folder / "wrong" / "bias_summed.py")
    msgs_a = [c.message for c in a.checks if "matches the definition" in c.name]
    msgs_b = [c.message for c in b.checks if "matches the definition" in c.name]
    assert msgs_a and msgs_b and msgs_a != msgs_b
    assert a.seed != b.seed


def test_the_same_seed_reproduces_every_draw() -> None:
    """`--seed S` replays a grading: rng-drawn and hypothesis-drawn cases alike."""
    a = grade(CONV, CONV.folder / "wrong" / "ignores_stride.py", seed=11)
    b = grade(CONV, CONV.folder / "wrong" / "ignores_stride.py", seed=11)
    assert [c.message for c in a.checks] == [c.message for c in b.checks]


def test_precheck_catches_static_problems(tmp_path: Path) -> None:
    f = tmp_path / "s.py"
    f.write_text("from scipy import signal\n")
    assert "imports 'scipy'" in precheck(f)
    f.write_text("import numpy as np\n")
    assert precheck(f) == ""
