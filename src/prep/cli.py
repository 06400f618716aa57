"""The command line: parses arguments, calls the domain modules, hands results to a renderer."""

from __future__ import annotations

import json
import os
import random
import sys
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from prep.errors import BankError, DataError, ExitCode, PrepError, StoreError
from prep.ui.text import printable

if TYPE_CHECKING:
    from prep.classgrade import ClassResult
    from prep.grading.judge import Verdict
    from prep.katas import Kata
    from prep.report import Outputs, Weights
    from prep.store import Store

def _keep_argument_help() -> None:
    """typer (0.24) sets an argument's help, then calls click's __init__, which since click 8.5 takes a
    help of its own and so resets it to None: `--help` would show arguments without their help."""
    from typer.core import TyperArgument

    init = TyperArgument.__init__
    if getattr(init, "prep_keeps_help", False):
        return

    def keep(self: TyperArgument, *args: Any, **kwargs: Any) -> None:
        init(self, *args, **kwargs)
        if kwargs.get("help") and not getattr(self, "help", None):
            self.help = kwargs["help"]

    keep.prep_keeps_help = True  # type: ignore[attr-defined]
    TyperArgument.__init__ = keep  # type: ignore[method-assign]


_keep_argument_help()

app = typer.Typer(no_args_is_help=True, pretty_exceptions_enable=False,
                  help="Prepare for ML, deep-learning and LLM interviews: quiz, katas, grading. "
                       "Shell completion (commands, kata slugs, topics, tags): `prep --install-completion`.")
bank_app = typer.Typer(no_args_is_help=True, help="Validate, export and inspect question banks.")
app.add_typer(bank_app, name="bank")

def _complete_lang(incomplete: str) -> list[str]:
    return [v for v in ("en", "zh", "both") if v.startswith(incomplete)]


def _complete_topic(incomplete: str) -> list[str]:
    """Topic slugs for shell completion, from the built-in topics file (nothing heavy imported)."""
    from prep.katas import topic_names

    return [s for s in sorted(topic_names("en")) if s.startswith(incomplete)]


def _complete_tag(incomplete: str) -> list[str]:
    """Tags for shell completion, from the bank's index (cached after the first load)."""
    try:
        from prep.bank import load_index
        from prep.quiz import all_tags

        tags = sorted(all_tags(load_index(()).refs))
    except PrepError:
        return []
    return [t for t in tags if t.startswith(incomplete)]


def _complete_kata(incomplete: str) -> list[str]:
    """Kata slugs for shell completion: folder names only, nothing heavy imported."""
    from prep.paths import data_root

    root = data_root() / "katas"
    try:
        slugs = sorted(p.name for p in root.iterdir() if (p / "kata.yaml").is_file())
    except OSError:
        return []
    return [s for s in slugs if s.startswith(incomplete)]


BankOpt = Annotated[list[Path] | None, typer.Option("--bank", help="Extra bank folder (repeatable).")]
LangOpt = Annotated[str | None, typer.Option("--lang", help="en, zh or both (default: PREP_LANG, locale).",
                                             autocompletion=_complete_lang)]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON.")]


def _version(value: bool) -> None:
    if value:
        from importlib.metadata import PackageNotFoundError, version

        try:
            typer.echo(f"prep {version('prep')}")
        except PackageNotFoundError:
            typer.echo("prep (not installed)")
        raise typer.Exit()


@app.callback()
def _root(
    _show_version: Annotated[bool, typer.Option("--version", help="Print prep's version and exit.",
                                                callback=_version, is_eager=True)] = False,
) -> None:
    """The options of `prep` itself."""


def _now() -> datetime:
    return datetime.now(UTC)


def _print_json(data: object) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def _banks(bank: list[Path] | None) -> list[Path]:
    """The --bank folders, after checking that they and PREP_BANK_PATH's exist (a typo is bad input)."""
    for p in bank or []:
        if not p.exists():
            raise DataError(f"--bank {p}: no such file or folder")
    for raw in os.environ.get("PREP_BANK_PATH", "").split(os.pathsep):
        if raw and not Path(raw).exists():
            raise DataError(f"PREP_BANK_PATH: {raw}: no such file or folder")
    return bank or []


def _store(*, readonly: bool = False) -> Store:
    """The progress store; read-only commands open it read-only (a read-only PREP_HOME still works)."""
    from prep.paths import home
    from prep.store import open_store

    return open_store(home(), readonly=readonly)


# --- quiz -----------------------------------------------------------------------------------------

@app.command()
def quiz(
    topic: Annotated[list[str] | None, typer.Option("--topic", "-t", help="Topic slug or name, any case "
                                                    "(repeatable).", autocompletion=_complete_topic)] = None,
    tag: Annotated[list[str] | None, typer.Option("--tag", help="Tag (repeatable; `prep bank tags` lists them).",
                                                  autocompletion=_complete_tag)] = None,
    difficulty: Annotated[list[int] | None, typer.Option("--difficulty", "-d", min=1, max=3,
                                                         help="1, 2 or 3 (repeatable).")] = None,
    n: Annotated[int | None, typer.Option("-n", min=1, help="Cap on cards this session.")] = None,
    new: Annotated[int, typer.Option("--new", min=0, help="New cards per day.")] = 10,
    lang: LangOpt = None,
    mode: Annotated[str, typer.Option("--mode", help="recall (cards, drills, due katas), choice, or drill "
                                                      "(numeric drills only).")] = "recall",
    bank: BankOpt = None,
    seed: Annotated[int | None, typer.Option("--seed", help="Seed for shuffling (reproducible sessions).")] = None,
) -> None:
    """Today's due cards, drills and katas, then a few new ones, in your language. Ctrl-C or q ends the session."""
    from prep.bank import EntryRef, load_index
    from prep.lang import resolve_lang
    from prep.quiz import (
        Filters,
        Schedulable,
        error_text,
        new_today,
        next_due,
        nothing_left_message,
        plan_day,
        resolve_tags,
        resolve_topics,
    )
    from prep.schedule import drill_items, kata_items, links

    language = resolve_lang(lang)
    if mode not in ("recall", "choice", "drill"):
        raise PrepError(error_text("mode", language, v=mode))
    loaded = load_index(_banks(bank))
    filters = Filters(resolve_topics(topic or [], loaded.topics, language),
                      resolve_tags(tag or [], loaded.refs, language),
                      tuple(difficulty or ()), choice_only=mode == "choice")
    store = _store()
    now = _now()
    cards = store.cards()
    new_used = new_today(store.first_review_times(), now)
    rng = random.Random(seed)
    pool: list[Schedulable] = [*(loaded.refs if mode != "drill" else ()), *(drill_items() if mode != "choice" else ()),
            *(kata_items(cards, store.skipped_katas(now)) if mode == "recall" else ())]
    planned, counts = plan_day(pool, cards, now, filters=filters, new_limit=new, limit=n, new_used=new_used,
                               rng=rng)
    from prep.ui import quiz as ui

    console = ui.make_console(language)
    if not planned:
        reason, values = nothing_left_message(pool, cards, now, filters=filters, new_limit=new,
                                              new_used=new_used)
        ui.print_nothing_left(console, reason, values, language, now)
        return
    ui.print_counts(console, counts, len(planned), language)
    by_id = {r.id: r for r in planned if isinstance(r, EntryRef)}  # drills and katas are asked by their id
    outcome = ui.run_session(console, planned, lambda card_id: by_id[card_id].entry(), loaded.topics, store, cards,
                             lang=language, mode=mode, rng=rng, clock=_now,
                             links=lambda card_id: links(card_id, loaded.refs, _kata_bank(card_id)))
    outcome.next_due = outcome.next_due or next_due(pool, cards, filters)
    ui.print_outcome(console, outcome, language, _now())
    if outcome.unsaved:
        which = ", ".join(f"{card} ({rating.name.lower()})" for card, rating in outcome.unsaved)
        raise StoreError(f"not saved: {which}: {outcome.store_error}")
    if outcome.interrupted:
        raise typer.Exit(int(ExitCode.INTERRUPTED))


def _kata_bank(card_id: str) -> dict[str, tuple[str, ...]]:
    """A kata card's `bank:` list (the entries it names), read only when a kata card lapses."""
    from prep.katas import find_kata

    if not card_id.startswith("kata:"):
        return {}
    try:
        k = find_kata(card_id.removeprefix("kata:"))
    except DataError:
        return {}
    return {k.slug: k.bank}


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
    from prep.lang import resolve_lang
    from prep.quiz import compute_stats, new_today
    from prep.schedule import drill_items, kata_item

    language = resolve_lang(lang)
    loaded = load_index(_banks(bank))
    store = _store(readonly=True)
    now = _now()
    progress = store.kata_progress()
    katas = [(k.slug, k.topic, progress.get(k.slug, ("new", 0, 0))[0]) for k in catalogue().values()]
    others = [*drill_items(), *(kata_item(k) for k in catalogue().values())]
    result = compute_stats(loaded.refs, store.cards(), store.reviews(), now, katas=katas, new_limit=new,
                           new_used=new_today(store.first_review_times(), now), others=others)
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
    for p in targets:
        if not p.exists():
            raise DataError(f"{p}: no such file or folder")
    problems = validate_paths(targets, kata_slugs=set(catalogue()), packs=_banks(bank))
    if problems:
        raise BankError(problems)
    typer.echo(printable(f"ok: {', '.join(str(p) for p in targets)}"))


@bank_app.command("tags")
def bank_tags(bank: BankOpt = None, as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
              ) -> None:
    """List the tags `prep quiz --tag` accepts, with how many entries carry each."""
    from prep.bank import load_index
    from prep.quiz import all_tags

    tags = dict(sorted(all_tags(load_index(_banks(bank)).refs).items()))
    if as_json:
        _print_json({"tags": tags})
        return
    for name, count in tags.items():
        typer.echo(f"{name}\t{count}")


@bank_app.command("export")
def bank_export(as_json: JsonOpt = False, bank: BankOpt = None) -> None:
    """Print every loaded entry."""
    from prep.bank import load_bank

    loaded = load_bank(_banks(bank))
    if as_json:
        _print_json({"entries": [e.to_json() for e in loaded.entries]})
        return
    from prep.ui.render import print_entries

    print_entries(loaded.entries)


@bank_app.command("stats")
def bank_stats(as_json: JsonOpt = False, bank: BankOpt = None) -> None:
    """Count entries per topic and language."""
    from prep.bank import load_bank

    loaded = load_bank(_banks(bank))
    topics: dict[str, dict[str, int]] = {}
    for e in loaded.entries:
        t = topics.setdefault(e.topic, {"entries": 0, "en": 0, "zh": 0, "choices": 0})
        t["entries"] += 1
        t["en"] += all("en" in x for x in (e.question, e.answer, e.explanation))
        t["zh"] += all("zh" in x for x in (e.question, e.answer, e.explanation))
        t["choices"] += bool(e.choices)
    from prep.schedule import drill_items

    result = {"total": len(loaded.entries), "topics": dict(sorted(topics.items())), "drills": len(drill_items())}
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
    for p in paths or []:
        if not p.exists():
            raise DataError(f"{p}: no such file or folder")
    entries = load_bank(paths, include_builtin=False).entries if paths else load_bank(_banks(bank)).entries
    warnings = lint(entries, require=tuple(require or ()))
    for w in warnings:
        typer.echo(printable(w))
    typer.echo(f"{len(warnings)} warning(s)", err=True)
    if warnings:
        raise typer.Exit(int(ExitCode.CHECKS_FAILED))


# --- export ---------------------------------------------------------------------------------------

export_app = typer.Typer(no_args_is_help=True, help="Export the bank for other tools.")
app.add_typer(export_app, name="export")


@export_app.command("anki")
def export_anki_command(
    file: Annotated[Path, typer.Argument(help="The .apkg file to write (Anki: File > Import).")],
    lang: LangOpt = None,
    bank: BankOpt = None,
    drill_samples: Annotated[int, typer.Option("--drill-samples", min=0,
                                               help="Fixed instances per numeric drill.")] = 3,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the drill samples.")] = 0,
) -> None:
    """Write the bank, and fixed samples of the numeric drills, as an Anki deck; a re-export updates it."""
    from prep.anki import export_anki
    from prep.lang import resolve_lang
    from prep.outputs import prepare_output

    if file.suffix != ".apkg":
        raise PrepError(f"{file}: an Anki deck file ends in .apkg")
    prepare_output(file, "FILE")
    r = export_anki(file, lang=resolve_lang(lang), bank_dirs=_banks(bank), drill_samples=drill_samples, seed=seed)
    typer.echo(printable(f"wrote {r.path}: {r.notes} notes ({r.entries} entries, {r.drill_notes} drill samples) "
                         f"in {len(r.decks) - 1} topic decks, {r.size / 1e6:.1f} MB"))


# --- katas ----------------------------------------------------------------------------------------

def _hidden(extra: list[Path]) -> list[Path]:
    from prep.grading.sandbox import hidden_dirs

    return hidden_dirs(extra)


@app.command()
def kata(
    slug: Annotated[str | None, typer.Argument(help="Kata to open (e.g. conv2d); none lists them in the "
                                               "recommended order.", autocompletion=_complete_kata)] = None,
    check: Annotated[bool, typer.Option("--check", help="Grade your workspace file once.")] = False,
    watch: Annotated[bool, typer.Option("--watch", help="Grade now and again on every save (any editor).")] = False,
    hint: Annotated[bool, typer.Option("--hint", help="Show the next hint (with the ones already shown).")] = False,
    solution: Annotated[bool, typer.Option("--solution", help="Print the reference, after an attempt "
                                           "(plain text when redirected: `> sol.py` runs).")] = False,
    force: Annotated[bool, typer.Option("--force", help="With --solution: show it without an attempt.")] = False,
    reset: Annotated[bool, typer.Option("--reset", help="Start over from the stub (old file kept).")] = False,
    file: Annotated[Path | None, typer.Option("--file", help="With --check or --watch: grade this file "
                                              "instead of the workspace's.")] = None,
    workspace_dir: Annotated[str | None, typer.Option("--workspace", help="Workspace folder (default: "
                                                      "PREP_WORKSPACE, else ~/prep-katas).")] = None,
    seed: Annotated[int | None, typer.Option("--seed", help="With --check or --watch: the grading seed "
                                             "(reproduces every drawn case).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="With no kata: the catalogue as JSON.")] = False,
    lang: LangOpt = None,
) -> None:
    """List katas in the recommended order, or open one: statement, workspace file, checks, hints, solution."""
    from prep.katas import (
        ensure_workspace_file,
        find_kata,
        flag_conflict,
        reset_workspace_file,
        workspace_file,
    )
    from prep.lang import resolve_lang
    from prep.paths import workspace

    language = resolve_lang(lang)
    given = [flag for flag, on in (("--check", check), ("--watch", watch), ("--hint", hint),
                                   ("--solution", solution), ("--force", force), ("--reset", reset),
                                   ("--file", file is not None), ("--seed", seed is not None),
                                   ("--json", as_json)) if on]
    conflict = flag_conflict(slug, given)
    if conflict:
        raise PrepError(conflict)
    if slug is None:
        _kata_catalogue(as_json, language)
        return
    k = find_kata(slug)
    ws = workspace(workspace_dir)
    if ws.exists() and not ws.is_dir():
        raise DataError(f"workspace {ws}: not a folder (--workspace or PREP_WORKSPACE)")
    from prep.ui import render

    if reset:
        backup = reset_workspace_file(k, ws)
        render.say(render.kata_message("reset_backup" if backup else "reset", language,
                                       path=workspace_file(k, ws), backup=backup))
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
            raise PrepError(render.kata_message("no_solution_yet", language, slug=k.slug,
                                                check=f"prep kata {k.slug} --check",
                                                force=f"prep kata {k.slug} --solution --force"))
        render.print_solution(k)
        _note_kata(k.slug, solution=True)
        return
    if check or watch:
        target = file or workspace_file(k, ws)
        if target.is_dir():
            raise DataError(f"{target}: is a folder; give the submission's file")
        if not target.is_file():
            raise DataError(f"{target}: no such file; run `prep kata {k.slug}` to create it")
        grading_lang = "zh" if language == "zh" else "en"
        if watch:
            _watch(k, target, seed, grading_lang)
            return
        verdict = _check_once(k, target, seed, grading_lang)
        if verdict.passed:
            render.say(_after_pass(k, grading_lang))
        raise typer.Exit(int(ExitCode.OK if verdict.passed else ExitCode.CHECKS_FAILED))
    path, created = ensure_workspace_file(k, ws)
    render.print_kata(k, language, path, created)
    _note_kata(k.slug, opened=True)


def _note_kata(slug: str, *, opened: bool = False, solution: bool = False) -> None:
    """Evidence for the kata card's next rating; a progress store that cannot be written must not stop the kata."""
    from prep.schedule import note_kata

    try:
        note_kata(_store(), slug, _now(), opened=opened, solution=solution)
    except PrepError:
        pass


def _kata_catalogue(as_json: bool, language: str) -> None:
    from prep.katas import catalogue, next_kata, recommended, topic_names

    katas = catalogue()
    ordered = recommended(katas)
    progress = _store(readonly=True).kata_progress()
    following = next_kata(katas, progress)
    if as_json:
        _print_json({"katas": [{"slug": k.slug, "topic": k.topic, "difficulty": k.difficulty,
                                "function": k.function, "title": k.title, "order": i,
                                "status": progress.get(k.slug, ("new", 0, 0))[0]}
                               for i, k in enumerate(ordered, 1)],
                     "next": following.slug if following else None})
        return
    from prep.ui.render import print_kata_list

    print_kata_list(ordered, progress, language, topic_names("zh" if language == "zh" else "en"),
                    following.slug if following else None)


def _check_once(k: Kata, target: Path, seed: int | None, lang: str = "en") -> Verdict:
    from prep.grading.judge import grade
    from prep.ui.render import print_verdict

    verdict = grade(k, target, seed=seed, hidden=_hidden([target.parent]), lang=lang)
    try:
        from prep.schedule import record_check

        record_check(_store(), k, verdict.passed, _now())
    except PrepError:
        pass  # a progress store that cannot be written must not hide the verdict
    print_verdict(verdict, k)
    return verdict


def _watch(k: Kata, target: Path, seed: int | None, lang: str = "en") -> None:
    """Grade, then grade again on every save: a fresh screen each time, and after a pass, the next kata."""
    from prep import startup
    from prep.ui.render import clear_screen, kata_message, say
    from prep.watch import saves, signature

    startup.resume()  # a watch runs for hours

    def run() -> None:
        clear_screen()
        say(kata_message("grading", lang, path=target))
        verdict = _check_once(k, target, seed, lang)
        if verdict.passed:
            say(_after_pass(k, lang))
        say(kata_message("watching", lang, path=target))

    try:
        first = signature(target)  # before the file is read: a save during the first grading differs from it
        run()
        for present in saves(target, since=first):
            if present:
                run()
            else:
                say(kata_message("gone", lang, path=target))
    except KeyboardInterrupt:
        pass


def _after_pass(k: Kata, lang: str) -> str:
    from prep.katas import next_slug
    from prep.schedule import kata_slugs
    from prep.ui.render import kata_message

    try:
        progress = _store(readonly=True).kata_progress()
    except PrepError:
        progress = {}
    following = next_slug(kata_slugs(), progress, after=k.slug)
    if following is None:
        return kata_message("passed_all", lang)
    return kata_message("passed_next", lang, command=f"prep kata {following}")


class Isolation(StrEnum):
    full = "full"
    weak = "weak"


@app.command()
def grade(
    paths: Annotated[list[Path], typer.Argument(help="Submission files or folders, searched for .py files at "
                                                "any depth (with --merge: shard reports).")],
    kata_slug: Annotated[str | None, typer.Option("--kata", help="Kata for every file (else each file's name "
                                                  "says it: conv2d.py is graded as conv2d).",
                                                  autocompletion=_complete_kata)] = None,
    json_out: Annotated[Path | None, typer.Option("--json", help="Write prep's JSON report here.")] = None,
    junit_out: Annotated[Path | None, typer.Option("--junit", help="Write JUnit XML here.")] = None,
    gradescope: Annotated[str | None, typer.Option(
        "--gradescope", help="Gradescope results.json per submission; {name} in the path is the submission.")] = None,
    exercism: Annotated[str | None, typer.Option(
        "--exercism", help="Exercism results.json (v3) per submission; {name} as for --gradescope.")] = None,
    weight: Annotated[list[str] | None, typer.Option(
        "--weight", help="CHECK=POINTS for --gradescope, over the kata's weights (repeatable).")] = None,
    skip_unknown: Annotated[bool, typer.Option(
        "--skip-unknown", help="Files whose kata is unknown do not fail the run.")] = False,
    shard: Annotated[str | None, typer.Option("--shard", help="Grade shard K of N (K/N), chosen by path.")] = None,
    merge: Annotated[bool, typer.Option("--merge", help="Combine the shard JSON reports given as PATHS.")] = False,
    jobs: Annotated[int | None, typer.Option("--jobs", "-j", min=1, help="Parallel workers (default: cores).")] = None,
    seed: Annotated[int | None, typer.Option("--seed", help="Grading seed (reproduces every drawn case; "
                                             "default: random, printed in the reports).")] = None,
    isolation: Annotated[Isolation | None, typer.Option(
        "--isolation", help="full (default): refuse to grade without the sandbox; weak: grade anyway.")] = None,
    lang: Annotated[str | None, typer.Option(
        "--lang", help="Language of check names and messages: en (default, for CI logs) or zh.")] = None,
) -> None:
    """Grade submissions (locally or in CI): exit 0 if all pass, 1 if any fails or is not graded, 2 on bad input.

    How files are matched to katas: every .py file given, or found at any depth under a folder given,
    is graded against the kata its file name names (`conv2d.py` against conv2d, wherever it sits:
    `alice/conv2d.py`, `week3/conv2d.py`); `--kata SLUG` grades every file against SLUG whatever its
    name. A file whose name names no kata is listed as not graded, with the closest slug if one is
    near (`conv2d_v2.py`: did you mean conv2d.py?); it fails the run unless --skip-unknown.
    """
    from prep.report import Outputs, check_outputs

    outputs = Outputs(json_out, junit_out, gradescope, exercism)
    weights = _weights(weight or [], gradescope)
    if merge:
        _refuse_with_merge({"--kata": kata_slug, "--shard": shard, "--jobs": jobs, "--seed": seed,
                            "--isolation": isolation, "--lang": lang})
        result = _merge_reports(paths, skip_unknown)
        check_outputs(outputs, [g.name for g in result.graded])
    else:
        if lang not in (None, "en", "zh"):
            raise PrepError(f"unknown language '{lang}' for grading: use en or zh")
        result = _grade_batch(paths, kata_slug, shard, outputs, jobs=jobs, seed=seed, skip_unknown=skip_unknown,
                              isolation=(isolation or Isolation.full).value, lang=lang or "en")
    _finish(result, outputs, weights)


def _weights(given: list[str], gradescope: str | None) -> Weights:
    from prep.katas import catalogue
    from prep.report import Weights, parse_weight

    if given and not gradescope:
        raise PrepError("--weight only applies to --gradescope")
    return Weights(dict(parse_weight(w) for w in given), catalogue())


def _refuse_with_merge(options: dict[str, object]) -> None:
    given = [name for name, value in options.items() if value is not None]
    if given:
        raise PrepError(f"--merge combines finished reports: {', '.join(given)} cannot be used with it")


def _merge_reports(paths: list[Path], skip_unknown: bool) -> ClassResult:
    from prep.classgrade import merge
    from prep.report import read_report

    return merge([(str(p), read_report(p)) for p in paths], skip_unknown)


def _grade_batch(paths: list[Path], kata_slug: str | None, shard_text: str | None, outputs: Outputs, *,
                 jobs: int | None, seed: int | None, skip_unknown: bool, isolation: str,
                 lang: str = "en") -> ClassResult:
    """Find every submission, check every output path, then grade: bad input never costs a graded class."""
    from prep.classgrade import ClassResult, Graded, Shard, class_folders, collect
    from prep.grading.judge import grade_many
    from prep.grading.sandbox import require_isolation
    from prep.katas import catalogue, find_kata
    from prep.report import check_outputs

    shard = Shard.parse(shard_text) if shard_text is not None else None
    batch = collect(paths, catalogue(), find_kata(kata_slug) if kata_slug else None, shard)
    if not batch.submissions and not batch.not_graded and shard is None:
        raise DataError("no .py files found in " + ", ".join(str(p) for p in paths))
    check_outputs(outputs, [s.name for s in batch.submissions])
    mode = require_isolation(allow_weak=isolation == "weak")  # other people's code: full isolation or refuse
    jobs_list = [(s.kata, s.path) for s in batch.submissions]
    hidden = _hidden(class_folders(paths, (f for _, f in jobs_list), Path(sys.prefix)))
    verdicts = grade_many(jobs_list, workers=jobs, seed=seed, hidden=hidden, lang=lang) if jobs_list else []
    graded = tuple(Graded(v, s.name) for v, s in zip(verdicts, batch.submissions))
    return ClassResult(graded, batch.not_graded, mode, shard, skip_unknown)


def _finish(result: ClassResult, outputs: Outputs, weights: Weights) -> None:
    from prep.report import write_reports
    from prep.ui.render import print_batch, warning_lines

    for annotation in write_reports(result, outputs, weights):
        typer.echo(annotation)
    print_batch(result)
    if outputs.gradescope:
        warning_lines([f"--weight '{name}' matched no check" for name in weights.unused(result.verdicts)])
    raise typer.Exit(int(ExitCode.OK if result.all_passed else ExitCode.CHECKS_FAILED))


@app.command()
def doctor(
    backup: Annotated[Path | None, typer.Option("--backup", help="Also write a consistent copy to this file.")] = None,
) -> None:
    """Check the progress database and recover a damaged one (the damaged file is kept); safe to run twice."""
    from prep.paths import home
    from prep.store import Store, checkup

    if backup is not None:
        from prep.outputs import prepare_output

        prepare_output(backup, "--backup")  # a bad path is one line, before anything is touched
    path = home() / "progress.sqlite3"
    result = checkup(path)
    if result.recovery is not None:
        r = result.recovery
        kept = ", ".join(f"{n} {table}" for table, n in r.rows.items()) or "nothing (no table was readable)"
        typer.echo(printable(f"recovered: {path}: kept {kept}" + (f"; dropped {r.dropped} row(s) that did not "
                                                                   "validate" if r.dropped else "")
                             + (f"; unreadable: {', '.join(r.lost_tables)}" if r.lost_tables else "")
                             + f"; the damaged file is kept as {r.damaged_copy}"))
    if backup is not None:
        store = Store(path)
        try:
            store.backup(backup)
        finally:
            store.close()
    typer.echo(printable(f"ok: {path} ({result.reviews} reviews)" + (f", backed up to {backup}" if backup else "")))


def main() -> None:
    debug = "--debug" in sys.argv[1:]
    if debug:
        sys.argv.remove("--debug")
    try:
        app()
    except BankError as exc:
        if debug:
            raise
        from prep.ui.messages import argv_lang
        from prep.ui.render import error_lines

        error_lines(exc.problems, argv_lang(sys.argv[1:]))
        sys.exit(int(exc.exit_code))
    except PrepError as exc:
        if debug:
            raise
        from prep.ui.messages import argv_lang
        from prep.ui.render import error_lines

        error_lines([str(exc)], argv_lang(sys.argv[1:]))
        sys.exit(int(exc.exit_code))
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(int(ExitCode.OK))
    except KeyboardInterrupt:  # outside a quiz prompt (which ends its session itself): no traceback
        if debug:
            raise
        sys.exit(int(ExitCode.INTERRUPTED))


def run() -> None:
    """The `prep` command: main(), then a quick exit; Ctrl-C ends a running command (exit 130) and is
    ignored once the command has finished, so a second press never shows a traceback.

    Tearing down the interpreter (numpy, pytest, hypothesis, rich and thousands of objects) takes about
    70 ms after a `prep kata --check` has printed its verdict, and serves no purpose: every file prep
    writes is closed where it is written and every store change is committed. So once the command is
    done, the output is flushed, the atexit handlers run (the sandbox's cleanup among them) and the
    process ends. If a thread other than the main one is still alive, or a profiler or tracer is
    watching (cProfile writes its report after the module returns), the ordinary exit is taken."""
    import signal

    from prep import startup

    startup.pause()
    signal.signal(signal.SIGINT, _on_interrupt)
    code: int | str | None = 0
    try:
        main()
    except SystemExit as exc:
        _ENDING.on = True  # a plain store: no point between main's end and here where a handler can run
        code = exc.code
    except KeyboardInterrupt:  # pressed while the command was unwinding
        _ENDING.on = True
        code = int(ExitCode.INTERRUPTED)
    quick_exit(code)


class _Ending:
    on = False  # the command has finished and is only exiting


_ENDING = _Ending()


def _on_interrupt(signum: int, frame: Any) -> None:
    """Ctrl-C: KeyboardInterrupt while the command runs (every prompt ends the session on it); once the
    command has finished, nothing (a second press while a session was ending printed a traceback)."""
    inside = frame
    while inside is not None and inside.f_code is not main.__code__:
        inside = inside.f_back
    if inside is not None or not _ENDING.on:
        raise KeyboardInterrupt


def quick_exit(code: int | str | None) -> None:
    import atexit
    import signal
    import threading

    # the command is over: a late Ctrl-C (a second press while the session was ending) must not print
    # a traceback from an exit handler
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if code is None:
        code = 0
    elif not isinstance(code, int):  # sys.exit("message"): the message goes to stderr, status 1
        sys.stderr.write(f"{code}\n")
        code = 1
    if threading.active_count() > 1 or sys.gettrace() is not None or sys.getprofile() is not None:
        sys.exit(code)  # a thread to wait for, or a profiler or coverage tool that reports at the end
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except BrokenPipeError:  # the reader went away: nothing more to say to it
            os.dup2(os.open(os.devnull, os.O_WRONLY), stream.fileno())
        except (OSError, ValueError):
            pass
    atexit._run_exitfuncs()
    os._exit(code & 0xFF)


if __name__ == "__main__":
    run()
