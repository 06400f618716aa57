"""Drive `prep quiz` through a real pseudo-terminal, as a person would."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pexpect

from .conftest import DATA

PACK = str(DATA / "bank" / "good_pack")


def _spawn(*args: str) -> pexpect.spawn:
    env = {**os.environ, "COLUMNS": "100", "LINES": "50", "TERM": "xterm"}
    return pexpect.spawn(sys.executable, ["-m", "prep", "quiz", "--bank", PACK, *args], env=env,
                         encoding="utf-8", timeout=30, dimensions=(50, 100))


def _stats() -> dict:  # type: ignore[type-arg]
    out = subprocess.run([sys.executable, "-m", "prep", "stats", "--json", "--bank", PACK], capture_output=True,
                         text=True, check=True)
    return json.loads(out.stdout)


def test_recall_session_answer_reveal_rate_next_quit() -> None:
    child = _spawn("--topic", "team-onboarding", "--topic", "overfitting", "--tag", "infra", "--lang", "en",
                   "--seed", "3")
    child.expect("How many GPUs|Where do we keep checkpoints")
    first_is_gpu = "GPUs" in child.after
    child.expect("Your answer")
    child.sendline("eight GPUs on one node" if first_is_gpu else "shared bucket, one folder per run")
    child.expect("Key points")
    child.expect("approximate keyword match")
    child.expect(r"Rate .*\[q\] quit")
    child.send("3")
    child.expect("saved: good")
    child.expect("2/2")  # the next card
    child.expect("Your answer")
    child.sendline("")  # an empty Enter reveals at once
    child.expect("Answer")
    child.expect("Rate")
    child.send("q")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    stats = _stats()
    assert stats["reviews"] == 1 and stats["cards_seen"] == 1


def test_ticks_show_for_covered_key_points() -> None:
    child = _spawn("--topic", "team-onboarding", "--lang", "en")
    child.expect("How many GPUs")
    child.expect("Your answer")
    child.sendline("eight GPUs")
    child.expect("✓[^\n]*eight GPUs")
    child.send("1")
    child.expect("saved: again")
    child.expect(pexpect.EOF)
    assert _stats()["reviews"] == 1


def test_choice_mode_in_chinese() -> None:
    child = _spawn("--mode", "choice", "--lang", "zh", "--seed", "1", "--topic", "team-onboarding")
    child.expect("单个训练任务")
    child.expect(r"A\S*\s+(八张|六十四张)")
    correct_key = "a" if child.match.group(1) == "八张" else "b"
    child.expect("选择 A/B")
    child.send(correct_key)
    child.expect("回答正确")
    child.expect("saved: good")
    child.sendline("q")
    child.expect(pexpect.EOF)
    assert _stats()["reviews"] == 1


def test_killed_mid_card_keeps_earlier_ratings(tmp_path: Path) -> None:
    child = _spawn("--topic", "team-onboarding", "--topic", "overfitting", "--lang", "en", "--seed", "5")
    child.expect("Your answer")
    child.sendline("")
    child.expect("Rate")
    child.send("4")
    child.expect("saved: easy")
    child.expect("Your answer")
    child.kill(9)
    child.close()
    assert _stats()["reviews"] == 1
