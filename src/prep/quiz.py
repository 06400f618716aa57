"""A quiz session: which cards, in what order, what an answer covers, and what progress looks like.

Pure functions of the bank, the stored cards, `now` and an `rng`; the terminal lives in `ui/`.
"""

from __future__ import annotations

import random
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from prep.bank import Topic
from prep.errors import PrepError
from prep.lang import Text
from prep.scheduler import LEARNING, RELEARNING, Card, Rating, recall_probability
from prep.store import Review

if TYPE_CHECKING:
    from prep.schedule import Item, KindStats

LEARN_AHEAD = timedelta(minutes=20)  # Anki's default: learning cards this close to due are shown now
RETENTION_WINDOW = timedelta(days=30)


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
        # called once per entry at start-up (10,000 times for a large pack): no generator when a
        # plain membership test answers; a drill belongs to several topics (`topics`), an entry to one
        if self.topic:
            topics = getattr(e, "topics", None)
            if not (e.topic in self.topic if topics is None else any(t in self.topic for t in topics)):
                return False
        return ((not self.tag or any(t in e.tags for t in self.tag))
                and (not self.difficulty or e.difficulty in self.difficulty)
                and (not self.choice_only or bool(e.choices)))


_ERRORS = {
    "en": {"topic": "unknown topic '{v}'; topics: {known}", "tag": "unknown tag '{v}'; {known}",
           "tags": "tags: {tags}", "close": "did you mean {close}? ", "all": "`prep bank tags` lists all {n}",
           "mode": "unknown mode '{v}': use recall, choice or drill"},
    "zh": {"topic": "没有主题“{v}”；可用的主题：{known}", "tag": "没有标签“{v}”；{known}",
           "tags": "可用的标签：{tags}", "close": "是不是想找 {close}？", "all": "`prep bank tags` 列出全部 {n} 个标签",
           "mode": "没有模式“{v}”：请用 recall、choice 或 drill"},
}


def error_text(key: str, lang: str, **values: object) -> str:
    """A learner-facing error in the session's language."""
    return _ERRORS["zh" if lang == "zh" else "en"][key].format(**values)


def resolve_topics(values: Sequence[str], topics: dict[str, Topic], lang: str = "en") -> tuple[str, ...]:
    """Topic slugs for `--topic` values given as a slug or a name in either language, any case."""
    by_name: dict[str, str] = {}
    for slug, t in topics.items():
        for key in (slug, *t.name.values()):
            by_name[key.casefold()] = slug
    out: list[str] = []
    for v in values:
        found = by_name.get(v.strip().casefold())
        if found is None:
            raise PrepError(error_text("topic", lang, v=v, known=", ".join(sorted(topics))))
        out.append(found)
    return tuple(dict.fromkeys(out))


def all_tags(entries: Sequence[Schedulable]) -> Counter[str]:
    """Every tag in the bank with how many entries carry it."""
    return Counter(t for e in entries for t in e.tags)


def resolve_tags(values: Sequence[str], entries: Sequence[Schedulable], lang: str = "en") -> tuple[str, ...]:
    if not values:
        return ()
    known = all_tags(entries)
    for v in values:
        if v not in known:
            if len(known) <= 60:
                listed = error_text("tags", lang, tags=", ".join(sorted(known)))
            else:
                import difflib

                close = difflib.get_close_matches(v, list(known), n=8, cutoff=0.6)
                listed = (error_text("close", lang, close=", ".join(close)) if close else "") + \
                    error_text("all", lang, n=len(known))
            raise PrepError(error_text("tag", lang, v=v, known=listed))
    return tuple(values)


def new_today(first_reviews: Sequence[datetime], now: datetime) -> int:
    """How many cards had their first review on `now`'s local day (the daily new-card budget used)."""
    today = now.astimezone().date()
    return sum(1 for t in first_reviews if t.astimezone().date() == today)


def _is_due(card: Card, when: datetime) -> bool:
    return card.due is None or card.due <= when


def _in_learning(card: Card) -> bool:
    return card.state in (LEARNING, RELEARNING)


def plan_session(entries: Sequence[E], cards: dict[str, Card], now: datetime, *,
                 filters: Filters = Filters(), new_limit: int = 10, limit: int | None = None,
                 new_used: int = 0, rng: random.Random) -> list[E]:
    """Due cards first (most overdue first), then up to the day's remaining new cards, shuffled.

    Learning cards due within the learn-ahead window count as due (they would be shown now in Anki).
    """
    return plan_day(entries, cards, now, filters=filters, new_limit=new_limit, limit=limit, new_used=new_used,
                    rng=rng)[0]


def plan_day(entries: Sequence[E], cards: dict[str, Card], now: datetime, *,
             filters: Filters = Filters(), new_limit: int = 10, limit: int | None = None,
             new_used: int = 0, rng: random.Random) -> tuple[list[E], Counts]:
    """The session's plan and today's counts, from one pass over the bank (a start-up path)."""
    pool = [e for e in entries if filters.accepts(e)]
    seen = [e for e in pool if e.id in cards and not cards[e.id].is_new]
    due = [e for e in seen if _is_due(cards[e.id], now + LEARN_AHEAD if _in_learning(cards[e.id]) else now)]
    due.sort(key=lambda e: cards[e.id].due or now)
    seen_ids = {e.id for e in seen}
    fresh = [e for e in pool if e.id not in seen_ids]
    new_left = max(0, new_limit - new_used)
    plan = due + _new_cards(fresh, new_left, rng)
    counts = _count(seen, cards, now, min(len(fresh), new_left))
    return (plan[:limit] if limit is not None else plan), counts


def _new_cards(fresh: list[E], n: int, rng: random.Random) -> list[E]:
    """n of the new cards: warm-ups first, in random order within a difficulty. Only the levels the
    plan reaches are drawn from (a 10,000-entry pack was shuffled whole: 4 ms of its start)."""
    levels: dict[int, list[E]] = {}
    for e in fresh:
        levels.setdefault(e.difficulty, []).append(e)
    out: list[E] = []
    for level in sorted(levels):
        left = n - len(out)
        if left <= 0:
            break
        group = levels[level]
        if len(group) <= left:
            rng.shuffle(group)
            out += group
        else:
            out += rng.sample(group, left)
    return out


@dataclass(frozen=True)
class Counts:
    """Today's queue as Anki shows it: new cards left in the day's budget, learning steps, reviews due."""

    new: int
    learning: int
    due: int

    def to_json(self) -> dict[str, int]:
        return {"new": self.new, "learning": self.learning, "due": self.due}


def today_counts(entries: Sequence[Schedulable], cards: dict[str, Card], now: datetime, *,
                 filters: Filters = Filters(), new_limit: int = 10, new_used: int = 0) -> Counts:
    pool = [e for e in entries if filters.accepts(e)]
    seen = [e for e in pool if e.id in cards and not cards[e.id].is_new]
    return _count(seen, cards, now, min(len(pool) - len(seen), max(0, new_limit - new_used)))


def _count(seen: Sequence[Schedulable], cards: dict[str, Card], now: datetime, new: int) -> Counts:
    end_of_day = datetime.combine(now.astimezone().date() + timedelta(days=1), datetime.min.time(),
                                  now.astimezone().tzinfo)
    learning = due = 0
    for e in seen:
        card = cards[e.id]
        if _in_learning(card):
            learning += _is_due(card, end_of_day)
        else:
            due += _is_due(card, now)
    return Counts(new, learning, due)


def nothing_left_message(entries: Sequence[Schedulable], cards: dict[str, Card], now: datetime, *,
                         filters: Filters, new_limit: int, new_used: int) -> tuple[str, dict[str, Any]]:
    """Why a session would be empty: a message key and its values (the UI words it per language)."""
    fresh = sum(1 for e in entries if filters.accepts(e) and (e.id not in cards or cards[e.id].is_new))
    nxt = next_due(entries, cards, filters)
    if fresh and new_used >= new_limit:
        return "new_limit", {"limit": new_limit, "more": max(new_used, new_limit) + 10, "fresh": fresh,
                             "next": nxt}
    return "nothing", {"next": nxt}


def next_due(entries: Sequence[Schedulable], cards: dict[str, Card], filters: Filters = Filters()) -> datetime | None:
    """When the next card among these falls due (None: nothing scheduled)."""
    dues = [c.due for e in entries if (c := cards.get(e.id)) is not None and not c.is_new and c.due is not None
            and filters.accepts(e)]  # the card first: most entries of a large pack have none
    return min(dues, default=None)


class Session:
    """The queue of one sitting: the plan in order, plus a learning queue (Anki's).

    A card rated during the session whose next step falls due within the learn-ahead window comes
    back in this session; the session ends when nothing is due within that window.
    """

    def __init__(self, plan: Sequence[Schedulable], learn_ahead: timedelta = LEARN_AHEAD) -> None:
        self.queue: list[str] = [e.id for e in plan]
        self.learning: dict[str, datetime] = {}
        self.learn_ahead = learn_ahead
        self.done = 0

    def next(self, now: datetime) -> str | None:
        """The id of the next card to show at `now`, or None when the session is over."""
        soonest = min(self.learning.items(), key=lambda kv: kv[1], default=None)
        if soonest and soonest[1] <= now:
            del self.learning[soonest[0]]
            return soonest[0]
        if self.queue:
            return self.queue.pop(0)
        if soonest and soonest[1] <= now + self.learn_ahead:
            del self.learning[soonest[0]]
            return soonest[0]
        return None

    def rated(self, card_id: str, card: Card, now: datetime) -> bool:
        """Record a rating's outcome; True when the card comes back in this session."""
        self.done += 1
        if card.due is not None and card.due.astimezone().date() == now.astimezone().date() and (
                _in_learning(card) or card.due <= now + self.learn_ahead):
            self.learning[card_id] = card.due
            return True
        return False

    def undone(self, card_id: str) -> None:
        """The last rating was taken back: the card is asked again next."""
        self.done -= 1
        self.learning.pop(card_id, None)
        self.queue = [card_id, *(c for c in self.queue if c != card_id)]

    @property
    def remaining(self) -> int:
        return len(self.queue) + len(self.learning)

    def next_due(self) -> datetime | None:
        return min(self.learning.values(), default=None)


_UNITS = {"en": ("m", "h", "d", "mo", "y"), "zh": ("分钟", "小时", "天", "个月", "年")}


def format_interval(delta: timedelta, lang: str = "en") -> str:
    """Anki's short form: 1m, 10m, 3h, 4d, 2.5mo, 1.2y (in Chinese: 1分钟, 3小时, 4天 ...)."""
    m, h, d, mo, y = _UNITS["zh" if lang == "zh" else "en"]
    seconds = max(0.0, delta.total_seconds())
    if seconds < 3600:
        return f"{max(1, round(seconds / 60))}{m}"
    if seconds < 86400:
        return f"{round(seconds / 3600)}{h}"
    days = seconds / 86400
    if days < 30:
        return f"{round(days)}{d}"
    if days < 365:
        return f"{days / 30:.1f}".removesuffix(".0") + mo
    return f"{days / 365:.1f}".removesuffix(".0") + y


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
    recall: float  # the scheduler's predicted recall tomorrow, mean over seen cards
    reviews_30d: int = 0
    passed_30d: int = 0
    katas: tuple[tuple[str, str], ...] = ()  # (slug, status)

    @property
    def retention(self) -> float | None:
        """True retention: the share of the last 30 days' reviews not rated Again (None: no reviews)."""
        return self.passed_30d / self.reviews_30d if self.reviews_30d else None


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
    today: Counts = Counts(0, 0, 0)
    reviews_30d: int = 0
    passed_30d: int = 0
    kinds: dict[str, KindStats] = field(default_factory=dict)  # card / drill / kata
    topic_kinds: dict[str, dict[str, KindStats]] = field(default_factory=dict)

    @property
    def retention(self) -> float | None:
        return self.passed_30d / self.reviews_30d if self.reviews_30d else None

    def to_json(self) -> dict[str, Any]:
        def r(x: float | None) -> float | None:
            return None if x is None else round(x, 4)

        return {"version": 1, "reviews": self.reviews, "cards_seen": self.cards_seen, "due": self.due,
                "due_next_7_days": self.due_week, "new_available": self.new_available, "streak": self.streak,
                "ratings": self.ratings, "today": self.today.to_json(),
                "true_retention_30d": r(self.retention), "reviews_30d": self.reviews_30d,
                "topics": {k: {"entries": v.entries, "seen": v.seen, "due": v.due, "recall": round(v.recall, 4),
                               "predicted_recall_tomorrow": round(v.recall, 4),
                               "true_retention_30d": r(v.retention), "reviews_30d": v.reviews_30d,
                               "katas": dict(v.katas),
                               "kinds": {kind: ks.to_json() for kind, ks in self.topic_kinds.get(k, {}).items()}}
                           for k, v in self.topics.items()},
                "kinds": {kind: ks.to_json() for kind, ks in self.kinds.items()}}


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
                  now: datetime, *, katas: Sequence[tuple[str, str, str]] = (), new_limit: int = 10,
                  new_used: int = 0, others: Sequence[Item] = ()) -> Stats:
    """Progress over the loaded bank; history of entries no longer in the bank counts in totals only.

    Two figures are kept apart on purpose: true retention (what happened: reviews passed over the last
    30 days) and predicted recall (what the scheduler expects of you tomorrow). `katas` are
    (slug, topic, status) rows; `others` are the drill and kata cards, counted per kind beside the bank's.
    """
    from prep.schedule import kind_stats

    kinds, topic_kinds = kind_stats([*((e.id, (e.topic,)) for e in entries), *((o.id, o.topics) for o in others)],
                                    cards, reviews, now)
    week = now + timedelta(days=7)
    tomorrow = now + timedelta(days=1)
    topic_of = {e.id: e.topic for e in entries}
    window: dict[str, list[int]] = {}
    for rv in reviews:
        if now - RETENTION_WINDOW <= rv.reviewed_at <= now and rv.card_id in topic_of:
            w = window.setdefault(topic_of[rv.card_id], [0, 0])
            w[0] += 1
            w[1] += rv.rating != Rating.AGAIN
    kata_rows: dict[str, list[tuple[str, str]]] = {}
    for slug, topic, status in katas:
        kata_rows.setdefault(topic, []).append((slug, status))
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
        recall = sum(recall_probability(c, tomorrow) for c in seen) / len(seen) if seen else 0.0
        n30, p30 = window.get(slug, (0, 0))
        topics[slug] = TopicStats(len(es), len(seen), t_due, recall, n30, p30, tuple(kata_rows.get(slug, ())))
    counts = Counter(r.rating.name.lower() for r in reviews)
    return Stats(reviews=len(reviews), cards_seen=len({r.card_id for r in reviews}), due=due, due_week=due_week,
                 new_available=new, streak=streak(reviews, now), topics=topics, ratings=dict(counts),
                 today=today_counts(entries, cards, now, new_limit=new_limit, new_used=new_used),
                 reviews_30d=sum(w[0] for w in window.values()), passed_30d=sum(w[1] for w in window.values()),
                 kinds=kinds, topic_kinds=topic_kinds)
