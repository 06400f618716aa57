"""Hidden checks for softmax cross-entropy: hand values, gaps of 800+, uniform logits = ln C, the two-class
identity with BCE, finite differences, shift invariance, random batches."""

import math

import numpy as np
from hypothesis import strategies as st

from prep.grading.checks import expect_array, expect_grad, expect_number, expect_tuple, for_all


def _call(sub, logits, y, context):
    return expect_tuple(sub(logits, y), ("loss", "dlogits"), context=context)


def _loss(logits, y):
    """From the definition, row by row with math (for moderate logits)."""
    total = 0.0
    for row, label in zip(logits, y):
        total -= float(row[label]) - math.log(sum(math.exp(float(v)) for v in row))
    return total / len(y)


def check_hand_computed_example(sub):
    logits, y = np.array([[2.0, 1.0, 0.1], [0.5, 2.5, -1.0]]), np.array([0, 2])
    ctx = "logits [[2, 1, 0.1], [0.5, 2.5, -1]], y = [0, 2]"
    loss, d = _call(sub, logits, y, ctx)
    expect_number(loss, _loss(logits, y), name="loss", context=ctx)
    p = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    p[[0, 1], [0, 2]] -= 1
    expect_array(d, p / 2, name="dlogits", context=ctx)


def check_huge_gaps(sub):
    logits = np.array([[1000.0, 0.0], [0.0, 1000.0], [-500.0, 400.0]])
    y = np.array([1, 1, 0])
    ctx = "logits [[1000, 0], [0, 1000], [-500, 400]], y = [1, 1, 0]: gaps of 900-1000"
    loss, d = _call(sub, logits, y, ctx)
    expect_number(loss, (1000.0 + 0.0 + 900.0) / 3, name="loss", context=ctx, rtol=1e-12)
    expect_array(d, np.array([[1.0, -1.0], [0.0, 0.0], [-1.0, 1.0]]) / 3, name="dlogits", context=ctx, atol=1e-15)


def check_rows_at_different_scales(sub, rng):
    logits = np.stack([rng.standard_normal(4), rng.standard_normal(4) - 3000.0, rng.standard_normal(4) + 2000.0])
    y = np.array([1, 2, 0])
    ctx = "three rows centred at 0, -3000 and +2000 (a batch-wide max underflows the lower rows)"
    loss, _ = _call(sub, logits, y, ctx)
    centred = logits - logits.mean(axis=1, keepdims=True)
    expect_number(loss, _loss(centred, y), name="loss", context=ctx)


def check_uniform_logits_give_log_c(sub, rng):
    for c in (2, 10, 1000):
        logits = np.full((4, c), float(rng.standard_normal()) * 50)
        y = rng.integers(0, c, size=4)
        expect_number(_call(sub, logits, y, f"C={c}")[0], math.log(c), name="loss",
                      context=f"equal logits over C={c} classes: loss ln C")


def check_two_classes_match_bce(sub, rng):
    z = rng.standard_normal(6) * 3
    y = rng.integers(0, 2, size=6)
    logits = np.stack([np.zeros(6), z], axis=1)
    bce = float(np.mean(np.maximum(z, 0) - z * y + np.log1p(np.exp(-np.abs(z)))))
    expect_number(_call(sub, logits, y, "C=2")[0], bce, name="loss",
                  context="two classes with logits [0, z]: the same as binary cross-entropy on z")


def check_finite_differences(sub, rng):
    for n, c in ((4, 5), (7, 3)):
        logits, y = rng.standard_normal((n, c)) * 2, rng.integers(0, c, size=n)
        ctx = f"N={n}, C={c}"
        _, d = _call(sub, logits, y, ctx)
        expect_grad(d, lambda v, y=y: np.array(_loss(v, y)), logits, 1.0, name="dlogits", rng=rng, context=ctx)


def check_shift_invariance(sub, rng):
    logits, y = rng.standard_normal((5, 4)), rng.integers(0, 4, size=5)
    shifted = logits + rng.uniform(-700, 700, size=(5, 1))
    loss, d = _call(sub, logits, y, "N=5, C=4")
    loss2, d2 = _call(sub, shifted, y, "the same rows shifted by up to +-700")
    expect_number(loss2, loss, name="loss", context="adding a constant to a row changes nothing", rtol=1e-9)
    expect_array(d2, d, name="dlogits", context="adding a constant to a row changes nothing", rtol=1e-7, atol=1e-12)


@st.composite
def _cases(draw):
    return draw(st.integers(1, 12)), draw(st.integers(2, 30)), draw(st.sampled_from([1.0, 10.0, 300.0])), draw(
        st.integers(0, 2**31))


def check_random_batches(sub, ref, rng):
    def case(c):
        n, classes, scale, seed = c
        r = np.random.default_rng(seed)
        logits, y = r.standard_normal((n, classes)) * scale, r.integers(0, classes, size=n)
        ctx = f"N={n}, C={classes}, logits at scale {scale:g}"
        loss, d = _call(sub, logits, y, ctx)
        loss_ref, d_ref = ref(logits, y)
        expect_number(loss, loss_ref, name="loss", context=ctx)
        expect_array(d, d_ref, name="dlogits", context=ctx, atol=1e-15)

    for_all(rng, _cases(), case, examples=12)


def speed_case(rng):
    return (rng.standard_normal((512, 32000)) * 3, rng.integers(0, 32000, size=512)), {}
