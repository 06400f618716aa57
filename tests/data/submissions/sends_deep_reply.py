"""Writes its own reply frame: an array nested thousands of levels deep (a RecursionError in a naive
judge)."""
import os
import struct
import sys

REPLY_FD = int([a for a in sys.argv if a.isdigit()][1])


def conv2d(x, w, b=None, stride=1, padding=0):
    body = b'{"ok": true, "value": ' + b"[" * 5000 + b"]" * 5000 + b', "seconds": 0.1}'
    os.write(REPLY_FD, struct.pack("<II", len(body), 0) + body)
    return 0
