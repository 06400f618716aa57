"""Hidden checks for sinusoidal positional encoding: hand values, the definition entry by entry, interleaving,
positions from 0, one exponent per column pair, the relative-position rotation identity, sizes, float64."""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from prep.grading.checks import CheckFailed, expect_array, t


def _definition(T, d):
    pe = np.zeros((T, d))
    for pos in range(T):
        for i in range(d // 2):
            angle = pos / 10000 ** (2 * i / d)
            pe[pos, 2 * i] = math.sin(angle)
            pe[pos, 2 * i + 1] = math.cos(angle)
    return pe


@pytest.mark.zh("题目中的例子")
def test_hand_computed_example(sub):
    expected = np.array([[0.0, 1.0, 0.0, 1.0],
                         [math.sin(1), math.cos(1), math.sin(0.01), math.cos(0.01)],
                         [math.sin(2), math.cos(2), math.sin(0.02), math.cos(0.02)]])
    expect_array(sub(3, 4), expected, context="sinusoidal_positions(3, 4)")


@pytest.mark.zh("位置 0")
def test_position_zero(sub):
    expected = np.tile([0.0, 1.0], 8)[None, :]
    expect_array(sub(1, 16), expected, context=t("T = 1, d = 16: position 0 is [0, 1, 0, 1, ...] (sin 0, cos 0)",
                                                 "T = 1, d = 16：位置 0 为 [0, 1, 0, 1, ...]（sin 0, cos 0）"))


@pytest.mark.zh("与逐元素的定义一致")
@pytest.mark.parametrize(("T", "d"), [pytest.param(7, 10, id="T=7-d=10"), pytest.param(50, 64, id="T=50-d=64"),
                                      pytest.param(3, 2, id="T=3-d=2")])
def test_matches_the_definition(sub, T, d):
    expect_array(sub(T, d), _definition(T, d), context=f"T = {T}, d = {d}")


@pytest.mark.zh("sin 和 cos 共用一对列的频率")
def test_sin_and_cos_of_a_pair_share_one_frequency(sub):
    # column 2i + 1 uses the exponent 2i / d of its pair, not (2i + 1) / d
    T, d = 4, 6
    pe = expect_array(sub(T, d), _definition(T, d), context=f"T = {T}, d = {d}")
    expect_array(pe[3, 3], np.array(math.cos(3 / 10000 ** (2 / 6))), name="PE[3, 3]",
                 context=t("T = 4, d = 6: PE[3, 3] = cos(3 / 10000^(2/6)), the exponent of pair i = 1",
                           "T = 4, d = 6：PE[3, 3] = cos(3 / 10000^(2/6))，用的是第 i = 1 对的指数"))


@pytest.mark.zh("相对位置是固定旋转")
def test_relative_positions_are_rotations(sub, rng):
    T, d = 40, 16
    pe = expect_array(sub(T, d), _definition(T, d), context=f"T = {T}, d = {d}")
    k = int(rng.integers(1, 10))
    for i in range(d // 2):
        w = 10000 ** (-2 * i / d)
        rot = np.array([[math.cos(w * k), -math.sin(w * k)], [math.sin(w * k), math.cos(w * k)]])
        shifted = pe[:-k, 2 * i:2 * i + 2] @ rot
        if np.max(np.abs(shifted - pe[k:, 2 * i:2 * i + 2])) > 1e-9:
            raise CheckFailed(f"T = {T}, d = {d}: " + t(
                f"column pair {i} of position pos + {k} is not the fixed rotation of position pos "
                f"(angle {w * k:.4g}); each pair must be (sin, cos) of one frequency",
                f"位置 pos + {k} 的第 {i} 对列不是位置 pos 的固定旋转（角度 {w * k:.4g}）；"
                "每一对必须是同一频率的 (sin, cos)"))


@pytest.mark.zh("长序列")
def test_long_sequence(sub, ref):
    T, d = 2048, 8
    expect_array(sub(T, d), ref(T, d), context=f"T = {T}, d = {d}")


@pytest.mark.zh("随机尺寸")
@given(T=st.integers(1, 60), half=st.integers(1, 40))
def test_random_sizes(sub, ref, T, half):
    d = 2 * half
    expect_array(sub(T, d), ref(T, d), context=f"T = {T}, d = {d}")


def speed_case(rng):
    return (4096, 1024), {}
