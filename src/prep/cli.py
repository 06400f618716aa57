"""The command line: parses arguments, calls the domain modules, hands results to a renderer."""

from __future__ import annotations

import json
import os
import random
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from prep.errors import BankError, DataError, ExitCode, PrepError, StoreError

if TYPE_CHECKING:
    from prep.grading.judge import Verdict
    from prep.katas import Kata
    from prep.store import Store

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                  help="Prepare for ML, deep-learning and LLM interviews: quiz, katas, grading.")
bank_app = typer.Typer(no_args_is_help=True, help="Validate, export and inspect question banks.")
app.add_typer(bank_app, name="bank")

BankOpt = Annotated[list[Path] | None, typer.Option("--bank", help="Extra bank folder (repeatable).")]
LangOpt = Annotated[str | None, typer.Option("--lang", help="en, zh or both (default: PREP_LANG, locale).")]


def _now() -> datetime:
    return datetime.now(UTC)


def _print_json(data: object) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def _store(*, readonly: bool = False) -> Store:
    """The progress store; read-only commands open it read-only (a read-only PREP_HOME still works)."""
    from prep.paths import home
    from prep.store import open_store

    return open_store(home(), readonly=readonly)


# --- quiz -----------------------------------------------------------------------------------------

@app.command()
def quiz(
    topic: Annotated[list[str] | None, typer.Option("--topic", "-t",
                                                    help="Topic slug or name, any case (repeatable).")] = None,
    tag: Annotated[list[str] | None, typer.Option("--tag",
                                                  help="Tag (repeatable; `prep bank tags` lists them).")] = None,
    difficulty: Annotated[list[int] | None, typer.Option("--difficulty", "-d", min=1, max=3,
                                                         help="1, 2 or 3 (repeatable).")] = None,
    n: Annotated[int | None, typer.Option("-n", min=1, help="Cap on cards this session.")] = None,
    new: Annotated[int, typer.Option("--new", min=0, help="New cards per day.")] = 10,
    lang: LangOpt = None,
    mode: Annotated[str, typer.Option("--mode", help="recall or choice.")] = "recall",
    bank: BankOpt = None,
    seed: Annotated[int | None, typer.Option("--seed", help="Seed for shuffling (reproducible sessions).")] = None,
) -> None:
    """Today's due cards, then a few new ones, in your language. Ctrl-C or q ends the session."""
    from prep.bank import load_index
    from prep.quiz import (
        Filters,
        error_text,
        new_today,
        next_due,
        nothing_left_message,
        plan_day,
        resolve_lang,
        resolve_tags,
        resolve_topics,
    )

    language = resolve_lang(lang)
    if mode not in ("recall", "choice"):
        raise PrepError(error_text("mode", language, v=mode))
    loaded = load_index(bank or [])
    filters = Filters(resolve_topics(topic or [], loaded.topics, language),
                      resolve_tags(tag or [], loaded.refs, language),
                      tuple(difficulty or ()), choice_only=mode == "choice")
    store = _store()
    now = _now()
    cards = store.cards()
    new_used = new_today(store.first_review_times(), now)
    rng = random.Random(seed)
    planned, counts = plan_day(loaded.refs, cards, now, filters=filters, new_limit=new, limit=n, new_used=new_used,
                               rng=rng)
    from prep.ui import quiz as ui

    console = ui.make_console(language)
    if not planned:
        reason, values = nothing_left_message(loaded.refs, cards, now, filters=filters, new_limit=new,
                                              new_used=new_used)
        ui.print_nothing_left(console, reason, values, language, now)
        return
    ui.print_counts(console, counts, len(planned), language)
    by_id = {r.id: r for r in planned}
    outcome = ui.run_session(console, planned, lambda card_id: by_id[card_id].entry(), loaded.topics, store, cards,
                             lang=language, mode=mode, rng=rng, clock=_now)
    outcome.next_due = outcome.next_due or next_due(loaded.refs, cards, filters)
    ui.print_outcome(console, outcome, language, _now())
    if outcome.unsaved:
        which = ", ".join(f"{card} ({rating.name.lower()})" for card, rating in outcome.unsaved)
        raise StoreError(f"not saved: {which}: {outcome.store_error}")
    if outcome.interrupted:
        raise typer.Exit(int(ExitCode.INTERRUPTED))


@app.command()
def stats(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    bank: BankOpt = None,
    lang: LangOpt = None,
    new: Annotated[int, typer.Option("--new", min=0, help="New cards per day, as given to the quiz.")] = 10,
) -> None:
    """What you know, what is due, true retention beside predicted recall, per topic."""
    from prep.bank import load_index
    from prep.katas import catalogue
    from prep.quiz import compute_stats, new_today, resolve_lang

    language = resolve_lang(lang)
    loaded = load_index(bank or [])
    store = _store(readonly=True)
    now = _now()
    progress = store.kata_progress()
    katas = [(k.slug, k.topic, progress.get(k.slug, ("new", 0, 0))[0]) for k in catalogue().values()]
    result = compute_stats(loaded.refs, store.cards(), store.reviews(), now, katas=katas, new_limit=new,
                           new_used=new_today(store.first_review_times(), now))
    if as_json:
        _print_json(result.to_json())
        return
    from prep.ui.render import print_stats

    print_stats(result, loaded.topics, language)


# --- bank -----------------------------------------------------------------------------------------

@bank_app.command("validate")
def bank_validate(
    paths: Annotated[list[Path] | None, typer.Argument(help="Files or folders (default: the built-in bank).")] = None,
    bank: Annotated[list[Path] | None, typer.Option("--bank", help="Another pack loaded beside these: ids must "
                                                    "not clash with it (repeatable; PREP_BANK_PATH too).")] = None,
) -> None:
    """Check bank files: every problem of every file, one `file:line: message` each, exit 1 if any.

    A pack it passes is one `prep quiz --bank` accepts: schema, references, topics, katas, and ids
    that clash with the built-in bank or other packs.
    """
    from prep.bank import builtin_dir, validate_paths
    from prep.katas import catalogue

    targets = paths or [builtin_dir()]
    problems = validate_paths(targets, kata_slugs=set(catalogue()), packs=bank or [])
    if problems:
        raise BankError(problems)
    typer.echo(f"ok: {', '.join(str(p) for p in targets)}")


@bank_app.command("tags")
def bank_tags(bank: BankOpt = None, as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
              ) -> None:
    """List the tags `prep quiz --tag` accepts, with how many entries carry each."""
    from prep.bank import load_index
    from prep.quiz import all_tags

    tags = dict(sorted(all_tags(load_index(bank or []).refs).items()))
    if as_json:
        _print_json({"tags": tags})
        return
    for name, count in tags.items():
        typer.echo(f"{name}\t{count}")


@bank_app.command("export")
def bank_export(as_json: Annotated[bool, typer.Option("--json")] = False, bank: BankOpt = None) -> None:
    """Print every loaded entry."""
    from prep.bank import load_bank

    loaded = load_bank(bank or [])
    if as_json:
        _print_json({"entries": [e.to_json() for e in loaded.entries]})
        return
    from prep.ui.render import print_entries

    print_entries(loaded.entries)


@bank_app.command("stats")
def bank_stats(as_json: Annotated[bool, typer.Option("--json")] = False, bank: BankOpt = None) -> None:
    """Count entries per topic and language."""
    from prep.bank import load_bank

    loaded = load_bank(bank or [])
    topics: dict[str, dict[str, int]] = {}
    for e in loaded.entries:
        t = topics.setdefault(e.topic, {"entries": 0, "en": 0, "zh": 0, "choices": 0})
        t["entries"] += 1
        t["en"] += all("en" in x for x in (e.question, e.answer, e.explanation))
        t["zh"] += all("zh" in x for x in (e.question, e.answer, e.explanation))
        t["choices"] += bool(e.choices)
    result = {"total": len(loaded.entries), "topics": dict(sorted(topics.items()))}
    if as_json:
        _print_json(result)
        return
    from prep.ui.render import print_bank_stats

    print_bank_stats(result, loaded.topics)


@bank_app.command("lint")
def bank_lint(
    paths: Annotated[list[Path] | None, typer.Argument(help="Files or folders (default: the loaded bank).")] = None,
    bank: BankOpt = None,
    require: Annotated[list[str] | None, typer.Option("--require", help="A language every text must have "
                                                      "(en or zh, repeatable); by default none is required.")] = None,
) -> None:
    """Warn about near-duplicate questions, over-long answers and translation slips; exit 1 if any."""
    from prep.bank import load_bank
    from prep.lint import lint

    for lang in require or []:
        if lang not in ("en", "zh"):
            raise PrepError(f"unknown language '{lang}' for --require: use en or zh")
    entries = load_bank(paths, include_builtin=False).entries if paths else load_bank(bank or []).entries
    warnings = lint(entries, require=tuple(require or ()))
    for w in warnings:
        typer.echo(w)
    typer.echo(f"{len(warnings)} warning(s)", err=True)
    if warnings:
        raise typer.Exit(int(ExitCode.CHECKS_FAILED))


# --- katas ----------------------------------------------------------------------------------------

def _hidden(extra: list[Path]) -> list[Path]:
    from prep.grading.sandbox import hidden_dirs

    return hidden_dirs(extra)


@app.command()
def kata(
    slug: Annotated[str | None, typer.Argument(help="Kata to open; none lists them.")] = None,
    check: Annotated[bool, typer.Option("--check", help="Grade your workspace file.")] = False,
    watch: Annotated[bool, typer.Option("--watch", help="Re-grade on every save.")] = False,
    hint: Annotated[bool, typer.Option("--hint", help="Show the next hint.")] = False,
    solution: Annotated[bool, typer.Option("--solution", help="Show the reference (after an attempt).")] = False,
    force: Annotated[bool, typer.Option("--force", help="With --solution: show it without an attempt.")] = False,
    reset: Annotated[bool, typer.Option("--reset", help="Start over from the stub (old file kept).")] = False,
    file: Annotated[Path | None, typer.Option("--file", help="Grade this file instead of the workspace's.")] = None,
    workspace_dir: Annotated[str | None, typer.Option("--workspace", help="Workspace folder.")] = None,
    seed: Annotated[int | None, typer.Option("--seed")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="With no slug: the catalogue as JSON.")] = False,
    lang: LangOpt = None,
) -> None:
    """List katas, or open one: statement, workspace file, checks, hints, solution."""
    from prep.katas import catalogue, ensure_workspace_file, find_kata, reset_workspace_file, workspace_file
    from prep.paths import workspace
    from prep.quiz import resolve_lang

    language = resolve_lang(lang)
    if slug is None:
        katas = list(catalogue().values())
        if as_json:
            _print_json({"katas": [{"slug": k.slug, "topic": k.topic, "difficulty": k.difficulty,
                                    "function": k.function, "title": k.title} for k in katas]})
            return
        from prep.ui.render import print_kata_list

        print_kata_list(katas, _store(readonly=True).kata_progress(), language)
        return
    k = find_kata(slug)
    ws = workspace(workspace_dir)
    from prep.ui import render

    if reset:
        backup = reset_workspace_file(k, ws)
        render.say(f"{workspace_file(k, ws)} reset from the stub" + (f"; your old file is {backup}" if backup else ""))
        return
    if hint:
        store = _store()
        _, shown, _ = store.kata_progress().get(k.slug, ("new", 0, 0))
        if shown >= len(k.hints):
            render.print_hints(k, len(k.hints), language, exhausted=True)
            return
        store.record_kata(k.slug, hint=True, now=_now())
        render.print_hints(k, shown + 1, language)
        return
    if solution:
        status = _store(readonly=True).kata_progress().get(k.slug, ("new", 0, 0))[0]
        if status == "new" and not force:
            raise PrepError(f"no attempt at '{k.slug}' yet: run `prep kata {k.slug} --check` first, "
                            "or add --force")
        render.print_solution(k)
        return
    if check or watch:
        target = file or workspace_file(k, ws)
        if not target.is_file():
            raise DataError(f"{target}: no such file; run `prep kata {k.slug}` to create it")
        if watch:
            _watch(k, target, seed)
            return
        verdict = _check_once(k, target, seed)
        raise typer.Exit(int(ExitCode.OK if verdict.passed else ExitCode.CHECKS_FAILED))
    path, created = ensure_workspace_file(k, ws)
    render.print_kata(k, language, path, created)


def _check_once(k: Kata, target: Path, seed: int | None) -> Verdict:
    from prep.grading.judge import grade
    from prep.ui.render import print_verdict

    verdict = grade(k, target, seed=seed, hidden=_hidden([target.parent]))
    try:
        _store().record_kata(k.slug, passed=verdict.passed, now=_now())
    except PrepError:
        pass  # a progress store that cannot be written must not hide the verdict
    print_verdict(verdict)
    return verdict


def _watch(k: Kata, target: Path, seed: int | None) -> None:
    import watchfiles

    from prep.ui.render import say

    _check_once(k, target, seed)
    say(f"watching {target} (Ctrl-C to stop)")
    try:
        for _ in watchfiles.watch(target, debounce=300, rust_timeout=0):
            if target.is_file():
                _check_once(k, target, seed)
    except KeyboardInterrupt:
        pass


@app.command()
def grade(
    paths: Annotated[list[Path], typer.Argument(help="Submission files, or folders of <slug>.py files.")],
    kata_slug: Annotated[str | None, typer.Option("--kata", help="Kata for every file (else from names).")] = None,
    json_out: Annotated[Path | None, typer.Option("--json", help="Write a JSON report here.")] = None,
    junit_out: Annotated[Path | None, typer.Option("--junit", help="Write JUnit XML here.")] = None,
    jobs: Annotated[int | None, typer.Option("--jobs", "-j", min=1, help="Parallel workers (default: cores).")] = None,
    seed: Annotated[int | None, typer.Option("--seed")] = None,
) -> None:
    """Grade submissions (locally or in CI): exit 0 if all pass, 1 if any fails, 2 on bad input."""
    from prep.grading.judge import grade_many
    from prep.grading.sandbox import isolation_mode
    from prep.katas import catalogue, find_kata
    from prep.report import write_reports
    from prep.ui.render import print_batch

    katas = catalogue()
    jobs_list = []
    for p in paths:
        if p.is_dir():
            files = sorted(f for f in p.rglob("*.py") if f.is_file())
        elif p.is_file():
            files = [p]
        else:
            raise DataError(f"{p}: no such file or folder")
        for f in files:
            if kata_slug:
                jobs_list.append((find_kata(kata_slug), f))
            elif f.stem in katas:
                jobs_list.append((katas[f.stem], f))
            elif p.is_file():
                raise DataError(f"{f}: cannot tell the kata from the name; name it <slug>.py or pass --kata")
    if not jobs_list:
        raise DataError("no submissions found (files named <slug>.py, or pass --kata)")
    verdicts = grade_many(jobs_list, workers=jobs, seed=seed,
                          hidden=_hidden(sorted({f.parent for _, f in jobs_list})))
    for line in write_reports(verdicts, json_out, junit_out):
        typer.echo(line)
    print_batch(verdicts, isolation_mode())
    raise typer.Exit(int(ExitCode.OK if all(v.passed for v in verdicts) else ExitCode.CHECKS_FAILED))


@app.command()
def doctor(
    backup: Annotated[Path | None, typer.Option("--backup", help="Also write a consistent copy to this file.")] = None,
) -> None:
    """Check the progress database and recover a damaged one (the damaged file is kept); safe to run twice."""
    from prep.paths import home
    from prep.store import Store, checkup

    path = home() / "progress.sqlite3"
    result = checkup(path)
    if result.recovery is not None:
        r = result.recovery
        kept = ", ".join(f"{n} {table}" for table, n in r.rows.items()) or "nothing (no table was readable)"
        typer.echo(f"recovered: {path}: kept {kept}" + (f"; dropped {r.dropped} row(s) that did not validate"
                                                         if r.dropped else "")
                   + (f"; unreadable: {', '.join(r.lost_tables)}" if r.lost_tables else "")
                   + f"; the damaged file is kept as {r.damaged_copy}")
    if backup is not None:
        store = Store(path)
        try:
            store.backup(backup)
        finally:
            store.close()
    typer.echo(f"ok: {path} ({result.reviews} reviews)" + (f", backed up to {backup}" if backup else ""))


def main() -> None:
    debug = "--debug" in sys.argv[1:]
    if debug:
        sys.argv.remove("--debug")
    try:
        app()
    except BankError as exc:
        if debug:
            raise
        from prep.ui.render import error_lines

        error_lines(exc.problems)
        sys.exit(int(exc.exit_code))
    except PrepError as exc:
        if debug:
            raise
        from prep.ui.render import error_lines

        error_lines([str(exc)])
        sys.exit(int(exc.exit_code))
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(int(ExitCode.OK))
    except KeyboardInterrupt:  # outside a quiz prompt (which ends its session itself): no traceback
        if debug:
            raise
        sys.exit(int(ExitCode.INTERRUPTED))


if __name__ == "__main__":
    main()
