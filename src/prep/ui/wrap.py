"""Line breaking for Chinese in rich: break between any two CJK characters, keep Latin words whole.

rich breaks lines only at spaces, so a Chinese run is one long "word" that jumps whole to the next
line and leaves a half-empty line where it meets a Latin word or a number. Teaching rich's word
splitter that each CJK character (with the punctuation that must stay beside it) is a word of its
own gives character-boundary breaks everywhere rich wraps: panels, Markdown, tables.
"""

from __future__ import annotations

import re

_CJK = "\u2e80-\u2fff\u3040-\u30ff\u3100-\u312f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af"
# never at the start of a line (closing punctuation) / never at the end of one (opening punctuation)
_CLOSING = "，。、；：！？）》」』】〉”’…—\uff0c\uff0e\uff1a\uff1b\uff01\uff1f\uff09\u3001\u3002%"
_OPENING = "（《「『【〈“‘\uff08"
_SPLITTER = re.compile(
    rf"\s*[{_OPENING}]*(?:[{_CJK}]|[^\s{_CJK}{_OPENING}{_CLOSING}]+|[{_OPENING}{_CLOSING}])[{_CLOSING}]*\s*"
)


def enable_cjk_wrapping() -> None:
    """Make rich break CJK text at character boundaries (idempotent; rich's own tests still hold)."""
    import rich._wrap

    rich._wrap.re_word = _SPLITTER


def split_words(text: str) -> list[str]:
    """How the splitter divides `text` into unbreakable pieces (for tests)."""
    return [m.group(0) for m in _SPLITTER.finditer(text)]
