"""Hidden checks for softmax: definition, every axis, huge and mixed-scale logits, dtypes."""

import math

import numpy as np
from hypothesis import strategies as st

from prep.grading.checks import expect_array, for_all


def check_matches_the_definition(sub, rng):
    x = rng.standard_normal(5)
    z = [math.exp(v) for v in x]
    expected = np.array([v / sum(z) for v in z])
    expect_array(sub(x), expected, context=f"x = {np.round(x, 3).tolist()}")


def check_last_axis(sub, ref, rng):
    x = rng.standard_normal((4, 7)) * 3
    expect_array(sub(x), ref(x), context="x (4, 7), axis=-1")


def check_every_axis(sub, ref, rng):
    x = rng.standard_normal((3, 4, 5))
    for axis in (0, 1, 2, -2, -3):
        expect_array(sub(x, axis=axis), ref(x, axis=axis), context=f"x (3, 4, 5), axis={axis}")


def check_huge_logits(sub, ref, rng):
    x = rng.standard_normal((3, 6)) * 10 + np.array([[1e3], [-1e4], [1e4]])
    expect_array(sub(x), ref(x), context="rows centred at 1e3, -1e4 and 1e4")


def check_rows_at_different_scales(sub, ref, rng):
    x = np.stack([rng.standard_normal(6), rng.standard_normal(6) - 2000.0])
    expect_array(sub(x), ref(x), context="second row 2000 below the first (a global max underflows it)")


def check_sums_to_one_and_keeps_order(sub, rng):
    x = rng.standard_normal((5, 9)) * 50
    out = expect_array(sub(x, axis=0), np.zeros_like(x), context="x (5, 9) * 50, axis=0",
                       rtol=0, atol=1e300)
    expect_array(out.sum(axis=0), np.ones(9), name="sum over axis 0", context="x (5, 9) * 50, axis=0")
    if np.any(np.argmax(out, axis=0) != np.argmax(x, axis=0)):
        expect_array(np.argmax(out, axis=0), np.argmax(x, axis=0), name="argmax", exact=True,
                     context="the largest logit must get the largest probability")


@st.composite
def _cases(draw):
    shape = tuple(draw(st.lists(st.integers(1, 6), min_size=1, max_size=4)))
    axis = draw(st.integers(-len(shape), len(shape) - 1))
    return shape, axis, 10.0 ** draw(st.integers(-2, 3)), draw(st.integers(0, 2**31))


def check_random_shapes_and_axes(sub, ref, rng):
    def case(c):
        shape, axis, scale, seed = c
        x = np.random.default_rng(seed).standard_normal(shape) * scale
        expect_array(sub(x, axis=axis), ref(x, axis=axis), context=f"x {shape} * {scale:g}, axis={axis}")

    for_all(rng, _cases(), case, examples=10)


def check_float32_stays_float32(sub, ref, rng):
    x = (rng.standard_normal((4, 5)) * 20).astype(np.float32)
    expect_array(sub(x), ref(x), dtype=np.float32, context="float32 input")


def speed_case(rng):
    return (rng.standard_normal((256, 4096)),), {}
