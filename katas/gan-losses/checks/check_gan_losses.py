"""Hidden checks for gan-losses: hand values, extreme logits, unequal batch sizes, the non-saturating loss."""

import math

import numpy as np
from hypothesis import strategies as st

from prep.grading.checks import expect_number, expect_tuple, for_all

NAMES = ("d_loss", "g_loss")


def _softplus(t):
    """log(1 + e^t) in plain floats, one value at a time."""
    return t + math.log1p(math.exp(-t)) if t > 0 else math.log1p(math.exp(t))


def _expected(real, fake):
    """The definition element by element with math (independent of the vectorized reference)."""
    d = sum(_softplus(-float(r)) for r in real) / len(real) + sum(_softplus(float(f)) for f in fake) / len(fake)
    g = sum(_softplus(-float(f)) for f in fake) / len(fake)
    return d, g


def _check(sub, real, fake, ctx, rtol=1e-9):
    got = expect_tuple(sub(real, fake), NAMES, context=ctx)
    for name, value, expected in zip(NAMES, got, _expected(real, fake)):
        expect_number(value, expected, name=name, context=ctx, rtol=rtol, atol=1e-12)


def check_hand_worked_example(sub):
    got = expect_tuple(sub(np.zeros(3), np.zeros(2)), NAMES, context="all logits 0 (D = 0.5 everywhere)")
    expect_number(got[0], 2 * math.log(2.0), name="d_loss", context="all logits 0 (D = 0.5 everywhere)")
    expect_number(got[1], math.log(2.0), name="g_loss", context="all logits 0 (D = 0.5 everywhere)")
    _check(sub, np.array([2.0, 1.0]), np.array([-1.0, 1.0, 3.0]),
           "real_logits [2, 1], fake_logits [-1, 1, 3] (the statement's example)")


def check_extreme_logits(sub):
    """Logits of +-50 and +-1e4: probabilities round to exactly 0 or 1, so log(sigmoid) breaks."""
    cases = [
        ([50.0, -50.0], [50.0, -50.0, 3.0], "logits +-50"),
        ([1e4, -1e4], [-1e4, 1e4], "logits +-1e4"),
        ([-50.0], [50.0], "a discriminator that is confidently wrong (real -50, fake +50)"),
        ([1e4], [-1e4], "a discriminator that wins outright (real +1e4, fake -1e4): g_loss = 1e4"),
    ]
    for real, fake, ctx in cases:
        _check(sub, np.array(real), np.array(fake), ctx)


def check_batch_sizes_differ(sub, rng):
    """Each term is a mean over its own batch: averaging the concatenation weighs them wrongly."""
    for m, k in [(5, 2), (1, 7)]:
        real, fake = rng.normal(1.0, 2.0, m), rng.normal(-1.0, 2.0, k)
        _check(sub, real, fake, f"M={m} real logits, K={k} fake logits")


def check_generator_loss_is_non_saturating(sub, rng):
    """When D rejects the fakes (logits ~ -10), -mean(log D(G(z))) is large, not ~0 as log(1 - D) would be."""
    fake = rng.uniform(-12.0, -8.0, 6)
    real = rng.uniform(8.0, 12.0, 4)
    got = expect_tuple(sub(real, fake), NAMES, context="fake logits in [-12, -8]")
    expect_number(got[1], float(np.mean(-fake + np.log1p(np.exp(fake)))), name="g_loss",
                  context="fake logits in [-12, -8] (D(G(z)) ~ 1e-4: the generator must get a strong signal)")


@st.composite
def _cases(draw):
    return (draw(st.integers(1, 39)), draw(st.integers(1, 39)), draw(st.floats(-1.0, 3.0)),
            draw(st.integers(0, 2**31)))


def check_random_cases(sub, ref, rng):
    def case(c):
        m, k, log_scale, seed = c
        r, scale = np.random.default_rng(seed), float(10.0 ** log_scale)
        real, fake = r.standard_normal(m) * scale, r.standard_normal(k) * scale
        ctx = f"M={m}, K={k}, logits of scale {scale:.3g}"
        got = expect_tuple(sub(real, fake), NAMES, context=ctx)
        for name, value, expected in zip(NAMES, got, ref(real, fake)):
            expect_number(value, expected, name=name, context=ctx)

    for_all(rng, _cases(), case, examples=10)


def check_float32_logits(sub, rng):
    real = rng.normal(2.0, 20.0, 9).astype(np.float32)
    fake = rng.normal(-2.0, 20.0, 6).astype(np.float32)
    _check(sub, real, fake, "float32 logits (M=9, K=6)", rtol=1e-5)


def speed_case(rng):
    return (rng.standard_normal(1_000_000) * 5, rng.standard_normal(1_000_000) * 5), {}
