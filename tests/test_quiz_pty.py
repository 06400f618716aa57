"""Drive `prep quiz` through a real pseudo-terminal, as a person would."""

from __future__ import annotations

import io
import json
import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pexpect

from .conftest import DATA, interrupt

PACK = str(DATA / "bank" / "good_pack")


def _spawn(*args: str, term: str = "xterm", size: tuple[int, int] = (50, 100), cmd: str = "quiz",
           env: dict[str, str] | None = None) -> pexpect.spawn:
    """`prep quiz` in a pseudo-terminal; TERM=dumb makes rich write no colour codes, so text can be matched."""
    env = {**os.environ, "COLUMNS": str(size[1]), "LINES": str(size[0]), "TERM": term, **(env or {})}
    return pexpect.spawn(sys.executable, ["-m", "prep", cmd, "--bank", PACK, *args], env=env,
                         encoding="utf-8", timeout=30, dimensions=size)


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
    child.expect(r"2/\d")  # the next card
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


def _store_rows() -> tuple[list[tuple[str, int]], list[tuple[str, int, int]]]:
    db = sqlite3.connect(Path(os.environ["PREP_HOME"]) / "progress.sqlite3")
    try:
        reviews = db.execute("SELECT card_id, rating FROM reviews ORDER BY reviewed_at").fetchall()
        cards = db.execute("SELECT id, reps, lapses FROM cards").fetchall()
    finally:
        db.close()
    return reviews, cards


def test_counts_intervals_again_comes_back_and_undo_restores_the_card() -> None:
    child = _spawn("--topic", "team-onboarding", "--lang", "en", term="dumb")
    child.expect(r"Today: 1 new · 0 learning · 0 due · this session: 1 card")
    child.expect("1/1 .*?How many GPUs")
    child.expect("Your answer")
    child.sendline("eight GPUs")
    child.expect("Your answer: eight GPUs")  # the learner's answer is repeated in the reveal
    child.expect("✓[^\n]*eight GPUs")
    # the scheduler's own intervals for a new card, on the keys; no undo before a rating
    child.expect(r"\[1\] Again 1m\s+\[2\] Hard 6m\s+\[3\] Good 10m\s+\[4\] Easy 8d\s+\[q\] quit")
    child.send("1")
    child.expect(r"saved: again · due in 1m \(\d\d:\d\d\) · back in this session")
    child.expect("2/2 .*?How many GPUs")  # the Again card comes back in the same session
    assert _store_rows() == ([("team-gpu-quota", 1)], [("team-gpu-quota", 1, 0)])
    child.expect("Your answer")
    child.sendline("")
    child.expect(r"\[u\] undo")
    child.send("u")
    child.expect("undone: again")
    child.expect("1/1 .*?How many GPUs")  # asked again, as it was before the rating
    child.expect("Your answer")
    reviews, cards = _store_rows()
    assert reviews == [] and cards == []  # the review is gone and the card is new again, committed
    child.sendline("")
    child.expect(r"\[4\] Easy 8d")
    child.send("q")
    child.expect("Session ended; nothing rated.")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert _stats()["reviews"] == 0


def test_choice_mode_in_chinese() -> None:
    child = _spawn("--mode", "choice", "--lang", "zh", "--seed", "1", "--topic", "team-onboarding")
    child.expect("单个训练任务")
    child.expect(r"A\S*\s+(八张|六十四张)")
    correct_key = "a" if child.match.group(1) == "八张" else "b"
    child.expect("选择 A/B")
    child.send(correct_key)
    child.expect("回答正确")
    child.expect("已保存：记得")
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


ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][A-Z0-9]|\r")


def _screen(log: io.StringIO) -> str:
    return ANSI.sub("", log.getvalue())


def test_ctrl_c_at_any_prompt_ends_the_same_way() -> None:
    endings = []
    for presses in (0, 1, 2):  # at the answer prompt, at the rating keys, at the next card's answer prompt
        child = _spawn("--topic", "team-onboarding", "--topic", "overfitting", "--lang", "en", "--seed", "2",
                       term="dumb")
        log = io.StringIO()
        child.logfile_read = log
        child.expect("Your answer")
        if presses >= 1:
            child.sendline("")
            child.expect(r"\[q\] quit")
        if presses >= 2:
            child.send("3")
            child.expect("saved: good")
            child.expect("Your answer")
        interrupt(child)
        child.close()
        text = _screen(log)
        endings.append((child.exitstatus, "Stopped." in text, "Traceback" in text, "0 rated" in text))
        assert "Traceback" not in text, text
        assert ("1 rated, saved." in text) == (presses == 2)
    assert endings == [(130, True, False, False)] * 3


def test_ctrl_c_pressed_twice_ends_quietly() -> None:
    """A learner who presses Ctrl-C twice (the second while the session is ending) sees no traceback."""
    import time

    child = _spawn("--topic", "team-onboarding", "--topic", "overfitting", "--lang", "en", "--seed", "2",
                   term="dumb")
    log = io.StringIO()
    child.logfile_read = log
    child.expect("Your answer")
    child.sendline("")
    child.expect(r"\[q\] quit")
    child.sendintr()
    child.expect("Stopped")
    for _ in range(3):  # presses during the summary and the exit
        child.sendintr()
        time.sleep(0.02)
    child.expect(pexpect.EOF)
    child.close()
    text = _screen(log)
    assert "Traceback" not in text, text
    assert child.exitstatus == 130


def test_the_answer_prompt_is_a_line_editor() -> None:
    child = _spawn("--topic", "team-onboarding", "--topic", "overfitting", "--lang", "en", "--seed", "2",
                   env={"LC_ALL": "C.UTF-8"})
    log = io.StringIO()
    child.logfile_read = log
    child.expect("Your answer")
    child.send("shard")
    child.send("\x1b[D\x1b[D")  # Left, Left
    child.send("X")
    child.send("\r")
    child.expect(r"\[q\] quit")
    child.send("3")
    child.expect("Your answer")
    child.send("\x1b[A")  # Up recalls the previous answer
    child.send(" 八张")
    child.send("\x7f")  # Backspace erases the whole wide character
    child.send("\r")
    child.expect(r"\[q\] quit")
    child.send("q")
    child.expect(pexpect.EOF)
    text = _screen(log)
    answers = re.findall(r"Your answer: (.*?)\s*│", text)
    assert answers == ["shaXrd", "shaXrd 八"], answers  # Left-arrow edits, Up recalls, Backspace took all of 张


def test_chinese_quiz_screen_has_no_english_label() -> None:
    child = _spawn("--topic", "team-onboarding", "--lang", "zh", term="dumb")
    log = io.StringIO()
    child.logfile_read = log
    child.expect("你的回答")
    child.sendline("八张 GPU")
    child.expect(r"\[q\] 退出")
    child.send("1")
    child.expect("已保存：忘了")
    child.expect("你的回答")
    child.sendline("")
    child.expect(r"\[u\] 撤销")
    child.send("u")
    child.expect("已撤销")
    interrupt(child)
    text = _screen(log)
    # what may stay English: the pack's own English-only text, ids, commands, units of code
    text = re.sub(r"GPU|prep [a-z -]+|team-[a-z-]+|\d+[a-z]*", "", text)
    assert not re.search(r"[A-Za-z]{2,}", text), re.findall(r".*[A-Za-z]{2,}.*", text)


def test_the_daily_new_limit_says_how_to_study_more() -> None:
    child = _spawn("--topic", "team-onboarding", "--new", "0", "--lang", "en", term="dumb")
    child.expect(r"No new cards left today \(your limit is 0 a day; 1 new waiting\)\. "
                 r"To study more now: prep quiz --new\s+10")
    child.expect(pexpect.EOF)
