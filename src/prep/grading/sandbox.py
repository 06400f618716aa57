"""Starts the worker that runs a submission, with limits, and talks to it with deadlines.

Where the OS allows (root and a working `unshare`), the worker lives in its own PID, mount,
network, IPC and UTS namespaces: the filesystem is read-only, fresh size-capped tmpfs cover the
temporary folders and every folder the judge names as hidden, and all capabilities are dropped.
Elsewhere it is a plain subprocess in a new session with rlimits, and the report says so.
"""

from __future__ import annotations

import functools
import os
import select
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from prep.grading import worker as wire

WORKER_SOURCE = Path(wire.__file__)
OUTPUT_CAP = 1 << 20  # bytes of stdout/stderr a submission may write
RESPONSE_CAP = 64 << 20


@dataclass(frozen=True)
class Limits:
    cpu_seconds: int = 60
    memory_bytes: int = 2 << 30
    file_bytes: int = 8 << 20
    processes: int = 16
    call_seconds: float = 10.0
    start_seconds: float = 20.0


class WorkerError(Exception):
    """The submission failed at the boundary: it raised, died, hung or answered garbage."""

    def __init__(self, message: str, *, fatal: bool = False) -> None:
        super().__init__(message)
        self.fatal = fatal  # the worker is gone and must be restarted


@functools.cache
def isolation_mode() -> str:
    """'namespaces' when unshare works here, else 'limits-only'."""
    if os.environ.get("PREP_ISOLATION") == "limits-only" or sys.platform != "linux":
        return "limits-only"
    if os.geteuid() != 0 or not all(shutil.which(t) for t in ("unshare", "setpriv", "prlimit", "mount")):
        return "limits-only"
    probe = ["unshare", "--pid", "--fork", "--kill-child", "--mount", "--net", "--ipc", "--uts",
             "--mount-proc", "--", "sh", "-c", "mount -t tmpfs -o size=1k tmpfs /mnt && echo ok"]
    try:
        out = subprocess.run(probe, capture_output=True, text=True, timeout=10, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return "limits-only"
    return "namespaces" if out.stdout.strip() == "ok" else "limits-only"


def hidden_dirs(extra: list[Path]) -> list[Path]:
    """Folders the worker must not see: checks and references (wherever a copy of the package lies
    on sys.path), progress, workspaces and the batch's own files. Never the interpreter's folders."""
    from prep.paths import data_root, home, package_dir, workspace

    dirs = [data_root() / "katas", package_dir(), home(), workspace(), *extra, data_root() / "bank"]
    dirs += [Path(p) / "prep" for p in sys.path if p and (Path(p) / "prep").is_dir()]
    interpreter = [Path(sys.prefix).resolve(), Path(sys.base_prefix).resolve(), Path(sys.executable).resolve()]
    seen: dict[Path, None] = {}
    for d in dirs:
        if d.is_dir() and not any(p.is_relative_to(d.resolve()) for p in interpreter):
            seen[d.resolve()] = None
    return list(seen)


_BOX_SCRIPT = r"""
set -e
src="$1"; shift
hide="$1"; shift
keep="$1"; shift
for mp in $(awk '{print $5}' /proc/self/mountinfo | sort -u); do
  case "$mp" in /proc|/proc/*|/sys|/sys/*|/dev|/dev/*) continue;; esac
  mount -o remount,bind,ro "$mp" 2>/dev/null || true
done
mount -t tmpfs -o size=64m,mode=1777 tmpfs /dev/shm
mkdir /dev/shm/box
cp "$src"/worker.py "$src"/submission.py /dev/shm/box/
if [ -f "$src"/harness.py ]; then cp "$src"/harness.py /dev/shm/box/; fi
chmod 755 /dev/shm/box
for d in $hide; do
  if [ -d "$d" ]; then mount -t tmpfs -o size=4k,ro tmpfs "$d"; fi
done
for d in /tmp /var/tmp; do
  case " $keep " in *" $d "*) continue;; esac
  mount -t tmpfs -o size=64m,mode=1777 tmpfs "$d"
done
cd /dev/shm/box
exec "$@"
"""


@dataclass
class Worker:
    """One running worker process serving one submission."""

    submission: Path
    function: str
    harness: Path | None = None
    limits: Limits = field(default_factory=Limits)
    hidden: tuple[Path, ...] = ()
    _proc: subprocess.Popen[bytes] | None = None
    _to_worker: int = -1
    _from_worker: int = -1
    _tmp: tempfile.TemporaryDirectory[str] | None = None
    mode: str = ""

    def start(self) -> None:
        self.spawn()
        self.wait_ready()

    def spawn(self) -> None:
        """Start the process without waiting for it: the judge loads its checks meanwhile."""
        self.mode = isolation_mode()
        self._tmp = tempfile.TemporaryDirectory(prefix="prep-grade-")
        tmp = Path(self._tmp.name)
        shutil.copyfile(WORKER_SOURCE, tmp / "worker.py")
        shutil.copyfile(self.submission, tmp / "submission.py")
        if self.harness is not None:
            shutil.copyfile(self.harness, tmp / "harness.py")
        req_r, req_w = os.pipe()
        res_r, res_w = os.pipe()
        log = os.open(tmp / "output.log", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        lim = self.limits
        env = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "HOME": "/tmp", "PYTHONHASHSEED": "0",
               "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
               "PYTHONDONTWRITEBYTECODE": "1"}
        rlimits = ["prlimit", f"--cpu={lim.cpu_seconds}", f"--as={lim.memory_bytes}",
                   f"--fsize={lim.file_bytes}", "--nofile=64", "--core=0"]
        if self.mode == "namespaces":
            hide = " ".join(shlex.quote(str(p)) for p in self.hidden if p.is_dir())
            # an interpreter installed under /tmp (a venv in a CI checkout) must stay reachable
            interpreter = [Path(sys.prefix).resolve(), Path(sys.executable).resolve()]
            keep = " ".join(d for d in ("/tmp", "/var/tmp")
                            if any(p.is_relative_to(d) for p in interpreter))
            inner = [*rlimits, "--", "setpriv", "--inh-caps=-all", "--bounding-set=-all",
                     "--no-new-privs", "--", sys.executable, "-I", "-B", "worker.py",
                     str(req_r), str(res_w), "submission.py"]
            if self.harness is not None:
                inner.append("harness.py")
            cmd = ["unshare", "--pid", "--fork", "--kill-child", "--mount", "--net", "--ipc", "--uts",
                   "--mount-proc", "--", "sh", "-c", _BOX_SCRIPT, "box", str(tmp), hide, keep, *inner]
            cwd = "/"
        else:
            rlimits.append(f"--nproc={lim.processes}")
            cmd = [*rlimits, "--", sys.executable, "-I", "-B", str(tmp / "worker.py"), str(req_r),
                   str(res_w), str(tmp / "submission.py")]
            if self.harness is not None:
                cmd.append(str(tmp / "harness.py"))
            cwd = str(tmp)
        try:
            self._proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=log, stderr=log,
                                          pass_fds=(req_r, res_w), env=env, cwd=cwd,
                                          start_new_session=True)
        finally:
            os.close(req_r)
            os.close(res_w)
            os.close(log)
        self._to_worker, self._from_worker = req_w, res_r

    def wait_ready(self) -> None:
        hello = self._receive(self.limits.start_seconds, "starting")
        if not hello.get("ok"):
            raise WorkerError(str(hello.get("error", "the submission could not be loaded")), fatal=True)

    def call(self, target: str, name: str, args: list[Any], kwargs: dict[str, Any],
             timeout: float | None = None) -> tuple[Any, float]:
        if self._proc is None:
            raise WorkerError("the worker is not running", fatal=True)
        frame = wire.encode({"target": target, "name": name, "args": args, "kwargs": kwargs})
        try:
            self._write_all(frame)
        except OSError:
            raise self._died("while receiving its inputs") from None
        reply = self._receive(timeout or self.limits.call_seconds, f"in {name}()")
        if not reply.get("ok"):
            raise WorkerError(str(reply.get("error", "failed")))
        seconds = reply.get("seconds")
        return reply.get("value"), float(seconds) if isinstance(seconds, (int, float)) else 0.0

    def _write_all(self, data: bytes) -> None:
        view = memoryview(data)
        deadline = time.monotonic() + self.limits.call_seconds
        while view:
            _, ready, _ = select.select([], [self._to_worker], [], max(0.0, deadline - time.monotonic()))
            if not ready:
                raise OSError("timeout")
            view = view[os.write(self._to_worker, view[:65536]):]

    def _read(self, n: int, deadline: float, what: str) -> bytes:
        chunks = []
        while n:
            left = deadline - time.monotonic()
            ready, _, _ = select.select([self._from_worker], [], [], max(0.0, left))
            if not ready:
                self.stop()
                raise WorkerError(f"timed out {what} (limit {self.limits.call_seconds:g} s)", fatal=True)
            chunk = os.read(self._from_worker, min(n, 1 << 20))
            if not chunk:
                raise self._died(what)
            chunks.append(chunk)
            n -= len(chunk)
        return b"".join(chunks)

    def _receive(self, seconds: float, what: str) -> dict[str, Any]:
        deadline = time.monotonic() + seconds
        json_len, count = wire._HEADER.unpack(self._read(wire._HEADER.size, deadline, what))
        if json_len > RESPONSE_CAP or count > 4096:
            self.stop()
            raise WorkerError("sent a malformed or oversized answer", fatal=True)
        header = self._read(json_len, deadline, what)
        blobs, total = [], json_len
        for _ in range(count):
            (size,) = wire._BLOB.unpack(self._read(wire._BLOB.size, deadline, what))
            total += size
            if total > RESPONSE_CAP:
                self.stop()
                raise WorkerError(f"returned more than {RESPONSE_CAP >> 20} MiB of data", fatal=True)
            blobs.append(self._read(size, deadline, what))
        try:
            return wire.decode(header, blobs)
        except (ValueError, wire.EncodeError, UnicodeDecodeError, EOFError) as exc:
            self.stop()
            raise WorkerError(f"sent an answer that is not valid data ({exc})", fatal=True) from None

    def _died(self, what: str) -> WorkerError:
        assert self._proc is not None
        try:
            code = self._proc.wait(timeout=2)
        except subprocess.TimeoutExpired:
            code = None
        self.stop()
        if code is not None and code < 0:
            reason = {signal.SIGXCPU: "CPU time limit", signal.SIGKILL: "killed (memory or time limit)",
                      signal.SIGSEGV: "segmentation fault"}.get(signal.Signals(-code), signal.Signals(-code).name)
            return WorkerError(f"the process died {what}: {reason}", fatal=True)
        if code is not None:
            last = [ln for ln in self.output().splitlines() if ln.strip()][-1:]
            said = f": {last[0].strip()[:200]}" if last else ""
            return WorkerError(f"the process exited {what} with code {code}{said}", fatal=True)
        return WorkerError(f"the process closed its channel {what}", fatal=True)

    def output(self) -> str:
        """The first part of what the submission printed (capped)."""
        if self._tmp is None:
            return ""
        path = Path(self._tmp.name) / "output.log"
        try:
            with open(path, "rb") as fh:
                return fh.read(4096).decode("utf-8", "replace")
        except OSError:
            return ""

    def stop(self) -> None:
        proc = self._proc
        if proc is not None:
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
            try:
                proc.kill()
            except ProcessLookupError:
                pass
            try:
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                pass
            self._proc = None
        for fd in (self._to_worker, self._from_worker):
            if fd >= 0:
                try:
                    os.close(fd)
                except OSError:
                    pass
        self._to_worker = self._from_worker = -1

    def close(self) -> None:
        self.stop()
        if self._tmp is not None:
            self._tmp.cleanup()
            self._tmp = None
