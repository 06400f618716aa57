"""What reaches the terminal: text from submissions, packs and paths is shown as text, never as markup,
and without control characters."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console

from prep.bank import Choice, Entry, Topic
from prep.classgrade import ClassResult, Graded, NotGraded
from prep.grading.judge import CheckResult, Verdict
from prep.ui import quiz, render
from prep.ui.text import one_line, printable

HOSTILE = "[/] [bold red]x[/bold red] \x1b[32mall checks pass\x1b[0m \x1b]0;title\x07 \x9b31m\r"


def _capture(monkeypatch) -> Console:  # type: ignore[no-untyped-def]
    console = Console(record=True, width=200, force_terminal=False, color_system=None)
    monkeypatch.setattr(render, "out", console)
    monkeypatch.setattr(render, "err", console)
    return console


def test_printable_keeps_newlines_and_tabs_only() -> None:
    assert printable("a\tb\nc\x1b[0m\x07\x9b\r") == "a\tb\nc[0m"
    assert one_line("a\n  b\x1b") == "a b"


def test_verdicts_batches_and_errors_show_markup_as_text(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    console = _capture(monkeypatch)
    verdict = Verdict(f"subs/{HOSTILE}/relu.py", "relu", False, (CheckResult(HOSTILE, False, HOSTILE, HOSTILE),),
                      0.1, "namespaces", output=HOSTILE, error=HOSTILE)
    render.print_verdict(verdict)
    render.print_batch(ClassResult((Graded(verdict, "x"), Graded(verdict, "y")), (NotGraded(HOSTILE, HOSTILE),),
                                   "namespaces"))
    render.error_lines([HOSTILE])
    render.say(HOSTILE)
    text = console.export_text()
    assert "[/] [bold red]x[/bold red]" in text and "\x1b" not in text and "\x07" not in text


def test_quiz_cards_show_pack_text_as_text() -> None:
    console = Console(record=True, width=200, force_terminal=False, color_system=None)
    text = {"en": HOSTILE}
    entry = Entry("e1", "t", 1, ("x",), text, text, text, (text,), (Choice(text, True),), ("[/]",), None,
                  "print('\x1b[2J')")
    topics = {"t": Topic("t", {"en": HOSTILE})}
    console.print(quiz._question_panel(entry, topics, "en", 1, 1))
    quiz._reveal(console, entry, "en", "[/]")
    shown = console.export_text()
    assert "[/] [bold red]x[/bold red]" in shown and "\x1b" not in shown


def test_kata_text_is_shown_as_text(monkeypatch, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from prep.katas import find_kata

    console = _capture(monkeypatch)
    kata = find_kata("relu")
    render.print_kata(kata, "en", tmp_path / "[/]relu.py", True)
    assert "[/]relu.py" in console.export_text()
