"""Hidden checks for cnn-pipeline: each layer of the forward, the loss, every parameter gradient against the
reference and against finite differences, ReLU exactly at 0, max-pool ties, the pooling floor, large scores."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from prep.grading.checks import expect_array, expect_grad, expect_number, expect_tuple, t

FORWARD = ("a", "h", "p", "scores")
GRADS = ("dconv_w", "dconv_b", "dfc_w", "dfc_b")


def _shapes(n, c, h, w, f, kh, kw, k, padding, pool):
    oh, ow = h + 2 * padding - kh + 1, w + 2 * padding - kw + 1
    return (n, c, h, w), (f, c, kh, kw), (f * (oh // pool) * (ow // pool), k)


def _draw(rng, n, c, h, w, f, kh, kw, k, padding, pool, fc_scale=1.0):
    xs, ws, fs = _shapes(n, c, h, w, f, kh, kw, k, padding, pool)
    x = rng.standard_normal(xs)
    cw = rng.standard_normal(ws) / np.sqrt(c * kh * kw)
    cb = rng.standard_normal(f) * 0.5
    fw = rng.standard_normal(fs) * fc_scale / np.sqrt(fs[0])
    fb = rng.standard_normal(k)
    y = rng.integers(0, k, n)
    return x, y, cw, cb, fw, fb


def _direct_forward(x, cw, cb, fw, fb, padding, pool):
    """The definition with loops over output pixels and pooling offsets, independent of the reference."""
    n, c, hh, ww = x.shape
    f, _, kh, kw = cw.shape
    xp = np.zeros((n, c, hh + 2 * padding, ww + 2 * padding))
    xp[:, :, padding:padding + hh, padding:padding + ww] = x
    oh, ow = hh + 2 * padding - kh + 1, ww + 2 * padding - kw + 1
    a = np.zeros((n, f, oh, ow))
    for i in range(oh):
        for j in range(ow):
            a[:, :, i, j] = np.tensordot(xp[:, :, i:i + kh, j:j + kw], cw, axes=([1, 2, 3], [1, 2, 3])) + cb
    h = np.where(a > 0, a, 0.0)
    ph, pw = oh // pool, ow // pool
    p = np.full((n, f, ph, pw), -np.inf)
    for u in range(pool):
        for v in range(pool):
            p = np.maximum(p, h[:, :, u:u + pool * ph:pool, v:v + pool * pw:pool])
    scores = p.reshape(n, -1) @ fw + fb
    return a, h, p, scores


def _direct_loss(x, y, cw, cb, fw, fb, padding, pool):
    scores = _direct_forward(x, cw, cb, fw, fb, padding, pool)[3]
    m = scores.max(axis=1, keepdims=True)
    lse = m[:, 0] + np.log(np.exp(scores - m).sum(axis=1))
    return float(np.mean(lse - scores[np.arange(len(y)), y]))


def _ctx(x, cw, fw, padding, pool):
    return f"x {x.shape}, conv_w {cw.shape}, fc_w {fw.shape}, padding={padding}, pool={pool}"


def _forward(impl, args, ctx, padding, pool):
    return expect_tuple(impl.fn("cnn_forward")(*args, padding=padding, pool=pool), FORWARD, context=ctx)


def _loss(impl, args, ctx, padding, pool):
    return expect_tuple(impl(*args, padding=padding, pool=pool), ("loss", *GRADS), context=ctx)


def _expect_grads(got, expected, ctx, atol=1e-10):
    for name, g, e in zip(GRADS, got[1:], expected[1:]):
        expect_array(g, e, name=name, context=ctx, atol=atol)


@pytest.mark.zh("题目中的手算例子")
def test_hand_worked_example(sub):
    x = np.array([[[[1.0, 2, 1], [0, 1, 2], [1, 3, 0]]]])
    cw, cb = np.array([[[[1.0, 1], [0, 0]]]]), np.array([-1.0])
    fw, fb, y = np.array([[1.0, -1]]), np.zeros(2), np.array([0])
    ctx = t("the statement's example (three tied maxima)", "题目中的例子（三个并列最大值）")
    a, h, p, s = _forward(sub, (x, cw, cb, fw, fb), ctx, 0, 2)
    expect_array(a, np.array([[[[2.0, 2], [0, 2]]]]), name="a", context=ctx)
    expect_array(h, np.array([[[[2.0, 2], [0, 2]]]]), name="h", context=ctx)
    expect_array(p, np.array([[[[2.0]]]]), name="p", context=ctx)
    expect_array(s, np.array([[2.0, -2]]), name="scores", context=ctx)
    got = _loss(sub, (x, y, cw, cb, fw, fb), ctx, 0, 2)
    g = 1.0 / (1.0 + np.exp(4.0))  # softmax(scores)[1]
    expect_number(got[0], np.log1p(np.exp(-4.0)), name="loss", context=ctx)
    expected = (None, -2 * g * np.array([[[[1.0, 2], [0, 1]]]]), np.array([-2 * g]), np.array([[-2 * g, 2 * g]]),
                np.array([-g, g]))
    _expect_grads(got, expected, ctx)


# (N, C, H, W, F, KH, KW, K, padding, pool): sizes differ pairwise; some conv outputs leave rows/columns
# that no pooling window covers (the floor)
GEOMETRIES = [
    pytest.param(2, 3, 8, 7, 4, 3, 2, 5, 0, 2, id="kernel=3x2-floor-on-W"),
    pytest.param(3, 2, 6, 9, 5, 2, 3, 4, 1, 2, id="padding=1"),
    pytest.param(4, 1, 10, 8, 2, 3, 1, 3, 2, 3, id="padding=2-pool=3-floor"),
    pytest.param(1, 4, 7, 6, 3, 2, 2, 6, 0, 1, id="pool=1"),
]


@pytest.mark.zh("逐层检查前向")
@pytest.mark.parametrize(("n", "c", "h", "w", "f", "kh", "kw", "k", "padding", "pool"), GEOMETRIES)
def test_forward_layer_by_layer(sub, rng, n, c, h, w, f, kh, kw, k, padding, pool):
    x, _, cw, cb, fw, fb = _draw(rng, n, c, h, w, f, kh, kw, k, padding, pool)
    ctx = _ctx(x, cw, fw, padding, pool)
    got = _forward(sub, (x, cw, cb, fw, fb), ctx, padding, pool)
    for name, g, e in zip(FORWARD, got, _direct_forward(x, cw, cb, fw, fb, padding, pool)):
        expect_array(g, e, name=name, context=ctx)


@pytest.mark.zh("损失与全部参数梯度")
@pytest.mark.parametrize(("n", "c", "h", "w", "f", "kh", "kw", "k", "padding", "pool"), GEOMETRIES)
def test_loss_and_gradients(sub, ref, rng, n, c, h, w, f, kh, kw, k, padding, pool):
    args = _draw(rng, n, c, h, w, f, kh, kw, k, padding, pool)
    ctx = _ctx(args[0], args[2], args[4], padding, pool)
    got = _loss(sub, args, ctx, padding, pool)
    expect_number(got[0], _direct_loss(*args, padding, pool), name="loss", context=ctx)
    _expect_grads(got, ref(*args, padding=padding, pool=pool), ctx)


def _away_from_kinks(rng, geometry):
    """Draw until every pre-activation is >= 1e-3 from 0 and every window's top two values >= 1e-3 apart
    (windows whose values are all 0 excepted)."""
    padding, pool = geometry[-2:]
    while True:
        args = _draw(rng, *geometry)
        x, _, cw, cb, fw, fb = args
        a = _direct_forward(x, cw, cb, fw, fb, padding, pool)[0]
        n, f, oh, ow = a.shape
        ph, pw = oh // pool, ow // pool
        h = np.maximum(a, 0.0)[:, :, :ph * pool, :pw * pool]
        win = np.sort(h.reshape(n, f, ph, pool, pw, pool).transpose(0, 1, 2, 4, 3, 5).reshape(n, f, ph, pw, -1))
        gap = win[..., -1] - win[..., -2] if pool > 1 else np.inf
        # an all-zero window (every pre-activation < -1e-3) is safe: it stays 0 under a small perturbation
        if np.min(np.abs(a)) > 1e-3 and np.all((gap > 1e-3) | (win[..., -1] == 0)):
            return args


@pytest.mark.zh("梯度与有限差分一致")
@pytest.mark.parametrize("geometry", [
    pytest.param((2, 2, 6, 7, 3, 2, 3, 4, 1, 2), id="padding=1-pool=2"),
    pytest.param((3, 1, 8, 5, 2, 3, 2, 5, 0, 3), id="pool=3-floor"),
])
def test_gradients_finite_differences(sub, rng, geometry):
    padding, pool = geometry[-2:]
    x, y, cw, cb, fw, fb = args = _away_from_kinks(rng, geometry)
    ctx = _ctx(x, cw, fw, padding, pool)
    got = _loss(sub, args, ctx, padding, pool)
    one = np.float64(1.0)
    for name, value, f in [
        ("dconv_w", cw, lambda v: _direct_loss(x, y, v, cb, fw, fb, padding, pool)),
        ("dconv_b", cb, lambda v: _direct_loss(x, y, cw, v, fw, fb, padding, pool)),
        ("dfc_w", fw, lambda v: _direct_loss(x, y, cw, cb, v, fb, padding, pool)),
        ("dfc_b", fb, lambda v: _direct_loss(x, y, cw, cb, fw, v, padding, pool)),
    ]:
        expect_grad(got[1 + GRADS.index(name)], f, value, one, name=name, rng=rng, context=ctx, tol=1e-5)


@pytest.mark.zh("ReLU 输入恰好为 0")
def test_relu_exactly_zero(sub, ref):
    """Windows whose largest pre-activation is exactly 0 (at the window's first position, the rest negative):
    relu'(0) = 0, so nothing flows back through them."""
    x = np.zeros((2, 2, 4, 5))
    x[:, 0] = [[0, -1, 0, -2, 1], [-1, -3, -1, -1, 2], [2, 1, 0, -1, 0], [1, 3, -2, -1, -3]]
    x[:, 1] = [[1, 0, -1, 0, 0], [0, 2, 1, -1, 0], [0, 0, 0, -2, 1], [1, -1, -1, -2, 0]]
    x[1] = -x[1, :, ::-1, ::-1]
    cw = np.array([[[[1.0]], [[-1.0]]], [[[2.0]], [[1.0]]]])  # 1x1 kernels, 2 filters
    cb = np.array([0.0, 0.0])
    rng = np.random.default_rng(1405)
    fw, fb, y = rng.standard_normal((2 * 2 * 2, 3)), rng.standard_normal(3), np.array([2, 0])
    ctx = t("integer inputs, 1x1 kernels, zero bias: some windows' maximum pre-activation is exactly 0",
            "整数输入、1x1 卷积核、偏置为零：有的窗口里最大的激活前值恰好为 0") + ", x (2, 2, 4, 5), pool=2"
    got = _loss(sub, (x, y, cw, cb, fw, fb), ctx, 0, 2)
    expected = ref(x, y, cw, cb, fw, fb, padding=0, pool=2)
    expect_number(got[0], expected[0], name="loss", context=ctx)
    _expect_grads(got, expected, ctx)


@pytest.mark.zh("最大池化的并列最大值")
@pytest.mark.parametrize("case", ["row-vs-column", "integers"])
def test_max_pool_ties(sub, ref, case):
    """Ties go to the first maximum of the window in row-major order."""
    if case == "row-vs-column":
        # conv_w [[1, 1]] sums horizontal pairs: the pooling windows of a are [[1, 3], [3, 3]] (twice) and
        # [[3, 3], [3, 1]] (twice); row-major first, column-major first and last tie pick different patches
        x = np.array([[[[0.0, 1, 2, -1, 4], [2, 1, 2, 1, 2], [2, 1, 2, 1, 2], [1, 2, -1, 4, -3]]]])
        cw, cb = np.array([[[[1.0, 1.0]]]]), np.array([0.0])
        what = t("pooling windows [[1, 3], [3, 3]] and [[3, 3], [3, 1]]; the tied 3s come from different input patches",
                 "池化窗口为 [[1, 3], [3, 3]] 和 [[3, 3], [3, 1]]；并列的 3 来自不同的输入块")
        fw, fb, y = np.array([[1.0, -1], [0.5, 2], [-1, 1], [2, -0.5]]), np.array([0.1, -0.2]), np.array([1])
    else:
        r = np.random.default_rng(2046)
        x = r.integers(-2, 3, (3, 2, 7, 6)).astype(np.float64)
        cw = r.integers(-1, 2, (2, 2, 2, 2)).astype(np.float64)
        cb = np.array([1.0, 0.0])
        fw, fb, y = r.standard_normal((2 * 3 * 2, 4)), r.standard_normal(4), np.array([3, 0, 1])
        what = t("small integers: ties in most windows", "小整数：大多数窗口里都有并列最大值")
    ctx = what + f", x {x.shape}, conv_w {cw.shape}, pool=2"
    got = _loss(sub, (x, y, cw, cb, fw, fb), ctx, 0, 2)
    _expect_grads(got, ref(x, y, cw, cb, fw, fb, padding=0, pool=2), ctx)


@pytest.mark.zh("很大的分数")
def test_large_scores(sub, ref):
    """Scores in the thousands: exp overflows unless the row maximum is subtracted first."""
    r = np.random.default_rng(77)
    args = _draw(r, 3, 2, 7, 8, 3, 2, 3, 4, 1, 2, fc_scale=3000.0)
    ctx = t("scores of magnitude ~1e3 to 1e4", "分数的量级约 1e3 到 1e4") + ", " + _ctx(args[0], args[2], args[4], 1, 2)
    got = _loss(sub, args, ctx, 1, 2)
    expected = ref(*args, padding=1, pool=2)
    expect_number(got[0], expected[0], name="loss", context=ctx)
    _expect_grads(got, expected, ctx, atol=1e-9)


@pytest.mark.zh("padding 和 pool 取默认值")
def test_default_padding_and_pool(sub, ref, rng):
    args = _draw(rng, 2, 2, 7, 9, 3, 3, 2, 4, 0, 2)
    ctx = _ctx(args[0], args[2], args[4], 0, 2) + ", " + t("padding and pool left at their defaults",
                                                            "padding 和 pool 取默认值")
    x, _, cw, cb, fw, fb = args
    fwd = expect_tuple(sub.fn("cnn_forward")(x, cw, cb, fw, fb), FORWARD, context=ctx)
    for name, g, e in zip(FORWARD, fwd, ref.fn("cnn_forward")(x, cw, cb, fw, fb)):
        expect_array(g, e, name=name, context=ctx)
    got = expect_tuple(sub(*args), ("loss", *GRADS), context=ctx)
    expected = ref(*args)
    expect_number(got[0], expected[0], name="loss", context=ctx)
    _expect_grads(got, expected, ctx)


@st.composite
def geometries(draw):
    kh, kw = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    padding, pool = draw(st.integers(0, 2)), draw(st.integers(1, 3))
    h = draw(st.integers(max(1, kh + pool - 1 - 2 * padding), 9))
    w = draw(st.integers(max(1, kw + pool - 1 - 2 * padding), 9))
    return (draw(st.integers(1, 4)), draw(st.integers(1, 3)), h, w, draw(st.integers(1, 4)), kh, kw,
            draw(st.integers(2, 6)), padding, pool, draw(st.integers(0, 2**31)))


@pytest.mark.zh("随机形状与数值")
@settings(max_examples=8)
@given(g=geometries())
def test_random_cases(sub, ref, g):
    *geometry, seed = g
    padding, pool = geometry[-2:]
    args = _draw(np.random.default_rng(seed), *geometry)
    x, _, cw, cb, fw, fb = args
    ctx = _ctx(x, cw, fw, padding, pool)
    fwd = _forward(sub, (x, cw, cb, fw, fb), ctx, padding, pool)
    for name, got, e in zip(FORWARD, fwd, ref.fn("cnn_forward")(x, cw, cb, fw, fb, padding=padding, pool=pool)):
        expect_array(got, e, name=name, context=ctx)
    got = _loss(sub, args, ctx, padding, pool)
    expected = ref(*args, padding=padding, pool=pool)
    expect_number(got[0], expected[0], name="loss", context=ctx)
    _expect_grads(got, expected, ctx)


def speed_case(rng):
    return _draw(rng, 16, 3, 28, 28, 8, 3, 3, 10, 1, 2), {"padding": 1, "pool": 2}
