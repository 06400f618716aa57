"""Hidden checks for roc-auc: the worked example, ties counted as 1/2 in either order, all-tied scores, perfect and
reversed rankings, one class present (nan), float32 scores, monotone invariance, and random data against a loop
over all (positive, negative) pairs."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from prep.grading.checks import CheckFailed, expect_number, t


def _pairs(y, s):
    """Every (positive, negative) pair: 1 if the positive scores higher, 1/2 on a tie."""
    pos = [a for a, lab in zip(s.tolist(), y.tolist()) if lab == 1]
    neg = [a for a, lab in zip(s.tolist(), y.tolist()) if lab == 0]
    return sum(1.0 if p > n else 0.5 if p == n else 0.0 for p in pos for n in neg) / (len(pos) * len(neg))


def _expect_auc(sub, y, s, expected, ctx):
    got = sub(y, s)
    if math.isnan(expected):
        if type(got) is np.ndarray and got.ndim == 0:
            got = got.item()
        if isinstance(got, bool) or not isinstance(got, float) or not math.isnan(got):
            raise CheckFailed(f"{ctx}: " + t(f"only one class is present, so the AUC should be nan, got {got!r}",
                                             f"只有一个类别，AUC 应为 nan，实际为 {got!r}"))
        return
    expect_number(got, expected, name="AUC", context=ctx, rtol=1e-12, atol=1e-12)


@pytest.mark.zh("题目中的手算例子")
def test_worked_example(sub):
    y, s = np.array([1, 0, 1, 1, 0, 0]), np.array([0.9, 0.8, 0.8, 0.3, 0.3, 0.1])
    _expect_auc(sub, y, s, 7 / 9, "y_true [1, 0, 1, 1, 0, 0], scores [0.9, 0.8, 0.8, 0.3, 0.3, 0.1]")


@pytest.mark.zh("平局记 1/2，与顺序无关")
@pytest.mark.parametrize("y", [pytest.param([0, 1], id="negative-first"), pytest.param([1, 0], id="positive-first")])
def test_tie_counts_half_in_either_order(sub, y):
    _expect_auc(sub, np.array(y), np.array([0.5, 0.5]), 0.5, f"y_true {y}, scores [0.5, 0.5]")
    y2 = np.array(y * 3)
    s2 = np.array([2.0, 2.0, 1.0, 1.0, 3.0, 3.0])
    _expect_auc(sub, y2, s2, _pairs(y2, s2), f"y_true {y2.tolist()}, scores {s2.tolist()}")


@pytest.mark.zh("所有分数相同")
def test_all_scores_tied(sub):
    _expect_auc(sub, np.array([1, 0, 0, 1, 0, 1, 0]), np.full(7, -1.25), 0.5,
                t("7 samples, every score -1.25", "7 个样本，分数全为 -1.25"))


@pytest.mark.zh("完美排序与完全颠倒")
def test_perfect_and_reversed(sub):
    y, s = np.array([0, 1, 0, 1, 1]), np.array([0.1, 0.7, 0.3, 0.9, 0.5])
    _expect_auc(sub, y, s, 1.0, t("every positive above every negative", "每个正样本的分数都高于每个负样本"))
    _expect_auc(sub, y, -s, 0.0, t("every positive below every negative", "每个正样本的分数都低于每个负样本"))


@pytest.mark.zh("只有一个类别时返回 nan")
@pytest.mark.parametrize("label", [pytest.param(1, id="all-positive"), pytest.param(0, id="all-negative")])
def test_single_class_is_nan(sub, label):
    _expect_auc(sub, np.full(4, label), np.array([0.2, 0.9, 0.4, 0.4]), float("nan"),
                t(f"y_true all {label}", f"y_true 全为 {label}"))


@pytest.mark.zh("float32 分数")
def test_float32_scores(sub, rng):
    y = np.concatenate([np.ones(9, dtype=np.int64), np.zeros(14, dtype=np.int64)])
    s = rng.integers(0, 6, size=23).astype(np.float32) / np.float32(3)
    _expect_auc(sub, y, s, _pairs(y, s), t("float32 scores with ties, 9 positives, 14 negatives",
                                            "float32 分数且有平局，9 个正样本、14 个负样本"))


@pytest.mark.zh("单调变换不改变 AUC")
def test_monotone_transform_invariance(sub, rng):
    y = rng.integers(0, 2, size=31)
    y[:2] = [0, 1]
    s = rng.integers(-4, 5, size=31).astype(np.float64)
    expected = _pairs(y, s)
    ctx = t("31 samples, integer scores", "31 个样本，整数分数")
    _expect_auc(sub, y, s, expected, ctx)
    _expect_auc(sub, y, np.exp(s) * 10.0 - 3.0, expected, ctx + ", scores -> 10 exp(s) - 3")


@pytest.mark.zh("与逐对比较一致")
@pytest.mark.parametrize(("n_pos", "n_neg", "levels"), [
    pytest.param(12, 17, 4, id="12-pos-17-neg-4-levels"),
    pytest.param(1, 30, 0, id="1-pos-30-neg-continuous"),
    pytest.param(25, 8, 3, id="25-pos-8-neg-3-levels"),
    pytest.param(40, 45, 0, id="40-pos-45-neg-continuous"),
])
def test_matches_pair_count(sub, rng, n_pos, n_neg, levels):
    y = rng.permutation(np.r_[np.ones(n_pos, dtype=np.int64), np.zeros(n_neg, dtype=np.int64)])
    s = rng.integers(0, levels, size=y.size) * 0.5 if levels else rng.normal(size=y.size) + 0.8 * y
    ctx = f"{n_pos} " + t("positives", "个正样本") + f", {n_neg} " + t("negatives", "个负样本") + \
        (f", {levels} " + t("distinct score values", "种不同分数") if levels else "")
    _expect_auc(sub, y, s, _pairs(y, s), ctx)


@pytest.mark.zh("大规模且大量平局")
def test_large_with_many_ties(sub, rng):
    n = 20000
    y = (rng.random(n) < 0.3).astype(np.int64)
    s = rng.integers(0, 100, size=n) + 7 * y  # 107 score levels
    # count by score level: pairs (positive at level a, negative at level b)
    pos, neg = np.bincount(s[y == 1], minlength=107), np.bincount(s[y == 0], minlength=107)
    neg_below = np.concatenate([[0], np.cumsum(neg)[:-1]])
    expected = float(sum(int(p) * (int(b) + int(q) / 2) for p, b, q in zip(pos, neg_below, neg))
                     / (int(pos.sum()) * int(neg.sum())))
    _expect_auc(sub, y, s.astype(np.float64), expected,
                t("20000 samples, 107 distinct integer scores", "20000 个样本，107 种不同的整数分数"))


@pytest.mark.zh("N = 1,000,000：需要排序，不能两两比较")
def test_million_samples_needs_sorting(sub, rng):
    # the statement's size limit: a P x Q table (about 2.1e11 pairs here) fits neither in memory nor in time
    n = 1_000_000
    y = (rng.random(n) < 0.3).astype(np.int64)
    s = rng.integers(0, 5000, size=n) + 600 * y  # 5600 score levels, many ties
    pos, neg = np.bincount(s[y == 1], minlength=5600), np.bincount(s[y == 0], minlength=5600)
    neg_below = np.cumsum(neg) - neg
    twice_wins = int((pos * (2 * neg_below + neg)).sum())  # exact in int64 (< 5e11)
    expected = twice_wins / (2 * int(pos.sum()) * int(neg.sum()))
    _expect_auc(sub, y, s.astype(np.float64), expected,
                t("N = 1,000,000, 5600 distinct integer scores: only an O(N log N) method fits the limits",
                  "N = 1,000,000，5600 种不同的整数分数：只有 O(N log N) 的方法能在限制内完成"))


@st.composite
def cases(draw):
    return draw(st.integers(2, 60)), draw(st.integers(0, 6)), draw(st.integers(0, 2**31))


@pytest.mark.zh("随机用例")
@settings(max_examples=15)
@given(c=cases())
def test_random_cases(sub, c):
    n, levels, seed = c
    r = np.random.default_rng(seed)
    y = r.integers(0, 2, size=n)
    y[r.choice(n, size=2, replace=False)] = [0, 1]  # both classes present
    s = r.integers(0, levels, size=n).astype(np.float64) if levels else r.normal(size=n)
    _expect_auc(sub, y, s, _pairs(y, s), f"N={n}, " + (f"{levels} " + t("score levels", "种分数")
                                                       if levels else t("continuous scores", "连续分数")) +
                f", seed {seed}")


def speed_case(rng):
    n = 200000
    y = rng.integers(0, 2, size=n)
    return (y, rng.normal(size=n) + y), {}
