"""prep's pytest plugin: the fixtures kata checks are written with, and the record of their outcomes.

Registered under the `pytest11` entry point and inert unless asked: a run that gives neither
`--submission` nor a judge's session gets no fixtures' values (the checks skip) and no changed
behaviour. `pytest katas/conv2d --submission f.py` or `pytest --kata conv2d --submission f.py` grades
one file; `prep kata --check` and `prep grade` drive the same tests through `prep.grading.judge`.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import numpy as np
import pytest

from prep.grading.checks import LANGUAGE, CheckFailed

if TYPE_CHECKING:
    from prep.grading.judge import Impl, KataSession
    from prep.katas import Kata

SESSION_PLUGIN = "prep-kata-session"
SESSION_KEY = pytest.StashKey["KataSession | None"]()

# Bounded shrinking: every shrink step crosses to the worker, and a learner waits for the verdict.
SHRINK_SECONDS = 3.0

PROFILE = "prep-judge"


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("prep", "prep kata checks (https://github.com/ - see katas/README.md)")
    group.addoption("--submission", metavar="FILE", default=None,
                    help="Grade this file with the kata's checks (the learner's code runs in a sandboxed worker).")
    group.addoption("--kata", metavar="SLUG", default=None,
                    help="Run this installed kata's checks (with --submission), from any folder.")
    group.addoption("--kata-seed", metavar="N", type=int, default=None,
                    help="Seed for every drawn case (default: fresh); the same seed reproduces every draw.")
    group.addoption("--kata-lang", metavar="LANG", default="en", choices=("en", "zh"),
                    help="Language of check names and messages: en or zh.")


@pytest.hookimpl(tryfirst=True)
def pytest_load_initial_conftests(early_config: pytest.Config, parser: pytest.Parser, args: list[str]) -> None:
    """With --submission, load no conftest.py at all, and refuse an ini file from the submission's folder:
    either could rewrite the verdicts of the checks."""
    namespace = early_config.known_args_namespace
    submission = getattr(namespace, "submission", None)
    if not submission:
        return
    namespace.noconftest = True
    folder = Path(submission).resolve().parent
    inipath = early_config.inipath
    if inipath is not None and inipath.resolve().is_relative_to(folder):
        raise pytest.UsageError(f"{inipath}: an ini file in the submission's folder could change the checks; "
                                "run from another folder or pass -c with your own ini file")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "zh(name): the check's name in Chinese")
    registered = [p for p in config.pluginmanager.get_plugins() if getattr(p, "is_prep_kata_session", False)]
    config.stash[SESSION_KEY] = registered[0] if registered else None
    submission = config.getoption("submission", None)
    if registered or not submission:
        if registered:
            _load_hypothesis_profile()
        return
    _load_hypothesis_profile()
    from prep.errors import PrepError
    from prep.grading.judge import KataSession
    from prep.katas import find_kata

    slug = config.getoption("kata", None)
    try:
        kata = find_kata(slug) if slug else _kata_from_args(config)
    except PrepError as exc:
        raise pytest.UsageError(str(exc)) from None
    if kata is None:
        raise pytest.UsageError("--submission needs the kata: give --kata SLUG or the kata's folder")
    path = Path(submission)
    if not path.is_file():
        raise pytest.UsageError(f"{submission}: no such file")
    session = KataSession.open(kata, path, seed=config.getoption("kata_seed", None),
                               lang=config.getoption("kata_lang", "en"))
    session.is_judge = False  # an instructor's pytest run: keep pytest's own reports
    config.pluginmanager.register(session, SESSION_PLUGIN)
    config.stash[SESSION_KEY] = session
    if not config.args or config.getoption("kata", None):
        config.args[:] = [str(kata.checks_dir)]
    config.add_cleanup(session.stop)


def _kata_from_args(config: pytest.Config) -> Kata | None:
    from prep.katas import load_kata

    for arg in config.args:
        folder = Path(arg.split("::")[0]).resolve()
        for candidate in (folder, *folder.parents):
            if (candidate / "kata.yaml").is_file():
                return load_kata(candidate)
    return None


def _load_hypothesis_profile() -> None:
    from hypothesis import HealthCheck, settings
    from hypothesis.internal.conjecture import engine

    # Each example crosses a process boundary: few examples, no deadline, no database, no noise.
    settings.register_profile(PROFILE, max_examples=10, deadline=None, database=None, print_blob=False,
                              suppress_health_check=list(HealthCheck), report_multiple_bugs=False)
    settings.load_profile(PROFILE)
    if hasattr(engine, "MAX_SHRINKING_SECONDS"):
        engine.MAX_SHRINKING_SECONDS = SHRINK_SECONDS  # type: ignore[assignment]


def _session(config: pytest.Config) -> KataSession | None:
    return config.stash.get(SESSION_KEY, None)


def derived_seed(seed: int, nodeid: str) -> int:
    """A test's own seed: the grading seed mixed with the test's id, stable across runs and machines."""
    digest = hashlib.blake2b(f"{seed}:{nodeid}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "little") >> 1


@pytest.fixture(scope="session")
def sub(request: pytest.FixtureRequest) -> Impl:
    """The learner's code: `sub(*args)` calls the kata's function in the sandboxed worker."""
    session = _session(request.config)
    if session is None:
        pytest.skip("kata checks need --submission FILE")
    return session.sub


@pytest.fixture(scope="session")
def ref(request: pytest.FixtureRequest) -> Impl:
    """The reference solution, called exactly like `sub`, in the judge's process."""
    session = _session(request.config)
    if session is None:
        pytest.skip("kata checks need --submission FILE")
    return session.ref


@pytest.fixture
def rng(request: pytest.FixtureRequest) -> np.random.Generator:
    """A generator seeded from the grading seed and this test's id."""
    session = _session(request.config)
    if session is None:
        pytest.skip("kata checks need --submission FILE")
    return np.random.default_rng(derived_seed(session.seed, request.node.nodeid))


def check_name(item: pytest.Item, lang: str) -> str:
    """`test_bias_is_per_filter[stride=2]` -> `bias is per filter [stride=2]`, or its Chinese name."""
    base = getattr(item, "originalname", None) or item.name.split("[")[0]
    name = base.removeprefix("test_").replace("_", " ")
    if lang == "zh":
        mark = item.get_closest_marker("zh")
        if mark is not None and mark.args:
            name = str(mark.args[0])
    callspec = getattr(item, "callspec", None)
    if callspec is not None and callspec.id:
        name += f" [{callspec.id}]"
    return name


def _apply_seeds(items: list[pytest.Item], seed: int) -> None:
    from hypothesis import seed as hypothesis_seed

    for item in items:
        fn = getattr(item, "obj", None)
        if fn is not None and getattr(fn, "is_hypothesis_test", False):
            hypothesis_seed(derived_seed(seed, item.nodeid))(fn)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    session = _session(config)
    if session is None:
        return
    _apply_seeds(items, session.seed)
    for item in items:
        module = getattr(item, "module", None)
        speed = getattr(module, "speed_case", None)
        if callable(speed) and speed not in session.speed_cases:
            session.speed_cases.append(speed)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Iterator[None]:
    session = _session(item.config)
    if session is None:
        return (yield)
    token = LANGUAGE.set(session.lang)
    try:
        return (yield)
    finally:
        LANGUAGE.reset(token)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> pytest.TestReport | None:
    """Record each check's outcome for the judge. Inside the judge a failure's report carries its message
    only: pytest's rendering of the traceback (source, locals, arrays) is never shown to a learner and
    costs more than the check itself. A direct pytest run keeps pytest's report, plus the named mistake."""
    session = _session(item.config)
    if session is None:
        return None
    if call.when == "call" or (call.when == "setup" and call.excinfo is not None):
        result = session.record(item, call, check_name(item, session.lang))
        if result.mistake and not session.is_judge:
            item.add_report_section(call.when, "prep: known mistake", result.mistake)
    if not session.is_judge or call.when == "collect":
        return None
    excinfo = call.excinfo
    outcome: Literal["passed", "failed", "skipped"] = "passed"
    longrepr: str | tuple[str, int, str] | None = None
    if excinfo is not None:
        if isinstance(excinfo.value, pytest.skip.Exception):
            path, line = item.reportinfo()[:2]
            outcome, longrepr = "skipped", (str(path), (line or 0) + 1, str(excinfo.value))
        else:
            outcome, longrepr = "failed", f"{type(excinfo.value).__name__}: {excinfo.value}"
    return pytest.TestReport(item.nodeid, item.location, {k: 1 for k in item.keywords}, outcome, longrepr,
                             call.when, duration=call.duration, start=call.start, stop=call.stop)


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """A graded run in which no check ran is never a pass (a stray -k, an ini file's addopts)."""
    kata_session = _session(session.config)
    if kata_session is not None and not kata_session.results and exitstatus == pytest.ExitCode.OK:
        session.exitstatus = pytest.ExitCode.NO_TESTS_COLLECTED


_LINE = re.compile(r"\(line (\d+)")


def import_error_line(message: str) -> int | None:
    """The submission's line an import failure points at, when the worker named one."""
    found = _LINE.search(message)
    return int(found.group(1)) if found else None


def failure_message(exc: BaseException, lang: str) -> str:
    """What a failed check says: its helper's message, never a traceback or the check's source."""
    from prep.grading.sandbox import WorkerError

    if isinstance(exc, (CheckFailed, WorkerError)) or (isinstance(exc, AssertionError) and str(exc)):
        return str(exc)
    if isinstance(exc, AssertionError):
        return "检查未通过" if lang == "zh" else "the check failed"
    what = f"{type(exc).__name__}: {str(exc)[:200]}"
    return f"结果无法检查（{what}）" if lang == "zh" else f"the result could not be checked ({what})"
