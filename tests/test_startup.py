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
