"""The pytest judge: checks run by pytest on the judge's side, nothing from the submission's folder or
the working directory loaded, the plugin inert unless asked, and direct pytest runs agreeing with prep."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from prep.grading.judge import KataSession, grade, same_output
from prep.grading.plugin import check_name, derived_seed
from prep.katas import find_kata

CONV = find_kata("conv2d")
HOSTILE = Path(__file__).parent / "data" / "hostile-folder"
FLIPPED = CONV.folder / "wrong" / "flipped_kernel.py"


def _run(argv: list[str], cwd: Path, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PREP_HOME": str(tmp_path / "home"), "PREP_WORKSPACE": str(tmp_path / "ws")}
    env.pop("PYTEST_ADDOPTS", None)
    return subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True, timeout=120, check=False)


@pytest.fixture
def hostile_folder(tmp_path: Path) -> Path:
    """A submission's folder holding a conftest.py, pytest.ini, a pytest_plugins module and a
    sitecustomize.py that would each make every check pass if loaded."""
    folder = tmp_path / "student"
    shutil.copytree(HOSTILE, folder)
    shutil.copyfile(FLIPPED, folder / "conv2d.py")
    return folder


def test_hostile_config_in_the_submission_folder_and_cwd_changes_no_verdict(hostile_folder: Path,
                                                                            tmp_path: Path) -> None:
    prep = [sys.executable, "-m", "prep"]
    graded = _run([*prep, "grade", "--kata", "conv2d", "conv2d.py", "--isolation", "weak"], hostile_folder, tmp_path)
    if "no such option" in graded.stderr.lower():
        graded = _run([*prep, "grade", "--kata", "conv2d", "conv2d.py"], hostile_folder, tmp_path)
    assert graded.returncode == 1, graded.stdout + graded.stderr
    checked = _run([*prep, "kata", "conv2d", "--check", "--file", "conv2d.py"], hostile_folder, tmp_path)
    assert checked.returncode == 1, checked.stdout + checked.stderr
    assert "kernel not flipped" in checked.stdout
    assert not (hostile_folder / "SITECUSTOMIZE_RAN").exists()


def test_direct_pytest_from_a_hostile_folder_still_fails_a_wrong_file(hostile_folder: Path, tmp_path: Path) -> None:
    """An instructor's `pytest --kata ... --submission` run: the folder's conftest is outside the
    collected checks, and -c/--rootdir keep its pytest.ini out."""
    base = [sys.executable, "-m", "pytest", "--kata", "conv2d", "--submission", "conv2d.py", "-q", "-p",
            "no:cacheprovider"]
    run = _run([*base, "-c", os.devnull, "--rootdir", str(CONV.folder)], hostile_folder, tmp_path)
    assert run.returncode == 1, run.stdout + run.stderr
    assert "failed" in run.stdout
    refused = _run(base, hostile_folder, tmp_path)  # the folder's pytest.ini would be read: refused
    assert refused.returncode == 4 and "ini file in the submission's folder" in refused.stderr, refused.stderr


@pytest.mark.parametrize(("file", "code"), [(CONV.solution, 0), (FLIPPED, 1)], ids=["reference", "wrong"])
def test_pytest_katas_folder_with_submission_agrees_with_prep(file: Path, code: int, tmp_path: Path) -> None:
    run = _run([sys.executable, "-m", "pytest", str(CONV.folder), "--submission", str(file), "-q",
                "-p", "no:cacheprovider", "--kata-seed", "5"], tmp_path, tmp_path)
    assert run.returncode == code, run.stdout[-2000:] + run.stderr[-2000:]
    verdict = grade(CONV, file, seed=5)
    assert verdict.passed == (code == 0)


def test_plugin_is_inert_without_submission(tmp_path: Path) -> None:
    run = _run([sys.executable, "-m", "pytest", str(CONV.folder), "-q", "-p", "no:cacheprovider"], tmp_path, tmp_path)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "skipped" in run.stdout and "passed" not in run.stdout and "failed" not in run.stdout


def test_a_failed_check_names_the_known_mistake_and_a_correct_file_names_none() -> None:
    wrong = grade(CONV, FLIPPED, seed=2)
    named = {c.mistake for c in wrong.checks if not c.passed}
    assert "True convolution (kernel flipped) instead of the cross-correlation frameworks compute." in named
    right = grade(CONV, CONV.solution, seed=2)
    assert right.passed and not any(c.mistake for c in right.checks)


def test_check_names_and_messages_in_chinese() -> None:
    verdict = grade(CONV, CONV.folder / "wrong" / "ignores_stride.py", seed=3, lang="zh")
    failed = [c for c in verdict.checks if not c.passed]
    assert any(c.name.startswith("与逐像素的定义一致") for c in failed)
    assert any("形状应为" in c.message for c in failed)
    assert any(c.mistake == "接受了 stride 参数却没有使用。" for c in failed)


def test_a_learner_error_is_a_failure_and_a_syntax_error_reports_its_line(tmp_path: Path) -> None:
    stub = grade(CONV, CONV.stub, seed=1)
    assert not stub.passed and all(not c.passed and not c.error for c in stub.checks)
    broken = tmp_path / "conv2d.py"
    broken.write_text("import numpy as np\n\ndef conv2d(x, w, b=None, stride=1, padding=0)\n    return x\n")
    verdict = grade(CONV, broken, seed=1)
    assert verdict.error.startswith("does not parse: line 3") and verdict.error_line == 3
    raising = tmp_path / "raises_on_import.py"
    raising.write_text("import numpy as np\n\nraise RuntimeError('boom')\n")
    verdict = grade(CONV, raising, seed=1)
    assert verdict.error.startswith("import failed") and verdict.error_line == 3
    assert verdict.checks and all(c.error for c in verdict.checks)


def test_check_name_and_seeds_are_stable() -> None:
    assert derived_seed(1, "a::b") == derived_seed(1, "a::b") != derived_seed(2, "a::b")

    class Item:
        originalname = "test_shapes_strides_and_padding"
        name = "test_shapes_strides_and_padding[stride=2]"

        class callspec:
            id = "stride=2"

        @staticmethod
        def get_closest_marker(name: str) -> object:
            return type("M", (), {"args": ("形状",)})()

    assert check_name(Item(), "en") == "shapes strides and padding [stride=2]"  # type: ignore[arg-type]
    assert check_name(Item(), "zh") == "形状 [stride=2]"  # type: ignore[arg-type]


def test_same_output_is_strict_about_dtype_shape_and_type() -> None:
    import numpy as np

    a = np.ones((2, 3))
    assert same_output(a, a + 1e-12)
    assert not same_output(a, a.astype(np.float32))
    assert not same_output(a, a[:, :2])
    assert not same_output(a, a.tolist())
    assert same_output((a, 1.0), [a, 1.0 + 1e-12])
    assert not same_output(1, True)


def test_kata_session_closes_its_worker() -> None:
    session = KataSession.open(CONV, CONV.solution, seed=1)
    session.close()
    assert session.sub.worker is None
