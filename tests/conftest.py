"""Shared fixtures: a private PREP_HOME and workspace per test, paths to test data."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"
ROOT = Path(__file__).parent.parent


@pytest.fixture(autouse=True)
def prep_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    monkeypatch.setenv("PREP_HOME", str(home))
    monkeypatch.setenv("PREP_WORKSPACE", str(tmp_path / "ws"))
    monkeypatch.delenv("PREP_BANK_PATH", raising=False)
    monkeypatch.delenv("PREP_LANG", raising=False)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    return home


@pytest.fixture
def run_prep(tmp_path: Path):  # type: ignore[no-untyped-def]
    """Run the real CLI in a subprocess: (exit code, stdout, stderr)."""

    def run(*args: str, env: dict[str, str] | None = None, timeout: float = 120) -> tuple[int, str, str]:
        full_env = {**os.environ, "COLUMNS": "200", **(env or {})}
        proc = subprocess.run([sys.executable, "-m", "prep", *args], capture_output=True, text=True,
                              env=full_env, timeout=timeout, cwd=tmp_path, check=False)
        return proc.returncode, proc.stdout, proc.stderr

    return run


def interrupt(child) -> None:  # type: ignore[no-untyped-def]
    """Ctrl-C in a pexpect child, then wait for it to end.

    CPython's readline waits in select() and looks at pending signals only when select is interrupted,
    so a SIGINT delivered in the instant between the prompt being drawn and select starting waits for
    the next one (a person presses again). A second Ctrl-C after a pause covers that instant; the exit
    status and screen are checked by the caller as before."""
    import pexpect

    child.sendintr()
    if child.expect([pexpect.EOF, pexpect.TIMEOUT], timeout=5) == 1:
        child.sendintr()
        child.expect(pexpect.EOF)
