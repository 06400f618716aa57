"""Hidden checks for inverted dropout: hand values, which probability p is, evaluation mode, expectation over
many masks, the backward pass by finite differences, dtypes, p = 0."""

import numpy as np
from hypothesis import strategies as st

from prep.grading.checks import CheckFailed, expect_array, expect_grad, for_all


def check_hand_computed_example(sub):
    x, mask = np.array([1.0, 2.0, 3.0, 4.0]), np.array([True, False, True, True])
    expect_array(sub(x, mask, 0.25), np.array([4 / 3, 0.0, 4.0, 16 / 3]),
                 context="x [1, 2, 3, 4], keep_mask [T, F, T, T], p = 0.25 (drop probability), training")
    expect_array(sub(x, mask, 0.25, train=False), x, context="the same at evaluation (train=False): x unchanged")
    expect_array(sub.fn("dropout_backward")(np.ones(4), mask, 0.25), np.array([4 / 3, 0.0, 4 / 3, 4 / 3]),
                 name="dx", context="dropout_backward(ones, keep_mask [T, F, T, T], p = 0.25)")


def check_p_is_the_drop_probability(sub, rng):
    x = rng.standard_normal((5, 6))
    mask = rng.random((5, 6)) >= 0.8
    expect_array(sub(x, mask, 0.8), np.where(mask, x / 0.2, 0.0),
                 context="p = 0.8: 80% dropped, kept units scaled by 1 / (1 - 0.8) = 5")


def check_expectation_is_preserved(sub, rng):
    x = rng.standard_normal(8)
    p, trials = 0.3, 4000
    masks = rng.random((trials, 8)) >= p
    outs = sub(np.broadcast_to(x, (trials, 8)).copy(), masks, p)
    mean = np.asarray(outs).mean(axis=0)
    se = np.abs(x) * np.sqrt(p / (1 - p) / trials)
    if np.any(np.abs(mean - x) > 6 * se + 1e-12):
        i = int(np.argmax(np.abs(mean - x) / (se + 1e-12)))
        raise CheckFailed(f"p = 0.3 over 4000 random masks: the mean output of unit {i} is {mean[i]:.4f}, but "
                          f"inverted dropout keeps the expectation equal to x = {x[i]:.4f}")


def check_evaluation_mode(sub, rng):
    x = rng.standard_normal((3, 4))
    mask = rng.random((3, 4)) >= 0.5
    expect_array(sub(x, mask, 0.5, train=False), x, context="train=False with p = 0.5: no dropping, no scaling")


def check_p_zero(sub, rng):
    x = rng.standard_normal((2, 5))
    expect_array(sub(x, np.ones((2, 5), dtype=bool), 0.0), x, context="p = 0 with an all-True mask: identity")


def check_backward_finite_differences(sub, rng):
    x, dout = rng.standard_normal((4, 5)), rng.standard_normal((4, 5))
    mask = rng.random((4, 5)) >= 0.4
    dx = sub.fn("dropout_backward")(dout, mask, 0.4)
    expect_grad(dx, lambda v: np.where(mask, v / 0.6, 0.0), x, dout, name="dx", rng=rng, samples=20,
                context="p = 0.4, x (4, 5)")


def check_float32_stays_float32(sub, rng):
    x = rng.standard_normal((4, 4)).astype(np.float32)
    mask = rng.random((4, 4)) >= 0.5
    expect_array(sub(x, mask, 0.5), np.where(mask, x / np.float32(0.5), 0).astype(np.float32),
                 context="float32 x, p = 0.5", dtype=np.float32)


@st.composite
def _cases(draw):
    return (tuple(draw(st.lists(st.integers(1, 6), min_size=1, max_size=3))),
            draw(st.sampled_from([0.0, 0.1, 0.5, 0.9])), draw(st.booleans()), draw(st.integers(0, 2**31)))


def check_random_shapes(sub, ref, rng):
    def case(c):
        shape, p, train, seed = c
        r = np.random.default_rng(seed)
        x, dout, mask = r.standard_normal(shape), r.standard_normal(shape), r.random(shape) >= p
        ctx = f"x {shape}, p = {p}, train={train}"
        expect_array(sub(x, mask, p, train=train), ref(x, mask, p, train=train), context=ctx)
        expect_array(sub.fn("dropout_backward")(dout, mask, p), ref.fn("dropout_backward")(dout, mask, p),
                     name="dx", context=ctx)

    for_all(rng, _cases(), case, examples=10)


def speed_case(rng):
    x = rng.standard_normal((1000, 1000))
    return (x, rng.random((1000, 1000)) >= 0.1, 0.1), {}
