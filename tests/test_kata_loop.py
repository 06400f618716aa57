"""The kata loop as a learner lives it: --watch under every editor's way of saving, --solution into a
file, flags that cannot go together, the recommended path, the speed band, the Chinese screens."""

from __future__ import annotations

import ast
import itertools
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from prep.katas import ACTIONS, catalogue, flag_conflict, next_kata, path_order, recommended

from .conftest import interrupt

ROOT = Path(__file__).parent.parent
CONV = ROOT / "katas" / "conv2d"
STUB_TEXT = (CONV / "stub.py").read_text(encoding="utf-8")
SOLUTION_TEXT = (CONV / "solution.py").read_text(encoding="utf-8")


# --- --watch: every editor's save is seen ---------------------------------------------------------

def _replace_save(target: Path, text: str) -> None:
    """JetBrains, gedit, `sed -i`: write a temporary file beside it, rename it over the original."""
    tmp = target.with_name(f".{target.name}.tmp~")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, target)


def _backup_save(target: Path, text: str) -> None:
    """Emacs: rename the original to a backup, then write a new file under the name."""
    target.rename(target.with_name(target.name + "~"))
    target.write_text(text, encoding="utf-8")


@pytest.mark.slow
def test_watch_regrades_after_replace_and_backup_saves(tmp_path: Path) -> None:
    import pexpect

    ws = tmp_path / "ws"
    ws.mkdir()
    target = ws / "conv2d.py"
    target.write_text(STUB_TEXT, encoding="utf-8")
    env = {**os.environ, "PREP_WORKSPACE": str(ws), "COLUMNS": "200", "PREP_LANG": "en"}
    child = pexpect.spawn(sys.executable, ["-m", "prep", "kata", "conv2d", "--watch"], env=env, encoding="utf-8",
                          timeout=90)
    import io

    seen = io.StringIO()
    child.logfile_read = seen
    try:
        child.expect(r"0/\d+ checks pass")  # the stub fails
        child.expect("watching")
        time.sleep(1.0)  # the watcher starts just after it says so
        _replace_save(target, SOLUTION_TEXT)
        child.expect("all checks pass")
        child.expect("Next on the path: prep kata [a-z0-9-]+")
        child.expect("watching")
        time.sleep(0.5)
        _backup_save(target, STUB_TEXT)
        child.expect(r"0/\d+ checks pass")
        child.expect("watching")
        time.sleep(0.5)
        _backup_save(target, SOLUTION_TEXT)  # a second backup save: the watch is not deaf after the first
        child.expect("all checks pass")
        child.expect("watching")
        time.sleep(0.5)
        _replace_save(target, STUB_TEXT)
        child.expect(r"0/\d+ checks pass")
    finally:
        interrupt(child)
    assert seen.getvalue().count("\x1b[2J") == 5  # a fresh screen for each of the five runs


def test_a_save_before_the_watch_is_armed_is_not_lost(tmp_path: Path) -> None:
    """A save that lands between the grading and the start of the folder watch raises no event; the
    watch still sees that the file is not the version graded, and yields it (within about 0.5 s)."""
    from prep.watch import saves, signature

    target = tmp_path / "conv2d.py"
    target.write_text("x = 1\n")
    graded = signature(target)
    target.write_text("x = 22\n")  # saved after grading, before the watch starts
    import threading

    got: list[bool] = []
    waiter = threading.Thread(target=lambda: got.append(next(saves(target, since=graded, stop=lambda: True))),
                              daemon=True)
    waiter.start()
    waiter.join(30)  # without the re-check it would wait for an event that never comes
    assert got == [True]


def test_watch_clears_the_screen_between_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each run starts on a fresh screen (on a terminal), so an old verdict is never read as the new one."""
    import io

    from rich.console import Console

    from prep.ui import render

    buf = io.StringIO()
    monkeypatch.setattr(render, "out", Console(file=buf, force_terminal=True, width=80))
    render.clear_screen()
    assert "\x1b[2J" in buf.getvalue()
    buf2 = io.StringIO()
    monkeypatch.setattr(render, "out", Console(file=buf2, force_terminal=False, width=80))
    render.clear_screen()
    assert buf2.getvalue() == ""  # a log or a pipe is not cleared


# --- --solution > file --------------------------------------------------------------------------

@pytest.mark.slow
def test_solution_redirected_to_a_file_parses_for_every_kata(tmp_path: Path) -> None:
    env = {**os.environ, "COLUMNS": "80", "LINES": "24"}
    procs = []
    for slug in catalogue():
        dest = tmp_path / f"{slug}.py"
        with dest.open("w", encoding="utf-8") as fh:
            procs.append((slug, dest, subprocess.Popen(
                [sys.executable, "-m", "prep", "kata", slug, "--solution", "--force"], stdout=fh,
                stderr=subprocess.PIPE, env=env)))
    for slug, dest, proc in procs:
        _, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, (slug, err)
        text = dest.read_text(encoding="utf-8")
        ast.parse(text, filename=str(dest))
        assert text == (ROOT / "katas" / slug / "solution.py").read_text(encoding="utf-8")
        assert "\x1b[" not in text


def test_solution_on_a_terminal_is_highlighted_and_never_cropped(monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    from rich.console import Console

    from prep.katas import find_kata
    from prep.ui import render

    buf = io.StringIO()
    monkeypatch.setattr(render, "out", Console(file=buf, force_terminal=True, width=40, color_system="standard"))
    k = find_kata("conv2d")
    render.print_solution(k)
    shown = re.sub(r"\x1b\[[0-9;]*m", "", buf.getvalue())
    assert "\x1b[" in buf.getvalue()  # highlighted
    for source_line in k.solution.read_text(encoding="utf-8").splitlines():
        assert source_line.rstrip() in shown  # whole lines: the terminal wraps them, nothing is cut


# --- flags that cannot go together -------------------------------------------------------------

CONFLICTS = [
    (None, ["--check"]), (None, ["--watch"]), (None, ["--hint"]), (None, ["--solution"]), (None, ["--reset"]),
    (None, ["--force"]), (None, ["--file"]), (None, ["--seed"]),
    ("conv2d", ["--json"]), ("conv2d", ["--check", "--json"]),
    ("conv2d", ["--check", "--hint"]), ("conv2d", ["--check", "--solution"]), ("conv2d", ["--check", "--reset"]),
    ("conv2d", ["--watch", "--hint"]), ("conv2d", ["--watch", "--solution"]), ("conv2d", ["--watch", "--reset"]),
    ("conv2d", ["--hint", "--solution"]), ("conv2d", ["--hint", "--reset"]), ("conv2d", ["--solution", "--reset"]),
    ("conv2d", ["--force"]), ("conv2d", ["--hint", "--force"]), ("conv2d", ["--file"]), ("conv2d", ["--seed"]),
    ("conv2d", ["--solution", "--file"]), ("conv2d", ["--hint", "--seed"]),
]


@pytest.mark.parametrize(("slug", "flags"), CONFLICTS, ids=lambda v: " ".join(v) if isinstance(v, list) else v)
def test_every_conflict_is_refused_naming_commands_that_work(slug: str | None, flags: list[str]) -> None:
    message = flag_conflict(slug, flags)
    assert message is not None and "\n" not in message
    for command in re.findall(r"`(prep [^`]*)`", message):
        words = command.split()
        named = [w for w in words[2:] if not w.startswith("-") and w not in ("FILE", "N")]
        given = [w for w in words if w.startswith("-")]
        if "SLUG" in words:
            continue  # the pattern, followed by an example that works
        assert flag_conflict(named[0] if named else None, given) is None, command


@pytest.mark.parametrize(("slug", "flags"), [
    (None, []), (None, ["--json"]), ("conv2d", []), ("conv2d", ["--check"]), ("conv2d", ["--watch"]),
    ("conv2d", ["--check", "--watch"]), ("conv2d", ["--check", "--file", "--seed"]),
    ("conv2d", ["--solution", "--force"]), *[("conv2d", [a]) for a in ACTIONS]])
def test_flags_that_go_together_pass(slug: str | None, flags: list[str]) -> None:
    assert flag_conflict(slug, flags) is None


@pytest.mark.parametrize("args", [("kata", "--check"), ("kata", "conv2d", "--hint", "--check"),
                                  ("kata", "conv2d", "--json"), ("kata", "conv2d", "--solution", "--watch"),
                                  ("kata", "conv2d", "--force")])
def test_conflicts_exit_2_with_one_line(run_prep, args: tuple[str, ...]) -> None:  # type: ignore[no-untyped-def]
    code, out, err = run_prep(*args)
    assert code == 2 and out == "" and len(err.strip().splitlines()) == 1 and err.startswith("error: "), err
    code, _, err = run_prep(*args, "--lang", "zh")
    assert code == 2 and err.startswith("错误："), err


def test_hints_exhausted_name_a_command_that_works(run_prep) -> None:  # type: ignore[no-untyped-def]
    for _ in range(6):
        code, out, _ = run_prep("kata", "relu", "--hint")
    assert code == 0 and "`prep kata relu --solution`" in out


# --- the recommended path ------------------------------------------------------------------------

def test_the_path_lists_every_kata_once() -> None:
    order = path_order()
    assert sorted(order) == sorted(catalogue()) and len(set(order)) == len(order)
    ordered = recommended(catalogue())
    assert [k.slug for k in ordered] == list(order)
    # within a stretch of one topic the difficulty never falls
    for a, b in itertools.pairwise(ordered):
        if a.topic == b.topic:
            assert a.difficulty <= b.difficulty or a.slug in ("adam", "batch-norm"), (a.slug, b.slug)


def test_next_kata_is_the_first_not_passed() -> None:
    katas = catalogue()
    order = path_order()
    assert next_kata(katas, {}).slug == order[0]  # type: ignore[union-attr]
    progress = {order[0]: ("passed", 0, 1), order[1]: ("attempted", 0, 1)}
    assert next_kata(katas, progress).slug == order[1]  # type: ignore[union-attr]
    assert next_kata(katas, progress, after=order[1]).slug == order[2]  # type: ignore[union-attr]
    assert next_kata(katas, {s: ("passed", 0, 1) for s in katas}) is None


def test_the_next_kata_after_a_pass_comes_from_the_cached_slugs(prep_home: Path) -> None:
    """The verdict's "next on the path" reads a cached slug list, in the catalogue's order, and names
    the same kata as next_kata on the parsed catalogue, cold cache and warm."""
    from prep.katas import next_slug
    from prep.schedule import kata_slugs

    katas = catalogue()
    order = path_order()
    for _ in range(2):  # the first call builds the cache, the second reads it
        assert kata_slugs() == list(katas)
    progress = {s: ("passed", 0, 1) for s in order[:5]}
    for after in (order[0], order[3], order[-1]):
        want = next_kata(katas, progress, after=after)
        assert next_slug(kata_slugs(), progress, after=after) == (want.slug if want else None)
    assert next_slug(kata_slugs(), {s: ("passed", 0, 1) for s in katas}) is None


def test_catalogue_marks_the_next_kata(run_prep) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = run_prep("kata")
    first = path_order()[0]
    assert code == 0 and f"next on the path: prep kata {first}" in out
    assert re.search(rf"▶ 1 .*{first}.*← next", out)
    import json

    code, out, _ = run_prep("kata", "--json")
    data = json.loads(out)
    assert data["next"] == first and [k["slug"] for k in data["katas"]] == list(path_order())


# --- the speed band ------------------------------------------------------------------------------

def test_speed_bands() -> None:
    from prep.grading.judge import speed_band
    from prep.ui.render import speed_text

    assert [speed_band(r) for r in (None, 0.2, 0.6, 1.9, 2.5, 5, 30)] == \
        ["", "same", "same", "same", "2-3x", "3-10x", "far"]
    assert "look for Python loops" in speed_text("far", "en", vectorized=True)
    assert "look for Python loops" in speed_text("3-10x", "en", vectorized=True)
    assert "loops" not in speed_text("far", "en", vectorized=False)  # an RNN loops over time by design
    assert speed_text("2-3x", "en", vectorized=True) == "2-3x slower than the reference"


def test_loops_over_pixels_are_named(tmp_path: Path) -> None:
    from prep.grading.judge import grade
    from prep.katas import find_kata
    from prep.ui.render import speed_text

    slow = tmp_path / "conv2d.py"
    slow.write_text('''import numpy as np


def conv2d(x, w, b=None, stride=1, padding=0):
    n, c, h, wd = x.shape
    f, _, kh, kw = w.shape
    xp = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    oh, ow = (h + 2 * padding - kh) // stride + 1, (wd + 2 * padding - kw) // stride + 1
    out = np.zeros((n, f, oh, ow), dtype=np.result_type(x, w))
    for m in range(n):
        for g in range(f):
            for i in range(oh):
                for j in range(ow):
                    patch = xp[m, :, i * stride:i * stride + kh, j * stride:j * stride + kw]
                    out[m, g, i, j] = (w[g] * patch).sum()
    if b is not None:
        out += b[None, :, None, None]
    return out
''', encoding="utf-8")
    k = find_kata("conv2d")
    v = grade(k, slow, seed=1)
    assert v.passed and v.speed_band == "far", v.speed_ratio
    assert "look for Python loops" in speed_text(v.speed_band, "en", vectorized=k.vectorized)


# --- a file that does not parse ------------------------------------------------------------------

def test_a_file_that_does_not_parse_says_so(run_prep, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "bad.py"
    bad.write_text("def conv2d(:\n", encoding="utf-8")
    code, out, _ = run_prep("kata", "conv2d", "--check", "--file", str(bad))
    assert code == 1 and "0/0" not in out and "not checked: does not parse: line 1" in out


# --- Chinese screens -----------------------------------------------------------------------------

ALLOWED = re.compile(r"prep kata[ a-z0-9-]*(--[a-z]+)?|`[^`]*`|[a-z0-9]+(-[a-z0-9]+)+|\b[a-z0-9_]+\.py\b|"
                     r"/[^\s:：]*|\bbwrap\b|\bweak\b|\bfull\b|\bnone\b|Transformer|Ctrl-C")


def _english_words(text: str, extra: set[str]) -> list[str]:
    """Latin words of three letters or more left once code, identifiers, paths and names are taken out."""
    rest = ALLOWED.sub(" ", text)
    return [w for w in re.findall(r"[A-Za-z][A-Za-z0-9_]*", rest) if len(re.sub(r"[^A-Za-z]", "", w)) >= 3
            and w not in extra and "_" not in w]  # snake_case is code


def _identifiers() -> set[str]:
    """What kata titles keep in Latin script in Chinese: names of functions, methods and metrics."""
    words: set[str] = set()
    for k in catalogue().values():
        words |= set(re.findall(r"[A-Za-z][A-Za-z0-9_]*", k.title.get("zh", "")))
        words.add(k.slug)
        words |= set(k.slug.split("-"))
    return words


def test_the_catalogue_in_chinese_has_no_english_label(run_prep) -> None:  # type: ignore[no-untyped-def]
    for width in ("80", "200"):
        code, out, _ = run_prep("kata", "--lang", "zh", env={"COLUMNS": width})
        assert code == 0 and "推荐的下一个" in out and "未开始" in out
        assert not _english_words(out, _identifiers()), _english_words(out, _identifiers())


def test_the_check_and_statement_in_chinese_have_no_english_label(run_prep, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    ws = tmp_path / "ws"
    code, out, _ = run_prep("kata", "relu", "--lang", "zh")
    assert code == 0 and "从模板创建" in out
    labels = [ln for ln in out.splitlines() if "函数签名" in ln or "relu.py" in ln or "评测" in ln]
    code_words = set(re.findall(r"\w+", catalogue()["relu"].signature))
    assert labels and not _english_words("\n".join(labels), _identifiers() | code_words)
    code, out, _ = run_prep("kata", "relu", "--lang", "zh")
    assert "保持原样" in out
    code, out, _ = run_prep("kata", "relu", "--check", "--lang", "zh")
    assert code == 1 and "项检查通过" in out
    summary = out.strip().splitlines()[-1]
    assert not _english_words(summary, set()), summary
    (ws / "relu.py").write_text((ROOT / "katas" / "relu" / "solution.py").read_text(encoding="utf-8"),
                                encoding="utf-8")
    code, out, _ = run_prep("kata", "relu", "--check", "--lang", "zh")
    assert code == 0 and "全部检查通过" in out and "推荐的下一个：prep kata softmax" in out
    tail = [ln for ln in out.splitlines() if "全部检查通过" in ln or "推荐的下一个" in ln]
    assert not _english_words("\n".join(tail), set()), tail
    code, out, _ = run_prep("kata", "relu", "--hint", "--lang", "zh")
    assert out.startswith("提示 1/")
    code, out, _ = run_prep("kata", "relu", "--reset", "--lang", "zh")
    assert "已从模板重置" in out and not _english_words(out, set())


def test_errors_a_learner_meets_are_in_chinese(run_prep) -> None:  # type: ignore[no-untyped-def]
    code, _, err = run_prep("kata", "conv3d", "--lang", "zh")
    assert code == 2 and err.startswith("错误：没有练习“conv3d”"), err
    code, _, err = run_prep("kata", "relu", "--check", "--lang", "zh", env={"PREP_WORKSPACE": "/nonexistent-ws"})
    assert code == 2 and "文件不存在" in err, err
    from prep.ui.messages import localize

    for message in ("/h/progress.sqlite3: the disk is full; free some space and try again",
                    "/h/progress.sqlite3: it is damaged; run `prep doctor` to recover it",
                    "/h/progress.sqlite3: another prep session has held it for more than 5 s; finish that session "
                    "and try again",
                    "/h/progress.sqlite3: written by a newer prep (schema 9, this one reads 3); upgrade prep, your "
                    "progress is untouched",
                    "/h/progress.sqlite3: it is read-only here; set PREP_HOME to a folder you can write"):
        assert not _english_words(localize(message, "zh"), {"doctor", "PREP_HOME", "prep"}), localize(message, "zh")


# --- discoverability -----------------------------------------------------------------------------

def test_every_argument_and_option_has_help() -> None:
    import click
    import typer

    from prep.cli import app

    missing = []

    def walk(cmd: click.Command, path: str) -> None:
        if not (cmd.help or "").strip() and path != "prep":
            missing.append(path)
        for p in cmd.params:
            if p.name not in ("help",) and not (getattr(p, "help", None) or "").strip():
                missing.append(f"{path} {p.name}")
        for name, sub in getattr(cmd, "commands", {}).items():
            walk(sub, f"{path} {name}")

    walk(typer.main.get_command(app), "prep")
    assert not missing


def test_version_and_grade_help(run_prep) -> None:  # type: ignore[no-untyped-def]
    from importlib.metadata import version

    code, out, _ = run_prep("--version")
    assert code == 0 and out.strip() == f"prep {version('prep')}"
    code, out, _ = run_prep("grade", "--help")
    assert code == 0 and "How files are matched to katas" in out and "--kata SLUG" in " ".join(out.split())
    code, out, _ = run_prep("kata", "--help")
    assert "Kata to open" in out  # an argument's help is shown


def _complete(words: str) -> list[str]:
    env = {**os.environ, "_PREP_COMPLETE": "complete_bash", "COMP_WORDS": words,
           "COMP_CWORD": str(len(words.split()) - (0 if words.endswith(" ") else 1))}
    script = Path(sys.executable).parent / "prep"  # the installed command: completion is keyed by its name
    proc = subprocess.run([str(script)], env=env, capture_output=True, text=True, timeout=60, check=False)
    return proc.stdout.split()


def test_shell_completion_of_commands_katas_topics_and_tags() -> None:
    assert "kata" in _complete("prep ka")
    assert _complete("prep kata conv") == ["conv2d", "conv2d-backward"]
    assert "conv2d" in _complete("prep grade --kata con")
    assert "attention" in _complete("prep quiz --topic att")
    from prep.bank import load_index
    from prep.quiz import all_tags

    tag = sorted(all_tags(load_index(()).refs))[0]
    assert tag in _complete(f"prep quiz --tag {tag[:2]}")
    assert _complete("prep kata --lang z") == ["zh"]
