"""The quiz loop with scripted keys: a rating the store cannot take is kept, retried, or named."""

from __future__ import annotations

import io
import random
import re
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from rich.console import Console

from prep.bank import load_bank
from prep.scheduler import Rating
from prep.store import Store
from prep.ui import quiz as ui

from .conftest import DATA

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def _script(monkeypatch: pytest.MonkeyPatch, keys: list[str]) -> None:
    feed: Iterator[str] = iter(keys)

    def next_key(*_: object) -> str | None:
        key = next(feed, None)
        if key == "^C":
            raise KeyboardInterrupt
        return key

    monkeypatch.setattr(ui, "read_line", next_key)
    monkeypatch.setattr(ui, "read_key", next_key)


def _run(store: Store, lang: str = "en") -> tuple[ui.Outcome, str]:
    bank = load_bank([DATA / "bank" / "good_pack"], include_builtin=False)
    plan = sorted(bank.entries, key=lambda e: e.id)
    by_id = {e.id: e for e in plan}
    buf = io.StringIO()
    console = Console(file=buf, width=80, highlight=False)
    ticks = iter(NOW + timedelta(seconds=10 * i) for i in range(1000))
    outcome = ui.run_session(console, plan, by_id.__getitem__, bank.topics, store, store.cards(), lang=lang,
                             mode="recall", rng=random.Random(1), clock=lambda: next(ticks))
    return outcome, buf.getvalue()


def test_a_locked_store_keeps_the_rating_and_saves_it_after_the_next_card(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "p.sqlite3"
    store = Store(path)
    store.db.execute("PRAGMA busy_timeout = 100")
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another process holds the lock
    first_done = False

    def key(*_: object) -> str | None:
        nonlocal first_done
        if not first_done:
            first_done = True
            return "3"
        if holder.in_transaction:
            holder.execute("ROLLBACK")  # the other process lets go before the next rating
        return "4"

    monkeypatch.setattr(ui, "read_line", lambda *_: "")
    monkeypatch.setattr(ui, "read_key", key)
    monkeypatch.setattr("prep.store.BUSY_TIMEOUT_MS", 100)
    outcome, screen = _run(store)
    assert "not saved yet: good" in screen and "another prep session" in screen
    assert outcome.rated >= 2 and outcome.unsaved == []
    assert [r.rating for r in Store(path).reviews()][:2] == [Rating.GOOD, Rating.EASY]


def test_a_rating_that_never_saves_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "p.sqlite3"
    store = Store(path)
    pages = store.db.execute("PRAGMA page_count").fetchone()[0]
    store.db.execute(f"PRAGMA max_page_count = {pages}")  # the disk is full from the start
    monkeypatch.setattr(Store, "record", lambda self, rev, **_: (_ for _ in ()).throw(
        __import__("prep.errors").errors.StoreError(f"{path}: the disk is full; free some space and try again")))
    _script(monkeypatch, ["", "2", "q"])
    outcome, screen = _run(store)
    assert outcome.rated == 0 and outcome.unsaved == [("team-checkpoints", Rating.HARD)]
    assert "not saved yet: hard" in screen and "disk is full" in screen


def test_ctrl_c_at_any_prompt_ends_the_same_way(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for keys in (["^C"], ["", "^C"], ["", "3", "^C"]):
        store = Store(tmp_path / f"{len(keys)}.sqlite3")
        _script(monkeypatch, keys)
        outcome, _ = _run(store)
        assert outcome.interrupted and outcome.rated == (1 if "3" in keys else 0)
        buf = io.StringIO()
        ui.print_outcome(Console(file=buf, width=80), outcome, "en", NOW)
        assert "Stopped." in buf.getvalue()
        assert ("0 rated" not in buf.getvalue()) and ("1 rated, saved." in buf.getvalue()) == ("3" in keys)


def test_chinese_session_has_no_english_label(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _script(monkeypatch, ["八张 GPU", "1", "", "u", "", "1", "q"])
    outcome, screen = _run(Store(tmp_path / "p.sqlite3"), lang="zh")
    buf = io.StringIO()
    ui.print_outcome(Console(file=buf, width=80), outcome, "zh", NOW)
    for english in ("saved", "Rate", "Again", "Good", "quit", "undo", "Answer", "Key points", "Why", "rated",
                    "Your answer", "due in", "Stopped", "See also"):
        assert english not in screen + buf.getvalue(), english


def test_both_languages_are_separate_blocks_and_choices_hang() -> None:
    bank = load_bank([DATA / "bank" / "good_pack"], include_builtin=False)
    entry = next(e for e in bank.entries if e.choices)
    buf = io.StringIO()
    console = Console(file=buf, width=60, highlight=False)
    ui._reveal(console, entry, "both", "")
    lines = buf.getvalue().splitlines()
    why = lines.index(next(line for line in lines if "Why" in line))
    body = lines[why + 1:]
    rule = next(i for i, line in enumerate(body) if "┄┄┄" in line)
    assert all(not re.search(r"[\u4e00-\u9fff]", line) for line in body[:rule])  # English block first
    assert any(re.search(r"[\u4e00-\u9fff]", line) for line in body[rule:])  # then Chinese, on its own
    choices = ui._hanging([(ui.RichText(" A"), ui._texts({"en": "a choice long enough to wrap"}, "en"))])
    buf = io.StringIO()
    Console(file=buf, width=12).print(choices)
    wrapped = buf.getvalue().splitlines()
    assert len(wrapped) > 1 and all(line.startswith("   ") and line[3] != " " for line in wrapped[1:])  # hanging indent


def test_panels_are_capped_at_a_readable_width(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    assert ui.make_console().width == ui.MAX_WIDTH
    monkeypatch.setenv("COLUMNS", "80")
    assert ui.make_console().width == 80


def test_chinese_breaks_at_characters_not_spaces() -> None:
    from rich.panel import Panel

    from prep.ui.wrap import enable_cjk_wrapping, split_words

    enable_cjk_wrapping()
    text = ("循环神经网络在很长的序列上训练时，梯度会在 backpropagation through time 中逐步衰减，"
            "导致 1000 步以前的信息几乎无法影响输出。")
    buf = io.StringIO()
    Console(file=buf, width=40).print(Panel(text))
    inner = [line[2:-2] for line in buf.getvalue().splitlines()[1:-1]]
    from rich.cells import cell_len

    assert all(cell_len(line.rstrip()) >= 33 for line in inner[:-1]), inner  # no half-empty lines
    assert "backpropagation" in "".join(inner) and "，" not in [line.strip()[:1] for line in inner]
    assert split_words("用GPU训练（快）。") == ["用", "GPU", "训", "练", "（快）。"]
