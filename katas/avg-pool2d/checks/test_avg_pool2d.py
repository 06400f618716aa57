"""Hidden checks for avg-pool2d: the definition, strides (default, overlapping, skipping), edge kernels, dtypes."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from prep.grading.checks import expect_array, t


def _direct(x, k, s):
    """Average pooling from its definition, window by window."""
    n, c, h, w = x.shape
    oh, ow = (h - k) // s + 1, (w - k) // s + 1
    out = np.empty((n, c, oh, ow))
    for i in range(oh):
        for j in range(ow):
            out[:, :, i, j] = x[:, :, i * s:i * s + k, j * s:j * s + k].sum(axis=(2, 3)) / (k * k)
    return out


def _call(impl, x, k, s):
    return impl(x, k) if s is None else impl(x, k, stride=s)


@pytest.mark.zh("手算示例")
@pytest.mark.parametrize(("k", "s", "want"), [
    pytest.param(2, None, [[3.0, 5.0], [13.0, 15.0]], id="kernel_size=2-stride=None"),
    pytest.param(3, 1, [[6.0, 7.0, 8.0], [11.0, 12.0, 13.0]], id="kernel_size=3-stride=1"),
])
def test_hand_worked_example(sub, k, s, want):
    x = np.arange(20.0).reshape(1, 1, 4, 5)
    expect_array(_call(sub, x, k, s), np.array([[want]]),
                 context=f"x = arange(20).reshape(1, 1, 4, 5), kernel_size={k}, stride={s}")


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


@pytest.mark.zh("1x1 窗口即恒等映射")
def test_one_by_one_window_is_identity(sub, rng):
    x = rng.standard_normal((2, 3, 5, 7))
    expect_array(sub(x, 1), x, context="x (2, 3, 5, 7), kernel_size=1, stride=None")


@pytest.mark.zh("覆盖整个输入的窗口给出全局均值")
def test_window_covering_the_input_is_the_global_mean(sub, rng):
    x = rng.standard_normal((3, 4, 6, 6)) * 100.0
    expect_array(sub(x, 6), x.mean(axis=(2, 3), keepdims=True),
                 context="x (3, 4, 6, 6), kernel_size=6: " + t("one window per channel", "每个通道一个窗口"))


@pytest.mark.zh("越界的窗口被丢掉")
@pytest.mark.parametrize(("h", "w", "k", "s"), [
    pytest.param(8, 9, 7, 5, id="kernel_size=7-stride=5"),
    pytest.param(8, 6, 3, 2, id="kernel_size=3-stride=2"),
])
def test_windows_past_the_edge_are_dropped(sub, rng, h, w, k, s):
    # (H - k) % s and (W - k) % s both nonzero: a partial window at the edge must not appear (no ceil mode,
    # no padding), and trailing rows/columns are simply unused
    x = rng.standard_normal((2, 3, h, w))
    expect_array(sub(x, k, stride=s), _direct(x, k, s),
                 context=f"x {x.shape}, kernel_size={k}, stride={s}: "
                 + t("the last rows/columns fit no whole window", "末尾的行/列凑不成完整窗口"))


@st.composite
def cases(draw):
    k = draw(st.integers(1, 4))
    return (k, draw(st.one_of(st.none(), st.integers(1, 4))), draw(st.integers(1, 3)), draw(st.integers(1, 3)),
            draw(st.integers(k, 12)), draw(st.integers(k, 12)), 10.0 ** draw(st.integers(-3, 3)),
            draw(st.integers(0, 2**31)))


@pytest.mark.zh("随机形状与数值")
@settings(max_examples=10)
@given(c=cases())
def test_random_cases(sub, ref, c):
    k, s, n, ch, h, w, scale, seed = c
    x = np.random.default_rng(seed).standard_normal((n, ch, h, w)) * scale
    expect_array(_call(sub, x, k, s), _call(ref, x, k, s), context=f"x {x.shape}, kernel_size={k}, stride={s}")


@pytest.mark.zh("float32 输入得到 float32 输出")
def test_float32_stays_float32(sub, ref, rng):
    x = rng.standard_normal((2, 3, 9, 8)).astype(np.float32)
    expect_array(sub(x, 3, stride=2), ref(x, 3, stride=2), dtype=np.float32,
                 context="float32 x (2, 3, 9, 8), kernel_size=3, stride=2")


def speed_case(rng):
    return (rng.standard_normal((16, 16, 64, 64)), 3), {"stride": 2}
