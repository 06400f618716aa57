"""Hidden checks for decision-tree-split: the worked example, both criteria, the tie rule across thresholds and
features, repeated values, size weighting, no candidate, and random data against a brute-force loop."""

import itertools
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from prep.grading.checks import expect_equal, expect_number, expect_tuple, t

NAMES = ("feature", "threshold", "gain")


def _impurity(labels, criterion):
    n = len(labels)
    props = [labels.count(c) / n for c in set(labels)]
    if criterion == "gini":
        return 1.0 - sum(p * p for p in props)
    return -sum(p * math.log2(p) for p in props)


def _brute(X, y, criterion):
    """Every feature, every midpoint, plain Python: the first split (in (feature, threshold) order) whose gain is
    within 1e-9 of the largest, as the statement says."""
    rows, labels = X.tolist(), y.tolist()
    n, parent, candidates = len(labels), _impurity(labels, criterion), []
    for j in range(X.shape[1]):
        values = sorted({r[j] for r in rows})
        for a, b in itertools.pairwise(values):
            thr = (a + b) / 2
            left = [lab for r, lab in zip(rows, labels) if r[j] <= thr]
            right = [lab for r, lab in zip(rows, labels) if r[j] > thr]
            gain = parent - (len(left) * _impurity(left, criterion) + len(right) * _impurity(right, criterion)) / n
            candidates.append((j, thr, gain))
    if not candidates:
        return -1, 0.0, 0.0
    top = max(c[2] for c in candidates)
    return next(c for c in candidates if c[2] >= top - 1e-9)


def _expect_split(sub, X, y, criterion, expected, ctx):
    args = (X, y) if criterion is None else (X, y, criterion)
    got = expect_tuple(sub(*args), NAMES, context=ctx)
    expect_equal(got[0], expected[0], name="feature", context=ctx)
    expect_number(got[1], expected[1], name="threshold", context=ctx, rtol=1e-12, atol=1e-12)
    expect_number(got[2], expected[2], name="gain", context=ctx, rtol=1e-9, atol=1e-9)


EX_X = np.array([[2.0, 2.0], [3.0, 4.0], [0.0, 0.0], [4.0, 4.0], [1.0, 1.0], [4.0, 2.0]])
EX_Y = np.array([0, 2, 0, 1, 1, 1])


@pytest.mark.zh("题目中的手算例子")
@pytest.mark.parametrize(("criterion", "expected"), [
    pytest.param("gini", (0, 3.5, 7 / 36), id="gini"),
    pytest.param("entropy", (0, 2.5, 1.4591479170272448 - 0.9182958340544896), id="entropy"),
])
def test_worked_example(sub, criterion, expected):
    ctx = (t("the statement's example", "题目中的例子") + f", criterion={criterion!r}")
    _expect_split(sub, EX_X, EX_Y, criterion, expected, ctx)


@pytest.mark.zh("criterion 默认为 gini")
def test_default_criterion_is_gini(sub):
    ctx = t("the statement's example, criterion left at its default", "题目中的例子，criterion 取默认值")
    _expect_split(sub, EX_X, EX_Y, None, (0, 3.5, 7 / 36), ctx)


@pytest.mark.zh("平局取最小阈值")
@pytest.mark.parametrize("criterion", ["gini", "entropy"])
def test_tie_goes_to_lowest_threshold(sub, criterion):
    # thresholds 1.5 and 3.5 give mirror-image children with the same gain
    X, y = np.array([[1.0], [2.0], [3.0], [4.0]]), np.array([0, 1, 1, 0])
    ctx = t("x [1, 2, 3, 4], y [0, 1, 1, 0]: thresholds 1.5 and 3.5 tie",
            "x [1, 2, 3, 4]，y [0, 1, 1, 0]：阈值 1.5 与 3.5 平局")
    ctx += f", criterion={criterion!r}"
    _expect_split(sub, X, y, criterion, _brute(X, y, criterion), ctx)


@pytest.mark.zh("平局取最小特征下标")
def test_tie_goes_to_lowest_feature(sub):
    # feature 0 carries no information; features 1 and 2 are mirror images with the same best gain
    X = np.array([[5.0, 1.0, 9.0], [5.0, 2.0, 8.0], [5.0, 3.0, 7.0], [5.0, 4.0, 6.0], [5.0, 5.0, 5.0]])
    y = np.array([0, 0, 1, 1, 1])
    ctx = t("feature 0 constant, feature 2 = 10 - feature 1, y [0, 0, 1, 1, 1]",
            "特征 0 为常数，特征 2 = 10 - 特征 1，y [0, 0, 1, 1, 1]")
    _expect_split(sub, X, y, "gini", (1, 2.5, 0.48), ctx)
    X2 = np.array([[1.0, 4.0], [2.0, 3.0], [3.0, 2.0], [4.0, 1.0]])
    y2 = np.array([0, 1, 1, 0])
    ctx2 = t("feature 1 = 5 - feature 0, y [0, 1, 1, 0]: four splits tie",
             "特征 1 = 5 - 特征 0，y [0, 1, 1, 0]：四个划分平局")
    _expect_split(sub, X2, y2, "entropy", _brute(X2, y2, "entropy"), ctx2)
    # the same partition {0, 0, 0} | {1} is the last gap of feature 0 (3.5) and the first gap of feature 1 (1.5):
    # feature order must win over the position of the gap in the sorted column
    X3 = np.array([[1.0, 4.0], [2.0, 3.0], [3.0, 2.0], [4.0, 1.0]])
    y3 = np.array([0, 0, 0, 1])
    ctx3 = t("feature 1 = 5 - feature 0, y [0, 0, 0, 1]: (0, 3.5) and (1, 1.5) make the same partition",
             "特征 1 = 5 - 特征 0，y [0, 0, 0, 1]：(0, 3.5) 与 (1, 1.5) 划分结果相同")
    for criterion in ("gini", "entropy"):
        ctx = ctx3 + f", criterion={criterion!r}"
        _expect_split(sub, X3, y3, criterion, (0, 3.5, _brute(X3, y3, criterion)[2]), ctx)


@pytest.mark.zh("舍入误差内的平局")
@pytest.mark.parametrize(("criterion", "rows", "labels", "expected"), [
    # three splits tie at exactly 13/96; rounding makes the later ones come out larger by ~1e-16
    pytest.param("gini", [[0, 0], [0, 4], [3, 4], [5, 2], [4, 3], [2, 3], [3, 3], [0, 3]], [2, 1, 0, 2, 2, 0, 2, 0],
                 (0, 3.5, 13 / 96), id="gini"),
    # {0} | {0,1,1,1,2,2} and {0,1,1} | {0,1,2,2} both leave (4 + 3 log2(3)) / 7 bits
    pytest.param("entropy", [[4, 5], [3, 3], [1, 4], [3, 1], [1, 0], [2, 2], [3, 5]], [1, 0, 1, 2, 0, 1, 2],
                 (0, 2.5, 0.30595849286804166), id="entropy"),
])
def test_ties_within_rounding(sub, criterion, rows, labels, expected):
    X, y = np.array(rows, dtype=np.float64), np.array(labels)
    ctx = t("gains equal in exact arithmetic but not in floating point (within 1e-9 they tie)",
            "增益在精确算术下相等，浮点计算却不相等（相差在 1e-9 以内算平局）") + f", criterion={criterion!r}"
    _expect_split(sub, X, y, criterion, expected, ctx)


@pytest.mark.zh("重复取值只算一次")
def test_repeated_values(sub):
    X = np.array([[1.0], [1.0], [2.0], [3.0], [3.0], [3.0]])
    y = np.array([0, 0, 1, 1, 1, 0])
    ctx = t("x [1, 1, 2, 3, 3, 3], y [0, 0, 1, 1, 1, 0]: thresholds are 1.5 and 2.5 only",
            "x [1, 1, 2, 3, 3, 3]，y [0, 0, 1, 1, 1, 0]：阈值只有 1.5 和 2.5")
    _expect_split(sub, X, y, "gini", _brute(X, y, "gini"), ctx)


@pytest.mark.zh("子节点按样本数加权")
def test_children_weighted_by_size(sub):
    # the small pure child wins only without weighting; with weighting the balanced split wins
    X = np.array([[0.0], [1.0], [2.0], [3.0], [4.0], [5.0], [6.0], [7.0], [8.0]])
    y = np.array([1, 0, 0, 0, 0, 1, 1, 1, 0])
    ctx = "x [0 .. 8], y [1, 0, 0, 0, 0, 1, 1, 1, 0]"
    for criterion in ("gini", "entropy"):
        _expect_split(sub, X, y, criterion, _brute(X, y, criterion), ctx + f", criterion={criterion!r}")


@pytest.mark.zh("纯节点与无可用划分")
def test_pure_node_and_no_candidate(sub):
    X = np.array([[3.0, 2.0], [1.0, 5.0], [2.0, 2.0]])
    _expect_split(sub, X, np.array([1, 1, 1]), "entropy", (0, 1.5, 0.0),
                  t("all labels equal: first threshold of feature 0, gain 0",
                    "标签全相同：特征 0 的第一个阈值，增益 0"))
    _expect_split(sub, np.array([[1.0, 2.0]]), np.array([0]), "gini", (-1, 0.0, 0.0),
                  t("a single row: no candidate", "只有一行：没有候选划分"))
    _expect_split(sub, np.array([[4.0, -1.0]] * 4), np.array([0, 1, 1, 0]), "gini", (-1, 0.0, 0.0),
                  t("every feature constant: no candidate", "所有特征都是常数：没有候选划分"))
    _expect_split(sub, np.array([[7.0, 1.0], [7.0, 2.0], [7.0, 1.0]]), np.array([0, 1, 0]), "gini", (1, 1.5, 4 / 9),
                  t("feature 0 constant: only feature 1 has thresholds", "特征 0 为常数：只有特征 1 有阈值"))


def _random_case(r, n, d, k, integer):
    X = r.integers(-3, 4, size=(n, d)).astype(np.float64) if integer else r.normal(0.0, 2.0, size=(n, d))
    return X, r.integers(0, k, size=n)


@pytest.mark.zh("与逐一枚举一致")
@pytest.mark.parametrize(("n", "d", "k", "integer"), [
    pytest.param(13, 4, 3, True, id="N=13-D=4-K=3-repeated-values"),
    pytest.param(25, 3, 5, False, id="N=25-D=3-K=5"),
    pytest.param(7, 6, 2, True, id="N=7-D=6-K=2-repeated-values"),
    pytest.param(40, 2, 4, False, id="N=40-D=2-K=4"),
])
def test_matches_enumeration(sub, rng, n, d, k, integer):
    X, y = _random_case(rng, n, d, k, integer)
    for criterion in ("gini", "entropy"):
        ctx = f"X {X.shape}, {k} " + t("classes", "个类别") + f", criterion={criterion!r}"
        _expect_split(sub, X, y, criterion, _brute(X, y, criterion), ctx)


@st.composite
def cases(draw):
    return (draw(st.integers(1, 30)), draw(st.integers(1, 5)), draw(st.integers(1, 4)), draw(st.booleans()),
            draw(st.sampled_from(["gini", "entropy"])), draw(st.integers(0, 2**31)))


@pytest.mark.zh("随机用例")
@settings(max_examples=15)
@given(c=cases())
def test_random_cases(sub, c):
    n, d, k, integer, criterion, seed = c
    X, y = _random_case(np.random.default_rng(seed), n, d, k, integer)
    ctx = f"X {X.shape}, {k} " + t("classes", "个类别") + f", criterion={criterion!r}, seed {seed}"
    _expect_split(sub, X, y, criterion, _brute(X, y, criterion), ctx)


def speed_case(rng):
    return (rng.normal(size=(2000, 8)), rng.integers(0, 4, size=2000)), {"criterion": "entropy"}
