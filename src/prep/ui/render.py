"""Rendering results for people with rich: errors, stats, bank tables, katas and grade verdicts."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.panel import Panel
from rich.table import Table

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


def print_stats(stats: Stats, topics: dict[str, Topic], lang: str) -> None:
    out.print(f"[bold]{stats.reviews}[/] reviews · [bold]{stats.cards_seen}[/] cards seen · "
              f"[bold yellow]{stats.due}[/] due now · {stats.due_week} due in 7 days · "
              f"{stats.new_available} new · streak [bold green]{stats.streak}[/] day(s)")
    table = Table(show_edge=False, pad_edge=False)
    for col in ("topic", "seen", "due", "recall"):
        table.add_column(col, justify="right" if col in ("seen", "due") else "left")
    for slug, t in sorted(stats.topics.items()):
        name = text_in(topics[slug].name, lang).replace("\n", " / ") if slug in topics else slug
        table.add_row(name, f"{t.seen}/{t.entries}", str(t.due),
                      f"{_bar(t.recall)} {t.recall:4.0%}" if t.seen else "[dim]not started[/]")
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
