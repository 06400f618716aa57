"""One schedule for everything: numeric drills and katas as cards beside the bank's, rated from evidence.

Card ids: a bank entry's id, `drill:<name>` for a drill generator, `kata:<slug>` for a kata. This module
says which drills and katas a session may ask, what rating the evidence earns, and which cards are
linked (a lapse on one brings the other forward). No numpy here: the drill generators are listed
from a small cache, so the quiz's first question does not wait for them.
"""

from __future__ import annotations

import json
import os
import zlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from prep.scheduler import Card, Rating
from prep.store import KATA_PREFIX, KataRound, Review, Store, new_review_id

if TYPE_CHECKING:
    from prep.katas import Kata

DRILL_PREFIX = "drill:"
DRILL_DIFFICULTY = 2  # drills have no level of their own; --difficulty 2 selects them
LINK_WINDOW = timedelta(days=1)  # a lapse makes a linked card due within a day (never earlier than now)
QUICK_DRILL = timedelta(seconds=60)  # a right drill answer this quick earns Easy, else Good
QUICK_KATA = {1: timedelta(minutes=10), 2: timedelta(minutes=20), 3: timedelta(minutes=30)}


def kind_of(card_id: str) -> str:
    """'drill', 'kata' or 'card' (a bank entry)."""
    if card_id.startswith(DRILL_PREFIX):
        return "drill"
    if card_id.startswith(KATA_PREFIX):
        return "kata"
    return "card"


@dataclass(frozen=True)
class Item:
    """A drill or a kata as the planner sees it (the Schedulable shape, with every topic it belongs to)."""

    id: str
    topics: tuple[str, ...]
    difficulty: int
    title: Mapping[str, str]
    tags: tuple[str, ...] = ()
    choices: None = None

    @property
    def topic(self) -> str:
        return self.topics[0]

    @property
    def name(self) -> str:
        return self.id.split(":", 1)[1]


# --- drills ------------------------------------------------------------------------------------------

def _cached(kind: str, sources: Iterable[Path], build: Callable[[], list[dict[str, Any]]]) -> list[dict[str, Any]]:
    """Rows built from `sources` (the drill modules, the kata.yaml files), kept in a cache keyed by
    their names, mtimes and sizes: a warm quiz reads one small JSON file instead of importing numpy
    or parsing YAML. A read-only home has no cache; the rows are built each time."""
    cache: Path | None = None
    stamp = ""
    if not os.environ.get("PREP_NO_CACHE"):
        from prep.paths import home

        parts = []
        for f in sources:
            st = f.stat()
            parts.append(f"{f.parent.name}/{f.name}:{st.st_mtime_ns}:{st.st_size}")
        stamp = "\n".join(parts)
        # crc32 names the file (hashlib's first use initialises OpenSSL: ~10 ms); the full stamp inside decides
        cache = home() / "cache" / f"{kind}-{zlib.crc32(stamp.encode()):08x}.json"
        try:
            data = json.loads(cache.read_text(encoding="utf-8"))
            if data["stamp"] == stamp:
                rows: list[dict[str, Any]] = data["rows"]
                return rows
        except (OSError, ValueError, KeyError, TypeError):
            pass
    rows = build()
    if cache is not None:
        try:
            cache.parent.mkdir(parents=True, exist_ok=True)
            tmp = cache.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_text(json.dumps({"stamp": stamp, "rows": rows}, ensure_ascii=False), encoding="utf-8")
            tmp.replace(cache)
        except OSError:
            pass
    return rows


def _drill_rows() -> list[dict[str, Any]]:
    from prep.drills import all_generators

    return [{"name": g.name, "topics": list(g.topics), "title": dict(g.title)} for g in all_generators()]


def drill_items() -> tuple[Item, ...]:
    """Every drill generator as a card (numpy and the generators load only when the cache is cold)."""
    import prep.drills

    folder = Path(prep.drills.__file__).parent
    sources = sorted([*folder.glob("*.py"), *folder.glob("generators/*.py")])
    rows = _cached("drills", sources, _drill_rows)
    return tuple(Item(DRILL_PREFIX + r["name"], tuple(r["topics"]), DRILL_DIFFICULTY, r["title"], ("drill",))
                 for r in rows)


def drill_rating(right: bool, slipped: bool, seconds: float) -> Rating:
    """Right and quick -> Easy, right -> Good, right after a slip note -> Hard, otherwise Again."""
    if not right:
        return Rating.AGAIN
    if slipped:
        return Rating.HARD
    return Rating.EASY if seconds <= QUICK_DRILL.total_seconds() else Rating.GOOD


# --- katas -------------------------------------------------------------------------------------------

def kata_item(kata: Kata) -> Item:
    return Item(KATA_PREFIX + kata.slug, (kata.topic,), kata.difficulty, kata.title, ("kata",))


def _kata_rows() -> list[dict[str, Any]]:
    from prep.katas import catalogue

    return [{"slug": k.slug, "topic": k.topic, "difficulty": k.difficulty, "title": dict(k.title)}
            for k in catalogue().values()]


def _kata_rows_cached() -> list[dict[str, Any]]:
    """The shipped katas' rows in catalogue order, read from a cache: YAML is parsed when a kata changes."""
    from prep.paths import data_root

    return _cached("katas", sorted((data_root() / "katas").glob("*/kata.yaml")), _kata_rows)


def kata_slugs() -> list[str]:
    """Every shipped kata's slug in catalogue order."""
    return [r["slug"] for r in _kata_rows_cached()]


def kata_items(cards: Mapping[str, Card], skipped: AbstractSet[str] = frozenset()) -> tuple[Item, ...]:
    """The katas a session may ask: those with a card (passed or rated once), less those skipped today;
    a kata never done is started with `prep kata`, not drawn from the day's new cards. A kata no longer
    shipped keeps its history and is not asked. Read from a cache: YAML is parsed when a kata changes."""
    wanted = {card_id.removeprefix(KATA_PREFIX) for card_id, card in cards.items()
              if card_id.startswith(KATA_PREFIX) and not card.is_new} - set(skipped)
    if not wanted:
        return ()
    return tuple(Item(KATA_PREFIX + r["slug"], (r["topic"],), int(r["difficulty"]), r["title"], ("kata",))
                 for r in _kata_rows_cached() if r["slug"] in wanted)


def kata_rating(evidence: KataRound, now: datetime, difficulty: int) -> Rating:
    """A pass rated from the round's evidence: after the solution -> Again, after hints or failed
    checks -> Hard, first check with no hint -> Easy when quick for its level, else Good."""
    if evidence.solution:
        return Rating.AGAIN
    if evidence.hints or evidence.checks > 1:
        return Rating.HARD
    started = evidence.opened_at or now
    return Rating.EASY if now - started <= QUICK_KATA.get(difficulty, QUICK_KATA[3]) else Rating.GOOD


@dataclass(frozen=True)
class CheckRating:
    """What a check did to the kata's card: the rating (None: not rated) and the card after it."""

    rating: Rating | None
    card: Card


def record_check(store: Store, kata: Kata, passed: bool, now: datetime, *,
                 linked: Sequence[str] = ()) -> CheckRating:
    """Record a check of `kata`; a pass rates its card from the evidence when the card is new or due.

    A pass while the card is not due (a re-save under --watch, practice ahead of time) is progress,
    not a review. `linked` defaults to the kata's bank entries.
    """
    store.record_kata(kata.slug, passed=passed, now=now)
    card_id = KATA_PREFIX + kata.slug
    card = store.card(card_id)
    if not passed:
        return CheckRating(None, card)
    if not (card.is_new or (card.due is not None and card.due <= now)):
        store.end_kata_round(kata.slug)  # practice ahead of time: the next round starts afresh
        return CheckRating(None, card)
    rating = kata_rating(store.kata_round(kata.slug), now, kata.difficulty)
    links = linked or kata.bank
    after = store.record(Review(new_review_id(), card_id, rating, now, "kata"),
                         linked=links if rating == Rating.AGAIN else ())
    return CheckRating(rating, after)


def note_kata(store: Store, slug: str, now: datetime, *, opened: bool = False, solution: bool = False,
              skipped: bool = False) -> None:
    """Evidence for a kata's next rating (it was opened: the clock starts; its solution was viewed), or
    its card skipped for today."""
    store.record_kata(slug, opened=opened, solution=solution, skipped=skipped, now=now)


def links(card_id: str, refs: Iterable[Any], kata_bank: Mapping[str, Sequence[str]] = {}) -> tuple[str, ...]:
    """Cards linked to `card_id`: an entry's kata, or a kata's entries (its `bank:` list and every
    entry whose `kata:` names it)."""
    if card_id.startswith(KATA_PREFIX):
        slug = card_id.removeprefix(KATA_PREFIX)
        return tuple(dict.fromkeys([*kata_bank.get(slug, ()), *(r.id for r in refs if r.kata == slug)]))
    if card_id.startswith(DRILL_PREFIX):
        return ()
    for r in refs:
        if r.id == card_id:
            return (KATA_PREFIX + r.kata,) if r.kata else ()
    return ()


# --- stats -------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class KindStats:
    """Cards of one kind (in total, or in one topic): how many, seen, due now, and true retention."""

    total: int = 0
    seen: int = 0
    due: int = 0
    reviews: int = 0
    reviews_30d: int = 0
    passed_30d: int = 0

    @property
    def retention(self) -> float | None:
        return self.passed_30d / self.reviews_30d if self.reviews_30d else None

    def to_json(self) -> dict[str, Any]:
        ret = self.retention
        return {"total": self.total, "reviews": self.reviews, "seen": self.seen, "due": self.due,
                "reviews_30d": self.reviews_30d, "true_retention_30d": None if ret is None else round(ret, 4)}


KINDS = ("card", "drill", "kata")


def kind_stats(items: Iterable[tuple[str, Sequence[str]]], cards: Mapping[str, Card], reviews: Sequence[Review],
               now: datetime) -> tuple[dict[str, KindStats], dict[str, dict[str, KindStats]]]:
    """Per kind, and per topic then kind, over `items` (card id, topics). Reviews of cards no longer
    shipped count in the kind's `reviews` total only."""
    from prep.quiz import RETENTION_WINDOW

    acc: dict[tuple[str, str], list[int]] = {}
    totals: dict[str, list[int]] = {k: [0] * 6 for k in KINDS}
    per_card: dict[str, list[int]] = {}
    for rv in reviews:
        totals[kind_of(rv.card_id)][3] += 1
        if now - RETENTION_WINDOW <= rv.reviewed_at <= now:
            w = per_card.setdefault(rv.card_id, [0, 0])
            w[0] += 1
            w[1] += rv.rating != Rating.AGAIN
    for card_id, topics in items:
        kind = kind_of(card_id)
        card = cards.get(card_id)
        seen = card is not None and not card.is_new
        due = seen and card is not None and (card.due is None or card.due <= now)
        n30, p30 = per_card.get(card_id, (0, 0))
        row = (1, int(seen), int(due), 0, n30, p30)
        for t in totals[kind], *(acc.setdefault((topic, kind), [0] * 6) for topic in topics):
            for i in (0, 1, 2, 4, 5):
                t[i] += row[i]
    by_topic: dict[str, dict[str, KindStats]] = {}
    for (topic, kind), v in sorted(acc.items()):
        by_topic.setdefault(topic, {})[kind] = KindStats(*v)
    return {k: KindStats(*v) for k, v in totals.items()}, by_topic
