"""Hidden checks for linear-backward: finite differences, hand values, distinct N/D/M, summed bias, identities."""

import numpy as np
from hypothesis import strategies as st

from prep.grading.checks import expect_array, expect_grad, expect_tuple, for_all

NAMES = ("dx", "dw", "db")


def _forward(x, w, b):
    return x @ w + b


def _grads(sub, x, w, b, dout, context):
    return expect_tuple(sub(x, w, b, dout), NAMES, context=context)


def check_hand_computed_example(sub):
    x, w = np.array([[1.0, 2.0], [3.0, -1.0]]), np.array([[1.0, 0.0, 2.0], [-1.0, 1.0, 0.5]])
    dout = np.array([[1.0, 0.0, 1.0], [0.0, 2.0, -1.0]])
    ctx = "the example of the statement"
    dx, dw, db = _grads(sub, x, w, np.zeros(3), dout, ctx)
    expect_array(dx, np.array([[3.0, -0.5], [-2.0, 1.5]]), name="dx", context=ctx)
    expect_array(dw, np.array([[1.0, 6.0, -2.0], [2.0, -2.0, 3.0]]), name="dw", context=ctx)
    expect_array(db, np.array([1.0, 2.0, 0.0]), name="db", context=ctx)


def check_finite_differences(sub, rng):
    for n, d, m in ((4, 3, 5), (2, 7, 3), (6, 5, 2)):
        x, w, b = rng.standard_normal((n, d)), rng.standard_normal((d, m)), rng.standard_normal(m)
        dout = rng.standard_normal((n, m))
        ctx = f"N={n}, D={d}, M={m}"
        dx, dw, db = _grads(sub, x, w, b, dout, ctx)
        expect_grad(dx, lambda v, w=w, b=b: _forward(v, w, b), x, dout, name="dx", rng=rng, context=ctx)
        expect_grad(dw, lambda v, x=x, b=b: _forward(x, v, b), w, dout, name="dw", rng=rng, context=ctx)
        expect_grad(db, lambda v, x=x, w=w: _forward(x, w, v), b, dout, name="db", rng=rng, context=ctx)


def check_single_sample(sub, ref, rng):
    x, w, b, dout = rng.standard_normal((1, 4)), rng.standard_normal((4, 6)), rng.standard_normal(6), \
        rng.standard_normal((1, 6))
    for name, got, want in zip(NAMES, _grads(sub, x, w, b, dout, "N=1"), ref(x, w, b, dout)):
        expect_array(got, want, name=name, context="N=1, D=4, M=6")


def check_bias_gradient_is_summed(sub, rng):
    n, d, m = 8, 3, 4
    x, w, b = rng.standard_normal((n, d)), rng.standard_normal((d, m)), rng.standard_normal(m)
    dout = np.ones((n, m))
    ctx = "dout all ones over a batch of 8: every bias entry collects 8"
    expect_array(_grads(sub, x, w, b, dout, ctx)[2], np.full(m, 8.0), name="db", context=ctx)


def check_inner_product_identity(sub, rng):
    x, w, b = rng.standard_normal((5, 4)), rng.standard_normal((4, 3)), rng.standard_normal(3)
    dout = rng.standard_normal((5, 3))
    dx, dw, db = _grads(sub, x, w, b, dout, "N=5, D=4, M=3")
    # out is bilinear in (x, w) plus b: <dout, out> = <dx, x> = <dw, w> and <dout, 1 b> = <db, b>
    lhs = float(np.sum(dout * (x @ w)))
    expect_array(np.array([np.sum(dx * x), np.sum(dw * w)]), np.array([lhs, lhs]),
                 name="[<dx, x>, <dw, w>]",
                 context="both must equal <dout, x @ w> (Euler's identity for a bilinear map)")
    expect_array(np.array(np.sum(db * b)), np.array(np.sum(dout * b)), name="<db, b>", context="must equal <dout, b>")


@st.composite
def _cases(draw):
    return draw(st.integers(1, 9)), draw(st.integers(1, 9)), draw(st.integers(1, 9)), draw(st.integers(0, 2**31))


def check_random_shapes(sub, ref, rng):
    def case(c):
        n, d, m, seed = c
        r = np.random.default_rng(seed)
        args = (r.standard_normal((n, d)), r.standard_normal((d, m)), r.standard_normal(m), r.standard_normal((n, m)))
        ctx = f"N={n}, D={d}, M={m}"
        for name, got, want in zip(NAMES, _grads(sub, *args, ctx), ref(*args)):
            expect_array(got, want, name=name, context=ctx)

    for_all(rng, _cases(), case, examples=10)


def speed_case(rng):
    return (rng.standard_normal((256, 512)), rng.standard_normal((512, 384)), rng.standard_normal(384),
            rng.standard_normal((256, 384))), {}
