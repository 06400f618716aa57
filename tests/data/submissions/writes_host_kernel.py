"""Opens for writing what would change the host: kernel settings, devices, terminals, cgroup limits.
It never writes: opening is enough to show the hole. Refuses to run outside a PID namespace."""
import glob
import os

TARGETS = ["/proc/sys/kernel/core_pattern", "/proc/sys/vm/drop_caches", "/proc/sysrq-trigger",
           "/sys/power/state", "/sys/fs/cgroup/pids/pids.max", "/dev/kmsg", "/dev/console", "/dev/tty0",
           "/dev/kvm", "/dev/loop0", "/dev/mem", *glob.glob("/dev/pts/[0-9]*"), *glob.glob("/dev/tty[0-9]*")]


def conv2d(x, w, b=None, stride=1, padding=0):
    if os.getpid() > 100:
        raise RuntimeError("refusing to run outside a PID namespace (this file is a sandbox test)")
    opened = []
    for path in TARGETS:
        try:
            fd = os.open(path, os.O_WRONLY | os.O_NONBLOCK | os.O_NOCTTY)
        except OSError:
            continue
        os.close(fd)
        opened.append(path)
    if opened:
        raise PermissionError(f"could write {opened[:6]}")
    raise PermissionError("nothing of the host is writable")
