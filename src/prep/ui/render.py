"""Rendering results for people with rich: errors, stats, bank tables, katas and grade verdicts."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.panel import Panel
from rich.table import Table
from rich.text import Text as RichText

from prep.bank import Entry, Topic
from prep.katas import Kata
from prep.quiz import Stats, text_in

if TYPE_CHECKING:
    from prep.grading.judge import Verdict

out = Console(highlight=False)
err = Console(stderr=True, highlight=False)


def say(message: str) -> None:
    out.print(message)


def error_lines(lines: Sequence[str]) -> None:
    for line in lines:
        err.print(f"[red]error:[/] {line}", markup=True, soft_wrap=True, highlight=False)


def _bar(fraction: float, width: int = 20) -> str:
    filled = round(max(0.0, min(1.0, fraction)) * width)
    return "█" * filled + "░" * (width - filled)


STATS_LABELS = {
    "en": {"summary": "{reviews} reviews · {seen} cards seen · {due} due now · {week} due in 7 days · {new} new · "
                      "streak {streak} {days}",
           "day": "day", "days": "days",
           "today": "Today: {new} new · {learning} learning · {due} due",
           "retention": "True retention (last 30 days: share of reviews not rated Again): {value}",
           "no_reviews": "no reviews yet", "of": "{pct} of {n}",
           "cols": ("topic", "seen", "due", "true retention", "predicted recall", "katas"),
           "not_started": "not started", "katas": "{passed}/{total} passed",
           "note": "true retention: share of the last 30 days' reviews not rated Again (count in brackets); "
                   "predicted recall: the scheduler's estimate for tomorrow"},
    "zh": {"summary": "复习 {reviews} 次 · 学过 {seen} 张 · 现在到期 {due} 张 · 7 天内到期 {week} 张 · 新卡 {new} 张 · "
                      "连续 {streak} 天",
           "day": "", "days": "",
           "today": "今日：新卡 {new} · 学习中 {learning} · 到期 {due}",
           "retention": "实际保持率（近 30 天未选「忘了」的复习占比）：{value}",
           "no_reviews": "还没有复习", "of": "{n} 次中 {pct}",
           "cols": ("主题", "已学", "到期", "实际保持率", "预测记忆率", "练习"),
           "not_started": "未开始", "katas": "通过 {passed}/{total}",
           "note": "实际保持率：近 30 天复习中未选「忘了」的占比（括号内为次数）；预测记忆率：调度模型对明天的估计"},
}


def _pct(x: float) -> str:
    return f"{x:.0%}"


def print_stats(stats: Stats, topics: dict[str, Topic], lang: str) -> None:
    """The summary, today's counts (as the quiz shows them) and one row per topic, sorted by the name shown."""
    from prep.ui.wrap import enable_cjk_wrapping

    enable_cjk_wrapping()
    words = STATS_LABELS["zh" if lang == "zh" else "en"]
    name_lang = "zh" if lang == "zh" else "en"
    days = words["day"] if stats.streak == 1 else words["days"]
    out.print(RichText(str(words["summary"]).format(
        reviews=stats.reviews, seen=stats.cards_seen, due=stats.due, week=stats.due_week, new=stats.new_available,
        streak=stats.streak, days=days).rstrip(), style="bold"))
    out.print(RichText(str(words["today"]).format(**stats.today.to_json())))
    value = (str(words["of"]).format(pct=_pct(stats.retention), n=stats.reviews_30d) if stats.retention is not None
             else str(words["no_reviews"]))
    out.print(RichText(str(words["retention"]).format(value=value)))
    table = Table(show_edge=False, pad_edge=False, caption=RichText(str(words["note"]), style="dim"))
    for i, col in enumerate(words["cols"]):
        table.add_column(col, justify="right" if i in (1, 2) else "left")
    rows = []
    for slug, t in stats.topics.items():
        name = text_in(topics[slug].name, name_lang) if slug in topics else slug
        rows.append((name, t))
    for name, t in sorted(rows, key=lambda r: r[0].casefold()):
        retention = (RichText(f"{_bar(t.retention, 6)} {_pct(t.retention):>4} ({t.reviews_30d})")
                     if t.retention is not None else RichText("-", style="dim"))
        recall = RichText(f"{_bar(t.recall, 6)} {_pct(t.recall):>4}") if t.seen else RichText(
            str(words["not_started"]), style="dim")
        passed = sum(1 for _, status in t.katas if status == "passed")
        katas = RichText(str(words["katas"]).format(passed=passed, total=len(t.katas)) if t.katas else "-",
                         style="green" if t.katas and passed == len(t.katas) else "")
        table.add_row(RichText(name), f"{t.seen}/{t.entries}", str(t.due), retention, recall, katas)
    out.print(table)


def print_bank_stats(result: dict[str, Any], topics: dict[str, Topic]) -> None:
    table = Table(title=f"{result['total']} entries", show_edge=False)
    for col in ("topic", "entries", "en", "zh", "choices"):
        table.add_column(col, justify="left" if col == "topic" else "right")
    for slug, c in result["topics"].items():
        table.add_row(slug, str(c["entries"]), str(c["en"]), str(c["zh"]), str(c["choices"]))
    out.print(table)


def print_entries(entries: Sequence[Entry]) -> None:
    for e in entries:
        out.print(f"[bold]{e.id}[/] [dim]({e.topic}, difficulty {e.difficulty})[/]")
        out.print(f"  {e.question.get('en', '')}")
        if "zh" in e.question:
            out.print(f"  {e.question['zh']}")


STATUS_STYLE = {"new": "dim", "attempted": "yellow", "passed": "green"}


def print_kata_list(katas: Sequence[Kata], progress: dict[str, tuple[str, int, int]], lang: str) -> None:
    table = Table(show_edge=False)
    for col in ("topic", "kata", "title", "level", "status"):
        table.add_column(col)
    last = None
    for k in katas:
        status = progress.get(k.slug, ("new", 0, 0))[0]
        table.add_row(k.topic if k.topic != last else "", k.slug, text_in(k.title, lang).replace("\n", " / "),
                      "★" * k.difficulty, f"[{STATUS_STYLE[status]}]{status}[/]")
        last = k.topic
    out.print(table)
    done = sum(1 for k in katas if progress.get(k.slug, ("new",))[0] == "passed")
    out.print(f"{done}/{len(katas)} passed · [dim]prep kata SLUG opens one[/]")


def print_kata(kata: Kata, lang: str, path: Path, created: bool) -> None:
    from rich.markdown import Markdown  # markdown-it and pygments: only when a statement is shown

    out.print(Panel(Markdown(text_in(kata.statement, lang)), title=text_in(kata.title, lang).replace("\n", " / "),
                    title_align="left", border_style="cyan"))
    out.print(f"[bold]signature:[/] {kata.signature}")
    verb = "created from the stub" if created else "your file (kept as it is)"
    out.print(f"[bold]{path}[/]  [dim]{verb}[/]")
    out.print(f"[dim]prep kata {kata.slug} --check · --watch · --hint · --solution[/]")


def print_hints(kata: Kata, shown: int, lang: str, exhausted: bool = False) -> None:
    for i, h in enumerate(kata.hints[:shown], 1):
        out.print(f"[bold]hint {i}/{len(kata.hints)}:[/] {text_in(h, lang)}")
    if exhausted:
        out.print("[dim]no more hints; prep kata --solution shows the reference after an attempt[/]")


def print_solution(kata: Kata) -> None:
    from rich.syntax import Syntax

    out.print(Syntax(kata.solution.read_text(encoding="utf-8"), "python", theme="ansi_dark"))


def print_verdict(v: Verdict) -> None:
    out.print(f"[bold]{v.kata}[/] · {v.path}")
    if v.error:
        out.print(f"  [red]✗[/] {v.error}")
    for c in v.checks:
        mark = "[green]✓[/]" if c.passed else "[red]✗[/]"
        out.print(f"  {mark} {c.name}" + (f"\n      {c.message}" if c.message else ""), soft_wrap=True)
    ok = sum(1 for c in v.checks if c.passed)
    summary = "[green bold]all checks pass[/]" if v.passed else f"[red bold]{ok}/{len(v.checks)} checks pass[/]"
    speed = f" · speed {v.speed_ratio:.1f}x the reference's time (medium input)" if v.speed_ratio else ""
    out.print(f"{summary} · {v.seconds:.2f}s{speed} · isolation: {v.isolation}")
    if v.output.strip():
        out.print(Panel(v.output.rstrip()[:2000], title="your code printed", border_style="dim"))


def print_batch(verdicts: Sequence[Verdict], isolation: str) -> None:
    table = Table(show_edge=False)
    for col in ("submission", "kata", "result", "checks", "first failure"):
        table.add_column(col)
    for v in verdicts:
        failed = [c for c in v.checks if not c.passed]
        first = v.error or (f"{failed[0].name}: {failed[0].message}" if failed else "")
        ok = sum(1 for c in v.checks if c.passed)
        table.add_row(v.path, v.kata, "[green]pass[/]" if v.passed else "[red]fail[/]", f"{ok}/{len(v.checks)}",
                      first[:100])
    out.print(table)
    passed = sum(1 for v in verdicts if v.passed)
    out.print(f"{passed}/{len(verdicts)} passed · isolation: {isolation}")
