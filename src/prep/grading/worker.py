"""The untrusted side of grading: imports a submission and answers calls with data only.

This file runs as a standalone script inside the sandbox (it must not import `prep`), and the
judge imports its codec. Values cross the boundary as a JSON skeleton plus `.npy` blobs read with
pickling disabled, so nothing the submission returns can run code or lie about equality.
"""

from __future__ import annotations

import importlib.abc
import importlib.util
import io
import json
import os
import struct
import sys
import time
import traceback
from typing import Any

if os.environ.get("PREP_WORKER_SITE"):  # inside the sandbox: the one folder holding numpy
    sys.path.insert(0, os.environ["PREP_WORKER_SITE"])

import numpy as np  # after the sandbox's site folder is on the path

MAX_FRAME = 256 * 1024 * 1024
FORBIDDEN = ("torch", "jax", "jaxlib", "scipy", "sklearn", "tensorflow", "keras", "cupy", "numba")
HEADER = struct.Struct("<II")  # json length, number of blobs
BLOB = struct.Struct("<Q")
# what the judge accepts in a reply: arrays travel as blobs, so the JSON skeleton stays small
SKELETON_CAP = 4 << 20
MAX_BLOBS = 4096
MAX_NODES = 100_000  # lists, tuples and dicts in one reply
MAX_DEPTH = 64


class EncodeError(Exception):
    """A value that cannot cross the boundary as plain data."""


def _skeleton(value: Any, blobs: list[bytes], path: str) -> Any:
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, (int, float)) and type(value) in (int, float, bool):
        return value
    if isinstance(value, np.generic) and type(value).__module__ == "numpy":
        if value.dtype.kind in "biuf":
            return value.item()
        raise EncodeError(f"{path}: numpy scalar of dtype {value.dtype} is not supported")
    if type(value) is np.ndarray:
        if value.dtype.kind not in "biuf":
            raise EncodeError(f"{path}: array of dtype {value.dtype}; expected a numeric array")
        buf = io.BytesIO()
        np.save(buf, value, allow_pickle=False)
        blobs.append(buf.getvalue())
        return {"__nd__": len(blobs) - 1}
    if type(value) is tuple:
        return {"__tuple__": [_skeleton(v, blobs, f"{path}[{i}]") for i, v in enumerate(value)]}
    if type(value) is list:
        return [_skeleton(v, blobs, f"{path}[{i}]") for i, v in enumerate(value)]
    if type(value) is dict:
        out = {}
        for k, v in value.items():
            if type(k) is not str:
                raise EncodeError(f"{path}: dict keys must be strings, got {type(k).__name__}")
            out[k] = _skeleton(v, blobs, f"{path}[{k!r}]")
        return {"__dict__": out}
    raise EncodeError(f"{path}: an object of type {type(value).__name__}; expected numpy arrays, numbers, "
                      "tuples, lists or dicts")


def encode(message: dict[str, Any]) -> bytes:
    """Encode a message (a dict whose values may hold arrays) into one frame."""
    blobs: list[bytes] = []
    skeleton = {k: _skeleton(v, blobs, k) for k, v in message.items()}
    text = json.dumps(skeleton).encode()
    parts = [HEADER.pack(len(text), len(blobs)), text]
    for blob in blobs:
        parts += [BLOB.pack(len(blob)), blob]
    return b"".join(parts)


def _rebuild(node: Any, arrays: list[np.ndarray]) -> Any:
    if isinstance(node, list):
        return [_rebuild(v, arrays) for v in node]
    if isinstance(node, dict):
        if "__nd__" in node:
            index = node["__nd__"]
            if type(index) is not int or not 0 <= index < len(arrays):
                raise EncodeError("malformed array reference")
            return arrays[index]
        if "__tuple__" in node:
            return tuple(_rebuild(v, arrays) for v in node["__tuple__"])
        if "__dict__" in node:
            return {k: _rebuild(v, arrays) for k, v in node["__dict__"].items()}
        raise EncodeError("malformed value")
    return node


def decode(header: bytes, blobs: list[bytes]) -> dict[str, Any]:
    skeleton = json.loads(header)
    if not isinstance(skeleton, dict):
        raise EncodeError("malformed message")
    arrays = [np.load(io.BytesIO(b), allow_pickle=False) for b in blobs]
    return {k: _rebuild(v, arrays) for k, v in skeleton.items()}


def _check_shape(node: Any) -> None:
    """Depth and node count of a parsed skeleton, without recursion."""
    stack = [(node, 0)]
    nodes = 0
    while stack:
        value, depth = stack.pop()
        if isinstance(value, (list, dict)):
            nodes += 1
            if depth > MAX_DEPTH or nodes > MAX_NODES:
                raise EncodeError(f"nested deeper than {MAX_DEPTH} or more than {MAX_NODES} containers")
            stack.extend((v, depth + 1) for v in (value if isinstance(value, list) else value.values()))


def decode_reply(header: bytes, blobs: list[bytes]) -> dict[str, Any]:
    """The judge's decoder for what a worker sent: bounded in size, node count and depth, and the
    only exception it raises is EncodeError."""
    if len(header) > SKELETON_CAP or len(blobs) > MAX_BLOBS:
        raise EncodeError("oversized answer")
    # every container opens with one of these bytes: a cheap bound before parsing allocates anything
    if header.count(b"[") + header.count(b"{") > 2 * MAX_NODES + 16:
        raise EncodeError(f"more than {MAX_NODES} containers")
    try:
        skeleton = json.loads(header)
        _check_shape(skeleton)
        if not isinstance(skeleton, dict):
            raise EncodeError("malformed message")
        arrays = [np.load(io.BytesIO(b), allow_pickle=False) for b in blobs]
        return {k: _rebuild(v, arrays) for k, v in skeleton.items()}
    except EncodeError:
        raise
    except Exception as exc:  # noqa: BLE001 - untrusted bytes: any failure of the parsers is a bad answer
        raise EncodeError(f"{type(exc).__name__}: {str(exc)[:100]}") from None


def same_result(got: Any, want: Any) -> bool:
    """True if `got` (decoded from a worker) is plain numeric data matching `want`: the check the
    speed probe's output passes before its time counts."""
    if isinstance(want, np.generic):
        want = want.item()
    if isinstance(want, (bool, int, float)):
        return type(got) in (bool, int, float) and bool(np.isclose(got, want, rtol=1e-5, atol=1e-6,
                                                                    equal_nan=True))
    if type(want) in (tuple, list):
        return (type(got) is type(want) and len(got) == len(want)
                and all(same_result(g, w) for g, w in zip(got, want, strict=True)))
    if type(want) is dict:
        return (type(got) is dict and got.keys() == want.keys()
                and all(same_result(got[k], want[k]) for k in want))
    if type(got) is not np.ndarray or not isinstance(want, np.ndarray):
        return False
    if got.dtype.kind not in "biuf" or got.shape != want.shape:
        return False
    with np.errstate(all="ignore"):  # infinities must match exactly (masked logits), NaN only NaN
        return bool(np.allclose(got, want, rtol=1e-5, atol=1e-6, equal_nan=True))


def _read_exact(fd: int, n: int) -> bytes:
    chunks = []
    while n:
        chunk = os.read(fd, min(n, 1 << 20))
        if not chunk:
            raise EOFError
        chunks.append(chunk)
        n -= len(chunk)
    return b"".join(chunks)


def read_frame(fd: int) -> dict[str, Any]:
    """Blocking read of one frame (the worker's side; the judge reads with a deadline)."""
    json_len, count = HEADER.unpack(_read_exact(fd, HEADER.size))
    header = _read_exact(fd, json_len)
    blobs = [_read_exact(fd, BLOB.unpack(_read_exact(fd, BLOB.size))[0]) for _ in range(count)]
    return decode(header, blobs)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


class _Blocker(importlib.abc.MetaPathFinder):
    def find_spec(self, name: str, path: Any = None, target: Any = None) -> None:
        if name.split(".", maxsplit=1)[0] in FORBIDDEN:
            raise ImportError(f"'{name}' is not allowed in a kata: write it with numpy only")


def _describe(exc: BaseException) -> str:
    """One line naming the exception and where in the submission it was raised."""
    line = ""
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if frame.filename.endswith("submission.py"):
            line = f" (line {frame.lineno}: {(frame.line or '').strip()[:80]})"
            break
    text = str(exc).splitlines()[0][:300] if str(exc) else ""
    if isinstance(exc, OSError) and exc.errno == 27:  # EFBIG: the file-size limit on output
        return "wrote more output than the limit allows (print less)"
    if isinstance(exc, ValueError) and "read-only" in text:
        text += " -- your function modified an input array; inputs are read-only, return new arrays"
    return f"{type(exc).__name__}: {text}{line}" if text else f"{type(exc).__name__}{line}"


def freeze(value: Any) -> Any:
    """Make every array inside `value` read-only (in place) and return it."""
    if type(value) is np.ndarray:
        value.setflags(write=False)
    elif isinstance(value, (list, tuple)):
        for v in value:
            freeze(v)
    elif isinstance(value, dict):
        for v in value.values():
            freeze(v)
    return value


_KEYCTL = {"x86_64": 250, "aarch64": 219, "i686": 288, "armv7l": 311, "riscv64": 219}
_PR_SET_PDEATHSIG, _PR_SET_CHILD_SUBREAPER = 1, 36


def _libc() -> Any:
    import ctypes

    return ctypes.CDLL(None, use_errno=True)


def own_keyring() -> None:
    """Join a new, empty session keyring: nothing one submission stores there reaches the next."""
    number = _KEYCTL.get(os.uname().machine)
    if number is not None and sys.platform == "linux":
        _libc().syscall(number, 1, None)  # KEYCTL_JOIN_SESSION_KEYRING, anonymous


def reap(argv: list[str]) -> None:
    """Weak isolation's launcher: run the worker as a child; when it ends, or the judge dies (the
    parent-death signal is SIGTERM here), kill every process below this one, orphans included."""
    import signal

    libc = _libc()
    libc.prctl(_PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)

    def stop(*_: Any) -> None:
        kill_tree(os.getpid())
        os._exit(128 + signal.SIGTERM)

    signal.signal(signal.SIGTERM, stop)
    child = os.fork()
    if child == 0:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        if os.getppid() == 1:
            os._exit(1)
        serve(int(argv[0]), int(argv[1]), argv[2], argv[3] if len(argv) > 3 else None)
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except (OSError, ValueError):
                pass
        os._exit(0)
    for fd in (int(argv[0]), int(argv[1])):
        os.close(fd)
    code, done = 0, False
    while True:
        try:
            pid, status = os.wait()
        except ChildProcessError:
            break
        if pid == child:
            code, done = os.waitstatus_to_exitcode(status), True
        if done:
            kill_tree(os.getpid())
    os._exit(128 - code if code < 0 else code)


def _below(root: int) -> list[int]:
    """Every process below `root`, whatever session or group it moved to."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as fh:
                ppid = int(fh.read().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(entry))
    found, todo = [], [root]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def kill_tree(root: int) -> None:
    """Kill every process below `root`: stop them until a scan finds no new one (a stopped process
    cannot fork, so none is born between the scan and the kill), then SIGKILL them all."""
    stopped: set[int] = set()
    for _ in range(100):
        new = [p for p in _below(root) if p not in stopped]
        if not new:
            break
        for pid in new:
            try:
                os.kill(pid, 19)  # SIGSTOP
            except OSError:
                pass
        stopped.update(new)
    for pid in stopped:
        try:
            os.kill(pid, 9)
        except OSError:
            pass


def serve(fd_in: int, fd_out: int, module_path: str, harness_path: str | None) -> None:
    try:
        own_keyring()
    except (OSError, AttributeError):
        pass
    sys.meta_path.insert(0, _Blocker())
    sys.setrecursionlimit(10_000)

    def reply(message: dict[str, Any]) -> None:
        try:
            data = encode(message)
        except EncodeError as exc:
            data = encode({"ok": False, "error": f"returned {exc}"})
        _write_all(fd_out, data)

    try:
        spec = importlib.util.spec_from_file_location("submission", module_path)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules["submission"] = module
        spec.loader.exec_module(module)
        harness = None
        if harness_path:
            hspec = importlib.util.spec_from_file_location("harness", harness_path)
            assert hspec is not None and hspec.loader is not None
            harness = importlib.util.module_from_spec(hspec)
            hspec.loader.exec_module(harness)
    except BaseException as exc:  # noqa: BLE001 - anything the submission does on import is its outcome
        reply({"ok": False, "error": "import failed: " + _describe(exc)})
        return
    reply({"ok": True})
    last: tuple[Any, list[Any], dict[str, Any]] | None = None  # the last call, for "again"
    while True:
        try:
            request = read_frame(fd_in)
        except EOFError:
            return
        if request.get("target") == "again":  # the speed probe: the last call once more, timed only
            if last is None:
                reply({"ok": False, "error": "nothing to run again"})
                continue
            try:
                start = time.perf_counter()
                last[0](*last[1], **last[2])
                seconds = time.perf_counter() - start
            except BaseException as exc:  # noqa: BLE001 - as for any call
                reply({"ok": False, "error": _describe(exc)})
                continue
            reply({"ok": True, "seconds": seconds})
            continue
        try:
            name = request["name"]
            args = freeze(list(request["args"]))
            kwargs = freeze(dict(request["kwargs"]))
            if request["target"] == "harness":
                fn = getattr(harness, name)
                args = [module, *args]
            else:
                fn = getattr(module, name, None)
                if not callable(fn):
                    reply({"ok": False, "error": f"the submission defines no function named '{name}'"})
                    continue
            start = time.perf_counter()
            value = fn(*args, **kwargs)
            seconds = time.perf_counter() - start
        except BaseException as exc:  # noqa: BLE001 - SystemExit and KeyboardInterrupt included: the check fails
            last = None
            reply({"ok": False, "error": _describe(exc)})
            continue
        last = (fn, args, kwargs)  # frozen inputs: a call cannot change what the next run gets
        reply({"ok": True, "value": value, "seconds": seconds})


def set_limits(spec: str) -> None:
    """Lower this process's soft and hard limits: CPU s, address space, file size, open files, processes."""
    import resource

    names = ("RLIMIT_CPU", "RLIMIT_AS", "RLIMIT_FSIZE", "RLIMIT_NOFILE", "RLIMIT_NPROC")
    for name, value in zip(names, spec.split(","), strict=True):
        limit = getattr(resource, name, None)
        if limit is None:
            continue
        try:
            resource.setrlimit(limit, (int(value), int(value)))
        except (ValueError, OSError):  # macOS refuses some (RLIMIT_AS); the others still hold
            pass
    try:
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    except (ValueError, OSError):
        pass


if __name__ == "__main__":
    args = sys.argv[1:]
    if args[0].startswith("--limits="):
        set_limits(args.pop(0).removeprefix("--limits="))
    if args[0] == "--reap":
        reap(args[1:])
    else:
        serve(int(args[0]), int(args[1]), args[2], args[3] if len(args) > 3 else None)
