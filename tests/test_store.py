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

import pytest

from prep.errors import DamagedStoreError, StoreError
from prep.scheduler import Card, Rating
from prep.store import Review, Store, checkup, new_review_id

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


def test_undo_restores_the_card_exactly_and_is_idempotent(tmp_path: Path) -> None:
    store = Store(tmp_path / "p.sqlite3")
    first = store.record(Review(new_review_id(), "a", Rating.GOOD, NOW))
    rev = Review(new_review_id(), "a", Rating.AGAIN, NOW.replace(hour=13))
    store.record(rev)
    assert store.undo(rev.review_id, first) is True
    reopened = Store(tmp_path / "p.sqlite3")  # durable: another connection sees the undo
    assert reopened.card("a") == first and [r.rating for r in reopened.reviews()] == [Rating.GOOD]
    assert store.undo(rev.review_id, first) is False  # a retried undo changes nothing
    new = Review(new_review_id(), "b", Rating.EASY, NOW)
    store.record(new)
    assert store.undo(new.review_id, Card("b")) and "b" not in store.cards()  # a new card is new again


def test_a_database_from_a_newer_prep_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "p.sqlite3"
    Store(path).close()
    db = sqlite3.connect(path)
    db.execute("UPDATE meta SET value = '9' WHERE key = 'schema'")
    db.commit()
    db.close()
    with pytest.raises(StoreError, match="newer prep") as info:
        Store(path)
    assert not isinstance(info.value, DamagedStoreError)  # doctor must not "repair" it


def test_a_full_disk_is_one_line_and_writes_nothing(tmp_path: Path) -> None:
    store = Store(tmp_path / "p.sqlite3")
    store.record(Review(new_review_id(), "a", Rating.GOOD, NOW))
    pages = store.db.execute("PRAGMA page_count").fetchone()[0]
    store.db.execute(f"PRAGMA max_page_count = {pages}")  # SQLite's own "database or disk is full"
    big = Review(new_review_id(), "b" * 20000, Rating.GOOD, NOW)
    with pytest.raises(StoreError, match="disk is full") as info:
        store.record(big)
    assert "\n" not in str(info.value)
    assert len(store.reviews()) == 1 and "b" * 20000 not in store.cards()


def test_a_long_lock_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "p.sqlite3"
    Store(path).close()
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    monkeypatch.setattr("prep.store.BUSY_TIMEOUT_MS", 200)
    store = Store.__new__(Store)
    store.path, store.readonly = path, False
    store.db = sqlite3.connect(path, timeout=0.2, isolation_level=None)
    with pytest.raises(StoreError, match="another prep session has held it"):
        store.record(Review(new_review_id(), "a", Rating.GOOD, NOW))
    holder.execute("ROLLBACK")


def test_invalid_rows_are_one_line_and_doctor_recovers_the_rest(tmp_path: Path) -> None:
    path = tmp_path / "p.sqlite3"
    store = Store(path)
    for i in range(6):
        store.record(Review(new_review_id(), f"c{i % 3}", Rating.GOOD, NOW.replace(minute=i)))
    store.db.execute("UPDATE cards SET due = 'soon' WHERE id = 'c1'")
    store.close()
    with pytest.raises(DamagedStoreError, match="'c1' does not validate"):
        Store(path).cards()
    result = checkup(path)
    assert result.recovery is not None and result.recovery.dropped == 1 and result.reviews == 6
    assert result.recovery.damaged_copy.is_file()
    assert set(Store(path).cards()) == {"c0", "c2"}
    assert checkup(path).recovery is None  # safe to run twice


def test_doctor_recovers_a_file_that_is_not_a_database(tmp_path: Path) -> None:
    path = tmp_path / "p.sqlite3"
    path.write_bytes(b"\x00garbage" * 4000)
    result = checkup(path)
    assert result.recovery is not None and result.reviews == 0 and Store(path).check() == "ok"


def test_read_only_open_never_writes(tmp_path: Path) -> None:
    missing = Store(tmp_path / "none" / "p.sqlite3", readonly=True)
    assert missing.cards() == {} and not (tmp_path / "none").exists()
    path = tmp_path / "p.sqlite3"
    Store(path).record(Review(new_review_id(), "a", Rating.GOOD, NOW))
    ro = Store(path, readonly=True)
    assert ro.card("a").reps == 1
    with pytest.raises(StoreError, match="read-only"):
        ro.record(Review(new_review_id(), "a", Rating.GOOD, NOW))


def test_backup_to_a_bad_path_is_one_line(tmp_path: Path) -> None:
    store = Store(tmp_path / "p.sqlite3")
    for target in (tmp_path, tmp_path / "p.sqlite3" / "x.db"):
        with pytest.raises(StoreError, match="cannot write the backup"):
            store.backup(target)
