"""Hidden checks for perplexity: a hand value, uniform = V, token weighting, padding with -inf/nan, nats."""

import math

import numpy as np
from hypothesis import strategies as st

from prep.grading.checks import expect_number, for_all


def check_hand_computed_example(sub):
    lp = np.log(np.array([[0.5, 0.25, 0.9], [0.1, 0.2, 0.3]]))
    mask = np.array([[True, True, False], [True, False, False]])
    expect_number(sub(lp, mask), 80 ** (1 / 3), name="perplexity",
                  context="probabilities [[0.5, 0.25, pad], [0.1, pad, pad]]: (0.5 * 0.25 * 0.1) ** (-1/3)")


def check_uniform_model_gives_vocabulary_size(sub, rng):
    for v in (2, 50, 32000):
        lp = np.full((3, 7), -math.log(v))
        mask = rng.random((3, 7)) < 0.7
        mask[0, 0] = True
        expect_number(sub(lp, mask), float(v), name="perplexity", context=f"every token has probability 1/{v}")


def check_token_weighted_not_per_sequence(sub, rng):
    lp = np.array([[math.log(0.5)] * 8, [math.log(0.01), 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0]])
    mask = np.zeros((2, 8), dtype=bool)
    mask[0, :] = True
    mask[1, 0] = True
    expected = math.exp(-(8 * math.log(0.5) + math.log(0.01)) / 9)
    expect_number(sub(lp, mask), expected, name="perplexity",
                  context="an 8-token sequence at p = 0.5 and a 1-token one at p = 0.01: average over the 9 tokens")


def check_padding_may_hold_inf_and_nan(sub, rng):
    lp = np.log(rng.uniform(0.05, 1.0, size=(4, 6)))
    mask = np.ones((4, 6), dtype=bool)
    mask[1, 3:] = mask[2, 1:] = mask[3, 5] = False
    dirty = lp.copy()
    dirty[1, 3], dirty[2, 2], dirty[3, 5], dirty[1, 4] = -np.inf, np.nan, np.inf, -1e308
    expected = math.exp(-sum(float(lp[i, t]) for i in range(4) for t in range(6) if mask[i, t]) / mask.sum())
    expect_number(sub(dirty, mask), expected, name="perplexity",
                  context="padding positions hold -inf, nan, inf and -1e308; only masked tokens count")


def check_all_tokens_real(sub, rng):
    lp = np.log(rng.uniform(0.001, 1.0, size=(5, 9)))
    expect_number(sub(lp, np.ones((5, 9), dtype=bool)), math.exp(-float(lp.mean())), name="perplexity",
                  context="no padding: exp(-mean log-prob)")


@st.composite
def _cases(draw):
    return draw(st.integers(1, 6)), draw(st.integers(1, 30)), draw(st.floats(0.1, 1.0)), draw(st.integers(0, 2**31))


def check_random_batches(sub, ref, rng):
    def case(c):
        n, t, keep, seed = c
        r = np.random.default_rng(seed)
        lp = np.log(r.uniform(1e-4, 1.0, size=(n, t)))
        mask = r.random((n, t)) < keep
        mask[0, 0] = True
        expect_number(sub(lp, mask), ref(lp, mask), name="perplexity",
                      context=f"batch ({n}, {t}), {int(mask.sum())} real tokens")

    for_all(rng, _cases(), case, examples=10)


def speed_case(rng):
    lp = np.log(rng.uniform(1e-4, 1.0, size=(64, 4096)))
    return (lp, rng.random((64, 4096)) < 0.9), {}
