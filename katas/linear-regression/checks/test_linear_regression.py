"""Hidden checks for linear-regression: the closed form (ridge with an unpenalized bias, ill-conditioned
designs) and one gradient-descent step (gradient against finite differences, fixed point at the optimum)."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from prep.grading.checks import expect_array, expect_grad, expect_number, expect_tuple, t

FIT = ("w", "b")


def _data(rng, n, d, offset=0.0, y_offset=0.0, noise=0.5):
    X = rng.standard_normal((n, d)) * rng.uniform(0.5, 3.0, d) + offset * rng.standard_normal(d)
    w = rng.standard_normal(d)
    y = X @ w + y_offset + noise * rng.standard_normal(n)
    return X, y


def _loss(X, y, w, b, l2):
    return np.mean((X @ w + b - y) ** 2) + l2 * np.sum(w**2)


def _expected_fit(X, y, l2):
    """Independent of centring: the normal equations of [X, 1] with the penalty on w only."""
    n, d = X.shape
    A = np.hstack([X, np.ones((n, 1))])
    P = np.diag(np.r_[np.full(d, n * l2), 0.0])
    p = np.linalg.solve(A.T @ A + P, A.T @ y)
    return p[:d], float(p[d])


def _fit(sub, X, y, ctx, **kw):
    got = expect_tuple(sub(X, y, **kw), FIT, context=ctx)
    w = expect_array(got[0], np.zeros(X.shape[1]), name="w", context=ctx, rtol=0.0, atol=1e300)
    return w, got[1]


def _expect_fit(got, expected, ctx, scale=1.0):
    w, b = got
    expect_array(w, expected[0], name="w", context=ctx, atol=1e-9 * scale)
    expect_number(b, expected[1], name="b", context=ctx, atol=1e-9 * scale)


@pytest.mark.zh("题目中的手算例子")
def test_worked_example(sub):
    X = np.array([[0.0], [1.0], [2.0], [3.0]])
    y = np.array([1.0, 3.0, 2.0, 5.0])
    ctx = "X [[0], [1], [2], [3]], y [1, 3, 2, 5]"
    _expect_fit(_fit(sub, X, y, ctx + ", l2=0", l2=0.0), (np.array([1.1]), 1.1), ctx + ", l2=0")
    _expect_fit(_fit(sub, X, y, ctx + ", l2=0.5", l2=0.5), (np.array([5.5 / 7]), 2.75 - 1.5 * 5.5 / 7),
                ctx + ", l2=0.5")
    step = sub.fn("gd_step")
    c1 = ctx + ", w [0], b 0, lr=0.1, l2=0"
    w1, b1 = expect_tuple(step(np.zeros(1), 0.0, X, y, 0.1, l2=0.0), FIT, context=c1)
    expect_array(w1, np.array([1.1]), name="w_new", context=c1)
    expect_number(b1, 0.55, name="b_new", context=c1)
    c2 = ctx + ", w [1], b 0.5, lr=0.1, l2=0.5"
    w2, b2 = expect_tuple(step(np.array([1.0]), 0.5, X, y, 0.1, l2=0.5), FIT, context=c2)
    expect_array(w2, np.array([1.15]), name="w_new", context=c2)
    expect_number(b2, 0.65, name="b_new", context=c2)


@pytest.mark.zh("闭式解：形状、截距与 L2")
@pytest.mark.parametrize(("n", "d", "l2", "offset", "y_offset"), [
    pytest.param(30, 4, 0.0, 3.0, 10.0, id="N=30-D=4-l2=0"),
    pytest.param(9, 7, 0.0, 0.0, -4.0, id="N=9-D=7-l2=0"),
    pytest.param(50, 3, 0.2, 2.0, 25.0, id="N=50-D=3-l2=0.2-offset-y"),
    pytest.param(12, 6, 1.5, -4.0, 3.0, id="N=12-D=6-l2=1.5"),
    pytest.param(2, 1, 0.0, 1.0, 0.0, id="N=2-D=1-exact-fit"),
])
def test_closed_form(sub, rng, n, d, l2, offset, y_offset):
    X, y = _data(rng, n, d, offset, y_offset)
    ctx = f"fit_closed_form, X {X.shape}, l2={l2}"
    expected = _expected_fit(X, y, l2)
    got = _fit(sub, X, y, ctx, l2=l2)
    _expect_fit(got, expected, ctx, scale=1.0 + abs(y_offset))
    # property: the returned parameters minimize the loss, so its gradient vanishes there
    w, b = got
    r = X @ w + b - y
    expect_array((2 / n) * X.T @ r + 2 * l2 * w, np.zeros(d), context=ctx,
                 name=t("gradient of the loss at (w, b) (should be 0)", "损失在 (w, b) 处的梯度（应为 0）"),
                 atol=1e-8 * (1.0 + abs(y_offset)))


@pytest.mark.zh("闭式解：l2 取默认值")
def test_closed_form_default_l2(sub, rng):
    X, y = _data(rng, 15, 3, 1.0, 2.0)
    ctx = "fit_closed_form, X (15, 3), " + t("l2 left at its default", "l2 取默认值")
    _expect_fit(_fit(sub, X, y, ctx), _expected_fit(X, y, 0.0), ctx, scale=3.0)


def _ill_conditioned(seed, n, d, cond):
    """Centred columns with singular values from 10 down to 10/cond, shifted by column means; y exact."""
    rng = np.random.default_rng(seed)
    q, _ = np.linalg.qr(rng.standard_normal((n, d)))
    q, _ = np.linalg.qr(q - q.mean(axis=0))
    v, _ = np.linalg.qr(rng.standard_normal((d, d)))
    X = q @ np.diag(10 * np.logspace(0, -np.log10(cond), d)) @ v.T + 3 * rng.standard_normal(d)
    w, b = rng.standard_normal(d), 2.5
    return X, X @ w + b, w, b


@pytest.mark.zh("闭式解：病态的设计矩阵（条件数 1e7）")
@pytest.mark.parametrize(("seed", "n", "d"), [pytest.param(11, 40, 5, id="N=40-D=5"),
                                              pytest.param(4, 25, 3, id="N=25-D=3")])
def test_closed_form_ill_conditioned(sub, seed, n, d):
    X, y, w_true, b_true = _ill_conditioned(seed, n, d, 1e7)
    ctx = f"fit_closed_form, X {X.shape} " + t("with condition number 1e7, y = X w + b exactly, l2=0",
                                               "条件数 1e7，y 恰好等于 X w + b，l2=0")
    w, b = _fit(sub, X, y, ctx, l2=0.0)
    expect_array(w, w_true, name="w", context=ctx, rtol=1e-6, atol=1e-6 * np.max(np.abs(w_true)))
    expect_number(b, b_true, name="b", context=ctx, rtol=1e-6, atol=1e-6)


def _step(sub, w, b, X, y, lr, ctx, **kw):
    got = expect_tuple(sub.fn("gd_step")(w, b, X, y, lr, **kw), FIT, context=ctx)
    wn = expect_array(got[0], w, name="w_new", context=ctx, rtol=0.0, atol=1e300)
    return wn, got[1]


def _expected_step(w, b, X, y, lr, l2):
    n = len(y)
    grad_w = np.array([(2 / n) * np.sum((X @ w + b - y) * X[:, j]) for j in range(len(w))]) + 2 * l2 * w
    grad_b = (2 / n) * np.sum(X @ w + b - y)
    return w - lr * grad_w, float(b - lr * grad_b)


@pytest.mark.zh("梯度下降一步")
@pytest.mark.parametrize(("n", "d", "lr", "l2"), [
    pytest.param(20, 3, 0.05, 0.0, id="N=20-D=3-lr=0.05"),
    pytest.param(7, 5, 0.01, 0.3, id="N=7-D=5-lr=0.01-l2=0.3"),
    pytest.param(33, 2, 0.2, 1.0, id="N=33-D=2-lr=0.2-l2=1"),
])
def test_gd_step(sub, rng, n, d, lr, l2):
    X, y = _data(rng, n, d, 1.0, 2.0)
    w, b = rng.standard_normal(d), float(rng.uniform(1.0, 3.0))
    ctx = f"gd_step, X {X.shape}, b={b:.3f}, lr={lr}, l2={l2}"
    wn, bn = _step(sub, w, b, X, y, lr, ctx, l2=l2)
    ew, eb = _expected_step(w, b, X, y, lr, l2)
    expect_array(wn, ew, name="w_new", context=ctx)
    expect_number(bn, eb, name="b_new", context=ctx)


@pytest.mark.zh("梯度与有限差分一致")
@pytest.mark.parametrize(("n", "d", "l2"), [pytest.param(11, 4, 0.0, id="N=11-D=4-l2=0"),
                                            pytest.param(6, 8, 0.7, id="N=6-D=8-l2=0.7")])
def test_gd_gradient_finite_differences(sub, rng, n, d, l2):
    X, y = _data(rng, n, d, 1.0, 1.0)
    w, b, lr = rng.standard_normal(d), float(rng.uniform(-2.0, 2.0)), 0.125
    ctx = f"gd_step, X {X.shape}, lr={lr}, l2={l2}: " + t("gradient = (old - new) / lr",
                                                          "梯度 = (旧值 - 新值) / lr")
    wn, bn = _step(sub, w, b, X, y, lr, ctx, l2=l2)
    bn = expect_number(bn, b, name="b_new", context=ctx, rtol=0.0, atol=1e300)
    expect_grad((w - wn) / lr, lambda v: _loss(X, y, v, b, l2), w, 1.0, name="dL/dw", rng=rng, context=ctx)
    expect_grad(np.array([(b - bn) / lr]), lambda v: _loss(X, y, w, v[0], l2), np.array([b]), 1.0,
                name="dL/db", rng=rng, context=ctx)


@pytest.mark.zh("在闭式解处梯度下降不动")
@pytest.mark.parametrize("l2", [pytest.param(0.0, id="l2=0"), pytest.param(0.4, id="l2=0.4")])
def test_gd_fixed_point_at_the_optimum(sub, rng, l2):
    X, y = _data(rng, 16, 3, 2.0, 5.0)
    w, b = _expected_fit(X, y, l2)
    ctx = t("gd_step from the exact minimizer", "gd_step 从精确最优解出发") + f", X (16, 3), lr=0.1, l2={l2}"
    wn, bn = _step(sub, w, b, X, y, 0.1, ctx, l2=l2)
    expect_array(wn, w, name="w_new", context=ctx, atol=1e-9)
    expect_number(bn, b, name="b_new", context=ctx, atol=1e-9)


@pytest.mark.zh("梯度下降：l2 取默认值")
def test_gd_default_l2(sub, rng):
    X, y = _data(rng, 10, 2, 0.0, 1.0)
    w, b = rng.standard_normal(2), 0.5
    ctx = "gd_step, X (10, 2), lr=0.1, " + t("l2 left at its default", "l2 取默认值")
    wn, bn = _step(sub, w, b, X, y, 0.1, ctx)
    ew, eb = _expected_step(w, b, X, y, 0.1, 0.0)
    expect_array(wn, ew, name="w_new", context=ctx)
    expect_number(bn, eb, name="b_new", context=ctx)


@pytest.mark.zh("梯度下降：float32 输入得到 float32 输出")
def test_gd_float32_stays_float32(sub, rng):
    X, y = (a.astype(np.float32) for a in _data(rng, 14, 5, 0.0, 1.0))
    w = rng.standard_normal(5).astype(np.float32)
    ctx = "gd_step, " + t("float32 inputs", "float32 输入") + ", X (14, 5), b=0.25, lr=0.05, l2=0.1"
    wn, bn = _step(sub, w, 0.25, X, y, 0.05, ctx, l2=0.1)
    ew, eb = _expected_step(w.astype(np.float64), 0.25, X.astype(np.float64), y.astype(np.float64), 0.05, 0.1)
    expect_array(wn, ew.astype(np.float32), name="w_new", context=ctx, dtype=np.float32, atol=1e-5)
    expect_number(bn, eb, name="b_new", context=ctx, rtol=1e-4, atol=1e-5)


@st.composite
def problems(draw):
    d = draw(st.integers(1, 6))
    return (draw(st.integers(d + 2, 40)), d, draw(st.sampled_from([0.0, 0.01, 0.5, 3.0])),
            draw(st.sampled_from([0.0, 5.0, -20.0])), draw(st.integers(0, 2**31)))


@pytest.mark.zh("随机的闭式解用例")
@settings(max_examples=8)
@given(c=problems())
def test_random_closed_form(sub, c):
    n, d, l2, y_offset, seed = c
    r = np.random.default_rng(seed)
    X, y = _data(r, n, d, 1.0, y_offset)
    ctx = f"fit_closed_form, X {X.shape}, l2={l2}, y offset {y_offset}"
    _expect_fit(_fit(sub, X, y, ctx, l2=l2), _expected_fit(X, y, l2), ctx, scale=1.0 + abs(y_offset))


@pytest.mark.zh("随机的梯度下降用例")
@settings(max_examples=8)
@given(c=problems(), lr=st.sampled_from([0.001, 0.03, 0.3]))
def test_random_gd_steps(sub, c, lr):
    n, d, l2, y_offset, seed = c
    r = np.random.default_rng(seed)
    X, y = _data(r, n, d, 1.0, y_offset)
    w, b = r.standard_normal(d), float(r.standard_normal())
    ctx = f"gd_step, X {X.shape}, lr={lr}, l2={l2}"
    wn, bn = _step(sub, w, b, X, y, lr, ctx, l2=l2)
    ew, eb = _expected_step(w, b, X, y, lr, l2)
    expect_array(wn, ew, name="w_new", context=ctx, atol=1e-9 * (1 + abs(y_offset)))
    expect_number(bn, eb, name="b_new", context=ctx, atol=1e-9 * (1 + abs(y_offset)))


def speed_case(rng):
    X, y = _data(rng, 2000, 50, 1.0, 1.0)
    return (X, y), {"l2": 0.1}
