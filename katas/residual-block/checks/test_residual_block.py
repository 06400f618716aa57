"""Hidden checks for residual-block: forward by definition, the skip path, exact ReLU kinks, backward by finite
differences, dtypes."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from prep.grading.checks import expect_array, expect_grad, expect_tuple, t

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


def _backward(impl, dout, args, ctx, dtype=None):
    got = expect_tuple(impl.fn("residual_block_backward")(dout, *args), GRADS, context=ctx)
    for name, value, like in zip(GRADS, got, args):
        expect_array(value, like, name=name, context=ctx, rtol=0.0, atol=1e300, dtype=dtype)
    return got


def _expect_backward_like_ref(sub, ref, dout, args, ctx):
    expected = ref.fn("residual_block_backward")(dout, *args)
    for name, g, e in zip(GRADS, _backward(sub, dout, args, ctx), expected):
        expect_array(g, e, name=name, context=ctx)


EXAMPLE = (np.array([[1.0, -2.0], [0.5, 1.0]]), np.array([[1.0, 0.5, -1.0], [-1.0, 0.5, 1.0]]),
           np.array([0.0, 0.0, 0.5]), np.array([[0.5, -1.0], [1.0, 1.0], [-1.0, 0.5]]), np.array([0.0, 0.5]))


@pytest.mark.zh("手算示例：前向")
def test_hand_worked_example_forward(sub):
    expect_array(sub(*EXAMPLE), np.array([[2.5, 0.0], [0.25, 2.75]]), name="y",
                 context=t("the worked example of the statement", "题面中的例子"))


@pytest.mark.zh("手算示例：反向")
def test_hand_worked_example_backward(sub):
    ctx = t("the worked example of the statement", "题面中的例子") + ", dout = ones"
    dx, _, db1, _, db2 = _backward(sub, np.ones((2, 2)), EXAMPLE, ctx)
    expect_array(dx, np.array([[1.5, -0.5], [2.5, 1.5]]), name="dx", context=ctx)
    expect_array(db1, np.array([0.5, 2.0, -0.5]), name="db1", context=ctx)
    expect_array(db2, np.array([2.0, 1.0]), name="db2", context=ctx)


@pytest.mark.zh("前向与定义一致")
@pytest.mark.parametrize(("n", "d", "h"), [
    pytest.param(6, 4, 7, id="N=6-D=4-H=7"), pytest.param(3, 5, 2, id="N=3-D=5-H=2"),
    pytest.param(1, 3, 8, id="N=1-D=3-H=8"),
])
def test_forward_matches_the_definition(sub, rng, n, d, h):
    args = _params(rng, n, d, h)
    expect_array(sub(*args), _forward(*args), name="y", context=_ctx(args[0], args[1]))


@pytest.mark.zh("分支为零时是恒等映射")
def test_zero_branch_is_the_identity(sub, rng):
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


@pytest.mark.zh("ReLU 输入恰好为 0")
def test_relu_inputs_exactly_zero(sub, ref):
    """Both ReLUs see exact zeros (small dyadic numbers: every sum is exact); relu'(0) = 0 by the statement."""
    x = np.array([[1.0, -0.5, 0.25], [0.5, 1.0, -1.0], [-0.75, 0.5, 0.5], [0.25, 0.25, 1.0]])
    w1 = np.array([[1.0, -0.5, 0.5, 0.25], [0.5, 1.0, -0.25, 0.5], [-1.0, 0.5, 1.0, -0.5]])
    b1 = -np.diag(x @ w1)  # a[j, j] = 0 exactly for every j
    w2 = np.array([[0.5, -1.0, 0.25], [1.0, 0.5, -0.5], [-0.5, 0.25, 1.0], [0.25, 0.5, 0.5]])
    h = np.maximum(x @ w1 + b1, 0)
    b2 = -(x + h @ w2)[2]  # s[2, :] = 0 exactly
    args = (x, w1, b1, w2, b2)
    a, s = x @ w1 + b1, x + h @ w2 + b2
    assert (a == 0).sum() >= 2 and (s == 0).sum() >= 3, "the case must hit both kinks"
    dout = np.array([[1.0, -2.0, 0.5], [0.5, 1.0, -1.0], [2.0, 0.5, 1.5], [-1.0, 1.0, 0.5]])
    ctx = t("pre-activations of both ReLUs exactly 0 in places", "两个 ReLU 的输入在若干位置恰好为 0")
    expect_array(sub(*args), ref(*args), name="y", context=ctx)
    _expect_backward_like_ref(sub, ref, dout, args, ctx)


@pytest.mark.zh("反向：有限差分")
@pytest.mark.parametrize(("n", "d", "h"), [pytest.param(7, 4, 6, id="N=7-D=4-H=6"),
                                           pytest.param(3, 6, 2, id="N=3-D=6-H=2")])
def test_backward_finite_differences(sub, rng, n, d, h):
    args = _params(rng, n, d, h)
    dout = rng.standard_normal((n, d))
    ctx = _ctx(args[0], args[1])
    got = _backward(sub, dout, args, ctx)
    for k, name in enumerate(GRADS):
        expect_grad(got[k], lambda v, k=k: _forward(*args[:k], v, *args[k + 1:]), args[k], dout, name=name,
                    rng=rng, context=ctx, tol=1e-5)


@pytest.mark.zh("反向与参考实现一致")
@pytest.mark.parametrize(("n", "d", "h"), [
    pytest.param(9, 3, 5, id="N=9-D=3-H=5"), pytest.param(2, 7, 4, id="N=2-D=7-H=4"),
    pytest.param(5, 2, 1, id="N=5-D=2-H=1"),
])
def test_backward_matches_reference(sub, ref, rng, n, d, h):
    args = _params(rng, n, d, h)
    _expect_backward_like_ref(sub, ref, rng.standard_normal((n, d)), args, _ctx(args[0], args[1]))


@st.composite
def cases(draw):
    return draw(st.integers(1, 9)), draw(st.integers(1, 7)), draw(st.integers(1, 6)), draw(st.integers(0, 2**31))


@pytest.mark.zh("随机形状与数值")
@settings(max_examples=8)
@given(c=cases())
def test_random_cases(sub, ref, c):
    n, d, h, seed = c
    r = np.random.default_rng(seed)
    args = _params(r, n, d, h)
    dout = r.standard_normal((n, d))
    ctx = _ctx(args[0], args[1])
    expect_array(sub(*args), ref(*args), context=ctx)
    _expect_backward_like_ref(sub, ref, dout, args, ctx)


@pytest.mark.zh("float32 输入得到 float32 输出")
def test_float32_stays_float32(sub, ref, rng):
    args = tuple(a.astype(np.float32) for a in _params(rng, 8, 5, 3))
    ctx = t("float32 inputs", "float32 输入") + ", " + _ctx(args[0], args[1])
    expect_array(sub(*args), ref(*args), name="y", context=ctx, dtype=np.float32)
    dout = rng.standard_normal((8, 5)).astype(np.float32)
    got = _backward(sub, dout, args, ctx, dtype=np.float32)
    for name, g, e in zip(GRADS, got, ref.fn("residual_block_backward")(dout, *args)):
        # float32 sums over the batch: rounding ~1e-6 of the largest entry, whatever the entry
        expect_array(g, e, name=name, context=ctx, dtype=np.float32, atol=1e-5 * float(np.max(np.abs(e))))


def speed_case(rng):
    return _params(rng, 1024, 256, 512), {}
