"""Hidden checks for residual-block: forward by definition, the skip path, backward by finite differences."""

import numpy as np
from hypothesis import strategies as st

from prep.grading.checks import CheckFailed, expect_array, expect_tuple, for_all, numeric_grad


def _grad_error(analytic, numeric):
    """max|a - n| / max(1e-8, max(|a| + |n|)): the error relative to the gradient's scale.

    A coordinate whose gradient is ~0 is then judged by its absolute accuracy, not by the ratio of two
    rounding errors (coordinate by coordinate, a correct gradient fails about once in a thousand runs).
    """
    scale = float(np.max(np.abs(analytic) + np.abs(numeric)))
    return float(np.max(np.abs(analytic - numeric))) / max(1e-8, scale)


GRADS = ("dx", "dW1", "db1", "dW2", "db2")


def _params(rng, n, d, h):
    """Random inputs with both ReLUs' inputs at least 1e-2 away from their kinks."""
    x = rng.standard_normal((n, d))
    w1 = rng.standard_normal((d, h)) / np.sqrt(d)
    b1 = rng.standard_normal(h) * 0.1
    w2 = rng.standard_normal((h, d)) / np.sqrt(h)
    b2 = rng.standard_normal(d) * 0.1
    for _ in range(1000):  # nudge the biases until no ReLU input sits on its kink
        a = x @ w1 + b1
        s = x + np.maximum(a, 0) @ w2 + b2
        near_a, near_s = np.abs(a) < 1e-2, np.abs(s) < 1e-2
        if not (near_a.any() or near_s.any()):
            break
        b1 = b1 + 0.03 * near_a.any(axis=0)
        b2 = b2 + 0.03 * near_s.any(axis=0)
    return x, w1, b1, w2, b2


def _forward(x, w1, b1, w2, b2):
    """The definition, one sample at a time."""
    y = np.empty_like(x)
    for i in range(x.shape[0]):
        hidden = np.maximum(x[i] @ w1 + b1, 0.0)
        y[i] = np.maximum(x[i] + hidden @ w2 + b2, 0.0)
    return y


def _ctx(x, w1):
    return f"x {x.shape}, W1 {w1.shape}"


def _backward(impl, dout, args, ctx):
    got = expect_tuple(impl.fn("residual_block_backward")(dout, *args), GRADS, context=ctx)
    for name, value, like in zip(GRADS, got, args):
        expect_array(value, like, name=name, context=ctx, rtol=0.0, atol=1e300)
    return got


def check_hand_worked_example(sub):
    x = np.array([[1.0, -2.0], [0.5, 1.0]])
    w1 = np.array([[1.0, 0.5, -1.0], [-1.0, 0.5, 1.0]])
    b1 = np.array([0.0, 0.0, 0.5])
    w2 = np.array([[0.5, -1.0], [1.0, 1.0], [-1.0, 0.5]])
    b2 = np.array([0.0, 0.5])
    ctx = "the worked example of the statement"
    expect_array(sub(x, w1, b1, w2, b2), np.array([[2.5, 0.0], [0.25, 2.75]]), name="y", context=ctx)
    dx, _, db1, _, db2 = _backward(sub, np.ones((2, 2)), (x, w1, b1, w2, b2), ctx + ", dout = ones")
    expect_array(dx, np.array([[1.5, -0.5], [2.5, 1.5]]), name="dx", context=ctx + ", dout = ones")
    expect_array(db1, np.array([0.5, 2.0, -0.5]), name="db1", context=ctx + ", dout = ones")
    expect_array(db2, np.array([2.0, 1.0]), name="db2", context=ctx + ", dout = ones")


def check_forward_matches_the_definition(sub, rng):
    for n, d, h in [(6, 4, 7), (3, 5, 2), (1, 3, 8)]:
        args = _params(rng, n, d, h)
        expect_array(sub(*args), _forward(*args), name="y", context=_ctx(args[0], args[1]))


def check_zero_branch_is_the_identity(sub, rng):
    """With W2 = 0 and b2 = 0 the block is relu(x): for positive x, y = x and dx = dout, the skip path alone."""
    x = rng.uniform(0.1, 2.0, size=(5, 3))
    w1, b1 = rng.standard_normal((3, 4)), rng.standard_normal(4)
    args = (x, w1, b1, np.zeros((4, 3)), np.zeros(3))
    ctx = "x > 0 (5, 3), W1 (3, 4), W2 = 0, b2 = 0"
    expect_array(sub(*args), x, name="y", context=ctx)
    dout = rng.standard_normal((5, 3))
    dx, dw1, db1, _, db2 = _backward(sub, dout, args, ctx)
    expect_array(dx, dout, name="dx", context=ctx)
    expect_array(dw1, np.zeros((3, 4)), name="dW1", context=ctx)
    expect_array(db1, np.zeros(4), name="db1", context=ctx)
    expect_array(db2, dout.sum(axis=0), name="db2", context=ctx)


def _finite_difference_case(sub, rng, n, d, h):
    args = _params(rng, n, d, h)
    dout = rng.standard_normal((n, d))
    ctx = _ctx(args[0], args[1])
    got = _backward(sub, dout, args, ctx)
    for k, name in enumerate(GRADS):

        def forward_of(v, k=k):
            return _forward(*args[:k], v, *args[k + 1:])

        indices, numeric = numeric_grad(forward_of, args[k], dout, rng=rng)
        analytic = np.array([got[k][i] for i in indices])
        err = _grad_error(analytic, numeric)
        if err > 1e-5:
            j = int(np.argmax(np.abs(analytic - numeric)))
            raise CheckFailed(f"{ctx}: {name} disagrees with finite differences: at {list(indices[j])} numeric "
                              f"{numeric[j]:.6g}, yours {analytic[j]:.6g} (relative error {err:.2g} > 1e-05)")


def check_backward_finite_differences(sub, rng):
    _finite_difference_case(sub, rng, 7, 4, 6)
    _finite_difference_case(sub, rng, 3, 6, 2)


def check_backward_matches_reference(sub, ref, rng):
    for n, d, h in [(9, 3, 5), (2, 7, 4), (5, 2, 1)]:
        args = _params(rng, n, d, h)
        dout = rng.standard_normal((n, d))
        ctx = _ctx(args[0], args[1])
        expected = ref.fn("residual_block_backward")(dout, *args)
        for name, g, e in zip(GRADS, _backward(sub, dout, args, ctx), expected):
            expect_array(g, e, name=name, context=ctx)


@st.composite
def _cases(draw):
    return draw(st.integers(1, 9)), draw(st.integers(1, 7)), draw(st.integers(1, 6)), draw(st.integers(0, 2**31))


def check_random_cases(sub, ref, rng):
    def case(c):
        n, d, h, seed = c
        r = np.random.default_rng(seed)
        args = _params(r, n, d, h)
        dout = r.standard_normal((n, d))
        ctx = _ctx(args[0], args[1])
        expect_array(sub(*args), ref(*args), context=ctx)
        expected = ref.fn("residual_block_backward")(dout, *args)
        for name, g, e in zip(GRADS, _backward(sub, dout, args, ctx), expected):
            expect_array(g, e, name=name, context=ctx)

    for_all(rng, _cases(), case, examples=8)


def check_float32_stays_float32(sub, ref, rng):
    args = tuple(a.astype(np.float32) for a in _params(rng, 8, 5, 3))
    ctx = "float32 inputs, " + _ctx(args[0], args[1])
    expect_array(sub(*args), ref(*args), name="y", context=ctx, dtype=np.float32)
    dout = rng.standard_normal((8, 5)).astype(np.float32)
    got = expect_tuple(sub.fn("residual_block_backward")(dout, *args), GRADS, context=ctx)
    for name, g, e in zip(GRADS, got, ref.fn("residual_block_backward")(dout, *args)):
        expect_array(g, e, name=name, context=ctx, dtype=np.float32)


def speed_case(rng):
    return _params(rng, 1024, 256, 512), {}
