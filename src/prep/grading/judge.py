"""The judge: runs a kata's hidden checks against one submission and returns a Verdict.

Checks and the reference run here; the submission runs in a sandboxed worker and returns data only.
"""

from __future__ import annotations

import ast
import contextlib
import copy
import hashlib
import importlib.util
import io
import os
import re
import statistics
import sys
import time
import warnings
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np

from prep.grading import worker as wire
from prep.grading.checks import FLOAT32, FLOAT64
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
    speed_ratio: float | None = None  # median of learner time / reference time on a medium input (`_speed`)
    output: str = ""
    error: str = ""  # why nothing could be checked (does not parse, forbidden import ...)
    error_line: int | None = None  # the line of the submission the error points at, where known
    seed: int | None = None  # the grading seed: `--seed` with it reproduces every drawn case
    lang: str = "en"  # the language of the check names and messages

    @property
    def speed_band(self) -> str:
        """The speed as a coarse band (`speed_band`): what a learner is shown."""
        return speed_band(self.speed_ratio)


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
        self.last_call: tuple[str, str, list[Any], dict[str, Any]] | None = None
        self.last_value: Any = None
        self.last_raised = ""  # what the last call raised ("Type: message ..."), if it raised

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self.fn(self.function)(*args, **kwargs)

    def fn(self, name: str) -> Callable[..., Any]:
        return lambda *a, **k: self._call("function", name, list(a), k)

    def harness(self, name: str) -> Callable[..., Any]:
        return lambda *a, **k: self._call("harness", name, list(a), k)

    def _call(self, target: str, name: str, args: list[Any], kwargs: dict[str, Any]) -> Any:
        raise NotImplementedError


def roundtrip(value: Any) -> Any:
    """A value as the judge would receive it from a worker: encoded and decoded by the wire codec."""
    frame = wire.encode({"value": value})
    json_len, count = wire.HEADER.unpack_from(frame)
    offset = wire.HEADER.size + json_len
    header, blobs = frame[wire.HEADER.size:offset], []
    for _ in range(count):
        (size,) = wire.BLOB.unpack_from(frame, offset)
        offset += wire.BLOB.size
        blobs.append(frame[offset:offset + size])
        offset += size
    return wire.decode(header, blobs)["value"]


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


class TrustedImpl(LocalImpl):
    """A shipped file (reference, stub, known-wrong variant) run in the judge's process, for the self-check:
    trusted code needs no sandbox. Results cross the wire codec and exceptions become WorkerErrors, so the
    checks see exactly what they would see from a worker."""

    import_error = ""

    def _call(self, target: str, name: str, args: list[Any], kwargs: dict[str, Any]) -> Any:
        self.last_call, self.last_value, self.last_raised = (target, name, args, kwargs), None, ""
        if self.import_error:
            raise WorkerError(self.import_error, fatal=True)
        if target == "function" and not callable(getattr(self.module, name, None)):
            raise WorkerError(f"the submission defines no function named '{name}'")
        try:
            with np.errstate(all="ignore"), warnings.catch_warnings():
                warnings.simplefilter("ignore")
                value = super()._call(target, name, args, kwargs)
        except Exception as exc:  # noqa: BLE001 - the file's own error is the outcome, as from a worker
            self.last_raised = wire._describe(exc)
            raise WorkerError(self.last_raised) from None
        try:
            value = roundtrip(value)
        except wire.EncodeError as exc:
            raise WorkerError(f"returned {exc}") from None
        self.last_value = value
        return value

    def close(self) -> str:
        return ""


class RemoteImpl(Impl):
    """The learner's submission, run in a sandboxed worker; restarted if it dies."""

    def __init__(self, make_worker: Callable[[], Worker], function: str) -> None:
        super().__init__(function)
        self._make_worker = make_worker
        self.worker: Worker | None = None
        self.restarts = 0
        self._spawned: Worker | None = None
        self.import_error = ""

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
        if self.import_error:
            raise WorkerError(self.import_error, fatal=True)
        self.last_call, self.last_value, self.last_raised = (target, name, args, kwargs), None, ""
        try:
            worker = self._ensure()
        except WorkerError as exc:
            if str(exc).startswith("import failed"):
                self.import_error = str(exc)  # importing again would fail again: report it once
            raise
        start = time.perf_counter()
        try:
            value, _ = worker.call(target, name, args, kwargs)
        except WorkerError as exc:
            if exc.fatal:
                worker.close()
                self.worker = None
            else:  # the learner's function raised: remember what, so a known mistake can be matched
                self.last_raised = str(exc)
            raise
        self.seconds = time.perf_counter() - start
        self.last_value = value
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


_MODULES: dict[Path, ModuleType] = {}


def load_module(path: Path, prefix: str) -> ModuleType:
    """Trusted kata code (reference, harness, wrong variants), loaded once per judge process."""
    if path not in _MODULES:
        digest = hashlib.blake2b(str(path).encode(), digest_size=6).hexdigest()
        _MODULES[path] = _load_module(path, f"prep_{prefix}_{digest}")
    return _MODULES[path]


@dataclass(frozen=True)
class Variant:
    """A known-wrong implementation shipped in `wrong/`, and the mistake its docstring names."""

    path: Path
    mistake: dict[str, str]

    @classmethod
    def load(cls, path: Path) -> Variant:
        doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or path.stem.replace("_", " ")
        lines = [ln.strip() for ln in doc.splitlines() if ln.strip()]
        zh = next((ln for ln in lines[1:] if _CJK.search(ln)), "")
        return cls(path, {"en": lines[0], "zh": zh or lines[0]})


_CJK = re.compile(r"[\u4e00-\u9fff]")


def same_output(a: Any, b: Any) -> bool:
    """Whether two results agree as a check would see them (float64 tolerances, exact otherwise)."""
    if type(a) is np.ndarray or type(b) is np.ndarray:
        if type(a) is not np.ndarray or type(b) is not np.ndarray or a.shape != b.shape:
            return False
        if a.dtype.kind not in "biuf" or a.dtype != b.dtype:
            return False  # checks fail on dtype (float32 kept, int64 counts, bool masks): so does a match
        if a.dtype.kind == "f":
            tol = FLOAT32 if a.dtype == np.float32 else FLOAT64
            return bool(np.allclose(a.astype(np.float64), b.astype(np.float64), equal_nan=True, **tol))
        return bool(np.array_equal(a, b))
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(same_output(x, y) for x, y in zip(a, b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same_output(a[k], b[k]) for k in a)
    if isinstance(a, float) or isinstance(b, float):
        if isinstance(a, bool) or isinstance(b, bool) or not isinstance(a, (int, float)) \
                or not isinstance(b, (int, float)):
            return False
        return bool(np.isclose(a, b, equal_nan=True, **FLOAT64))
    return type(a) is type(b) and bool(a == b)


class KataSession:
    """One submission graded against one kata: the implementations the fixtures hand to the checks,
    the grading seed and language, and the outcome of every check as pytest reports it."""

    is_prep_kata_session = True
    is_judge = True  # reports are results only (a direct pytest run sets False and keeps pytest's)

    def __init__(self, kata: Kata, sub: RemoteImpl | TrustedImpl, ref: LocalImpl, *, seed: int, lang: str) -> None:
        self.kata, self.sub, self.ref, self.seed, self.lang = kata, sub, ref, seed, lang
        self.results: list[CheckResult] = []
        self.speed_cases: list[Callable[..., Any]] = []
        self._variants: list[Variant] | None = None

    @classmethod
    def open(cls, kata: Kata, path: Path, *, seed: int | None = None, lang: str = "en",
             limits: Limits | None = None, hidden: Iterable[Path] = (), trusted: bool = False) -> KataSession:
        from prep.grading.sandbox import hidden_dirs

        seed = seed if seed is not None else int.from_bytes(os.urandom(4), "little")
        harness = load_module(kata.harness, "harness") if kata.harness is not None else None
        ref = LocalImpl(load_module(kata.solution, "reference"), kata.function, harness)
        sub: RemoteImpl | TrustedImpl
        if trusted:
            try:
                module = load_module(path, "trusted")
            except Exception as exc:  # noqa: BLE001 - a file that fails on import is graded as such
                module = ModuleType("unloadable")
                failure = "import failed: " + wire._describe(exc)
            else:
                failure = ""
            sub = TrustedImpl(module, kata.function, harness)
            sub.import_error = failure
        else:
            dirs = tuple(hidden) or tuple(hidden_dirs([path.resolve().parent]))
            budget = Budget((limits or Limits()).total_seconds)  # one wall-time budget across calls and restarts
            sub = RemoteImpl(lambda: Worker(path, kata.function, kata.harness, limits or Limits(), dirs, budget),
                             kata.function)
            sub.prestart()  # the worker boots (interpreter, numpy) while pytest collects the checks
        return cls(kata, sub, ref, seed=seed, lang=lang)

    def close(self) -> str:
        """Stop the worker; returns the first part of what the submission printed."""
        return self.sub.close()

    def stop(self) -> None:
        self.sub.close()

    @property
    def variants(self) -> list[Variant]:
        if self._variants is None:
            self._variants = [Variant.load(p) for p in self.kata.wrong_variants]
        return self._variants

    def record(self, item: Any, call: Any, name: str) -> CheckResult:
        """Turn pytest's outcome of one check into a CheckResult, naming a known mistake on failure."""
        from prep.grading.plugin import failure_message

        seconds = float(getattr(call, "duration", 0.0))
        exc = call.excinfo.value if call.excinfo is not None else None
        if exc is None:
            result = CheckResult(name, True, seconds=seconds)
        elif isinstance(exc, pytest_skip_exception()):
            result = CheckResult(name, False, _SKIPPED[self.lang], seconds=seconds, error=True)
        elif isinstance(exc, WorkerError):
            # the learner's function raising is a failed check; a process that died or hung is an error
            mistake = self.name_mistake() if not exc.fatal and self.sub.last_raised else ""
            result = CheckResult(name, False, _localize(str(exc), self.lang, _WORKER_ZH), mistake=mistake,
                                 seconds=seconds, error=exc.fatal)
        else:
            mistake = self.name_mistake() if isinstance(exc, AssertionError) else ""
            result = CheckResult(name, False, failure_message(exc, self.lang), mistake=mistake, seconds=seconds)
        self.results.append(result)
        return result

    def name_mistake(self) -> str:
        """The known mistake whose output the learner's last output matches, on the case that failed."""
        if self.sub.last_call is None or not self.variants:
            return ""
        target, name, args, kwargs = self.sub.last_call
        learner, raised = self.sub.last_value, self.sub.last_raised
        if learner is None and not raised:
            return ""
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                expected = self.ref._call(target, name, args, kwargs)
            except Exception:  # noqa: BLE001 - a case the reference refuses names no mistake
                return ""
            if not raised and same_output(learner, expected):
                return ""  # this call was right; the check failed on something else
            for variant in self.variants:
                impl = LocalImpl(load_module(variant.path, "variant"), self.kata.function, self.ref.harness_module)
                try:
                    out = impl._call(target, name, args, kwargs)
                except Exception as exc:  # noqa: BLE001 - a variant that raises matches a learner who raised alike
                    said = f"{type(exc).__name__}: {(str(exc).splitlines() or [''])[0][:60]}"
                    if raised and raised.startswith(said):
                        return variant.mistake.get(self.lang) or variant.mistake["en"]
                    continue
                if not raised and not same_output(out, expected) and same_output(out, learner):
                    return variant.mistake.get(self.lang) or variant.mistake["en"]
        return ""


_SKIPPED = {"en": "not run (skipped)", "zh": "未运行（跳过）"}


def pytest_skip_exception() -> type[BaseException]:
    import pytest

    return pytest.skip.Exception


_WORKER_ZH = [
    (re.compile(r"^timed out (.*) \(limit (.*)\)$"), "超时：{0}（上限 {1}）"),
    (re.compile(r"^import failed: (.*)$"), "导入失败：{0}"),
    (re.compile(r"^the process died (.*?): (.*)$"), "进程终止 {0}：{1}"),
    (re.compile(r"^the process exited (.*)$"), "进程退出 {0}"),
    (re.compile(r"^not run: the submission's process kept dying$"), "未运行：提交的进程反复崩溃"),
    (re.compile(r"^returned (.*)$"), "返回值无法传回：{0}"),
    (re.compile(r"^the submission defines no function named '(.*)'$"), "提交中没有名为 '{0}' 的函数"),
]


def _localize(message: str, lang: str, table: list[tuple[re.Pattern[str], str]]) -> str:
    """A judge's fixed message in the learner's language, where a pattern of `table` knows it."""
    if lang != "zh":
        return message
    for pattern, zh in table:
        found = pattern.match(message)
        if found:
            return zh.format(*found.groups())
    return message


JUDGE_INI = Path(__file__).with_name("judge.ini")


def pytest_args(kata: Kata) -> list[str]:
    """Exactly the plugins and files the judge names: nothing from the submission's folder, the
    working directory or the environment (no conftest, no ini file, no auto-loaded plugin)."""
    return [str(kata.checks_dir), "-c", str(JUDGE_INI), "--rootdir", str(kata.folder.parent),
            "--noconftest", "--disable-plugin-autoload", "--import-mode=importlib", "--assert=plain",
            "-p", "prep.grading.plugin", "-p", "no:cacheprovider", "-p", "no:terminal", "-p", "no:doctest",
            "-p", "no:pastebin", "-p", "no:nose", "-p", "no:legacypath", "-p", "no:junitxml",
            "-p", "no:faulthandler", "-p", "no:stepwise", "-p", "no:warnings", "-p", "no:unraisableexception",
            "-p", "no:threadexception", "-p", "no:logging", "-p", "no:capture"]


def run_checks(session: KataSession) -> None:
    """Run the kata's pytest checks in this process against the session's implementations."""
    import pytest

    quiet = io.StringIO()  # pytest writes its own reports; the judge's reports are its results
    with contextlib.redirect_stdout(quiet), contextlib.redirect_stderr(quiet):
        code = pytest.main(pytest_args(session.kata), plugins=[session])
    if not session.results and code not in (pytest.ExitCode.OK, pytest.ExitCode.TESTS_FAILED):
        raise RuntimeError(f"{session.kata.slug}: the checks could not be collected (pytest exit {int(code)})")


def precheck(path: Path) -> str:
    """Problems found without running the file: unreadable, not UTF-8, does not parse, forbidden imports."""
    try:
        data = read_submission(path, 1 << 20)  # no symlink followed, at most 1 MiB + 1 byte read
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


_PRECHECK_ZH = [
    (re.compile(r"^cannot read the file: (.*)$"), "无法读取文件：{0}"),
    (re.compile(r"^the file is larger than (.*)$"), "文件超过 {0}"),
    (re.compile(r"^(.*) is a symbolic link; submit the file itself$"), "{0} 是符号链接；请提交文件本身"),
    (re.compile(r"^(.*) is not a regular file$"), "{0} 不是普通文件"),
    (re.compile(r"^the file is not UTF-8 text \(byte (\d+)\)$"), "文件不是 UTF-8 文本（第 {0} 字节）"),
    (re.compile(r"^does not parse: line (\d+): (.*)$"), "无法解析：第 {0} 行：{1}"),
    (re.compile(r"^does not parse: (.*)$"), "无法解析：{0}"),
    (re.compile(r"^line (.*): imports '(.*)'; katas are written with numpy only$"),
     "第 {0} 行导入了 '{1}'；kata 只能用 numpy 来写"),
]


SPEED_BUDGET = 0.05  # seconds of timing after the checks pass, beyond the first 3 pairs (the figure is a coarse band)
SPEED_RUNS = (3, 9)  # fewest pairs for a figure, most pairs timed
FAR_SLOWER = 10.0


def _speed(session: KataSession) -> float | None:
    """The median, over repeated runs on one medium input, of the learner's time over the reference's.

    The two run in turns (which goes first alternates), so a machine that slows down slows both; the
    learner's time is the one its worker measures around the call (the pipe's cost is not the
    learner's), never more than the round trip the judge sees (a submission that fakes its clock fools
    only this figure, which grades nothing). At least 3 pairs (fewer only when every one was over 10x
    slower), more while they fit in SPEED_BUDGET. None when the answer on that input is wrong or the
    worker fails."""
    sub, ref, name = session.sub, session.ref, session.kata.function
    if not session.speed_cases or not isinstance(sub, RemoteImpl) or sub.worker is None:
        return None
    args, kwargs = session.speed_cases[0](np.random.default_rng(session.seed))
    worker = sub.worker

    def run_sub(first: bool) -> float:
        """The first run sends the input and checks the answer; later runs repeat it in the worker
        (the same frozen input, nothing sent back): 3 MB fewer through the pipe per run for conv2d."""
        start = time.perf_counter()
        if not first:
            inner = worker.again()
        else:
            got, inner = worker.call("function", name, list(args), dict(kwargs))
            if not same_result(got, want):  # a wrong answer on the speed input earns no figure
                raise ValueError
        wall = time.perf_counter() - start
        return min(max(inner, 0.0), wall) if inner > 0 else wall

    ratios: list[float] = []
    start = time.perf_counter()
    try:  # both sides are warm: the checks have just called them on inputs of every kind
        want = ref(*args, **kwargs)
        while len(ratios) < SPEED_RUNS[1]:
            if len(ratios) % 2:
                mine = run_sub(False)
                ref(*args, **kwargs)
            elif ratios:
                ref(*args, **kwargs)
                mine = run_sub(False)
            else:
                mine = run_sub(True)  # the first pair's reference run is the one that gave `want`
            ratios.append(mine / max(ref.seconds, 1e-9))
            elapsed = time.perf_counter() - start
            if elapsed > SPEED_BUDGET and (len(ratios) >= SPEED_RUNS[0] or min(ratios) >= FAR_SLOWER):
                break
    except WorkerError as exc:
        if exc.fatal:
            worker.close()
            sub.worker = None
        return None
    except ValueError:
        return None
    return float(statistics.median(ratios))  # np.median would import numpy.ma (6 ms)


def speed_band(ratio: float | None) -> str:
    """A coarse band a learner can trust, since the figure itself swings with the machine's load:
    same (under 2x), 2-3x, 3-10x, far (10x or more), or '' without a figure. There is no "faster": on a
    busy machine the reference, timed in the judge with its BLAS threads, measures up to 4x slower than
    the same code in the single-threaded worker, so a ratio under 1 says nothing."""
    if ratio is None:
        return ""
    if ratio < 2:
        return "same"
    if ratio < 3:
        return "2-3x"
    return "3-10x" if ratio < FAR_SLOWER else "far"


def grade(kata: Kata, path: Path, *, seed: int | None = None, limits: Limits | None = None,
          hidden: Iterable[Path] = (), speed: bool = True, lang: str = "en", trusted: bool = False) -> Verdict:
    """Grade one submission file against a kata. Never raises for anything the submission does.

    `trusted` runs the file in this process instead of a sandboxed worker: only for the kata's own
    shipped files (the self-check), never for anything a person submitted."""
    start = time.perf_counter()
    seed = seed if seed is not None else int.from_bytes(os.urandom(4), "little")
    mode = isolation_mode()
    problem = precheck(path)
    if problem:
        line = re.match(r"(?:does not parse: )?line (\d+)", problem)
        return Verdict(str(path), kata.slug, False, (), time.perf_counter() - start, mode,
                       error=_localize(problem, lang, _PRECHECK_ZH), error_line=int(line.group(1)) if line else None,
                       seed=seed, lang=lang)
    session = KataSession.open(kata, path, seed=seed, lang=lang, limits=limits, hidden=hidden, trusted=trusted)
    try:
        run_checks(session)
        passed = bool(session.results) and all(r.passed for r in session.results)
        ratio = _speed(session) if speed and passed else None
    finally:
        output = session.close()
    error, line_no = "", None
    if session.sub.import_error:
        from prep.grading.plugin import import_error_line

        error = _localize(session.sub.import_error, lang, _WORKER_ZH)
        line_no = import_error_line(session.sub.import_error)
    return Verdict(str(path), kata.slug, passed, tuple(session.results), time.perf_counter() - start, mode,
                   speed_ratio=ratio, output=output, error=error, error_line=line_no, seed=seed, lang=lang)


def _grade_one(job: tuple[Kata, Path], seed: int | None, limits: Limits | None, hidden: tuple[Path, ...],
               lang: str, trusted: bool = False) -> Verdict:
    return grade(job[0], job[1], seed=seed, limits=limits, hidden=hidden, speed=False, lang=lang, trusted=trusted)


def grade_many(jobs: list[tuple[Kata, Path]], *, workers: int | None = None, seed: int | None = None,
               limits: Limits | None = None, hidden: Iterable[Path] = (),
               on_done: Callable[[Verdict], None] | None = None, lang: str = "en",
               trusted: bool = False) -> list[Verdict]:
    """Grade a batch in parallel on the machine's cores; the order of the result follows `jobs`.

    pytest sessions are not thread-safe, so each core gets a judge process of its own, which grades
    its share one submission after another (each submission still gets a fresh worker)."""
    from prep import startup

    startup.resume()  # a batch runs for minutes; forked judges inherit the frozen heap
    hidden = tuple(hidden)
    count = min(workers or os.cpu_count() or 1, len(jobs))
    if count <= 1:
        out = []
        for job in jobs:
            out.append(_grade_one(job, seed, limits, hidden, lang, trusted))
            if on_done is not None:
                on_done(out[-1])
        return out
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, as_completed
    from concurrent.futures.process import BrokenProcessPool

    results: dict[int, Verdict] = {}
    # fork where the OS has it: the judges start with the checks' libraries already imported and this
    # process's current environment (a forkserver would keep the environment of its first batch)
    context = multiprocessing.get_context("fork" if sys.platform == "linux" else "spawn")
    with ProcessPoolExecutor(max_workers=count, mp_context=context) as pool:
        futures = {pool.submit(_grade_one, job, seed, limits, hidden, lang, trusted): i
                   for i, job in enumerate(jobs)}
        for future in as_completed(futures):
            index = futures[future]
            try:
                verdict = future.result()
            except (BrokenProcessPool, OSError, RuntimeError) as exc:
                # a judge process that died (killed, out of memory) must not lose the class's report:
                # grade this submission again here, and record the failure if that fails too
                verdict = _regrade_here(jobs[index], seed, limits, hidden, lang, exc)
            results[index] = verdict
            if on_done is not None:
                on_done(verdict)
    return [results[i] for i in range(len(jobs))]


def _regrade_here(job: tuple[Kata, Path], seed: int | None, limits: Limits | None, hidden: tuple[Path, ...],
                  lang: str, first: BaseException) -> Verdict:
    try:
        return _grade_one(job, seed, limits, hidden, lang)
    except (OSError, RuntimeError) as exc:
        message = f"the judge could not grade this file ({type(first).__name__}, then {type(exc).__name__}: {exc})"
        return Verdict(str(job[1]), job[0].slug, False, (), 0.0, isolation_mode(), error=message, seed=seed,
                       lang=lang)
