"""Session planning, key-point matching, language choice and progress figures."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest

from prep.bank import load_bank
from prep.errors import PrepError
from prep.lang import resolve_lang
from prep.quiz import (
    LEARN_AHEAD,
    Counts,
    Filters,
    Session,
    compute_stats,
    covered_points,
    format_interval,
    new_today,
    nothing_left_message,
    plan_session,
    resolve_tags,
    resolve_topics,
    streak,
    today_counts,
)
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


def test_session_learning_queue_brings_again_back_within_the_learn_ahead(entries) -> None:  # type: ignore[no-untyped-def]
    ids = [e.id for e in entries]
    session = Session(entries)
    first = session.next(NOW)
    assert first == ids[0]
    again = review(Card(first), Rating.AGAIN, NOW)  # due in 1 minute
    assert session.rated(first, again, NOW) is True
    assert session.next(NOW) == ids[1]  # the plan goes on while the learning card is not yet due
    easy = review(Card(ids[1]), Rating.EASY, NOW)  # days away: not back today
    assert session.rated(ids[1], easy, NOW) is False
    assert session.next(NOW) == first  # nothing else left: shown now, within the 20-minute window
    later = review(again, Rating.GOOD, NOW)  # the next step is 10 minutes away: still this session
    assert session.rated(first, later, NOW) is True and session.next_due() == later.due
    assert session.next(NOW + timedelta(minutes=10) - LEARN_AHEAD - timedelta(minutes=1)) is None
    assert session.next(NOW) == first


def test_undone_card_is_asked_next_and_leaves_the_learning_queue(entries) -> None:  # type: ignore[no-untyped-def]
    session = Session(entries)
    first = session.next(NOW)
    assert first is not None
    session.rated(first, review(Card(first), Rating.AGAIN, NOW), NOW)
    session.undone(first)
    assert session.learning == {} and session.next(NOW) == first and session.done == 0


def test_today_counts_and_the_new_limit_message(entries) -> None:  # type: ignore[no-untyped-def]
    learning = review(Card("team-checkpoints"), Rating.AGAIN, NOW - timedelta(minutes=5))
    counts = today_counts(entries, {"team-checkpoints": learning}, NOW, new_limit=10)
    assert counts == Counts(new=1, learning=1, due=0)
    assert today_counts(entries, {}, NOW, new_limit=3, new_used=3).new == 0
    reason, values = nothing_left_message(entries, {}, NOW, filters=Filters(), new_limit=10, new_used=10)
    assert reason == "new_limit" and values["more"] == 20 and values["fresh"] == 2


def test_intervals_read_like_ankis() -> None:
    assert [format_interval(timedelta(seconds=s)) for s in (60, 330, 600, 3 * 3600, 8 * 86400, 75 * 86400)] == [
        "1m", "6m", "10m", "3h", "8d", "2.5mo"]
    assert format_interval(timedelta(days=3), "zh") == "3天"


def test_topics_by_slug_or_name_any_case_and_unknown_tags(entries) -> None:  # type: ignore[no-untyped-def]
    topics = load_bank([DATA / "bank" / "good_pack"]).topics
    assert resolve_topics(["ATTENTION", "Team Onboarding", "注意力机制"], topics) == ("attention", "team-onboarding")
    with pytest.raises(PrepError, match="unknown topic 'astrology'"):
        resolve_topics(["astrology"], topics)
    with pytest.raises(PrepError, match=r"unknown tag 'nope'; tags: .*infra"):
        resolve_tags(["nope"], entries)


def test_true_retention_after_failing_every_card_is_zero_not_100(entries) -> None:  # type: ignore[no-untyped-def]
    cards = {e.id: review(Card(e.id), Rating.AGAIN, NOW) for e in entries}
    reviews = [_rev(e.id, NOW, Rating.AGAIN) for e in entries]
    stats = compute_stats(entries, cards, reviews, NOW, katas=[("dropout", "overfitting", "passed")])
    for slug in ("overfitting", "team-onboarding"):
        t = stats.topics[slug]
        assert t.retention == 0.0 and t.recall < 1.0
    assert stats.retention == 0.0 and stats.today.learning == 2
    assert stats.topics["overfitting"].katas == (("dropout", "passed"),)
    data = stats.to_json()
    assert data["topics"]["overfitting"]["true_retention_30d"] == 0.0
    assert data["topics"]["overfitting"]["katas"] == {"dropout": "passed"}
    old = [_rev(e.id, NOW - timedelta(days=40), Rating.AGAIN) for e in entries]
    assert compute_stats(entries, cards, old, NOW).retention is None  # outside the 30-day window


def test_new_cards_are_warm_ups_first_and_random_within_a_difficulty() -> None:
    """The day's new cards: every difficulty-1 card before any difficulty-2 one, a random choice within
    the last level reached, no card twice, the same draw for the same seed."""
    import random
    from types import SimpleNamespace

    from prep.quiz import _new_cards

    fresh = [SimpleNamespace(id=f"c{i}", difficulty=1 + i % 3) for i in range(300)]  # 100 per level
    picked = _new_cards(list(fresh), 150, random.Random(4))
    assert len(picked) == 150 and len({e.id for e in picked}) == 150
    assert [e.difficulty for e in picked] == [1] * 100 + [2] * 50
    assert [e.id for e in picked] == [e.id for e in _new_cards(list(fresh), 150, random.Random(4))]
    assert [e.id for e in picked] != [e.id for e in _new_cards(list(fresh), 150, random.Random(5))]
    assert [e.id for e in picked[:100]] != [e.id for e in fresh if e.difficulty == 1]  # shuffled
    assert len(_new_cards(list(fresh), 1000, random.Random(1))) == 300
    assert _new_cards(list(fresh), 0, random.Random(1)) == []
