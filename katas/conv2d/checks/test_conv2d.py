"""Hidden checks for conv2d: shapes, stride, padding, bias, asymmetric kernels, dtypes, definitions."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from prep.grading.checks import expect_array, t


def _args(rng, n, c, h, w, f, kh, kw):
    x = rng.standard_normal((n, c, h, w))
    k = rng.standard_normal((f, c, kh, kw))
    b = rng.standard_normal(f)
    return x, k, b


def _direct(x, w, b, stride, padding):
    """The definition, pixel by pixel: slow, but independent of any reference trick."""
    n, c, h, wd = x.shape
    f, _, kh, kw = w.shape
    xp = np.zeros((n, c, h + 2 * padding, wd + 2 * padding))
    xp[:, :, padding:padding + h, padding:padding + wd] = x
    oh, ow = (h + 2 * padding - kh) // stride + 1, (wd + 2 * padding - kw) // stride + 1
    out = np.zeros((n, f, oh, ow))
    for i in range(oh):
        for j in range(ow):
            patch = xp[:, :, i * stride:i * stride + kh, j * stride:j * stride + kw]
            out[:, :, i, j] = np.tensordot(patch, w, axes=([1, 2, 3], [1, 2, 3]))
    return out + (0 if b is None else b[None, :, None, None])


@pytest.mark.zh("与逐像素的定义一致")
def test_matches_the_definition(sub, rng):
    x, w, b = _args(rng, 2, 3, 6, 5, 4, 3, 2)
    expect_array(sub(x, w, b, stride=2, padding=1), _direct(x, w, b, 2, 1),
                 context="N=2, C=3, H=6, W=5, F=4, kernel 3x2, stride=2, padding=1")


# (N, C, H, W, F, KH, KW, stride, padding): sizes differ pairwise to catch transposes and swaps
CASES = [
    pytest.param(2, 3, 7, 9, 4, 3, 2, 1, 0, id="kernel=3x2"),
    pytest.param(2, 3, 8, 6, 5, 3, 3, 2, 1, id="stride=2-padding=1"),
    pytest.param(3, 2, 11, 10, 4, 4, 3, 3, 2, id="stride=3-padding=2"),
    pytest.param(1, 4, 5, 7, 3, 1, 1, 1, 0, id="kernel=1x1"),
    pytest.param(2, 3, 6, 5, 7, 6, 5, 1, 0, id="full-size-kernel"),
    pytest.param(2, 1, 9, 8, 3, 2, 3, 2, 0, id="stride=2-floor"),  # floor division drops a row/column
    pytest.param(3, 5, 4, 6, 2, 3, 5, 1, 2, id="padding=2-wide-kernel"),
]


@pytest.mark.zh("形状、步长与补零")
@pytest.mark.parametrize(("n", "c", "h", "w", "f", "kh", "kw", "s", "p"), CASES)
def test_shapes_strides_and_padding(sub, ref, rng, n, c, h, w, f, kh, kw, s, p):
    x, k, b = _args(rng, n, c, h, w, f, kh, kw)
    ctx = f"x {x.shape}, w {k.shape}, stride={s}, padding={p}"
    expect_array(sub(x, k, b, stride=s, padding=p), ref(x, k, b, stride=s, padding=p), context=ctx)


@pytest.mark.zh("每个卷积核一个偏置")
def test_bias_is_per_filter(sub, ref):
    x = np.zeros((2, 2, 5, 4))
    w = np.zeros((3, 2, 2, 3))
    b = np.array([1.0, -2.0, 5.0])
    expect_array(sub(x, w, b), ref(x, w, b),
                 context=t("zero input and weights, bias [1, -2, 5]", "输入和权重全为零，偏置 [1, -2, 5]"))


@pytest.mark.zh("不加偏置")
def test_no_bias(sub, ref, rng):
    x, w, _ = _args(rng, 2, 3, 7, 6, 4, 3, 2)
    expect_array(sub(x, w, None, stride=1, padding=1), ref(x, w, None, stride=1, padding=1),
                 context="b=None, stride=1, padding=1")


@pytest.mark.zh("卷积核不翻转")
def test_kernel_not_flipped(sub, ref, rng):
    x = rng.standard_normal((1, 1, 5, 6))
    w = np.arange(6.0).reshape(1, 1, 2, 3)  # asymmetric: a flip changes the result
    expect_array(sub(x, w), ref(x, w),
                 context=t("asymmetric 2x3 kernel [[0, 1, 2], [3, 4, 5]]", "非对称 2x3 卷积核 [[0, 1, 2], [3, 4, 5]]"))


@st.composite
def geometries(draw):
    kh, kw = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    return {"n": draw(st.integers(1, 3)), "c": draw(st.integers(1, 4)), "f": draw(st.integers(1, 5)),
            "kh": kh, "kw": kw, "h": draw(st.integers(kh, 11)), "w": draw(st.integers(kw, 11)),
            "stride": draw(st.integers(1, 3)), "padding": draw(st.integers(0, 2)),
            "scale": 10.0 ** draw(st.integers(-3, 3)), "seed": draw(st.integers(0, 2**31))}


@pytest.mark.zh("随机形状与数值")
@settings(max_examples=8)
@given(g=geometries())
def test_random_cases(sub, ref, g):
    x, k, b = _args(np.random.default_rng(g["seed"]), g["n"], g["c"], g["h"], g["w"], g["f"], g["kh"], g["kw"])
    x = x * g["scale"]
    s, p = g["stride"], g["padding"]
    ctx = f"x {x.shape}, w {k.shape}, stride={s}, padding={p}"
    expect_array(sub(x, k, b, stride=s, padding=p), ref(x, k, b, stride=s, padding=p), context=ctx)


@pytest.mark.zh("float32 输入得到 float32 输出")
def test_float32_stays_float32(sub, ref, rng):
    x, w, b = (a.astype(np.float32) for a in _args(rng, 2, 3, 6, 7, 4, 3, 3))
    expect_array(sub(x, w, b, stride=1, padding=1), ref(x, w, b, stride=1, padding=1),
                 context=t("float32 inputs", "float32 输入"), dtype=np.float32)


def speed_case(rng):
    x, w, b = _args(rng, 8, 16, 32, 32, 32, 3, 3)
    return (x, w, b), {"stride": 1, "padding": 1}
