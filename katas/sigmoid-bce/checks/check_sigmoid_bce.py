"""Hidden checks for BCE with logits: hand values, extreme logits, soft labels, finite differences, log 2 at 0."""

import math

import numpy as np
from hypothesis import strategies as st

from prep.grading.checks import expect_array, expect_grad, expect_number, expect_tuple, for_all


def _call(sub, z, y, context):
    return expect_tuple(sub(z, y), ("loss", "dz"), context=context)


def _mean_loss(z, y):
    """Loss from the definition, in exact-enough arithmetic for moderate z (|z| <= 30)."""
    return float(np.mean([-(t * math.log(1 / (1 + math.exp(-v))) + (1 - t) * math.log(1 - 1 / (1 + math.exp(-v))))
                          for v, t in zip(z, y)]))


def check_hand_computed_example(sub):
    z, y = np.array([2.0, -1.0, 0.0]), np.array([1.0, 0.0, 1.0])
    ctx = "z = [2, -1, 0], y = [1, 0, 1]"
    loss, dz = _call(sub, z, y, ctx)
    expect_number(loss, (math.log1p(math.exp(-2)) + math.log1p(math.exp(-1)) + math.log(2)) / 3, name="loss",
                  context=ctx)
    sig = 1 / (1 + np.exp(-z))
    expect_array(dz, (sig - y) / 3, name="dz", context=ctx)


def check_extreme_logits(sub):
    z, y = np.array([1e4, -1e4, 40.0, -40.0, 800.0, -800.0]), np.array([0.0, 0.0, 1.0, 1.0, 1.0, 0.0])
    ctx = "z = [1e4, -1e4, 40, -40, 800, -800], y = [0, 0, 1, 1, 1, 0]"
    loss, dz = _call(sub, z, y, ctx)
    expect_number(loss, (1e4 + 0 + 0 + 40 + 0 + 0) / 6, name="loss", context=ctx, rtol=1e-12)
    expect_array(dz, np.array([1.0, 0.0, 0.0, -1.0, 0.0, 0.0]) / 6, name="dz", context=ctx, atol=1e-15)


def check_zero_logits_give_log_2(sub, rng):
    y = rng.random(7)
    ctx = "z = 0 everywhere, soft labels: every example costs ln 2"
    loss, dz = _call(sub, np.zeros(7), y, ctx)
    expect_number(loss, math.log(2), name="loss", context=ctx)
    expect_array(dz, (0.5 - y) / 7, name="dz", context=ctx)


def check_matches_the_definition(sub, rng):
    z, y = rng.uniform(-8, 8, size=9), rng.random(9)
    ctx = "moderate logits, soft labels (the definition with logs of sigmoid)"
    expect_number(_call(sub, z, y, ctx)[0], _mean_loss(z, y), name="loss", context=ctx)


def check_finite_differences(sub, rng):
    for n in (5, 12):
        z, y = rng.uniform(-6, 6, size=n), (rng.random(n) < 0.5).astype(float)
        ctx = f"N={n}, hard labels"
        _, dz = _call(sub, z, y, ctx)
        expect_grad(dz, lambda v, y=y: np.array(_mean_loss(v, y)), z, 1.0, name="dz", rng=rng, context=ctx)


@st.composite
def _cases(draw):
    return draw(st.integers(1, 20)), draw(st.sampled_from([1.0, 10.0, 100.0, 1e4])), draw(st.booleans()), draw(
        st.integers(0, 2**31))


def check_random_batches(sub, ref, rng):
    def case(c):
        n, scale, soft, seed = c
        r = np.random.default_rng(seed)
        z = r.standard_normal(n) * scale
        y = r.random(n) if soft else (r.random(n) < 0.5).astype(float)
        ctx = f"N={n}, logits at scale {scale:g}, {'soft' if soft else 'hard'} labels"
        loss, dz = _call(sub, z, y, ctx)
        loss_ref, dz_ref = ref(z, y)
        expect_number(loss, loss_ref, name="loss", context=ctx)
        expect_array(dz, dz_ref, name="dz", context=ctx, atol=1e-15)

    for_all(rng, _cases(), case, examples=12)


def speed_case(rng):
    return (rng.standard_normal(1_000_000) * 20, (rng.random(1_000_000) < 0.5).astype(float)), {}
