"""The bank lint: each rule fires on a fixture made to break it and stays quiet on one made to pass."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from prep.bank import load_bank, validate_paths
from prep.lint import GLOSSARY, find_problems, lint, numbers

from .conftest import DATA, ROOT

LINT = DATA / "lint"
LINE = re.compile(r"^.+\.yaml:\d+: [a-z0-9-]+: [\w.\[\]]+: .+ \[[a-z-]+\]$")

# fixture -> (rule, what the warnings must say)
BREAKS = {
    "hyphen_broken_by_folding.yaml": ("hyphen-break", ['answer.en: word broken at a hyphen by line folding: '
                                                       '"Decoder- only", "cross- attention"',
                                                       'answer.zh: word broken at a hyphen by line folding: '
                                                       '"Decoder- only"',
                                                       'explanation.en: word broken at a hyphen by line folding: '
                                                       '"encoder-decoder- style"']),
    "ascii_quotes_in_chinese.yaml": ("zh-quotes", ['answer.zh: 1 ASCII-quoted phrase(s) in Chinese text, e.g. "折弯"',
                                                   'explanation.zh: 1 ASCII-quoted phrase(s)']),
    "string_in_code_outside_backticks.yaml": ("zh-quotes", ['answer.zh: 2 string(s) in code outside backticks, '
                                                            'e.g. ["mean"]; put the code in `backticks`']),
    "glossary_term_in_chinese.yaml": ("glossary", ["question.zh: 词元化: the glossary term is 分词",
                                                   "answer.zh: 词元 (2×): the glossary term is token"]),
    "number_dropped_in_chinese.yaml": ("numbers", ["answer.zh: numbers in the en answer but not the zh: "
                                                   "2,000, 3, 175B"]),
    "number_added_in_chinese.yaml": ("numbers", ["answer.en: numbers in the zh answer but not the en: 0.5"]),
}
PASSES = [
    "hyphen_suspended_or_in_code.yaml",
    "curly_quotes_and_code_in_chinese.yaml",
    "glossary_terms_followed.yaml",
    "numbers_written_two_ways.yaml",
]


def _lint(name: str) -> list[str]:
    return lint(load_bank([LINT / name], include_builtin=False).entries)


@pytest.mark.parametrize("name", sorted(BREAKS))
def test_rule_fires_on_its_fixture(name: str) -> None:
    rule, expected = BREAKS[name]
    warnings = _lint(name)
    assert len(warnings) == len(expected), warnings
    for w, want in zip(warnings, expected):
        assert LINE.match(w), w
        assert w.startswith(f"{LINT / name}:"), w
        assert want in w and w.endswith(f"[{rule}]"), (want, w)


@pytest.mark.parametrize("name", PASSES)
def test_rule_stays_quiet_on_its_fixture(name: str) -> None:
    assert _lint(name) == []


def test_every_lint_fixture_is_covered() -> None:
    assert {p.name for p in LINT.glob("*.yaml")} == set(BREAKS) | set(PASSES)


def test_warning_names_the_entry_line() -> None:
    (problem,) = _lint("number_added_in_chinese.yaml")
    assert problem.startswith(f"{LINT / 'number_added_in_chinese.yaml'}:3: lint-number-added: answer.en: ")


def test_original_rules_still_apply() -> None:
    (entry,) = load_bank([LINT / "numbers_written_two_ways.yaml"], include_builtin=False).entries
    long_en = replace(entry, answer={"en": "x " * 400, "zh": entry.answer["zh"]}, id="long-answer")
    two_points = replace(entry, key_points=entry.key_points[:2], id="two-points")
    untranslated = replace(entry, explanation={"en": "Only English."}, id="untranslated")
    rules = {(f.entry_id, f.rule) for f in find_problems([entry, long_en, two_points, untranslated],
                                                         require=("en", "zh"))}
    assert {("long-answer", "answer-length"), ("two-points", "key-points"), ("untranslated", "translation")} <= rules
    assert ("two-points", "near-duplicate") in rules  # the same question as the entry it was copied from


@pytest.mark.parametrize(("text", "value"), [
    ("1,000", 1000), ("2.0", 2), ("9.3 万", 93_000), ("120 亿", 12e9), ("12 billion", 12e9), ("4.2M", 4.2e6),
    ("1e-4", 1e-4), ("3.19e16", 3.19e16), ("80GB", 80),
])
def test_numbers_are_read_with_separators_and_scales(text: str, value: float) -> None:
    (n,) = numbers(text)
    assert n.value == pytest.approx(value)


def test_numbers_skip_names_and_code() -> None:
    assert numbers("W2 and fp16 on a GPT-3 or H100, `x = 1234`") == []


def test_numbers_match_up_to_the_finer_rounding() -> None:
    (a,), (b,), (c,) = numbers("93,000"), numbers("9.3 万"), numbers("175B")
    (d,) = numbers("1746 亿")
    assert a.matches(b) and b.matches(a)
    assert not c.matches(d)


def test_glossary_matches_the_longer_term_first() -> None:
    (entry,) = load_bank([LINT / "glossary_term_in_chinese.yaml"], include_builtin=False).entries
    found = [f.message for f in find_problems([entry]) if f.field == "question.zh"]
    assert found == ["词元化: the glossary term is 分词"]


def test_glossary_is_documented_for_authors() -> None:
    readme = (ROOT / "bank" / "README.md").read_text(encoding="utf-8")
    for term, house in GLOSSARY.items():
        assert f"| {term} | {house} |" in readme, term


def test_builtin_bank_is_lint_clean() -> None:
    assert lint(load_bank().entries) == []


def test_lint_fixtures_are_valid_entries() -> None:
    assert validate_paths([LINT]) == []
