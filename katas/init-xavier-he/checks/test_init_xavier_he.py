"""Hidden checks for Xavier/He initialization: shapes, seeding, and statistics at ~5 standard errors."""

import math

import numpy as np
import pytest

from prep.grading.checks import CheckFailed, expect_array, expect_equal, t

Z = 5.0  # bounds at 5 standard errors: a correct initializer fails about once in 1.7 million


def _draw(fn, fan_in, fan_out, seed, label):
    w = fn(fan_in, fan_out, seed)
    return expect_array(w, np.zeros((fan_in, fan_out)), name=label, rtol=0, atol=1e300,
                        context=f"{label}({fan_in}, {fan_out}, seed={seed})")


def _near(value, target, se, what, context):
    if abs(value - target) > Z * se:
        raise CheckFailed(context + ": " + t(
            f"{what} is {value:.6g}, expected {target:.6g} (allowed +-{Z * se:.2g}, 5 standard errors)",
            f"{what}为 {value:.6g}，应为 {target:.6g}（允许 +-{Z * se:.2g}，即 5 个标准误）"))


@pytest.mark.zh("Xavier 的统计量")
@pytest.mark.parametrize(("fan_in", "fan_out"), [pytest.param(400, 300, id="400x300"),
                                                 pytest.param(50, 2000, id="50x2000")])
def test_xavier_statistics(sub, rng, fan_in, fan_out):
    seed = int(rng.integers(2**31))
    w = _draw(sub, fan_in, fan_out, seed, "xavier_uniform")
    ctx = f"xavier_uniform({fan_in}, {fan_out}, seed={seed})"
    n, a = w.size, math.sqrt(6.0 / (fan_in + fan_out))
    if np.max(np.abs(w)) > a:
        raise CheckFailed(ctx + ": " + t(f"an entry {np.max(np.abs(w)):.6g} lies outside +-a = +-{a:.6g}",
                                         f"有元素 {np.max(np.abs(w)):.6g} 落在 +-a = +-{a:.6g} 之外"))
    if np.max(np.abs(w)) < a * (1 - 20 / n):
        raise CheckFailed(ctx + ": " + t(
            f"the largest |entry| is {np.max(np.abs(w)):.6g}, far inside a = {a:.6g}; the draws should fill "
            "the whole interval (-a, a)",
            f"最大的 |元素| 为 {np.max(np.abs(w)):.6g}，远小于 a = {a:.6g}；抽样应填满整个区间 (-a, a)"))
    _near(float(w.mean()), 0.0, a / math.sqrt(3 * n), t("the mean", "均值"), ctx)
    _near(float(np.mean(w * w)), a * a / 3, math.sqrt(4 * a ** 4 / 45 / n), t("the variance", "方差"), ctx)


@pytest.mark.zh("He 的统计量")
@pytest.mark.parametrize(("fan_in", "fan_out"), [pytest.param(300, 400, id="300x400"),
                                                 pytest.param(1000, 60, id="1000x60"),
                                                 pytest.param(20, 3000, id="20x3000")])
def test_he_statistics(sub, rng, fan_in, fan_out):
    seed = int(rng.integers(2**31))
    w = _draw(sub.fn("he_normal"), fan_in, fan_out, seed, "he_normal")
    ctx = f"he_normal({fan_in}, {fan_out}, seed={seed})"
    n, var = w.size, 2.0 / fan_in
    _near(float(w.mean()), 0.0, math.sqrt(var / n), t("the mean", "均值"), ctx)
    _near(float(np.mean(w * w)), var, var * math.sqrt(2 / n),
          t("the variance (std should be sqrt(2 / fan_in))", "方差（标准差应为 sqrt(2 / fan_in)）"), ctx)
    p = 0.6826894921370859
    inside = float(np.mean(np.abs(w) < math.sqrt(var)))
    _near(inside, p, math.sqrt(p * (1 - p) / n),
          t("the fraction within one standard deviation (normal: 0.6827)",
            "落在一个标准差以内的比例（正态分布：0.6827）"), ctx)


@pytest.mark.zh("形状为 (fan_in, fan_out)")
@pytest.mark.parametrize("label", ["xavier_uniform", "he_normal"])
def test_shape_is_fan_in_by_fan_out(sub, label):
    w = sub.fn(label)(3, 5, 0)
    if getattr(w, "shape", None) != (3, 5):
        raise CheckFailed(f"{label}(3, 5, seed=0): " + t(
            f"expected shape (3, 5) = (fan_in, fan_out), got {getattr(w, 'shape', type(w).__name__)}",
            f"形状应为 (3, 5) = (fan_in, fan_out)，实际为 {getattr(w, 'shape', type(w).__name__)}"))
    _draw(sub.fn(label), 3, 5, 0, label)


@pytest.mark.zh("由 seed 决定抽样")
@pytest.mark.parametrize("label", ["xavier_uniform", "he_normal"])
def test_seed_controls_the_draw(sub, rng, label):
    fn = sub.fn(label)
    seed = int(rng.integers(2**31))
    a, b = _draw(fn, 30, 20, seed, label), _draw(fn, 30, 20, seed, label)
    if not np.array_equal(a, b):
        raise CheckFailed(f"{label}(30, 20, seed={seed}) " + t(
            "twice: the same seed must give the same array (use np.random.default_rng(seed), not the global "
            "np.random state)",
            "调用两次：相同的 seed 必须得到相同的数组（用 np.random.default_rng(seed)，不要用全局的 np.random 状态）"))
    c = _draw(fn, 30, 20, seed + 1, label)
    if np.array_equal(a, c):
        raise CheckFailed(f"{label}: " + t(f"seeds {seed} and {seed + 1} gave the same array",
                                           f"seed {seed} 和 {seed + 1} 得到了相同的数组"))


@pytest.mark.zh("不使用全局随机状态")
@pytest.mark.parametrize("label", ["xavier_uniform", "he_normal"])
def test_global_random_state_untouched(sub, label):
    untouched = sub.harness("leaves_global_state_alone")(label, 6, 4, 11)
    expect_equal(untouched, True, name=t("global np.random state left unchanged", "全局 np.random 状态未被改变"),
                 context=f"{label}(6, 4, seed=11): " + t(
                     "build a local np.random.default_rng(seed); do not seed or draw from np.random itself",
                     "在函数内构造局部的 np.random.default_rng(seed)；不要对 np.random 本身设种子或抽样"))


@pytest.mark.zh("是均匀分布而不是正态分布")
def test_uniform_not_normal(sub, rng):
    seed = int(rng.integers(2**31))
    w = _draw(sub, 500, 500, seed, "xavier_uniform")
    ctx = f"xavier_uniform(500, 500, seed={seed})"
    a = math.sqrt(6.0 / 1000)
    # a uniform variable has kurtosis E[w^4] / E[w^2]^2 = 9/5, a normal one 3; this se ignores the m2-m4
    # correlation and overstates the spread about twofold (measured), so the bound is loose on purpose
    m2, m4 = float(np.mean(w ** 2)), float(np.mean(w ** 4))
    se = math.sqrt((a ** 8 / 9 - (a ** 4 / 5) ** 2) / w.size) / (a * a / 3) ** 2
    _near(m4 / m2 ** 2, 1.8, se, t("the kurtosis E[w^4] / E[w^2]^2 (uniform: 1.8, normal: 3)",
                                   "峰度 E[w^4] / E[w^2]^2（均匀分布：1.8，正态分布：3）"), ctx)


def speed_case(rng):
    return (2048, 2048, 0), {}
