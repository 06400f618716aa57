"""Hidden checks for logistic-regression-step: the step and the loss against independent formulas, finite
differences, logits of +-40 and +-1e4, the penalty on w only, the optimum as a fixed point, float32."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from prep.grading.checks import expect_array, expect_grad, expect_number, expect_tuple, t

OUT = ("w_new", "b_new", "loss")


def _data(rng, n, d, scale=1.0):
    X = rng.standard_normal((n, d)) * rng.uniform(0.5, 2.0, d)
    w_true = rng.standard_normal(d) * scale
    y = (rng.random(n) < 1 / (1 + np.exp(-(X @ w_true + 0.3)))).astype(np.float64)
    return X, y


def _loss(X, y, w, b, l2):
    """The mean log loss on the logits (stable for moderate z) plus l2 * ||w||^2."""
    z = X @ w + b
    return float(np.mean(np.where(z > 0, z + np.log1p(np.exp(-np.abs(z))), np.log1p(np.exp(-np.abs(z))))
                         - y * z) + l2 * np.sum(w**2))


def _expected(w, b, X, y, lr, l2):
    n = len(y)
    z = X @ w + b
    p = np.array([1 / (1 + np.exp(-v)) if v >= 0 else np.exp(v) / (1 + np.exp(v)) for v in z])
    grad_w = np.array([np.sum((p - y) * X[:, j]) / n for j in range(len(w))]) + 2 * l2 * w
    grad_b = np.sum(p - y) / n
    return w - lr * grad_w, float(b - lr * grad_b), _loss(X, y, w, b, l2)


def _step(sub, w, b, X, y, lr, ctx, **kw):
    got = expect_tuple(sub(w, b, X, y, lr, **kw), OUT, context=ctx)
    wn = expect_array(got[0], w, name="w_new", context=ctx, rtol=0.0, atol=1e300)
    bn = expect_number(got[1], 0.0, name="b_new", context=ctx, rtol=0.0, atol=1e300)
    loss = expect_number(got[2], 0.0, name="loss", context=ctx, rtol=0.0, atol=1e300)
    return wn, bn, loss


def _expect_all(got, expected, ctx, atol=1e-10):
    expect_array(got[0], expected[0], name="w_new", context=ctx, atol=atol)
    expect_number(got[1], expected[1], name="b_new", context=ctx, atol=atol)
    expect_number(got[2], expected[2], name="loss", context=ctx, atol=atol)


@pytest.mark.zh("题目中的手算例子")
@pytest.mark.parametrize(("l2", "w_new", "loss"), [
    pytest.param(0.1, [0.6552053252, -0.0552053252], 0.5712590933374226, id="l2=0.1"),
    pytest.param(0.0, [0.7052053252, -0.0802053252], 0.5400090933374226, id="l2=0"),
])
def test_worked_example(sub, l2, w_new, loss):
    X, y, w = np.array([[1.0, 2.0], [-1.0, 1.0]]), np.array([1.0, 0.0]), np.array([0.5, -0.25])
    ctx = f"X [[1, 2], [-1, 1]], y [1, 0], w [0.5, -0.25], b 0, lr=0.5, l2={l2}"
    got = _step(sub, w, 0.0, X, y, 0.5, ctx, l2=l2)
    _expect_all(got, (np.array(w_new), 0.044794674793848244, loss), ctx, atol=1e-9)


@pytest.mark.zh("一步更新与损失")
@pytest.mark.parametrize(("n", "d", "lr", "l2", "b"), [
    pytest.param(24, 3, 0.5, 0.0, 0.4, id="N=24-D=3-lr=0.5"),
    pytest.param(7, 5, 0.1, 0.05, -1.5, id="N=7-D=5-l2=0.05-b=-1.5"),
    pytest.param(40, 2, 1.0, 0.5, 3.0, id="N=40-D=2-l2=0.5-b=3"),
    pytest.param(1, 4, 0.3, 0.2, 0.7, id="N=1-D=4"),
])
def test_step_and_loss(sub, rng, n, d, lr, l2, b):
    X, y = _data(rng, n, d)
    w = rng.standard_normal(d)
    ctx = f"X {X.shape}, b={b}, lr={lr}, l2={l2}"
    _expect_all(_step(sub, w, b, X, y, lr, ctx, l2=l2), _expected(w, b, X, y, lr, l2), ctx)


@pytest.mark.zh("l2 取默认值")
def test_default_l2(sub, rng):
    X, y = _data(rng, 9, 3)
    w = rng.standard_normal(3)
    ctx = "X (9, 3), b=0.5, lr=0.2, " + t("l2 left at its default", "l2 取默认值")
    _expect_all(_step(sub, w, 0.5, X, y, 0.2, ctx), _expected(w, 0.5, X, y, 0.2, 0.0), ctx)


@pytest.mark.zh("梯度与有限差分一致")
@pytest.mark.parametrize(("n", "d", "l2"), [pytest.param(13, 4, 0.0, id="N=13-D=4-l2=0"),
                                            pytest.param(5, 6, 0.3, id="N=5-D=6-l2=0.3")])
def test_gradient_finite_differences(sub, rng, n, d, l2):
    X, y = _data(rng, n, d)
    w, b, lr = rng.standard_normal(d), float(rng.uniform(-2.0, 2.0)), 0.25
    ctx = f"X {X.shape}, lr={lr}, l2={l2}: " + t("gradient = (old - new) / lr", "梯度 = (旧值 - 新值) / lr")
    wn, bn, _ = _step(sub, w, b, X, y, lr, ctx, l2=l2)
    expect_grad((w - wn) / lr, lambda v: _loss(X, y, v, b, l2), w, 1.0, name="dL/dw", rng=rng, context=ctx)
    expect_grad(np.array([(b - bn) / lr]), lambda v: _loss(X, y, w, v[0], l2), np.array([b]), 1.0,
                name="dL/db", rng=rng, context=ctx)


@pytest.mark.zh("极大的 logit：±40 与 ±1e4")
@pytest.mark.parametrize("l2", [pytest.param(0.0, id="l2=0"), pytest.param(0.01, id="l2=0.01")])
def test_large_logits(sub, l2):
    """Confidently wrong examples: log(1 - sigmoid) is -inf at z = 40, log(sigmoid) at z = -1e4; clipping p
    changes the loss."""
    X = np.array([[40.0, 0.0], [-40.0, 0.0], [1e4, 0.0], [-1e4, 0.0], [0.5, 0.0], [-36.0, 1.0]])
    y = np.array([0.0, 1.0, 0.0, 1.0, 1.0, 0.0])
    w = np.array([1.0, 0.0])
    ctx = t("logits [40, -40, 1e4, -1e4, 0.5, -36], labels [0, 1, 0, 1, 1, 0], lr=0.1",
            "logit 为 [40, -40, 1e4, -1e4, 0.5, -36]，标签 [0, 1, 0, 1, 1, 0]，lr=0.1") + f", l2={l2}"
    got = _step(sub, w, 0.0, X, y, 0.1, ctx, l2=l2)
    z = X @ w
    loss = float(np.mean([40.0, 40.0, 1e4, 1e4, np.log1p(np.exp(-0.5)), np.log1p(np.exp(-36.0))])) + l2
    expected = _expected(w, 0.0, X, y, 0.1, l2)
    assert np.allclose(z, [40, -40, 1e4, -1e4, 0.5, -36]), "bad case"
    _expect_all(got, (expected[0], expected[1], loss), ctx, atol=1e-9)


@pytest.mark.zh("偏置不受 L2 惩罚")
def test_bias_not_penalized(sub):
    """Zero features: the data gradient of w is 0, so only the penalty moves w, and b moves by mean(p - y)."""
    X = np.zeros((4, 3))
    y = np.array([1.0, 0.0, 1.0, 1.0])
    w, b, lr, l2 = np.array([1.0, -2.0, 0.5]), 2.0, 0.5, 0.25
    ctx = t("X all zero, y [1, 0, 1, 1], w [1, -2, 0.5], b 2, lr=0.5, l2=0.25",
            "X 全为零，y [1, 0, 1, 1]，w [1, -2, 0.5]，b 2，lr=0.5，l2=0.25")
    p = 1 / (1 + math.exp(-2.0))
    expected = (w * (1 - lr * 2 * l2), b - lr * (p - 0.75), math.log1p(math.exp(2.0)) - 0.75 * 2.0 + l2 * 5.25)
    _expect_all(_step(sub, w, b, X, y, lr, ctx, l2=l2), expected, ctx)


def _optimum(X, y, l2, iters=30):
    """Newton's method on the regularized loss (bias unpenalized): the exact minimizer."""
    n, d = X.shape
    A = np.hstack([X, np.ones((n, 1))])
    theta = np.zeros(d + 1)
    P = np.diag(np.r_[np.full(d, 2 * l2), 0.0])
    for _ in range(iters):
        p = 1 / (1 + np.exp(-(A @ theta)))
        g = A.T @ (p - y) / n + P @ theta
        H = (A * (p * (1 - p))[:, None]).T @ A / n + P
        theta = theta - np.linalg.solve(H, g)
    return theta[:d], float(theta[d])


@pytest.mark.zh("在最优解处一步不动")
def test_fixed_point_at_the_optimum(sub, rng):
    X, y = _data(rng, 30, 3)
    l2 = 0.05
    w, b = _optimum(X, y, l2)
    ctx = t("from the exact minimizer (Newton's method)", "从精确最优解出发（牛顿法求得）")
    ctx += f", X (30, 3), lr=1, l2={l2}"
    wn, bn, loss = _step(sub, w, b, X, y, 1.0, ctx, l2=l2)
    expect_array(wn, w, name="w_new", context=ctx, atol=1e-9)
    expect_number(bn, b, name="b_new", context=ctx, atol=1e-9)
    expect_number(loss, _loss(X, y, w, b, l2), name="loss", context=ctx)


@pytest.mark.zh("float32 输入得到 float32 输出")
def test_float32_stays_float32(sub, rng):
    X, y = (a.astype(np.float32) for a in _data(rng, 16, 4))
    w = rng.standard_normal(4).astype(np.float32)
    ctx = t("float32 inputs", "float32 输入") + ", X (16, 4), b=0.3, lr=0.5, l2=0.1"
    wn, bn, loss = _step(sub, w, 0.3, X, y, 0.5, ctx, l2=0.1)
    ew, eb, el = _expected(w.astype(np.float64), 0.3, X.astype(np.float64), y.astype(np.float64), 0.5, 0.1)
    expect_array(wn, ew.astype(np.float32), name="w_new", context=ctx, dtype=np.float32, atol=1e-5)
    expect_number(bn, eb, name="b_new", context=ctx, rtol=1e-4, atol=1e-5)
    expect_number(loss, el, name="loss", context=ctx, rtol=1e-4, atol=1e-5)


@st.composite
def cases(draw):
    return (draw(st.integers(1, 40)), draw(st.integers(1, 7)), draw(st.sampled_from([0.01, 0.3, 2.0])),
            draw(st.sampled_from([0.0, 0.01, 1.0])), draw(st.sampled_from([0.5, 3.0, 20.0])),
            draw(st.integers(0, 2**31)))


@pytest.mark.zh("随机用例")
@settings(max_examples=10)
@given(c=cases())
def test_random_cases(sub, c):
    n, d, lr, l2, scale, seed = c
    r = np.random.default_rng(seed)
    X, y = _data(r, n, d, scale)
    w, b = r.standard_normal(d) * scale, float(r.standard_normal())
    ctx = f"X {X.shape}, |w| ~ {scale}, lr={lr}, l2={l2}"
    expected = _expected(w, b, X, y, lr, l2)
    scale_out = 1.0 + abs(expected[2]) + lr * l2 * scale
    _expect_all(_step(sub, w, b, X, y, lr, ctx, l2=l2), expected, ctx, atol=1e-10 * scale_out)


def speed_case(rng):
    X, y = _data(rng, 5000, 100)
    return (rng.standard_normal(100), 0.1, X, y, 0.1), {"l2": 0.01}
