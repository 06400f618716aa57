"""The cycle collector is off during start-up only: whatever runs for long turns it back on."""

from __future__ import annotations

import gc
import io
from collections.abc import Iterator

import pytest

from prep import startup


@pytest.fixture
def paused() -> Iterator[None]:
    was = gc.isenabled()
    gc.enable()
    startup.pause()
    yield
    startup.resume()
    gc.unfreeze()
    if was:
        gc.enable()


def test_pause_then_resume(paused: None) -> None:
    assert not gc.isenabled()
    startup.resume()
    assert gc.isenabled()
    assert gc.get_freeze_count() > 0  # what start-up loaded is out of the collector's sight


def test_resume_never_enables_a_collector_someone_else_turned_off() -> None:
    was = gc.isenabled()
    gc.disable()
    try:
        startup.resume()
        assert not gc.isenabled()
    finally:
        if was:
            gc.enable()


def test_the_first_prompt_resumes_it(paused: None, monkeypatch: pytest.MonkeyPatch) -> None:
    from prep.ui import keys

    monkeypatch.setattr("sys.stdin", io.StringIO("q\n"))
    assert keys.read_key("q") == "q"
    assert gc.isenabled()


def test_a_batch_of_gradings_resumes_it(paused: None) -> None:
    from prep.grading.judge import grade_many

    assert grade_many([]) == []
    assert gc.isenabled()


def test_ctrl_c_at_any_moment_of_start_up_prints_no_traceback(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """SIGINT at moments spread over start-up (interpreter, imports, the command) never shows a traceback."""
    import os
    import signal
    import subprocess
    import sys
    import time

    env = {**os.environ, "PREP_HOME": str(tmp_path / "home"), "PREP_WORKSPACE": str(tmp_path / "ws")}
    for delay in (0.02, 0.05, 0.08, 0.12, 0.18, 0.25):
        proc = subprocess.Popen([sys.executable, "-m", "prep", "kata", "relu"], env=env, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)
        time.sleep(delay)
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=60)
        assert "Traceback" not in err, (delay, err)
        assert proc.returncode in (0, 130, -signal.SIGINT), (delay, proc.returncode, err)
