"""Progress in SQLite: cards, reviews and kata progress. One transaction per rating.

WAL with synchronous=FULL survives kill -9; BEGIN IMMEDIATE with a busy timeout lets two sessions
share the file; each review has an id made before the write, so a retried write is idempotent.
"""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from prep.errors import StoreError
from prep.scheduler import Card, Rating, review

SCHEMA_VERSION = 1
_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS cards (
    id TEXT PRIMARY KEY, state INTEGER NOT NULL, step INTEGER, stability REAL, difficulty REAL,
    due TEXT, last_review TEXT, reps INTEGER NOT NULL, lapses INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS reviews (
    review_id TEXT PRIMARY KEY, card_id TEXT NOT NULL, rating INTEGER NOT NULL,
    reviewed_at TEXT NOT NULL, mode TEXT NOT NULL, seconds REAL);
CREATE INDEX IF NOT EXISTS reviews_by_card ON reviews(card_id);
CREATE TABLE IF NOT EXISTS katas (
    slug TEXT PRIMARY KEY, status TEXT NOT NULL, hints INTEGER NOT NULL DEFAULT 0,
    attempts INTEGER NOT NULL DEFAULT 0, updated_at TEXT);
"""


@dataclass(frozen=True)
class Review:
    review_id: str
    card_id: str
    rating: Rating
    reviewed_at: datetime
    mode: str = "recall"
    seconds: float | None = None


def new_review_id() -> str:
    return uuid.uuid4().hex


def _dt(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _card(row: sqlite3.Row) -> Card:
    return Card(id=row["id"], state=row["state"], step=row["step"], stability=row["stability"],
                difficulty=row["difficulty"], due=_dt(row["due"]), last_review=_dt(row["last_review"]),
                reps=row["reps"], lapses=row["lapses"])


class Store:
    """The progress database under the user's data folder."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(path, timeout=30, isolation_level=None)
            self.db.row_factory = sqlite3.Row
            self.db.execute("PRAGMA busy_timeout = 30000")
            self.db.execute("PRAGMA journal_mode = WAL")
            self.db.execute("PRAGMA synchronous = FULL")
            ok = self.db.execute("PRAGMA quick_check").fetchone()[0]
            if ok != "ok":
                raise StoreError(f"{path}: the progress database is damaged ({ok}); run `prep doctor`")
            with self.transaction():
                for stmt in _SCHEMA.strip().split(";"):
                    if stmt.strip():
                        self.db.execute(stmt)
                self.db.execute("INSERT OR IGNORE INTO meta VALUES ('schema', ?)", (str(SCHEMA_VERSION),))
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{path}: cannot open the progress database: {exc}") from None
        except OSError as exc:
            raise StoreError(f"{path}: cannot create the progress folder: {exc.strerror}") from None

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    def close(self) -> None:
        self.db.close()

    def backup(self, target: Path) -> None:
        """A consistent copy through SQLite's backup API (copying the live file can tear it)."""
        target.parent.mkdir(parents=True, exist_ok=True)
        dest = sqlite3.connect(target)
        try:
            self.db.backup(dest)
        finally:
            dest.close()

    def check(self) -> str:
        """'ok', or what SQLite's integrity check found. Read-only, safe to run any time."""
        return str(self.db.execute("PRAGMA integrity_check").fetchone()[0])

    # --- cards ---
    def cards(self) -> dict[str, Card]:
        return {r["id"]: _card(r) for r in self.db.execute("SELECT * FROM cards")}

    def card(self, card_id: str) -> Card:
        row = self.db.execute("SELECT * FROM cards WHERE id = ?", (card_id,)).fetchone()
        return _card(row) if row else Card(card_id)

    def record(self, rev: Review) -> Card:
        """Apply a rating: the review row and the card update commit together, or not at all.

        The card is re-read inside the write transaction, so two sessions never lose an update,
        and a review id seen before (a retry after a crash) changes nothing.
        """
        with self.transaction() as db:
            if db.execute("SELECT 1 FROM reviews WHERE review_id = ?", (rev.review_id,)).fetchone():
                row = db.execute("SELECT * FROM cards WHERE id = ?", (rev.card_id,)).fetchone()
                return _card(row) if row else Card(rev.card_id)
            row = db.execute("SELECT * FROM cards WHERE id = ?", (rev.card_id,)).fetchone()
            card = review(_card(row) if row else Card(rev.card_id), rev.rating, rev.reviewed_at)
            db.execute("INSERT INTO reviews VALUES (?, ?, ?, ?, ?, ?)",
                       (rev.review_id, rev.card_id, int(rev.rating), rev.reviewed_at.isoformat(), rev.mode,
                        rev.seconds))
            db.execute("INSERT OR REPLACE INTO cards VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                       (card.id, card.state, card.step, card.stability, card.difficulty,
                        card.due.isoformat() if card.due else None,
                        card.last_review.isoformat() if card.last_review else None, card.reps, card.lapses))
        return card

    def reviews(self) -> list[Review]:
        return [Review(r["review_id"], r["card_id"], Rating(r["rating"]), datetime.fromisoformat(r["reviewed_at"]),
                       r["mode"], r["seconds"])
                for r in self.db.execute("SELECT * FROM reviews ORDER BY reviewed_at")]

    def first_review_times(self) -> list[datetime]:
        """When each card was first reviewed (the daily new-card budget counts these)."""
        rows = self.db.execute("SELECT MIN(reviewed_at) FROM reviews GROUP BY card_id")
        return [datetime.fromisoformat(r[0]) for r in rows]

    # --- katas ---
    def kata_progress(self) -> dict[str, tuple[str, int, int]]:
        return {r["slug"]: (r["status"], r["hints"], r["attempts"]) for r in self.db.execute("SELECT * FROM katas")}

    def record_kata(self, slug: str, *, passed: bool | None = None, hint: bool = False,
                    now: datetime) -> tuple[str, int, int]:
        with self.transaction() as db:
            row = db.execute("SELECT * FROM katas WHERE slug = ?", (slug,)).fetchone()
            status, hints, attempts = (row["status"], row["hints"], row["attempts"]) if row else ("new", 0, 0)
            if hint:
                hints += 1
            if passed is not None:
                attempts += 1
                status = "passed" if passed or status == "passed" else "attempted"
            db.execute("INSERT OR REPLACE INTO katas VALUES (?, ?, ?, ?, ?)",
                       (slug, status, hints, attempts, now.isoformat()))
        return status, hints, attempts


def open_store(home: Path) -> Store:
    return Store(home / "progress.sqlite3")
