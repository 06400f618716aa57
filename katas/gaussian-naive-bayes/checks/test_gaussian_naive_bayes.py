"""Hidden checks for gaussian-naive-bayes: the worked example, priors, biased variances, the one shared epsilon
(var_smoothing times the largest feature variance), far test points, labels with gaps, ties, and random data
against a loop over classes, features and rows."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from prep.grading.checks import CheckFailed, expect_array, expect_tuple, t

NAMES = ("log_proba", "pred")


def _loop(X_train, y_train, X_test, var_smoothing):
    """The statement's formulas with Python loops and math: (log_proba, pred)."""
    rows, labels = X_train.tolist(), y_train.tolist()
    n, d = len(rows), len(rows[0])
    col_var = []
    for j in range(d):
        m = sum(r[j] for r in rows) / n
        col_var.append(sum((r[j] - m) ** 2 for r in rows) / n)
    eps = var_smoothing * max(col_var)
    classes = sorted(set(labels))
    stats = []
    for c in classes:
        mine = [r for r, lab in zip(rows, labels) if lab == c]
        mean = [sum(r[j] for r in mine) / len(mine) for j in range(d)]
        var = [sum((r[j] - mean[j]) ** 2 for r in mine) / len(mine) + eps for j in range(d)]
        stats.append((math.log(len(mine) / n), mean, var))
    log_proba, pred = [], []
    for x in X_test.tolist():
        jll = [lp - sum(0.5 * math.log(2 * math.pi * v[j]) + (x[j] - mu[j]) ** 2 / (2 * v[j]) for j in range(d))
               for lp, mu, v in stats]
        top = max(jll)
        lse = top + math.log(sum(math.exp(a - top) for a in jll))
        log_proba.append([a - lse for a in jll])
        pred.append(classes[jll.index(top)])
    return np.array(log_proba), np.array(pred, dtype=np.int64)


def _expect(sub, X_train, y_train, X_test, var_smoothing, expected, ctx):
    args = (X_train, y_train, X_test) if var_smoothing is None else (X_train, y_train, X_test, var_smoothing)
    got = expect_tuple(sub(*args), NAMES, context=ctx)
    scale = max(1.0, float(np.abs(expected[0]).max()))
    expect_array(got[0], expected[0], name="log_proba", context=ctx, rtol=1e-7, atol=1e-9 * scale)
    pred = expect_array(got[1], expected[1], name="pred", context=ctx, exact=True)
    if pred.dtype != np.int64:
        raise CheckFailed(f"{ctx}: " + t(f"pred should have dtype int64, got {pred.dtype}",
                                         f"pred 的 dtype 应为 int64，实际为 {pred.dtype}"))


EX = (np.array([[1.0], [3.0], [4.0], [6.0], [8.0]]), np.array([0, 0, 1, 1, 1]), np.array([[4.0], [0.0]]))


@pytest.mark.zh("题目中的手算例子")
def test_worked_example(sub):
    expected = (np.array([[-1.0987672123902197, -0.40538765524668996], [-0.0144663558926319, -4.243154067001768]]),
                np.array([1, 0]))
    _expect(sub, *EX, 0.1, expected, t("the statement's example, var_smoothing=0.1", "题目中的例子，var_smoothing=0.1"))


@pytest.mark.zh("var_smoothing 取默认值")
def test_default_var_smoothing(sub):
    X_train = np.array([[1.0, 2.0], [3.0, 2.0], [4.0, 0.0], [6.0, 1.0], [8.0, 2.0], [5.0, 1.5]])
    y_train = np.array([0, 0, 1, 1, 1, 1])
    X_test = np.array([[4.0, 2.0], [0.0, 0.0], [2.0, 2.5]])
    ctx = t("class 0 has a constant feature (only eps keeps its variance positive), var_smoothing left at 1e-9",
            "类别 0 有一个常数特征（只靠 eps 保证方差为正），var_smoothing 取默认值 1e-9")
    _expect(sub, X_train, y_train, X_test, None, _loop(X_train, y_train, X_test, 1e-9), ctx)


@pytest.mark.zh("eps 取整个训练集最大的特征方差")
@pytest.mark.parametrize("var_smoothing", [pytest.param(0.05, id="var_smoothing=0.05"),
                                           pytest.param(1e-9, id="var_smoothing=1e-9")])
def test_shared_epsilon_scaled_by_largest_variance(sub, rng, var_smoothing):
    # features on scales 1000, 1 and 0.01: eps = var_smoothing * (largest column variance) matters for every feature
    n = 12
    X_train = rng.normal(size=(n, 3)) * np.array([1000.0, 1.0, 0.01])
    y_train = np.array([2, 5] * (n // 2))
    X_test = rng.normal(size=(4, 3)) * np.array([1000.0, 1.0, 0.01])
    ctx = t("features at scales 1000, 1, 0.01", "特征尺度分别为 1000、1、0.01") + f", var_smoothing={var_smoothing}"
    _expect(sub, X_train, y_train, X_test, var_smoothing, _loop(X_train, y_train, X_test, var_smoothing), ctx)


@pytest.mark.zh("先验按类别频率")
def test_priors_from_class_frequencies(sub):
    X_train = np.array([[0.0, 1.0], [1.0, 0.0], [0.5, 0.5], [2.0, 2.0], [2.5, 1.5], [1.5, 2.5], [2.0, 3.0], [3.0, 2.0],
                        [2.2, 2.1], [1.9, 1.8]])
    y_train = np.array([1, 1, 1, 4, 4, 4, 4, 4, 4, 4])
    X_test = np.array([[1.2, 1.2], [0.0, 0.0], [2.0, 2.0]])
    ctx = t("3 rows of class 1 and 7 of class 4", "类别 1 有 3 行，类别 4 有 7 行") + ", var_smoothing=1e-3"
    _expect(sub, X_train, y_train, X_test, 1e-3, _loop(X_train, y_train, X_test, 1e-3), ctx)


@pytest.mark.zh("方差有偏且各类别不同")
def test_biased_variance_differs_by_class(sub):
    # class 0 is tight, class 1 is wide; the log-variance term decides the middle point
    X_train = np.array([[0.0], [0.2], [-0.2], [0.1], [-5.0], [5.0], [3.0], [-3.0]])
    y_train = np.array([0, 0, 0, 0, 1, 1, 1, 1])
    X_test = np.array([[0.05], [0.6], [2.0], [-9.0]])
    ctx = t("class 0 tight around 0, class 1 spread over [-5, 5]", "类别 0 紧贴 0，类别 1 分布在 [-5, 5]")
    _expect(sub, X_train, y_train, X_test, 1e-6, _loop(X_train, y_train, X_test, 1e-6), ctx + ", var_smoothing=1e-6")


@pytest.mark.zh("远处的点：稳定的 log-sum-exp")
def test_far_points_stay_finite(sub):
    X_train = np.array([[0.0, 0.0], [1.0, 0.5], [0.5, 1.0], [10.0, 10.0], [11.0, 9.0], [9.0, 11.0]])
    y_train = np.array([0, 0, 0, 1, 1, 1])
    X_test = np.array([[3000.0, -2000.0], [6.0, 6.0], [-1e4, 1e4]])
    ctx = t("test points 1e3 to 1e4 away: jll around -1e6 and below",
            "测试点远在 1e3 到 1e4 之外：jll 约为 -1e6 甚至更小")
    _expect(sub, X_train, y_train, X_test, 1e-9, _loop(X_train, y_train, X_test, 1e-9), ctx + ", var_smoothing=1e-9")


@pytest.mark.zh("标签不连续，列按标签排序")
def test_labels_with_gaps(sub, rng):
    X_train = rng.normal(size=(15, 2)) + np.repeat(np.array([[0.0, 0.0], [3.0, 0.0], [0.0, 3.0]]), 5, axis=0)
    y_train = np.repeat(np.array([11, -2, 7]), 5)
    X_test = np.array([[0.0, 0.0], [3.0, 0.0], [0.0, 3.0], [1.5, 1.5]])
    ctx = t("labels 11, -2, 7 (columns in the order -2, 7, 11)", "标签为 11、-2、7（列的顺序是 -2、7、11）") + \
        ", var_smoothing=1e-9"
    _expect(sub, X_train, y_train, X_test, 1e-9, _loop(X_train, y_train, X_test, 1e-9), ctx)


@pytest.mark.zh("平局取最小标签")
def test_tie_goes_to_smallest_label(sub):
    # classes 9 and 4 have identical rows, so their posteriors are exactly equal
    X_train = np.array([[1.0, 2.0], [3.0, 1.0], [1.0, 2.0], [3.0, 1.0], [8.0, 8.0], [9.0, 7.0]])
    y_train = np.array([9, 9, 4, 4, 6, 6])
    X_test = np.array([[2.0, 1.5], [8.5, 7.5]])
    ctx = t("classes 9 and 4 have identical rows", "类别 9 和 4 的样本完全相同") + ", var_smoothing=1e-2"
    _expect(sub, X_train, y_train, X_test, 1e-2, (_loop(X_train, y_train, X_test, 1e-2)[0], np.array([4, 6])), ctx)


def _random_case(r, n, m, d, c):
    centres = r.normal(size=(c, d)) * 2.0
    y_train = np.concatenate([np.arange(c), r.integers(0, c, size=n - c)])  # every class present
    X_train = centres[y_train] + r.normal(size=(n, d)) * r.uniform(0.3, 2.0, size=d)
    labels = np.sort(r.choice(20, size=c, replace=False)) - 5
    return X_train, labels[y_train], r.normal(size=(m, d)) * 2.5


@pytest.mark.zh("与逐类循环一致")
@pytest.mark.parametrize(("n", "m", "d", "c", "var_smoothing"), [
    pytest.param(40, 9, 3, 4, 1e-9, id="N=40-M=9-D=3-C=4"),
    pytest.param(17, 5, 6, 2, 0.2, id="N=17-M=5-D=6-C=2-var_smoothing=0.2"),
    pytest.param(30, 12, 1, 5, 1e-3, id="N=30-M=12-D=1-C=5-var_smoothing=1e-3"),
])
def test_matches_loop(sub, rng, n, m, d, c, var_smoothing):
    X_train, y_train, X_test = _random_case(rng, n, m, d, c)
    ctx = f"X_train {X_train.shape}, X_test {X_test.shape}, {c} " + t("classes", "个类别") + \
        f", var_smoothing={var_smoothing}"
    _expect(sub, X_train, y_train, X_test, var_smoothing, _loop(X_train, y_train, X_test, var_smoothing), ctx)


@st.composite
def cases(draw):
    c = draw(st.integers(1, 5))
    return (draw(st.integers(c + 1, 40)), draw(st.integers(1, 8)), draw(st.integers(1, 5)), c,
            draw(st.sampled_from([1e-9, 1e-4, 0.1])), draw(st.integers(0, 2**31)))


@pytest.mark.zh("随机用例")
@settings(max_examples=12)
@given(c=cases())
def test_random_cases(sub, c):
    n, m, d, k, var_smoothing, seed = c
    X_train, y_train, X_test = _random_case(np.random.default_rng(seed), n, m, d, k)
    ctx = f"X_train {X_train.shape}, X_test {X_test.shape}, {k} " + t("classes", "个类别") + \
        f", var_smoothing={var_smoothing}, seed {seed}"
    _expect(sub, X_train, y_train, X_test, var_smoothing, _loop(X_train, y_train, X_test, var_smoothing), ctx)


def speed_case(rng):
    X = rng.normal(size=(5000, 20))
    return (X, rng.integers(0, 6, size=5000), rng.normal(size=(2000, 20))), {"var_smoothing": 1e-9}
