"""Rendering results for people with rich: errors, stats, bank tables, katas and grade verdicts."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from prep.katas import Kata
from prep.lang import text_in
from prep.ui.text import printable

if TYPE_CHECKING:
    from prep.bank import Entry, Topic
    from prep.classgrade import CheckStat, ClassResult
    from prep.grading.judge import Verdict
    from prep.quiz import Stats

out = Console(highlight=False)
err = Console(stderr=True, highlight=False)


def plain(text: object, style: str = "") -> Text:
    """Text that came from outside (a submission, a pack, a path): shown as it is, never as markup,
    without control characters."""
    return Text(printable(str(text)), style=style)


def line(*parts: object | tuple[object, str]) -> Text:
    """One line from pieces, each plain text or (text, style)."""
    result = Text()
    for part in parts:
        if isinstance(part, tuple):
            result.append(printable(str(part[0])), style=part[1])
        else:
            result.append(printable(str(part)))
    return result


def say(message: str) -> None:
    out.print(plain(message), soft_wrap=True)


def error_lines(lines: Sequence[str], lang: str = "en") -> None:
    from prep.ui.messages import PREFIX, localize

    prefix = PREFIX["zh" if lang == "zh" else "en"]["error"]
    for text in lines:
        err.print(line((prefix, "red"), "" if lang == "zh" else " ", localize(text, lang)), soft_wrap=True)


def warning_lines(lines: Sequence[str], lang: str = "en") -> None:
    from prep.ui.messages import PREFIX, localize

    prefix = PREFIX["zh" if lang == "zh" else "en"]["warning"]
    for text in lines:
        err.print(line((prefix, "yellow"), "" if lang == "zh" else " ", localize(text, lang)), soft_wrap=True)


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
                   "predicted recall: the scheduler's estimate for tomorrow",
           "kinds": ("topic", "cards", "drills", "katas"), "all": "all topics",
           "cell": "{seen}/{total} seen · {due} due · {ret}",
           "kinds_note": "each cell: seen of total · due now · true retention (30 days); a drill counts in each of "
                         "its topics"},
    "zh": {"summary": "复习 {reviews} 次 · 学过 {seen} 张 · 现在到期 {due} 张 · 7 天内到期 {week} 张 · 新卡 {new} 张 · "
                      "连续 {streak} 天",
           "day": "", "days": "",
           "today": "今日：新卡 {new} · 学习中 {learning} · 到期 {due}",
           "retention": "实际保持率（近 30 天未选「忘了」的复习占比）：{value}",
           "no_reviews": "还没有复习", "of": "{n} 次中 {pct}",
           "cols": ("主题", "已学", "到期", "实际保持率", "预测记忆率", "练习"),
           "not_started": "未开始", "katas": "通过 {passed}/{total}",
           "note": "实际保持率：近 30 天复习中未选「忘了」的占比（括号内为次数）；预测记忆率：调度模型对明天的估计",
           "kinds": ("主题", "问答卡", "计算题", "编程练习"), "all": "全部主题",
           "cell": "学过 {seen}/{total} · 到期 {due} · {ret}",
           "kinds_note": "每格：已学/总数 · 现在到期 · 近 30 天实际保持率；计算题在它所属的每个主题都计入"},
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
    out.print(Text(str(words["summary"]).format(
        reviews=stats.reviews, seen=stats.cards_seen, due=stats.due, week=stats.due_week, new=stats.new_available,
        streak=stats.streak, days=days).rstrip(), style="bold"))
    out.print(Text(str(words["today"]).format(**stats.today.to_json())))
    value = (str(words["of"]).format(pct=_pct(stats.retention), n=stats.reviews_30d) if stats.retention is not None
             else str(words["no_reviews"]))
    out.print(Text(str(words["retention"]).format(value=value)))
    table = Table(show_edge=False, pad_edge=False, caption=Text(str(words["note"]), style="dim"))
    for i, col in enumerate(words["cols"]):
        table.add_column(col, justify="right" if i in (1, 2) else "left")
    rows = []
    for slug, t in stats.topics.items():
        name = text_in(topics[slug].name, name_lang) if slug in topics else slug
        rows.append((name, t))
    for name, t in sorted(rows, key=lambda r: r[0].casefold()):
        retention = (Text(f"{_bar(t.retention, 6)} {_pct(t.retention):>4} ({t.reviews_30d})")
                     if t.retention is not None else Text("-", style="dim"))
        recall = Text(f"{_bar(t.recall, 6)} {_pct(t.recall):>4}") if t.seen else Text(
            str(words["not_started"]), style="dim")
        passed = sum(1 for _, status in t.katas if status == "passed")
        katas = Text(str(words["katas"]).format(passed=passed, total=len(t.katas)) if t.katas else "-",
                         style="green" if t.katas and passed == len(t.katas) else "")
        table.add_row(Text(printable(name)), f"{t.seen}/{t.entries}", str(t.due), retention, recall, katas)
    out.print(table)
    if stats.kinds:
        _print_kinds(stats, topics, lang)


def _print_kinds(stats: Stats, topics: dict[str, Topic], lang: str) -> None:
    """Cards, drills and katas side by side, per topic and in all: seen, due, true retention."""
    words = STATS_LABELS["zh" if lang == "zh" else "en"]
    name_lang = "zh" if lang == "zh" else "en"

    def cell(k: Any) -> Text:
        if k is None or not k.total:
            return Text("-", style="dim")
        ret = _pct(k.retention) if k.retention is not None else "-"
        return Text(str(words["cell"]).format(seen=k.seen, total=k.total, due=k.due, ret=ret))

    table = Table(show_edge=False, pad_edge=False, caption=Text(str(words["kinds_note"]), style="dim"))
    for col in words["kinds"]:
        table.add_column(col)
    rows = sorted(((text_in(topics[s].name, name_lang) if s in topics else s, v)
                   for s, v in stats.topic_kinds.items()), key=lambda r: r[0].casefold())
    for name, kinds in rows:
        table.add_row(Text(printable(name)), *(cell(kinds.get(k)) for k in ("card", "drill", "kata")))
    table.add_row(Text(str(words["all"]), style="bold"), *(cell(stats.kinds.get(k)) for k in ("card", "drill", "kata")))
    out.print(table)


def print_bank_stats(result: dict[str, Any], topics: dict[str, Topic]) -> None:
    table = Table(title=f"{result['total']} entries", show_edge=False)
    for col in ("topic", "entries", "en", "zh", "choices"):
        table.add_column(col, justify="left" if col == "topic" else "right")
    for slug, c in result["topics"].items():
        table.add_row(plain(slug), str(c["entries"]), str(c["en"]), str(c["zh"]), str(c["choices"]))
    out.print(table)


def print_entries(entries: Sequence[Entry]) -> None:
    for e in entries:
        out.print(line((e.id, "bold"), " ", (f"({e.topic}, difficulty {e.difficulty})", "dim")), soft_wrap=True)
        out.print(plain(f"  {e.question.get('en', '')}"), soft_wrap=True)
        if "zh" in e.question:
            out.print(plain(f"  {e.question['zh']}"), soft_wrap=True)


STATUS_STYLE = {"new": "dim", "attempted": "yellow", "passed": "green"}

KATA_LABELS: dict[str, dict[str, Any]] = {
    "en": {"cols": ("#", "kata", "title", "level", "status"),
           "status": {"new": "not started", "attempted": "attempted", "passed": "passed"},
           "next_mark": "next", "footer": "{done}/{total} passed", "next": "next on the path: {command}",
           "all_done": "every kata passed", "signature": "signature:", "created": "created from the stub",
           "kept": "your file (kept as it is)",
           "commands": (("check it", "check"), ("check on every save", "watch"), ("a hint", "hint"),
                        ("the reference, after an attempt", "solution")),
           "hint": "hint {i}/{n}:", "no_more_hints": "no more hints; `{command}` shows the reference",
           "reset": "{path} reset from the stub", "reset_backup": "{path} reset from the stub; your old file is "
           "{backup}", "watching": "watching {path}: every save grades it again (Ctrl-C to stop)",
           "gone": "{path} is gone; waiting for it to come back (Ctrl-C to stop)",
           "grading": "grading {path} ...", "passed_next": "passed. Next on the path: {command}",
           "passed_all": "passed. Every kata on the path is passed.",
           "no_solution_yet": "no attempt at '{slug}' yet: run `{check}` first, or `{force}`"},
    "zh": {"cols": ("#", "练习", "标题", "难度", "状态"),
           "status": {"new": "未开始", "attempted": "尝试过", "passed": "已通过"},
           "next_mark": "下一个", "footer": "已通过 {done}/{total}", "next": "推荐的下一个：{command}",
           "all_done": "全部练习已通过", "signature": "函数签名：", "created": "已从模板创建",
           "kept": "你的文件（保持原样）",
           "commands": (("评测", "check"), ("每次保存都评测", "watch"), ("提示", "hint"),
                        ("参考答案（尝试之后）", "solution")),
           "hint": "提示 {i}/{n}：", "no_more_hints": "没有更多提示了；`{command}` 显示参考答案",
           "reset": "{path} 已从模板重置", "reset_backup": "{path} 已从模板重置；原来的文件保存为 {backup}",
           "watching": "正在监视 {path}：每次保存都会重新评测（Ctrl-C 停止）",
           "gone": "{path} 不见了；等待它重新出现（Ctrl-C 停止）",
           "grading": "正在评测 {path} ……", "passed_next": "通过！推荐的下一个：{command}",
           "passed_all": "通过！推荐路线上的练习已全部通过。",
           "no_solution_yet": "还没有尝试过 '{slug}'：先运行 `{check}`，或者 `{force}`"},
}


def kata_words(lang: str) -> dict[str, Any]:
    return KATA_LABELS["zh" if lang == "zh" else "en"]


def print_kata_list(katas: Sequence[Kata], progress: dict[str, tuple[str, int, int]], lang: str,
                    topics: dict[str, str] | None = None, next_slug: str | None = None) -> None:
    """The catalogue in the recommended order (`katas/path.yaml`), a heading where the topic changes,
    the next kata marked (▶, and named below the table)."""
    from prep.ui.wrap import enable_cjk_wrapping

    enable_cjk_wrapping()
    words = kata_words(lang)
    table = Table(show_edge=False, pad_edge=False)
    for i, col in enumerate(words["cols"]):  # #, kata, title, level, status: only the title wraps
        table.add_column(col, justify="right" if i == 0 else "left", no_wrap=i != 2, ratio=1 if i == 2 else None)
    last = None
    for i, k in enumerate(katas, 1):
        if k.topic != last:
            if last is not None:
                table.add_section()
            table.add_row("", "", plain((topics or {}).get(k.topic, k.topic), "bold magenta"), "", "")
            last = k.topic
        status = progress.get(k.slug, ("new", 0, 0))[0]
        shown = Text(printable(words["status"].get(status, status)), style=STATUS_STYLE.get(status, ""))
        is_next = k.slug == next_slug
        if is_next:
            shown.append(f" ← {words['next_mark']}", style="bold cyan")
        table.add_row(Text(f"▶ {i}" if is_next else str(i), style="bold cyan" if is_next else "dim"),
                      plain(k.slug, "bold cyan" if is_next else ""),
                      plain(text_in(k.title, lang).replace("\n", " / ")), "★" * k.difficulty, shown)
    out.print(table)
    done = sum(1 for k in katas if progress.get(k.slug, ("new",))[0] == "passed")
    footer = plain(words["footer"].format(done=done, total=len(katas)))
    footer.append(" · ")
    footer.append(printable(words["next"].format(command=f"prep kata {next_slug}") if next_slug
                            else words["all_done"]), style="bold")
    out.print(footer, soft_wrap=True)


def print_kata(kata: Kata, lang: str, path: Path, created: bool) -> None:
    from rich.markdown import Markdown  # markdown-it and pygments: only when a statement is shown

    words = kata_words(lang)
    out.print(Panel(Markdown(printable(text_in(kata.statement, lang))),
                    title=plain(text_in(kata.title, lang).replace("\n", " / ")), title_align="left",
                    border_style="cyan"))
    out.print(line((words["signature"], "bold"), "" if lang == "zh" else " ", kata.signature))
    verb = words["created"] if created else words["kept"]
    out.print(line((path, "bold"), "  ", (verb, "dim")), soft_wrap=True)
    width = len(f"prep kata {kata.slug} --solution")
    for label, action in words["commands"]:  # one command a line, each one that works as it is
        out.print(line((f"  {f'prep kata {kata.slug} --{action}':<{width}}", "bold"), "  ", (label, "dim")),
                  soft_wrap=True)


def print_hints(kata: Kata, shown: int, lang: str, exhausted: bool = False) -> None:
    words = kata_words(lang)
    for i, h in enumerate(kata.hints[:shown], 1):
        out.print(line((words["hint"].format(i=i, n=len(kata.hints)), "bold"), "" if lang == "zh" else " ",
                       text_in(h, lang)))
    if exhausted:
        out.print(plain(words["no_more_hints"].format(command=f"prep kata {kata.slug} --solution"), "dim"))


def kata_message(key: str, lang: str, **values: object) -> str:
    return str(kata_words(lang)[key]).format(**values)


def print_solution(kata: Kata) -> None:
    """The reference: plain text when stdout is not a terminal (`> sol.py` gives a file that runs),
    highlighted on a terminal, soft-wrapped by it, never cropped."""
    import sys

    source = kata.solution.read_text(encoding="utf-8")
    if not out.is_terminal:
        sys.stdout.write(source if source.endswith("\n") else source + "\n")
        sys.stdout.flush()
        return
    from rich.syntax import Syntax

    out.print(Syntax(printable(source), "python", theme="ansi_dark", background_color="default"), soft_wrap=True)


def clear_screen() -> None:
    """Between runs of --watch: a fresh screen, so an old verdict is never mistaken for the new one."""
    if out.is_terminal:
        out.clear()


SPEED_WORDS = {
    "en": {"same": "about as fast as the reference",
           "2-3x": "2-3x slower than the reference", "3-10x": "3-10x slower than the reference",
           "far": "far slower than the reference (over 10x)",
           "loops": "look for Python loops: the statement asks for none", "speed": "speed"},
    "zh": {"same": "与参考实现差不多快", "2-3x": "比参考实现慢 2-3 倍",
           "3-10x": "比参考实现慢 3-10 倍", "far": "比参考实现慢得多（10 倍以上）",
           "loops": "检查一下 Python 循环：题目要求不用循环", "speed": "速度"},
}


def speed_text(band: str, lang: str, vectorized: bool = False) -> str:
    """The speed band in words; a kata whose statement forbids Python loops names them when far slower."""
    if not band:
        return ""
    words = SPEED_WORDS["zh" if lang == "zh" else "en"]
    text = words[band]
    if vectorized and band in ("3-10x", "far"):
        text += ("：" if lang == "zh" else ": ") + words["loops"]
    return text


VERDICT_LABELS = {
    "en": {"all_pass": "all checks pass", "not_checked": "not checked: {why}; fix it and check again",
           "none_ran": "no check ran", "some_pass": "{ok}/{n} checks pass", "sep": ": ",
           "isolation": "isolation", "mistake": "your output matches a known mistake: ",
           "weak": "weak isolation: your code ran with limits only (install bubblewrap for the sandbox)",
           "printed": "your code printed"},
    "zh": {"all_pass": "全部检查通过", "not_checked": "没有评测：{why}；改好后再评测",
           "none_ran": "没有运行任何检查", "some_pass": "{ok}/{n} 项检查通过", "sep": "：",
           "isolation": "隔离方式", "mistake": "你的输出与一个常见错误一致：",
           "weak": "隔离较弱：你的代码只在资源限制下运行（安装 bubblewrap 即可使用沙箱）",
           "printed": "你的代码输出了"},
}


def print_verdict(v: Verdict, kata: Kata | None = None) -> None:
    lang = "zh" if v.lang == "zh" else "en"
    words = VERDICT_LABELS[lang]
    out.print(line((v.kata, "bold"), " · ", v.path), soft_wrap=True)
    if v.error:
        out.print(line("  ", ("✗", "red"), " ", v.error), soft_wrap=True)
    for c in v.checks:
        mark = ("✓", "green") if c.passed else ("✗", "red")
        out.print(line("  ", mark, " ", c.name, f"\n      {c.message}" if c.message else ""), soft_wrap=True)
        if c.mistake:
            out.print(line("      ", (words["mistake"], "yellow"), c.mistake), soft_wrap=True)
    ok = sum(1 for c in v.checks if c.passed)
    if v.passed:
        summary = (words["all_pass"], "green bold")
    elif not v.checks and v.error:
        summary = (words["not_checked"].format(why=v.error), "red bold")
    elif not v.checks:
        summary = (words["none_ran"], "red bold")
    else:
        summary = (words["some_pass"].format(ok=ok, n=len(v.checks)), "red bold")
    speed = speed_text(v.speed_band, v.lang, vectorized=kata.vectorized if kata is not None else False)
    speed_part = f" · {SPEED_WORDS[lang]['speed']}{words['sep']}{speed}" if speed else ""
    out.print(line(summary, f" · {v.seconds:.2f}s{speed_part} · {words['isolation']}{words['sep']}{v.isolation}"),
              soft_wrap=True)
    if v.isolation == "weak":
        out.print(line((words["weak"], "yellow")))
    if v.output.strip():
        out.print(Panel(plain(v.output.rstrip()[:2000]), title=words["printed"], border_style="dim"))


def _first_failure(v: Verdict) -> str:
    if v.error:
        return v.error
    failed = [c for c in v.checks if not c.passed]
    return f"{failed[0].name}: {failed[0].message}" if failed else ""


def print_batch(result: ClassResult) -> None:
    """The class table, the files that were not graded and why, the per-check statistics, the counts."""
    from prep.classgrade import check_stats

    table = Table(show_edge=False)
    for col in ("submission", "kata", "result", "checks", "first failure"):
        table.add_column(col)
    for v in result.verdicts:
        ok = sum(1 for c in v.checks if c.passed)
        table.add_row(plain(v.path), plain(v.kata), plain("pass", "green") if v.passed else plain("fail", "red"),
                      f"{ok}/{len(v.checks)}", plain(" ".join(_first_failure(v).split())[:100]))
    if result.graded:
        out.print(table)
    style = "yellow" if result.skip_unknown else "red"
    for n in result.not_graded:
        out.print(line(("not graded:", style), " ", n.path, ": ", n.reason), soft_wrap=True)
    stats = [s for s in check_stats(result.verdicts) if s.failed]
    if len(result.graded) > 1 and stats:
        print_class_stats(stats)
    out.print(line(result.summary(), f" · isolation: {result.isolation}"))


def print_class_stats(stats: Sequence[CheckStat]) -> None:
    """Checks the class failed, most failed first within a kata."""
    table = Table(title="class statistics: checks failed", show_edge=False, title_justify="left")
    for col in ("kata", "check", "failed", "most common mistake"):
        table.add_column(col)
    for s in stats:
        mistake = f"{s.mistake} ({s.mistake_count})" if s.mistake else ""
        table.add_row(plain(s.kata), plain(s.check), plain(f"{s.failed} of {s.ran}", "red"),
                      plain(mistake))
    out.print(table)
