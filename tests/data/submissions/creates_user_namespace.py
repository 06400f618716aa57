"""Creates a user namespace (full capabilities inside it: kernel attack surface)."""
import ctypes
import os

CLONE_NEWUSER = 0x10000000


def conv2d(x, w, b=None, stride=1, padding=0):
    if os.getpid() > 100:
        raise RuntimeError("refusing to run outside a PID namespace (this file is a sandbox test)")
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.unshare(CLONE_NEWUSER) == 0:
        raise OSError("created a user namespace")
    raise OSError(f"cannot create a user namespace (errno {ctypes.get_errno()}); uid {os.getuid()}, "
                  f"capabilities {open('/proc/self/status').read().split('CapEff:')[1].split()[0]}")
