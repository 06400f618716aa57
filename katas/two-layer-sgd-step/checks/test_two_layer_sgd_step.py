"""Hidden checks for two-layer-sgd-step: the loss before the step, gradients by finite differences, the exact
ReLU kink, stability, dtypes."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from prep.grading.checks import CheckFailed, expect_array, expect_number, expect_tuple, numeric_grad, t


def _grad_error(analytic, numeric):
    """max|a - n| / max(1e-8, max(|a| + |n|)): the error relative to the gradient's scale.

    A coordinate whose gradient is ~0 is then judged by its absolute accuracy, not by the ratio of two
    rounding errors (coordinate by coordinate, a correct gradient fails about once in a thousand runs).
    """
    scale = float(np.max(np.abs(analytic) + np.abs(numeric)))
    return float(np.max(np.abs(analytic - numeric))) / max(1e-8, scale)


NAMES = ("loss", "W1", "b1", "W2", "b2")


def _params(rng, n, d, h, out_scale=1.0, soft=False):
    """Random inputs with every hidden pre-activation at least 1e-3 away from the ReLU kink."""
    x = rng.standard_normal((n, d))
    y = rng.uniform(0.0, 1.0, n) if soft else rng.integers(0, 2, n).astype(np.float64)
    w1 = rng.standard_normal((d, h)) / np.sqrt(d)
    b1 = rng.standard_normal(h) * 0.1
    a = x @ w1 + b1
    near = np.abs(a) < 1e-2
    while near.any():  # nudge b1 until no unit sits on its kink for any sample
        b1 = b1 + 0.02 * near.any(axis=0)
        a = x @ w1 + b1
        near = np.abs(a) < 1e-2
    w2 = rng.standard_normal((h, 1)) * out_scale
    b2 = rng.standard_normal(1)
    return x, y, w1, b1, w2, b2


def _loss(x, y, w1, b1, w2, b2):
    """Mean BCE from logits, written independently: log(1 + e^z) - y z via logaddexp."""
    z = (np.maximum(x @ w1 + b1, 0.0) @ w2)[:, 0] + b2[0]
    return float(np.mean(np.logaddexp(0.0, z) - y * z))


def _step(impl, args, lr, ctx, dtype=None):
    got = expect_tuple(impl(*args, lr), NAMES, context=ctx)
    for name, value, like in zip(NAMES[1:], got[1:], args[2:]):
        expect_array(value, like, name=name, context=ctx, rtol=0.0, atol=1e300, dtype=dtype)
    return got


def _ctx(x, w1, lr, extra=""):
    return f"x {x.shape}, W1 {w1.shape}, lr={lr}" + extra


def _soft(soft):
    return t(", soft labels", "，软标签") if soft else ""


def _expect_like_ref(sub, ref, args, lr, ctx):
    got = _step(sub, args, lr, ctx)
    expected = ref(*args, lr)
    expect_number(got[0], expected[0], name="loss", context=ctx)
    for name, g, e in zip(NAMES[1:], got[1:], expected[1:]):
        expect_array(g, e, name=name, context=ctx)


@pytest.mark.zh("手算示例")
def test_hand_worked_example(sub):
    x = np.array([[1.0, 2.0], [0.0, -1.0]])
    y = np.array([1.0, 0.0])
    w1 = np.array([[0.5, -0.5], [0.25, 0.5]])
    args = (x, y, w1, np.zeros(2), np.array([[1.0], [-1.0]]), np.zeros(1))
    ctx = t("the worked example of the statement", "题面中的例子") + ", lr=0.1"
    loss, w1n, b1n, w2n, b2n = _step(sub, args, 0.1, ctx)
    # logits 0.5 and 0; dz = (sigmoid(z) - y) / N
    g0 = (1 / (1 + np.exp(-0.5)) - 1.0) / 2
    expect_number(loss, float(np.log1p(np.exp(-0.5)) + np.log(2.0)) / 2, name="loss", context=ctx)
    expect_array(w1n, w1 - 0.1 * np.array([[g0, -g0], [2 * g0, -2 * g0]]), name="W1", context=ctx)
    expect_array(b1n, -0.1 * np.array([g0, -g0]), name="b1", context=ctx)
    expect_array(w2n, np.array([[1.0 - 0.1 * g0], [-1.0 - 0.05 * g0]]), name="W2", context=ctx)
    expect_array(b2n, -0.1 * np.array([g0 + 0.25]), name="b2", context=ctx)


@pytest.mark.zh("损失取更新之前的")
@pytest.mark.parametrize(("n", "d", "h", "soft"), [
    pytest.param(8, 3, 5, False, id="N=8-D=3-H=5"), pytest.param(5, 6, 4, True, id="N=5-D=6-H=4-soft-labels"),
])
def test_loss_is_taken_before_the_step(sub, rng, n, d, h, soft):
    args = _params(rng, n, d, h, soft=soft)
    ctx = _ctx(args[0], args[2], 0.5, _soft(soft))
    got = _step(sub, args, 0.5, ctx)
    expect_number(got[0], _loss(*args), name="loss", context=ctx)


@pytest.mark.zh("更新沿着梯度方向")
@pytest.mark.parametrize(("n", "d", "h", "lr", "soft"), [
    pytest.param(9, 4, 6, 0.5, False, id="N=9-lr=0.5"), pytest.param(4, 7, 3, 0.1, True, id="N=4-lr=0.1-soft-labels"),
    pytest.param(1, 3, 2, 1.0, False, id="N=1-lr=1"),
])
def test_update_follows_the_gradient(sub, rng, n, d, h, lr, soft):
    args = _params(rng, n, d, h, soft=soft)
    ctx = _ctx(args[0], args[2], lr, _soft(soft))
    got = _step(sub, args, lr, ctx)
    for k, name in enumerate(NAMES[1:]):
        old = args[2 + k]
        grad = (old - got[1 + k]) / lr  # the step is -lr * grad

        def loss_of(v, k=k):
            return _loss(*args[:2 + k], v, *args[3 + k:])

        indices, numeric = numeric_grad(loss_of, old, 1.0, rng=rng)
        analytic = np.array([grad[i] for i in indices])
        err = _grad_error(analytic, numeric)
        if err > 1e-5:
            j = int(np.argmax(np.abs(analytic - numeric)))
            where, fd, yours = list(indices[j]), f"{numeric[j]:.6g}", f"{analytic[j]:.6g}"
            raise CheckFailed(ctx + ": " + t(
                f"the step on {name} is not -lr * dloss/d{name}: at {where} finite differences give a gradient "
                f"of {fd}, your step implies {yours} (relative error {err:.2g} > 1e-05)",
                f"{name} 的更新不是 -lr * dloss/d{name}：在 {where} 处有限差分给出的梯度为 {fd}，"
                f"你的更新对应的梯度为 {yours}（相对误差 {err:.2g} > 1e-05）"))


@pytest.mark.zh("ReLU 输入恰好为 0")
def test_relu_input_exactly_zero(sub, ref):
    """Hidden pre-activations exactly 0 (small dyadic numbers: exact sums); relu'(0) = 0 by the statement."""
    x = np.array([[1.0, 2.0], [0.0, -1.0], [0.5, 0.5]])
    w1 = np.array([[0.5, -0.5, 1.0], [0.25, 0.5, -0.5]])
    b1 = np.array([-1.0, 0.5, 0.0])  # a[0, 0] = a[0, 2] = a[1, 1] = 0
    args = (x, np.array([1.0, 0.0, 1.0]), w1, b1, np.array([[1.0], [-1.0], [0.5]]), np.array([0.25]))
    ctx = t("hidden pre-activations exactly 0 in places", "隐藏层激活前的值在若干位置恰好为 0") + ", lr=0.5"
    _expect_like_ref(sub, ref, args, 0.5, ctx)


@pytest.mark.zh("很大的 logits")
@pytest.mark.parametrize("scale", [pytest.param(50.0, id="logits=50"), pytest.param(1e4, id="logits=1e4")])
def test_large_logits(sub, ref, rng, scale):
    """Logits around +-50 and +-1e4 on both labels: the naive log(sigmoid) formula gives inf or nan."""
    x, _, w1, b1, w2, _ = _params(rng, 8, 3, 4)
    z = (np.maximum(x @ w1 + b1, 0.0) @ w2)[:, 0]
    top = int(np.argmax(np.abs(z)))
    w2 = w2 * scale / z[top]  # the largest logit becomes +scale
    y = np.array([0.0, 1.0] * 4)
    y[top] = 0.0  # confidently wrong: log(1 - sigmoid(z)) underflows to log(0) in the naive formula
    args = (x, y, w1, b1, w2, np.zeros(1))
    ctx = _ctx(x, w1, 0.01, f", |logits| <= {scale:g}")
    got = _step(sub, args, 0.01, ctx)
    expect_number(got[0], _loss(*args), name="loss", context=ctx)
    for name, g, e in zip(NAMES[1:], got[1:], ref(*args, 0.01)[1:]):
        expect_array(g, e, name=name, context=ctx)


@st.composite
def cases(draw):
    return (draw(st.integers(1, 9)), draw(st.integers(1, 9)), draw(st.integers(1, 9)),
            draw(st.sampled_from([0.01, 0.1, 1.0])), draw(st.sampled_from([0.5, 3.0])), draw(st.integers(0, 2**31)))


@pytest.mark.zh("随机形状与数值")
@settings(max_examples=8)
@given(c=cases())
def test_random_cases(sub, ref, c):
    n, d, h, lr, out_scale, seed = c
    args = _params(np.random.default_rng(seed), n, d, h, out_scale=out_scale)
    _expect_like_ref(sub, ref, args, lr, _ctx(args[0], args[2], lr))


@pytest.mark.zh("float32 输入得到 float32 输出")
def test_float32_stays_float32(sub, ref, rng):
    args = tuple(a.astype(np.float32) for a in _params(rng, 10, 4, 6))
    ctx = _ctx(args[0], args[2], 0.1, t(", float32 inputs", "，float32 输入"))
    got = _step(sub, args, 0.1, ctx, dtype=np.float32)
    expected = ref(*args, 0.1)
    expect_number(got[0], expected[0], name="loss", context=ctx, rtol=1e-4, atol=1e-6)
    for name, g, e in zip(NAMES[1:], got[1:], expected[1:]):
        expect_array(g, e, name=name, context=ctx, dtype=np.float32)


def speed_case(rng):
    return (*_params(rng, 2048, 128, 256), 0.1), {}
