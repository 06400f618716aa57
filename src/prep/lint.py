"""Warnings for bank authors: near-duplicates, missing translations, over-long answers, and the
mechanical slips of folding and translation (broken hyphens, ASCII quotes and off-glossary terms in
Chinese, numbers one language has and the other has not). The rules are listed in bank/README.md.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from itertools import combinations

from prep.bank import LANGS, Entry, iter_text
from prep.quiz import _keywords

MAX_ANSWER = {"en": 700, "zh": 350}
NEAR_DUPLICATE = 0.6

# One term per concept in Chinese: a term on the left is written as the term on the right.
# Longer terms are matched first, so 词元化 is reported as 词元化, not as 词元. Add a row to extend;
# bank/README.md ("Glossary and mechanical rules") lists the same table for authors.
GLOSSARY: dict[str, str] = {
    "词元化": "分词",
    "词元": "token",
}

# Words that may follow a hyphen and a space on purpose: "one- and two-sided", "pre- or post-norm".
SUSPENDED_HYPHEN_WORDS = frozenset({"and", "or", "to", "vs"})

# Whether numbers 0-9 written alone take part in the numbers rule. Measured on the 354-entry bank: once
# a number spelled out on the other side excuses a digit ("补 0" against "pad with zeros"), they add no
# false hit (15 without that excuse), and a dropped "3" is as wrong as a dropped "30"; so they take part.
COMPARE_SINGLE_DIGITS = True


@dataclass(frozen=True)
class Finding:
    """One warning: where (file:line of the entry), which entry and field, what is wrong, which rule."""

    source: str
    entry_id: str
    field: str  # "answer.zh", "key_points[2].en", or a whole field ("question", "key_points")
    message: str
    rule: str

    def __str__(self) -> str:
        return f"{self.source}: {self.entry_id}: {self.field}: {self.message} [{self.rule}]"


def lint(entries: list[Entry] | tuple[Entry, ...], require: Collection[str] = ()) -> list[str]:
    """Every warning for these entries, one line each: `file:line: id: field: what is wrong [rule]`.

    A missing translation is a warning only for the languages in `require`: a pack may be English only.
    """
    return [str(f) for f in find_problems(entries, require)]


def find_problems(entries: list[Entry] | tuple[Entry, ...], require: Collection[str] = ()) -> list[Finding]:
    """The warnings as data, each with its rule's name (for counts per rule, and for tests)."""
    found: list[Finding] = []
    for e in entries:
        found += _shape(e, require)
        for field, text in iter_text(e):
            for lang, value in text.items():
                found += _text_rules(e, f"{field}.{lang}", lang, value)
        found += _numbers(e)
    found += _near_duplicates(entries)
    return found


# --- the original rules: shape of an entry, near-duplicates -----------------------------------------

def _shape(e: Entry, require: Collection[str]) -> Iterator[Finding]:
    for field, text in iter_text(e):
        missing = [lang for lang in LANGS if lang not in text and lang in require]
        if missing:
            yield Finding(e.source, e.id, field, f"no {'/'.join(missing)} translation", "translation")
    for lang, limit in MAX_ANSWER.items():
        if len(e.answer.get(lang, "")) > limit:
            yield Finding(e.source, e.id, f"answer.{lang}",
                          f"{len(e.answer[lang])} characters (keep it under {limit}; depth goes in the explanation)",
                          "answer-length")
    if not 3 <= len(e.key_points) <= 5:
        yield Finding(e.source, e.id, "key_points", f"{len(e.key_points)} key points (3-5 read best)", "key-points")


def _near_duplicates(entries: list[Entry] | tuple[Entry, ...]) -> Iterator[Finding]:
    words = [(e, _keywords(e.question.get("en", "")) or _keywords(e.question.get("zh", ""))) for e in entries]
    for (a, wa), (b, wb) in combinations(words, 2):
        if wa and wb and len(wa & wb) / len(wa | wb) >= NEAR_DUPLICATE:
            yield Finding(b.source, b.id, "question",
                          f"close to {a.id} ({a.source}); the same question asked twice?", "near-duplicate")


# --- text rules: hyphens broken by folding, quotes and terms in Chinese ------------------------------

_CODE = re.compile(r"```.*?```|`[^`\n]*`", re.DOTALL)  # fenced blocks first, then inline spans
# a Latin word of two or more characters ending in a letter (hyphens inside allowed, and a hanzi may
# come right before it), a hyphen, one space, a lowercase word: "Decoder- only", "encoder-decoder- style".
# A lone letter is a label prefix ("the I- tag", "repeating B- on"), not a word.
_BROKEN_HYPHEN = re.compile(r"(?<![A-Za-z0-9_-])([A-Za-z][A-Za-z0-9_-]*[A-Za-z])- ([a-z]+)\b")
_ASCII_QUOTED = re.compile(r'"[^"\n]*"')
_GLOSSARY = re.compile("|".join(re.escape(t) for t in sorted(GLOSSARY, key=len, reverse=True)))


def without_code(text: str) -> str:
    """The text with code blocks and `code spans` blanked out: rules about prose skip code."""
    return _CODE.sub(" ", text)


def _short(text: str, width: int = 30) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _quotes_message(prose: str) -> str:
    """What to do with ASCII quotes: quoted prose takes “...”, a string in code (`state["mean"]`) takes
    backticks around the code, which also exempts it."""
    phrases, strings = [], []
    for m in _ASCII_QUOTED.finditer(prose):
        before, after = prose[m.start() - 1:m.start()], prose[m.end():m.end() + 1]
        if (before and before in "=[{") or (after and after in "]}:"):
            strings.append(prose[max(0, m.start() - 1):m.end() + 1])
        else:
            phrases.append(m[0])
    parts = []
    if phrases:
        parts.append(f"{len(phrases)} ASCII-quoted phrase(s) in Chinese text, e.g. {_short(phrases[0])}; use “...”")
    if strings:
        parts.append(f"{len(strings)} string(s) in code outside backticks, e.g. {_short(strings[0])}; "
                     "put the code in `backticks`")
    lone = prose.count('"') - 2 * (len(phrases) + len(strings))
    if lone:
        parts.append(f"{lone} unpaired ASCII double quote(s); use “...”")
    return "; ".join(parts)


def _text_rules(e: Entry, field: str, lang: str, text: str) -> Iterator[Finding]:
    prose = without_code(text)
    broken = [f"{m[1]}- {m[2]}" for m in _BROKEN_HYPHEN.finditer(prose) if m[2] not in SUSPENDED_HYPHEN_WORDS]
    if broken:
        shown = ", ".join(f'"{b}"' for b in broken)
        yield Finding(e.source, e.id, field, f"word broken at a hyphen by line folding: {shown} "
                      "(keep the hyphenated word on one line)", "hyphen-break")
    if lang != "zh":
        return
    if '"' in prose:
        yield Finding(e.source, e.id, field, _quotes_message(prose), "zh-quotes")
    terms: dict[str, int] = {}
    for m in _GLOSSARY.finditer(prose):
        terms[m[0]] = terms.get(m[0], 0) + 1
    for term, n in terms.items():
        times = f" ({n}×)" if n > 1 else ""
        yield Finding(e.source, e.id, field, f"{term}{times}: the glossary term is {GLOSSARY[term]}", "glossary")


# --- numbers in one language's answer but not the other's ---------------------------------------------

_SCALE = {
    "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12,
    "k": 1e3, "K": 1e3, "M": 1e6, "B": 1e9, "T": 1e12,
    "千": 1e3, "万": 1e4, "百万": 1e6, "千万": 1e7, "亿": 1e8, "万亿": 1e12,
}
_NUMBER = re.compile(
    r"(?<![A-Za-z0-9_.])(?<![A-Za-z]-)"  # not part of a name: W2, fp16, GPT-3, v1.5 (but 第3层 is a number)
    r"(?P<int>\d{1,3}(?:,\d{3})+(?!\d)|\d+)(?:\.(?P<frac>\d+))?(?:[eE](?P<exp>[-+]?\d+))?"
    r"(?:\ ?(?P<word>thousand|million|billion|trillion)\b"
    r"|(?P<suffix>[kKMBT])(?![A-Za-z])"
    r"|\ ?(?P<zh>万亿|百万|千万|万|亿|千))?"
    r"(?![\d.]\d)"
)


@dataclass(frozen=True)
class Number:
    """A numeric literal as written, its value, and the step of its last significant digit.

    Trailing zeros of a whole number are not significant: 93,000 has a step of 1,000, like 9.3 万."""

    text: str
    value: float
    step: float

    def matches(self, other: Number) -> bool:
        """The same number written two ways: equal to within half the finer step, so 93,000 = 9.3 万
        but 175B != 1746 亿 (a rounded 174.6B is another number; the text that had 175B lost it)."""
        return abs(self.value - other.value) <= min(self.step, other.step) / 2 + 1e-9 * abs(self.value)


def numbers(text: str) -> list[Number]:
    """The numeric literals in prose (code left out), with thousands separators and scales read."""
    found = []
    for m in _NUMBER.finditer(without_code(text)):
        frac = m["frac"] or ""
        exp = int(m["exp"] or 0)
        scale = _SCALE.get(m["word"] or m["suffix"] or m["zh"] or "", 1.0)
        whole = m["int"].replace(",", "")
        value = float(f"{whole}.{frac or 0}") * 10.0 ** exp * scale
        significant = whole if frac or not whole.strip("0") else whole.rstrip("0")
        step = 10.0 ** (exp - len(frac) + len(whole) - len(significant)) * scale
        if not COMPARE_SINGLE_DIGITS and len(whole) == 1 and not frac and not exp and scale == 1:
            continue
        found.append(Number(m[0].strip(), value, step))
    return found


_ZH_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8,
              "九": 9}
_ZH_UNITS = {"十": 10, "百": 100, "千": 1000}
_ZH_BIG = {"万": 10_000, "亿": 100_000_000}
_ZH_NUMERAL = re.compile("[零〇一二两三四五六七八九十百千万亿]+")


def _zh_numeral_value(run: str) -> int:
    total = section = digit = 0
    for ch in run:
        if ch in _ZH_DIGITS:
            digit = _ZH_DIGITS[ch]
        elif ch in _ZH_UNITS:
            section += (digit or 1) * _ZH_UNITS[ch]
            digit = 0
        else:
            total = (total + section + digit) * _ZH_BIG[ch]
            section = digit = 0
    return total + section + digit


_EN_WORDS = dict(zip(("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
                      "eleven", "twelve"), range(13)))
_EN_WORDS |= {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
              "ninety": 90, "hundred": 100, "thousand": 1000, "million": 10**6, "billion": 10**9, "dozen": 12}
_EN_WORD = "(?:" + "|".join(_EN_WORDS) + ")s?"  # "zeros", "millions"
_EN_NUMERAL = re.compile(rf"\b{_EN_WORD}(?:[\s-]+{_EN_WORD})*\b", re.IGNORECASE)  # "two hundred", "forty-two"


def _en_numeral_value(run: str) -> int:
    total = section = 0
    for word in re.split(r"[\s-]+", run.lower()):
        n = _EN_WORDS[word.removesuffix("s") if word not in _EN_WORDS else word]
        if n == 100:
            section = (section or 1) * 100
        elif n >= 1000:
            total += (section or 1) * n
            section = 0
        else:
            section += n
    return total + section


def _spelled_out(text: str, lang: str) -> list[Number]:
    """Numbers written in words ("一百层", "two hundred"): they excuse a number, never raise one."""
    prose = without_code(text)
    if lang == "zh":
        return [Number(r, float(_zh_numeral_value(r)), 1.0) for r in _ZH_NUMERAL.findall(prose)]
    return [Number(m[0], float(_en_numeral_value(m[0])), 1.0) for m in _EN_NUMERAL.finditer(prose)]


def _numbers(e: Entry) -> Iterator[Finding]:
    if not all(lang in e.answer for lang in LANGS):
        return
    written = {lang: numbers(e.answer[lang]) for lang in LANGS}
    for lang, other in (("en", "zh"), ("zh", "en")):
        candidates = written[other] + _spelled_out(e.answer[other], other)
        missing = [n.text for n in written[lang] if not any(n.matches(c) for c in candidates)]
        if missing:
            shown = ", ".join(dict.fromkeys(missing))
            yield Finding(e.source, e.id, f"answer.{other}",
                          f"numbers in the {lang} answer but not the {other}: {shown}", "numbers")
