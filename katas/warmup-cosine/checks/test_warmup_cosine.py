"""Hidden checks for warm-up + cosine: boundary values, a scalar re-derivation, clamping, shapes, no warm-up."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from prep.grading.checks import expect_array, t


def _scalar(step, base, warm, total, low):
    if step < warm:
        return base * (step + 1) / warm
    progress = min(1.0, (step - warm) / (total - warm))
    return low + 0.5 * (base - low) * (1 + math.cos(math.pi * progress))


@pytest.mark.zh("手算的例子")
def test_hand_computed_example(sub):
    steps = np.array([0, 1, 3, 4, 5, 9, 14, 20])
    expected = np.array([0.25, 0.5, 1.0, 1.0, 0.1 + 0.45 * (1 + math.cos(0.1 * math.pi)), 0.55, 0.1, 0.1])
    expect_array(sub(steps, 1.0, 4, 14, 0.1), expected, name="lr", dtype=np.float64,
                 context="base_lr 1, warmup 4, total 14, min_lr 0.1, steps [0, 1, 3, 4, 5, 9, 14, 20]")


@pytest.mark.zh("边界上的步")
def test_boundaries(sub, rng):
    base, warm, low = 3e-4, int(rng.integers(5, 50)), 3e-5
    total = warm + 2 * int(rng.integers(100, 500))  # an even decay length: its halfway point is a step
    mid = warm + (total - warm) // 2
    steps = np.array([0, warm - 1, warm, mid, total - 1, total, total + 1, total + 500])
    expected = np.array([base / warm, base, base, (base + low) / 2, _scalar(total - 1, base, warm, total, low),
                         low, low, low])
    ctx = f"base_lr {base}, warmup {warm}, total {total}, min_lr {low}: " + \
        t("steps 0, warmup-1, warmup, halfway, total-1, total, after",
          "步 0、warmup-1、warmup、衰减一半处、total-1、total、之后")
    expect_array(sub(steps, base, warm, total, low), expected, name="lr", context=ctx, atol=1e-16)


@pytest.mark.zh("与逐步的标量推导一致")
def test_matches_a_scalar_derivation(sub, rng):
    warm, total = 7, 61
    steps = np.arange(0, 80)
    rng.shuffle(steps)
    expected = np.array([_scalar(int(s), 0.5, warm, total, 0.01) for s in steps])
    expect_array(sub(steps, 0.5, warm, total, 0.01), expected, name="lr",
                 context=t("steps 0..79 shuffled", "步 0..79 打乱顺序")
                 + ", base_lr 0.5, warmup 7, total 61, min_lr 0.01")


@pytest.mark.zh("没有预热，下限为 0")
def test_no_warmup_and_zero_floor(sub):
    steps = np.array([0, 5, 10, 12])
    expect_array(sub(steps, 0.1, 0, 10), np.array([0.1, 0.05, 0.0, 0.0]), name="lr",
                 context=t("warmup 0, total 10, min_lr default 0: steps [0, 5, 10, 12]",
                           "warmup 0，total 10，min_lr 取默认值 0：步 [0, 5, 10, 12]"))


@pytest.mark.zh("一步预热")
def test_one_warmup_step(sub):
    steps = np.array([0, 1, 2, 5, 9, 11])
    expected = np.array([_scalar(int(s), 2.0, 1, 9, 0.5) for s in steps])
    expect_array(sub(steps, 2.0, 1, 9, 0.5), expected, name="lr",
                 context="base_lr 2, warmup 1, total 9, min_lr 0.5, steps [0, 1, 2, 5, 9, 11]")


@pytest.mark.zh("保持 step 的形状")
def test_keeps_the_shape_of_step(sub, ref, rng):
    steps = rng.integers(0, 300, size=(4, 6))
    expect_array(sub(steps, 1e-3, 20, 250, 1e-5), ref(steps, 1e-3, 20, 250, 1e-5), name="lr", dtype=np.float64,
                 context=t("step is an int array of shape (4, 6)", "step 是形状为 (4, 6) 的整数数组"))


@st.composite
def schedules(draw):
    warm = draw(st.integers(0, 100))
    total = warm + draw(st.integers(1, 2000))
    base = draw(st.sampled_from([1e-4, 6e-4, 0.01, 1.0]))
    return warm, total, base, base * draw(st.sampled_from([0.0, 0.01, 0.1, 1.0])), draw(st.integers(0, 2**31))


@pytest.mark.zh("随机调度")
@settings(max_examples=10)
@given(c=schedules())
def test_random_schedules(sub, ref, c):
    warm, total, base, low, seed = c
    steps = np.random.default_rng(seed).integers(0, total + 50, size=25)
    expect_array(sub(steps, base, warm, total, low), ref(steps, base, warm, total, low), name="lr",
                 context=f"base_lr {base}, warmup {warm}, total {total}, min_lr {low}")


def speed_case(rng):
    return (np.arange(1_000_000), 3e-4, 2000, 1_000_000, 3e-5), {}
