"""Reading what the learner types: a line, or one key without Enter when stdin is a terminal."""

from __future__ import annotations

import sys


def read_line(prompt: str) -> str | None:
    """A line of text; None at end of input (Ctrl-D) or Ctrl-C."""
    try:
        return input(prompt)
    except (EOFError, KeyboardInterrupt):
        return None


def read_key(allowed: str) -> str | None:
    """One key from `allowed` (case-insensitive); None at end of input or Ctrl-C."""
    if not sys.stdin.isatty():
        while True:
            line = sys.stdin.readline()
            if not line:
                return None
            key = line.strip().lower()[:1]
            if key and key in allowed:
                return key
    import termios
    import tty

    fd = sys.stdin.fileno()
    old = termios.tcgetattr(fd)
    try:
        tty.setcbreak(fd)
        while True:
            ch = sys.stdin.read(1)
            if ch in ("", "\x03", "\x04"):
                return None
            if ch.lower() in allowed:
                return ch.lower()
    finally:
        termios.tcsetattr(fd, termios.TCSADRAIN, old)
