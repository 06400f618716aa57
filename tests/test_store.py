"""The progress store: atomic ratings, idempotent retries, kill -9 and two writers at once."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from prep.scheduler import Rating
from prep.store import Review, Store, new_review_id

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)

WRITER = """
import sys, time
from datetime import datetime, timezone
from prep.store import Store, Review, new_review_id
from prep.scheduler import Rating
store = Store(__import__('pathlib').Path(sys.argv[1]))
cards = sys.argv[2].split(',')
n = int(sys.argv[3])
print('ready', flush=True)
for i in range(n):
    store.record(Review(new_review_id(), cards[i % len(cards)], Rating(1 + i % 4), datetime.now(timezone.utc)))
    print(i, flush=True)
"""


def _consistent(path: Path) -> tuple[int, int]:
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    reviews = db.execute("SELECT COUNT(*) FROM reviews").fetchone()[0]
    reps = db.execute("SELECT COALESCE(SUM(reps), 0) FROM cards").fetchone()[0]
    db.close()
    return reviews, reps


def test_record_updates_card_and_review_together(tmp_path: Path) -> None:
    store = Store(tmp_path / "p.sqlite3")
    card = store.record(Review(new_review_id(), "a", Rating.GOOD, NOW))
    assert card.reps == 1 and store.card("a") == card
    assert len(store.reviews()) == 1


def test_retrying_a_review_is_idempotent(tmp_path: Path) -> None:
    store = Store(tmp_path / "p.sqlite3")
    rev = Review(new_review_id(), "a", Rating.GOOD, NOW)
    first = store.record(rev)
    again = store.record(rev)
    assert first == again and len(store.reviews()) == 1 and store.card("a").reps == 1
    store.record(Review(new_review_id(), "a", Rating.GOOD, NOW.replace(hour=18)))
    assert store.first_review_times() == [NOW]


def test_history_survives_reopening(tmp_path: Path) -> None:
    path = tmp_path / "p.sqlite3"
    Store(path).record(Review(new_review_id(), "gone-from-bank", Rating.EASY, NOW))
    store = Store(path)
    assert store.card("gone-from-bank").reps == 1
    assert store.kata_progress() == {}
    assert store.record_kata("conv2d", passed=False, now=NOW) == ("attempted", 0, 1)
    assert store.record_kata("conv2d", passed=True, now=NOW) == ("passed", 0, 2)
    assert store.record_kata("conv2d", hint=True, now=NOW) == ("passed", 1, 2)


def test_kill_9_mid_session_never_corrupts(tmp_path: Path) -> None:
    path = tmp_path / "p.sqlite3"
    Store(path).close()
    for delay in (0.05, 0.15, 0.3, 0.5):
        proc = subprocess.Popen([sys.executable, "-c", WRITER, str(path), "a,b,c", "100000"],
                                stdout=subprocess.PIPE, text=True)
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "ready"
        time.sleep(delay)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        reviews, reps = _consistent(path)
        assert reviews == reps  # every committed review has its card update, and nothing else
    assert reviews > 0


def test_two_writers_at_once(tmp_path: Path) -> None:
    path = tmp_path / "p.sqlite3"
    Store(path).close()
    procs = [subprocess.Popen([sys.executable, "-c", WRITER, str(path), "shared,x", "150"],
                              stdout=subprocess.DEVNULL) for _ in range(2)]
    for p in procs:
        assert p.wait(timeout=120) == 0
    reviews, reps = _consistent(path)
    assert reviews == reps == 300
    store = Store(path)
    assert store.card("shared").reps + store.card("x").reps == 300


def test_damaged_database_is_a_clear_error(tmp_path: Path) -> None:
    from prep.errors import StoreError

    path = tmp_path / "p.sqlite3"
    path.write_bytes(b"this is not a database" * 100)
    try:
        Store(path)
    except StoreError as exc:
        assert str(path) in str(exc)
    else:
        raise AssertionError("a damaged store opened silently")


def test_backup_is_a_consistent_copy(tmp_path: Path) -> None:
    store = Store(tmp_path / "p.sqlite3")
    store.record(Review(new_review_id(), "a", Rating.GOOD, NOW))
    store.backup(tmp_path / "b" / "copy.sqlite3")
    copy = Store(tmp_path / "b" / "copy.sqlite3")
    assert copy.check() == "ok" and copy.card("a").reps == 1 and len(copy.reviews()) == 1
