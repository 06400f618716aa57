"""Hidden checks for rnn-bptt: forward by definition, the hand example, finite differences on every gradient,
gradients from later steps, accumulation over time, the h0 term, one step, a long sequence, random shapes."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from prep.grading.checks import expect_array, expect_grad, expect_tuple, t

NAMES = ("dx", "dh0", "dWx", "dWh", "db")


def _params(rng, n, steps, d, h, scale=0.5):
    return (rng.standard_normal((n, steps, d)), rng.standard_normal((n, h)), rng.standard_normal((d, h)) * scale,
            rng.standard_normal((h, h)) * scale, rng.standard_normal(h) * 0.3)


def _forward_loops(x, h0, Wx, Wh, b):
    """The recurrence unit by unit, with math.tanh."""
    n, steps, d = x.shape
    hid = h0.shape[1]
    hs = np.zeros((n, steps, hid))
    for r in range(n):
        h = list(h0[r])
        for s in range(steps):
            h = [math.tanh(sum(x[r, s, k] * Wx[k, j] for k in range(d)) + sum(h[i] * Wh[i, j] for i in range(hid))
                           + b[j]) for j in range(hid)]
            hs[r, s] = h
    return hs


def _fast_forward(x, h0, Wx, Wh, b):
    hs, h = [], h0
    for s in range(x.shape[1]):
        h = np.tanh(x[:, s] @ Wx + h @ Wh + b)
        hs.append(h)
    return np.stack(hs, axis=1)


def _backward(sub, dhs, args, context):
    return expect_tuple(sub.fn("rnn_backward")(dhs, *args), NAMES, context=context)


def _same_backward(sub, ref, dhs, args, context):
    for name, got, want in zip(NAMES, _backward(sub, dhs, args, context), ref.fn("rnn_backward")(dhs, *args)):
        expect_array(got, want, name=name, context=context)


@pytest.mark.zh("前向与递推定义一致")
def test_forward_matches_the_recurrence(sub, rng):
    args = _params(rng, 2, 4, 3, 5)
    expect_array(sub(*args), _forward_loops(*args), name="hs",
                 context="N=2, T=4, D=3, H=5 " + t("(unit by unit)", "（逐单元核对）"))


@pytest.mark.zh("题目中的例子")
def test_hand_computed_example(sub):
    args = (np.array([[[1.0], [2.0]]]), np.zeros((1, 1)), np.array([[0.5]]), np.array([[-1.0]]), np.zeros(1))
    ctx = t("the example of the statement, dhs all ones", "题目中的例子，dhs 全为 1")
    h1 = math.tanh(0.5)
    h2 = math.tanh(1.0 - h1)
    expect_array(sub(*args), np.array([[[h1], [h2]]]), name="hs", context=ctx)
    da2 = 1 - h2 * h2
    da1 = (1 + da2 * -1.0) * (1 - h1 * h1)
    expected = (np.array([[[0.5 * da1], [0.5 * da2]]]), np.array([[-da1]]), np.array([[1 * da1 + 2 * da2]]),
                np.array([[0 * da1 + h1 * da2]]), np.array([da1 + da2]))
    for name, got, want in zip(NAMES, _backward(sub, np.ones((1, 2, 1)), args, ctx), expected):
        expect_array(got, want, name=name, context=ctx)


@pytest.mark.zh("有限差分")
@pytest.mark.parametrize(("n", "steps", "d", "h"), [pytest.param(2, 4, 3, 5, id="N=2-T=4-D=3-H=5"),
                                                    pytest.param(3, 3, 4, 2, id="N=3-T=3-D=4-H=2")])
def test_finite_differences(sub, rng, n, steps, d, h):
    args = _params(rng, n, steps, d, h)
    dhs = rng.standard_normal((n, steps, h))
    ctx = f"N={n}, T={steps}, D={d}, H={h}, " + t("upstream gradient at every step", "每一步都有上游梯度")
    grads = _backward(sub, dhs, args, ctx)
    for k, name in enumerate(NAMES):
        def f(v, k=k):
            a = list(args)
            a[k] = v
            return _fast_forward(*a)
        expect_grad(grads[k], f, args[k], dhs, name=name, rng=rng, context=ctx)


@pytest.mark.zh("只有最后一步有损失")
def test_gradient_from_the_last_step_only(sub, rng):
    n, steps, d, h = 2, 5, 3, 4
    args = _params(rng, n, steps, d, h, scale=0.8)
    dhs = np.zeros((n, steps, h))
    dhs[:, -1] = rng.standard_normal((n, h))
    ctx = t("loss on the last hidden state only: the first steps get gradient only through the recurrence",
            "损失只作用在最后一个隐藏状态上：前面各步只能通过递推得到梯度")
    grads = _backward(sub, dhs, args, ctx)
    expect_grad(grads[0], lambda v: _fast_forward(v, *args[1:]), args[0], dhs, name="dx", rng=rng, context=ctx,
                samples=15)
    expect_grad(grads[1], lambda v: _fast_forward(args[0], v, *args[2:]), args[1], dhs, name="dh0", rng=rng,
                context=ctx)


@pytest.mark.zh("共享权重的梯度要累加")
def test_weight_gradients_accumulate(sub, ref, rng):
    args = _params(rng, 3, 6, 2, 3)
    dhs = rng.standard_normal((3, 6, 3))
    _same_backward(sub, ref, dhs, args, t("N=3, T=6, D=2, H=3: shared weights collect gradient from all 6 steps",
                                          "N=3, T=6, D=2, H=3：共享权重要收集全部 6 步的梯度"))


@pytest.mark.zh("第一步的 dWh 用到 h0")
def test_first_step_uses_h0(sub, ref):
    # T = 1 and a non-zero h0: dWh = h0.T @ da_1 comes from h0 alone
    x = np.array([[[0.5, -1.0]], [[1.5, 0.25]]])
    h0 = np.array([[0.8, -0.3, 0.5], [-0.6, 0.9, 0.1]])
    Wx = np.array([[0.2, -0.4, 0.3], [0.5, 0.1, -0.2]])
    Wh = np.array([[0.3, -0.2, 0.1], [0.4, 0.2, -0.5], [-0.1, 0.6, 0.2]])
    b = np.array([0.1, -0.2, 0.05])
    args = (x, h0, Wx, Wh, b)
    ctx = t("T = 1, N = 2, D = 2, H = 3, h0 != 0: dWh = h0.T @ da_1, dh0 = da_1 @ Wh.T",
            "T = 1，N = 2，D = 2，H = 3，h0 非零：dWh = h0.T @ da_1，dh0 = da_1 @ Wh.T")
    expect_array(sub(*args), ref(*args), name="hs", context=ctx)
    _same_backward(sub, ref, np.array([[[1.0, -2.0, 0.5]], [[0.3, 0.7, -1.0]]]), args, ctx)


@pytest.mark.zh("长序列（时间线性）")
def test_long_sequence(sub, ref, rng):
    n, steps, d, h = 2, 2000, 3, 4
    args = _params(rng, n, steps, d, h)
    dhs = rng.standard_normal((n, steps, h))
    ctx = f"N={n}, T={steps}, D={d}, H={h}: " + t("both passes must be linear in T",
                                                  "前向和反向的耗时都必须与 T 成线性")
    expect_array(sub(*args), ref(*args), name="hs", context=ctx)
    _same_backward(sub, ref, dhs, args, ctx)


@st.composite
def cases(draw):
    return (draw(st.integers(1, 4)), draw(st.integers(3, 7)), draw(st.integers(1, 5)), draw(st.integers(1, 5)),
            draw(st.integers(0, 2**31)))


@pytest.mark.zh("随机形状")
@settings(max_examples=8)
@given(c=cases())
def test_random_shapes(sub, ref, c):
    n, steps, d, h, seed = c
    r = np.random.default_rng(seed)
    args = _params(r, n, steps, d, h)
    dhs = r.standard_normal((n, steps, h))
    ctx = f"N={n}, T={steps}, D={d}, H={h}"
    expect_array(sub(*args), ref(*args), name="hs", context=ctx)
    _same_backward(sub, ref, dhs, args, ctx)


def speed_case(rng):
    return _params(rng, 32, 50, 64, 128, scale=0.1), {}
