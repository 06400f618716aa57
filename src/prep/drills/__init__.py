"""Numeric drills: estimation questions whose numbers are drawn fresh at every review.

A generator is a small pure function `(rng: numpy.random.Generator) -> Drill`, registered under a name
(its card id is `drill:<name>`), the bank topics it belongs to and a title. The API for the quiz,
the store, stats and the Anki export:

- `all_generators()` -> every `Generator`, sorted by name; `get_generator(name)` -> one, or `KeyError`.
  `Generator.card_id` is `"drill:<name>"`, `.topics` are bank topic slugs, `.title` is `{en, zh}`.
- `gen(rng)` -> a `Drill` (same seed, same drill); `sample(gen, n)` -> n fixed instances (for an
  export). The quiz can seed a numpy generator from its own
  `random.Random`: `numpy.random.default_rng(rng.getrandbits(64))`; an export uses fixed seeds.
- `Drill.question` / `.derivation` are `{en, zh}`; `.answer` is exact, in the base unit of
  `.unit.kind` (bytes, FLOPs, seconds, a fraction for ratios...); `.unit` is how to display it and how
  a bare typed number is read; `.tolerance` is relative (0.05 = 5 %); `.inputs` are the numbers drawn.
- `format_answer(drill)` -> e.g. `"13.5 GB"`; `tolerance_text(drill, lang)` -> e.g. `"±5%"`.
- `prep.drills.answers.grade(drill, text)` -> `Outcome` (right / slip / wrong / wrong-kind /
  unreadable) with a note in both languages. Suggested ratings: right -> Good/Easy by time, right on a
  second try after a slip note -> Hard, wrong -> Again; wrong-kind and unreadable deserve another try.

Importing this package (or `answers`) is light: numpy and the generators load on `all_generators()`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

Text = dict[str, str]
Input = int | float | str | bool


class Kind(StrEnum):
    """What a quantity measures; answers of another kind are refused, not graded."""

    BYTES = "bytes"
    FLOPS = "FLOPs"
    PARAMS = "parameters"
    TOKENS = "tokens"
    SECONDS = "seconds"
    TOKEN_RATE = "tokens/s"
    COUNT = "count"
    RATIO = "ratio"
    PIXELS = "pixels"
    NUMBER = "number"


KIND_NAMES: dict[Kind, Text] = {
    Kind.BYTES: {"en": "memory (bytes)", "zh": "内存（字节）"},
    Kind.FLOPS: {"en": "compute (FLOPs)", "zh": "计算量（FLOPs）"},
    Kind.PARAMS: {"en": "a parameter count", "zh": "参数量"},
    Kind.TOKENS: {"en": "a token count", "zh": "token 数"},
    Kind.SECONDS: {"en": "time", "zh": "时间"},
    Kind.TOKEN_RATE: {"en": "a rate (tokens/s)", "zh": "速率（token/s）"},
    Kind.COUNT: {"en": "a count", "zh": "个数"},
    Kind.RATIO: {"en": "a fraction or percentage", "zh": "比例或百分比"},
    Kind.PIXELS: {"en": "a size in pixels", "zh": "像素尺寸"},
    Kind.NUMBER: {"en": "a plain number", "zh": "纯数值"},
}


@dataclass(frozen=True)
class Unit:
    """A display unit: `scale` base units of `kind` per `symbol` (GB: 1e9 bytes)."""

    kind: Kind
    symbol: str
    scale: float = 1.0


# The display units generators use; the parser understands many more spellings.
BYTES = Unit(Kind.BYTES, "bytes")
MB = Unit(Kind.BYTES, "MB", 1e6)
GB = Unit(Kind.BYTES, "GB", 1e9)
FLOPS = Unit(Kind.FLOPS, "FLOPs")
GFLOPS = Unit(Kind.FLOPS, "GFLOPs", 1e9)
PARAMS = Unit(Kind.PARAMS, "parameters")
MILLION_PARAMS = Unit(Kind.PARAMS, "M parameters", 1e6)
BILLION_PARAMS = Unit(Kind.PARAMS, "B parameters", 1e9)
BILLION_TOKENS = Unit(Kind.TOKENS, "B tokens", 1e9)
TOKENS = Unit(Kind.TOKENS, "tokens")
SECONDS = Unit(Kind.SECONDS, "s")
DAYS = Unit(Kind.SECONDS, "days", 86400.0)
TOKENS_PER_SECOND = Unit(Kind.TOKEN_RATE, "tokens/s")
COUNT = Unit(Kind.COUNT, "")
STEPS = Unit(Kind.COUNT, "steps")
PERCENT = Unit(Kind.RATIO, "%", 0.01)
FRACTION = Unit(Kind.RATIO, "")
PIXELS = Unit(Kind.PIXELS, "px")
NUMBER = Unit(Kind.NUMBER, "")
NATS = Unit(Kind.NUMBER, "nats")


@dataclass(frozen=True)
class Slip:
    """A known mistake: the learner's answer is `factor` times the right one, and why."""

    factor: float
    note: Text


@dataclass(frozen=True, kw_only=True)
class Drill:
    """One drawn instance: a question with an exact answer, a tolerance and a derivation."""

    name: str = ""
    topics: tuple[str, ...] = ()
    question: Text
    answer: float
    unit: Unit
    tolerance: float
    derivation: Text
    inputs: Mapping[str, Input] = field(default_factory=dict)
    slips: tuple[Slip, ...] = ()


DrillFn = Callable[["np.random.Generator"], Drill]


@dataclass(frozen=True)
class Generator:
    """A registered drill generator; calling it with an rng gives a named, topic-tagged Drill."""

    name: str
    topics: tuple[str, ...]
    title: Text
    make: DrillFn

    @property
    def card_id(self) -> str:
        return f"drill:{self.name}"

    def __call__(self, rng: np.random.Generator) -> Drill:
        return replace(self.make(rng), name=self.name, topics=self.topics)


_NAME = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
_REGISTRY: dict[str, Generator] = {}


def generator(name: str, topics: tuple[str, ...], title: Text) -> Callable[[DrillFn], Generator]:
    """Register a drill function under `name` (kebab-case, unique) with its topics and title."""
    if not _NAME.fullmatch(name):
        raise ValueError(f"drill name {name!r} must be kebab-case")
    if not topics:
        raise ValueError(f"drill {name!r} needs at least one topic")

    def register(make: DrillFn) -> Generator:
        if name in _REGISTRY:
            raise ValueError(f"drill {name!r} is registered twice")
        gen = Generator(name, topics, title, make)
        _REGISTRY[name] = gen
        return gen

    return register


def all_generators() -> tuple[Generator, ...]:
    """Every registered generator, sorted by name (imports the generator modules on first use)."""
    import prep.drills.generators  # noqa: F401  (registers the generators)

    return tuple(_REGISTRY[k] for k in sorted(_REGISTRY))


def sample(gen: Generator, count: int, seed: int = 0) -> list[Drill]:
    """`count` fixed instances of a drill (seeds `seed`, `seed + 1`, ...), e.g. for a static export."""
    import numpy as np

    return [gen(np.random.default_rng(seed + i)) for i in range(count)]


def get_generator(name: str) -> Generator:
    """The generator named `name` (with or without the `drill:` prefix); `KeyError` if none."""
    all_generators()
    return _REGISTRY[name.removeprefix("drill:")]


# --- display -----------------------------------------------------------------------------------------

def format_number(x: float, digits: int = 3) -> str:
    """A number for people: `6.74e9`, `151`, `0.0236`, `12,288` (exact integers below 1e7 keep all digits)."""
    if x == 0 or not math.isfinite(x):
        return f"{x:g}"
    if float(x).is_integer() and abs(x) < 1e7:
        return f"{int(x):,}"
    mag = math.floor(math.log10(abs(x)))
    if -4 <= mag < 6:
        text = f"{x:.{max(digits - 1 - mag, 0)}f}"
        return text.rstrip("0").rstrip(".") if "." in text else text
    mantissa = f"{x / 10 ** mag:.{digits - 1}f}".rstrip("0").rstrip(".")
    return f"{mantissa}e{mag}"


def format_quantity(value: float, unit: Unit, digits: int = 3) -> str:
    """`value` (in base units) shown in `unit`, e.g. `format_quantity(1.35e10, GB)` -> `"13.5 GB"`."""
    shown = format_number(value / unit.scale, digits)
    if not unit.symbol:
        return shown
    return f"{shown}{unit.symbol}" if unit.symbol == "%" else f"{shown} {unit.symbol}"


def format_answer(drill: Drill) -> str:
    """The exact answer for display: whole counts in full (`13,109,760 parameters`), others to 4 digits."""
    shown = drill.answer / drill.unit.scale
    if float(shown).is_integer() and abs(shown) < 1e13:
        return f"{int(shown):,} {drill.unit.symbol}".strip()
    return format_quantity(drill.answer, drill.unit, 4)


def tolerance_text(drill: Drill, lang: str = "en") -> str:
    """The tolerance as shown on screen: `±5%`, or `exact` when only the exact integer passes."""
    if drill.tolerance * abs(drill.answer) < 0.5 and float(drill.answer).is_integer():
        return "精确值" if lang == "zh" else "exact"
    return f"±{format_number(drill.tolerance * 100)}%"
