"""The sandbox: one test per hostile kind, both isolation modes, the refusal, an unprivileged judge,
and nothing left behind (processes, folders, cgroups) whatever happens to the judge."""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from prep.grading import sandbox
from prep.grading.judge import Verdict, grade, grade_many, precheck
from prep.grading.sandbox import FOLDER_PREFIX, IsolationError, Limits, isolation_mode, require_isolation
from prep.katas import catalogue

from .conftest import DATA, ROOT

SUBS = DATA / "submissions"
CONV = catalogue()["conv2d"]
LIM = Limits(cpu_seconds=20, call_seconds=3.0, memory_bytes=1 << 30, total_seconds=40)
BWRAP = isolation_mode() == "bwrap"
ROOT_JUDGE = os.geteuid() == 0
needs_bwrap = pytest.mark.skipif(not BWRAP, reason="bubblewrap cannot build its sandbox here")
BOUND = 120.0  # seconds: a generous bound on any one verdict, whatever the submission does
SECRET = "PREP-TEST-SECRET"

# file -> a phrase its verdict must contain under full isolation (each file would pass, or say what
# it reached, if the sandbox had the hole it probes)
SANDBOXED = {
    "searches_disk_for_solutions.py": "no solution on disk",
    "talks_to_host_sockets.py": "no host socket reachable",
    "writes_host_kernel.py": "nothing of the host is writable",
    "writes_outside_its_folders.py": "no folder outside /tmp and its own is writable",
    "reads_host_secrets.py": "no secret readable",
    "imports_outside_numpy.py": "only numpy importable",
    "creates_user_namespace.py": "cannot create a user namespace",
    "sends_deep_reply.py": "not valid data",
    "sends_wide_reply.py": "not valid data",
    "bad_hello.py": "not valid data",
    "fork_bomb.py": "started",
    "fills_tmp_with_files.py": "created",
    "holds_memory_in_children.py": "",
}
# the subset that is safe to run without a sandbox, and what weak isolation still guarantees
WEAK = {
    "sends_deep_reply.py": "not valid data",
    "sends_wide_reply.py": "not valid data",
    "bad_hello.py": "not valid data",
    "forks_and_escapes.py": "timed out",
}


def _text(v: Verdict) -> str:
    return " | ".join([v.error, *(c.message for c in v.checks)])


def _cmdlines() -> dict[int, str]:
    out = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                out[int(entry)] = Path(f"/proc/{entry}/cmdline").read_bytes().replace(b"\0", b" ").decode(
                    "utf-8", "replace")
            except OSError:
                continue
    return out


def _leftovers(judge: int | None = None, marker: str = "") -> list[str]:
    """Processes and folders a judge (this process by default) left: its workers' folders, processes
    still running from them or carrying `marker` in their command line, and its cgroups."""
    judge = judge or os.getpid()
    tag = f"{FOLDER_PREFIX}{judge}-"
    found = [str(p) for p in Path("/tmp").glob(f"{tag}*")]
    found += [f"{pid}: {cmd[:80]}" for pid, cmd in _cmdlines().items()
              if tag in cmd or (marker and marker in cmd)]
    if judge == os.getpid():
        found += [f"{pid}: {cmd[:80]}" for pid, cmd in _cmdlines().items()
                  if pid in sandbox._descendants(judge) and ("worker.py" in cmd or "bwrap" in cmd)]
    for base, _ in sandbox._cgroup_bases():
        found += [str(d) for d in base.glob(f"{tag}*")]
    return found


@pytest.fixture
def weak(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("PREP_ISOLATION", "weak")
    sandbox._probe.cache_clear()
    yield
    monkeypatch.delenv("PREP_ISOLATION")
    sandbox._probe.cache_clear()


@pytest.fixture(scope="module")
def bait(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, object]]:
    """What a submission could abuse if it could reach it: solutions in folders with spaces, a secret
    file and variable, a Unix socket (file and abstract) and a TCP port listening on the host."""
    tmp = tmp_path_factory.mktemp("bait")
    for folder in ("My Projects", "course solutions"):
        (tmp / folder).mkdir()
        shutil.copyfile(CONV.solution, tmp / folder / "conv2d.py")
    (tmp / "secret.txt").write_text(SECRET)
    servers = []
    unix = socket.socket(socket.AF_UNIX)
    unix.bind(str(tmp / "host.sock"))
    abstract = socket.socket(socket.AF_UNIX)
    abstract.bind(f"\0prep-test-{os.getpid()}")
    tcp = socket.socket()
    tcp.bind(("127.0.0.1", 0))
    for s in (unix, abstract, tcp):
        s.listen(8)
        s.setblocking(False)
        servers.append(s)
    os.environ["PREP_TEST_SECRET"] = SECRET
    try:
        yield {"dir": tmp, "servers": servers}
    finally:
        del os.environ["PREP_TEST_SECRET"]
        for s in servers:
            s.close()


@pytest.fixture(scope="module")
def batch(bait: dict[str, object]) -> dict[str, Verdict]:
    if not BWRAP:
        pytest.skip("bubblewrap cannot build its sandbox here")
    folder = Path(str(bait["dir"]))
    classmate = folder / "classmate.py"
    shutil.copyfile(CONV.solution, classmate)
    files = [classmate, *(SUBS / n for n in SANDBOXED), classmate]
    verdicts = grade_many([(CONV, f) for f in files], limits=LIM, seed=11)
    assert verdicts[0].passed and verdicts[-1].passed, _text(verdicts[0]) + _text(verdicts[-1])
    return {Path(v.path).name: v for v in verdicts[1:-1]}


@needs_bwrap
@pytest.mark.parametrize("name", sorted(SANDBOXED))
def test_hostile_submission_is_contained(batch: dict[str, Verdict], name: str) -> None:
    verdict = batch[name]
    assert not verdict.passed
    assert verdict.seconds < BOUND
    assert SANDBOXED[name] in _text(verdict), _text(verdict)
    assert SECRET not in _text(verdict) and "root:" not in _text(verdict)


@needs_bwrap
def test_limits_hold_across_processes(batch: dict[str, Verdict]) -> None:
    """Process count, inodes and memory are budgets for all of a submission's processes together."""
    started = int(re.findall(r"started (\d+) processes", _text(batch["fork_bomb.py"]))[0])
    assert started < LIM.processes
    if ROOT_JUDGE:  # bubblewrap alone cannot cap a tmpfs's inodes, nor create cgroups
        created = int(re.findall(r"created (\d+) files", _text(batch["fills_tmp_with_files.py"]))[0])
        assert created <= 2 * LIM.tmp_files
        held = re.findall(r"held (\d+) x 256 MiB", _text(batch["holds_memory_in_children.py"]))
        assert not held or int(held[0]) * (256 << 20) <= LIM.memory_bytes, _text(batch["holds_memory_in_children.py"])


@needs_bwrap
def test_nothing_outside_changed_and_nothing_left(batch: dict[str, Verdict], bait: dict[str, object]) -> None:
    for server in bait["servers"]:  # type: ignore[attr-defined]
        with pytest.raises(BlockingIOError):
            server.accept()
    tree = sorted(p.name for p in Path(str(bait["dir"])).rglob("*"))
    assert ".prep-hostile" not in tree
    assert _leftovers() == []


def _marked_copy(name: str, folder: Path) -> tuple[Path, str]:
    """A copy of a fixture whose escaped processes carry a marker no other run's processes have
    (other checkouts may be grading the same fixtures on this machine)."""
    marker = f"4242.{os.getpid()}{time.monotonic_ns() % 100_000}"
    copy = folder / name
    copy.write_text((SUBS / name).read_text().replace("4242.5", marker))
    return copy, f"sleep {marker}"


def test_weak_isolation_still_contains_the_worker(weak: None, tmp_path: Path) -> None:
    assert isolation_mode() == "weak"
    escaper, marker = _marked_copy("forks_and_escapes.py", tmp_path)
    files = [CONV.solution, *(escaper if n == escaper.name else SUBS / n for n in WEAK)]
    verdicts = grade_many([(CONV, f) for f in files], limits=Limits(call_seconds=2.0, total_seconds=20), seed=5)
    assert verdicts[0].passed and verdicts[0].isolation == "weak"
    for name, verdict in zip(WEAK, verdicts[1:], strict=True):
        assert not verdict.passed and verdict.seconds < BOUND
        assert WEAK[name] in _text(verdict), (name, _text(verdict))
    assert _leftovers(marker=marker) == []


def test_refusal_without_full_isolation(weak: None) -> None:
    with pytest.raises(IsolationError) as info:
        require_isolation(allow_weak=False)
    message = str(info.value)
    assert "\n" not in message and "install bubblewrap" in message and "--isolation weak" in message
    assert info.value.exit_code == 2
    assert require_isolation(allow_weak=True) == "weak"


@needs_bwrap
def test_full_isolation_needs_no_flag() -> None:
    assert require_isolation(allow_weak=False) == "bwrap"


@pytest.mark.parametrize("mode", ["full", "weak"])
def test_symlink_to_the_reference_is_refused(tmp_path: Path, mode: str, monkeypatch: pytest.MonkeyPatch) -> None:
    if mode == "weak":
        monkeypatch.setenv("PREP_ISOLATION", "weak")
    sandbox._probe.cache_clear()
    link = tmp_path / "conv2d.py"
    link.symlink_to(CONV.solution)
    v = grade(CONV, link, limits=LIM)
    sandbox._probe.cache_clear()
    assert not v.passed and "symbolic link" in v.error


def test_huge_sparse_submission_is_not_read(tmp_path: Path) -> None:
    big = tmp_path / "big.py"
    with open(big, "wb") as fh:
        fh.truncate(3 << 30)
    start = time.monotonic()
    assert "larger than 1 MiB" in precheck(big)
    assert time.monotonic() - start < 10
    fifo = tmp_path / "fifo.py"
    os.mkfifo(fifo)
    assert "not a regular file" in precheck(fifo)


def test_speed_figure_only_for_a_checked_output() -> None:
    v = grade(CONV, SUBS / "wrong_on_speed_input.py", limits=LIM, seed=2)
    assert v.speed_ratio is None


def test_a_timed_rerun_repeats_only_the_last_call() -> None:
    """The speed probe's later runs: the worker repeats its last call and sends back a time, nothing
    else; with no call before it, it refuses."""
    worker = sandbox.Worker(CONV.solution, CONV.function, CONV.harness, LIM, (), None)
    worker.spawn()
    try:
        worker.wait_ready()
        with pytest.raises(sandbox.WorkerError, match="nothing to run again"):
            worker.again()
        import numpy as np

        x, w = np.ones((1, 1, 4, 4)), np.ones((1, 1, 3, 3))
        value, _ = worker.call("function", CONV.function, [x, w, None], {})
        assert value.shape == (1, 1, 2, 2)
        assert 0 < worker.again() < 5
    finally:
        worker.close()


def test_time_budget_per_submission() -> None:
    """Every call stays under the per-call limit; the budget for the whole submission ends it."""
    lim = Limits(cpu_seconds=20, call_seconds=2.5, total_seconds=5.0)
    v = grade(CONV, SUBS / "sleeps_each_call.py", limits=lim, seed=1)
    assert not v.passed and "time budget" in _text(v)
    assert v.seconds < 30


@needs_bwrap
def test_keyring_is_not_shared_between_submissions() -> None:
    writer = grade(CONV, SUBS / "keyring_writer.py", limits=LIM, seed=1)
    assert "stored a key in 2 keyrings" in _text(writer), _text(writer)
    reader = grade(CONV, SUBS / "keyring_reader.py", limits=LIM, seed=1)
    assert "no key from another submission" in _text(reader), _text(reader)


def test_reply_decoder_fails_cleanly() -> None:
    from prep.grading import worker as wire

    for header in (b"[" * 100_000, b'{"ok": ' + b"[" * 500 + b"]" * 500 + b"}", b"\xff", b"[]," * 300_000,
                   b'{"value": {"__nd__": 7}}'):
        with pytest.raises(wire.EncodeError):
            wire.decode_reply(header, [])
    with pytest.raises(wire.EncodeError):
        wire.decode_reply(b'{"value": {"__nd__": 0}}', [b"\x93NUMPY garbage"])


_JUDGE = """
import sys, time
from pathlib import Path
from prep.grading.judge import grade
from prep.grading.sandbox import Limits
from prep.katas import catalogue
print("ready", flush=True)
grade(catalogue()["conv2d"], Path(sys.argv[1]), limits=Limits(call_seconds=60, total_seconds=120))
"""


def _start_judge(submission: Path = SUBS / "hangs.py", env: dict[str, str] | None = None,
                 ) -> tuple[subprocess.Popen[str], list[int]]:
    """A judge grading a submission that hangs; returns once its worker runs, with all the processes
    below the judge."""
    judge = subprocess.Popen([sys.executable, "-c", _JUDGE, str(submission)], stdout=subprocess.PIPE,
                             text=True, env={**os.environ, **(env or {})})
    deadline = time.monotonic() + 60
    workers: list[int] = []
    while time.monotonic() < deadline:
        workers = [p for p in sandbox._descendants(judge.pid)
                   if "worker.py" in _cmdlines().get(p, "")]
        if workers and list(Path("/tmp").glob(f"{FOLDER_PREFIX}{judge.pid}-*")):
            break
        time.sleep(0.1)
    assert workers, "the judge never started its worker"
    time.sleep(0.5)  # let the worker get into the hanging call
    return judge, sandbox._descendants(judge.pid)


def _gone(pids: list[int], seconds: float = 15) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        alive = [p for p in pids if _cmdlines().get(p)]  # a zombie's command line is empty
        if not alive:
            return True
        time.sleep(0.1)
    return False


@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT])
def test_stopping_the_judge_stops_its_workers(sig: signal.Signals) -> None:
    judge, workers = _start_judge()
    judge.send_signal(sig)
    judge.wait(timeout=30)
    assert _gone(workers)
    assert _leftovers(judge.pid) == []


@pytest.mark.slow
def test_killed_judge_leaves_nothing_after_a_sweep() -> None:
    judge, workers = _start_judge()
    judge.kill()
    judge.wait(timeout=30)
    assert _gone(workers), "the parent-death signal did not stop the worker chain"
    assert sandbox.sweep_now() >= 1
    assert _leftovers(judge.pid) == []


@pytest.mark.slow
def test_killed_weak_judge_leaves_no_escaped_process(tmp_path: Path) -> None:
    """Weak isolation: the launcher gets SIGTERM when the judge dies and kills what it subreaped."""
    if not shutil.which("setpriv"):
        pytest.skip("setpriv (util-linux) sets the parent-death signal")
    escaper, marker = _marked_copy("forks_and_escapes.py", tmp_path)
    judge, _ = _start_judge(escaper, env={"PREP_ISOLATION": "weak"})
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not any(marker in c for c in _cmdlines().values()):
        time.sleep(0.1)
    assert any(marker in c for c in _cmdlines().values()), "the submission never escaped"
    judge.kill()
    judge.wait(timeout=30)

    def processes() -> list[str]:  # the killed judge's folder stays until a sweep
        return [x for x in _leftovers(judge.pid, marker) if not x.startswith("/")]

    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and processes():
        time.sleep(0.1)
    assert processes() == [], [Path(f"/proc/{p.split(':')[0]}/stat").read_text()[:80] for p in processes()[:3]]
    sandbox.sweep_now()
    assert _leftovers(judge.pid, marker) == []


@pytest.mark.slow
@pytest.mark.skipif(not (BWRAP and ROOT_JUDGE and shutil.which("setpriv") and shutil.which("unshare")),
                    reason="needs root (to become an unprivileged user) and bubblewrap")
def test_unprivileged_judge_gets_full_isolation() -> None:
    """The judge as uid 65534 (a GitHub-hosted runner's situation): bubblewrap runs unprivileged.
    Folders under /root (a pyenv interpreter, a venv in ~/.cache) are re-published in a private mount
    namespace, so that user runs the same interpreter and venv without copying them."""
    needed = {Path(sys.prefix).resolve(), Path(sys.base_prefix).resolve(), ROOT}
    publish = [str(p) for p in needed if p.is_relative_to("/root")]
    if any(not all(q.stat().st_mode & 0o001 for q in p.parents) for p in needed if str(p) not in publish):
        pytest.skip("the interpreter or checkout lies in a folder uid 65534 cannot search")
    work = Path(tempfile.mkdtemp(prefix="prep-test-unpriv-"))
    try:
        (work / "home").mkdir()
        (work / "stage").mkdir()
        work.chmod(0o755)
        (work / "home").chmod(0o777)
        script = ('set -e; for p; do mkdir -p "$STAGE$p"; mount --bind "$p" "$STAGE$p"; done; '
                  "mount -t tmpfs -o mode=755 tmpfs /root; "
                  'for p; do mkdir -p "$p"; mount --bind "$STAGE$p" "$p"; done; '
                  'exec setpriv --reuid=65534 --regid=65534 --clear-groups -- "$PY" -c "$CODE"')
        code = ("from pathlib import Path; from prep.grading.judge import grade; "
                "from prep.grading.sandbox import isolation_mode; from prep.katas import catalogue; "
                "import os; k = catalogue()['conv2d']; print(isolation_mode(), os.getuid()); "
                "print(grade(k, k.solution, seed=1).passed); "
                f"v = grade(k, Path({str(SUBS / 'searches_disk_for_solutions.py')!r}), seed=1); "
                "print(v.passed, v.error, [c.message for c in v.checks][:1]); "
                f"v = grade(k, Path({str(SUBS / 'fork_bomb.py')!r}), seed=1); "
                "print(v.passed, [c.message for c in v.checks][:1])")
        env = {"PATH": "/usr/bin:/bin:/usr/sbin:/sbin", "PY": sys.executable, "CODE": code,
               "STAGE": str(work / "stage"), "PREP_HOME": str(work / "home"),
               "PREP_WORKSPACE": str(work / "home" / "ws"), "HOME": str(work / "home")}
        out = subprocess.run(["unshare", "--mount", "--propagation", "private", "--", "sh", "-c", script, "sh",
                              *publish], capture_output=True, text=True, env=env, timeout=BOUND, check=False)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    lines = out.stdout.splitlines()
    assert lines[:2] == ["bwrap 65534", "True"], out.stdout + out.stderr[-2000:]
    assert lines[2].startswith("False") and "no solution on disk" in lines[2], lines[2]
    started = re.findall(r"started (\d+) processes", lines[3])
    assert started and int(started[0]) < Limits().processes, lines[3]


@needs_bwrap
def test_probe_is_remembered_and_forgotten(monkeypatch: pytest.MonkeyPatch) -> None:
    sandbox._probe.cache_clear()
    assert isolation_mode() == "bwrap"  # probed, then remembered in PREP_HOME
    sandbox._probe.cache_clear()

    def no_probe() -> tuple[str, str]:
        raise AssertionError("probed again")

    monkeypatch.setattr(sandbox, "_run_probe", no_probe)
    assert isolation_mode() == "bwrap"
    sandbox.forget_probe()
    with pytest.raises(AssertionError, match="probed again"):
        isolation_mode()
    monkeypatch.undo()
    sandbox._probe.cache_clear()
