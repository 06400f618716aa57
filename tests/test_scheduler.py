"""FSRS glue: exact, deterministic schedules."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from prep.scheduler import Card, Rating, recall_probability, review

NOW = datetime(2026, 1, 1, 9, 0, tzinfo=UTC)


def test_new_card_good_then_good_moves_due_into_the_future() -> None:
    card = review(Card("x"), Rating.GOOD, NOW)
    assert card.reps == 1 and card.due is not None and card.due > NOW
    later = card.due
    card2 = review(card, Rating.GOOD, later)
    assert card2.due is not None and card2.due - later > timedelta(hours=12)


def test_easy_schedules_later_than_hard() -> None:
    easy = review(Card("x"), Rating.EASY, NOW)
    hard = review(Card("x"), Rating.HARD, NOW)
    assert easy.due is not None and hard.due is not None and easy.due > hard.due


def test_schedules_are_deterministic() -> None:
    a = review(review(Card("x"), Rating.GOOD, NOW), Rating.GOOD, NOW + timedelta(days=1))
    b = review(review(Card("x"), Rating.GOOD, NOW), Rating.GOOD, NOW + timedelta(days=1))
    assert a == b


def test_again_on_a_learned_card_is_a_lapse() -> None:
    card = Card("x")
    t = NOW
    for _ in range(3):
        card = review(card, Rating.GOOD, t)
        assert card.due is not None
        t = card.due
    lapsed = review(card, Rating.AGAIN, t)
    assert lapsed.lapses == 1 and lapsed.due is not None and lapsed.due - t < timedelta(hours=1)


def test_recall_probability_decays() -> None:
    card = review(review(Card("x"), Rating.GOOD, NOW), Rating.GOOD, NOW + timedelta(minutes=10))
    p1 = recall_probability(card, NOW + timedelta(days=1))
    p30 = recall_probability(card, NOW + timedelta(days=30))
    assert 0 < p30 < p1 <= 1
    assert recall_probability(Card("new"), NOW) == 0.0
