"""Hidden checks for BCE with logits: hand values, soft labels, extreme logits, finite differences, log 2 at 0."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from prep.grading.checks import expect_array, expect_grad, expect_number, expect_tuple, t


def _call(sub, z, y, context):
    return expect_tuple(sub(z, y), ("loss", "dz"), context=context)


def _mean_loss(z, y):
    """Loss from the definition, in exact-enough arithmetic for moderate z (|z| <= 30)."""
    return float(np.mean([-(c * math.log(1 / (1 + math.exp(-v))) + (1 - c) * math.log(1 - 1 / (1 + math.exp(-v))))
                          for v, c in zip(z, y)]))


@pytest.mark.zh("题目中的例子")
def test_hand_computed_example(sub):
    z, y = np.array([2.0, -1.0, 0.0]), np.array([1.0, 0.0, 1.0])
    ctx = "z = [2, -1, 0], y = [1, 0, 1]"
    loss, dz = _call(sub, z, y, ctx)
    expect_number(loss, (math.log1p(math.exp(-2)) + math.log1p(math.exp(-1)) + math.log(2)) / 3, name="loss",
                  context=ctx)
    sig = 1 / (1 + np.exp(-z))
    expect_array(dz, (sig - y) / 3, name="dz", context=ctx)


@pytest.mark.zh("软标签")
def test_soft_labels(sub):
    z, y = np.array([2.0, -1.0, 0.5, -3.0]), np.array([0.9, 0.2, 0.5, 0.7])
    ctx = "z = [2, -1, 0.5, -3], y = [0.9, 0.2, 0.5, 0.7] " + t("(soft labels: both log terms count)",
                                                                "（软标签：两个对数项都要算）")
    loss, dz = _call(sub, z, y, ctx)
    expect_number(loss, _mean_loss(z, y), name="loss", context=ctx)
    expect_array(dz, (1 / (1 + np.exp(-z)) - y) / 4, name="dz", context=ctx)


@pytest.mark.zh("极端的 logits")
def test_extreme_logits(sub):
    z, y = np.array([1e4, -1e4, 40.0, -40.0, 800.0, -800.0]), np.array([0.0, 0.0, 1.0, 1.0, 1.0, 0.0])
    ctx = "z = [1e4, -1e4, 40, -40, 800, -800], y = [0, 0, 1, 1, 1, 0]"
    loss, dz = _call(sub, z, y, ctx)
    expect_number(loss, (1e4 + 0 + 0 + 40 + 0 + 0) / 6, name="loss", context=ctx, rtol=1e-12)
    expect_array(dz, np.array([1.0, 0.0, 0.0, -1.0, 0.0, 0.0]) / 6, name="dz", context=ctx, atol=1e-15)


@pytest.mark.zh("logits 为 0 时损失为 ln 2")
def test_zero_logits_give_log_2(sub, rng):
    y = rng.random(7)
    ctx = t("z = 0 everywhere, soft labels: every example costs ln 2", "z 全为 0，软标签：每个样本的损失都是 ln 2")
    loss, dz = _call(sub, np.zeros(7), y, ctx)
    expect_number(loss, math.log(2), name="loss", context=ctx)
    expect_array(dz, (0.5 - y) / 7, name="dz", context=ctx)


@pytest.mark.zh("与定义一致")
def test_matches_the_definition(sub, rng):
    z, y = rng.uniform(-8, 8, size=9), rng.random(9)
    ctx = t("moderate logits, soft labels (the definition with logs of sigmoid)",
            "中等大小的 logits，软标签（按定义对 sigmoid 取对数）")
    expect_number(_call(sub, z, y, ctx)[0], _mean_loss(z, y), name="loss", context=ctx)


@pytest.mark.zh("有限差分")
@pytest.mark.parametrize("n", [pytest.param(5, id="N=5"), pytest.param(12, id="N=12")])
def test_finite_differences(sub, rng, n):
    z, y = rng.uniform(-6, 6, size=n), (rng.random(n) < 0.5).astype(float)
    ctx = f"N={n}, " + t("hard labels", "硬标签")
    _, dz = _call(sub, z, y, ctx)
    expect_grad(dz, lambda v: np.array(_mean_loss(v, y)), z, 1.0, name="dz", rng=rng, context=ctx)


@pytest.mark.zh("随机批次")
@settings(max_examples=12)
@given(n=st.integers(1, 20), scale=st.sampled_from([1.0, 10.0, 100.0, 1e4]), soft=st.booleans(),
       seed=st.integers(0, 2**31))
def test_random_batches(sub, ref, n, scale, soft, seed):
    r = np.random.default_rng(seed)
    z = r.standard_normal(n) * scale
    y = r.random(n) if soft else (r.random(n) < 0.5).astype(float)
    ctx = f"N={n}, " + t(f"logits at scale {scale:g}, {'soft' if soft else 'hard'} labels",
                         f"logits 量级 {scale:g}，{'软' if soft else '硬'}标签")
    loss, dz = _call(sub, z, y, ctx)
    loss_ref, dz_ref = ref(z, y)
    expect_number(loss, loss_ref, name="loss", context=ctx)
    expect_array(dz, dz_ref, name="dz", context=ctx, atol=1e-15)


def speed_case(rng):
    return (rng.standard_normal(1_000_000) * 20, (rng.random(1_000_000) < 0.5).astype(float)), {}
