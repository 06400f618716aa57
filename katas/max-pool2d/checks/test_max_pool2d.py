"""Hidden checks for max-pool2d: the definition, strides (default, overlapping, skipping), negatives, dtypes."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from prep.grading.checks import expect_array, t

EXAMPLE = np.array([[1, 3, 2, 0, 5], [4, -1, 6, 2, 1], [0, 8, -3, 7, 2], [9, 1, 2, 3, 4]], dtype=float)


def _direct(x, k, s):
    """Max pooling from its definition, window by window."""
    n, c, h, w = x.shape
    oh, ow = (h - k) // s + 1, (w - k) // s + 1
    out = np.empty((n, c, oh, ow), dtype=x.dtype)
    for i in range(oh):
        for j in range(ow):
            out[:, :, i, j] = x[:, :, i * s:i * s + k, j * s:j * s + k].max(axis=(2, 3))
    return out


def _call(impl, x, k, s):
    return impl(x, k) if s is None else impl(x, k, stride=s)


@pytest.mark.zh("手算示例")
@pytest.mark.parametrize(("k", "s", "want"), [
    pytest.param(2, None, [[4.0, 6.0], [9.0, 7.0]], id="kernel_size=2-stride=None"),
    pytest.param(3, 1, [[8.0, 8.0, 7.0], [9.0, 8.0, 7.0]], id="kernel_size=3-stride=1"),
    pytest.param(2, 3, [[4.0, 5.0]], id="kernel_size=2-stride=3"),
])
def test_hand_worked_example(sub, k, s, want):
    x = EXAMPLE.reshape(1, 1, 4, 5)
    ctx = t("the 4 x 5 example of the statement", "题面中 4 x 5 的例子") + f", kernel_size={k}, stride={s}"
    expect_array(_call(sub, x, k, s), np.array([[want]]), context=ctx)


# (N, C, H, W, kernel_size, stride): sizes differ pairwise; stride None means kernel_size
CASES = [
    pytest.param(2, 3, 8, 6, 2, None, id="kernel_size=2-stride=None"),
    pytest.param(2, 3, 9, 7, 3, 2, id="overlapping-kernel_size=3-stride=2"),
    pytest.param(3, 2, 7, 10, 2, 3, id="skipping-kernel_size=2-stride=3"),
    pytest.param(2, 4, 11, 5, 3, None, id="floor-drops-rows"),
    pytest.param(3, 2, 10, 8, 4, 1, id="heavy-overlap-kernel_size=4-stride=1"),
    pytest.param(1, 3, 8, 6, 3, 2, id="OH=3-not-H//stride"),
]


@pytest.mark.zh("与逐窗口的定义一致")
@pytest.mark.parametrize(("n", "c", "h", "w", "k", "s"), CASES)
def test_matches_the_definition(sub, rng, n, c, h, w, k, s):
    x = rng.standard_normal((n, c, h, w))
    expect_array(_call(sub, x, k, s), _direct(x, k, k if s is None else s),
                 context=f"x {x.shape}, kernel_size={k}, stride={s}")


@pytest.mark.zh("输入全为负")
def test_all_negative_inputs(sub, rng):
    x = -rng.uniform(1.0, 5.0, size=(2, 3, 6, 7))
    expect_array(sub(x, 2, stride=2), _direct(x, 2, 2),
                 context=t("every value negative (a maximum started from 0 gives 0)",
                           "所有值都为负（从 0 开始取最大值会得到 0）") + ", kernel_size=2, stride=2")


@pytest.mark.zh("每个通道单独池化")
def test_each_channel_pooled_alone(sub, rng):
    x = rng.standard_normal((2, 4, 6, 6))
    x[:, 0] += 100.0  # a channel far above the others must not leak into them
    expect_array(sub(x, 3), _direct(x, 3, 3),
                 context=t("channel 0 shifted by +100", "通道 0 整体加了 100") + ", kernel_size=3")


@pytest.mark.zh("覆盖整个输入的窗口")
def test_window_covering_the_input(sub, rng):
    x = rng.standard_normal((3, 2, 5, 5))
    expect_array(sub(x, 5), x.max(axis=(2, 3), keepdims=True),
                 context="x (3, 2, 5, 5), kernel_size=5: " + t("one window", "只有一个窗口"))


@pytest.mark.zh("1x1 窗口即下采样")
def test_one_by_one_window_subsamples(sub, rng):
    x = rng.standard_normal((2, 3, 4, 7))
    expect_array(sub(x, 1, stride=2), x[:, :, ::2, ::2],
                 context="kernel_size=1, stride=2: " + t("plain subsampling", "单纯的下采样"))


@pytest.mark.zh("越界的窗口被丢掉")
@pytest.mark.parametrize(("h", "w", "k", "s"), [
    pytest.param(8, 9, 7, 5, id="kernel_size=7-stride=5"),
    pytest.param(8, 6, 3, 2, id="kernel_size=3-stride=2"),
])
def test_windows_past_the_edge_are_dropped(sub, rng, h, w, k, s):
    # (H - k) % s and (W - k) % s both nonzero, and the largest values sit in the unused last rows/columns:
    # a partial window at the edge (ceil mode) would show them
    x = rng.standard_normal((2, 3, h, w))
    x[:, :, (h - k) // s * s + k:, :] += 10.0
    x[:, :, :, (w - k) // s * s + k:] += 10.0
    expect_array(sub(x, k, stride=s), _direct(x, k, s),
                 context=f"x {x.shape}, kernel_size={k}, stride={s}: "
                 + t("the last rows/columns fit no whole window", "末尾的行/列凑不成完整窗口"))


@st.composite
def cases(draw):
    k = draw(st.integers(1, 4))
    return (draw(st.integers(1, 3)), draw(st.integers(1, 3)), draw(st.integers(k, 12)), draw(st.integers(k, 12)), k,
            draw(st.one_of(st.none(), st.integers(1, 4))), 10.0 ** draw(st.integers(-3, 3)),
            draw(st.integers(0, 2**31)))


@pytest.mark.zh("随机形状与数值")
@settings(max_examples=6)
@given(c=cases())
def test_random_cases(sub, ref, c):
    n, ch, h, w, k, s, scale, seed = c
    x = np.random.default_rng(seed).standard_normal((n, ch, h, w)) * scale
    expect_array(_call(sub, x, k, s), _call(ref, x, k, s), context=f"x {x.shape}, kernel_size={k}, stride={s}")


@pytest.mark.zh("float32 输入得到 float32 输出")
def test_float32_stays_float32(sub, ref, rng):
    x = rng.standard_normal((2, 3, 9, 8)).astype(np.float32)
    expect_array(sub(x, 3, stride=2), ref(x, 3, stride=2), dtype=np.float32,
                 context="float32 x (2, 3, 9, 8), kernel_size=3, stride=2")


def speed_case(rng):
    return (rng.standard_normal((16, 16, 64, 64)), 3), {"stride": 2}
