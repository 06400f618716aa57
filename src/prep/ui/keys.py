"""Reading what the learner types: a line (with a real line editor on a terminal), or one key.

End of input (Ctrl-D) reads as None; Ctrl-C raises KeyboardInterrupt wherever it is pressed, so the
session ends the same way at every prompt.
"""

from __future__ import annotations

import sys

from prep import startup

# Imported with this module, not when the first key is read: a Ctrl-C that lands while an import
# cleans up is swallowed by Python ("Exception ignored in ... _get_module_lock") and the session goes on.
try:
    import termios
    import tty
except ImportError:  # not a POSIX terminal: keys are read as lines
    termios = tty = None  # type: ignore[assignment]

_editor_ready = False


def _line_editor() -> None:
    """readline gives arrow keys, history (Up recalls earlier answers) and wide-character editing:
    Backspace after a Chinese character erases both of its columns. Imported at the first prompt,
    after the first question is on screen."""
    global _editor_ready  # noqa: PLW0603 - one import per process
    if _editor_ready or not sys.stdin.isatty():
        return
    _editor_ready = True
    try:
        import readline
    except ImportError:  # Windows without pyreadline: plain input() still works
        return
    readline.parse_and_bind("set enable-bracketed-paste on")


def read_line(prompt: str) -> str | None:
    """A line of text; None at end of input (Ctrl-D). Ctrl-C raises KeyboardInterrupt."""
    startup.resume()  # the first prompt ends the start-up: a session runs for minutes
    _line_editor()
    try:
        return input(prompt)
    except EOFError:
        return None


def read_key(allowed: str) -> str | None:
    """One key from `allowed` (case-insensitive); None at end of input. Ctrl-C raises KeyboardInterrupt."""
    startup.resume()
    if not sys.stdin.isatty() or termios is None:
        while True:
            line = sys.stdin.readline()
            if not line:
                return None
            key = line.strip().lower()[:1]
            if not key and "\n" in allowed:
                return "\n"
            if key and key in allowed:
                return key
    fd = sys.stdin.fileno()
    old = termios.tcgetattr(fd)
    try:
        tty.setcbreak(fd, termios.TCSANOW)  # the default (TCSAFLUSH) would drop keys typed ahead
        while True:
            ch = sys.stdin.read(1)
            if ch == "\x03":
                raise KeyboardInterrupt
            if ch in ("", "\x04"):
                return None
            if ch.lower() in allowed:
                return ch.lower()
            if ch in "\r\n" and "\n" in allowed:
                return "\n"
    finally:
        termios.tcsetattr(fd, termios.TCSADRAIN, old)
