"""Grading speed: one `prep kata conv2d --check`, a batch of 50 submissions, and the conv2d reference.

Run: python benchmarks/grading.py [--runs 5] [--batch 50]
Baselines are measured in the same run: `python -c "import numpy, pytest"` for the single check; for
the batch, plain `python -m pytest` run once per submission, two at a time, on the same checks with the
submission imported in-process (no sandbox, no judge); and (if torch is installed) torch's CPU conv2d
for the reference.
"""

from __future__ import annotations

import argparse
import compileall
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
SOLUTION = ROOT / "katas" / "conv2d" / "solution.py"


def wall(argv: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - start


GRADE_FLAGS: list[str] = []

PLAIN_CONFTEST = """
import importlib.util, os
import numpy as np
import pytest

def _load(path, name):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module

def pytest_configure(config):
    config.addinivalue_line("markers", "zh(name): Chinese name")

@pytest.fixture(scope="session")
def sub():
    return _load(os.environ["SUBMISSION"], "submission").conv2d

@pytest.fixture(scope="session")
def ref():
    return _load(os.environ["REFERENCE"], "reference").conv2d

@pytest.fixture
def rng():
    return np.random.default_rng(0)
"""


def plain_pytest_batch(files: list[Path], tmp: Path, env: dict[str, str]) -> float:
    """The baseline: the same checks as plain pytest tests importing the submission, one run per file."""
    suite = tmp / "plain"
    suite.mkdir()
    shutil.copyfile(ROOT / "katas" / "conv2d" / "checks" / "test_conv2d.py", suite / "test_conv2d.py")
    (suite / "conftest.py").write_text(PLAIN_CONFTEST)
    start = time.perf_counter()
    running: list[subprocess.Popen[bytes]] = []
    for f in files:
        while len(running) >= 2:
            running = [p for p in running if p.poll() is None]
            time.sleep(0.005)
        running.append(subprocess.Popen([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(suite)],
                                        env={**env, "SUBMISSION": str(f), "REFERENCE": str(SOLUTION)}, cwd=suite,
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
    for p in running:
        p.wait()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--batch", type=int, default=50)
    args = parser.parse_args()
    # as an installed wheel would have it (pip compiles bytecode on install; see quiz_startup.py)
    import prep

    compileall.compile_dir(str(Path(prep.__file__).parent), quiet=1)
    tmp = Path(tempfile.mkdtemp(prefix="prep-bench-"))
    env = {**os.environ, "PREP_HOME": str(tmp / "home"), "PREP_WORKSPACE": str(tmp / "ws")}
    py = sys.executable
    print(f"load average at the start: {os.getloadavg()[0]:.2f} (figures are only comparable on a quiet machine)")
    base: list[float] = []
    check: list[float] = []
    for _ in range(args.runs):  # interleaved, so a change in the machine's load touches both alike
        base.append(wall([py, "-c", "import numpy, pytest"], env))
        check.append(wall([py, "-m", "prep", "kata", "conv2d", "--check", "--file", str(SOLUTION), "--seed", "1"],
                          env))
    b, c = statistics.median(base), statistics.median(check)
    print(f"{'single check':44} {'median s':>9} {'min s':>7} {'x baseline':>10}")
    print(f"{'baseline: python -c import numpy, pytest':44} {b:9.3f} {min(base):7.3f} {1.0:10.2f}")
    print(f"{'prep kata conv2d --check (correct file)':44} {c:9.3f} {min(check):7.3f} {c / b:10.2f}")
    if args.batch <= 0:
        return

    subs = tmp / "subs"
    subs.mkdir()
    for i in range(args.batch):
        shutil.copyfile(SOLUTION, subs / f"student{i:03d}.py")
    start = time.perf_counter()
    subprocess.run([py, "-m", "prep", "grade", "--kata", "conv2d", str(subs), "--seed", "1"] + GRADE_FLAGS,
                   env=env, stdout=subprocess.DEVNULL, check=False)
    batch = time.perf_counter() - start
    plain = plain_pytest_batch(sorted(subs.iterdir()), tmp, env)
    print(f"\nbatch of {args.batch} correct conv2d submissions on {os.cpu_count()} cores:")
    print(f"{'baseline: python -m pytest per file, 2 at a time':52} {plain:6.1f} s "
          f"{args.batch / plain * 60:6.0f} submissions/minute")
    print(f"{'prep grade (sandboxed workers, judge pool)':52} {batch:6.1f} s "
          f"{args.batch / batch * 60:6.0f} submissions/minute ({plain / batch:.1f}x the baseline)")

    sys.path.insert(0, str(SOLUTION.parent))
    from solution import conv2d

    rng = np.random.default_rng(0)
    x = rng.standard_normal((16, 32, 32, 32))
    w = rng.standard_normal((64, 32, 3, 3))
    ref = min(_time(lambda: conv2d(x, w, None, 1, 1)) for _ in range(args.runs))
    print(f"\nreference conv2d (16,32,32,32) x (64,32,3,3), padding 1: {ref * 1000:.1f} ms")
    try:
        import torch
    except ImportError:
        print("torch not installed: `pip install torch==2.13.0` to compare with its CPU conv2d")
        return
    tx, tw = torch.from_numpy(x), torch.from_numpy(w)
    tt = min(_time(lambda: torch.nn.functional.conv2d(tx, tw, padding=1)) for _ in range(args.runs))
    print(f"torch {torch.__version__} CPU conv2d, float64, same input: {tt * 1000:.1f} ms "
          f"(reference is {ref / tt:.2f}x torch)")


def _time(fn) -> float:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


if __name__ == "__main__":
    main()
