"""Hidden checks for conv2d-backward: finite differences, the adjoint identity, strides, padding, dtypes."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from prep.grading.checks import expect_array, expect_grad, expect_number, expect_tuple, t

NAMES = ("dx", "dw", "db")


def _out_size(h, w, kh, kw, stride, padding):
    return (h + 2 * padding - kh) // stride + 1, (w + 2 * padding - kw) // stride + 1


def _args(rng, n, c, h, w, f, kh, kw, stride, padding):
    oh, ow = _out_size(h, w, kh, kw, stride, padding)
    return (rng.standard_normal((n, c, h, w)), rng.standard_normal((f, c, kh, kw)),
            rng.standard_normal((n, f, oh, ow)))


def _forward(x, w, b, stride, padding):
    """The conv2d forward, straight from its definition (independent of the reference)."""
    n, c, h, wd = x.shape
    f, _, kh, kw = w.shape
    xp = np.zeros((n, c, h + 2 * padding, wd + 2 * padding))
    xp[:, :, padding:padding + h, padding:padding + wd] = x
    oh, ow = _out_size(h, wd, kh, kw, stride, padding)
    out = np.zeros((n, f, oh, ow))
    for i in range(oh):
        for j in range(ow):
            patch = xp[:, :, i * stride:i * stride + kh, j * stride:j * stride + kw]
            out[:, :, i, j] = np.tensordot(patch, w, axes=([1, 2, 3], [1, 2, 3]))
    return out + b[None, :, None, None]


def _expect_shape(got, like, name, ctx, dtype=None):
    """Type, dtype, shape and finiteness only (finite tolerances: np.isclose rejects infinite ones)."""
    expect_array(got, like, name=name, context=ctx, rtol=0.0, atol=1e300, dtype=dtype)


def _grads(impl, x, w, dout, stride, padding, ctx, dtype=None):
    got = expect_tuple(impl(x, w, dout, stride=stride, padding=padding), NAMES, context=ctx)
    shapes = (x, w, np.zeros(w.shape[0], dtype=x.dtype))
    for name, g, like in zip(NAMES, got, shapes):
        _expect_shape(g, like, name, ctx, dtype)
    return got


def _expect_like_ref(sub, ref, x, k, dout, s, p, ctx):
    got = _grads(sub, x, k, dout, s, p, ctx)
    for name, g, e in zip(NAMES, got, ref(x, k, dout, stride=s, padding=p)):
        expect_array(g, e, name=name, context=ctx)


@pytest.mark.zh("有限差分")
@pytest.mark.parametrize(("n", "c", "h", "w", "f", "kh", "kw", "s", "p"), [
    pytest.param(2, 3, 6, 5, 4, 3, 2, 2, 1, id="stride=2-padding=1"),
    pytest.param(1, 2, 7, 8, 3, 2, 3, 1, 0, id="stride=1-padding=0"),
])
def test_finite_differences(sub, rng, n, c, h, w, f, kh, kw, s, p):
    x, k, dout = _args(rng, n, c, h, w, f, kh, kw, s, p)
    b = rng.standard_normal(f)
    ctx = f"x {x.shape}, w {k.shape}, stride={s}, padding={p}"
    dx, dw, db = _grads(sub, x, k, dout, s, p, ctx)
    expect_grad(dx, lambda v: _forward(v, k, b, s, p), x, dout, name="dx", rng=rng, context=ctx)
    expect_grad(dw, lambda v: _forward(x, v, b, s, p), k, dout, name="dw", rng=rng, context=ctx)
    expect_grad(db, lambda v: _forward(x, k, v, s, p), b, dout, name="db", rng=rng, context=ctx)


@pytest.mark.zh("伴随恒等式")
@pytest.mark.parametrize(("n", "c", "h", "w", "f", "kh", "kw", "s", "p"), [
    pytest.param(2, 3, 9, 7, 4, 3, 2, 2, 1, id="stride=2-padding=1"),
    pytest.param(3, 2, 8, 10, 5, 4, 4, 3, 2, id="stride=3-padding=2"),
])
def test_adjoint_identity(sub, rng, n, c, h, w, f, kh, kw, s, p):
    """conv is linear in x and in w: <dout, conv(x, w)> = <x, dx> = <w, dw>, and db sums dout."""
    x, k, dout = _args(rng, n, c, h, w, f, kh, kw, s, p)
    ctx = f"x {x.shape}, w {k.shape}, stride={s}, padding={p}"
    dx, dw, db = _grads(sub, x, k, dout, s, p, ctx)
    lhs = np.sum(dout * _forward(x, k, np.zeros(f), s, p))
    for name, value in (("<x, dx>", np.sum(x * dx)), ("<w, dw>", np.sum(k * dw))):
        expect_number(float(value), float(lhs), context=ctx, rtol=1e-9, atol=1e-9,
                      name=name + t(" (it should equal <dout, conv(x, w)>)", "（应等于 <dout, conv(x, w)>）"))
    expect_array(db, dout.sum(axis=(0, 2, 3)), name="db", context=ctx)


@pytest.mark.zh("手算示例")
def test_hand_worked_example(sub):
    x = np.arange(9.0).reshape(1, 1, 3, 3)
    w = np.ones((1, 1, 2, 2))
    dout = np.ones((1, 1, 2, 2))
    ctx = "x = arange(9).reshape(1, 1, 3, 3), w = ones((1, 1, 2, 2)), dout = ones, stride=1"
    dx, dw, db = _grads(sub, x, w, dout, 1, 0, ctx)
    expect_array(dx, np.array([[[[1.0, 2, 1], [2, 4, 2], [1, 2, 1]]]]), name="dx", context=ctx)
    expect_array(dw, np.array([[[[8.0, 12], [20, 24]]]]), name="dw", context=ctx)
    expect_array(db, np.array([4.0]), name="db", context=ctx)


# (N, C, H, W, F, KH, KW, stride, padding): sizes differ pairwise to catch transposes and swaps
CASES = [
    pytest.param(2, 3, 7, 9, 4, 3, 2, 1, 0, id="kernel=3x2"),
    pytest.param(2, 3, 8, 6, 5, 3, 3, 2, 1, id="stride=2-padding=1"),
    pytest.param(3, 2, 11, 10, 4, 4, 3, 3, 2, id="stride=3-padding=2"),
    pytest.param(1, 4, 5, 7, 3, 1, 1, 1, 0, id="kernel=1x1"),
    pytest.param(2, 3, 6, 5, 7, 6, 5, 1, 0, id="full-size-kernel"),
    pytest.param(2, 1, 9, 8, 3, 2, 3, 2, 0, id="stride=2-floor"),  # the last row is dropped: its gradient is 0
    pytest.param(3, 5, 4, 6, 2, 3, 5, 1, 2, id="padding=2-wide-kernel"),
]


@pytest.mark.zh("形状、步长与补零")
@pytest.mark.parametrize(("n", "c", "h", "w", "f", "kh", "kw", "s", "p"), CASES)
def test_shapes_strides_and_padding(sub, ref, rng, n, c, h, w, f, kh, kw, s, p):
    x, k, dout = _args(rng, n, c, h, w, f, kh, kw, s, p)
    _expect_like_ref(sub, ref, x, k, dout, s, p, f"x {x.shape}, w {k.shape}, stride={s}, padding={p}")


@pytest.mark.zh("没有窗口覆盖的像素梯度为 0")
@pytest.mark.parametrize(("h", "w", "kh", "kw", "s", "p"), [
    pytest.param(9, 8, 2, 3, 2, 0, id="stride=2-padding=0"),
    pytest.param(11, 10, 3, 2, 3, 1, id="stride=3-padding=1"),
])
def test_unreached_pixels_get_zero(sub, ref, rng, h, w, kh, kw, s, p):
    # (H + 2p - KH) % stride and (W + 2p - KW) % stride both nonzero: the last rows/columns belong to no
    # window, the first ones do
    x, k, dout = _args(rng, 2, 3, h, w, 4, kh, kw, s, p)
    ctx = f"x {x.shape}, w {k.shape}, stride={s}, padding={p}: " + t(
        "the last rows/columns belong to no window", "最后几行/列不属于任何窗口")
    dx = _grads(sub, x, k, dout, s, p, ctx)[0]
    expect_array(dx, ref(x, k, dout, stride=s, padding=p)[0], name="dx", context=ctx)


@pytest.mark.zh("卷积核不翻转")
def test_kernel_not_flipped(sub, ref, rng):
    x = rng.standard_normal((1, 2, 5, 6))
    w = np.arange(12.0).reshape(1, 2, 2, 3)  # asymmetric: a flip changes dx
    dout = rng.standard_normal((1, 1, 4, 4))
    _expect_like_ref(sub, ref, x, w, dout, 1, 0,
                     t("asymmetric 2x3 kernel", "非对称 2x3 卷积核") + ", x (1, 2, 5, 6), stride=1, padding=0")


@st.composite
def cases(draw):
    kh, kw = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    return (draw(st.integers(1, 4)), draw(st.integers(1, 4)), draw(st.integers(1, 4)), kh, kw,
            draw(st.integers(1, 3)), draw(st.integers(0, 2)), draw(st.integers(kh, 11)), draw(st.integers(kw, 11)),
            10.0 ** draw(st.integers(-3, 3)), draw(st.integers(0, 2**31)))


@pytest.mark.zh("随机形状与数值")
@settings(max_examples=8)
@given(c=cases())
def test_random_cases(sub, ref, c):
    n, ch, f, kh, kw, s, p, h, w, scale, seed = c
    x, k, dout = _args(np.random.default_rng(seed), n, ch, h, w, f, kh, kw, s, p)
    x = x * scale
    _expect_like_ref(sub, ref, x, k, dout, s, p, f"x {x.shape}, w {k.shape}, stride={s}, padding={p}")


@pytest.mark.zh("float32 输入得到 float32 输出")
def test_float32_stays_float32(sub, ref, rng):
    x, k, dout = (a.astype(np.float32) for a in _args(rng, 2, 3, 7, 6, 4, 3, 2, 2, 1))
    ctx = t("float32 inputs", "float32 输入") + ", stride=2, padding=1"
    got = _grads(sub, x, k, dout, 2, 1, ctx, dtype=np.float32)
    for name, g, e in zip(NAMES, got, ref(x, k, dout, stride=2, padding=1)):
        # float32 sums of a few dozen terms: rounding ~1e-6 of the largest value, whatever the entry
        expect_array(g, e, name=name, context=ctx, dtype=np.float32, atol=1e-5 * float(np.max(np.abs(e))))


def speed_case(rng):
    x, w, dout = _args(rng, 8, 16, 32, 32, 32, 3, 3, 1, 1)
    return (x, w, dout), {"stride": 1, "padding": 1}
