"""Hidden checks for softmax: definition, every axis, huge and mixed-scale logits, dtypes."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from prep.grading.checks import expect_array, t


@pytest.mark.zh("与定义一致")
def test_matches_the_definition(sub, rng):
    x = rng.standard_normal(5)
    z = [math.exp(v) for v in x]
    expected = np.array([v / sum(z) for v in z])
    expect_array(sub(x), expected, context=f"x = {np.round(x, 3).tolist()}")


@pytest.mark.zh("题目中的例子")
def test_statement_examples(sub):
    expect_array(sub(np.array([1.0, 2.0, 3.0])), np.array([0.09003057317038046, 0.24472847105479767,
                                                           0.6652409557748219]), context="x = [1, 2, 3]")
    expect_array(sub(np.array([1000.0, 1001.0])), np.array([0.2689414213699951, 0.7310585786300049]),
                 context="x = [1000, 1001]")


@pytest.mark.zh("最后一维")
def test_last_axis(sub, ref, rng):
    x = rng.standard_normal((4, 7)) * 3
    expect_array(sub(x), ref(x), context="x (4, 7), axis=-1")


@pytest.mark.zh("每一个轴")
@pytest.mark.parametrize("axis", [0, 1, 2, -2, -3], ids=lambda a: f"axis={a}")
def test_every_axis(sub, ref, rng, axis):
    x = rng.standard_normal((3, 4, 5))
    expect_array(sub(x, axis=axis), ref(x, axis=axis), context=f"x (3, 4, 5), axis={axis}")


@pytest.mark.zh("巨大的 logits")
def test_huge_logits(sub, ref, rng):
    x = rng.standard_normal((3, 6)) * 10 + np.array([[1e3], [-1e4], [1e4]])
    expect_array(sub(x), ref(x), context=t("rows centred at 1e3, -1e4 and 1e4", "各行分别以 1e3、-1e4 和 1e4 为中心"))


@pytest.mark.zh("各行量级相差很大")
def test_rows_at_different_scales(sub, ref, rng):
    x = np.stack([rng.standard_normal(6), rng.standard_normal(6) - 2000.0])
    expect_array(sub(x), ref(x), context=t("second row 2000 below the first (a global max underflows it)",
                                           "第二行比第一行低 2000（减去全局最大值会让它下溢）"))


@pytest.mark.zh("同一切片内跨度很大")
def test_wide_spread_within_a_slice(sub, ref):
    # one logit 3000 below the others: exp of the raw logits is fine here, but subtracting the slice's
    # mean (or min) instead of its max shifts the others up by ~750 and overflows
    x = np.array([[-3000.0, 0.0, 0.0, 0.5], [2.0, -2500.0, 1.0, 0.0]])
    expect_array(sub(x), ref(x), context=t("x = [[-3000, 0, 0, 0.5], [2, -2500, 1, 0]]: only the slice's maximum "
                                           "is a safe shift",
                                           "x = [[-3000, 0, 0, 0.5], [2, -2500, 1, 0]]：只有减去切片的最大值才安全"))


@pytest.mark.zh("和为 1 且保持大小顺序")
def test_sums_to_one_and_keeps_order(sub, rng):
    x = rng.standard_normal((5, 9)) * 50
    out = expect_array(sub(x, axis=0), np.zeros_like(x), context="x (5, 9) * 50, axis=0", rtol=0, atol=1e300)
    expect_array(out.sum(axis=0), np.ones(9), name=t("sum over axis 0", "沿第 0 维的和"),
                 context="x (5, 9) * 50, axis=0")
    if np.any(np.argmax(out, axis=0) != np.argmax(x, axis=0)):
        expect_array(np.argmax(out, axis=0), np.argmax(x, axis=0), name="argmax", exact=True,
                     context=t("the largest logit must get the largest probability", "最大的 logit 必须得到最大的概率"))


@st.composite
def shapes_and_axes(draw):
    shape = tuple(draw(st.lists(st.integers(1, 6), min_size=1, max_size=4)))
    axis = draw(st.integers(-len(shape), len(shape) - 1))
    return shape, axis, 10.0 ** draw(st.integers(-2, 3)), draw(st.integers(0, 2**31))


@pytest.mark.zh("随机形状与轴")
@settings(max_examples=10)
@given(c=shapes_and_axes())
def test_random_shapes_and_axes(sub, ref, c):
    shape, axis, scale, seed = c
    x = np.random.default_rng(seed).standard_normal(shape) * scale
    expect_array(sub(x, axis=axis), ref(x, axis=axis), context=f"x {shape} * {scale:g}, axis={axis}")


@pytest.mark.zh("float32 输入得到 float32 输出")
def test_float32_stays_float32(sub, ref, rng):
    x = (rng.standard_normal((4, 5)) * 20).astype(np.float32)
    expect_array(sub(x), ref(x), dtype=np.float32, context=t("float32 input", "float32 输入"))


def speed_case(rng):
    return (rng.standard_normal((256, 4096)),), {}
