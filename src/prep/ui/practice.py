"""Drill and kata cards in the quiz: a drill asks for a number with fresh inputs, a kata card offers the kata.

numpy and the drill generators load here, when the first drill card is reached, never before.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from datetime import datetime

from rich.console import Console, Group, RenderableType
from rich.panel import Panel
from rich.text import Text as RichText

from prep.bank import Topic
from prep.lang import text_in
from prep.schedule import drill_rating, note_kata
from prep.scheduler import Card, Rating
from prep.store import Store
from prep.ui.keys import read_key, read_line
from prep.ui.quiz import rating_legend, rating_name
from prep.ui.text import printable

WORDS = {"en": {"drill": "drill", "unit": "unit", "tolerance": "counts as right within {tol}",
                "prompt": "Your answer, a number with its unit (Enter reveals, q quits): ",
                "again": "Try again: ", "right": "Right", "slip": "A slip", "wrong": "Not right",
                "answer": "Answer", "your": "Your answer", "why": "Derivation", "accept": "[Enter] {rating}",
                "kata": "kata", "run": "Run", "open": "[k] open it", "skip": "[s] skip for today",
                "memory": "or rate it (written from memory elsewhere):", "opened": "opened; run `{cmd}` when ready"},
         "zh": {"drill": "计算题", "unit": "单位", "tolerance": "误差 {tol} 以内算对",
                "prompt": "你的答案，数字加单位（直接回车看答案，q 退出）：",
                "again": "再试一次：", "right": "正确", "slip": "疑似失误", "wrong": "不对",
                "answer": "答案", "your": "你的答案", "why": "推导", "accept": "[回车] {rating}",
                "kata": "编程练习", "run": "运行", "open": "[k] 打开", "skip": "[s] 今天跳过",
                "memory": "或直接自评（已在别处凭记忆写过）：", "opened": "已打开；写好后运行 `{cmd}`"}}


def word(lang: str, key: str) -> str:
    return WORDS["zh" if lang == "zh" else "en"][key]


def _topic_names(topic_slugs: tuple[str, ...], topics: dict[str, Topic], lang: str) -> str:
    name_lang = "zh" if lang == "zh" else "en"
    return ", ".join(text_in(topics[t].name, name_lang) if t in topics else t for t in topic_slugs)


def ask_drill(console: Console, card_id: str, topics: dict[str, Topic], before: Card, lang: str, index: int,
              total: int, rng: random.Random, clock: Callable[[], datetime], *, can_undo: bool) -> Rating | str:
    """Draw fresh numbers, read the typed answer, grade it, show the derivation, and suggest a rating.

    Returns a rating, or 'q' / 'u'. A unit of the wrong kind or an unreadable answer is asked again;
    a slip gets its note and one more try (right then earns Hard).
    """
    import numpy as np

    from prep.drills import KIND_NAMES, format_answer, get_generator, tolerance_text
    from prep.drills.answers import Outcome, Verdict, grade

    gen = get_generator(card_id)
    drill = gen(np.random.default_rng(rng.getrandbits(64)))
    short = "zh" if lang == "zh" else "en"
    unit = drill.unit.symbol or text_in(KIND_NAMES[drill.unit.kind], short)
    title = RichText(printable(f"{index}/{total} · {_topic_names(gen.topics, topics, lang)} · {word(lang, 'drill')}: "
                               f"{text_in(gen.title, short)}"))
    body: list[RenderableType] = [RichText(printable(text_in(drill.question, lang)), style="bold"),
                                  RichText(printable(f"{word(lang, 'unit')}: {unit} · " + word(lang, "tolerance")
                                                     .format(tol=tolerance_text(drill, short))), style="dim")]
    console.print(Panel(Group(*body), title=title, title_align="left", border_style="cyan"))
    started = time.monotonic()
    slipped = False
    outcome: Outcome | None = None
    typed = ""
    prompt = word(lang, "prompt")
    while True:
        line = read_line(prompt)
        if line is None or line.strip().lower() == "q":
            return "q"
        typed = line.strip()
        if not typed:
            outcome = None
            break
        outcome = grade(drill, typed)
        if outcome.verdict in (Verdict.WRONG_KIND, Verdict.UNREADABLE) or (
                outcome.verdict is Verdict.SLIP and not slipped):
            slipped = slipped or outcome.verdict is Verdict.SLIP
            console.print(RichText(printable(text_in(outcome.note, lang)), style="yellow"))
            prompt = word(lang, "again")
            continue
        break
    seconds = time.monotonic() - started
    right = outcome is not None and outcome.right
    verdict_key = "right" if right else ("slip" if outcome is not None and outcome.verdict is Verdict.SLIP else "wrong")
    console.print(RichText(word(lang, verdict_key), style="green bold" if right else "red bold"))
    if outcome is not None and outcome.note and not right:
        console.print(RichText(printable(text_in(outcome.note, lang)), style="yellow"))
    answer = RichText(f"{word(lang, 'answer')}: ", style="bold")
    answer.append(f"{format_answer(drill)} ({tolerance_text(drill, short)})", style="green bold")
    shown: list[RenderableType] = [answer]
    if typed:
        shown.append(RichText(printable(f"{word(lang, 'your')}: {typed}"), style="dim"))
    console.print(Panel(Group(*shown), border_style="green"))
    console.print(Panel(RichText(printable(text_in(drill.derivation, lang))), title=word(lang, "why"),
                        title_align="left", border_style="blue"))
    suggested = drill_rating(right, slipped, seconds)
    legend = RichText(word(lang, "accept").format(rating=rating_name(lang, suggested, key=True)) + "  ",
                      style="bold green")
    legend.append_text(rating_legend(lang, before, clock(), can_undo))
    console.print(legend)
    key = read_key("\n1234q" + ("u" if can_undo else ""))
    if key is None or key == "q":
        return "q"
    if key == "u":
        return "u"
    return suggested if key == "\n" else Rating(int(key))


def _first_lines(text: str, n: int = 4) -> str:
    lines = [ln for ln in text.strip().splitlines() if ln.strip()]
    return "\n".join(lines[:n]) + ("\n…" if len(lines) > n else "")


def ask_kata(console: Console, card_id: str, store: Store, before: Card, lang: str, index: int, total: int,
             clock: Callable[[], datetime], *, can_undo: bool) -> Rating | str:
    """A due kata: title, the statement's first lines and the command. `k` opens it (statement and
    workspace file, as `prep kata SLUG`) and moves on; `s` skips it for today; 1-4 rate it."""
    from prep.katas import ensure_workspace_file, find_kata
    from prep.paths import workspace

    kata = find_kata(card_id.removeprefix("kata:"))
    short = "zh" if lang == "zh" else "en"
    cmd = f"prep kata {kata.slug} --check"
    body: list[RenderableType] = [
        RichText(printable(text_in(kata.title, lang)), style="bold"),
        RichText(printable(_first_lines(text_in(kata.statement, short)))),
        RichText(printable(f"{word(lang, 'run')}: prep kata {kata.slug}  ·  {cmd}"), style="cyan")]
    title = RichText(printable(f"{index}/{total} · {word(lang, 'kata')} · {'★' * kata.difficulty}"))
    console.print(Panel(Group(*body), title=title, title_align="left", border_style="magenta"))
    keys = RichText(f"{word(lang, 'open')}  {word(lang, 'skip')}  {word(lang, 'memory')}", style="bold")
    console.print(keys)
    console.print(rating_legend(lang, before, clock(), can_undo))
    key = read_key("ks1234q" + ("u" if can_undo else ""))
    if key is None or key == "q":
        return "q"
    if key == "u":
        return "u"
    if key == "s":
        note_kata(store, kata.slug, clock(), skipped=True)
        return "skip"
    if key == "k":
        from prep.ui.render import print_kata

        path, created = ensure_workspace_file(kata, workspace())
        note_kata(store, kata.slug, clock(), opened=True)
        print_kata(kata, lang, path, created)
        console.print(RichText(word(lang, "opened").format(cmd=cmd), style="dim"))
        return "skip"
    return Rating(int(key))

