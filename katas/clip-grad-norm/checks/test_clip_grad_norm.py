"""Hidden checks for global-norm clipping: one norm over all arrays, never up, norm before, zeros, dtypes."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from prep.grading.checks import CheckFailed, expect_array, expect_number, expect_tuple, t


def _call(sub, grads, max_norm, context, **kwargs):
    clipped, total = expect_tuple(sub(grads, max_norm, **kwargs), ("clipped", "total_norm"), context=context)
    if not isinstance(clipped, (list, tuple)) or len(clipped) != len(grads):
        raise CheckFailed(context + ": " + t(f"'clipped' should be a list of {len(grads)} arrays",
                                             f"'clipped' 应是包含 {len(grads)} 个数组的列表"))
    return list(clipped), total


def _same(sub, ref, grads, max_norm, context, kwargs=None, **tol):
    kwargs = kwargs or {}
    clipped, total = _call(sub, grads, max_norm, context, **kwargs)
    clipped_ref, total_ref = ref(grads, max_norm, **kwargs)
    expect_number(total, total_ref, name="total_norm", context=context)
    for i, (a, b) in enumerate(zip(clipped, clipped_ref)):
        expect_array(a, b, name=f"clipped[{i}]", context=context, **tol)


@pytest.mark.zh("手算的例子")
def test_hand_computed_example(sub):
    grads = [np.array([3.0, 4.0]), np.array([[12.0]])]
    ctx = "grads [[3, 4], [[12]]], max_norm 6.5: total 13, scale 6.5 / (13 + 1e-6)"
    clipped, total = _call(sub, grads, 6.5, ctx)
    expect_number(total, 13.0, name="total_norm", context=ctx)
    s = 6.5 / (13.0 + 1e-6)
    expect_array(clipped[0], np.array([3.0, 4.0]) * s, name="clipped[0]", context=ctx)
    expect_array(clipped[1], np.array([[12.0]]) * s, name="clipped[1]", context=ctx)


@pytest.mark.zh("eps 取非默认值")
def test_eps_is_used(sub):
    grads = [np.array([3.0, 4.0]), np.array([[12.0]])]
    ctx = "grads [[3, 4], [[12]]], max_norm 6.5, eps = 1.0: scale 6.5 / (13 + 1) = 0.4642857"
    clipped, total = _call(sub, grads, 6.5, ctx, eps=1.0)
    expect_number(total, 13.0, name="total_norm", context=ctx)
    expect_array(clipped[0], np.array([3.0, 4.0]) * (6.5 / 14.0), name="clipped[0]", context=ctx)
    expect_array(clipped[1], np.array([[12.0]]) * (6.5 / 14.0), name="clipped[1]", context=ctx)


@pytest.mark.zh("范数恰好等于 max_norm 时")
def test_norm_exactly_max_norm(sub):
    # scale = max_norm / (total + eps) < 1 whenever total = max_norm: clipped, not left unchanged
    # (the reading "clip only if total_norm > max_norm" differs here; eps = 0.5 makes the gap visible)
    grads = [np.array([3.0, 4.0]), np.array([[12.0]])]
    ctx = t("total_norm = max_norm = 13, eps = 0.5: scale = 13 / 13.5 < 1, so the gradients are scaled",
            "total_norm = max_norm = 13，eps = 0.5：scale = 13 / 13.5 < 1，所以梯度要缩放")
    clipped, total = _call(sub, grads, 13.0, ctx, eps=0.5)
    expect_number(total, 13.0, name="total_norm", context=ctx)
    expect_array(clipped[0], np.array([3.0, 4.0]) * (13.0 / 13.5), name="clipped[0]", context=ctx)
    expect_array(clipped[1], np.array([[12.0]]) * (13.0 / 13.5), name="clipped[1]", context=ctx)


@pytest.mark.zh("所有数组共用一个全局范数")
def test_one_global_norm(sub, rng):
    grads = [rng.standard_normal((4, 5)) * 0.1, rng.standard_normal(7) * 10, rng.standard_normal((2, 3, 2))]
    total = math.sqrt(sum(float(x) ** 2 for g in grads for x in g.ravel()))
    ctx = t(f"arrays (4, 5), (7,), (2, 3, 2) at scales 0.1, 10 and 1 (global norm {total:.4g}), max_norm 1.0",
            f"数组 (4, 5)、(7,)、(2, 3, 2)，量级分别为 0.1、10 和 1（全局范数 {total:.4g}），max_norm 1.0")
    clipped, got_total = _call(sub, grads, 1.0, ctx)
    expect_number(got_total, total, name="total_norm",
                  context=ctx + t(" (the norm before clipping)", "（裁剪之前的范数）"))
    for i, (c, g) in enumerate(zip(clipped, grads)):
        expect_array(c, g * (1.0 / (total + 1e-6)), name=f"clipped[{i}]",
                     context=ctx + t(": one factor for all arrays", "：所有数组乘同一个系数"))
    new = math.sqrt(sum(float(np.sum(np.asarray(c, dtype=np.float64) ** 2)) for c in clipped))
    if abs(new - 1.0) > 1e-5:
        raise CheckFailed(ctx + ": " + t(f"the clipped gradients have global norm {new:.6g}; it should be 1.0",
                                         f"裁剪后梯度的全局范数为 {new:.6g}，应为 1.0"))


@pytest.mark.zh("永远不放大")
def test_never_scales_up(sub, ref, rng):
    grads = [rng.standard_normal((3, 3)) * 0.01, rng.standard_normal(4) * 0.01]
    _same(sub, ref, grads, 5.0, t("small gradients (norm ~0.03) and max_norm 5: returned unchanged",
                                  "梯度很小（范数约 0.03），max_norm 5：原样返回"))


@pytest.mark.zh("梯度全为零")
def test_all_zero_gradients(sub, ref):
    _same(sub, ref, [np.zeros((2, 3)), np.zeros(4)], 1.0,
          t("all gradients zero: no division by zero, zeros back", "梯度全为零：不能除以零，返回全零"))


@pytest.mark.zh("单个很大的数组")
def test_single_large_array(sub, ref, rng):
    _same(sub, ref, [rng.standard_normal((6, 2)) * 1e3], 0.5,
          t("one array at scale 1e3, max_norm 0.5", "一个量级为 1e3 的数组，max_norm 0.5"))


@pytest.mark.zh("float32 梯度")
def test_float32_gradients(sub, ref, rng):
    grads = [(rng.standard_normal((5, 4)) * 3e19).astype(np.float32), rng.standard_normal(3).astype(np.float32)]
    _same(sub, ref, grads, 2.0, t("float32 gradients with entries ~3e19 (their float32 squares overflow)",
                                  "float32 梯度，元素约 3e19（它们的 float32 平方会溢出）"), dtype=np.float32)


@st.composite
def gradient_lists(draw):
    shapes = draw(st.lists(st.lists(st.integers(1, 5), min_size=1, max_size=3).map(tuple), min_size=1, max_size=4))
    return shapes, draw(st.sampled_from([0.01, 0.5, 1.0, 5.0, 100.0])), draw(st.integers(0, 2**31))


@pytest.mark.zh("随机梯度列表")
@settings(max_examples=10)
@given(c=gradient_lists())
def test_random_gradient_lists(sub, ref, c):
    shapes, max_norm, seed = c
    r = np.random.default_rng(seed)
    _same(sub, ref, [r.standard_normal(s) * 10.0 ** r.integers(-2, 2) for s in shapes], max_norm,
          t(f"arrays {shapes}, max_norm {max_norm}", f"数组 {shapes}，max_norm {max_norm}"))


def speed_case(rng):
    return ([rng.standard_normal((512, 512)) for _ in range(8)], 1.0), {}
