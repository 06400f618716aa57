"""Hidden checks for int8 quantization: hand values, ties, per-channel axes, zero channels, round trip,
float32 weights, and random shapes and axes."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from prep.grading.checks import CheckFailed, expect_array, expect_tuple, t


def _quantize(sub, w, axis, context):
    q, scale = expect_tuple(sub(w, axis=axis), ("q", "scale"), context=context)
    return q, scale


def _expect_same(sub, ref, w, axis, context):
    q, scale = _quantize(sub, w, axis, context)
    q_ref, scale_ref = ref(w, axis=axis)
    expect_array(scale, scale_ref, name="scale", context=context, dtype=np.float64)
    expect_array(q, q_ref, name="q", context=context, dtype=np.int8, exact=True)
    return q, scale


EXAMPLE = np.array([[0.5, -1.27, 0.0], [0.02, 0.05, -0.01]])


@pytest.mark.zh("手算的例子：逐张量")
def test_hand_computed_per_tensor(sub):
    q, scale = _quantize(sub, EXAMPLE, None, t("per tensor, w = [[0.5, -1.27, 0], [0.02, 0.05, -0.01]]",
                                                "逐张量，w = [[0.5, -1.27, 0], [0.02, 0.05, -0.01]]"))
    expect_array(scale, np.array(0.01), name="scale", dtype=np.float64,
                 context=t("per tensor: max|w| / 127 = 1.27 / 127", "逐张量：max|w| / 127 = 1.27 / 127"))
    expect_array(q, np.array([[50, -127, 0], [2, 5, -1]], dtype=np.int8), name="q", exact=True,
                 dtype=np.int8, context=t("per tensor, scale 0.01", "逐张量，scale 0.01"))


@pytest.mark.zh("手算的例子：逐行")
def test_hand_computed_per_row(sub):
    q, scale = _quantize(sub, EXAMPLE, 0, t("axis=0, w = [[0.5, -1.27, 0], [0.02, 0.05, -0.01]]",
                                             "axis=0，w = [[0.5, -1.27, 0], [0.02, 0.05, -0.01]]"))
    expect_array(scale, np.array([[0.01], [0.05 / 127]]), name="scale", dtype=np.float64,
                 context=t("axis=0: one scale per row, shape (2, 1)", "axis=0：每行一个 scale，形状 (2, 1)"))
    expect_array(q, np.array([[50, -127, 0], [51, 127, -25]], dtype=np.int8), name="q", exact=True,
                 dtype=np.int8, context=t("axis=0: 0.02 / (0.05/127) = 50.8 rounds to 51",
                                          "axis=0：0.02 / (0.05/127) = 50.8 舍入为 51"))


@pytest.mark.zh(".5 舍入到偶数")
def test_halves_round_to_even(sub):
    w = np.array([2.5, -0.5, 127.0, -1.5, 3.5, 0.5])  # scale is exactly 1
    expect_array(_quantize(sub, w, None, "w = [2.5, -0.5, 127, -1.5, 3.5, 0.5]")[0],
                 np.array([2, 0, 127, -2, 4, 0], dtype=np.int8), name="q", exact=True, dtype=np.int8,
                 context=t("w = [2.5, -0.5, 127, -1.5, 3.5, 0.5], scale 1: np.round sends halves to even",
                           "w = [2.5, -0.5, 127, -1.5, 3.5, 0.5]，scale 为 1：np.round 把 .5 舍入到偶数"))


@pytest.mark.zh("逐张量的随机权重")
@pytest.mark.parametrize(("shape", "spread"), [pytest.param((7, 5), 1.0, id="(7,5)"),
                                               pytest.param((4, 3, 6), 1e-3, id="(4,3,6)-small"),
                                               pytest.param((11,), 250.0, id="(11,)-large")])
def test_per_tensor_random(sub, ref, rng, shape, spread):
    w = rng.standard_normal(shape) * spread
    _expect_same(sub, ref, w, None, f"w {shape} * {spread}, axis=None")


@pytest.mark.zh("逐通道的各个轴")
@pytest.mark.parametrize(("kind", "axis", "scale_shape"), [
    pytest.param("conv", 0, "(5, 1, 1, 1)", id="conv-axis=0"),
    pytest.param("dense", 1, "(1, 4)", id="dense-axis=1"),
    pytest.param("dense", -1, "(1, 4)", id="dense-axis=-1"),
    pytest.param("conv", 2, "(1, 1, 2, 1)", id="conv-axis=2"),
])
def test_per_channel_axes(sub, ref, rng, kind, axis, scale_shape):
    if kind == "conv":
        w = rng.standard_normal((5, 3, 2, 4)) * np.array([1e-3, 0.1, 1.0, 10.0, 3.0])[:, None, None, None]
    else:
        w = rng.standard_normal((6, 4)) * np.array([0.01, 1.0, 5.0, 0.2])
    _expect_same(sub, ref, w, axis, f"w {w.shape}, axis={axis}: scale {scale_shape}")


@pytest.mark.zh("全零的通道与全零的张量")
def test_zero_channel_and_zero_tensor(sub, ref, rng):
    w = rng.standard_normal((4, 3))
    w[:, 1] = 0.0
    ctx = t("dense (4, 3) whose column 1 is all zeros, axis=1", "第 1 列全为零的全连接权重 (4, 3)，axis=1")
    _, scale = _expect_same(sub, ref, w, 1, ctx)
    if scale[0, 1] != 1.0:
        raise CheckFailed(f"{ctx}: " + t(f"all-zero channel: scale should be 1.0, got {scale[0, 1]!r}",
                                         f"全零通道的 scale 应为 1.0，实际为 {scale[0, 1]!r}"))
    _expect_same(sub, ref, np.zeros((2, 3)), None, t("an all-zero tensor, axis=None (scale 1.0, q = 0)",
                                                     "全零张量，axis=None（scale 为 1.0，q = 0）"))


@pytest.mark.zh("往返误差不超过半个步长")
@pytest.mark.parametrize("axis", [None, 0, -1], ids=lambda a: f"axis={a}")
def test_round_trip_within_half_a_step(sub, rng, axis):
    w = rng.standard_normal((6, 9)) * np.array([1e-4, 1e-2, 1.0, 30.0, 0.5, 7.0])[:, None]
    w[:, 4] *= 50.0  # a column of large values, so per-column scales differ too
    ctx = t(f"w (6, 9) with rows at scales 1e-4..30, axis={axis}", f"w (6, 9)，各行量级从 1e-4 到 30，axis={axis}")
    q, scale = _quantize(sub, w, axis, ctx)
    back = sub.fn("dequantize")(q, scale)
    expect_array(back, np.asarray(q, dtype=np.float64) * scale, name="dequantize(q, scale)", context=ctx,
                 dtype=np.float64)
    err = np.abs(back - w)
    bound = np.broadcast_to(np.asarray(scale) / 2, w.shape) * (1 + 1e-9)
    bad = np.argwhere(err > bound)
    if len(bad):
        i = tuple(int(v) for v in bad[0])
        raise CheckFailed(f"{ctx}: " + t(f"element {list(i)} comes back {back[i]!r} from {w[i]!r}, further than "
                                         f"half a step ({bound[i]:.3g})",
                                         f"元素 {list(i)} 从 {w[i]!r} 变回 {back[i]!r}，"
                                         f"误差超过半个步长（{bound[i]:.3g}）"))
    peak = np.max(np.abs(np.asarray(q, dtype=np.int64)), axis=None if axis is None else 1 - axis % 2)
    if np.any(peak != 127):
        raise CheckFailed(f"{ctx}: " + t(f"the largest |w| of each scale group must map to +-127; got {peak}",
                                         f"每个 scale 分组中 |w| 最大的元素必须映射到 +-127；实际为 {peak}"))


@pytest.mark.zh("float32 权重")
def test_float32_weights(sub, ref, rng):
    w = (rng.standard_normal((8, 5)) * 0.3).astype(np.float32)
    _expect_same(sub, ref, w, 0, t("float32 w (8, 5), axis=0 (q stays int8, scale float64)",
                                   "float32 的 w (8, 5)，axis=0（q 仍为 int8，scale 为 float64）"))


@st.composite
def _cases(draw):
    ndim = draw(st.integers(1, 4))
    shape = tuple(draw(st.lists(st.integers(1, 6), min_size=ndim, max_size=ndim)))
    axis = draw(st.one_of(st.none(), st.integers(-ndim, ndim - 1)))
    return shape, axis, 10.0 ** draw(st.integers(-4, 3)), draw(st.integers(0, 2**31))


@pytest.mark.zh("随机形状与轴")
@settings(max_examples=10)
@given(case=_cases())
def test_random_shapes_and_axes(sub, ref, case):
    shape, axis, spread, seed = case
    w = np.random.default_rng(seed).standard_normal(shape) * spread
    _expect_same(sub, ref, w, axis, f"w {shape} * {spread:g}, axis={axis}")


def speed_case(rng):
    return (rng.standard_normal((256, 128, 3, 3)),), {"axis": 0}
