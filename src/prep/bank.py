"""The question bank: the entry model, safe YAML loading with line numbers, validation and a cache.

Problems are collected as `file:line: message` lines; a bank with any problem is refused whole.
"""

from __future__ import annotations

import functools
import marshal
import os
import re
import zlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from prep.errors import BankError
from prep.lang import Text
from prep.paths import data_root

KEBAB = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
LANGS = ("en", "zh")
TEXT_FIELDS = ("question", "answer", "explanation")
REQUIRED = ("id", "topic", "difficulty", "tags", "question", "answer", "explanation", "key_points")
OPTIONAL = ("choices", "see_also", "kata", "code")
CACHE_VERSION = 5
MAX_PROBLEMS_PER_FILE = 20  # beyond this a file is broken wholesale; the count says how badly



@dataclass(frozen=True)
class Choice:
    text: Text
    correct: bool


@dataclass(frozen=True)
class Entry:
    id: str
    topic: str
    difficulty: int
    tags: tuple[str, ...]
    question: Text
    answer: Text
    explanation: Text
    key_points: tuple[Text, ...]
    choices: tuple[Choice, ...] = ()
    see_also: tuple[str, ...] = ()
    kata: str | None = None
    code: str | None = None
    source: str = ""  # file:line where the entry starts

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.id, "topic": self.topic, "difficulty": self.difficulty, "tags": list(self.tags),
            "question": self.question, "answer": self.answer, "explanation": self.explanation,
            "key_points": list(self.key_points),
        }
        if self.choices:
            out["choices"] = [{"text": c.text, "correct": c.correct} for c in self.choices]
        if self.see_also:
            out["see_also"] = list(self.see_also)
        if self.kata:
            out["kata"] = self.kata
        if self.code:
            out["code"] = self.code
        return out


@dataclass(frozen=True)
class Topic:
    slug: str
    name: Text


@dataclass(frozen=True)
class Bank:
    entries: tuple[Entry, ...]
    topics: dict[str, Topic]

    def by_id(self) -> dict[str, Entry]:
        return {e.id: e for e in self.entries}


# --- YAML ----------------------------------------------------------------------------------------

def read_yaml(path: Path) -> tuple[Any, list[str]]:
    """Parse one file safely (see prep.yamlio). Imported on demand: a warm start never needs YAML."""
    from prep.yamlio import read_yaml as _read

    return _read(path)


# --- validation ------------------------------------------------------------------------------------

_CJK_PUNCT = "\u3000-\u303f\uff00-\uffef\u201c\u201d"
_CJK_CHARS = "\u3400-\u4dbf\u4e00-\u9fff" + _CJK_PUNCT


@functools.cache
def _joins() -> tuple[tuple[re.Pattern[str], str], ...]:
    """Compiled on first use (3.5 ms): a warm quiz start never parses YAML, so never tidies."""
    return (
        (re.compile(f"(?<=[{_CJK_CHARS}]) ?\n(?=[{_CJK_CHARS}])"), ""),  # a line break inside a Chinese sentence
        (re.compile(f"(?<=[{_CJK_PUNCT}]) +(?=\\S)"), ""),              # a space after full-width punctuation
        (re.compile(f"(?<=\\S) +(?=[{_CJK_PUNCT}])"), ""),              # or before it
        (re.compile("(?<=[\u3400-\u4dbf\u4e00-\u9fff]) (?=[\u3400-\u4dbf\u4e00-\u9fff])"), ""),  # between two hanzi
    )


def tidy_zh(text: str) -> str:
    """Undo the spaces YAML folding and Markdown soft breaks put inside Chinese sentences.

    A folded (`>-`) block joins its lines with a space, which in Chinese shows as a stray gap ("。 LSTM",
    "可以 为"). Spaces between hanzi and Latin words or digits ("RNN 层") are kept: they are house style.
    """
    for pattern, repl in _joins():
        text = pattern.sub(repl, text)
    return text


def _check_text(value: Any, where: str, field: str, require_both: bool, problems: list[str]) -> Text | None:
    if not isinstance(value, dict):
        problems.append(f"{where}: '{field}' must be a mapping {{en: ..., zh: ...}}, got {type(value).__name__}")
        return None
    unknown = [k for k in value if k not in LANGS]
    if unknown:
        problems.append(f"{where}: '{field}' has unknown language '{unknown[0]}' (use en, zh)")
    text = {k: v for k, v in value.items() if k in LANGS}
    for lang, item in text.items():
        if not isinstance(item, str):
            problems.append(f"{where}: '{field}.{lang}' must be text, got {type(item).__name__}")
            return None
        if not item.strip():
            problems.append(f"{where}: '{field}.{lang}' is empty")
            return None
    missing = [lang for lang in LANGS if lang not in text]
    if len(missing) == len(LANGS) or (require_both and missing):
        problems.append(f"{where}: '{field}' is missing its {' and '.join(missing)} text")
        return None
    return {k: tidy_zh(v.strip("\n")) if k == "zh" else v.strip("\n") for k, v in text.items()}


def _check_str_list(value: Any, where: str, field: str, problems: list[str], kebab: bool) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        problems.append(f"{where}: '{field}' must be a list of text")
        return ()
    if kebab:
        for v in value:
            if not KEBAB.fullmatch(v):
                problems.append(f"{where}: '{field}' item '{v}' is not kebab-case")
    return tuple(value)


def parse_entry(raw: Any, path: Path, require_both: bool, problems: list[str]) -> Entry | None:
    """Turn one raw mapping into an Entry, appending every problem found."""
    line = getattr(raw, "line", 0)
    where = f"{path}:{line}" if line else str(path)
    if not isinstance(raw, dict):
        problems.append(f"{where}: an entry must be a mapping, got {type(raw).__name__}")
        return None
    before = len(problems)
    lines: dict[str, int] = getattr(raw, "key_lines", {})

    def at(key: str) -> str:
        return f"{path}:{lines[key]}" if key in lines else where

    for key in raw:
        if key not in REQUIRED and key not in OPTIONAL:
            problems.append(f"{at(key)}: unknown field '{key}'")
    for key in REQUIRED:
        if key not in raw or raw[key] is None or raw[key] in ("", [], {}):
            problems.append(f"{where}: missing or empty field '{key}'")
    if len(problems) > before:
        return None
    entry_id = raw["id"]
    if not isinstance(entry_id, str) or not KEBAB.fullmatch(entry_id):
        problems.append(f"{at('id')}: id {entry_id!r} must be kebab-case text (a-z, 0-9, '-')")
    if not isinstance(raw["topic"], str):
        problems.append(f"{at('topic')}: 'topic' must be text")
    difficulty = raw["difficulty"]
    if type(difficulty) is not int or difficulty not in (1, 2, 3):
        problems.append(f"{at('difficulty')}: 'difficulty' must be 1, 2 or 3, got {difficulty!r}")
    tags = _check_str_list(raw["tags"], at("tags"), "tags", problems, kebab=True)
    texts = {f: _check_text(raw[f], at(f), f, require_both, problems) for f in TEXT_FIELDS}
    key_points: list[Text] = []
    if not isinstance(raw["key_points"], list):
        problems.append(f"{at('key_points')}: 'key_points' must be a list")
    else:
        for i, kp in enumerate(raw["key_points"]):
            t = _check_text(kp, f"{path}:{getattr(kp, 'line', lines.get('key_points', line))}",
                            f"key_points[{i}]", require_both, problems)
            if t:
                key_points.append(t)
    choices: list[Choice] = []
    if raw.get("choices") is not None:
        if not isinstance(raw["choices"], list) or len(raw["choices"]) < 2:
            problems.append(f"{at('choices')}: 'choices' must be a list of at least 2 options")
        else:
            for i, ch in enumerate(raw["choices"]):
                cw = f"{path}:{getattr(ch, 'line', lines.get('choices', line))}"
                if not isinstance(ch, dict) or set(ch) != {"text", "correct"}:
                    problems.append(f"{cw}: choices[{i}] must have exactly 'text' and 'correct'")
                    continue
                if type(ch["correct"]) is not bool:
                    problems.append(f"{cw}: choices[{i}].correct must be true or false")
                    continue
                t = _check_text(ch["text"], cw, f"choices[{i}].text", require_both, problems)
                if t:
                    choices.append(Choice(t, ch["correct"]))
            if len(choices) == len(raw["choices"]) and not any(c.correct for c in choices):
                problems.append(f"{at('choices')}: no choice is marked correct")
    see_also = _check_str_list(raw.get("see_also") or [], at("see_also"), "see_also", problems, kebab=False)
    for key in ("kata", "code"):
        if raw.get(key) is not None and not isinstance(raw[key], str):
            problems.append(f"{at(key)}: '{key}' must be text")
    if len(problems) > before:
        return None
    return Entry(
        id=entry_id, topic=raw["topic"], difficulty=difficulty, tags=tags,
        question=texts["question"] or {}, answer=texts["answer"] or {},
        explanation=texts["explanation"] or {}, key_points=tuple(key_points), choices=tuple(choices),
        see_also=see_also, kata=raw.get("kata"), code=raw.get("code"), source=where,
    )


def _parse_topics(path: Path, problems: list[str]) -> list[Topic]:
    data, errs = read_yaml(path)
    problems += errs
    if data is None:
        return []
    items = data.get("topics") if isinstance(data, dict) else None
    if not isinstance(items, list):
        problems.append(f"{path}:1: expected a top-level 'topics:' list")
        return []
    topics = []
    for item in items:
        where = f"{path}:{getattr(item, 'line', 1)}"
        if not isinstance(item, dict) or not isinstance(item.get("slug"), str) or not KEBAB.fullmatch(item["slug"]):
            problems.append(f"{where}: a topic needs a kebab-case 'slug'")
            continue
        extra = [k for k in item if k not in ("slug", *LANGS)]
        if extra:
            problems.append(f"{where}: topic '{item['slug']}' has an unknown key '{extra[0]}' "
                            "(a name with a comma must be quoted)")
            continue
        name = {k: v for k, v in item.items() if k in LANGS and isinstance(v, str)}
        topics.append(Topic(item["slug"], name or {"en": item["slug"]}))
    return topics


def _parse_file(path: Path, require_both: bool, problems: list[str]) -> list[Entry]:
    data, errs = read_yaml(path)
    problems += errs
    if data is None:
        return []
    if not isinstance(data, dict) or "entries" not in data:
        problems.append(f"{path}:1: expected a top-level 'entries:' list")
        return []
    extra = [k for k in data if k != "entries"]
    if extra:
        problems.append(f"{path}:{getattr(data, 'key_lines', {}).get(extra[0], 1)}: unknown top-level key '{extra[0]}'")
    raw = data["entries"]
    if not isinstance(raw, list):
        problems.append(f"{path}:{getattr(data, 'key_lines', {}).get('entries', 1)}: 'entries' must be a list")
        return []
    entries = [parse_entry(r, path, require_both, problems) for r in raw]
    return [e for e in entries if e is not None]


# --- finding files, the cache, the whole bank ------------------------------------------------------

def builtin_dir() -> Path:
    return data_root() / "bank"


def pack_dirs(extra: Iterable[str | Path] = ()) -> list[Path]:
    """Extra packs: `--bank` folders, then PREP_BANK_PATH (os.pathsep-separated)."""
    dirs = [Path(p) for p in extra]
    env = os.environ.get("PREP_BANK_PATH", "")
    dirs += [Path(p) for p in env.split(os.pathsep) if p]
    return dirs


def bank_files(paths: Iterable[Path]) -> tuple[list[Path], list[Path], list[str]]:
    """Split files/folders into (entry files, topics files, problems)."""
    files: list[Path] = []
    topics: list[Path] = []
    problems: list[str] = []
    for p in paths:
        if p.is_dir():
            found = sorted(x for x in p.rglob("*") if x.suffix in (".yaml", ".yml") and x.is_file())
        elif p.is_file():
            found = [p]
        else:
            problems.append(f"{p}: no such file or folder")
            continue
        for f in found:
            (topics if f.name in ("topics.yaml", "topics.yml") else files).append(f)
    return files, topics, problems


def _cache_dir() -> Path | None:
    if os.environ.get("PREP_NO_CACHE"):
        return None
    from prep.paths import home

    return home() / "cache"


def _stamp(path: Path) -> tuple[int, int, int]:
    st = path.stat()
    return (st.st_mtime_ns, st.st_size, st.st_ino)


def _entry_to_plain(e: Entry) -> tuple[Any, ...]:
    return (e.id, e.topic, e.difficulty, e.tags, e.question, e.answer, e.explanation, e.key_points,
            tuple((c.text, c.correct) for c in e.choices), e.see_also, e.kata, e.code, e.source)


def _entry_from_plain(t: tuple[Any, ...]) -> Entry:
    choices = tuple(Choice(text, correct) for text, correct in t[8])
    return Entry(t[0], t[1], t[2], t[3], t[4], t[5], t[6], t[7], choices, t[9], t[10], t[11], t[12])


class EntryRef(NamedTuple):
    """What choosing cards needs of an entry; the full text is decoded only for cards shown.

    A named tuple: a start builds one per entry of every pack (10,000s), and tuples build fastest."""

    id: str
    topic: str
    difficulty: int
    tags: tuple[str, ...]
    has_choices: bool
    see_also: tuple[str, ...]
    kata: str | None
    source: str
    blob: bytes | tuple[str, int, int]  # the marshalled full entry, or where it lies in a cache file

    @property
    def choices(self) -> bool:
        return self.has_choices

    def entry(self) -> Entry:
        blob = self.blob
        if isinstance(blob, tuple):
            path, offset, length = blob
            try:
                with open(path, "rb") as fh:
                    fh.seek(offset)
                    blob = fh.read(length)
                return _entry_from_plain(marshal.loads(blob))
            except (OSError, EOFError, ValueError, TypeError, IndexError):
                raise BankError([f"{self.source}: the bank cache changed underneath; run the command again"]) from None
        return _entry_from_plain(marshal.loads(blob))


class LazyEntries(Sequence[Entry]):
    """Entries decoded one at a time as a session reaches them (a plan may hold thousands)."""

    def __init__(self, refs: Sequence[EntryRef]) -> None:
        self._refs = refs

    def __len__(self) -> int:
        return len(self._refs)

    def __getitem__(self, index: int) -> Entry:  # type: ignore[override]
        return self._refs[index].entry()


def _ref_of(e: Entry) -> EntryRef:
    return EntryRef(e.id, e.topic, e.difficulty, e.tags, bool(e.choices), e.see_also, e.kata, e.source,
                    marshal.dumps(_entry_to_plain(e)))


def _cache_key(path: Path, kind: str) -> str:
    """A file name for the cache of `path` (64 bits from zlib: hashlib's import costs 2.5 ms of a quiz's
    start; a cache is used only if the stamp stored in it matches the file)."""
    key = f"{path.resolve()}|{kind}|{CACHE_VERSION}".encode()
    return f"{zlib.crc32(key):08x}{zlib.adler32(key):08x}"


def _load_topics(path: Path, problems: list[str]) -> list[Topic]:
    """A topics file, through the same (mtime, size, inode)-keyed marshal cache as entries."""
    cache_dir = _cache_dir()
    try:
        stamp = _stamp(path)
    except OSError:
        stamp = None
    if cache_dir is None or stamp is None:
        return _parse_topics(path, problems)
    cache_file = cache_dir / f"{_cache_key(path, 'topics')}.topics"
    try:
        data = marshal.loads(cache_file.read_bytes())
        if data[0] == stamp:
            return [Topic(slug, name) for slug, name in data[1]]
    except (OSError, EOFError, ValueError, TypeError, IndexError):
        pass
    before = len(problems)
    topics = _parse_topics(path, problems)
    if len(problems) == before:
        try:
            cache_file.parent.mkdir(parents=True, exist_ok=True)
            tmp = cache_file.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_bytes(marshal.dumps((stamp, [(t.slug, t.name) for t in topics])))
            os.replace(tmp, cache_file)
        except OSError:
            pass
    return topics


def _load_files(files: list[Path], require_both: bool, problems: list[str]) -> list[EntryRef]:
    """Parse files, reusing a marshal cache keyed by each file's (mtime, size, inode)."""
    cache_dir = _cache_dir()
    refs: list[EntryRef] = []
    for f in files:
        cached = None
        cache_file = None
        try:
            stamp = _stamp(f)
        except OSError:
            stamp = None
        if cache_dir is not None and stamp is not None:
            key = _cache_key(f, str(require_both))
            cache_file = cache_dir / f"{key}.bank"
            text_file = cache_dir / f"{key}.text"
            try:
                data = marshal.loads(cache_file.read_bytes())
                if data[0] == stamp:
                    cached = data[1]
            except (OSError, EOFError, ValueError, TypeError, IndexError):
                cached = None
        if cached is not None:
            refs += map(EntryRef._make, cached)
            continue
        before = len(problems)
        parsed = [_ref_of(e) for e in _parse_file(f, require_both, problems)]
        refs += parsed
        if cache_file is not None and len(problems) == before:
            # index rows and texts live apart: a start reads the small index, and only the texts shown
            rows, offset = [], 0
            for r in parsed:
                assert isinstance(r.blob, bytes)
                rows.append((r.id, r.topic, r.difficulty, r.tags, r.has_choices, r.see_also, r.kata, r.source,
                             (str(text_file), offset, len(r.blob))))
                offset += len(r.blob)
            try:
                cache_file.parent.mkdir(parents=True, exist_ok=True)
                tmp = text_file.with_suffix(f".{os.getpid()}.tmp")
                tmp.write_bytes(b"".join(r.blob for r in parsed if isinstance(r.blob, bytes)))
                os.replace(tmp, text_file)
                tmp = cache_file.with_suffix(f".{os.getpid()}.tmp")
                tmp.write_bytes(marshal.dumps((stamp, rows)))
                os.replace(tmp, cache_file)
            except OSError:
                pass  # the cache is an optimisation; a read-only home must not stop the quiz
    return refs


def cap_per_file(problems: list[str], limit: int = MAX_PROBLEMS_PER_FILE) -> list[str]:
    """At most `limit` problems per file, then one line saying how many more there are."""
    shown: dict[str, int] = {}
    out: list[str] = []
    for p in problems:
        key = p.split(":", 1)[0]
        shown[key] = shown.get(key, 0) + 1
        if shown[key] <= limit:
            out.append(p)
    out += [f"{key}: ... and {n - limit:,} more" for key, n in shown.items() if n > limit]
    return out


def cross_check(entries: list[Entry] | list[EntryRef], topics: dict[str, Topic], problems: list[str],
                kata_slugs: set[str] | None = None, known_ids: frozenset[str] = frozenset()) -> None:
    """Problems that need the whole bank: duplicate ids, unknown topics, dangling references."""
    seen: dict[str, Entry | EntryRef] = {}
    for e in entries:
        if e.id in seen:
            problems.append(f"{e.source}: duplicate id '{e.id}' (first at {seen[e.id].source})")
        else:
            seen[e.id] = e
        if e.topic not in topics:
            problems.append(f"{e.source}: unknown topic '{e.topic}'")
    for e in entries:
        for ref in e.see_also:
            if ref not in seen and ref not in known_ids:
                problems.append(f"{e.source}: see_also names unknown id '{ref}'")
        if kata_slugs is not None and e.kata and e.kata not in kata_slugs:
            problems.append(f"{e.source}: kata '{e.kata}' does not exist")


@dataclass(frozen=True)
class BankIndex:
    """A loaded, validated bank whose entries are decoded on demand."""

    refs: tuple[EntryRef, ...]
    topics: dict[str, Topic]

    def full(self) -> Bank:
        return Bank(tuple(r.entry() for r in self.refs), self.topics)


def load_index(extra: Iterable[str | Path] = (), *, include_builtin: bool = True,
               kata_slugs: set[str] | None = None) -> BankIndex:
    """Load the built-in bank plus extra packs; raise BankError listing every problem."""
    problems: list[str] = []
    builtin_files, builtin_topics, _ = bank_files([builtin_dir()])
    if not include_builtin:
        builtin_files = []  # the topic list is shared even when the built-in entries are left out
    pack_files, pack_topics, missing = bank_files(pack_dirs(extra))
    problems += missing
    topics: dict[str, Topic] = {}
    for tf in [*builtin_topics, *pack_topics]:
        for t in _load_topics(tf, problems):
            topics.setdefault(t.slug, t)
    refs = _load_files(builtin_files, True, problems) + _load_files(pack_files, False, problems)
    cross_check(refs, topics, problems, kata_slugs)
    if problems:
        raise BankError(cap_per_file(problems))
    return BankIndex(tuple(refs), topics)


def load_bank(extra: Iterable[str | Path] = (), *, include_builtin: bool = True,
              kata_slugs: set[str] | None = None) -> Bank:
    """The whole bank with every entry decoded (export, stats, lint)."""
    return load_index(extra, include_builtin=include_builtin, kata_slugs=kata_slugs).full()


def validate_paths(paths: list[Path], kata_slugs: set[str] | None = None,
                   packs: Iterable[str | Path] = ()) -> list[str]:
    """Every problem in the given files/folders, so that what passes is what `prep quiz --bank` loads.

    Topics come from the built-in bank and the paths; ids must not clash with the built-in bank or
    with the other packs that would be loaded beside these (`packs`, PREP_BANK_PATH). A folder with
    no YAML in it is a problem.
    """
    problems: list[str] = []
    files, topic_files, missing = bank_files(paths)
    problems += missing
    for p in paths:
        if p.is_dir() and not any(bank_files([p])[:2]):
            problems.append(f"{p}: no bank files (*.yaml) in this folder")
    topics: dict[str, Topic] = {}
    for tf in [*bank_files([builtin_dir()])[1], *topic_files]:
        for t in _parse_topics(tf, problems):
            topics.setdefault(t.slug, t)
    entries: list[Entry] = []
    builtin = builtin_dir().resolve()
    for f in files:
        entries += _parse_file(f, f.resolve().is_relative_to(builtin), problems)
    mine = {f.resolve() for f in files}
    others: dict[str, str] = {}  # id -> where it is already defined
    if not any(f.resolve().is_relative_to(builtin) for f in files):
        for r in _load_files(bank_files([builtin])[0], True, []):
            others.setdefault(r.id, f"the built-in bank ({r.source})")
    other_files = [f for f in bank_files(pack_dirs(packs))[0] if f.resolve() not in mine]
    for r in _load_files(other_files, False, []):
        others.setdefault(r.id, f"the pack at {r.source}")
    for e in entries:
        if e.id in others:
            problems.append(f"{e.source}: id '{e.id}' is already used by {others[e.id]}")
    cross_check(entries, topics, problems, kata_slugs, frozenset(others))
    return cap_per_file(problems)


def iter_text(entry: Entry) -> Iterator[tuple[str, Text]]:
    yield "question", entry.question
    yield "answer", entry.answer
    yield "explanation", entry.explanation
    for i, kp in enumerate(entry.key_points):
        yield f"key_points[{i}]", kp
    for i, c in enumerate(entry.choices):
        yield f"choices[{i}]", c.text
