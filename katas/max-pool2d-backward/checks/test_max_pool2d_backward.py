"""Hidden checks for max-pool2d-backward: finite differences, accumulation over overlaps, exact ties, dtypes."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from prep.grading.checks import expect_array, expect_grad, t


def _out(h, w, k, s):
    return (h - k) // s + 1, (w - k) // s + 1


def _distinct(rng, shape):
    """Values at least 0.01 apart, in random order: no ties, far from finite-difference trouble."""
    size = int(np.prod(shape))
    return (rng.permutation(size).reshape(shape) - size / 2) * 0.01


def _forward(x, k, s):
    """Max pooling from its definition."""
    n, c, h, w = x.shape
    oh, ow = _out(h, w, k, s)
    out = np.empty((n, c, oh, ow))
    for i in range(oh):
        for j in range(ow):
            out[:, :, i, j] = x[:, :, i * s:i * s + k, j * s:j * s + k].max(axis=(2, 3))
    return out


def _backward_by_definition(x, dout, k, s):
    """Window by window: the gradient goes to the first maximum in row-major order."""
    n, c, oh, ow = dout.shape
    dx = np.zeros(x.shape)
    for a in range(n):
        for b in range(c):
            for i in range(oh):
                for j in range(ow):
                    u, v = divmod(int(np.argmax(x[a, b, i * s:i * s + k, j * s:j * s + k])), k)
                    dx[a, b, i * s + u, j * s + v] += dout[a, b, i, j]
    return dx


def _ctx(x, k, s):
    return f"x {x.shape}, kernel_size={k}, stride={s}"


def _call(sub, x, dout, k, s):
    return sub(x, dout, k) if s is None else sub(x, dout, k, stride=s)


@pytest.mark.zh("手算示例")
def test_hand_worked_example(sub):
    x = np.array([[[[1.0, 4, 2], [4, 0, 4], [2, 5, 1]]]])
    dout = np.array([[[[1.0, 2], [3, 4]]]])
    ctx = "x [[1, 4, 2], [4, 0, 4], [2, 5, 1]], dout [[1, 2], [3, 4]], kernel_size=2, stride=1"
    expect_array(sub(x, dout, 2, stride=1), np.array([[[[0.0, 3, 0], [0, 0, 0], [0, 7, 0]]]]), name="dx",
                 context=ctx)


@pytest.mark.zh("有限差分")
@pytest.mark.parametrize(("shape", "k", "s"), [
    pytest.param((2, 3, 7, 9), 3, 2, id="kernel_size=3-stride=2"),
    pytest.param((3, 2, 4, 5), 2, 2, id="kernel_size=2-stride=2"),
])
def test_finite_differences(sub, rng, shape, k, s):
    x = _distinct(rng, shape)
    oh, ow = _out(shape[2], shape[3], k, s)
    dout = rng.standard_normal((shape[0], shape[1], oh, ow))
    ctx = _ctx(x, k, s)
    dx = sub(x, dout, k, stride=s)
    expect_array(dx, np.zeros_like(x), name="dx", context=ctx, rtol=0.0, atol=1e300)
    expect_grad(dx, lambda v: _forward(v, k, s), x, dout, name="dx", rng=rng, context=ctx, tol=1e-5)
    # sampled coordinates can miss the few pixels that carry gradient: compare them all by definition
    expect_array(dx, _backward_by_definition(x, dout, k, s), name="dx", context=ctx)


@pytest.mark.zh("重叠窗口的梯度累加")
def test_overlapping_windows_accumulate(sub, rng):
    """The centre of a 3x3 input is the maximum of all four 2x2 windows: it collects all of dout."""
    x = rng.uniform(-1.0, 0.0, size=(2, 3, 3, 3))
    x[:, :, 1, 1] = 5.0
    dout = rng.standard_normal((2, 3, 2, 2))
    expected = np.zeros_like(x)
    expected[:, :, 1, 1] = dout.sum(axis=(2, 3))
    expect_array(sub(x, dout, 2, stride=1), expected, name="dx",
                 context=t("x (2, 3, 3, 3) with its maximum in the centre", "x (2, 3, 3, 3)，最大值在中心")
                 + ", kernel_size=2, stride=1")


@pytest.mark.zh("重叠窗口不覆盖彼此的梯度")
def test_overlapping_windows_keep_each_others_gradient(sub, rng):
    """x increases along rows: each window's maximum is its bottom-right pixel, which the next window also covers
    without winning it; a write of the next window's whole slice would wipe that gradient out."""
    x = np.arange(2 * 3 * 5 * 6, dtype=np.float64).reshape(2, 3, 5, 6) * 0.1
    dout = rng.standard_normal((2, 3, 4, 5))
    expect_array(sub(x, dout, 2, stride=1), _backward_by_definition(x, dout, 2, 1), name="dx",
                 context=t("x increasing in row-major order", "x 按行优先顺序递增") + ", kernel_size=2, stride=1")


@pytest.mark.zh("恰好相等的最大值")
@pytest.mark.parametrize("case", ["all-zeros", "anti-diagonal", "small-integers"])
def test_exact_ties(sub, rng, case):
    """Ties go to the first maximum in row-major order (like argmax of the flattened window)."""
    if case == "all-zeros":
        x, k, s = np.zeros((2, 3, 7, 9)), 3, 2
        what = t("x all zeros (every window is one big tie)", "x 全为零（每个窗口都是一个大平局）")
    elif case == "anti-diagonal":
        # each 2x2 window [[0, 1], [1, 0]] ties at (0, 1) and (1, 0): row-major picks (0, 1), column-major (1, 0)
        x, k, s = np.tile(np.array([[0.0, 1.0], [1.0, 0.0]]), (2, 3, 3, 4)), 2, None
        what = t("every window [[0, 1], [1, 0]]: the tie is at (0, 1) and (1, 0)",
                 "每个窗口都是 [[0, 1], [1, 0]]：(0, 1) 与 (1, 0) 相等")
    else:
        x, k, s = rng.integers(-2, 2, size=(3, 2, 8, 6)).astype(np.float64), 2, None  # ties everywhere
        what = t("x small integers with many ties", "x 为小整数，有很多相等的值")
    oh, ow = _out(x.shape[2], x.shape[3], k, k if s is None else s)
    dout = rng.standard_normal((x.shape[0], x.shape[1], oh, ow))
    expect_array(_call(sub, x, dout, k, s), _backward_by_definition(x, dout, k, k if s is None else s), name="dx",
                 context=f"{what}, kernel_size={k}, stride={s}")


@pytest.mark.zh("输入全为负")
def test_all_negative_input(sub, rng):
    x = _distinct(rng, (2, 3, 6, 8)) - 100.0
    dout = rng.standard_normal((2, 3, 2, 3))
    expect_array(sub(x, dout, 3, stride=2), _backward_by_definition(x, dout, 3, 2), name="dx",
                 context=t("all-negative x (2, 3, 6, 8)", "全为负的 x (2, 3, 6, 8)") + ", kernel_size=3, stride=2")


# (N, C, H, W, kernel_size, stride): sizes differ pairwise; stride None means kernel_size
CASES = [
    pytest.param(2, 3, 8, 6, 2, None, id="kernel_size=2-stride=None"),
    pytest.param(2, 3, 9, 7, 3, 2, id="overlapping-kernel_size=3-stride=2"),
    pytest.param(3, 2, 7, 10, 2, 3, id="skipping-kernel_size=2-stride=3"),
    pytest.param(1, 4, 5, 6, 1, None, id="kernel_size=1"),  # dx == dout
    pytest.param(2, 1, 6, 5, 5, 1, id="kernel_size=5-stride=1"),  # window taller than the output is wide
    pytest.param(3, 2, 11, 8, 3, 1, id="heavy-overlap-kernel_size=3-stride=1"),
]


@pytest.mark.zh("形状与步长")
@pytest.mark.parametrize(("n", "c", "h", "w", "k", "s"), CASES)
def test_shapes_and_strides(sub, ref, rng, n, c, h, w, k, s):
    x = _distinct(rng, (n, c, h, w))
    oh, ow = _out(h, w, k, k if s is None else s)
    dout = rng.standard_normal((n, c, oh, ow))
    expect_array(_call(sub, x, dout, k, s), _call(ref, x, dout, k, s), name="dx", context=_ctx(x, k, s))


@st.composite
def cases(draw):
    k = draw(st.integers(1, 4))
    return (draw(st.integers(1, 3)), draw(st.integers(1, 3)), draw(st.integers(k, 11)), draw(st.integers(k, 11)), k,
            draw(st.one_of(st.none(), st.integers(1, 4))), draw(st.integers(0, 2**31)))


@pytest.mark.zh("随机形状与数值")
@settings(max_examples=10)
@given(c=cases())
def test_random_cases(sub, ref, c):
    n, ch, h, w, k, s, seed = c
    r = np.random.default_rng(seed)
    x = _distinct(r, (n, ch, h, w))
    oh, ow = _out(h, w, k, k if s is None else s)
    dout = r.standard_normal((n, ch, oh, ow))
    expect_array(_call(sub, x, dout, k, s), _call(ref, x, dout, k, s), name="dx", context=_ctx(x, k, s))


@pytest.mark.zh("float32 输入得到 float32 输出")
def test_float32_stays_float32(sub, ref, rng):
    x = _distinct(rng, (2, 3, 7, 8)).astype(np.float32)
    dout = rng.standard_normal((2, 3, 3, 3)).astype(np.float32)
    expect_array(sub(x, dout, 3, stride=2), ref(x, dout, 3, stride=2), name="dx", dtype=np.float32,
                 context=t("float32 inputs", "float32 输入") + ", kernel_size=3, stride=2")


def speed_case(rng):
    x = _distinct(rng, (16, 16, 32, 32))
    return (x, rng.standard_normal((16, 16, 15, 15)), 3), {"stride": 2}
