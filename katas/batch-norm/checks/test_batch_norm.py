"""Hidden checks for batch-norm: train and eval forward, running statistics, stability, backward."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from prep.grading.checks import expect_array, expect_grad, expect_tuple, t

FORWARD = ("out", "new_running_mean", "new_running_var")
BACKWARD = ("dx", "dgamma", "dbeta")


def _params(rng, n, d, scale=1.0, offset=0.0):
    x = rng.standard_normal((n, d)) * scale + offset
    gamma = rng.uniform(0.5, 2.0, d) * rng.choice([-1.0, 1.0], d)
    beta = rng.standard_normal(d)
    running_mean = rng.standard_normal(d)
    running_var = rng.uniform(0.5, 2.0, d)
    return x, gamma, beta, running_mean, running_var


def _expected_train(x, gamma, beta, rm, rv, momentum, eps):
    """The train-mode definition, written independently: biased variance to normalize, unbiased to track."""
    mu = np.mean(x, axis=0)
    centred = x - mu
    var_biased = np.mean(centred**2, axis=0)
    var_unbiased = np.sum(centred**2, axis=0) / (x.shape[0] - 1)
    out = gamma * centred / np.sqrt(var_biased + eps) + beta
    return out, (1 - momentum) * rm + momentum * mu, (1 - momentum) * rv + momentum * var_unbiased


def _forward(impl, args, ctx, **kwargs):
    return expect_tuple(impl(*args, **kwargs), FORWARD, context=ctx)


def _expect_all(got, expected, names, ctx, **kw):
    for name, g, e in zip(names, got, expected):
        expect_array(g, e, name=name, context=ctx, **kw)


@pytest.mark.zh("题目中的手算例子")
def test_hand_worked_example(sub):
    x = np.array([[1.0, 10.0], [3.0, 14.0]])
    args = (x, np.array([1.0, 2.0]), np.array([0.0, 1.0]), np.zeros(2), np.ones(2), True)
    ctx = t("x [[1, 10], [3, 14]], gamma [1, 2], beta [0, 1], running stats 0 and 1, train, eps=0",
            "x [[1, 10], [3, 14]]，gamma [1, 2]，beta [0, 1]，滑动统计量为 0 和 1，训练模式，eps=0")
    got = _forward(sub, args, ctx, momentum=0.1, eps=0.0)
    expected = (np.array([[-1.0, -1.0], [1.0, 3.0]]), np.array([0.2, 1.2]), np.array([1.1, 1.7]))
    _expect_all(got, expected, FORWARD, ctx)


@pytest.mark.zh("训练模式前向")
@pytest.mark.parametrize(("n", "d", "momentum", "eps"), [
    pytest.param(8, 5, 0.1, 1e-5, id="N=8-D=5"),
    pytest.param(3, 7, 0.1, 1e-5, id="N=3-D=7"),
    pytest.param(16, 4, 0.3, 1e-3, id="N=16-D=4-momentum=0.3-eps=1e-3"),
])
def test_train_forward(sub, rng, n, d, momentum, eps):
    x, g, b, rm, rv = _params(rng, n, d, scale=rng.uniform(0.5, 3.0), offset=rng.uniform(-5.0, 5.0))
    ctx = t("train", "训练模式") + f", x {x.shape}, momentum={momentum}, eps={eps}"
    got = _forward(sub, (x, g, b, rm, rv, True), ctx, momentum=momentum, eps=eps)
    _expect_all(got, _expected_train(x, g, b, rm, rv, momentum, eps), FORWARD, ctx)
    # property: each column of out has mean beta and (biased) std |gamma| * sqrt(var / (var + eps))
    var = x.var(axis=0)
    expect_array(got[0].mean(axis=0), b,
                 name=t("column means of out (should equal beta)", "out 的列均值（应等于 beta）"),
                 context=ctx)
    expect_array(got[0].std(axis=0), np.abs(g) * np.sqrt(var / (var + eps)),
                 name=t("column standard deviations of out", "out 的列标准差"), context=ctx)


@pytest.mark.zh("momentum 和 eps 取默认值")
def test_default_momentum_and_eps(sub, rng):
    x, g, b, rm, rv = _params(rng, 6, 3)
    ctx = t("train", "训练模式") + f", x {x.shape}, " + t("momentum and eps left at their defaults",
                                                        "momentum 和 eps 取默认值")
    _expect_all(_forward(sub, (x, g, b, rm, rv, True), ctx), _expected_train(x, g, b, rm, rv, 0.1, 1e-5),
                FORWARD, ctx)


@pytest.mark.zh("推理模式用滑动统计量")
@pytest.mark.parametrize(("n", "d", "eps"), [
    pytest.param(5, 3, 1e-5, id="N=5-D=3"),
    pytest.param(1, 4, 1e-5, id="N=1-D=4"),
    pytest.param(4, 6, 0.25, id="N=4-D=6-eps=0.25"),
])
def test_eval_uses_running_statistics(sub, rng, n, d, eps):
    x, g, b, rm, rv = _params(rng, n, d)
    ctx = t("eval (train=False)", "推理模式（train=False）") + f", x {x.shape}, momentum=0.1, eps={eps}"
    got = _forward(sub, (x, g, b, rm, rv, False), ctx, momentum=0.1, eps=eps)
    expected = (g * (x - rm) / np.sqrt(rv + eps) + b, rm, rv)
    _expect_all(got, expected, FORWARD, ctx)


@pytest.mark.zh("大偏移与极小方差")
def test_large_offset_and_tiny_variance(sub, rng):
    """Columns around 1e6 (E[x^2] - E[x]^2 cancels catastrophically) and columns with variance ~ eps."""
    x, g, b, rm, rv = _params(rng, 10, 4)
    x = x * np.array([1.0, 1.0, 1e-3, 3e-3]) + np.array([1e6, -3e5, 0.0, 2.0])
    ctx = t("train, x (10, 4) with columns offset by 1e6 and -3e5 and columns of std 1e-3, eps=1e-5",
            "训练模式，x (10, 4)，有的列偏移 1e6 和 -3e5，有的列标准差为 1e-3，eps=1e-5")
    got = _forward(sub, (x, g, b, rm, rv, True), ctx, momentum=0.1, eps=1e-5)
    _expect_all(got, _expected_train(x, g, b, rm, rv, 0.1, 1e-5), FORWARD, ctx)


@pytest.mark.zh("float32 输入得到 float32 输出")
@pytest.mark.parametrize("train", [pytest.param(True, id="train"), pytest.param(False, id="eval")])
def test_float32_stays_float32(sub, ref, rng, train):
    args = tuple(a.astype(np.float32) for a in _params(rng, 9, 6))
    ctx = t("float32 inputs, x (9, 6)", "float32 输入，x (9, 6)") + f", train={train}"
    got = _forward(sub, (*args, train), ctx, momentum=0.1, eps=1e-5)
    _expect_all(got, ref(*args, train, momentum=0.1, eps=1e-5), FORWARD, ctx, dtype=np.float32)


def _backward(sub, dout, x, g, eps, ctx):
    got = expect_tuple(sub.fn("batchnorm_backward")(dout, x, g, eps=eps), BACKWARD, context=ctx)
    for name, value, like in zip(BACKWARD, got, (x, g, g)):
        expect_array(value, like, name=name, context=ctx, rtol=0.0, atol=1e300)
    return got


def _train_out(x, gamma, beta, eps):
    return _expected_train(x, gamma, beta, np.zeros(x.shape[1]), np.ones(x.shape[1]), 0.1, eps)[0]


@pytest.mark.zh("反向与有限差分一致")
@pytest.mark.parametrize(("n", "d", "eps"), [pytest.param(7, 4, 1e-5, id="N=7-D=4"),
                                             pytest.param(3, 6, 1e-2, id="N=3-D=6-eps=1e-2")])
def test_backward_finite_differences(sub, rng, n, d, eps):
    x, g, b, _, _ = _params(rng, n, d, scale=2.0, offset=1.0)
    dout = rng.standard_normal((n, d))
    ctx = f"batchnorm_backward, x {x.shape}, eps={eps}"
    dx, dgamma, dbeta = _backward(sub, dout, x, g, eps, ctx)
    expect_grad(dx, lambda v: _train_out(v, g, b, eps), x, dout, name="dx", rng=rng, context=ctx)
    expect_grad(dgamma, lambda v: _train_out(x, v, b, eps), g, dout, name="dgamma", rng=rng, context=ctx)
    expect_grad(dbeta, lambda v: _train_out(x, g, v, eps), b, dout, name="dbeta", rng=rng, context=ctx)
    # property: adding a constant to a column does not change out, so each column of dx sums to 0
    expect_array(dx.sum(axis=0), np.zeros(d), name=t("column sums of dx (should be 0)", "dx 的列和（应为 0）"),
                 context=ctx, atol=1e-9)


@pytest.mark.zh("反向与参考实现一致")
@pytest.mark.parametrize(("n", "d"), [pytest.param(12, 5, id="N=12-D=5"), pytest.param(2, 3, id="N=2-D=3"),
                                      pytest.param(20, 9, id="N=20-D=9")])
def test_backward_matches_reference(sub, ref, rng, n, d):
    x, g, _, _, _ = _params(rng, n, d, scale=rng.uniform(0.1, 10.0), offset=rng.uniform(-50.0, 50.0))
    dout = rng.standard_normal((n, d))
    ctx = f"batchnorm_backward, x {x.shape}, eps=1e-5"
    got = _backward(sub, dout, x, g, 1e-5, ctx)
    _expect_all(got, ref.fn("batchnorm_backward")(dout, x, g, eps=1e-5), BACKWARD, ctx)


@pytest.mark.zh("反向：float32 输入得到 float32 梯度")
def test_backward_float32_stays_float32(sub, ref, rng):
    x, g, _, _, _ = (a.astype(np.float32) for a in _params(rng, 8, 5, scale=2.0, offset=1.0))
    dout = rng.standard_normal((8, 5)).astype(np.float32)
    ctx = "batchnorm_backward, " + t("float32 inputs", "float32 输入") + ", x (8, 5), eps=1e-5"
    got = expect_tuple(sub.fn("batchnorm_backward")(dout, x, g, eps=1e-5), BACKWARD, context=ctx)
    _expect_all(got, ref.fn("batchnorm_backward")(dout, x, g, eps=1e-5), BACKWARD, ctx, dtype=np.float32,
                atol=1e-5)


@st.composite
def backward_cases(draw):
    return (draw(st.integers(2, 20)), draw(st.integers(1, 9)), draw(st.sampled_from([0.1, 1.0, 10.0])),
            draw(st.sampled_from([0.0, -50.0, 50.0])), draw(st.integers(0, 2**31)))


@pytest.mark.zh("随机的反向用例")
@settings(max_examples=8)
@given(c=backward_cases())
def test_random_backward_cases(sub, ref, c):
    n, d, scale, offset, seed = c
    r = np.random.default_rng(seed)
    x, g, _, _, _ = _params(r, n, d, scale=scale, offset=offset)
    dout = r.standard_normal((n, d))
    ctx = f"batchnorm_backward, x {x.shape} (scale {scale}, offset {offset}), eps=1e-5"
    got = _backward(sub, dout, x, g, 1e-5, ctx)
    _expect_all(got, ref.fn("batchnorm_backward")(dout, x, g, eps=1e-5), BACKWARD, ctx)


def speed_case(rng):
    x, g, b, rm, rv = _params(rng, 512, 1024)
    return (x, g, b, rm, rv, True), {"momentum": 0.1, "eps": 1e-5}
