"""Drawing a quiz session in the terminal with rich, and the loop that asks, reveals, rates and undoes.

Pack text always reaches rich as Text (never parsed as markup): a bank may contain `[bold]`.
"""

from __future__ import annotations

import random
import signal
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from types import FrameType
from typing import TYPE_CHECKING

from rich.console import Console, Group, RenderableType
from rich.panel import Panel
from rich.text import Text as RichText

from prep.bank import Entry, Topic
from prep.errors import StoreError
from prep.lang import Text, text_in
from prep.quiz import Counts, Schedulable, Session, choice_rating, covered_points, format_interval
from prep.scheduler import Card, Rating
from prep.store import Review, Store, new_review_id
from prep.ui.keys import read_key, read_line
from prep.ui.text import printable

if TYPE_CHECKING:
    from rich.table import Table

MAX_WIDTH = 100  # panels wider than this are hard to read on a wide terminal

LABELS = {"en": {"answer": "Answer", "points": "Key points", "why": "Why", "your": "Your answer",
                 "question": "Question", "quit": "quit", "undo": "undo",
                 "ratings": ("Again", "Hard", "Good", "Easy"), "rate": "Rate",
                 "prompt": "Your answer (Enter reveals, q quits): ", "approx":
                 "ticks are an approximate keyword match, not a judgement",
                 "pick": "Pick {keys}, q quits", "right": "Correct", "wrong": "Not quite",
                 "next": "Enter for the next card, {undo}q quits", "next_undo": "u undoes, ",
                 "see": "See also", "kata": "Practise",
                 "saved": "saved: {rating} · due in {interval} ({when})", "again_here": " · back in this session",
                 "today": "Today: {new} new · {learning} learning · {due} due · this session: {size} card{s}",
                 "undone": "undone: {rating} on this card is taken back; the card is as it was",
                 "not_saved": "not saved yet: {rating} ({reason}); kept, and retried after the next card",
                 "rated": "{n} rated, saved.", "rated_none": "Session ended; nothing rated.",
                 "unsaved": "{n} rating(s) could not be saved: {which}",
                 "next_due": "Next card due in {interval} ({when}).", "none_due": "No card is due in this session.",
                 "stopped": "Stopped.",
                 "nothing": "Nothing due and no new cards left for today; prep stats shows what is coming.",
                 "new_limit": "No new cards left today (your limit is {limit} a day; {fresh} new waiting). "
                              "To study more now: prep quiz --new {more}"},
          "zh": {"answer": "参考答案", "points": "要点", "why": "解析", "your": "你的回答",
                 "question": "题目", "quit": "退出", "undo": "撤销",
                 "ratings": ("忘了", "困难", "记得", "简单"), "rate": "自评",
                 "prompt": "你的回答（直接回车查看答案，q 退出）：", "approx": "勾选只是近似的关键词匹配，仅供参考",
                 "pick": "选择 {keys}，q 退出", "right": "回答正确", "wrong": "回答错误",
                 "next": "回车进入下一题，{undo}q 退出", "next_undo": "u 撤销，",
                 "see": "相关题目", "kata": "对应练习",
                 "saved": "已保存：{rating} · {interval}后到期（{when}）", "again_here": " · 本次会再出现",
                 "today": "今日：新卡 {new} · 学习中 {learning} · 到期 {due} · 本次 {size} 张",
                 "undone": "已撤销：这张卡的「{rating}」已收回，卡片恢复原状",
                 "not_saved": "暂未保存：{rating}（{reason}）；已保留，下一张后重试",
                 "rated": "本次自评 {n} 张，已保存。", "rated_none": "本次结束，没有自评。",
                 "unsaved": "{n} 个自评未能保存：{which}",
                 "next_due": "下一张卡 {interval}后到期（{when}）。", "none_due": "本次没有待复习的卡片。",
                 "stopped": "已停止。",
                 "nothing": "今天没有到期或新的卡片了；用 prep stats 查看进度。",
                 "new_limit": "今天的新卡已学完（每天上限 {limit} 张；还有 {fresh} 张新卡）。"
                              "想现在多学一些：prep quiz --new {more}"}}


def label(lang: str, key: str) -> str:
    value = LABELS["zh" if lang == "zh" else "en"][key]
    assert isinstance(value, str)
    return value


def rating_name(lang: str, rating: Rating, *, key: bool = False) -> str:
    """`Good` on a rating key, `good` in a sentence (Chinese has one form)."""
    name = LABELS["zh" if lang == "zh" else "en"]["ratings"][int(rating) - 1]
    return name if key or lang == "zh" else name.lower()


def make_console(lang: str = "zh") -> Console:
    """A console capped at a readable width, breaking Chinese at character boundaries (unless English only)."""
    if lang != "en":
        from prep.ui.wrap import enable_cjk_wrapping

        enable_cjk_wrapping()
    probe = Console()
    return Console(highlight=False, width=min(probe.width, MAX_WIDTH))


def _clock_time(when: datetime, now: datetime) -> str:
    local = when.astimezone()
    if local.date() == now.astimezone().date():
        return local.strftime("%H:%M")
    return local.strftime("%Y-%m-%d")


def _interval(delta: timedelta, lang: str) -> str:
    return format_interval(delta, "zh" if lang == "zh" else "en")


def _texts(text: Text, lang: str, style: str = "", markdown: bool = False, short: bool = False) -> RenderableType:
    """One language, or (both) English then Chinese as separate blocks with a rule between them.

    `short` items (a key point, a choice) put the Chinese on the next line, dimmed, without a rule.
    """
    def one(value: str) -> RenderableType:
        value = printable(value)  # pack text: no control characters reach the terminal
        if markdown:
            from rich.markdown import Markdown  # deferred: the first question is on screen before this import

            return Markdown(value)
        return RichText(value, style=style)

    if lang == "both" and "en" in text and "zh" in text and short:
        return Group(one(text["en"]), RichText(printable(text["zh"]), style="dim"))
    if lang == "both" and "en" in text and "zh" in text:
        from rich.rule import Rule

        return Group(one(text["en"]), Rule(style="dim", characters="┄"), one(text["zh"]))
    return one(text_in(text, lang))


def _hanging(rows: Sequence[tuple[RichText, RenderableType]]) -> Table:
    """Marks in one column, text in the next: wrapped lines hang under the text, not the mark."""
    from rich.table import Table

    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True)
    grid.add_column(ratio=1)
    for mark, body in rows:
        grid.add_row(mark, body)
    return grid


def _question_panel(entry: Entry, topics: dict[str, Topic], lang: str, index: int, total: int) -> Panel:
    topic = topics.get(entry.topic)
    topic_name = text_in(topic.name, "zh" if lang == "zh" else "en") if topic else entry.topic
    body: list[RenderableType] = [_texts(entry.question, lang, style="bold")]
    if entry.code:
        from rich.syntax import Syntax  # pygments is slow to import; only cards with code pay for it

        body.append(Syntax(printable(entry.code.rstrip()), "python", theme="ansi_dark", line_numbers=False))
    title = RichText(printable(f"{index}/{total} · {topic_name} · {'★' * entry.difficulty}"))
    return Panel(Group(*body), title=title, title_align="left", border_style="cyan")


def _reveal(console: Console, entry: Entry, lang: str, typed: str) -> None:
    from rich.rule import Rule
    ticks = covered_points(typed, entry.key_points, lang) if typed.strip() else [False] * len(entry.key_points)
    rows = [(RichText("✓" if hit else "•", style="green bold" if hit else "dim"), _texts(kp, lang, short=True))
            for hit, kp in zip(ticks, entry.key_points)]
    # the question again, on one line: at 80x24 the question panel has often scrolled away by now
    first_line = text_in(entry.question, "en" if lang == "both" else lang).split("\n")[0]
    question = RichText(printable(first_line), style="dim", no_wrap=True, overflow="ellipsis")
    answer: list[RenderableType] = [question]
    if typed.strip():
        mine = RichText(f"{label(lang, 'your')}: ", style="dim")
        mine.append(printable(typed.strip()), style="italic")
        answer += [mine, Rule(style="dim", characters="┄")]
    answer.append(_texts(entry.answer, lang))
    console.print(Panel(Group(*answer), title=label(lang, "answer"), title_align="left", border_style="green"))
    console.print(Panel(_hanging(rows), title=label(lang, "points"), title_align="left", border_style="yellow",
                        subtitle=label(lang, "approx") if typed.strip() else None, subtitle_align="right"))
    console.print(Panel(_texts(entry.explanation, lang, markdown=True), title=label(lang, "why"),
                        title_align="left", border_style="blue"))
    extra = []
    if entry.see_also:
        extra.append(f"{label(lang, 'see')}: {', '.join(entry.see_also)}")
    if entry.kata:
        extra.append(f"{label(lang, 'kata')}: prep kata {entry.kata}")
    if extra:
        console.print(RichText(printable("   ".join(extra)), style="dim"))


def rating_legend(lang: str, card: Card, now: datetime, can_undo: bool) -> RichText:
    """`Rate  [1] Again 1m  [2] Hard 6m  [3] Good 10m  [4] Easy 3d   [u] undo  [q] quit`."""
    from prep.scheduler import preview

    dues = preview(card, now)
    legend = RichText(label(lang, "rate") + " ", style="bold")
    for rating, due in dues.items():
        legend.append(f" [{int(rating)}] {rating_name(lang, rating, key=True)} ", style="bold")
        legend.append(_interval(due - now, lang), style="cyan")
        legend.append(" ")
    legend.append("  ")
    if can_undo:
        legend.append(f"[u] {label(lang, 'undo')}  ", style="bold")
    legend.append(f"[q] {label(lang, 'quit')}", style="bold")
    return legend


@contextmanager
def _deferred_interrupt() -> Iterator[None]:
    """Ctrl-C during a save waits until the save has committed, then ends the session as usual."""
    caught: list[int] = []

    def hold(signum: int, frame: FrameType | None) -> None:
        caught.append(signum)

    try:
        previous = signal.signal(signal.SIGINT, hold)
    except ValueError:  # not the main thread: nothing to defer
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
    if caught:
        raise KeyboardInterrupt


@dataclass
class _Last:
    review: Review
    before: Card
    linked: tuple[str, ...] = ()


@dataclass
class Outcome:
    """How a session ended: ratings saved, ratings that could not be saved, Ctrl-C, the next due card."""

    rated: int = 0
    unsaved: list[tuple[str, Rating]] = field(default_factory=list)
    interrupted: bool = False
    next_due: datetime | None = None
    store_error: str = ""


class _Saver:
    """Writes ratings; a rating that cannot be written now is kept and retried, never dropped silently."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.pending: list[tuple[Review, tuple[str, ...]]] = []
        self.error = ""

    def save(self, rev: Review, linked: tuple[str, ...] = ()) -> dict[str, Card]:
        """Every rating written now (earlier ones kept after a failure, then this one), by review id."""
        self.pending.append((rev, linked))
        return self.flush()

    def flush(self) -> dict[str, Card]:
        done: dict[str, Card] = {}
        for item in list(self.pending):
            rev, linked = item
            try:
                with _deferred_interrupt():
                    done[rev.review_id] = self.store.record(rev, linked=linked)
            except StoreError as exc:
                self.error = str(exc)
                break
            self.pending.remove(item)
        return done


def print_counts(console: Console, counts: Counts, size: int, lang: str) -> None:
    console.print(RichText(label(lang, "today").format(new=counts.new, learning=counts.learning, due=counts.due,
                                                        size=size, s="" if size == 1 else "s"), style="bold"))


def run_session(console: Console, plan: Sequence[Schedulable], decode: Callable[[str], Entry],
                topics: dict[str, Topic], store: Store, cards: dict[str, Card], *, lang: str, mode: str,
                rng: random.Random, clock: Callable[[], datetime],
                links: Callable[[str], tuple[str, ...]] = lambda _: ()) -> Outcome:
    """Ask the planned cards and the learning queue; each rating (and each undo) commits before the next card.

    Bank entries, drills (`drill:`) and katas (`kata:`) are asked each their own way and saved alike; a
    rating of Again brings the card's linked cards forward (`links`).
    """
    from prep.scheduler import review
    from prep.ui.practice import ask_drill, ask_kata

    session = Session(plan)
    saver = _Saver(store)
    outcome = Outcome()
    last: _Last | None = None
    try:
        while (card_id := session.next(clock())) is not None:
            before = cards.get(card_id, Card(card_id))
            index, total = session.done + 1, session.done + 1 + session.remaining
            started = time.monotonic()
            got: Rating | str
            review_mode = mode
            if card_id.startswith("drill:"):
                got = ask_drill(console, card_id, topics, before, lang, index, total, rng, clock,
                                can_undo=last is not None)
                review_mode = "drill"
            elif card_id.startswith("kata:"):
                got = ask_kata(console, card_id, store, before, lang, index, total, clock, can_undo=last is not None)
                review_mode = "kata"
            else:
                got = _ask_entry(console, decode(card_id), topics, before, lang, mode, index, total, rng, clock,
                                 can_undo=last is not None)
            if got == "q":
                break
            if got == "skip":
                console.rule(style="dim")
                continue
            if got == "u":
                if last is not None:
                    session.queue.insert(0, card_id)  # the card on screen is asked again after the undone one
                    _undo(console, store, session, cards, last, lang)
                    outcome.rated -= 1
                    last = None
                continue
            assert isinstance(got, Rating)
            rating = got
            now = clock()
            rev = Review(new_review_id(), card_id, rating, now, review_mode, time.monotonic() - started)
            linked = links(card_id) if rating == Rating.AGAIN else ()
            written = saver.save(rev, linked)
            outcome.rated += len(written)
            saved = written.get(rev.review_id)
            if saved is None:
                after = review(before, rating, now)  # the schedule it gets once saved
                console.print(RichText(label(lang, "not_saved").format(rating=rating_name(lang, rating),
                                                                        reason=saver.error), style="red"))
            else:
                after = saved
                for other in linked:
                    if other in cards:
                        cards[other] = store.card(other)
            cards[card_id] = after
            last = _Last(rev, before, linked) if saved is not None else None
            back = session.rated(card_id, after, now)
            assert after.due is not None
            line = label(lang, "saved").format(rating=rating_name(lang, rating),
                                               interval=_interval(after.due - now, lang),
                                               when=_clock_time(after.due, now))
            if saved is not None:
                console.print(RichText(line + (label(lang, "again_here") if back else ""), style="dim"))
            if mode == "choice":
                console.print(RichText(label(lang, "next").format(undo=label(lang, "next_undo")), style="dim"))
                answer = read_line("")
                if answer is None or answer.strip().lower() == "q":
                    break
                if answer.strip().lower() == "u" and last is not None:
                    _undo(console, store, session, cards, last, lang)
                    outcome.rated -= 1
                    last = None
            console.rule(style="dim")
    except KeyboardInterrupt:
        outcome.interrupted = True
        console.print()
    try:
        outcome.rated += len(saver.flush())
    except KeyboardInterrupt:
        outcome.interrupted = True
    outcome.unsaved = [(r.card_id, r.rating) for r, _ in saver.pending]
    outcome.store_error = saver.error if saver.pending else ""
    outcome.next_due = session.next_due()
    return outcome


def _ask_entry(console: Console, entry: Entry, topics: dict[str, Topic], before: Card, lang: str, mode: str,
               index: int, total: int, rng: random.Random, clock: Callable[[], datetime], *,
               can_undo: bool) -> Rating | str:
    """A bank card: a rating, or 'q' (quit) / 'u' (undo the last rating)."""
    console.print(_question_panel(entry, topics, lang, index, total))
    if mode == "choice" and entry.choices:
        order = list(entry.choices)
        rng.shuffle(order)
        keys = "abcdefgh"[: len(order)]
        console.print(_hanging([(RichText(f" {k.upper()}", style="bold"), _texts(c.text, lang, short=True))
                                for k, c in zip(keys, order)]))
        console.print(RichText(label(lang, "pick").format(keys="/".join(keys.upper())), style="dim"))
        picked_key = read_key(keys + "q")
        if picked_key is None or picked_key == "q":
            return "q"
        right = order[keys.index(picked_key)].correct
        console.print(RichText(label(lang, "right" if right else "wrong"),
                               style="green bold" if right else "red bold"))
        correct = [k.upper() for k, c in zip(keys, order) if c.correct]
        console.print(RichText(f"  → {', '.join(correct)}", style="green"))
        _reveal(console, entry, lang, "")
        return choice_rating(right)
    typed = read_line(label(lang, "prompt"))
    if typed is None or typed.strip().lower() == "q":
        return "q"
    _reveal(console, entry, lang, typed)
    console.print(rating_legend(lang, before, clock(), can_undo))
    key = read_key("1234q" + ("u" if can_undo else ""))
    if key is None or key == "q":
        return "q"
    if key == "u":
        return "u"
    return Rating(int(key))


def _undo(console: Console, store: Store, session: Session, cards: dict[str, Card], last: _Last | None,
          lang: str) -> None:
    """Take back the last rating in one committed transaction; its card is asked again next."""
    if last is None:
        return
    with _deferred_interrupt():
        store.undo(last.review.review_id, last.before)
    cards[last.before.id] = last.before
    for other in last.linked:
        if other in cards:
            cards[other] = store.card(other)
    session.undone(last.before.id)
    console.print(RichText(label(lang, "undone").format(rating=rating_name(lang, last.review.rating)), style="yellow"))


def print_outcome(console: Console, outcome: Outcome, lang: str, now: datetime) -> None:
    if outcome.interrupted:
        console.print(RichText(label(lang, "stopped"), style="dim"))
    if outcome.rated:
        console.print(RichText(label(lang, "rated").format(n=outcome.rated), style="bold"))
    elif not outcome.unsaved:
        console.print(RichText(label(lang, "rated_none")))
    if outcome.next_due is not None:
        console.print(RichText(label(lang, "next_due").format(interval=_interval(outcome.next_due - now, lang),
                                                              when=_clock_time(outcome.next_due, now)), style="dim"))


def print_nothing_left(console: Console, reason: str, values: dict[str, object], lang: str, now: datetime) -> None:
    """Why there is nothing to ask, and how to study more when it is the daily new-card limit."""
    console.print(RichText(label(lang, reason).format(**values)))
    nxt = values.get("next")
    if isinstance(nxt, datetime) and nxt > now:
        console.print(RichText(label(lang, "next_due").format(interval=_interval(nxt - now, lang),
                                                              when=_clock_time(nxt, now)), style="dim"))
