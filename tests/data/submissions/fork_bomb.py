"""Starts as many processes as it can (RLIMIT_NPROC does not bind root)."""
import os
import signal
import time


def conv2d(x, w, b=None, stride=1, padding=0):
    pids = []
    for _ in range(300):
        try:
            pid = os.fork()
        except OSError:
            break
        if pid == 0:
            time.sleep(60)
            os._exit(0)
        pids.append(pid)
    for pid in pids:
        os.kill(pid, signal.SIGKILL)
    raise RuntimeError(f"started {len(pids)} processes")
