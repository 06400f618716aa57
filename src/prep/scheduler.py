"""FSRS glue: a pure `review(card, rating, now) -> card` over the `fsrs` package, and recall odds."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import IntEnum
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import fsrs


LEARNING, REVIEW, RELEARNING = 1, 2, 3  # fsrs.State values


class Rating(IntEnum):
    AGAIN = 1
    HARD = 2
    GOOD = 3
    EASY = 4


@dataclass(frozen=True)
class Card:
    """The scheduling state of one bank entry, keyed by the entry's id."""

    id: str
    state: int = 1  # fsrs.State.Learning; fsrs itself is imported only when a card is rated
    step: int | None = 0
    stability: float | None = None
    difficulty: float | None = None
    due: datetime | None = None  # None: never reviewed (a new card)
    last_review: datetime | None = None
    reps: int = 0
    lapses: int = 0

    @property
    def is_new(self) -> bool:
        return self.reps == 0


@cache
def _scheduler() -> fsrs.Scheduler:
    import fsrs

    # fuzzing draws from the global `random`; schedules stay exact and testable without it
    return fsrs.Scheduler(enable_fuzzing=False)


def _to_fsrs(card: Card, now: datetime) -> fsrs.Card:
    import fsrs

    return fsrs.Card(card_id=0, state=fsrs.State(card.state), step=card.step, stability=card.stability,
                     difficulty=card.difficulty, due=card.due or now, last_review=card.last_review)


def review(card: Card, rating: Rating, now: datetime) -> Card:
    """The card after a review at `now` (an aware datetime) with `rating`."""
    import fsrs

    new, _ = _scheduler().review_card(_to_fsrs(card, now), fsrs.Rating(int(rating)), now)
    return replace(card, state=int(new.state), step=new.step, stability=new.stability,
                   difficulty=new.difficulty, due=new.due, last_review=new.last_review,
                   reps=card.reps + 1, lapses=card.lapses + (rating == Rating.AGAIN and card.reps > 0))


def preview(card: Card, now: datetime) -> dict[Rating, datetime]:
    """When each rating would bring the card back, were it rated at `now` (for the rating keys)."""
    out = {}
    for rating in Rating:
        due = review(card, rating, now).due
        assert due is not None
        out[rating] = due
    return out


def recall_probability(card: Card, now: datetime) -> float:
    """Probability of recalling the card at `now` (0 for a card never reviewed)."""
    if card.is_new or card.last_review is None:
        return 0.0
    return float(_scheduler().get_card_retrievability(_to_fsrs(card, now), now))


def due_sooner(card: Card, now: datetime, window: timedelta) -> datetime | None:
    """The linked-card rule: a card already seen and due later than `now + window` becomes due at
    `now + window`; a card due sooner (or overdue) keeps its due, so no due ever moves earlier than
    `now` or later than it was. None: nothing changes."""
    if card.is_new or card.due is None or card.due <= now + window:
        return None
    return now + window
