"""The judge: runs a kata's hidden checks against one submission and returns a Verdict.

Checks and the reference run here; the submission runs in a sandboxed worker and returns data only.
"""

from __future__ import annotations

import ast
import copy
import importlib.util
import inspect
import os
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np

from prep.grading.checks import CheckFailed
from prep.grading.sandbox import Budget, Limits, SubmissionError, Worker, WorkerError, isolation_mode, read_submission
from prep.grading.worker import FORBIDDEN, freeze, same_result
from prep.katas import Kata

MAX_RESTARTS = 2


@dataclass(frozen=True)
class CheckResult:
    """One check's outcome. `error` marks a check the submission could not be run for (crash,
    timeout, memory), as opposed to a wrong answer; `mistake` names a known mistake the output matched."""

    name: str
    passed: bool
    message: str = ""
    mistake: str = ""
    seconds: float = 0.0
    error: bool = False


@dataclass(frozen=True)
class Verdict:
    path: str
    kata: str
    passed: bool
    checks: tuple[CheckResult, ...]
    seconds: float
    isolation: str
    speed_ratio: float | None = None  # learner time / reference time on a medium input
    output: str = ""
    error: str = ""  # why nothing could be checked (does not parse, forbidden import ...)
    error_line: int | None = None  # the line of the submission the error points at, where known
    seed: int | None = None  # the grading seed: `--seed` with it reproduces every drawn case


def _load_module(path: Path, name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class Impl:
    """One implementation of a kata, called the same way whether it is the learner's or the reference."""

    def __init__(self, function: str) -> None:
        self.function = function
        self.seconds = 0.0

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self.fn(self.function)(*args, **kwargs)

    def fn(self, name: str) -> Callable[..., Any]:
        return lambda *a, **k: self._call("function", name, list(a), k)

    def harness(self, name: str) -> Callable[..., Any]:
        return lambda *a, **k: self._call("harness", name, list(a), k)

    def _call(self, target: str, name: str, args: list[Any], kwargs: dict[str, Any]) -> Any:
        raise NotImplementedError


def _frozen_copy(value: Any) -> Any:
    return freeze(copy.deepcopy(value))


class LocalImpl(Impl):
    """The reference, run in this process on read-only copies of the inputs."""

    def __init__(self, module: ModuleType, function: str, harness: ModuleType | None) -> None:
        super().__init__(function)
        self.module, self.harness_module = module, harness

    def _call(self, target: str, name: str, args: list[Any], kwargs: dict[str, Any]) -> Any:
        args, kwargs = _frozen_copy(args), _frozen_copy(kwargs)
        start = time.perf_counter()
        if target == "harness":
            assert self.harness_module is not None
            result = getattr(self.harness_module, name)(self.module, *args, **kwargs)
        else:
            result = getattr(self.module, name)(*args, **kwargs)
        self.seconds = time.perf_counter() - start
        return result


class RemoteImpl(Impl):
    """The learner's submission, run in a sandboxed worker; restarted if it dies."""

    def __init__(self, make_worker: Callable[[], Worker], function: str) -> None:
        super().__init__(function)
        self._make_worker = make_worker
        self.worker: Worker | None = None
        self.restarts = 0
        self._spawned: Worker | None = None

    def prestart(self) -> None:
        """Launch the first worker now; the first call waits for it to be ready."""
        if self.worker is None and self._spawned is None:
            worker = self._make_worker()
            try:
                worker.spawn()
            except OSError:
                worker.close()
                return  # _ensure will try again and report the error
            self._spawned = worker

    def _ensure(self) -> Worker:
        if self.worker is None:
            if self.restarts > MAX_RESTARTS:
                raise WorkerError("not run: the submission's process kept dying", fatal=True)
            self.restarts += 1
            worker, self._spawned = self._spawned, None
            try:
                if worker is None:
                    worker = self._make_worker()
                    worker.spawn()
                worker.wait_ready()
            except WorkerError:
                if worker is not None:
                    worker.close()
                raise
            except OSError as exc:
                if worker is not None:
                    worker.close()
                raise WorkerError(f"could not start the worker: {exc}", fatal=True) from None
            self.worker = worker
        return self.worker

    def _call(self, target: str, name: str, args: list[Any], kwargs: dict[str, Any]) -> Any:
        worker = self._ensure()
        start = time.perf_counter()
        try:
            value, _ = worker.call(target, name, args, kwargs)
        except WorkerError as exc:
            if exc.fatal:
                worker.close()
                self.worker = None
            raise
        self.seconds = time.perf_counter() - start
        return value

    def close(self) -> str:
        output = ""
        if self._spawned is not None:
            self._spawned.close()
            self._spawned = None
        if self.worker is not None:
            output = self.worker.output()
            self.worker.close()
            self.worker = None
        return output


@dataclass
class KataChecks:
    """A kata's check functions and reference, loaded once per process."""

    kata: Kata
    checks: list[tuple[str, Callable[..., None]]] = field(default_factory=list)
    speed_case: Callable[[np.random.Generator], tuple[tuple[Any, ...], dict[str, Any]]] | None = None
    reference: ModuleType | None = None
    harness: ModuleType | None = None

    @classmethod
    def load(cls, kata: Kata) -> KataChecks:
        loaded = cls(kata)
        loaded.reference = _load_module(kata.solution, f"prep_reference_{kata.slug.replace('-', '_')}")
        if kata.harness is not None:
            loaded.harness = _load_module(kata.harness, f"prep_harness_{kata.slug.replace('-', '_')}")
        for path in kata.check_files:
            module = _load_module(path, f"prep_checks_{kata.slug.replace('-', '_')}_{path.stem}")
            funcs = [(n, f) for n, f in vars(module).items()
                     if n.startswith("check_") and inspect.isfunction(f) and f.__module__ == module.__name__]
            funcs.sort(key=lambda nf: nf[1].__code__.co_firstlineno)
            loaded.checks += funcs
            if hasattr(module, "speed_case"):
                loaded.speed_case = module.speed_case
        return loaded


_LOADED: dict[Path, KataChecks] = {}


def kata_checks(kata: Kata) -> KataChecks:
    if kata.folder not in _LOADED:
        _LOADED[kata.folder] = KataChecks.load(kata)
    return _LOADED[kata.folder]


def precheck(path: Path) -> str:
    """Problems found without running the file: unreadable, not UTF-8, does not parse, forbidden imports."""
    try:
        data = read_submission(path, 1 << 20)  # sandbox hook: no symlink, at most 1 MiB + 1 read
    except SubmissionError as exc:
        return str(exc)
    try:
        source = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return f"the file is not UTF-8 text (byte {exc.start})"
    try:
        tree = ast.parse(source, filename=path.name)
    except SyntaxError as exc:
        return f"does not parse: line {exc.lineno}: {exc.msg}"
    except (ValueError, RecursionError, MemoryError) as exc:
        return f"does not parse: {exc}"
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        for name in names:
            if name.split(".")[0] in FORBIDDEN:
                return f"line {getattr(node, 'lineno', '?')}: imports '{name}'; katas are written with numpy only"
    return ""


def _check_params(func: Callable[..., None], sub: Impl, ref: Impl, rng: np.random.Generator) -> dict[str, Any]:
    available = {"sub": sub, "ref": ref, "rng": rng}
    return {p: available[p] for p in inspect.signature(func).parameters if p in available}


def _speed(loaded: KataChecks, sub: RemoteImpl, ref: LocalImpl, seed: int) -> float | None:
    if loaded.speed_case is None or sub.worker is None:
        return None
    args, kwargs = loaded.speed_case(np.random.default_rng(seed))
    best_sub = best_ref = float("inf")
    try:
        for _ in range(3):
            want = ref(*args, **kwargs)
            best_ref = min(best_ref, ref.seconds)
            got = sub(*args, **kwargs)
            best_sub = min(best_sub, sub.seconds)
            if not same_result(got, want):  # sandbox hook: a wrong answer earns no speed figure
                return None
    except WorkerError:
        return None
    return best_sub / max(best_ref, 1e-9)


def grade(kata: Kata, path: Path, *, seed: int | None = None, limits: Limits | None = None,
          hidden: Iterable[Path] = (), speed: bool = True, lang: str = "en") -> Verdict:
    """Grade one submission file against a kata. Never raises for anything the submission does."""
    start = time.perf_counter()
    seed = seed if seed is not None else int.from_bytes(os.urandom(4), "little")
    mode = isolation_mode()
    problem = precheck(path)
    if problem:
        return Verdict(str(path), kata.slug, False, (), time.perf_counter() - start, mode, error=problem,
                       seed=seed)
    hidden_dirs = tuple(hidden)
    budget = Budget((limits or Limits()).total_seconds)  # sandbox hook: one budget for all restarts
    sub = RemoteImpl(lambda: Worker(path, kata.function, kata.harness, limits or Limits(), hidden_dirs, budget),
                     kata.function)
    sub.prestart()  # the worker boots (interpreter, numpy) while the checks load here
    try:
        loaded = kata_checks(kata)
    except BaseException:
        sub.close()
        raise
    assert loaded.reference is not None
    ref = LocalImpl(loaded.reference, kata.function, loaded.harness)
    results: list[CheckResult] = []
    for index, (name, func) in enumerate(loaded.checks):
        rng = np.random.default_rng([seed, index])
        label = name.removeprefix("check_").replace("_", " ")
        try:
            func(**_check_params(func, sub, ref, rng))
        except CheckFailed as exc:
            results.append(CheckResult(label, False, str(exc)))
        except WorkerError as exc:
            results.append(CheckResult(label, False, str(exc)))
        except Exception as exc:  # noqa: BLE001 - a malformed result can trip a check; that fails the check
            results.append(CheckResult(label, False, f"the result could not be checked ({type(exc).__name__}: {exc})"))
        else:
            results.append(CheckResult(label, True))
    ratio = _speed(loaded, sub, ref, seed) if speed and all(r.passed for r in results) else None
    output = sub.close()
    passed = bool(results) and all(r.passed for r in results)
    return Verdict(str(path), kata.slug, passed, tuple(results), time.perf_counter() - start, mode,
                   speed_ratio=ratio, output=output, seed=seed)


def grade_many(jobs: list[tuple[Kata, Path]], *, workers: int | None = None, seed: int | None = None,
               limits: Limits | None = None, hidden: Iterable[Path] = (),
               on_done: Callable[[Verdict], None] | None = None, lang: str = "en") -> list[Verdict]:
    """Grade a batch in parallel on the machine's cores; the order of the result follows `jobs`."""
    hidden = tuple(hidden)
    for kata in {k.slug: k for k, _ in jobs}.values():
        kata_checks(kata)  # load once, before threads start

    def one(job: tuple[Kata, Path]) -> Verdict:
        verdict = grade(job[0], job[1], seed=seed, limits=limits, hidden=hidden, speed=False, lang=lang)
        if on_done is not None:
            on_done(verdict)
        return verdict

    with ThreadPoolExecutor(max_workers=workers or os.cpu_count() or 1) as pool:
        return list(pool.map(one, jobs))
