"""Hidden checks for ReLU: hand values, the gradient at 0, finite differences away from the kink, dtypes,
shapes, and the 'multiply by the activation' bug."""

import numpy as np
from hypothesis import strategies as st

from prep.grading.checks import expect_array, expect_grad, for_all


def _away_from_zero(rng, shape, gap=1e-3):
    x = rng.standard_normal(shape)
    return np.where(np.abs(x) < gap, np.sign(x + 1e-300) * gap * 2, x)


def check_hand_computed_example(sub):
    x = np.array([-2.0, 0.0, 0.5, 3.0])
    expect_array(sub(x), np.array([0.0, 0.0, 0.5, 3.0]), context="relu_forward([-2, 0, 0.5, 3])")
    expect_array(sub.fn("relu_backward")(np.array([1.0, 1.0, 2.0, -1.0]), x), np.array([0.0, 0.0, 2.0, -1.0]),
                 name="dx", context="relu_backward(dout=[1, 1, 2, -1], x=[-2, 0, 0.5, 3])")


def check_gradient_at_zero_is_zero(sub, rng):
    x = np.zeros((3, 4))
    dout = rng.standard_normal((3, 4))
    expect_array(sub.fn("relu_backward")(dout, x), np.zeros((3, 4)), name="dx",
                 context="x exactly 0 everywhere: the gradient there is 0 by convention")


def check_finite_differences(sub, rng):
    for shape in ((4, 5), (2, 3, 6)):
        x = _away_from_zero(rng, shape)
        dout = rng.standard_normal(shape)
        dx = sub.fn("relu_backward")(dout, x)
        expect_grad(dx, lambda v: np.maximum(v, 0), x, dout, name="dx", rng=rng, tol=1e-5,
                    context=f"x {shape}, every |x| >= 1e-3")


def check_mask_not_activation(sub, rng):
    x = rng.uniform(0.1, 5.0, size=(3, 3)) * rng.choice([-1.0, 1.0], size=(3, 3))
    dout = np.ones((3, 3))
    expect_array(sub.fn("relu_backward")(dout, x), (x > 0).astype(float), name="dx",
                 context="dout all ones: dx is the 0/1 mask of x > 0, not relu(x)")


def check_float32_stays_float32(sub, rng):
    x = _away_from_zero(rng, (5, 4)).astype(np.float32)
    dout = rng.standard_normal((5, 4)).astype(np.float32)
    expect_array(sub(x), np.maximum(x, 0), context="float32 x", dtype=np.float32)
    expect_array(sub.fn("relu_backward")(dout, x), np.where(x > 0, dout, 0).astype(np.float32), name="dx",
                 context="float32 dout and x", dtype=np.float32)


@st.composite
def _cases(draw):
    return tuple(draw(st.lists(st.integers(1, 6), min_size=1, max_size=4))), draw(st.integers(0, 2**31))


def check_random_shapes(sub, ref, rng):
    def case(c):
        shape, seed = c
        r = np.random.default_rng(seed)
        x = r.standard_normal(shape) * 10.0 ** r.integers(-3, 3)
        dout = r.standard_normal(shape)
        expect_array(sub(x), ref(x), context=f"x of shape {shape}")
        expect_array(sub.fn("relu_backward")(dout, x), ref.fn("relu_backward")(dout, x), name="dx",
                     context=f"x of shape {shape}")

    for_all(rng, _cases(), case, examples=10)


def speed_case(rng):
    return (rng.standard_normal((2000, 2000)),), {}
