"""Session planning, key-point matching, language choice and progress figures."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest

from prep.bank import load_bank
from prep.errors import PrepError
from prep.quiz import Filters, compute_stats, covered_points, new_today, plan_session, resolve_lang, streak
from prep.scheduler import Card, Rating, review
from prep.store import Review

from .conftest import DATA

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def entries():  # type: ignore[no-untyped-def]
    return load_bank([DATA / "bank" / "good_pack"], include_builtin=False).entries


def test_due_cards_come_first_then_new_up_to_the_limit(entries) -> None:  # type: ignore[no-untyped-def]
    seen = review(Card("team-checkpoints"), Rating.GOOD, NOW - timedelta(days=30))
    plan = plan_session(entries, {"team-checkpoints": seen}, NOW, new_limit=5, rng=random.Random(1))
    assert [e.id for e in plan] == ["team-checkpoints", "team-gpu-quota"]
    assert [e.id for e in plan_session(entries, {"team-checkpoints": seen}, NOW, new_limit=0,
                                       rng=random.Random(1))] == ["team-checkpoints"]
    assert plan_session(entries, {}, NOW, new_limit=5, new_used=5, rng=random.Random(1)) == []


def test_not_yet_due_cards_are_left_out(entries) -> None:  # type: ignore[no-untyped-def]
    fresh = review(Card("team-checkpoints"), Rating.EASY, NOW)
    plan = plan_session(entries, {"team-checkpoints": fresh}, NOW, rng=random.Random(1))
    assert [e.id for e in plan] == ["team-gpu-quota"]


def test_filters_and_cap(entries) -> None:  # type: ignore[no-untyped-def]
    r = random.Random(1)
    assert [e.id for e in plan_session(entries, {}, NOW, filters=Filters(topic=("overfitting",)), rng=r)] == [
        "team-checkpoints"]
    assert [e.id for e in plan_session(entries, {}, NOW, filters=Filters(choice_only=True), rng=r)] == [
        "team-gpu-quota"]
    assert [e.id for e in plan_session(entries, {}, NOW, filters=Filters(difficulty=(2,)), rng=r)] == [
        "team-checkpoints"]
    assert len(plan_session(entries, {}, NOW, limit=1, rng=r)) == 1
    assert [e.id for e in plan_session(entries, {}, NOW, filters=Filters(tag=("early-stopping",)), rng=r)] == [
        "team-checkpoints"]


def test_key_points_are_matched_by_keywords(entries) -> None:  # type: ignore[no-untyped-def]
    gpu = next(e for e in entries if e.id == "team-gpu-quota")
    assert covered_points("eight GPUs on one node", gpu.key_points, "en") == [True, True, False]
    assert covered_points("", gpu.key_points, "en") == [False, False, False]
    assert covered_points("八张GPU，一台节点", gpu.key_points, "zh")[:2] == [True, True]


def test_language_resolution(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    assert resolve_lang(None) == "zh"
    monkeypatch.setenv("PREP_LANG", "en")
    assert resolve_lang(None) == "en"
    assert resolve_lang("both") == "both"
    with pytest.raises(PrepError):
        resolve_lang("fr")


def _rev(card: str, when: datetime, rating: Rating = Rating.GOOD) -> Review:
    return Review(f"{card}-{when.isoformat()}", card, rating, when)


def test_streak_and_new_today() -> None:
    days = [NOW - timedelta(days=d) for d in (0, 1, 2, 4)]
    reviews = [_rev("a", d) for d in days]
    assert streak(reviews, NOW) == 3
    assert streak(reviews[1:], NOW) == 2  # today not yet reviewed: the streak is still alive
    assert new_today([NOW - timedelta(days=3), NOW, NOW - timedelta(minutes=5)], NOW) == 2


def test_stats_counts(entries) -> None:  # type: ignore[no-untyped-def]
    card = review(Card("team-gpu-quota"), Rating.GOOD, NOW - timedelta(days=40))
    reviews = [_rev("team-gpu-quota", NOW - timedelta(days=40)), _rev("removed-entry", NOW)]
    stats = compute_stats(entries, {"team-gpu-quota": card}, reviews, NOW)
    assert stats.reviews == 2 and stats.cards_seen == 2  # history of a removed entry is kept
    assert stats.due == 1 and stats.topics["team-onboarding"].due == 1
    assert 0 < stats.topics["team-onboarding"].recall < 1
    data = stats.to_json()
    assert {"reviews", "cards_seen", "due", "topics"} <= set(data)
