"""Drills and katas as cards: evidence ratings, linked cards, the store upgrade, stats per kind."""

from __future__ import annotations

import json
import shutil
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

from prep.bank import load_index
from prep.katas import find_kata
from prep.quiz import Filters, compute_stats, plan_day
from prep.schedule import (
    drill_items,
    drill_rating,
    kata_item,
    kata_items,
    kata_rating,
    links,
    note_kata,
    record_check,
)
from prep.scheduler import Card, Rating
from prep.store import SCHEMA_VERSION, KataRound, Review, Store, new_review_id

from .conftest import DATA

NOW = datetime(2026, 12, 6, 9, 0, tzinfo=UTC)
FIXTURE = DATA / "progress-v1.sqlite3"


def _seen(store: Store, card_id: str, days_ago: float = 40) -> Card:
    """A card reviewed twice long ago: in review state, due well before NOW."""
    when = NOW - timedelta(days=days_ago)
    store.record(Review(new_review_id(), card_id, Rating.GOOD, when))
    return store.record(Review(new_review_id(), card_id, Rating.GOOD, when + timedelta(days=1)))


# --- the store upgrade ---------------------------------------------------------------------------------

def test_a_schema_1_database_upgrades_in_place_with_no_review_lost(tmp_path: Path) -> None:
    path = tmp_path / "progress.sqlite3"
    shutil.copy(FIXTURE, path)
    old = sqlite3.connect(FIXTURE)
    old_reviews = old.execute("SELECT * FROM reviews ORDER BY review_id").fetchall()
    old_cards = old.execute("SELECT * FROM cards ORDER BY id").fetchall()
    old.close()
    assert Store(path, readonly=True).kata_round("softmax") == KataRound()  # read-only: readable, not upgraded
    store = Store(path)
    db = store.db
    assert db.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()[0] == str(SCHEMA_VERSION) == "2"
    assert [tuple(r) for r in db.execute("SELECT * FROM reviews ORDER BY review_id")] == old_reviews
    assert [tuple(r) for r in db.execute("SELECT * FROM cards ORDER BY id")] == old_cards
    assert store.kata_progress() == {"softmax": ("passed", 1, 2), "kmeans": ("attempted", 0, 1)}
    assert store.kata_round("softmax") == KataRound()
    # review ids stay idempotent across the upgrade: a retried old review changes nothing
    before = store.card("dropout-purpose")
    again = Review("review-0003", "dropout-purpose", Rating.GOOD, NOW)
    assert store.record(again) == before and len(store.reviews()) == len(old_reviews)
    store.close()
    assert Store(path).check() == "ok"  # opening twice is a no-op
    assert len(Store(path).reviews()) == 5


# --- linked cards ------------------------------------------------------------------------------------

def test_again_on_a_card_brings_its_kata_forward_within_a_day_and_undo_puts_it_back(tmp_path: Path) -> None:
    store = Store(tmp_path / "p.sqlite3")
    _seen(store, "card-a")
    far = store.record(Review(new_review_id(), "kata:softmax", Rating.EASY, NOW - timedelta(hours=1)))
    assert far.due is not None and far.due > NOW + timedelta(days=2)
    soon = _seen(store, "kata:relu")  # overdue already: left alone (never later, never earlier than it was)
    lapse = Review(new_review_id(), "card-a", Rating.AGAIN, NOW)
    before = store.card("card-a")
    store.record(lapse, linked=("kata:softmax", "kata:relu", "kata:never-seen"))
    assert store.card("kata:softmax").due == NOW + timedelta(days=1)
    assert store.card("kata:relu").due == soon.due
    assert "kata:never-seen" not in store.cards()  # a card never seen is not created
    assert store.undo(lapse.review_id, before)
    assert store.card("kata:softmax") == far and store.card("card-a") == before


def test_links_go_both_ways() -> None:
    refs = load_index([DATA / "bank" / "good_pack"]).refs
    with_kata = next(r for r in refs if r.kata)
    assert links(with_kata.id, refs) == (f"kata:{with_kata.kata}",)
    assert with_kata.id in links(f"kata:{with_kata.kata}", refs)
    assert links("kata:softmax", [], {"softmax": ("a", "b")}) == ("a", "b")
    assert links("drill:linear-params", refs) == ()


# --- ratings from evidence -----------------------------------------------------------------------------

def test_drill_ratings() -> None:
    assert drill_rating(right=True, slipped=False, seconds=20) == Rating.EASY
    assert drill_rating(right=True, slipped=False, seconds=200) == Rating.GOOD
    assert drill_rating(right=True, slipped=True, seconds=20) == Rating.HARD
    assert drill_rating(right=False, slipped=False, seconds=5) == Rating.AGAIN


def test_kata_ratings_from_evidence() -> None:
    t0 = NOW - timedelta(minutes=5)
    assert kata_rating(KataRound(t0, 1, 0, False), NOW, 2) == Rating.EASY
    assert kata_rating(KataRound(NOW - timedelta(hours=2), 1, 0, False), NOW, 2) == Rating.GOOD
    assert kata_rating(KataRound(t0, 1, 2, False), NOW, 2) == Rating.HARD
    assert kata_rating(KataRound(t0, 3, 0, False), NOW, 2) == Rating.HARD  # failed checks first
    assert kata_rating(KataRound(t0, 1, 1, True), NOW, 2) == Rating.AGAIN


def test_a_check_rates_the_kata_card_once_and_it_comes_back_when_due(tmp_path: Path) -> None:
    store = Store(tmp_path / "p.sqlite3")
    kata = find_kata("softmax")
    note_kata(store, kata.slug, NOW - timedelta(minutes=3), opened=True)
    assert record_check(store, kata, False, NOW - timedelta(minutes=2)).rating is None  # a failure is not rated
    first = record_check(store, kata, True, NOW)
    assert first.rating == Rating.HARD  # passed after a failed check
    assert store.kata_round(kata.slug) == KataRound()  # the round ends with the rating
    assert record_check(store, kata, True, NOW + timedelta(minutes=1)).rating is None  # not due: progress only
    due = first.card.due
    assert due is not None
    later = due + timedelta(minutes=1)
    note_kata(store, kata.slug, later, opened=True)
    assert record_check(store, kata, True, later + timedelta(minutes=4)).rating == Rating.EASY
    assert [r.rating for r in store.reviews() if r.card_id == "kata:softmax"] == [Rating.HARD, Rating.EASY]


def test_a_pass_after_the_solution_is_again_and_brings_the_linked_cards_forward(tmp_path: Path) -> None:
    store = Store(tmp_path / "p.sqlite3")
    kata = find_kata("softmax")
    assert kata.bank, "softmax names bank entries"
    store.record(Review(new_review_id(), kata.bank[0], Rating.EASY, NOW - timedelta(hours=1)))
    store.record(Review(new_review_id(), kata.bank[0], Rating.EASY, NOW - timedelta(minutes=30)))
    note_kata(store, kata.slug, NOW, solution=True)
    got = record_check(store, kata, True, NOW + timedelta(minutes=1))
    assert got.rating == Rating.AGAIN
    due = store.card(kata.bank[0]).due
    assert due is not None and due <= NOW + timedelta(minutes=1) + timedelta(days=1)


def test_kata_cards_are_not_new_cards_of_the_day(tmp_path: Path) -> None:
    store = Store(tmp_path / "p.sqlite3")
    record_check(store, find_kata("relu"), True, NOW)
    assert store.first_review_times() == []
    cards = store.cards()
    assert [i.id for i in kata_items(cards)] == ["kata:relu"]
    assert kata_items({}) == ()


# --- planning and stats ------------------------------------------------------------------------------

def test_drills_are_cards_filtered_by_topic_and_difficulty() -> None:
    import random

    from prep.drills import all_generators

    drills = drill_items()
    assert [d.name for d in drills] == [g.name for g in all_generators()] and len(drills) >= 25
    assert drill_items() == drills  # from the cache the second time
    cnn = [d for d in drills if "cnn" in d.topics]
    plan, _ = plan_day(drills, {}, NOW, filters=Filters(topic=("cnn",)), new_limit=100, rng=random.Random(1))
    assert {p.id for p in plan} == {d.id for d in cnn}
    plan, _ = plan_day(drills, {}, NOW, filters=Filters(difficulty=(1,)), new_limit=100, rng=random.Random(1))
    assert plan == []


def test_stats_count_each_kind(tmp_path: Path) -> None:
    store = Store(tmp_path / "p.sqlite3")
    _seen(store, "drill:linear-params")
    store.record(Review(new_review_id(), "drill:conv-output-size", Rating.AGAIN, NOW - timedelta(days=1)))
    record_check(store, find_kata("relu"), True, NOW - timedelta(days=1))
    refs = load_index([DATA / "bank" / "good_pack"]).refs
    _seen(store, refs[0].id)
    others = [*drill_items(), kata_item(find_kata("relu")), kata_item(find_kata("softmax"))]
    stats = compute_stats(refs, store.cards(), store.reviews(), NOW, others=others)
    kinds = json.loads(json.dumps(stats.to_json()))["kinds"]
    assert set(kinds) == {"card", "drill", "kata"}
    assert kinds["drill"]["reviews"] == 3 and kinds["drill"]["seen"] == 2 and kinds["drill"]["due"] == 2
    assert kinds["kata"]["reviews"] == 1 and kinds["kata"]["seen"] == 1 and kinds["kata"]["total"] == 2
    assert kinds["card"]["reviews"] == 2 and kinds["card"]["seen"] == 1 and kinds["card"]["due"] == 1
    topic_kinds = stats.to_json()["topics"][refs[0].topic]["kinds"]
    assert topic_kinds["card"]["seen"] == 1


def test_stats_json_keeps_its_keys_and_adds_kinds(run_prep) -> None:  # type: ignore[no-untyped-def]
    from prep.drills import all_generators

    before = set(json.loads(run_prep("stats", "--json")[1]))
    store = Store(Path(__import__("os").environ["PREP_HOME"]) / "progress.sqlite3")
    store.record(Review(new_review_id(), "drill:linear-params", Rating.GOOD, datetime.now(UTC)))
    store.close()
    code, out, _ = run_prep("stats", "--json")
    data = json.loads(out)
    assert code == 0 and before <= set(data) and "kinds" in data
    for kind in ("card", "drill", "kata"):
        assert {"reviews", "seen", "due"} <= set(data["kinds"][kind])
    assert data["kinds"]["drill"]["reviews"] == 1 and data["kinds"]["drill"]["seen"] == 1
    assert data["kinds"]["kata"]["total"] == len(__import__("prep.katas").katas.catalogue())
    code, out, _ = run_prep("stats")
    assert code == 0 and "drills" in out
    code, out, _ = run_prep("bank", "stats", "--json")
    assert code == 0 and json.loads(out)["drills"] == len(all_generators())


def test_doctor_recovers_a_damaged_schema_1_database_without_calling_new_tables_lost(tmp_path: Path) -> None:
    from prep.store import recover

    path = tmp_path / "progress.sqlite3"
    shutil.copy(FIXTURE, path)
    result = recover(path)
    assert result.lost_tables == () and result.rows["reviews"] == 5 and result.rows["katas"] == 2
    assert len(Store(path).reviews()) == 5


def test_a_kata_skipped_in_the_quiz_is_not_asked_again_today(tmp_path: Path) -> None:
    store = Store(tmp_path / "p.sqlite3")
    record_check(store, find_kata("relu"), True, NOW - timedelta(days=30))
    note_kata(store, "relu", NOW, skipped=True)
    assert store.skipped_katas(NOW) == {"relu"} and store.skipped_katas(NOW + timedelta(days=1)) == set()
    assert kata_items(store.cards(), store.skipped_katas(NOW)) == ()
    assert store.kata_round("relu").opened_at is None  # a skip does not start the clock
