"""A quiz session: which cards, in what order, what an answer covers, and what progress looks like.

Pure functions of the bank, the stored cards, `now` and an `rng`; the terminal lives in `ui/`.
"""

from __future__ import annotations

import locale
import os
import random
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Protocol, TypeVar

from prep.bank import Text
from prep.scheduler import Card, Rating, recall_probability
from prep.store import Review


def resolve_lang(flag: str | None) -> str:
    """--lang, else PREP_LANG, else the locale (zh* -> zh), else en."""
    for value in (flag, os.environ.get("PREP_LANG")):
        if value:
            if value not in ("en", "zh", "both"):
                from prep.errors import PrepError

                raise PrepError(f"unknown language '{value}': use en, zh or both")
            return value
    loc = os.environ.get("LC_ALL") or os.environ.get("LC_MESSAGES") or os.environ.get("LANG") or ""
    if not loc:
        loc = (locale.getlocale()[0] or "")
    return "zh" if loc.lower().startswith("zh") else "en"


def text_in(text: Text, lang: str) -> str:
    """The text in `lang` ('both': English then Chinese), falling back to whatever exists."""
    if lang == "both":
        parts = [text[k] for k in ("en", "zh") if k in text]
        return "\n".join(parts)
    return text.get(lang) or text.get("en") or next(iter(text.values()), "")


class Schedulable(Protocol):
    """What planning needs of an entry: an Entry, or an EntryRef whose text is not yet decoded."""

    @property
    def id(self) -> str: ...
    @property
    def topic(self) -> str: ...
    @property
    def difficulty(self) -> int: ...
    @property
    def tags(self) -> tuple[str, ...]: ...
    @property
    def choices(self) -> Any: ...


E = TypeVar("E", bound=Schedulable)


@dataclass(frozen=True)
class Filters:
    topic: tuple[str, ...] = ()
    tag: tuple[str, ...] = ()
    difficulty: tuple[int, ...] = ()
    choice_only: bool = False

    def accepts(self, e: Schedulable) -> bool:
        return ((not self.topic or e.topic in self.topic) and (not self.tag or any(t in e.tags for t in self.tag))
                and (not self.difficulty or e.difficulty in self.difficulty)
                and (not self.choice_only or bool(e.choices)))


def new_today(first_reviews: Sequence[datetime], now: datetime) -> int:
    """How many cards had their first review on `now`'s local day (the daily new-card budget used)."""
    today = now.astimezone().date()
    return sum(1 for t in first_reviews if t.astimezone().date() == today)


def plan_session(entries: Sequence[E], cards: dict[str, Card], now: datetime, *,
                 filters: Filters = Filters(), new_limit: int = 10, limit: int | None = None,
                 new_used: int = 0, rng: random.Random) -> list[E]:
    """Due cards first (most overdue first), then up to the day's remaining new cards, shuffled."""
    pool = [e for e in entries if filters.accepts(e)]
    due = [e for e in pool if e.id in cards and not cards[e.id].is_new
           and (cards[e.id].due is None or cards[e.id].due <= now)]  # type: ignore[operator]
    due.sort(key=lambda e: cards[e.id].due or now)
    fresh = [e for e in pool if e.id not in cards or cards[e.id].is_new]
    rng.shuffle(fresh)
    fresh.sort(key=lambda e: e.difficulty)  # warm-ups first, random within a difficulty
    plan = due + fresh[: max(0, new_limit - new_used)]
    return plan[:limit] if limit is not None else plan


# --- how much of the key points a typed answer covers (approximate, and said to be) ---------------

_STOP = frozenset({"a", "an", "the", "of", "to", "in", "on", "for", "and", "or", "is", "are", "be", "by", "with",
    "as", "at", "it", "its", "this", "that", "from", "into", "than", "then", "so", "such", "can", "may", "not",
    "no", "do", "does", "use", "used", "using", "when", "which", "what", "why", "how", "if", "each", "per", "vs",
    "via", "over"})
_SYNONYMS = {"nn": "network", "lr": "learning", "grad": "gradient", "gradients": "gradient",
             "params": "parameter", "parameters": "parameter", "reg": "regularization", "val": "validation"}
_WORD = re.compile(r"[a-z0-9]+")
_HAN = re.compile(r"[\u4e00-\u9fff]+")


def _keywords(text: str) -> set[str]:
    text = text.lower()
    words = {_SYNONYMS.get(w, w) for w in _WORD.findall(text) if w not in _STOP and len(w) > 1}
    stems = {w[:6] for w in words}
    han = {run[i:i + 2] for run in _HAN.findall(text) for i in range(max(1, len(run) - 1))}
    return stems | han


def covered_points(typed: str, key_points: tuple[Text, ...], lang: str) -> list[bool]:
    """Which key points the typed answer mentions: at least half of a point's keywords appear.

    A keyword match on word stems (and Chinese character pairs), with a few synonyms; it cannot
    judge meaning, and the quiz says so.
    """
    have = _keywords(typed)
    result = []
    for kp in key_points:
        want = set().union(*(_keywords(v) for k, v in kp.items() if lang in ("both", k) or len(kp) == 1))
        if not want:
            want = set().union(*(_keywords(v) for v in kp.values()))
        result.append(bool(typed.strip()) and bool(want) and len(want & have) * 2 >= len(want))
    return result


def choice_rating(correct: bool) -> Rating:
    return Rating.GOOD if correct else Rating.AGAIN


# --- progress ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class TopicStats:
    entries: int
    seen: int
    due: int
    recall: float  # mean recall probability over seen cards


@dataclass(frozen=True)
class Stats:
    reviews: int
    cards_seen: int
    due: int
    due_week: int
    new_available: int
    streak: int
    topics: dict[str, TopicStats] = field(default_factory=dict)
    ratings: dict[str, int] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {"version": 1, "reviews": self.reviews, "cards_seen": self.cards_seen, "due": self.due,
                "due_next_7_days": self.due_week, "new_available": self.new_available, "streak": self.streak,
                "ratings": self.ratings,
                "topics": {k: {"entries": v.entries, "seen": v.seen, "due": v.due, "recall": round(v.recall, 4)}
                           for k, v in self.topics.items()}}


def streak(reviews: list[Review], now: datetime) -> int:
    """Consecutive days with a review, ending today (or yesterday, if today has none yet)."""
    days = {r.reviewed_at.astimezone().date() for r in reviews}
    day = now.astimezone().date()
    if day not in days:
        day -= timedelta(days=1)
    count = 0
    while day in days:
        count += 1
        day -= timedelta(days=1)
    return count


def compute_stats(entries: Sequence[Schedulable], cards: dict[str, Card], reviews: list[Review],
                  now: datetime) -> Stats:
    """Progress over the loaded bank; history of entries no longer in the bank counts in totals only."""
    week = now + timedelta(days=7)
    topics: dict[str, TopicStats] = {}
    by_topic: dict[str, list[Schedulable]] = {}
    for e in entries:
        by_topic.setdefault(e.topic, []).append(e)
    due = due_week = new = 0
    for slug, es in by_topic.items():
        seen = [cards[e.id] for e in es if e.id in cards and not cards[e.id].is_new]
        t_due = sum(1 for c in seen if c.due is None or c.due <= now)
        due += t_due
        due_week += sum(1 for c in seen if c.due is None or c.due <= week)
        new += len(es) - len(seen)
        recall = sum(recall_probability(c, now) for c in seen) / len(seen) if seen else 0.0
        topics[slug] = TopicStats(len(es), len(seen), t_due, recall)
    counts = Counter(r.rating.name.lower() for r in reviews)
    return Stats(reviews=len(reviews), cards_seen=len({r.card_id for r in reviews}), due=due, due_week=due_week,
                 new_available=new, streak=streak(reviews, now), topics=topics, ratings=dict(counts))
