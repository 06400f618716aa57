"""The interface language: which one a command speaks, and a bilingual text in it.

Kept apart from the quiz so that commands which only need the language (a kata check) do not load
the bank, the scheduler and the store to learn it."""

from __future__ import annotations

import locale
import os

from prep.errors import PrepError

Text = dict[str, str]  # a text in each language it exists in: {'en': ..., 'zh': ...}


def resolve_lang(flag: str | None) -> str:
    """--lang, else PREP_LANG, else the locale (zh* -> zh), else en."""
    for value in (flag, os.environ.get("PREP_LANG")):
        if value:
            if value not in ("en", "zh", "both"):
                raise PrepError(f"unknown language '{value}': use en, zh or both")
            return value
    loc = os.environ.get("LC_ALL") or os.environ.get("LC_MESSAGES") or os.environ.get("LANG") or ""
    if not loc:
        loc = (locale.getlocale()[0] or "")
    return "zh" if loc.lower().startswith("zh") else "en"


def text_in(text: Text, lang: str) -> str:
    """The text in `lang` ('both': English then Chinese), falling back to whatever exists."""
    if lang == "both":
        parts = [text[k] for k in ("en", "zh") if k in text]
        return "\n".join(parts)
    return text.get(lang) or text.get("en") or next(iter(text.values()), "")
