"""Progress in SQLite: cards, reviews and kata progress. One transaction per rating (and per undo).

Cards of every kind share one table, told apart by id: a bank entry's id, `drill:<name>`, `kata:<slug>`.

WAL with synchronous=FULL survives kill -9; BEGIN IMMEDIATE with a busy timeout lets two sessions
share the file; each review has an id made before the write, so a retried write is idempotent.
Every SQLite failure a learner can meet (full disk, a long lock, a newer schema, a row that does not
validate) becomes one StoreError line that says what to do.
"""

from __future__ import annotations

import os
import sqlite3
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from prep.errors import DamagedStoreError, StoreError
from prep.scheduler import Card, Rating, due_sooner, review

SCHEMA_VERSION = 2  # 2: a kata's current round (opened, checks, hints, solution); linked-card nudges
KATA_PREFIX = "kata:"
BUSY_TIMEOUT_MS = 30_000
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
    attempts INTEGER NOT NULL DEFAULT 0, updated_at TEXT,
    opened_at TEXT, round_checks INTEGER NOT NULL DEFAULT 0, round_hints INTEGER NOT NULL DEFAULT 0,
    round_solution INTEGER NOT NULL DEFAULT 0, skipped_on TEXT);
CREATE TABLE IF NOT EXISTS nudges (
    review_id TEXT NOT NULL, card_id TEXT NOT NULL, due_before TEXT NOT NULL, due_after TEXT NOT NULL,
    PRIMARY KEY (review_id, card_id));
"""
_TABLES = ("meta", "cards", "reviews", "katas", "nudges")
# schema 1 -> 2: columns added to `katas` (a new table is made by _SCHEMA's CREATE IF NOT EXISTS)
_KATA_COLUMNS_V2 = (("opened_at", "TEXT"), ("round_checks", "INTEGER NOT NULL DEFAULT 0"),
                    ("round_hints", "INTEGER NOT NULL DEFAULT 0"), ("round_solution", "INTEGER NOT NULL DEFAULT 0"),
                    ("skipped_on", "TEXT"))
_KATA_COLUMNS = ("slug", "status", "hints", "attempts", "updated_at", "opened_at", "round_checks", "round_hints",
                 "round_solution", "skipped_on")


@dataclass(frozen=True)
class KataRound:
    """What the learner did with a kata since its card was last rated: the evidence a pass is rated from."""

    opened_at: datetime | None = None  # first opened or checked in this round
    checks: int = 0
    hints: int = 0
    solution: bool = False


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
    try:
        card = Card(id=row["id"], state=int(row["state"]), step=row["step"], stability=row["stability"],
                    difficulty=row["difficulty"], due=_dt(row["due"]), last_review=_dt(row["last_review"]),
                    reps=int(row["reps"]), lapses=int(row["lapses"]))
        if card.state not in (1, 2, 3) or card.reps < 0 or (card.due is not None and card.due.tzinfo is None):
            raise ValueError("out of range")
        return card
    except (TypeError, ValueError) as exc:
        raise DamagedStoreError(f"progress row for card '{row['id']}' does not validate ({exc}); "
                                "run `prep doctor`") from None


def _review(row: sqlite3.Row) -> Review:
    try:
        when = datetime.fromisoformat(row["reviewed_at"])
        if when.tzinfo is None:
            raise ValueError("a time without a timezone")
        return Review(row["review_id"], row["card_id"], Rating(row["rating"]), when, row["mode"], row["seconds"])
    except (TypeError, ValueError) as exc:
        raise DamagedStoreError(f"review '{row['review_id']}' does not validate ({exc}); run `prep doctor`") from None


def _card_values(card: Card) -> tuple[object, ...]:
    return (card.id, card.state, card.step, card.stability, card.difficulty,
            card.due.isoformat() if card.due else None,
            card.last_review.isoformat() if card.last_review else None, card.reps, card.lapses)


def explain(path: Path, exc: sqlite3.Error | OSError) -> StoreError:
    """One line for a failure of the progress database, saying what the learner can do."""
    text = str(exc).lower()
    code = getattr(exc, "sqlite_errorcode", None)
    if "locked" in text or "busy" in text or code in (5, 6):
        why = (f"another prep session has held it for more than {BUSY_TIMEOUT_MS // 1000} s; "
               "finish that session and try again")
    elif "full" in text or code == 13:
        why = "the disk is full; free some space and try again"
    elif ("readonly" in text or "read-only" in text or code == 8
          or ("unable to open" in text and not os.access(path.parent, os.W_OK))):
        why = "it is read-only here; set PREP_HOME to a folder you can write"
    elif "not a database" in text or "malformed" in text or code in (11, 26):
        return DamagedStoreError(f"{path}: it is damaged; run `prep doctor` to recover it")
    elif isinstance(exc, OSError):
        why = exc.strerror or str(exc)
    else:
        why = str(exc)
    return StoreError(f"{path}: {why}")


class Store:
    """The progress database under the user's data folder.

    `readonly=True` opens an existing database without writing (read-only commands on a read-only
    PREP_HOME); a missing one then reads as empty.
    """

    def __init__(self, path: Path, *, readonly: bool = False) -> None:
        self.path = path
        self.readonly = readonly
        try:
            if readonly:
                self.db = self._connect_readonly(path)
            else:
                path.parent.mkdir(parents=True, exist_ok=True)
                self.db = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
                self.db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
                self.db.execute("PRAGMA journal_mode = WAL")
                self.db.execute("PRAGMA synchronous = FULL")
            self.db.row_factory = sqlite3.Row
            ok = self.db.execute("PRAGMA quick_check").fetchone()[0]
            if ok != "ok":
                raise DamagedStoreError(f"{path}: the progress database is damaged ({ok}); run `prep doctor`")
            self._check_version()
            if not readonly:
                with self.transaction():
                    _create_or_upgrade(self.db)
        except (sqlite3.Error, OSError) as exc:
            raise explain(path, exc) from None

    @staticmethod
    def _connect_readonly(path: Path) -> sqlite3.Connection:
        def empty() -> sqlite3.Connection:
            db = sqlite3.connect(":memory:", isolation_level=None)
            db.executescript(_SCHEMA)
            return db

        if not path.exists():
            return empty()
        uri = path.resolve().as_uri()
        try:
            db = sqlite3.connect(f"{uri}?mode=ro", uri=True, isolation_level=None)
            db.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
        except sqlite3.OperationalError:
            # WAL needs a writable -shm beside the file; a read-only folder can still be read as immutable
            db = sqlite3.connect(f"{uri}?immutable=1", uri=True, isolation_level=None)
        if db.execute("SELECT 1 FROM sqlite_master WHERE name = 'reviews'").fetchone() is None:
            db.close()  # another prep is creating this database right now: nothing to read yet
            return empty()
        return db

    def _check_version(self) -> None:
        has_meta = self.db.execute("SELECT 1 FROM sqlite_master WHERE name = 'meta'").fetchone()
        if not has_meta:
            return
        row = self.db.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
        try:
            version = int(row[0]) if row else SCHEMA_VERSION
        except (TypeError, ValueError):
            raise DamagedStoreError(f"{self.path}: schema version {row[0]!r} is not a number; "
                                    "run `prep doctor`") from None
        if version > SCHEMA_VERSION:
            raise StoreError(f"{self.path}: written by a newer prep (schema {version}, this one reads "
                             f"{SCHEMA_VERSION}); upgrade prep, your progress is untouched")

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        if self.readonly:
            raise StoreError(f"{self.path}: opened read-only; set PREP_HOME to a folder you can write")
        try:
            self.db.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise explain(self.path, exc) from None
        try:
            yield self.db
        except sqlite3.Error as exc:
            self._rollback()
            raise explain(self.path, exc) from None
        except BaseException:
            self._rollback()
            raise
        try:
            self.db.execute("COMMIT")
        except sqlite3.Error as exc:
            self._rollback()
            raise explain(self.path, exc) from None

    def _rollback(self) -> None:
        try:
            self.db.execute("ROLLBACK")
        except sqlite3.Error:
            pass  # SQLite already rolled back (e.g. after SQLITE_FULL)

    def _read(self, sql: str, args: tuple[object, ...] = ()) -> list[sqlite3.Row]:
        try:
            return self.db.execute(sql, args).fetchall()
        except sqlite3.Error as exc:
            raise explain(self.path, exc) from None

    def close(self) -> None:
        self.db.close()

    def backup(self, target: Path) -> None:
        """A consistent copy through SQLite's backup API (copying the live file can tear it)."""
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            if target.is_dir():
                raise IsADirectoryError(21, "is a folder; give a file name", str(target))
            dest = sqlite3.connect(target)
        except (OSError, sqlite3.Error) as exc:
            why = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            raise StoreError(f"{target}: cannot write the backup: {why}") from None
        try:
            self.db.backup(dest)
        except sqlite3.Error as exc:
            raise StoreError(f"{target}: cannot write the backup: {exc}") from None
        finally:
            dest.close()

    def check(self) -> str:
        """'ok', or what SQLite's integrity check found. Read-only, safe to run any time."""
        return str(self.db.execute("PRAGMA integrity_check").fetchone()[0])

    # --- cards ---
    def cards(self) -> dict[str, Card]:
        return {r["id"]: _card(r) for r in self._read("SELECT * FROM cards")}

    def card(self, card_id: str) -> Card:
        rows = self._read("SELECT * FROM cards WHERE id = ?", (card_id,))
        return _card(rows[0]) if rows else Card(card_id)

    def record(self, rev: Review, *, linked: Sequence[str] = (), window: timedelta = timedelta(days=1)) -> Card:
        """Apply a rating: the review row and the card update commit together, or not at all.

        The card is re-read inside the write transaction, so two sessions never lose an update,
        and a review id seen before (a retry after a crash) changes nothing. `linked` cards already
        seen are brought forward to be due within `window` (scheduler.due_sooner), in the same
        transaction, and remembered so that undo puts them back. Rating a kata card ends its round.
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
            db.execute("INSERT OR REPLACE INTO cards VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", _card_values(card))
            for other_id in dict.fromkeys(linked):
                other_row = db.execute("SELECT * FROM cards WHERE id = ?", (other_id,)).fetchone()
                if other_id == rev.card_id or other_row is None:
                    continue
                other = _card(other_row)
                sooner = due_sooner(other, rev.reviewed_at, window)
                if sooner is None or other.due is None:
                    continue
                db.execute("UPDATE cards SET due = ? WHERE id = ?", (sooner.isoformat(), other_id))
                db.execute("INSERT OR REPLACE INTO nudges VALUES (?, ?, ?, ?)",
                           (rev.review_id, other_id, other.due.isoformat(), sooner.isoformat()))
            if rev.card_id.startswith(KATA_PREFIX):
                _end_round(db, rev.card_id.removeprefix(KATA_PREFIX))
        return card

    def end_kata_round(self, slug: str) -> None:
        """Forget the round's evidence (a pass while the card was not due: practice, not a review)."""
        with self.transaction() as db:
            _end_round(db, slug)

    def undo(self, review_id: str, before: Card) -> bool:
        """Take back a review: its row goes and the card returns to `before`, in one transaction.

        Idempotent: a review already undone (or never written) changes nothing and returns False.
        `before.is_new` restores the card to never-seen (its row is deleted). Linked cards the
        review brought forward get their due back, unless something has moved them since.
        """
        with self.transaction() as db:
            if not db.execute("SELECT 1 FROM reviews WHERE review_id = ?", (review_id,)).fetchone():
                return False
            db.execute("DELETE FROM reviews WHERE review_id = ?", (review_id,))
            if before.is_new:
                db.execute("DELETE FROM cards WHERE id = ?", (before.id,))
            else:
                db.execute("INSERT OR REPLACE INTO cards VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", _card_values(before))
            for card_id, due_before, due_after in db.execute(
                    "SELECT card_id, due_before, due_after FROM nudges WHERE review_id = ?", (review_id,)).fetchall():
                db.execute("UPDATE cards SET due = ? WHERE id = ? AND due = ?", (due_before, card_id, due_after))
            db.execute("DELETE FROM nudges WHERE review_id = ?", (review_id,))
        return True

    def reviews(self) -> list[Review]:
        return [_review(r) for r in self._read("SELECT * FROM reviews ORDER BY reviewed_at")]

    def first_review_times(self) -> list[datetime]:
        """When each card was first reviewed (the daily new-card budget counts these)."""
        # a kata card's first rating comes from `prep kata --check`, not from the day's new cards
        rows = self._read("SELECT MIN(reviewed_at) FROM reviews WHERE card_id NOT LIKE 'kata:%' GROUP BY card_id")
        try:
            return [datetime.fromisoformat(r[0]) for r in rows]
        except (TypeError, ValueError) as exc:
            raise DamagedStoreError(f"{self.path}: a review time does not validate ({exc}); "
                                    "run `prep doctor`") from None

    # --- katas ---
    def kata_progress(self) -> dict[str, tuple[str, int, int]]:
        return {r["slug"]: (r["status"], r["hints"], r["attempts"]) for r in self._read("SELECT * FROM katas")}

    def kata_round(self, slug: str) -> KataRound:
        """The kata's evidence since its card was last rated (empty for a database never upgraded)."""
        rows = self._read("SELECT * FROM katas WHERE slug = ?", (slug,))
        if not rows:
            return KataRound()
        row = rows[0]
        columns = row.keys()  # `in row` would test the values
        if "opened_at" not in columns:
            return KataRound()
        try:
            return KataRound(_dt(row["opened_at"]), int(row["round_checks"]), int(row["round_hints"]),
                             bool(row["round_solution"]))
        except (TypeError, ValueError) as exc:
            raise DamagedStoreError(f"progress row for kata '{slug}' does not validate ({exc}); "
                                    "run `prep doctor`") from None

    def skipped_katas(self, now: datetime) -> set[str]:
        """Katas whose card the learner skipped in a quiz on `now`'s local day."""
        if self.readonly and "skipped_on" not in {r[1] for r in self._read("PRAGMA table_info(katas)")}:
            return set()
        day = now.astimezone().date().isoformat()
        return {r[0] for r in self._read("SELECT slug FROM katas WHERE skipped_on = ?", (day,))}

    def record_kata(self, slug: str, *, passed: bool | None = None, hint: bool = False, opened: bool = False,
                    solution: bool = False, skipped: bool = False, now: datetime) -> tuple[str, int, int]:
        """Note what the learner did with a kata: opened it, took a hint, viewed the solution, checked it,
        or skipped its card for today. Anything but a skip starts the round's clock if it has not started."""
        with self.transaction() as db:
            row = db.execute("SELECT * FROM katas WHERE slug = ?", (slug,)).fetchone()
            status, hints, attempts = (row["status"], row["hints"], row["attempts"]) if row else ("new", 0, 0)
            opened_at = row["opened_at"] if row else None
            checks, round_hints, seen_solution = ((row["round_checks"], row["round_hints"], row["round_solution"])
                                                  if row else (0, 0, 0))
            if hint:
                hints += 1
                round_hints += 1
            if solution:
                seen_solution = 1
            if passed is not None:
                attempts += 1
                checks += 1
                status = "passed" if passed or status == "passed" else "attempted"
            if opened or hint or solution or passed is not None:
                opened_at = opened_at or now.isoformat()
            skipped_on = now.astimezone().date().isoformat() if skipped else (row["skipped_on"] if row else None)
            db.execute(f"INSERT OR REPLACE INTO katas ({', '.join(_KATA_COLUMNS)}) VALUES "
                       f"({', '.join('?' * len(_KATA_COLUMNS))})",
                       (slug, status, hints, attempts, now.isoformat(), opened_at, checks, round_hints,
                        seen_solution, skipped_on))
        return status, hints, attempts


def _end_round(db: sqlite3.Connection, slug: str) -> None:
    db.execute("UPDATE katas SET opened_at = NULL, round_checks = 0, round_hints = 0, round_solution = 0 "
               "WHERE slug = ?", (slug,))


def _create_or_upgrade(db: sqlite3.Connection) -> None:
    """Create the tables, or upgrade an older database in place (inside the caller's transaction).

    Upgrades only add: no row of any table is rewritten or dropped, so no review is lost.
    """
    existing = {r[1] for r in db.execute("PRAGMA table_info(katas)")}
    for stmt in _SCHEMA.strip().split(";"):
        if stmt.strip():
            db.execute(stmt)
    if existing:
        for name, decl in _KATA_COLUMNS_V2:
            if name not in existing:
                db.execute(f"ALTER TABLE katas ADD COLUMN {name} {decl}")
    db.execute("INSERT OR IGNORE INTO meta VALUES ('schema', ?)", (str(SCHEMA_VERSION),))
    db.execute("UPDATE meta SET value = ? WHERE key = 'schema' AND CAST(value AS INTEGER) < ?",
               (str(SCHEMA_VERSION), SCHEMA_VERSION))


def open_store(home: Path, *, readonly: bool = False) -> Store:
    return Store(home / "progress.sqlite3", readonly=readonly)


# --- recovery --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Recovery:
    """What `prep doctor` did to a damaged database: rows saved per table, where the old file went."""

    rows: dict[str, int]
    lost_tables: tuple[str, ...]
    damaged_copy: Path
    dropped: int = 0  # rows read but not valid (a card or review that would stop every session)


def _drop_invalid(db: sqlite3.Connection) -> int:
    db.row_factory = sqlite3.Row
    dropped = 0
    for table, key, check in (("cards", "id", _card), ("reviews", "review_id", _review)):
        for row in db.execute(f"SELECT * FROM {table}").fetchall():
            try:
                check(row)
            except StoreError:
                db.execute(f"DELETE FROM {table} WHERE {key} IS ?", (row[key],))
                dropped += 1
    db.execute("DELETE FROM meta WHERE key = 'schema'")
    return dropped


def _salvage(src: sqlite3.Connection, dest: sqlite3.Connection, table: str) -> int | None:
    """Copy every readable row of `table`, stepping over unreadable pages by rowid. None: table lost."""
    try:
        cols = [r[1] for r in src.execute(f"PRAGMA table_info({table})")]
    except sqlite3.DatabaseError:
        return None
    if not cols:
        return None
    placeholders = ", ".join("?" * len(cols))
    insert = f"INSERT OR IGNORE INTO {table} ({', '.join(cols)}) VALUES ({placeholders})"
    try:
        rows = src.execute(f"SELECT {', '.join(cols)} FROM {table}").fetchall()
        dest.executemany(insert, rows)
        return len(rows)
    except sqlite3.DatabaseError:
        pass
    saved, last = 0, 0
    try:
        top = src.execute(f"SELECT MAX(rowid) FROM {table}").fetchone()[0] or 0
    except sqlite3.DatabaseError:
        top = 1 << 20
    while last < top:
        try:
            row = src.execute(f"SELECT rowid, {', '.join(cols)} FROM {table} WHERE rowid > ? ORDER BY rowid LIMIT 1",
                              (last,)).fetchone()
        except sqlite3.DatabaseError:
            last += 1
            continue
        if row is None:
            break
        last = row[0]
        dest.execute(insert, tuple(row[1:]))
        saved += 1
    return saved


def _absent(src: sqlite3.Connection, table: str) -> bool:
    try:
        return src.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)).fetchone() is None
    except sqlite3.DatabaseError:
        return False


def recover(path: Path) -> Recovery:
    """Rebuild a damaged database from whatever rows can still be read; the damaged file is kept.

    Safe to run twice: the second run finds a healthy database and is never called.
    """
    n = 1
    while path.with_name(f"{path.name}.damaged-{n}").exists():
        n += 1
    damaged = path.with_name(f"{path.name}.damaged-{n}")
    fresh = path.with_name(f"{path.name}.recovering")
    fresh.unlink(missing_ok=True)
    rows: dict[str, int] = {}
    lost: list[str] = []
    try:
        src = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        dest = sqlite3.connect(fresh)
        dest.executescript(_SCHEMA)
        for table in _TABLES:
            got = _salvage(src, dest, table)
            if got is None and table == "nudges" and _absent(src, table):
                continue  # a schema-1 database never had it: nothing lost
            if got is None:
                lost.append(table)
            else:
                rows[table] = got
        dropped = _drop_invalid(dest)
        dest.execute("INSERT OR IGNORE INTO meta VALUES ('schema', ?)", (str(SCHEMA_VERSION),))
        dest.commit()
        dest.close()
        src.close()
        path.rename(damaged)
        for suffix in ("-wal", "-shm"):
            side = path.with_name(path.name + suffix)
            if side.exists():
                side.rename(damaged.with_name(damaged.name + suffix))
        fresh.rename(path)
    except (sqlite3.Error, OSError) as exc:
        raise explain(path, exc) from None
    return Recovery({k: v for k, v in rows.items() if k != "meta"}, tuple(lost), damaged, dropped)


@dataclass(frozen=True)
class Checkup:
    """What `prep doctor` found: the database's path, reviews kept, and a recovery if one was needed."""

    path: Path
    reviews: int
    recovery: Recovery | None = None


def checkup(path: Path) -> Checkup:
    """Open, check and validate every row; recover a damaged database. Safe to run twice."""
    recovery = None
    try:
        store = Store(path)
        try:
            result = store.check()
            if result != "ok":
                raise DamagedStoreError(f"{path}: integrity check failed: {result}")
            store.cards()
            n = len(store.reviews())
        finally:
            store.close()
        return Checkup(path, n)
    except DamagedStoreError:
        recovery = recover(path)
    store = Store(path)
    try:
        return Checkup(path, len(store.reviews()), recovery)
    finally:
        store.close()
