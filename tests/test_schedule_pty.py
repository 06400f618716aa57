"""Drills and katas in `prep quiz`, driven through a real pseudo-terminal, checked in the store."""

from __future__ import annotations

import os
import re
import sqlite3
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pexpect

from prep.scheduler import Rating
from prep.store import Review, Store, new_review_id

LINEAR = r"from (\d+) to (\d+) features, (with|without) bias"


def _store() -> Store:
    return Store(Path(os.environ["PREP_HOME"]) / "progress.sqlite3")


def _seen(card_id: str, days_ago: int) -> None:
    """A card reviewed twice long ago, so it is due now (more days ago: asked first)."""
    when = datetime.now(UTC) - timedelta(days=days_ago)
    store = _store()
    store.record(Review(new_review_id(), card_id, Rating.GOOD, when))
    store.record(Review(new_review_id(), card_id, Rating.GOOD, when + timedelta(days=1)))
    store.close()


def _spawn(*args: str) -> pexpect.spawn:
    env = {**os.environ, "COLUMNS": "100", "LINES": "50", "TERM": "dumb"}
    return pexpect.spawn(sys.executable, ["-m", "prep", "quiz", "--lang", "en", "--new", "0", "--seed", "5", *args],
                         env=env, encoding="utf-8", timeout=30, dimensions=(50, 100))


def _linear_answer(child: pexpect.spawn) -> int:
    child.expect(LINEAR)
    d_in, d_out, bias = child.match.groups()
    return int(d_in) * int(d_out) + (int(d_out) if bias == "with" else 0)


def _reviews(card_id: str) -> list[tuple[int, str]]:
    db = sqlite3.connect(Path(os.environ["PREP_HOME"]) / "progress.sqlite3")
    try:
        return db.execute("SELECT rating, mode FROM reviews WHERE card_id = ? ORDER BY reviewed_at",
                          (card_id,)).fetchall()
    finally:
        db.close()


def test_a_drill_answered_right_then_its_rating_undone() -> None:
    _seen("drill:linear-params", 60)
    _seen("drill:conv-output-size", 40)
    seeded = _store().card("drill:linear-params")
    child = _spawn("--mode", "drill")
    child.expect(r"Today: 0 new · 0 learning · 2 due")
    answer = _linear_answer(child)
    child.expect(r"unit: parameters · counts as right within (exact|±)")
    child.expect("Your answer")
    child.sendline(f"{answer:,}")
    child.expect("Right")
    child.expect(r"\[Enter\] Easy")
    child.send("\r")
    child.expect("saved: easy")
    assert _reviews("drill:linear-params")[-1] == (4, "drill")
    child.expect("2/2 .*drill: Conv output size")
    child.expect("Your answer")
    child.sendline("1 px")
    child.expect(r"\[u\] undo")
    child.send("u")
    child.expect("undone: easy")
    _linear_answer(child)  # asked again, with fresh numbers
    child.expect("Your answer")
    child.sendline("q")
    child.expect(pexpect.EOF)
    assert _store().card("drill:linear-params") == seeded
    assert _reviews("drill:linear-params") == [(3, "recall"), (3, "recall")]
    assert _reviews("drill:conv-output-size") == [(3, "recall"), (3, "recall")]


def test_a_slip_gets_its_note_and_a_second_try_rated_hard() -> None:
    _seen("drill:linear-params", 60)
    child = _spawn("--mode", "drill")
    answer = _linear_answer(child)
    child.expect("Your answer")
    child.sendline(str(answer * 2))
    child.expect("a factor 2")
    child.expect("Try again")
    child.sendline(str(answer))
    child.expect("Right")
    child.expect(r"\[Enter\] Hard")
    child.send("\r")
    child.expect("saved: hard")
    child.expect(pexpect.EOF)
    assert _reviews("drill:linear-params")[-1] == (int(Rating.HARD), "drill")


def test_a_wrong_unit_is_told_then_a_wrong_answer_is_again_and_keys_override() -> None:
    _seen("drill:linear-params", 60)
    child = _spawn("--mode", "drill")
    _linear_answer(child)
    child.expect("Your answer")
    child.sendline("12 GB")
    child.expect("Wrong kind of unit: 'GB' measures memory")
    child.expect("Try again")
    child.sendline("5")
    child.expect("Not right")
    child.expect(r"\[Enter\] Again")
    child.send("\r")
    child.expect("saved: again .*back in this session")
    _linear_answer(child)  # back in this session with fresh numbers
    child.expect("Your answer")
    child.sendline("7")
    child.expect(r"\[Enter\] Again")
    child.send("4")  # the learner's override
    child.expect("saved: easy")
    child.sendline("q")
    child.expect(pexpect.EOF)
    assert [r for r, _ in _reviews("drill:linear-params")][-2:] == [1, 4]


def test_a_due_kata_is_a_card_that_k_opens() -> None:
    _seen("kata:softmax", 40)
    child = _spawn()
    child.expect(r"1/1 · kata")
    child.expect("Numerically stable softmax")
    child.expect(r"prep kata softmax --check")
    child.expect(r"\[k\] open it\s+\[s\] skip for today")
    child.send("k")
    child.expect("created from the stub")
    child.expect("Session ended; nothing rated")
    child.expect(pexpect.EOF)
    assert (Path(os.environ["PREP_WORKSPACE"]) / "softmax.py").is_file()
    assert _store().kata_round("softmax").opened_at is not None
    assert len(_reviews("kata:softmax")) == 2  # opening is not a rating


def test_a_kata_rating_from_the_quiz_is_undone_in_the_store() -> None:
    _seen("kata:softmax", 60)
    _seen("kata:relu", 40)
    seeded = _store().card("kata:softmax")
    child = _spawn()
    child.expect("Numerically stable softmax")
    child.expect(r"\[q\] quit")
    child.send("3")
    child.expect("saved: good")
    assert _reviews("kata:softmax")[-1] == (3, "kata")
    child.expect(re.escape("prep kata relu --check"))
    child.expect(r"\[u\] undo")
    child.send("u")
    child.expect("undone: good")
    child.expect("Numerically stable softmax")
    child.expect(r"\[q\] quit")
    child.send("q")
    child.expect(pexpect.EOF)
    assert _store().card("kata:softmax") == seeded and len(_reviews("kata:softmax")) == 2


def test_a_kata_skipped_for_today_is_not_asked_again_today() -> None:
    _seen("kata:relu", 40)
    child = _spawn()
    child.expect(re.escape("prep kata relu --check"))
    child.expect(r"\[q\] quit")
    child.send("s")
    child.expect("Session ended; nothing rated")
    child.expect(pexpect.EOF)
    child = _spawn()
    child.expect("No new cards left today")  # and nothing due: relu waits until tomorrow
    child.expect(pexpect.EOF)
    assert len(_reviews("kata:relu")) == 2
