"""The bank: schema, loader, cache, and the minimums of the shipped bank."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from prep import bank as bank_mod
from prep.bank import load_bank, validate_paths
from prep.errors import BankError

from .conftest import DATA, ROOT

BROKEN = DATA / "bank" / "broken"
GOOD = DATA / "bank" / "good_pack"
LINE = re.compile(r"^.+\.yaml(:\d+)?: .+")

EXPECTED = {
    "alias_bomb.yaml": "aliases",
    "bad_bool_tag.yaml": "'maybe' is not a valid !!bool",
    "bad_timestamp_tag.yaml": "'not a date' is not a valid !!timestamp",
    "integer_beyond_digit_limit.yaml": "integer with 5,000 digits",
    "duplicate_id.yaml": "duplicate id 'same-id'",
    "empty_field.yaml": "'question.en' is empty",
    "malformed_yaml.yaml": "invalid YAML",
    "missing_field.yaml": "missing or empty field 'answer'",
    "no_correct_choice.yaml": "no choice is marked correct",
    "not_a_list.yaml": "'entries' must be a list",
    "not_utf8.yaml": "not UTF-8",
    "python_tag.yaml": "tag not allowed",
    "unknown_field.yaml": "unknown field 'keypoints'",
    "unknown_topic.yaml": "unknown topic 'overfiting'",
    "wrong_type.yaml": "'difficulty' must be 1, 2 or 3",
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_broken_file_gets_one_line_problem(name: str) -> None:
    problems = validate_paths([BROKEN / name])
    assert problems, name
    assert all(LINE.match(p) and "\n" not in p for p in problems), problems
    assert any(EXPECTED[name] in p for p in problems), problems
    assert problems[0].startswith(str(BROKEN / name))


def test_every_broken_fixture_is_covered() -> None:
    assert {p.name for p in BROKEN.glob("*.yaml")} - set(EXPECTED) == {"missing_translation.yaml"}


def test_line_numbers_point_at_the_problem() -> None:
    (problem,) = validate_paths([BROKEN / "wrong_type.yaml"])
    assert problem.startswith(f"{BROKEN / 'wrong_type.yaml'}:4:")


def test_pack_may_leave_out_a_language_but_builtin_may_not(tmp_path: Path) -> None:
    assert validate_paths([BROKEN / "missing_translation.yaml"]) == []
    problems: list[str] = []
    raw, errs = bank_mod.read_yaml(BROKEN / "missing_translation.yaml")
    assert errs == []
    bank_mod.parse_entry(raw["entries"][0], Path("x.yaml"), True, problems)
    assert any("missing its zh text" in p for p in problems)


def test_python_tag_is_never_constructed(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    f = tmp_path / "evil.yaml"
    f.write_text(f'entries:\n  - !!python/object/apply:os.system ["touch {marker}"]\n')
    assert validate_paths([f])
    assert not marker.exists()


def test_good_pack_loads_on_top_of_builtin() -> None:
    loaded = load_bank([GOOD])
    ids = loaded.by_id()
    assert {"team-gpu-quota", "team-checkpoints"} <= set(ids)
    assert "team-onboarding" in loaded.topics
    gpu = ids["team-gpu-quota"]
    assert gpu.choices[0].correct and not gpu.choices[1].correct
    assert gpu.source.endswith("team.yaml:2")


def test_broken_pack_refuses_the_whole_bank() -> None:
    with pytest.raises(BankError) as info:
        load_bank([BROKEN])
    assert len(info.value.problems) >= len(EXPECTED)


def test_pack_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PREP_BANK_PATH", str(GOOD))
    assert "team-gpu-quota" in load_bank().by_id()


def test_missing_pack_folder_is_reported(tmp_path: Path) -> None:
    with pytest.raises(BankError, match="no such file or folder"):
        load_bank([tmp_path / "nope"])


def test_cache_is_used_and_invalidated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pack = tmp_path / "pack"
    pack.mkdir()
    (pack / "t.yaml").write_text((GOOD / "team.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    (pack / "topics.yaml").write_text((GOOD / "topics.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    first = load_bank([pack], include_builtin=False)

    def boom(*args: object, **kwargs: object) -> None:
        raise AssertionError("parsed again despite an unchanged file")

    monkeypatch.setattr(bank_mod, "_parse_file", boom)
    assert load_bank([pack], include_builtin=False).entries == first.entries
    monkeypatch.undo()
    text = (pack / "t.yaml").read_text(encoding="utf-8").replace("Eight: one full node.", "Eight GPUs.")
    (pack / "t.yaml").write_text(text, encoding="utf-8")
    changed = load_bank([pack], include_builtin=False, )
    assert changed.by_id()["team-gpu-quota"].answer["en"] == "Eight GPUs."


def test_folded_chinese_loses_the_fold_spaces_but_keeps_house_spacing() -> None:
    from prep.bank import tidy_zh

    assert tidy_zh("总数为 91,392。 LSTM 有四组， k 为 4") == "总数为 91,392。LSTM 有四组，k 为 4"
    assert tidy_zh("梯度可以为\n负数，也可以 为零") == "梯度可以为负数，也可以为零"
    assert tidy_zh("第一段。\n\n第二段：\n- 项目一\n- 项目二") == "第一段。\n\n第二段：\n- 项目一\n- 项目二"
    assert tidy_zh("用 `np.where` 处理 RNN 层") == "用 `np.where` 处理 RNN 层"


def test_topic_name_with_an_unquoted_comma_is_refused(tmp_path: Path) -> None:
    (tmp_path / "topics.yaml").write_text("topics:\n  - {slug: ft, en: Pre-training, fine-tuning, zh: 微调}\n",
                                          encoding="utf-8")
    problems = validate_paths([tmp_path])
    assert len(problems) == 1 and "unknown key 'fine-tuning'" in problems[0] and ":2:" in problems[0]


def test_warm_start_reads_no_yaml_and_decodes_no_text(tmp_path: Path) -> None:
    """With the cache warm, loading the index neither imports the YAML parser nor decodes any entry."""
    import subprocess
    import sys

    code = ("import sys; from prep import bank; bank.load_index(); "
            "bank._entry_from_plain = None; idx = bank.load_index(); "
            "print(len(idx.refs), 'yaml' in sys.modules)")
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True)  # fills the cache
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout.split()
    assert int(out[0]) >= 100 and out[1] == "False"


texts = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=40).filter(
    lambda s: s.strip() == s and s.strip() != "")


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(q=texts, a=texts, zh=texts, difficulty=st.integers(1, 3))
def test_any_text_round_trips_through_yaml(tmp_path: Path, q: str, a: str, zh: str, difficulty: int) -> None:
    entry = {"id": "roundtrip", "topic": "overfitting", "difficulty": difficulty, "tags": ["t"],
             "question": {"en": q, "zh": zh}, "answer": {"en": a, "zh": zh}, "explanation": {"en": a, "zh": q},
             "key_points": [{"en": q, "zh": a}]}
    f = tmp_path / "rt.yaml"
    f.write_text(yaml.safe_dump({"entries": [entry]}, allow_unicode=True), encoding="utf-8")
    loaded = load_bank([f], include_builtin=False).entries[0]
    tidy = bank_mod.tidy_zh  # Chinese text loses only the fold spaces inside sentences
    expected = {**entry, "question": {"en": q, "zh": tidy(zh)}, "answer": {"en": a, "zh": tidy(zh)},
                "explanation": {"en": a, "zh": tidy(q)}, "key_points": [{"en": q, "zh": tidy(a)}]}
    assert loaded.to_json() == expected


# --- the shipped bank ---

TOPICS = [t["slug"] for t in yaml.safe_load((bank_mod.builtin_dir() / "topics.yaml").read_text())["topics"]]


def test_builtin_bank_is_valid_and_linked() -> None:
    from prep.katas import catalogue

    assert validate_paths([bank_mod.builtin_dir()], kata_slugs=set(catalogue())) == []


# The bank may only grow: issue 14's floor is every topic with 24+ entries and 600+ in all; the
# current size is held so that content cannot silently shrink.
BANK_FLOOR = 600
PER_TOPIC_FLOOR = 24


def test_builtin_bank_minimums() -> None:
    entries = load_bank().entries
    assert len(TOPICS) >= 21 and "classical-ml" in TOPICS
    assert len(entries) >= max(BANK_FLOOR, 300)
    present = {e.topic for e in entries}
    assert present == set(TOPICS), f"topics without entries: {sorted(set(TOPICS) - present)}"
    for topic in present:
        es = [e for e in entries if e.topic == topic]
        assert len(es) >= PER_TOPIC_FLOOR, f"{topic} has {len(es)} entries"
        assert {e.difficulty for e in es} == {1, 2, 3}, topic
    for e in entries:
        for field in ("question", "answer", "explanation"):
            assert set(getattr(e, field)) == {"en", "zh"}, (e.id, field)
        assert 3 <= len(e.key_points) <= 5, e.id
        assert all(set(kp) == {"en", "zh"} for kp in e.key_points), e.id
    assert sum(1 for e in entries if e.choices) >= 0.4 * len(entries)
    assert sum(1 for e in entries if e.code) >= len(present)


RUNNABLE = {"numpy", "math", "random", "collections", "itertools", "functools", "dataclasses", "typing"}


def test_every_code_snippet_parses_and_the_self_contained_ones_run() -> None:
    """A spot-the-bug snippet a learner reads must be real code: every one parses, and every one that
    needs nothing beyond numpy and the standard library runs to the end (the bug it shows is a wrong
    value, not a crash). Fragments that use a model or loader defined elsewhere (a NameError) and
    PyTorch snippets are parsed only."""
    import ast
    import contextlib
    import io

    ran = 0
    for e in load_bank().entries:
        if not e.code:
            continue
        tree = ast.parse(e.code, filename=e.id)  # a SyntaxError names the entry
        imported = {(a.name if isinstance(n, ast.Import) else n.module or "").split(".")[0]
                    for n in ast.walk(tree) if isinstance(n, ast.Import | ast.ImportFrom)
                    for a in getattr(n, "names", [])}
        if not imported <= RUNNABLE:
            continue
        try:
            with contextlib.redirect_stdout(io.StringIO()):
                exec(compile(tree, e.id, "exec"), {"__name__": "snippet"})
        except NameError:
            continue  # a fragment: the model, loader or loop around it is not shown
        ran += 1
    assert ran >= 55


def test_a_folder_without_yaml_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "readme.txt").write_text("hello")
    problems = validate_paths([tmp_path / "empty", tmp_path / "notes"])
    assert [p.split(": ", 1)[1] for p in problems] == ["no bank files (*.yaml) in this folder"] * 2


def test_ids_clashing_with_the_builtin_bank_or_another_pack_are_reported(tmp_path: Path) -> None:
    text = (GOOD / "team.yaml").read_text(encoding="utf-8")
    builtin_id = next(e.id for e in load_bank().entries)
    (tmp_path / "team.yaml").write_text(text.replace("id: team-gpu-quota", f"id: {builtin_id}"), encoding="utf-8")
    problems = validate_paths([tmp_path], packs=[GOOD])
    assert any(f"id '{builtin_id}' is already used by the built-in bank" in p for p in problems)
    assert any("id 'team-checkpoints' is already used by the pack at" in p for p in problems)
    with pytest.raises(BankError):  # and the quiz refuses the same pair
        load_bank([tmp_path, GOOD])


def test_8_mib_of_empty_entries_is_answered_in_seconds(tmp_path: Path) -> None:
    import time

    (tmp_path / "huge.yaml").write_bytes(b"entries:\n" + b"- {}\n" * ((8 << 20) // 5 - 10))
    start = time.perf_counter()
    problems = validate_paths([tmp_path])
    assert time.perf_counter() - start < 5
    assert len(problems) == 1 and "split it into several files" in problems[0]


def test_problems_are_capped_per_file(tmp_path: Path) -> None:
    (tmp_path / "many.yaml").write_text("entries:\n" + "- {id: x}\n" * 500, encoding="utf-8")
    problems = validate_paths([tmp_path])
    assert len(problems) == bank_mod.MAX_PROBLEMS_PER_FILE + 1
    assert problems[-1].endswith(f"... and {500 * 7 - bank_mod.MAX_PROBLEMS_PER_FILE:,} more")


def test_the_readme_describes_the_bank_and_katas_as_they_are() -> None:
    """README's "What is inside": the totals line and the per-topic table are the bank's real counts."""
    from prep.katas import catalogue

    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## What is inside", 1)[1].split("\n## ", 1)[0]
    bank = load_bank()
    entries = bank.entries
    difficulty = " / ".join(str(sum(1 for e in entries if e.difficulty == d)) for d in (1, 2, 3))
    totals = (f"**Question bank**: {len(entries)} entries in English and Chinese over all {len(bank.topics)} topics, "
              f"{sum(1 for e in entries if e.choices)} with a multiple-choice form and "
              f"{sum(1 for e in entries if e.code)} code snippets "
              f"({sum(1 for e in entries if e.code and 'spot-the-bug' in e.tags)} of them \"spot the bug\"); "
              f"difficulty 1 / 2 / 3: {difficulty}.")
    assert totals in section, totals
    katas = catalogue()
    assert f"**Katas**: {len(katas)} (" in section
    rows = {}
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 3 and cells[1].isdigit():
            rows[cells[0]] = (int(cells[1]), cells[2])
    for slug, topic in bank.topics.items():
        slugs = sorted(k.slug for k in katas.values() if k.topic == slug)
        want = (sum(1 for e in entries if e.topic == slug), ", ".join(slugs) or "-")
        assert rows.get(topic.name["en"]) == want, (topic.name["en"], rows.get(topic.name["en"]), want)
