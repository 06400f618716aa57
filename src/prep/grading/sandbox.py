"""Starts the worker that runs a submission, with budgets, and talks to it with deadlines.

Full isolation ('bwrap'): bubblewrap builds the worker a root from nothing (the interpreter, its
stdlib, numpy, the worker and the submission's copy, fresh capped tmpfs), in new user, PID, mount,
network, IPC and UTS namespaces, as an unprivileged uid without capabilities or new user namespaces.
Elsewhere ('weak') it is a plain subprocess with limits, and the report says so.
"""

from __future__ import annotations

import atexit
import contextlib
import fcntl
import functools
import os
import select
import shutil
import signal
import stat
import struct
import subprocess
import sys
import sysconfig
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import Any

from prep.errors import PrepError
from prep.grading import worker as wire

WORKER_SOURCE = Path(wire.__file__)
OUTPUT_CAP = 1 << 20  # bytes of stdout/stderr a submission may write
RESPONSE_CAP = 64 << 20
SUBMISSION_CAP = 1 << 20
FOLDER_PREFIX = "prep-grade-"
SANDBOX_UID = 65534  # 'nobody': the uid a root judge drops the worker to
BOX = "/box"  # the worker's working folder inside the sandbox
SITE = "/site"  # the only site-packages inside the sandbox: numpy and nothing else


@dataclass(frozen=True)
class Limits:
    cpu_seconds: int = 60
    memory_bytes: int = 2 << 30  # per process (RLIMIT_AS) and, where a cgroup exists, all together
    file_bytes: int = 8 << 20
    processes: int = 16  # all of a submission's processes together (pids cgroup), else per uid
    call_seconds: float = 10.0
    start_seconds: float = 20.0
    total_seconds: float = 60.0  # wall time for one submission: every start and call together
    tmp_bytes: int = 64 << 20  # each of /tmp and the working folder
    tmp_files: int = 2048  # inodes in each of them


class WorkerError(Exception):
    """The submission failed at the boundary: it raised, died, hung or answered garbage."""

    def __init__(self, message: str, *, fatal: bool = False) -> None:
        super().__init__(message)
        self.fatal = fatal  # the worker is gone and must be restarted


class SubmissionError(OSError):
    """A submission file the judge refuses to read (a symlink, not a regular file, too large)."""


class IsolationError(PrepError):
    """Full isolation was required and cannot be had here."""


class Budget:
    """Wall time left for one submission, shared by all its workers and calls."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.deadline = time.monotonic() + seconds

    def left(self) -> float:
        return self.deadline - time.monotonic()


def read_submission(path: Path, cap: int = SUBMISSION_CAP) -> bytes:
    """The submission's bytes, read without following a symlink and never more than cap + 1 bytes."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError as exc:
        if os.path.islink(path):
            raise SubmissionError(f"{path.name} is a symbolic link; submit the file itself") from None
        raise SubmissionError(f"cannot read the file: {exc.strerror}") from None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise SubmissionError(f"{path.name} is not a regular file")
        chunks, size = [], 0
        while size <= cap:
            chunk = os.read(fd, cap + 1 - size)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    finally:
        os.close(fd)
    if size > cap:
        raise SubmissionError(f"the file is larger than {cap >> 20} MiB" if cap >= 1 << 20
                              else f"the file is larger than {cap} bytes")
    return b"".join(chunks)


# --- which isolation this machine gives -----------------------------------------------------------

def _tool(name: str) -> str | None:
    return shutil.which(name, path="/usr/bin:/bin:/usr/sbin:/sbin")


def _machine_key() -> str:
    """What the probe's answer depends on: this boot, kernel, user, bubblewrap and interpreter."""
    try:
        boot = Path("/proc/sys/kernel/random/boot_id").read_text().strip()
        tool = os.stat(_tool("bwrap") or "/nonexistent")
        limits = Path("/proc/sys/user/max_user_namespaces").read_text().strip()
    except OSError:
        return ""
    return "|".join([boot, os.uname().release, str(os.geteuid()), str(tool.st_mtime_ns), str(tool.st_ino),
                     limits, sys.executable, str(_Root.current())])


def _probe_cache() -> Path | None:
    from prep.paths import home

    try:
        return home() / "isolation-probe"
    except Exception:  # noqa: BLE001 - no data folder: probe every time
        return None


def forget_probe() -> None:
    """Drop the remembered probe (a bubblewrap worker failed to start: the machine changed)."""
    _probe.cache_clear()
    cache = _probe_cache()
    if cache is not None:
        with contextlib.suppress(OSError):
            cache.unlink()


@functools.cache
def _probe() -> tuple[str, str]:
    """('bwrap', '') when the full sandbox starts here, else ('weak', why not). A success is
    remembered for this boot, kernel, user and bubblewrap (starting a sandbox costs ~50 ms); a
    stale answer fails closed: the worker does not start and forget_probe() is called."""
    if os.environ.get("PREP_ISOLATION") in ("weak", "limits-only"):
        return "weak", "PREP_ISOLATION asks for weak isolation"
    cache, key = _probe_cache(), ""
    if sys.platform == "linux" and cache is not None:
        key = _machine_key()
        with contextlib.suppress(OSError, UnicodeDecodeError):
            if key and cache.read_text() == key:
                return "bwrap", ""
    mode, why = _run_probe()
    if mode == "bwrap" and key and cache is not None:
        with contextlib.suppress(OSError):
            cache.parent.mkdir(parents=True, exist_ok=True)
            tmp = cache.with_name(f".{cache.name}.{os.getpid()}")
            tmp.write_text(key)
            tmp.replace(cache)
    return mode, why


def _run_probe() -> tuple[str, str]:
    if os.environ.get("PREP_ISOLATION") in ("weak", "limits-only"):
        return "weak", "PREP_ISOLATION asks for weak isolation"
    if sys.platform != "linux":
        return "weak", f"bubblewrap needs Linux (this is {sys.platform})"
    missing = [t for t in ("bwrap", "setpriv") if _tool(t) is None]
    if os.geteuid() == 0:
        missing += [t for t in ("unshare", "mount") if _tool(t) is None]
    if missing:
        return "weak", f"{', '.join(missing)} not installed"
    try:
        root = _Root.current()
        with _Box.make(Limits(), root) as box:
            cmd = box.command(["-I", "-S", "-c", "import os; print(os.getuid() != 0)"], data={})
            out = subprocess.run(cmd, capture_output=True, text=True, timeout=20, check=False,
                                 env=_launcher_env(), pass_fds=box.fds, stdin=subprocess.DEVNULL)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return "weak", f"bubblewrap could not start ({exc})"
    if out.stdout.strip() != "True":
        why = (out.stderr.strip().splitlines() or [f"exit code {out.returncode}"])[-1][:200]
        return "weak", f"bubblewrap cannot create its sandbox here ({why})"
    return "bwrap", ""


def isolation_mode() -> str:
    """'bwrap' (full isolation, see the module docstring) or 'weak' (limits only)."""
    return _probe()[0]


def require_isolation(allow_weak: bool) -> str:
    """The mode to grade in; raises IsolationError (one line: why and how to fix) when full
    isolation is needed and missing."""
    mode, why = _probe()
    if mode == "bwrap" or allow_weak:
        return mode
    raise IsolationError(
        f"cannot grade other people's code safely here: {why}; install bubblewrap "
        "(apt-get install bubblewrap) where user namespaces are allowed, or run as root in a "
        "container, or pass --isolation weak to grade with limits only")


def hidden_dirs(extra: list[Path]) -> list[Path]:
    """Folders the worker must not see. With bubblewrap nothing is visible that is not bound in, so
    this matters for weak isolation only, where it names what a submission could read."""
    from prep.paths import data_root, home, package_dir, workspace

    dirs = [data_root() / "katas", package_dir(), home(), workspace(), *extra, data_root() / "bank"]
    seen: dict[Path, None] = {}
    for d in dirs:
        if d.is_dir():
            seen[d.resolve()] = None
    return list(seen)


# --- the sandbox's root ---------------------------------------------------------------------------

def _elf_interpreter(path: str) -> str | None:
    """The dynamic loader an ELF executable names (PT_INTERP), or None."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(64)
            if head[:4] != b"\x7fELF" or head[4] != 2:
                return None
            end = "<" if head[5] == 1 else ">"
            phoff = struct.unpack_from(end + "Q", head, 0x20)[0]
            phentsize, phnum = struct.unpack_from(end + "HH", head, 0x36)
            fh.seek(phoff)
            table = fh.read(phentsize * phnum)
            for i in range(phnum):
                base = i * phentsize
                if struct.unpack_from(end + "I", table, base)[0] == 3:  # PT_INTERP
                    offset = struct.unpack_from(end + "Q", table, base + 8)[0]
                    size = struct.unpack_from(end + "Q", table, base + 32)[0]
                    fh.seek(offset)
                    return fh.read(size).rstrip(b"\0").decode()
    except (OSError, struct.error, UnicodeDecodeError):
        return None
    return None


def _route(path: str) -> tuple[list[tuple[str, str]], str]:
    """The symlinks met on the way to `path` (link, target) and the real path it ends at."""
    links: list[tuple[str, str]] = []
    todo = list(Path(path).parts[1:])
    cur = "/"
    hops = 0
    while todo:
        nxt = os.path.join(cur, todo.pop(0))
        if os.path.islink(nxt) and hops < 40:
            hops += 1
            target = os.readlink(nxt)
            links.append((nxt, target))
            todo = list(Path(os.path.normpath(os.path.join(cur, target))).parts[1:]) + todo
            cur = "/"
        else:
            cur = nxt
    return links, cur


_SYSTEM = ("/usr/", "/lib", "/opt/")


@dataclass(frozen=True)
class _Root:
    """What the sandbox's root holds, worked out once per process from the running interpreter."""

    exe: str
    stdlib: str
    shadowed: tuple[str, ...]  # site-packages folders inside the stdlib: covered by empty tmpfs
    lib_dirs: tuple[str, ...]  # system library folders, bound whole
    lib_files: tuple[str, ...]  # libraries elsewhere (libpython of a pyenv build), bound alone
    links: tuple[tuple[str, str], ...]  # symlinks the loader's path goes through
    site: tuple[tuple[str, str], ...]  # (host folder, name under SITE): numpy and its libraries

    @staticmethod
    @functools.cache
    def current() -> _Root:
        import numpy

        exe = os.path.realpath(getattr(sys, "_base_executable", "") or sys.executable)
        stdlib = os.path.realpath(sysconfig.get_paths()["stdlib"])
        shadowed = tuple(os.path.join(stdlib, d) for d in ("site-packages", "dist-packages")
                         if os.path.isdir(os.path.join(stdlib, d)))
        np_dir = os.path.dirname(os.path.realpath(numpy.__file__))
        site = [(np_dir, "numpy")]
        if os.path.isdir(np_dir + ".libs"):
            site.append((np_dir + ".libs", "numpy.libs"))
        skip = (stdlib + "/", *(d + "/" for d, _ in site))
        lib_dirs: dict[str, None] = {}
        lib_files: dict[str, None] = {}
        with open("/proc/self/maps") as maps:
            for line in maps:
                parts = line.split(maxsplit=5)
                if len(parts) < 6 or ".so" not in parts[5]:
                    continue
                lib = os.path.realpath(parts[5].strip())
                if lib.startswith(skip) or "-packages/" in lib or not os.path.isfile(lib):
                    continue
                if lib.startswith(_SYSTEM):
                    lib_dirs[os.path.dirname(lib)] = None
                else:
                    lib_files[lib] = None
        links: dict[tuple[str, str], None] = {}
        loader = _elf_interpreter(exe)
        if loader:
            hops, real = _route(loader)
            links.update(dict.fromkeys(hops))
            lib_dirs.setdefault(os.path.dirname(real), None)
        with os.scandir("/") as top:  # usr-merge links (/lib -> usr/lib) used by ld.so.cache paths
            for entry in top:
                if entry.is_symlink() and entry.name.startswith("lib"):
                    links[(entry.path, os.readlink(entry.path))] = None
        return _Root(exe, stdlib, shadowed, tuple(lib_dirs), tuple(lib_files), tuple(links), tuple(site))

    def sources(self) -> list[str]:
        """Host paths bound into the sandbox that live outside the system folders."""
        return [self.exe, self.stdlib, *self.lib_files, *(d for d, _ in self.site)]


def _world_reachable(path: str) -> bool:
    """True if any uid can reach `path` (every parent searchable, the path itself readable)."""
    p = Path(path)
    try:
        for parent in p.parents:
            if not parent.stat().st_mode & stat.S_IXOTH:
                return False
        return bool(p.stat().st_mode & stat.S_IROTH)
    except OSError:
        return False


# --- budgets across processes: cgroups where this process may create them --------------------------

_CGROUP_FS = Path("/sys/fs/cgroup")


def _own_cgroup(controller: str) -> str:
    try:
        for line in Path("/proc/self/cgroup").read_text().splitlines():
            _, names, path = line.split(":", 2)
            if controller in names.split(","):
                return path.lstrip("/")
    except (OSError, ValueError):
        pass
    return ""


def _cgroup_bases() -> list[tuple[Path, dict[str, int]]]:
    """Parent folders where a worker's cgroups go, with the limit files to write (v1 or v2)."""
    if os.geteuid() != 0:
        return []
    if (_CGROUP_FS / "cgroup.controllers").is_file():
        base = _CGROUP_FS / _own_cgroup("")
        return [(base, {"memory.max": 0, "pids.max": 0})]
    bases = []
    for ctl, files in (("memory", {"memory.limit_in_bytes": 0}), ("pids", {"pids.max": 0})):
        mount = _CGROUP_FS / ctl
        if not (mount / "cgroup.procs").is_file():
            continue
        own = mount / _own_cgroup(ctl)
        bases.append((own if own.is_dir() else mount, files))
    return bases


class _Cgroups:
    """The cgroups of one worker: memory and process count for all of its processes together."""

    def __init__(self, name: str, limits: Limits) -> None:
        self.dirs: list[Path] = []
        self.what: list[str] = []
        values = {"memory.max": limits.memory_bytes, "memory.limit_in_bytes": limits.memory_bytes,
                  "pids.max": limits.processes}
        for base, files in _cgroup_bases():
            d = base / name
            try:
                d.mkdir()
            except OSError:
                continue
            self.dirs.append(d)
            try:
                for f in files:
                    (d / f).write_text(str(values[f]))
                    self.what.append(f.split(".")[0])
            except OSError:
                self.remove()
                self.dirs, self.what = [], []
                return

    @property
    def pids(self) -> bool:
        return "pids" in self.what

    def procs_files(self) -> list[str]:
        return [str(d / "cgroup.procs") for d in self.dirs]

    def kill(self) -> None:
        for d in self.dirs:
            try:
                pids = (d / "cgroup.procs").read_text().split()
            except OSError:
                continue
            for pid in pids:
                with contextlib.suppress(OSError, ValueError):
                    os.kill(int(pid), signal.SIGKILL)

    def remove(self) -> None:
        """Remove the groups once their killed processes have left (the kernel needs a moment after the
        wait: the first retry comes after 1 ms, doubling up to 50 ms, about 1 s in all)."""
        for d in self.dirs:
            pause = 0.001
            for _ in range(28):
                try:
                    d.rmdir()
                    break
                except FileNotFoundError:
                    break
                except OSError:
                    self.kill()
                    time.sleep(pause)
                    pause = min(pause * 2, 0.05)
        self.dirs = []


# --- one worker's folder and command ----------------------------------------------------------------

# Run as root in a private mount namespace: join the cgroups, mount the inode-capped tmpfs and
# publish the interpreter's folders where the unprivileged bubblewrap can reach them. Every mount
# dies with the namespace, so nothing is left on the host.
_ROOT_SCRIPT = r"""
set -e
d=$1; opts=$2; shift 2
n=$1; shift
while [ "$n" -gt 0 ]; do echo $$ > "$1"; shift; n=$((n-1)); done
mount -t tmpfs -o "$opts" tmpfs "$d/tmp"
mount -t tmpfs -o "$opts" tmpfs "$d/box"
n=$1; shift; i=0
while [ "$i" -lt "$n" ]; do mount --bind "$1" "$d/stage/$i"; shift; i=$((i+1)); done
exec "$@"
"""


def _launcher_env() -> dict[str, str]:
    return {"PATH": "/usr/bin:/bin:/usr/sbin:/sbin", "LANG": "C.UTF-8"}


_WORKER_ENV = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "HOME": "/tmp", "PYTHONHASHSEED": "0",
               "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
               "PYTHONDONTWRITEBYTECODE": "1"}


@functools.cache
def _worker_source() -> bytes:
    """The worker's code as this process loaded it (an upgrade on disk must not mix versions)."""
    return WORKER_SOURCE.read_bytes()


def _memfd(name: str, data: bytes) -> int:
    fd = os.memfd_create(name, os.MFD_CLOEXEC)
    os.write(fd, data)
    os.lseek(fd, 0, os.SEEK_SET)
    return fd


@dataclass
class _Box:
    """A worker's host folder (lock, output log, mount points) and the command that builds its root."""

    folder: Path
    limits: Limits
    root: _Root | None
    lock_fd: int
    cgroups: _Cgroups | None = None
    fds: list[int] = field(default_factory=list)

    @classmethod
    @contextlib.contextmanager
    def make(cls, limits: Limits, root: _Root | None) -> Iterator[_Box]:
        box = cls.create(limits, root)
        try:
            yield box
        finally:
            box.remove()

    @classmethod
    def create(cls, limits: Limits, root: _Root | None, cgroups: bool = False) -> _Box:
        folder = Path(tempfile.mkdtemp(prefix=f"{FOLDER_PREFIX}{os.getpid()}-"))
        # the lock appears already taken: a sweep never sees this live folder unlocked
        lock_fd = os.open(folder / "lock.new", os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        fcntl.flock(lock_fd, fcntl.LOCK_EX)
        os.rename(folder / "lock.new", folder / "lock")
        box = cls(folder, limits, root, lock_fd)
        if os.geteuid() == 0:
            box.cgroups = _Cgroups(folder.name, limits) if cgroups else None
            os.chmod(folder, 0o711)
            (folder / "stage").mkdir(mode=0o711)
            (folder / "tmp").mkdir()
            (folder / "box").mkdir()
        return box

    def close_fds(self) -> None:
        for fd in self.fds:
            with contextlib.suppress(OSError):
                os.close(fd)
        self.fds = []

    def remove(self) -> None:
        self.close_fds()
        if self.cgroups is not None:
            self.cgroups.remove()
            self.cgroups = None
        shutil.rmtree(self.folder, ignore_errors=True)
        if self.lock_fd >= 0:
            os.close(self.lock_fd)
            self.lock_fd = -1

    def command(self, argv: list[str], data: dict[str, bytes]) -> list[str]:
        """The full command: launcher(s), bubblewrap, then the interpreter with `argv`; `data` maps a
        file name in the working folder to its content."""
        lim, root = self.limits, self.root
        assert root is not None
        privileged = os.geteuid() == 0
        tmpfs_opts = (f"size={lim.tmp_bytes},nr_inodes={lim.tmp_files},mode=0700,"
                      f"uid={SANDBOX_UID},gid={SANDBOX_UID},nosuid,nodev")
        stage: list[str] = []
        src: dict[str, str] = {}
        for path in root.sources():
            if privileged and not _world_reachable(path):
                slot = self.folder / "stage" / str(len(stage))
                if os.path.isdir(path):
                    slot.mkdir()
                else:
                    slot.touch()
                stage.append(path)
                src[path] = str(slot)
            else:
                src[path] = path
        b = ["bwrap", "--unshare-all", "--unshare-user", "--disable-userns", "--die-with-parent",
             "--new-session", "--hostname", "box", "--clearenv"]
        for k, v in {**_WORKER_ENV, "PREP_WORKER_SITE": SITE}.items():
            b += ["--setenv", k, v]
        for link, target in root.links:
            b += ["--symlink", target, link]
        for d in root.lib_dirs:
            b += ["--ro-bind", d, d]
        b += ["--ro-bind-try", "/etc/ld.so.cache", "/etc/ld.so.cache"]
        if privileged:
            b += ["--bind", str(self.folder / "tmp"), "/tmp", "--bind", str(self.folder / "box"), BOX]
        else:  # without root bubblewrap cannot cap inodes; the memory limit bounds them
            b += ["--size", str(lim.tmp_bytes), "--tmpfs", "/tmp", "--size", str(lim.tmp_bytes), "--tmpfs", BOX]
        b += ["--ro-bind", src[root.exe], root.exe, "--ro-bind", src[root.stdlib], root.stdlib]
        for f in root.lib_files:
            b += ["--ro-bind", src[f], f]
        for d in root.shadowed:
            b += ["--size", "4096", "--tmpfs", d, "--remount-ro", d]
        b += ["--size", "4096", "--tmpfs", SITE]
        for host, name in root.site:
            b += ["--ro-bind", src[host], f"{SITE}/{name}"]
        b += ["--remount-ro", SITE, "--proc", "/proc", "--size", "65536", "--tmpfs", "/dev"]
        for dev in ("null", "zero", "random", "urandom"):
            b += ["--dev-bind", f"/dev/{dev}", f"/dev/{dev}"]
        b += ["--remount-ro", "/dev"]
        for name, content in data.items():
            fd = _memfd(name, content)
            self.fds.append(fd)
            b += ["--ro-bind-data", str(fd), f"{BOX}/{name}"]
        b += ["--remount-ro", "/", "--chdir", BOX, "--", root.exe, *argv]
        if not privileged:
            return ["setpriv", "--pdeathsig=KILL", "--", *b]
        cg = self.cgroups.procs_files() if self.cgroups is not None else []
        drop = ["setpriv", f"--reuid={SANDBOX_UID}", f"--regid={SANDBOX_UID}", "--clear-groups",
                "--no-new-privs", "--pdeathsig=KILL", "--"]
        return ["setpriv", "--pdeathsig=KILL", "--", "unshare", "--mount", "--propagation", "private", "--",
                "sh", "-c", _ROOT_SCRIPT, "box", str(self.folder), tmpfs_opts, str(len(cg)), *cg,
                str(len(stage)), *stage, *drop, *b]


# --- nothing left behind ----------------------------------------------------------------------------

_LIVE: set[Worker] = set()
_LIVE_LOCK = threading.Lock()
_STOPPING = threading.Event()  # set by a fatal signal: no new worker starts


def close_all() -> None:
    """Stop every worker of this process and remove its folder (on exit and on a fatal signal)."""
    with _LIVE_LOCK:
        workers = list(_LIVE)
    for w in workers:
        w.close()


def _on_signal(signum: int, frame: FrameType | None) -> None:
    _STOPPING.set()
    close_all()
    previous = _PREVIOUS.get(signum, signal.SIG_DFL)
    if callable(previous):
        previous(signum, frame)
        return
    if previous == signal.SIG_IGN:
        return
    signal.signal(signum, signal.SIG_DFL)
    os.kill(os.getpid(), signum)


_PREVIOUS: dict[int, Any] = {}


def install_cleanup() -> None:
    """Close every worker on SIGTERM, SIGHUP, SIGINT and at exit (main thread only; idempotent)."""
    if threading.current_thread() is not threading.main_thread():
        return
    for sig in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT):
        current = signal.getsignal(sig)
        if current is not _on_signal:
            _PREVIOUS[sig] = current
            signal.signal(sig, _on_signal)


atexit.register(close_all)
install_cleanup()


_SWEPT = threading.Lock()


def sweep() -> int:
    """Remove folders and cgroups left by earlier runs that were killed, once per process (the
    first worker to start does it); returns how many folders were removed."""
    if not _SWEPT.acquire(blocking=False):
        return 0
    return sweep_now()


def sweep_now() -> int:
    """Remove folders and cgroups of judges that are gone: a live judge holds its folder's lock."""
    removed = 0
    for folder in Path(tempfile.gettempdir()).glob(f"{FOLDER_PREFIX}*"):
        if not folder.is_dir() or folder.is_symlink():
            continue
        try:
            fd = os.open(folder / "lock", os.O_RDWR | os.O_NOFOLLOW | os.O_CLOEXEC)
        except FileNotFoundError:
            try:  # an older run's folder without a lock: only when clearly stale
                if time.time() - folder.stat().st_mtime < 3600:
                    continue
            except OSError:
                continue
            shutil.rmtree(folder, ignore_errors=True)
            removed += 1
            continue
        except OSError:
            continue
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            continue  # its judge is alive
        shutil.rmtree(folder, ignore_errors=True)
        os.close(fd)
        removed += 1
    for base, _ in _cgroup_bases():
        for d in base.glob(f"{FOLDER_PREFIX}*"):
            if not _judge_alive(d.name) and not (Path(tempfile.gettempdir()) / d.name).exists():
                with contextlib.suppress(OSError):
                    d.rmdir()  # fails while a process is inside, as it should
    return removed


def _judge_alive(name: str) -> bool:
    """Whether the judge whose pid a folder or cgroup name carries still runs."""
    pid = name.removeprefix(FOLDER_PREFIX).split("-", 1)[0]
    if not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


_descendants = wire._below  # every process below a pid (tests use it too)


# --- the worker ---------------------------------------------------------------------------------------

@dataclass(eq=False)
class Worker:
    """One running worker process serving one submission."""

    submission: Path
    function: str
    harness: Path | None = None
    limits: Limits = field(default_factory=Limits)
    hidden: tuple[Path, ...] = ()
    budget: Budget | None = None
    _proc: subprocess.Popen[bytes] | None = None
    _to_worker: int = -1
    _from_worker: int = -1
    _box: _Box | None = None
    mode: str = ""

    def start(self) -> None:
        self.spawn()
        self.wait_ready()

    def spawn(self) -> None:
        """Start the process without waiting for it: the judge loads its checks meanwhile."""
        if _STOPPING.is_set():
            raise OSError("the grader is stopping")
        sweep()
        self.mode = isolation_mode()
        if self.budget is None:
            self.budget = Budget(self.limits.total_seconds)
        source = read_submission(self.submission)
        data = {"worker.py": _worker_source(), "submission.py": source}
        if self.harness is not None:
            data["harness.py"] = self.harness.read_bytes()
        with _LIVE_LOCK:
            _LIVE.add(self)
        root = _Root.current() if self.mode == "bwrap" else None
        box = self._box = _Box.create(self.limits, root, cgroups=self.mode == "bwrap")
        req_r, req_w = os.pipe()
        res_r, res_w = os.pipe()
        log = os.open(box.folder / "output.log", os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, 0o600)
        try:
            # the worker lowers its own hard limits before it loads the submission: portable (no
            # prlimit on macOS), and inside bubblewrap's user namespace RLIMIT_NPROC then counts the
            # submission's processes only, not every process of the user's on the machine
            lim = self.limits
            limits = f"--limits={lim.cpu_seconds},{lim.memory_bytes},{lim.file_bytes},64,{lim.processes}"
            if self.mode == "bwrap":
                argv = ["-I", "-B", f"{BOX}/worker.py", limits, str(req_r), str(res_w), f"{BOX}/submission.py"]
                if self.harness is not None:
                    argv.append(f"{BOX}/harness.py")
                cmd = box.command(argv, data)
                cwd = "/"
            else:
                for name, content in data.items():
                    (box.folder / name).write_bytes(content)
                cmd = [sys.executable, "-I", "-B", str(box.folder / "worker.py"), limits]
                if sys.platform == "linux":
                    cmd.append("--reap")
                cmd += [str(req_r), str(res_w), str(box.folder / "submission.py")]
                if self.harness is not None:
                    cmd.append(str(box.folder / "harness.py"))
                if _tool("setpriv"):  # the launcher cleans up on TERM; KILL would orphan the escapees
                    cmd = ["setpriv", "--pdeathsig=TERM", "--", *cmd]
                cwd = str(box.folder)
            self._proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=log, stderr=log,
                                          pass_fds=(req_r, res_w, *box.fds), env=_launcher_env()
                                          if self.mode == "bwrap" else dict(_WORKER_ENV), cwd=cwd,
                                          start_new_session=True)
        except BaseException:
            for fd in (req_w, res_r):
                os.close(fd)
            self.close()
            raise
        finally:
            for fd in (req_r, res_w, log):
                os.close(fd)
            box.close_fds()
        self._to_worker, self._from_worker = req_w, res_r

    def wait_ready(self) -> None:
        try:
            hello = self._receive(self.limits.start_seconds, "starting")
        except WorkerError:
            if self.mode == "bwrap" and "bwrap:" in self.output():
                forget_probe()  # the sandbox itself failed: next time, probe again
            raise
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

    def again(self, timeout: float | None = None) -> float:
        """Run the last call once more inside the worker, nothing sent either way: its time alone."""
        if self._proc is None:
            raise WorkerError("the worker is not running", fatal=True)
        try:
            self._write_all(wire.encode({"target": "again"}))
        except OSError:
            raise self._died("while receiving its inputs") from None
        reply = self._receive(timeout or self.limits.call_seconds, "in a timed run")
        seconds = reply.get("seconds")
        if not reply.get("ok") or not isinstance(seconds, (int, float)) or isinstance(seconds, bool):
            raise WorkerError(str(reply.get("error", "no time reported")))
        return float(seconds)

    def _deadline(self, seconds: float) -> tuple[float, str]:
        """The deadline for a step and what to say if it passes: the step's limit or the budget's."""
        now = time.monotonic()
        if self.budget is not None and self.budget.deadline < now + seconds:
            return self.budget.deadline, f"(time budget of {self.budget.seconds:g} s for the whole submission used up)"
        return now + seconds, f"(limit {seconds:g} s)"

    def _write_all(self, data: bytes) -> None:
        view = memoryview(data)
        deadline, _ = self._deadline(self.limits.call_seconds)
        while view:
            _, ready, _ = select.select([], [self._to_worker], [], max(0.0, deadline - time.monotonic()))
            if not ready:
                raise OSError("timeout")
            view = view[os.write(self._to_worker, view[:65536]):]

    def _read(self, n: int, deadline: float, what: str, why: str) -> bytes:
        chunks = []
        while n:
            left = deadline - time.monotonic()
            ready, _, _ = select.select([self._from_worker], [], [], max(0.0, left))
            if not ready:
                self.stop()
                raise WorkerError(f"timed out {what} {why}", fatal=True)
            chunk = os.read(self._from_worker, min(n, 1 << 20))
            if not chunk:
                raise self._died(what)
            chunks.append(chunk)
            n -= len(chunk)
        return b"".join(chunks)

    def _receive(self, seconds: float, what: str) -> dict[str, Any]:
        if self._proc is None:
            raise WorkerError("the worker is not running", fatal=True)
        deadline, why = self._deadline(seconds)
        json_len, count = wire.HEADER.unpack(self._read(wire.HEADER.size, deadline, what, why))
        if json_len > wire.SKELETON_CAP or count > wire.MAX_BLOBS:
            self.stop()
            raise WorkerError("sent a malformed or oversized answer", fatal=True)
        header = self._read(json_len, deadline, what, why)
        blobs, total = [], json_len
        for _ in range(count):
            (size,) = wire.BLOB.unpack(self._read(wire.BLOB.size, deadline, what, why))
            total += size
            if total > RESPONSE_CAP:
                self.stop()
                raise WorkerError(f"returned more than {RESPONSE_CAP >> 20} MiB of data", fatal=True)
            blobs.append(self._read(size, deadline, what, why))
        try:
            return wire.decode_reply(header, blobs)
        except wire.EncodeError as exc:
            self.stop()
            raise WorkerError(f"sent an answer that is not valid data ({exc})", fatal=True) from None

    def _died(self, what: str) -> WorkerError:
        assert self._proc is not None
        try:
            code = self._proc.wait(timeout=2)
        except subprocess.TimeoutExpired:
            code = None
        self.stop()
        if code is not None and code > 128:
            code = -(code - 128)  # bubblewrap and the weak launcher report signal N as 128 + N
        if code is not None and code < 0:
            try:
                sig = signal.Signals(-code)
            except ValueError:
                return WorkerError(f"the process died {what}: signal {-code}", fatal=True)
            reason = {signal.SIGXCPU: "CPU time limit", signal.SIGKILL: "killed (memory or time limit)",
                      signal.SIGSEGV: "segmentation fault"}.get(sig, sig.name)
            return WorkerError(f"the process died {what}: {reason}", fatal=True)
        if code is not None:
            last = [ln for ln in self.output().splitlines() if ln.strip()][-1:]
            said = f": {last[0].strip()[:200]}" if last else ""
            return WorkerError(f"the process exited {what} with code {code}{said}", fatal=True)
        return WorkerError(f"the process closed its channel {what}", fatal=True)

    def output(self) -> str:
        """The first part of what the submission printed (capped)."""
        if self._box is None:
            return ""
        try:
            fd = os.open(self._box.folder / "output.log", os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
        except OSError:
            return ""
        try:
            return os.read(fd, 4096).decode("utf-8", "replace")
        finally:
            os.close(fd)

    def stop(self) -> None:
        proc = self._proc
        if proc is not None:
            if self.mode != "bwrap" and sys.platform == "linux":  # no PID namespace: find what left the group
                wire.kill_tree(proc.pid)
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(proc.pid, signal.SIGKILL)
            with contextlib.suppress(ProcessLookupError):
                proc.kill()
            if self._box is not None and self._box.cgroups is not None:
                self._box.cgroups.kill()
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(timeout=5)
            self._proc = None
        for fd in (self._to_worker, self._from_worker):
            if fd >= 0:
                with contextlib.suppress(OSError):
                    os.close(fd)
        self._to_worker = self._from_worker = -1

    def close(self) -> None:
        self.stop()
        if self._box is not None:
            self._box.remove()
            self._box = None
        with _LIVE_LOCK:
            _LIVE.discard(self)
