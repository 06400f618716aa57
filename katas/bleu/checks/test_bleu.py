"""Hidden checks for BLEU: hand-computed scores, clipping, several references, the brevity penalty and its
closest-length rule, smoothing, max_n, int tokens, and random sentences against an independent count."""

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from prep.grading.checks import expect_number, t


def _bleu(cand, refs, max_n=4):
    """An independent count: n-grams listed explicitly, clipped by scanning each reference."""
    if not cand:
        return 0.0
    logs = []
    for n in range(1, max_n + 1):
        grams = [tuple(cand[i:i + n]) for i in range(len(cand) - n + 1)]
        matches = 0
        for g in set(grams):
            in_refs = max(sum(1 for i in range(len(r) - n + 1) if tuple(r[i:i + n]) == g) for r in refs)
            matches += min(grams.count(g), in_refs)
        if n == 1:
            if matches == 0:
                return 0.0
            logs.append(math.log(matches / len(grams)))
        else:
            logs.append(math.log((matches + 1) / (len(grams) + 1)))
    c = len(cand)
    r = sorted((abs(len(x) - c), len(x)) for x in refs)[0][1]
    return (1.0 if c > r else math.exp(1 - r / c)) * math.exp(sum(logs) / max_n)


def _expect(sub, cand, refs, expected, context, **kwargs):
    expect_number(sub(cand, refs, **kwargs), expected, name="BLEU", context=context)


HAND = [
    pytest.param("the cat sat on the mat".split(), ["the cat is on the mat".split()],
                 (5 / 6 * 4 / 6 * 2 / 5 * 1 / 4) ** 0.25,
                 ("'the cat sat on the mat' vs 'the cat is on the mat'",
                  "'the cat sat on the mat' 对 'the cat is on the mat'"), id="cat-sat-on-the-mat"),
    pytest.param("the the the the".split(), [["the", "cat"]], (1 / 4 * 1 / 4 * 1 / 3 * 1 / 2) ** 0.25,
                 ("'the the the the' vs 'the cat' (clipped unigram precision 1/4)",
                  "'the the the the' 对 'the cat'（截断后一元精确率 1/4）"), id="the-the-the-the"),
    pytest.param(["the", "cat"], ["the cat sat on the mat".split()], math.exp(-2),
                 ("'the cat' vs a 6-token reference: all p = 1, BP = exp(1 - 6/2)",
                  "'the cat' 对 6 个词元的参考：各 p = 1，BP = exp(1 - 6/2)"), id="short-candidate"),
]


@pytest.mark.zh("手算的分数")
@pytest.mark.parametrize(("cand", "refs", "expected", "context"), HAND)
def test_hand_computed_scores(sub, cand, refs, expected, context):
    _expect(sub, cand, refs, expected, t(*context))


@pytest.mark.zh("按单个最佳参考截断")
def test_clipping_uses_the_best_single_reference(sub):
    cand = "a a a b".split()
    refs = [["a", "b", "c"], ["a", "a", "d"]]
    # unigram a: count 3, max in one reference 2 (not 1 + 2 = 3 summed over references)
    _expect(sub, cand, refs, _bleu(cand, refs),
            t("candidate 'a a a b', references 'a b c' and 'a a d'", "候选 'a a a b'，参考 'a b c' 和 'a a d'"))


# (reference lengths, what the case pins down); the candidate is 5 int tokens 0..4
BREVITY = [
    pytest.param([list(range(7)), [0, 1, 2, 9, 9, 9, 9, 9, 9, 9, 9]],
                 ("references of length 7 and 11: r = 7, not the longest", "参考长度 7 和 11：r = 7，不是最长的"),
                 id="closest-not-longest"),
    pytest.param([[0, 1, 2, 3, 4, 5], [0, 1, 2, 3]],
                 ("references of length 6 and 4 (a tie): r = 4, BP = 1", "参考长度 6 和 4（一样接近）：r = 4，BP = 1"),
                 id="tie-takes-shorter"),
    pytest.param([[0, 1, 2, 3, 4, 5], [7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7]],
                 ("closest reference 6: BP = exp(1 - 6/5)", "最接近的参考长度 6：BP = exp(1 - 6/5)"),
                 id="closest-6"),
    # the shortest reference (3) and the closest (6) differ: BP = 1 against the shortest, exp(1 - 6/5) against 6
    pytest.param([[0, 1, 2], [0, 1, 2, 3, 4, 8]],
                 ("references of length 3 and 6: r = 6 (closest), not 3 (shortest)",
                  "参考长度 3 和 6：r = 6（最接近），不是 3（最短）"),
                 id="closest-not-shortest"),
]


@pytest.mark.zh("简短惩罚取最接近的参考长度")
@pytest.mark.parametrize(("refs", "context"), BREVITY)
def test_brevity_penalty_closest_reference(sub, refs, context):
    cand = list(range(5))
    _expect(sub, cand, refs, _bleu(cand, refs), t("5 int tokens, ", "5 个整数词元，") + t(*context))


@pytest.mark.zh("过长的候选不受惩罚")
def test_long_candidates_are_not_penalised(sub):
    cand = "the cat sat on the mat and then it slept".split()
    refs = ["the cat sat".split()]
    _expect(sub, cand, refs, _bleu(cand, refs),
            t("a 10-token candidate against a 3-token reference: BP = 1", "10 个词元的候选对 3 个词元的参考：BP = 1"))


@pytest.mark.zh("零匹配与空候选")
@pytest.mark.parametrize(("cand", "context"), [
    pytest.param(["x", "y", "z"], ("no word in common: BLEU 0", "没有共同的词：BLEU 为 0"), id="no-common-word"),
    pytest.param([], ("empty candidate: BLEU 0", "空候选：BLEU 为 0"), id="empty-candidate"),
])
def test_zero_scores(sub, cand, context):
    _expect(sub, cand, [["a", "b", "c"]], 0.0, t(*context))


@pytest.mark.zh("max_n 参数")
@pytest.mark.parametrize(("cand", "ref", "n"), [
    pytest.param("the cat sat on the mat".split(), "the cat is on the mat".split(), 1, id="max_n=1"),
    pytest.param("the cat sat on the mat".split(), "the cat is on the mat".split(), 2, id="max_n=2"),
    # max_n beyond the candidate's length: total_n = 0, smoothed p_n = 1
    pytest.param("the cat sat".split(), "the cat sat on the mat".split(), 5, id="max_n=5-longer-than-candidate"),
])
def test_max_n(sub, cand, ref, n):
    _expect(sub, cand, [ref], _bleu(cand, [ref], n), f"max_n = {n}, len(candidate) = {len(cand)}", max_n=n)


@pytest.mark.zh("与参考完全相同得 1")
def test_identical_sentence_scores_one(sub):
    s = "a quick brown fox jumps over the lazy dog".split()
    _expect(sub, s, [s], 1.0, t("candidate identical to the reference", "候选与参考完全相同"))


@st.composite
def _cases(draw):
    vocab = draw(st.integers(2, 6))
    words = st.lists(st.integers(0, vocab - 1), min_size=1, max_size=14)
    return draw(words), draw(st.lists(words, min_size=1, max_size=3))


@pytest.mark.zh("随机句子")
@settings(max_examples=15)
@given(case=_cases())
def test_random_sentences(sub, case):
    cand, refs = case
    _expect(sub, cand, refs, _bleu(cand, refs), t(f"candidate {cand}, references {refs}", f"候选 {cand}，参考 {refs}"))


def speed_case(rng):
    cand = [int(v) for v in rng.integers(0, 50, size=400)]
    refs = [[int(v) for v in rng.integers(0, 50, size=400)] for _ in range(4)]
    return (cand, refs), {}
