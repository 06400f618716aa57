"""Hidden checks for the confusion matrix and P/R/F1: hand values, counting by loops, zero division, identities."""

import numpy as np
from hypothesis import strategies as st

from prep.grading.checks import CheckFailed, expect_array, expect_number, expect_tuple, for_all


def _prf(sub, yt, yp, n, average, context):
    got = expect_tuple(sub.fn("prf")(yt, yp, n, average), ("precision", "recall", "f1"), context=context)
    return got


def _expect_prf(sub, yt, yp, n, average, expected, context):
    for name, g, e in zip(("precision", "recall", "f1"), _prf(sub, yt, yp, n, average, context), expected):
        expect_number(g, e, name=name, context=context)


def _count_by_loop(yt, yp, n):
    cm = [[0] * n for _ in range(n)]
    for t, p in zip(yt.tolist(), yp.tolist()):
        cm[t][p] += 1
    return np.array(cm, dtype=np.int64)


def check_hand_computed_example(sub):
    yt, yp = np.array([0, 0, 1, 1, 1, 2, 2, 2]), np.array([0, 1, 1, 1, 2, 2, 0, 1])
    ctx = "y_true [0, 0, 1, 1, 1, 2, 2, 2], y_pred [0, 1, 1, 1, 2, 2, 0, 1]"
    expect_array(sub(yt, yp, 3), np.array([[1, 1, 0], [0, 2, 1], [1, 1, 1]]), name="confusion matrix",
                 context=ctx + " (rows = truth, columns = prediction)", exact=True, dtype=np.int64)
    f1s = (0.5, 2 * 0.5 * (2 / 3) / (0.5 + 2 / 3), 2 * 0.5 * (1 / 3) / (0.5 + 1 / 3))
    _expect_prf(sub, yt, yp, 3, "macro", (0.5, (0.5 + 2 / 3 + 1 / 3) / 3, sum(f1s) / 3),
                ctx + ", macro (F1 = mean of per-class F1s)")
    _expect_prf(sub, yt, yp, 3, "micro", (0.5, 0.5, 0.5), ctx + ", micro")


def check_binary_positive_class(sub):
    yt, yp = np.array([1, 1, 0, 0, 1, 0, 1]), np.array([1, 0, 0, 1, 1, 0, 0])
    _expect_prf(sub, yt, yp, 2, "binary", (2 / 3, 0.5, 2 * (2 / 3) * 0.5 / (2 / 3 + 0.5)),
                "y_true [1, 1, 0, 0, 1, 0, 1], y_pred [1, 0, 0, 1, 1, 0, 0]: TP 2, FP 1, FN 2")


def check_confusion_matrix_counts(sub, rng):
    for n, size in ((4, 50), (7, 13), (2, 1)):
        yt, yp = rng.integers(0, n, size=size), rng.integers(0, n, size=size)
        expect_array(sub(yt, yp, n), _count_by_loop(yt, yp, n), name="confusion matrix", exact=True,
                     dtype=np.int64, context=f"{size} samples, {n} classes (rows = truth, columns = prediction)")


def check_zero_division_gives_zero(sub):
    yt, yp = np.array([0, 0, 1, 1]), np.array([0, 0, 0, 0])
    ctx = "y_true [0, 0, 1, 1], y_pred all 0, 3 classes (class 1 never predicted, class 2 never seen)"
    _expect_prf(sub, yt, yp, 3, "macro", ((0.5 + 0 + 0) / 3, (1 + 0 + 0) / 3, (2 * 0.5 / 1.5) / 3), ctx)
    _expect_prf(sub, yt, yp, 2, "binary", (0.0, 0.0, 0.0), "y_true [0, 0, 1, 1], y_pred all 0: binary, no positives")
    for name, g in zip(("precision", "recall", "f1"), _prf(sub, yt, yp, 3, "macro", ctx)):
        if not np.isfinite(float(g)):
            raise CheckFailed(f"{ctx}: {name} is {g}; 0/0 must count as 0.0")


def check_micro_equals_accuracy(sub, rng):
    yt, yp = rng.integers(0, 5, size=40), rng.integers(0, 5, size=40)
    acc = float(np.mean(yt == yp))
    _expect_prf(sub, yt, yp, 5, "micro", (acc, acc, acc), f"40 samples, 5 classes: micro P = R = F1 = accuracy = {acc}")


@st.composite
def _cases(draw):
    n = draw(st.integers(2, 8))
    return n, draw(st.integers(1, 60)), draw(st.sampled_from(["binary", "macro", "micro"])), draw(st.integers(0, 2**31))


def check_random_label_sets(sub, ref, rng):
    def case(c):
        n, size, average, seed = c
        r = np.random.default_rng(seed)
        yt = r.integers(0, n, size=size)
        yp = np.where(r.random(size) < 0.6, yt, r.integers(0, n, size=size))
        ctx = f"{size} samples, {n} classes"
        expect_array(sub(yt, yp, n), ref(yt, yp, n), name="confusion matrix", exact=True, context=ctx)
        _expect_prf(sub, yt, yp, n, average, ref.fn("prf")(yt, yp, n, average), f"{ctx}, average={average}")

    for_all(rng, _cases(), case, examples=12)


def speed_case(rng):
    return (rng.integers(0, 100, size=1_000_000), rng.integers(0, 100, size=1_000_000), 100), {}
