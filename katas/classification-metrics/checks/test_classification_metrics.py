"""Hidden checks for the confusion matrix and P/R/F1: hand values, counting by loops, int64 counts, classes
never seen, zero division, micro = accuracy, and random label sets."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from prep.grading.checks import CheckFailed, expect_array, expect_number, expect_tuple, t


def _prf(sub, yt, yp, n, average, context):
    return expect_tuple(sub.fn("prf")(yt, yp, n, average), ("precision", "recall", "f1"), context=context)


def _expect_prf(sub, yt, yp, n, average, expected, context):
    for name, g, e in zip(("precision", "recall", "f1"), _prf(sub, yt, yp, n, average, context), expected):
        expect_number(g, e, name=name, context=context)


def _count_by_loop(yt, yp, n):
    cm = [[0] * n for _ in range(n)]
    for a, b in zip(yt.tolist(), yp.tolist()):
        cm[a][b] += 1
    return np.array(cm, dtype=np.int64)


def _expect_counts(got, expected, context):
    got = expect_array(got, expected, name=t("confusion matrix", "混淆矩阵"), context=context, exact=True,
                       dtype=np.int64)
    if got.dtype != np.int64:
        raise CheckFailed(f"{context}: " + t(f"the confusion matrix should have dtype int64, got {got.dtype}",
                                             f"混淆矩阵的 dtype 应为 int64，实际为 {got.dtype}"))


EX_T, EX_P = [0, 0, 1, 1, 1, 2, 2, 2], [0, 1, 1, 1, 2, 2, 0, 1]
EX_CTX = "y_true [0, 0, 1, 1, 1, 2, 2, 2], y_pred [0, 1, 1, 1, 2, 2, 0, 1]"


@pytest.mark.zh("手算的混淆矩阵")
def test_hand_computed_confusion_matrix(sub):
    _expect_counts(sub(np.array(EX_T), np.array(EX_P), 3), np.array([[1, 1, 0], [0, 2, 1], [1, 1, 1]]),
                   EX_CTX + t(" (rows = truth, columns = prediction)", "（行是真实值，列是预测值）"))


@pytest.mark.zh("手算的宏平均与微平均")
@pytest.mark.parametrize("average", ["macro", "micro"])
def test_hand_computed_averages(sub, average):
    f1s = (0.5, 2 * 0.5 * (2 / 3) / (0.5 + 2 / 3), 2 * 0.5 * (1 / 3) / (0.5 + 1 / 3))
    expected = {"macro": (0.5, (0.5 + 2 / 3 + 1 / 3) / 3, sum(f1s) / 3), "micro": (0.5, 0.5, 0.5)}[average]
    note = t(" (F1 = mean of per-class F1s)", "（F1 = 各类 F1 的平均）") if average == "macro" else ""
    _expect_prf(sub, np.array(EX_T), np.array(EX_P), 3, average, expected, f"{EX_CTX}, {average}" + note)


@pytest.mark.zh("二分类取类别 1 为正类")
def test_binary_positive_class(sub):
    yt, yp = np.array([1, 1, 0, 0, 1, 0, 1]), np.array([1, 0, 0, 1, 1, 0, 0])
    _expect_prf(sub, yt, yp, 2, "binary", (2 / 3, 0.5, 2 * (2 / 3) * 0.5 / (2 / 3 + 0.5)),
                "y_true [1, 1, 0, 0, 1, 0, 1], y_pred [1, 0, 0, 1, 1, 0, 0]: TP 2, FP 1, FN 2")


@pytest.mark.zh("逐样本计数")
@pytest.mark.parametrize(("n", "size"), [pytest.param(4, 50, id="4-classes-50-samples"),
                                         pytest.param(7, 13, id="7-classes-13-samples"),
                                         pytest.param(2, 1, id="2-classes-1-sample")])
def test_confusion_matrix_counts(sub, rng, n, size):
    yt, yp = rng.integers(0, n, size=size), rng.integers(0, n, size=size)
    _expect_counts(sub(yt, yp, n), _count_by_loop(yt, yp, n),
                   t(f"{size} samples, {n} classes (rows = truth, columns = prediction)",
                     f"{size} 个样本，{n} 个类别（行是真实值，列是预测值）"))


@pytest.mark.zh("从未出现的类别仍占一行一列")
def test_unseen_classes_keep_their_row_and_column(sub):
    yt, yp = np.array([0, 1, 2, 1, 0]), np.array([1, 1, 2, 0, 0])
    _expect_counts(sub(yt, yp, 5), _count_by_loop(yt, yp, 5),
                   t("y_true [0, 1, 2, 1, 0], y_pred [1, 1, 2, 0, 0], n_classes=5 (classes 3 and 4 never occur)",
                     "y_true [0, 1, 2, 1, 0]，y_pred [1, 1, 2, 0, 0]，n_classes=5（类别 3、4 从未出现）"))


@pytest.mark.zh("0/0 记为 0")
def test_zero_division_gives_zero(sub):
    yt, yp = np.array([0, 0, 1, 1]), np.array([0, 0, 0, 0])
    ctx = t("y_true [0, 0, 1, 1], y_pred all 0, 3 classes (class 1 never predicted, class 2 never seen)",
            "y_true [0, 0, 1, 1]，y_pred 全为 0，3 个类别（类别 1 从未被预测，类别 2 从未出现）")
    _expect_prf(sub, yt, yp, 3, "macro", ((0.5 + 0 + 0) / 3, (1 + 0 + 0) / 3, (2 * 0.5 / 1.5) / 3), ctx)
    _expect_prf(sub, yt, yp, 2, "binary", (0.0, 0.0, 0.0),
                t("y_true [0, 0, 1, 1], y_pred all 0: binary, no positives predicted",
                  "y_true [0, 0, 1, 1]，y_pred 全为 0：二分类，没有预测为正类的样本"))


@pytest.mark.zh("微平均等于准确率")
def test_micro_equals_accuracy(sub, rng):
    yt, yp = rng.integers(0, 5, size=40), rng.integers(0, 5, size=40)
    acc = float(np.mean(yt == yp))
    _expect_prf(sub, yt, yp, 5, "micro", (acc, acc, acc),
                t(f"40 samples, 5 classes: micro P = R = F1 = accuracy = {acc}",
                  f"40 个样本，5 个类别：微平均 P = R = F1 = 准确率 = {acc}"))


@st.composite
def _cases(draw):
    n = draw(st.integers(2, 8))
    return n, draw(st.integers(1, 60)), draw(st.sampled_from(["binary", "macro", "micro"])), draw(st.integers(0, 2**31))


@pytest.mark.zh("随机标签")
@settings(max_examples=12)
@given(case=_cases())
def test_random_label_sets(sub, ref, case):
    n, size, average, seed = case
    r = np.random.default_rng(seed)
    yt = r.integers(0, n, size=size)
    yp = np.where(r.random(size) < 0.6, yt, r.integers(0, n, size=size))
    ctx = t(f"{size} samples, {n} classes", f"{size} 个样本，{n} 个类别")
    _expect_counts(sub(yt, yp, n), ref(yt, yp, n), ctx)
    _expect_prf(sub, yt, yp, n, average, ref.fn("prf")(yt, yp, n, average), f"{ctx}, average={average}")


def speed_case(rng):
    return (rng.integers(0, 100, size=1_000_000), rng.integers(0, 100, size=1_000_000), 100), {}
