"""Hidden checks for BLEU: hand-computed scores, clipping, several references, the brevity penalty and its
closest-length rule, smoothing, int tokens, and random sentences against an independent count."""

import math

from hypothesis import strategies as st

from prep.grading.checks import expect_number, for_all


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


def check_hand_computed_scores(sub):
    _expect(sub, "the cat sat on the mat".split(), ["the cat is on the mat".split()],
            (5 / 6 * 4 / 6 * 2 / 5 * 1 / 4) ** 0.25, "'the cat sat on the mat' vs 'the cat is on the mat'")
    _expect(sub, "the the the the".split(), [["the", "cat"]], (1 / 4 * 1 / 4 * 1 / 3 * 1 / 2) ** 0.25,
            "'the the the the' vs 'the cat' (clipped unigram precision 1/4)")
    _expect(sub, ["the", "cat"], ["the cat sat on the mat".split()], math.exp(-2),
            "'the cat' vs a 6-token reference: all p = 1, BP = exp(1 - 6/2)")


def check_clipping_uses_the_best_single_reference(sub):
    cand = "a a a b".split()
    refs = [["a", "b", "c"], ["a", "a", "d"]]
    # unigram a: count 3, max in one reference 2 (not 1 + 2 = 3 summed over references)
    _expect(sub, cand, refs, _bleu(cand, refs), "candidate 'a a a b', references 'a b c' and 'a a d'")


def check_brevity_penalty_closest_reference(sub):
    cand = list(range(5))
    refs = [list(range(7)), [0, 1, 2, 9, 9, 9, 9, 9, 9, 9, 9]]
    _expect(sub, cand, refs, _bleu(cand, refs), "5 int tokens, references of length 7 and 11: r = 7")
    refs = [[0, 1, 2, 3, 4, 5], [0, 1, 2, 3]]
    _expect(sub, cand, refs, _bleu(cand, refs), "5 tokens, references of length 6 and 4 (a tie): r = 4, BP = 1")
    refs = [[0, 1, 2, 3, 4, 5], [7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7]]
    _expect(sub, cand, refs, _bleu(cand, refs), "5 tokens, closest reference 6: BP = exp(1 - 6/5)")


def check_long_candidates_are_not_penalised(sub):
    cand = "the cat sat on the mat and then it slept".split()
    refs = ["the cat sat".split()]
    _expect(sub, cand, refs, _bleu(cand, refs), "a 10-token candidate against a 3-token reference: BP = 1")


def check_zero_unigram_matches(sub):
    _expect(sub, ["x", "y", "z"], [["a", "b", "c"]], 0.0, "no word in common: BLEU 0")


def check_max_n(sub):
    cand, refs = "the cat sat on the mat".split(), ["the cat is on the mat".split()]
    for n in (1, 2):
        _expect(sub, cand, refs, _bleu(cand, refs, n), f"max_n = {n}", max_n=n)


def check_identical_sentence_scores_one(sub):
    s = "a quick brown fox jumps over the lazy dog".split()
    _expect(sub, s, [s], 1.0, "candidate identical to the reference")


@st.composite
def _cases(draw):
    vocab = draw(st.integers(2, 6))
    words = st.lists(st.integers(0, vocab - 1), min_size=1, max_size=14)
    return draw(words), draw(st.lists(words, min_size=1, max_size=3))


def check_random_sentences(sub, rng):
    def case(c):
        cand, refs = c
        _expect(sub, cand, refs, _bleu(cand, refs), f"candidate {cand}, references {refs}")

    for_all(rng, _cases(), case, examples=15)


def speed_case(rng):
    cand = [int(v) for v in rng.integers(0, 50, size=400)]
    refs = [[int(v) for v in rng.integers(0, 50, size=400)] for _ in range(4)]
    return (cand, refs), {}
