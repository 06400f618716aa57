"""Export the question bank and fixed samples of the numeric drills as an Anki deck (`.apkg`, via genanki).

Imported only by `prep export anki`: neither this module nor genanki is on the quiz's start-up path.
"""

from __future__ import annotations

import hashlib
import html
import itertools
import os
import re
import sqlite3
import tempfile
import time
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from prep.bank import LANGS, Bank, Entry, Topic, load_bank
from prep.errors import PrepError
from prep.lang import Text

if TYPE_CHECKING:
    from prep.drills import Drill, Generator

# Fixed for good: Anki recognises the note type and the decks of an earlier import by these numbers.
# Change MODEL_ID only together with FIELDS (Anki updates a note in place only when its note type's
# fields are unchanged); never change ROOT_DECK_ID or GUID_NAMESPACE, or a re-import duplicates every note.
MODEL_ID = 1_789_867_724
ROOT_DECK_ID = 1_437_841_900
GUID_NAMESPACE = "prep.anki/v1"
MODEL_NAME = "prep card (v1)"
ROOT_DECK = "prep"
EXPORT_LANGS = ("en", "zh", "both")

FIELDS = ("Question", "Answer", "Key points", "Explanation", "Choices", "Code", "Source")

HEADINGS: dict[str, dict[str, str]] = {
    "en": {"answer": "Answer", "points": "Key points", "why": "Why"},
    "zh": {"answer": "参考答案", "points": "要点", "why": "解析"},
    "both": {"answer": "Answer · 参考答案", "points": "Key points · 要点", "why": "Why · 解析"},
}

SAMPLE_NOTE: Text = {
    "en": "A fixed sample ({i} of {n}) of the drill “{title}”: in <code>prep quiz</code> its numbers change "
          "at every review.",
    "zh": "这是练习“{title}”的固定样例（第 {i} 个，共 {n} 个）：在 <code>prep quiz</code> 里每次复习的数字都会变。",
}

CSS = """\
.card { font-family: -apple-system, "Segoe UI", "PingFang SC", "Noto Sans CJK SC", sans-serif;
        font-size: 18px; line-height: 1.5; text-align: left; max-width: 46em; margin: 0 auto; }
.lang + .lang { border-top: 1px dashed #bbb; margin-top: .6em; padding-top: .6em; }
.question { font-weight: 600; }
h3 { font-size: .8em; text-transform: uppercase; letter-spacing: .05em; color: #888; margin: 1em 0 .2em; }
code { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: .9em; }
pre { padding: .5em .8em; overflow-x: auto; font-size: 15px; border-radius: 4px; }
.code pre, .lang pre { background: #f6f8fa; color: #24292e; }
.sample { font-size: .8em; color: #888; font-style: italic; margin-top: .6em; }
ol.choices { list-style-type: upper-alpha; }
.back ol.choices li.correct { color: #1a7f37; font-weight: 600; }
.back ol.choices li.correct::after { content: " ✓"; }
.source { font-size: .75em; color: #999; margin-top: 1.2em; }
"""


@dataclass(frozen=True)
class NoteSpec:
    """One Anki note, before genanki: its fields (HTML, in FIELDS order), tags, deck and GUID."""

    guid: str
    deck: str
    fields: tuple[str, ...]
    tags: tuple[str, ...]


@dataclass(frozen=True)
class DeckPlan:
    """Everything an export writes: the notes and the decks (name -> fixed id) they go into."""

    lang: str
    notes: tuple[NoteSpec, ...]
    decks: dict[str, int]
    entries: int
    drill_notes: int


@dataclass(frozen=True)
class ExportResult:
    """What `prep export anki` wrote, for the CLI to print."""

    path: Path
    lang: str
    notes: int
    entries: int
    drills: int
    drill_notes: int
    decks: tuple[str, ...]
    size: int  # bytes


# --- text to HTML -----------------------------------------------------------------------------------
# A minimal Markdown subset, enough for the bank: paragraphs (blank lines), line breaks kept as <br>,
# `-`/`*` and `1.` lists, ``` fences, `code` spans and **bold**. Everything else is escaped text:
# single `*` and `_` stay literal, because formulas such as `i*Dh` and `d_k` are common in the bank.

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # \x1f separates Anki's fields
_FENCE = re.compile(r"^\s*```\s*([\w+#.-]*)\s*$")
_BULLET = re.compile(r"^\s*[-*+]\s+(.*)$")
_NUMBERED = re.compile(r"^\s*(\d{1,9})[.)]\s+(.*)$")
_CODE_SPAN = re.compile(r"`([^`\n]+)`")
_BOLD = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")


def escape(text: str) -> str:
    """`text` as HTML text: `<`, `>` and `&` escaped, control characters dropped."""
    return html.escape(_CONTROL.sub("", text), quote=False)


def render_inline(text: str) -> str:
    """One line of text as HTML: escaped, with `code` spans and **bold**."""
    parts = _CODE_SPAN.split(text)
    out = []
    for i, part in enumerate(parts):
        if i % 2:
            out.append(f"<code>{escape(part)}</code>")
        else:
            out.append(_BOLD.sub(r"<b>\1</b>", escape(part)))
    return "".join(out)


def highlight(code: str, language: str = "python") -> str:
    """A code block as HTML: pygments with inline styles if installed, else an escaped <pre><code>."""
    code = _CONTROL.sub("", code.expandtabs(4)).strip("\n")
    try:
        from pygments import highlight as pygmentize
        from pygments.formatters import HtmlFormatter
        from pygments.lexers import TextLexer, get_lexer_by_name
        from pygments.util import ClassNotFound
    except ImportError:
        return f"<pre><code>{escape(code)}</code></pre>"
    try:
        lexer = get_lexer_by_name(language)
    except ClassNotFound:
        lexer = TextLexer()
    # inline styles: the field looks the same in every Anki client, whatever the note type's CSS
    return str(pygmentize(code, lexer, HtmlFormatter(noclasses=True, style="default", nobackground=True))).strip()


def render_markdown(text: str) -> str:
    """Bank text (the minimal Markdown subset above) as HTML."""
    blocks: list[str] = []
    paragraph: list[str] = []
    items: list[str] = []
    list_tag = ""
    start = 1

    def end_paragraph() -> None:
        if paragraph:
            blocks.append("<p>" + "<br>".join(render_inline(line.strip()) for line in paragraph) + "</p>")
            paragraph.clear()

    def end_list() -> None:
        nonlocal list_tag
        if items:
            first = f' start="{start}"' if list_tag == "ol" and start != 1 else ""
            body = "".join(f"<li>{render_inline(item)}</li>" for item in items)
            blocks.append(f"<{list_tag}{first}>{body}</{list_tag}>")
            items.clear()
        list_tag = ""

    lines = text.split("\n")
    i = 0
    while i < len(lines):
        line = lines[i]
        fence = _FENCE.match(line)
        bullet = _BULLET.match(line)
        numbered = _NUMBERED.match(line)
        if fence:
            end_paragraph()
            end_list()
            indent = len(line) - len(line.lstrip())
            code: list[str] = []
            i += 1
            while i < len(lines) and not _FENCE.match(lines[i]):
                code.append(lines[i][indent:] if lines[i][:indent].isspace() else lines[i])
                i += 1
            blocks.append(highlight("\n".join(code), fence.group(1) or "python"))
        elif not line.strip():
            end_paragraph()
            end_list()
        elif bullet or numbered:
            end_paragraph()
            tag = "ul" if bullet else "ol"
            if tag != list_tag:
                end_list()
                list_tag = tag
                start = int(numbered.group(1)) if numbered else 1
            items.append(bullet.group(1) if bullet else numbered.group(2) if numbered else line)
        elif items and line[:1].isspace():
            items[-1] += " " + line.strip()  # an indented continuation of the last item
        else:
            end_list()
            paragraph.append(line)
        i += 1
    end_paragraph()
    end_list()
    return "".join(blocks)


# --- building the notes -----------------------------------------------------------------------------

def texts_for(text: Text, lang: str) -> list[tuple[str, str]]:
    """(language, text) pairs to show: both languages in order, or one, falling back to what exists."""
    if lang == "both":
        return [(code, text[code]) for code in LANGS if code in text]
    for code in (lang, "en", *text):
        if code in text:
            return [(code, text[code])]
    return []


def _blocks(pairs: Iterable[tuple[str, str]]) -> str:
    """Each language in its own block, marked with `lang` so Anki picks the right CJK glyphs."""
    return "".join(f'<div class="lang" lang="{code}">{body}</div>' for code, body in pairs if body)


def _rendered(text: Text, lang: str) -> str:
    return _blocks((code, render_markdown(t)) for code, t in texts_for(text, lang))


def _codes(lang: str) -> tuple[str, ...]:
    return LANGS if lang == "both" else (lang,)


def _list_field(items: Sequence[tuple[Text, str]], lang: str, tag: str) -> str:
    """A bulleted (key points) or lettered (choices) list of (text, class) items, one list per language."""
    if not items:
        return ""
    attrs = ' class="choices"' if tag == "ol" else ""
    pairs = []
    for code in _codes(lang):
        rows = []
        for text, cls in items:
            for _, shown in texts_for(text, code):
                mark = f' class="{cls}"' if cls else ""
                rows.append(f"<li{mark}>{render_inline(shown)}</li>")
        pairs.append((code, f"<{tag}{attrs}>{''.join(rows)}</{tag}>"))
    return _blocks(pairs)


def tag_of(text: str) -> str:
    """An Anki tag: no spaces (Anki splits tags on them)."""
    return re.sub(r"\s+", "_", text.strip())


def _tags(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(t for t in map(tag_of, values) if t))


def deck_name(topic: Topic | None, slug: str, lang: str) -> str:
    """`prep::<topic name>` in the export's language (English for `both`)."""
    name = (topic.name.get("zh" if lang == "zh" else "en") or slug) if topic else slug
    return f"{ROOT_DECK}::{' '.join(name.replace('::', ':').split())}"


def deck_id(slug: str) -> int:
    """A topic's sub-deck id: fixed, derived from the slug (not the name, which depends on the language)."""
    return int.from_bytes(hashlib.sha256(f"{GUID_NAMESPACE}:deck:{slug}".encode()).digest()[:6], "big")


def entry_guid(entry_id: str) -> str:
    """The note GUID of a bank entry: from its id alone, so the same note is updated whatever the language."""
    import genanki

    return str(genanki.guid_for(GUID_NAMESPACE, "entry", entry_id))


def drill_guid(name: str, index: int) -> str:
    import genanki

    return str(genanki.guid_for(GUID_NAMESPACE, "drill", name, index))


def entry_note(entry: Entry, deck: str, lang: str) -> NoteSpec:
    fields = (
        _blocks((code, f'<div class="question">{render_markdown(t)}</div>')
                for code, t in texts_for(entry.question, lang)),
        _rendered(entry.answer, lang),
        _list_field([(kp, "") for kp in entry.key_points], lang, "ul"),
        _rendered(entry.explanation, lang),
        _list_field([(c.text, "correct" if c.correct else "") for c in entry.choices], lang, "ol"),
        highlight(entry.code) if entry.code else "",
        escape(entry.id),
    )
    return NoteSpec(entry_guid(entry.id), deck, fields, _tags([entry.topic, *entry.tags]))


def drill_note(gen: Generator, drill: Drill, index: int, count: int, deck: str, lang: str) -> NoteSpec:
    from prep.drills import format_answer, tolerance_text

    question = []
    for code, text in texts_for(drill.question, lang):
        note = SAMPLE_NOTE[code].format(i=index + 1, n=count, title=escape(texts_for(gen.title, code)[0][1]))
        question.append((code, f'<div class="question">{render_markdown(text)}</div><div class="sample">{note}</div>'))
    answer = [(code, f"<p><b>{escape(format_answer(drill))}</b> ({escape(tolerance_text(drill, code))})</p>")
              for code in _codes(lang)]
    if len({body for _, body in answer}) == 1:
        answer = answer[:1]  # a number reads the same in both languages; show it once
    fields = (
        _blocks(question),
        _blocks(answer),
        "",
        _rendered(drill.derivation, lang),
        "",
        "",
        escape(f"{gen.card_id} #{index + 1}"),
    )
    return NoteSpec(drill_guid(gen.name, index), deck, fields, _tags([*gen.topics, "drill"]))


def _check_arguments(lang: str, drill_samples: int) -> None:
    if lang not in EXPORT_LANGS:
        raise PrepError(f"unknown language '{lang}': use en, zh or both")
    if drill_samples < 0:
        raise PrepError(f"--drill-samples must be 0 or more, got {drill_samples}")


def build_deck(bank: Bank, generators: Sequence[Generator], *, lang: str, drill_samples: int,
               seed: int) -> DeckPlan:
    """Every entry as a note, then `drill_samples` fixed instances of each drill, in per-topic sub-decks."""
    from prep.drills import sample

    _check_arguments(lang, drill_samples)
    decks: dict[str, int] = {ROOT_DECK: ROOT_DECK_ID}
    notes: list[NoteSpec] = []

    def deck_for(slug: str) -> str:
        name = deck_name(bank.topics.get(slug), slug, lang)
        decks.setdefault(name, deck_id(slug))
        return name

    for entry in bank.entries:
        notes.append(entry_note(entry, deck_for(entry.topic), lang))
    drill_notes = 0
    for gen in generators if drill_samples else ():
        deck = deck_for(gen.topics[0])
        for index, drill in enumerate(sample(gen, drill_samples, seed)):
            notes.append(drill_note(gen, drill, index, drill_samples, deck, lang))
            drill_notes += 1
    return DeckPlan(lang, tuple(notes), decks, len(bank.entries), drill_notes)


# --- writing the package ------------------------------------------------------------------------------

def _templates(lang: str) -> list[dict[str, str]]:
    h = HEADINGS[lang]
    front = ('<div class="front">{{Question}}'
             '{{#Code}}<div class="code">{{Code}}</div>{{/Code}}'
             "{{#Choices}}{{Choices}}{{/Choices}}</div>")
    back = ('<div class="back">{{FrontSide}}<hr id="answer">'
            f"<h3>{h['answer']}</h3>{{{{Answer}}}}"
            f"{{{{#Key points}}}}<h3>{h['points']}</h3>{{{{Key points}}}}{{{{/Key points}}}}"
            f"{{{{#Explanation}}}}<h3>{h['why']}</h3>{{{{Explanation}}}}{{{{/Explanation}}}}"
            '<div class="source">{{Source}} · {{Tags}}</div></div>')
    return [{"name": "Recall", "qfmt": front, "afmt": back}]


def write_apkg(plan: DeckPlan, path: Path, *, timestamp: float) -> None:
    """Write `plan` as an .apkg at `path`, atomically: a failed export leaves any earlier file intact."""
    try:
        import genanki
    except ImportError:
        raise PrepError("the Anki export needs genanki: pip install 'genanki>=0.13'") from None
    model = genanki.Model(MODEL_ID, MODEL_NAME, fields=[{"name": f} for f in FIELDS],
                          templates=_templates(plan.lang), css=CSS)
    decks: dict[str, Any] = {name: genanki.Deck(number, name) for name, number in plan.decks.items()}
    for spec in plan.notes:
        decks[spec.deck].add_note(genanki.Note(model=model, fields=list(spec.fields), tags=list(spec.tags),
                                               guid=spec.guid))
    package = genanki.Package(list(decks.values()))
    path.parent.mkdir(parents=True, exist_ok=True)
    # Package.write_to_file leaves its temporary database behind; write the collection ourselves instead.
    with tempfile.TemporaryDirectory(prefix="prep-anki-") as tmp:
        db_path = Path(tmp) / "collection.anki2"
        conn = sqlite3.connect(db_path)
        try:
            # a scratch file zipped a moment later: waiting for the disk at every commit buys nothing
            conn.execute("PRAGMA synchronous = OFF")
            conn.execute("PRAGMA journal_mode = MEMORY")
            package.write_to_db(conn.cursor(), timestamp, itertools.count(int(timestamp * 1000)))
            conn.commit()
        finally:
            conn.close()
        partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
        try:
            with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as apkg:
                apkg.write(db_path, "collection.anki2")
                apkg.writestr("media", "{}")
            os.replace(partial, path)
        finally:
            partial.unlink(missing_ok=True)


def export_anki(path: Path, *, lang: str, bank_dirs: list[Path], drill_samples: int, seed: int) -> ExportResult:
    """Load the bank (built-in plus `bank_dirs` and PREP_BANK_PATH), build the deck and write `path`."""
    from prep.drills import all_generators

    _check_arguments(lang, drill_samples)  # before the bank is loaded: a typo fails at once
    bank = load_bank(bank_dirs)
    generators = all_generators() if drill_samples else ()
    plan = build_deck(bank, generators, lang=lang, drill_samples=drill_samples, seed=seed)
    try:
        write_apkg(plan, path, timestamp=time.time())
    except OSError as exc:
        raise PrepError(f"cannot write {path}: {exc.strerror or exc}") from None
    return ExportResult(path, lang, len(plan.notes), plan.entries, len(generators), plan.drill_notes,
                        tuple(sorted(plan.decks)), path.stat().st_size)
