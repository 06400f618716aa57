"""Read a typed numeric answer the way people write numbers, and grade it against a drill.

`parse_answer("11.2 GiB")`, `parse_answer("1.2B")`, `parse_answer("12 亿")` -> a `Quantity` in base
units; `grade(drill, text)` -> an `Outcome`: right (within tolerance), slip (off by a telling factor,
with a note naming the likely mistake), wrong, wrong-kind (a unit of another kind), or unreadable.
No numpy here: this runs on the quiz's start-up path.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, field
from enum import StrEnum

from prep.drills import KIND_NAMES, Drill, Kind, Slip, Text, format_number


@dataclass(frozen=True)
class Quantity:
    """A parsed answer: `value` in base units of `kind` (bytes, FLOPs, seconds, a fraction...), or a
    plain number (magnitude words applied) when no unit was typed (`kind` None)."""

    value: float
    kind: Kind | None
    unit: str = ""


class Verdict(StrEnum):
    RIGHT = "right"
    SLIP = "slip"
    WRONG = "wrong"
    WRONG_KIND = "wrong-kind"
    UNREADABLE = "unreadable"


@dataclass(frozen=True)
class Outcome:
    """The grade of one typed answer; `given` is in base units, `note` is {en, zh} (empty when right)."""

    verdict: Verdict
    given: float | None = None
    note: Text = field(default_factory=dict)

    @property
    def right(self) -> bool:
        return self.verdict is Verdict.RIGHT


# --- units ---------------------------------------------------------------------------------------------

_SI = {"": 1.0, "k": 1e3, "K": 1e3, "M": 1e6, "G": 1e9, "T": 1e12, "P": 1e15, "E": 1e18, "Z": 1e21}
_BINARY = {"Ki": 2.0**10, "ki": 2.0**10, "Mi": 2.0**20, "Gi": 2.0**30, "Ti": 2.0**40, "Pi": 2.0**50}

# Exact spellings first (case matters: "Gb" is gigabits, "GB" gigabytes, a bare "B" is a billion).
_UNITS: dict[str, tuple[Kind, float]] = {}
# Then case-insensitive spellings (a lazily typed "gb" still means gigabytes).
_UNITS_LOWER: dict[str, tuple[Kind, float]] = {}


def _add(kind: Kind, factor: float, *names: str, exact: bool = False) -> None:
    for name in names:
        _UNITS[name] = (kind, factor)
        if not exact:
            _UNITS_LOWER[name.lower()] = (kind, factor)


for _p, _f in _SI.items():
    if _p:
        _add(Kind.BYTES, _f, f"{_p}B")
        _add(Kind.BYTES, _f / 8, f"{_p}bit", f"{_p}bits")
        if _p.isupper():
            _add(Kind.BYTES, _f / 8, f"{_p}b", exact=True)
    for _flop in ("FLOP", "FLOPs", "FLOPS", "flop", "flops", "Flops"):
        for _per in ("", "/token", "/tok", " per token"):
            _add(Kind.FLOPS, _f, f"{_p}{_flop}{_per}")
for _p, _f in _BINARY.items():
    _add(Kind.BYTES, _f, f"{_p}B")
_add(Kind.BYTES, 1.0, "byte", "bytes", "字节")
_add(Kind.BYTES, 1 / 8, "bit", "bits", "比特")
_add(Kind.FLOPS, 1.0, "次浮点运算")
_add(Kind.PARAMS, 1.0, "param", "params", "parameter", "parameters", "weights", "参数", "个参数")
_add(Kind.TOKENS, 1.0, "token", "tokens", "tok", "toks", "个token", "个 token")
_add(Kind.TOKEN_RATE, 1.0, "tokens/s", "token/s", "tok/s", "tokens/sec", "tok/sec", "t/s", "tps",
     "tokens per second", "token per second", "token/秒", "tokens/秒", "个token/秒", "个 token/秒")
_add(Kind.SECONDS, 1.0, "s", "sec", "secs", "second", "seconds", "秒")
_add(Kind.SECONDS, 1e-3, "ms", "msec", "millisecond", "milliseconds", "毫秒")
_add(Kind.SECONDS, 1e-6, "us", "µs", "μs", "microsecond", "microseconds", "微秒")
_add(Kind.SECONDS, 1e-9, "ns", "nanosecond", "nanoseconds", "纳秒")
_add(Kind.SECONDS, 60.0, "min", "mins", "minute", "minutes", "分钟")
_add(Kind.SECONDS, 3600.0, "h", "hr", "hrs", "hour", "hours", "小时")
_add(Kind.SECONDS, 86400.0, "d", "day", "days", "天")
_add(Kind.SECONDS, 7 * 86400.0, "week", "weeks", "周")
_add(Kind.PIXELS, 1.0, "px", "pixel", "pixels", "像素")
_add(Kind.COUNT, 1.0, "step", "steps", "iteration", "iterations", "iter", "iters", "updates", "samples",
     "sequences", "seqs", "examples", "gpus", "步", "次", "个")
_add(Kind.RATIO, 0.01, "%", "percent", "pct")
_add(Kind.NUMBER, 1.0, "nat", "nats")

# Magnitude words that scale the number; letters are matched exactly, words case-insensitively.
_MAGNITUDE_LETTERS = {"k": 1e3, "K": 1e3, "M": 1e6, "m": 1e6, "B": 1e9, "b": 1e9, "G": 1e9, "T": 1e12,
                      "t": 1e12, "P": 1e15, "E": 1e18}
_MAGNITUDE_WORDS = {"thousand": 1e3, "million": 1e6, "mn": 1e6, "mil": 1e6, "billion": 1e9, "bn": 1e9,
                    "trillion": 1e12, "quadrillion": 1e15, "千": 1e3, "万": 1e4, "十万": 1e5, "百万": 1e6,
                    "千万": 1e7, "亿": 1e8, "十亿": 1e9, "百亿": 1e10, "千亿": 1e11, "万亿": 1e12}
_MAGNITUDES = sorted([*_MAGNITUDE_LETTERS, *_MAGNITUDE_WORDS], key=len, reverse=True)

_SUPERSCRIPT = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺", "0123456789-+")
_SUPER_RUN = re.compile("10([⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺]+)")
_APPROX = re.compile(r"^(?:~|≈|about|approx\.?|approximately|around|roughly|大约|大概|约)\s*", re.I)
_THOUSANDS = re.compile(r"(?<=\d)[,_ \u00a0\u2009\u202f](?=\d{3}(?!\d))")
_NUMBER = re.compile(
    r"^(?P<num>[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?)"
    r"(?:\s*(?:x|X|\*|×|·)\s*10\s*(?:\^|\*\*)\s*(?P<exp>[-+]?\d+))?\s*(?P<rest>.*)$", re.S)


def _unit(rest: str, hint: Kind | None) -> tuple[Kind, float] | None:
    if hint is Kind.SECONDS and rest == "m":
        return Kind.SECONDS, 60.0
    return _UNITS.get(rest) or _UNITS_LOWER.get(rest.lower())


def parse_answer(text: str, hint: Kind | None = None) -> Quantity | None:
    """Read `1.2e9`, `1.2B`, `1,200,000,000`, `1.2 billion`, `12 GB`, `11.2 GiB`, `3.5%`, `8 ms`, `12 亿`...

    Returns None when no number can be read. `hint` (the kind asked for) only settles `m`: minutes
    when a time is asked, a million otherwise.
    """
    s = _SUPER_RUN.sub(lambda m: "10^" + m.group(1).translate(_SUPERSCRIPT), text)
    s = unicodedata.normalize("NFKC", s).strip().rstrip(".。").strip()
    s = _APPROX.sub("", s)
    if s.startswith("10^"):
        s = "1x" + s
    s = _THOUSANDS.sub("", s)
    s = re.sub(r"^([-+]?\d+),(\d+)", r"\1.\2", s)  # what is left is a decimal comma: 1,5
    match = _NUMBER.match(s)
    if not match:
        return None
    value = float(match["num"]) * (10.0 ** int(match["exp"]) if match["exp"] else 1.0)
    rest = match["rest"].strip()
    if not rest:
        return Quantity(value, None)
    unit = _unit(rest, hint)
    if unit:
        return Quantity(value * unit[1], unit[0], rest)
    for word in _MAGNITUDES:
        exact = word in _MAGNITUDE_LETTERS
        if not (rest.startswith(word) if exact else rest.lower().startswith(word)):
            continue
        scale = _MAGNITUDE_LETTERS[word] if exact else _MAGNITUDE_WORDS[word]
        tail = rest[len(word):].strip()
        if not tail:
            return Quantity(value * scale, None)
        unit = _unit(tail, None)
        if unit:
            return Quantity(value * scale * unit[1], unit[0], tail)
    return None


# --- grading -------------------------------------------------------------------------------------------

_GIB = 2.0**30 / 1e9

_ANY = frozenset(Kind)
_MEMORY = frozenset({Kind.BYTES, Kind.TOKEN_RATE, Kind.SECONDS})  # bytes, or what is derived from bytes moved
_COMPUTE = frozenset({Kind.FLOPS, Kind.SECONDS, Kind.RATIO, Kind.TOKEN_RATE})
_RATIO = frozenset({Kind.RATIO, Kind.NUMBER})

# Generic slips (factor > 1; both directions are tried), each with its likely cause and the kinds it fits.
_GENERIC: tuple[tuple[float, Text, frozenset[Kind]], ...] = (
    (2.0, {"en": "a factor 2: forward + backward, 2 FLOPs per multiply-add, K and V both cached, "
                 "or 2 bytes per 16-bit value?",
           "zh": "差一个 2：前向 + 反向、一次乘加算 2 FLOPs、K 和 V 都要缓存，还是 16 位数值占 2 字节？"}, _ANY),
    (3.0, {"en": "a factor 3: training is 6ND (forward 2 + backward 4 FLOPs per parameter per token), "
                 "not 2ND.",
           "zh": "差一个 3：训练是 6ND（每个参数每个 token 前向 2、反向 4 FLOPs），不是 2ND。"}, _COMPUTE),
    (4.0, {"en": "a factor 4: bytes per value? fp32 is 4 bytes, 8-bit is 1, 16-bit is 2, 4-bit is 0.5.",
           "zh": "差一个 4：每个数值的字节数？fp32 占 4 字节，8 位占 1，16 位占 2，4 位占 0.5。"}, _MEMORY),
    (8.0, {"en": "bits vs bytes: 1 byte = 8 bits.", "zh": "比特和字节弄混了：1 字节 = 8 比特。"}, _MEMORY),
    (100.0, {"en": "percent vs fraction: 3.5% = 0.035.", "zh": "百分数和小数弄混了：3.5% = 0.035。"}, _RATIO),
    (1e3, {"en": "one prefix off: thousand vs million (k vs M, MB vs GB, ms vs s).",
           "zh": "差了一级前缀：千和百万（k 与 M、MB 与 GB、ms 与 s）。"}, _ANY),
    (1e6, {"en": "two prefixes off: thousand vs billion, million vs trillion (MB vs TB).",
           "zh": "差了两级前缀：千和十亿、百万和万亿（MB 与 TB）。"}, _ANY),
    (1e9, {"en": "three prefixes off: units vs billions (bytes vs GB)?",
           "zh": "差了三级前缀：个和十亿（字节与 GB）？"}, _ANY),
    (1024.0, {"en": "one binary prefix off: divided by 1,024 once too often or too rarely (KiB vs MiB).",
              "zh": "差了一级二进制前缀：多除或少除了一次 1,024（KiB 与 MiB）。"}, _MEMORY),
    (_GIB, {"en": "GB vs GiB: 1 GiB = 2^30 bytes = 1.074 GB.",
            "zh": "GB 和 GiB 弄混了：1 GiB = 2^30 字节 = 1.074 GB。"}, _MEMORY),
    (_GIB * 1.024, {"en": "TB vs TiB: 1 TiB = 2^40 bytes = 1.100 TB.",
                    "zh": "TB 和 TiB 弄混了：1 TiB = 2^40 字节 = 1.100 TB。"}, _MEMORY),
    (_GIB * 1e3, {"en": "a prefix off and GB vs GiB mixed (1 GiB = 1.074 GB).",
                  "zh": "差了一级前缀，同时混用了 GB 和 GiB（1 GiB = 1.074 GB）。"}, _MEMORY),
)


def _close(given: float, expected: float, tolerance: float) -> bool:
    return abs(given - expected) <= tolerance * max(abs(expected), 1e-300)


def _direction(ratio: float, factor: float) -> Text:
    times = format_number(factor if factor >= 1 else 1 / factor)
    if ratio > 1:
        return {"en": f"Yours is {times}× too high: ", "zh": f"你的结果大了 {times} 倍："}
    return {"en": f"Yours is {times}× too low: ", "zh": f"你的结果小了 {times} 倍："}


def _find_slip(drill: Drill, given: float) -> Text | None:
    if given == 0 or drill.answer == 0 or (given > 0) != (drill.answer > 0):
        return None
    ratio = given / drill.answer
    window = max(drill.tolerance, 0.01)
    specific = [s for s in drill.slips if abs(s.factor - 1) > window and abs(ratio / s.factor - 1) <= window]
    if specific:
        best: Slip = min(specific, key=lambda s: abs(math.log(ratio / s.factor)))
        return best.note
    matches = [(abs(math.log(ratio / (f if ratio > 1 else 1 / f))), f, note) for f, note, kinds in _GENERIC
               if drill.unit.kind in kinds and abs(ratio / (f if ratio > 1 else 1 / f) - 1) <= window]
    if not matches:
        return None
    _, factor, note = min(matches, key=lambda m: m[0])
    head = _direction(ratio, factor)
    return {lang: head[lang] + note[lang] for lang in ("en", "zh")}


def unreadable_note(text: str) -> Text:
    return {"en": f"Could not read a number in {text.strip()!r}: write e.g. 1.2e9, 1.2B, 12 GB, 3.5% or 8 ms.",
            "zh": f"没能从「{text.strip()}」读出数值：可以写 1.2e9、1.2B、12 GB、3.5% 或 8 ms。"}


def grade(drill: Drill, text: str) -> Outcome:
    """Grade a typed answer. A bare number is read in the drill's display unit, or else in base units.

    Right within `drill.tolerance`; slip when off by a factor the drill or the generic list names;
    wrong-kind when the unit measures something else; unreadable when no number is found.
    """
    kind = drill.unit.kind
    quantity = parse_answer(text, kind)
    if quantity is None:
        return Outcome(Verdict.UNREADABLE, None, unreadable_note(text))
    if quantity.kind is not None and quantity.kind is not kind:
        got, want = KIND_NAMES[quantity.kind], KIND_NAMES[kind]
        example = f" (e.g. {drill.unit.symbol})" if drill.unit.symbol else ""
        example_zh = f"（例如 {drill.unit.symbol}）" if drill.unit.symbol else ""
        return Outcome(Verdict.WRONG_KIND, quantity.value, {
            "en": f"Wrong kind of unit: '{quantity.unit}' measures {got['en']}, but this asks for "
                  f"{want['en']}{example}.",
            "zh": f"单位类型不对：「{quantity.unit}」表示{got['zh']}，这道题问的是{want['zh']}{example_zh}。"})
    if quantity.kind is None and drill.unit.scale != 1:
        candidates = [quantity.value * drill.unit.scale, quantity.value]
    else:
        candidates = [quantity.value]
    for given in candidates:
        if _close(given, drill.answer, drill.tolerance):
            return Outcome(Verdict.RIGHT, given)
    for given in candidates:
        note = _find_slip(drill, given)
        if note:
            return Outcome(Verdict.SLIP, given, note)
    given = min(candidates, key=lambda c: abs(math.log(abs(c / drill.answer))) if c and drill.answer else math.inf)
    if given != 0 and drill.answer != 0 and (given > 0) == (drill.answer > 0):
        ratio = given / drill.answer
        times = format_number(ratio if ratio > 1 else 1 / ratio, 2)
        higher = ratio > 1
        note = {"en": f"Not within {format_number(drill.tolerance * 100)}%: yours is {times}× too "
                      f"{'high' if higher else 'low'}.",
                "zh": f"超出 {format_number(drill.tolerance * 100)}% 的误差范围：你的结果{'大' if higher else '小'}"
                      f"了 {times} 倍。"}
    else:
        note = {"en": f"Not within {format_number(drill.tolerance * 100)}% of the answer.",
                "zh": f"不在答案 {format_number(drill.tolerance * 100)}% 的误差范围内。"}
    return Outcome(Verdict.WRONG, given, note)
