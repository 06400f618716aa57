"""Stays just under the per-call limit on every call, so that only a budget per submission ends it."""
import time


def conv2d(x, w, b=None, stride=1, padding=0):
    time.sleep(1.6)
    raise TimeoutError("slow but under the per-call limit")
