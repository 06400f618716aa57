"""Tries to create a file in every visible folder (a report, a cache, a classmate's folder) and
signals every process it can see. Refuses to run outside a PID namespace."""
import os
import signal

SKIP = ("/proc", "/sys", "/dev", "/tmp", "/box")


def conv2d(x, w, b=None, stride=1, padding=0):
    if os.getpid() > 100:
        raise RuntimeError("refusing to run outside a PID namespace (this file is a sandbox test)")
    wrote = []
    for top, dirs, _ in os.walk("/"):
        dirs[:] = [d for d in dirs if os.path.join(top, d) not in SKIP]
        try:
            fd = os.open(os.path.join(top, ".prep-hostile"), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except OSError:
            continue
        os.close(fd)
        os.unlink(os.path.join(top, ".prep-hostile"))
        wrote.append(top)
    try:
        os.kill(-1, signal.SIGSTOP)  # every process this one may signal, except itself
    except OSError:
        pass
    if wrote:
        raise PermissionError(f"wrote in {wrote[:5]}")
    raise PermissionError("no folder outside /tmp and its own is writable")
