"""The Anki export, read back as Anki reads it: a zip holding an SQLite collection."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import warnings
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from prep.anki import (
    FIELDS,
    MODEL_ID,
    ROOT_DECK_ID,
    ExportResult,
    export_anki,
    highlight,
    render_markdown,
    tag_of,
)
from prep.bank import Bank, load_bank
from prep.drills import all_generators
from prep.errors import PrepError

SAMPLES = 2
KNOWN = "attention-qkv-basics"
HOSTILE = "anki-hostile-html"

# A pack with text that must stay text in Anki: a script tag, ampersands, comparison operators.
HOSTILE_PACK = """\
entries:
  - id: anki-hostile-html
    topic: attention
    difficulty: 1
    tags: [html-escaping]
    question:
      en: "Does <script>alert('x')</script> run when Tom & Jerry import it?"
      zh: "<script>alert('x')</script> 会执行吗？Tom & Jerry"
    answer:
      en: "No: `a < b && c > d` stays text, and so does <b>."
    explanation:
      en: |
        **Escaped** first & `x<y` too.

        - one <i>
        - two &amp;
    key_points:
      - {en: "A & B < C"}
    choices:
      - {text: {en: "<img src=x onerror=alert(1)>"}, correct: false}
      - {text: {en: "plain & safe"}, correct: true}
"""


@dataclass(frozen=True)
class Note:
    guid: str
    fields: dict[str, str]
    tags: set[str]
    deck: str


@dataclass(frozen=True)
class Export:
    result: ExportResult
    notes: dict[str, Note]  # by the Source field: an entry id, or "drill:<name> #k"
    decks: dict[str, int]  # name -> id
    models: dict[str, object]
    names: list[str]  # files in the zip
    warnings: list[str]
    bank: Bank  # the same bank, as prep loads it


def read_apkg(path: Path) -> tuple[list[str], dict[str, Note], dict[str, int], dict[str, object]]:
    with zipfile.ZipFile(path) as apkg:
        names = apkg.namelist()
        inner = "collection.anki21" if "collection.anki21" in names else "collection.anki2"
        db = path.with_suffix(".anki2")
        db.write_bytes(apkg.read(inner))
    conn = sqlite3.connect(db)
    try:
        deck_json, model_json = conn.execute("SELECT decks, models FROM col").fetchone()
        decks = {d["name"]: d["id"] for d in json.loads(deck_json).values()}
        by_id = {v: k for k, v in decks.items()}
        notes = {}
        for guid, flds, tags, did in conn.execute(
                "SELECT n.guid, n.flds, n.tags, c.did FROM notes n JOIN cards c ON c.nid = n.id"):
            fields = dict(zip(FIELDS, flds.split("\x1f"), strict=True))
            notes[fields["Source"]] = Note(guid, fields, set(tags.split()), by_id[did])
    finally:
        conn.close()
    return names, notes, decks, json.loads(model_json)


@pytest.fixture(scope="module")
def exports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Export]:
    """The built-in bank plus the hostile pack, exported in each language, and `en` once more."""
    tmp = tmp_path_factory.mktemp("anki")
    pack = tmp / "pack"
    pack.mkdir()
    (pack / "hostile.yaml").write_text(HOSTILE_PACK, encoding="utf-8")
    out: dict[str, Export] = {}
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("PREP_HOME", str(tmp / "home"))
        mp.delenv("PREP_BANK_PATH", raising=False)
        bank = load_bank([pack])
        for key, lang in (("en", "en"), ("zh", "zh"), ("both", "both"), ("en-again", "en")):
            path = tmp / f"deck-{lang}.apkg"  # en-again overwrites the first en file, as a re-export would
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                result = export_anki(path, lang=lang, bank_dirs=[pack], drill_samples=SAMPLES, seed=0)
            names, notes, decks, models = read_apkg(path)
            out[key] = Export(result, notes, decks, models, names, [str(w.message) for w in caught], bank)
    return out


def test_every_entry_and_every_drill_sample_is_one_note(exports: dict[str, Export]) -> None:
    ex = exports["en"]
    expected = len(ex.bank.entries) + len(all_generators()) * SAMPLES
    assert len(ex.notes) == expected == ex.result.notes
    assert ex.result.drill_notes == len(all_generators()) * SAMPLES
    assert "collection.anki2" in ex.names
    assert exports["en-again"].result.size == ex.result.path.stat().st_size > 0  # en-again wrote the file last


def test_guids_are_stable_across_exports_and_languages(exports: dict[str, Export]) -> None:
    first = {src: n.guid for src, n in exports["en"].notes.items()}
    assert first == {src: n.guid for src, n in exports["en-again"].notes.items()}
    assert first == {src: n.guid for src, n in exports["zh"].notes.items()}
    assert first == {src: n.guid for src, n in exports["both"].notes.items()}
    assert len(set(first.values())) == len(first)  # no two entries or drill samples share a note


def test_fields_hold_the_chosen_language(exports: dict[str, Export]) -> None:
    bank = exports["en"].bank.by_id()[KNOWN]
    en = exports["en"].notes[KNOWN].fields
    zh = exports["zh"].notes[KNOWN].fields
    both = exports["both"].notes[KNOWN].fields
    assert "What are queries, keys and values in attention" in en["Question"]
    assert "注意力" not in en["Question"] and "注意力" not in en["Answer"]
    assert "注意力机制中的 query、key 和 value 分别是什么" in zh["Question"]
    assert "What are" not in zh["Question"]
    assert "query = what to look for, key = what to match, value = what to pass on" in en["Key points"]
    assert en["Key points"].count("<li>") == len(bank.key_points)
    assert zh["Explanation"].startswith('<div class="lang" lang="zh">')
    # both: each language in a block of its own, English first
    en_at, zh_at = both["Question"].index('lang="en"'), both["Question"].index('lang="zh"')
    assert en_at < zh_at and "What are" in both["Question"][en_at:zh_at] and "注意力" in both["Question"][zh_at:]
    assert en["Choices"].count('class="correct"') == sum(c.correct for c in bank.choices)
    assert en["Source"] == KNOWN


def test_code_is_highlighted(exports: dict[str, Export]) -> None:
    code_note = exports["en"].notes["attention-mask-bug"].fields["Code"]
    assert "<span" in code_note and "causal_attention" in code_note
    assert highlight_without_pygments("x < 1 & y") == "<pre><code>x &lt; 1 &amp; y</code></pre>"


def highlight_without_pygments(code: str) -> str:
    with pytest.MonkeyPatch.context() as mp:
        mp.setitem(sys.modules, "pygments", None)  # None in sys.modules makes `import pygments` fail
        return highlight(code)


def test_tags_come_from_topic_and_tags(exports: dict[str, Export]) -> None:
    assert exports["en"].notes[KNOWN].tags == {"attention", "basics", "qkv"}
    gen = all_generators()[0]
    drill = exports["en"].notes[f"{gen.card_id} #1"]
    assert drill.tags == {"drill", *gen.topics}
    assert all(" " not in t for n in exports["both"].notes.values() for t in n.tags)
    assert tag_of(" two  words ") == "two_words"


def test_html_in_entries_stays_text(exports: dict[str, Export]) -> None:
    for key in ("en", "zh", "both"):
        fields = exports[key].notes[HOSTILE].fields
        joined = "".join(fields.values())
        assert "<script" not in joined and "<img" not in joined and "<i>" not in joined
        assert "&lt;script&gt;alert('x')&lt;/script&gt;" in fields["Question"]
        assert exports[key].warnings == []  # genanki warns about fields that look like raw HTML
    fields = exports["en"].notes[HOSTILE].fields
    assert "Tom &amp; Jerry" in fields["Question"]
    assert "<code>a &lt; b &amp;&amp; c &gt; d</code>" in fields["Answer"] and "&lt;b&gt;" in fields["Answer"]
    assert "<b>Escaped</b> first &amp; <code>x&lt;y</code>" in fields["Explanation"]
    assert "<ul><li>one &lt;i&gt;</li><li>two &amp;amp;</li></ul>" in fields["Explanation"]
    assert "A &amp; B &lt; C" in fields["Key points"]
    assert "&lt;img src=x onerror=alert(1)&gt;" in fields["Choices"]
    # the pack has no Chinese answer: a zh export falls back to English instead of an empty field
    assert 'lang="en"' in exports["zh"].notes[HOSTILE].fields["Answer"]


def test_decks_per_topic_with_fixed_ids(exports: dict[str, Export]) -> None:
    en, zh = exports["en"], exports["zh"]
    assert en.notes[KNOWN].deck == "prep::Attention"
    assert zh.notes[KNOWN].deck == "prep::注意力机制"
    assert en.decks["prep"] == zh.decks["prep"] == ROOT_DECK_ID
    assert en.decks["prep::Attention"] == zh.decks["prep::注意力机制"]  # the id follows the slug, not the name
    assert en.decks == exports["en-again"].decks
    assert set(en.models) == {str(MODEL_ID)}
    assert [f["name"] for f in en.models[str(MODEL_ID)]["flds"]] == list(FIELDS)  # type: ignore[index]


def test_drill_samples_are_fixed_and_say_so(exports: dict[str, Export]) -> None:
    names = [g.name for g in all_generators()]
    for name in names:
        for k in range(1, SAMPLES + 1):
            note = exports["both"].notes[f"drill:{name} #{k}"]
            assert f"({k} of {SAMPLES})" in note.fields["Question"] and "prep quiz" in note.fields["Question"]
            assert f"第 {k} 个，共 {SAMPLES} 个" in note.fields["Question"]
            assert note.fields["Answer"] and note.fields["Explanation"]
    again = exports["en-again"].notes
    assert all(again[src].fields == n.fields for src, n in exports["en"].notes.items())  # seeded: same numbers


def test_minimal_markdown() -> None:
    html = render_markdown("Intro line\nsecond line\n\n1. a\n2. **b**\n\n```\nx = 1 < 2\n```\nafter")
    assert html.startswith("<p>Intro line<br>second line</p><ol><li>a</li><li><b>b</b></li></ol>")
    assert "&lt;" in html and html.endswith("<p>after</p>")
    assert render_markdown("i*Dh and d_k") == "<p>i*Dh and d_k</p>"  # single * and _ stay literal


def test_bad_arguments_are_refused(tmp_path: Path) -> None:
    with pytest.raises(PrepError, match="unknown language"):
        export_anki(tmp_path / "x.apkg", lang="fr", bank_dirs=[], drill_samples=0, seed=0)
    with pytest.raises(PrepError, match="drill-samples"):
        export_anki(tmp_path / "x.apkg", lang="en", bank_dirs=[], drill_samples=-1, seed=0)
    assert not (tmp_path / "x.apkg").exists()


def test_the_quiz_start_up_path_does_not_import_the_export() -> None:
    code = "import sys, prep.cli; print('prep.anki' in sys.modules, 'genanki' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False"]
