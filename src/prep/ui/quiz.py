"""Drawing a quiz session in the terminal with rich, and the loop that asks, reveals and rates."""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Sequence
from datetime import datetime

from rich.console import Console, Group, RenderableType
from rich.panel import Panel
from rich.text import Text as RichText

from prep.bank import Entry, Topic
from prep.quiz import choice_rating, covered_points, text_in
from prep.scheduler import Rating
from prep.store import Review, Store, new_review_id
from prep.ui.keys import read_key, read_line
from prep.ui.text import printable

LABELS = {"en": {"answer": "Answer", "points": "Key points", "why": "Why", "your": "Your answer",
                 "rate": "Rate  [1] Again  [2] Hard  [3] Good  [4] Easy   [q] quit",
                 "prompt": "Your answer (Enter reveals, q quits): ", "approx":
                 "ticks are an approximate keyword match, not a judgement",
                 "pick": "Pick {keys}, q quits", "right": "Correct", "wrong": "Not quite",
                 "next": "Enter for the next card, q quits", "see": "See also", "kata": "Practise"},
          "zh": {"answer": "参考答案", "points": "要点", "why": "解析", "your": "你的回答",
                 "rate": "自评  [1] 忘了  [2] 困难  [3] 记得  [4] 简单   [q] 退出",
                 "prompt": "你的回答（直接回车查看答案，q 退出）：", "approx": "勾选只是近似的关键词匹配，仅供参考",
                 "pick": "选择 {keys}，q 退出", "right": "回答正确", "wrong": "回答错误",
                 "next": "回车进入下一题，q 退出", "see": "相关题目", "kata": "对应练习"}}


def _label(lang: str, key: str) -> str:
    return LABELS["zh" if lang == "zh" else "en"][key]


def _question_panel(entry: Entry, topics: dict[str, Topic], lang: str, index: int, total: int) -> Panel:
    topic = topics.get(entry.topic)
    topic_name = text_in(topic.name, lang).replace("\n", " / ") if topic else entry.topic
    body: list[RenderableType] = [RichText(printable(text_in(entry.question, lang)), style="bold")]
    if entry.code:
        from rich.syntax import Syntax  # pygments is slow to import; only cards with code pay for it

        body.append(Syntax(printable(entry.code.rstrip()), "python", theme="ansi_dark", line_numbers=False))
    title = RichText(printable(f"{index}/{total} · {topic_name} · {'★' * entry.difficulty}"))
    return Panel(Group(*body), title=title, title_align="left", border_style="cyan")


def _reveal(console: Console, entry: Entry, lang: str, typed: str) -> None:
    ticks = covered_points(typed, entry.key_points, lang) if typed.strip() else [False] * len(entry.key_points)
    points = RichText()
    for hit, kp in zip(ticks, entry.key_points):
        mark = "✓ " if hit else "• "
        points.append(mark, style="green bold" if hit else "dim")
        points.append(printable(text_in(kp, lang)) + "\n")
    from rich.markdown import Markdown  # deferred: the first question is on screen before this import

    parts: list[RenderableType] = [RichText(printable(text_in(entry.answer, lang)))]
    console.print(Panel(Group(*parts), title=_label(lang, "answer"), title_align="left", border_style="green"))
    console.print(Panel(points, title=_label(lang, "points"), title_align="left", border_style="yellow",
                        subtitle=_label(lang, "approx") if typed.strip() else None, subtitle_align="right"))
    console.print(Panel(Markdown(printable(text_in(entry.explanation, lang))), title=_label(lang, "why"),
                        title_align="left", border_style="blue"))
    extra = []
    if entry.see_also:
        extra.append(f"{_label(lang, 'see')}: {', '.join(entry.see_also)}")
    if entry.kata:
        extra.append(f"{_label(lang, 'kata')}: prep kata {entry.kata}")
    if extra:
        console.print(RichText(printable("   ".join(extra)), style="dim"))


def run_session(console: Console, plan: Sequence[Entry], topics: dict[str, Topic], store: Store, *, lang: str,
                mode: str, rng: random.Random, clock: Callable[[], datetime]) -> int:
    """Ask every planned card; each rating is committed before the next card. Returns cards rated."""
    rated = 0
    for index, entry in enumerate(plan, 1):
        console.print(_question_panel(entry, topics, lang, index, len(plan)))
        started = time.monotonic()
        if mode == "choice" and entry.choices:
            order = list(entry.choices)
            rng.shuffle(order)
            keys = "abcdefgh"[: len(order)]
            for key, choice in zip(keys, order):
                console.print(RichText.assemble("  ", (key.upper(), "bold"), "  ",
                                                printable(text_in(choice.text, lang))), highlight=False)
            console.print(_label(lang, "pick").format(keys="/".join(keys.upper())), style="dim", markup=False)
            picked_key = read_key(keys + "q")
            if picked_key is None or picked_key == "q":
                break
            picked = order[keys.index(picked_key)]
            right = picked.correct
            console.print(_label(lang, "right") if right else _label(lang, "wrong"),
                          style="green bold" if right else "red bold")
            correct = [f"{k.upper()}" for k, c in zip(keys, order) if c.correct]
            console.print(f"  → {', '.join(correct)}", style="green")
            _reveal(console, entry, lang, "")
            rating = choice_rating(right)
        else:
            typed = read_line(_label(lang, "prompt"))
            if typed is None or typed.strip().lower() == "q":
                break
            _reveal(console, entry, lang, typed)
            console.print(_label(lang, "rate"), style="bold", markup=False)
            rated_key = read_key("1234q")
            if rated_key is None or rated_key == "q":
                break
            rating = Rating(int(rated_key))
        store.record(Review(new_review_id(), entry.id, rating, clock(), mode, time.monotonic() - started))
        rated += 1
        console.print(f"[dim]saved: {rating.name.lower()}[/]")
        if mode == "choice" and index < len(plan):
            console.print(_label(lang, "next"), style="dim")
            if read_line("") in (None, "q", "Q"):
                break
        console.rule(style="dim")
    return rated
