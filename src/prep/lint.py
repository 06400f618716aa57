"""Warnings for bank authors: near-duplicate questions, missing translations, over-long answers."""

from __future__ import annotations

from itertools import combinations

from prep.bank import LANGS, Entry, iter_text
from prep.quiz import _keywords

MAX_ANSWER = {"en": 700, "zh": 350}
NEAR_DUPLICATE = 0.6


def lint(entries: list[Entry] | tuple[Entry, ...]) -> list[str]:
    warnings = []
    for e in entries:
        for field, text in iter_text(e):
            missing = [lang for lang in LANGS if lang not in text]
            if missing:
                warnings.append(f"{e.source}: {e.id}: '{field}' has no {'/'.join(missing)} translation")
        for lang, limit in MAX_ANSWER.items():
            if len(e.answer.get(lang, "")) > limit:
                warnings.append(f"{e.source}: {e.id}: the {lang} answer is {len(e.answer[lang])} characters "
                                f"(keep it under {limit}; depth goes in the explanation)")
        if not 3 <= len(e.key_points) <= 5:
            warnings.append(f"{e.source}: {e.id}: {len(e.key_points)} key points (3-5 read best)")
    words = [(e, _keywords(e.question.get("en", "")) or _keywords(e.question.get("zh", ""))) for e in entries]
    for (a, wa), (b, wb) in combinations(words, 2):
        if wa and wb and len(wa & wb) / len(wa | wb) >= NEAR_DUPLICATE:
            warnings.append(f"{b.source}: {b.id}: question is close to {a.id} ({a.source}); "
                            "the same question asked twice?")
    return warnings
