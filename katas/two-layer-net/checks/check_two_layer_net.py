"""Hidden checks for two-layer-net: the definition sample by sample, shapes, saturation, dead units, dtypes."""

import math

import numpy as np
from hypothesis import strategies as st

from prep.grading.checks import expect_array, for_all


def _params(rng, n, d, h, out_scale=1.0):
    x = rng.standard_normal((n, d))
    w1 = rng.standard_normal((d, h)) / np.sqrt(d)
    b1 = rng.standard_normal(h) * 0.1
    w2 = rng.standard_normal((h, 1)) * out_scale
    b2 = rng.standard_normal(1)
    return x, w1, b1, w2, b2


def _sigmoid(z):
    return 1.0 / (1.0 + math.exp(-z)) if z >= 0 else math.exp(z) / (1.0 + math.exp(z))


def _by_definition(x, w1, b1, w2, b2):
    """One sample and one unit at a time, with math.exp: independent of any vectorized trick."""
    n, d = x.shape
    hidden = w1.shape[1]
    p = np.empty((n, 1))
    for i in range(n):
        z = float(b2[0])
        for j in range(hidden):
            a = float(b1[j]) + sum(float(x[i, k]) * float(w1[k, j]) for k in range(d))
            z += max(a, 0.0) * float(w2[j, 0])
        p[i, 0] = _sigmoid(z)
    return p


def _ctx(x, w1):
    return f"x {x.shape}, W1 {w1.shape}"


def check_hand_worked_example(sub):
    x = np.array([[1.0, 2.0], [-1.0, 0.5]])
    w1 = np.array([[1.0, -1.0, 0.5], [0.5, 1.0, -2.0]])
    b1 = np.array([0.0, 0.5, 1.0])
    w2 = np.array([[1.0], [-1.0], [2.0]])
    b2 = np.array([-1.0])
    expected = np.array([[1 / (1 + math.exp(0.5))], [1 / (1 + math.exp(3.0))]])
    expect_array(sub(x, w1, b1, w2, b2), expected, name="p",
                 context="the worked example of the statement (logits -0.5 and -3)")


def check_matches_the_definition(sub, rng):
    for n, d, h in [(7, 4, 5), (3, 6, 2), (1, 3, 8), (9, 2, 1)]:
        args = _params(rng, n, d, h)
        expect_array(sub(*args), _by_definition(*args), name="p", context=_ctx(args[0], args[1]))


def check_saturated_output(sub, rng):
    """Logits in the hundreds and thousands, both signs: p must be finite and exactly 0- or 1-like."""
    x, w1, b1, w2, b2 = _params(rng, 10, 4, 6, out_scale=500.0)
    ctx = _ctx(x, w1) + ", W2 scaled so that |logits| reach ~1e3"
    expect_array(sub(x, w1, b1, w2, b2), _by_definition(x, w1, b1, w2, b2), name="p", context=ctx)
    w2 = np.abs(w2)
    for b2 in (np.array([2e3]), np.array([-2e3])):
        expect_array(sub(x, w1, b1, w2, b2), _by_definition(x, w1, b1, w2, b2), name="p",
                     context=_ctx(x, w1) + f", W2 >= 0 and b2 = {b2[0]:g} (every logit beyond {b2[0]:g})")


def check_dead_hidden_layer(sub, rng):
    """Every hidden pre-activation negative: the output is sigmoid(b2) for every sample."""
    x, w1, _, w2, b2 = _params(rng, 6, 3, 4)
    b1 = np.full(4, -100.0)
    expect_array(sub(x, w1, b1, w2, b2), np.full((6, 1), _sigmoid(float(b2[0]))), name="p",
                 context=_ctx(x, w1) + ", b1 = -100 (all hidden units inactive)")


@st.composite
def _cases(draw):
    return (draw(st.integers(1, 11)), draw(st.integers(1, 11)), draw(st.integers(1, 11)),
            draw(st.sampled_from([0.1, 1.0, 10.0])), draw(st.integers(0, 2**31)))


def check_random_cases(sub, ref, rng):
    def case(c):
        n, d, h, out_scale, seed = c
        args = _params(np.random.default_rng(seed), n, d, h, out_scale=out_scale)
        expect_array(sub(*args), ref(*args), name="p", context=_ctx(args[0], args[1]))

    for_all(rng, _cases(), case, examples=10)


def check_float32_stays_float32(sub, ref, rng):
    args = tuple(a.astype(np.float32) for a in _params(rng, 8, 5, 6))
    expect_array(sub(*args), ref(*args), name="p", context="float32 inputs, x (8, 5), W1 (5, 6)",
                 dtype=np.float32)


def speed_case(rng):
    return _params(rng, 4096, 256, 512), {}
