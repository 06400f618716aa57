"""Making untrusted text safe to show: control characters out, before anything reaches a terminal or a log."""

from __future__ import annotations

import re

# C0 controls except tab and newline, DEL and the C1 controls: ESC/CSI sequences, OSC titles and links,
# carriage returns that overwrite a line, bells.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_CONTROL_BUT_CR = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def printable(text: str, *, keep_cr: bool = False) -> str:
    """`text` without control characters (newline and tab kept; carriage return too if asked, for
    formats that escape it)."""
    return (_CONTROL_BUT_CR if keep_cr else _CONTROL).sub("", text)


def one_line(text: str) -> str:
    """`text` on one line: printable, with newlines and tabs turned into spaces."""
    return " ".join(printable(text).split())
