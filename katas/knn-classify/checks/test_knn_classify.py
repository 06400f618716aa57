"""Hidden checks for knn-classify: the worked example, distance ties by training index, vote ties by the smallest
label, Euclidean distance, k = 1 and k = N, labels with gaps, and random data against a plain loop."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from prep.grading.checks import CheckFailed, expect_array, t


def _brute(X_train, y_train, X_test, k):
    """Plain loops: sort (squared distance, index) pairs, count votes, take the smallest label among the most voted."""
    out = []
    for q in X_test.tolist():
        pairs = sorted((sum((a - b) ** 2 for a, b in zip(q, x)), i) for i, x in enumerate(X_train.tolist()))
        votes = {}
        for _, i in pairs[:k]:
            votes[int(y_train[i])] = votes.get(int(y_train[i]), 0) + 1
        top = max(votes.values())
        out.append(min(label for label, c in votes.items() if c == top))
    return np.array(out, dtype=np.int64)


def _expect(sub, X_train, y_train, X_test, k, expected, ctx):
    got = expect_array(sub(X_train, y_train, X_test, k), np.asarray(expected, dtype=np.int64),
                       name=t("predicted labels", "预测标签"), context=ctx, exact=True)
    if got.dtype != np.int64:
        raise CheckFailed(f"{ctx}: " + t(f"the predicted labels should have dtype int64, got {got.dtype}",
                                         f"预测标签的 dtype 应为 int64，实际为 {got.dtype}"))


EX_TRAIN = np.array([[0.0, 2.0], [1.0, 3.0], [3.0, 3.0], [2.0, 2.0], [2.0, 3.0], [0.0, 3.0]])
EX_LABELS = np.array([2, 0, 1, 2, 1, 2])
EX_TEST = np.array([[0.0, 0.0], [2.0, 2.0]])


@pytest.mark.zh("题目中的手算例子")
def test_worked_example(sub):
    _expect(sub, EX_TRAIN, EX_LABELS, EX_TEST, 3, [2, 0], t("the statement's example, k=3", "题目中的例子，k=3"))


@pytest.mark.zh("距离相等时下标小的优先")
def test_distance_tie_lower_index_first(sub):
    # the query sits at the same distance from rows 1 and 3; with k = 2 only row 1 may join row 0
    X_train = np.array([[0.0, 0.0], [2.0, 0.0], [9.0, 9.0], [0.0, 2.0]])
    y_train = np.array([4, 1, 4, 3])
    X_test = np.array([[0.0, 0.0], [1.0, 1.0]])
    ctx = t("rows 1 and 3 equally far from each query, k=2", "第 1 行和第 3 行到查询点的距离相等，k=2")
    _expect(sub, X_train, y_train, X_test, 2, [1, 1], ctx)
    # identical training rows with different labels (non-integer coordinates): the first copy is nearer
    X_dup = np.array([[0.3, -1.7], [5.1, 2.2], [0.3, -1.7], [0.3, -1.7]])
    y_dup = np.array([6, 2, 5, 0])
    ctx = t("rows 0, 2 and 3 identical with labels 6, 5, 0", "第 0、2、3 行完全相同，标签为 6、5、0")
    _expect(sub, X_dup, y_dup, np.array([[0.25, -1.5], [4.0, 1.0]]), 1, [6, 2], ctx + ", k=1")
    _expect(sub, X_dup, y_dup, np.array([[0.25, -1.5]]), 2, [5], ctx + ", k=2")


@pytest.mark.zh("大量距离相等：只按下标")
def test_many_distance_ties(sub):
    # training points on the even grid {-4, -2, 0, 2, 4}^2 in a scrambled order, each with its own label; every
    # query at odd coordinates has 1, 2 or 4 training points at the same smallest distance, so any order of equal
    # distances other than the training index (an unstable sort, argpartition) changes some prediction
    grid = np.array([(a, b) for a in range(-4, 5, 2) for b in range(-4, 5, 2)], dtype=np.float64)
    perm = np.array([7, 19, 3, 24, 11, 0, 15, 21, 5, 9, 13, 2, 18, 22, 6, 1, 14, 23, 10, 4, 17, 8, 20, 12, 16])
    X_train = grid[perm]
    y_train = np.array([12, 3, 20, 7, 0, 16, 9, 24, 5, 14, 1, 22, 11, 18, 6, 2, 21, 8, 13, 23, 4, 19, 10, 15, 17])
    X_test = np.array([(a, b) for a in range(-5, 6, 2) for b in range(-3, 4, 2)], dtype=np.float64)
    for k in (1, 2, 3):
        ctx = t("25 grid points with distinct labels, 24 queries, each with 1 to 4 equally near points",
                "25 个网格点、标签各不相同，24 个查询点，每个都有 1 到 4 个距离相等的最近点") + f", k={k}"
        _expect(sub, X_train, y_train, X_test, k, _brute(X_train, y_train, X_test, k), ctx)


@pytest.mark.zh("票数相同时取最小标签")
def test_vote_tie_smallest_label(sub):
    # the nearest neighbour has label 5; labels 5 and 2 get two votes each; 2 must win
    X_train = np.array([[0.0], [1.0], [-2.0], [3.0], [10.0]])
    y_train = np.array([5, 2, 5, 2, 0])
    ctx = t("x_train [0, 1, -2, 3, 10], labels [5, 2, 5, 2, 0], query 0, k=4: labels 5 and 2 tie",
            "x_train [0, 1, -2, 3, 10]，标签 [5, 2, 5, 2, 0]，查询点 0，k=4：标签 5 与 2 平票")
    _expect(sub, X_train, y_train, np.array([[0.0]]), 4, [2], ctx)
    # three-way tie at k = 3 (one vote each): the nearest has label 9, the smallest label is 1
    ctx = t("x_train [0, 1, 2, 7], labels [4, 9, 1, 4], query 0.9, k=3: labels 9, 4, 1 get one vote each",
            "x_train [0, 1, 2, 7]，标签 [4, 9, 1, 4]，查询点 0.9，k=3：标签 9、4、1 各得一票")
    _expect(sub, np.array([[0.0], [1.0], [2.0], [7.0]]), np.array([4, 9, 1, 4]), np.array([[0.9]]), 3, [1], ctx)


@pytest.mark.zh("欧氏距离")
def test_euclidean_not_manhattan(sub):
    # L1 says (2.5, 2.5) is farther than (4, 0); L2 says it is nearer
    X_train = np.array([[4.0, 0.0], [2.5, 2.5], [-6.0, 0.0]])
    y_train = np.array([1, 0, 1])
    ctx = t("query (0, 0): (2.5, 2.5) at L2 3.54 is nearer than (4, 0), though its L1 distance 5 is larger",
            "查询点 (0, 0)：(2.5, 2.5) 的 L2 距离 3.54 比 (4, 0) 近，尽管 L1 距离 5 更大")
    _expect(sub, X_train, y_train, np.array([[0.0, 0.0]]), 1, [0], ctx + ", k=1")
    _expect(sub, X_train, y_train, np.array([[0.0, 0.0], [3.0, 3.0]]), 1, [0, 0], ctx + ", k=1, 2 queries")


@pytest.mark.zh("k = 1 与 k = N")
def test_k_one_and_k_all(sub):
    X_train = np.array([[1.0, 0.0, 2.0], [3.0, 1.0, 0.0], [0.0, 0.0, 0.0], [2.0, 2.0, 2.0], [5.0, 4.0, 1.0]])
    y_train = np.array([3, 8, 3, 8, 1])
    # a query equal to a training row: k = 1 returns that row's label
    _expect(sub, X_train, y_train, X_train, 1, y_train, t("queries = training rows, k=1", "查询点即训练样本，k=1"))
    X_test = np.array([[9.0, 9.0, 9.0], [0.0, 1.0, 0.0]])
    _expect(sub, X_train, y_train, X_test, 5, [3, 3],
            t("k = N = 5: labels 3 and 8 tie at 2 votes each, 3 wins", "k = N = 5：标签 3 和 8 各 2 票，取 3"))
    _expect(sub, X_train, y_train[[0, 1, 2, 3, 3]], X_test, 5, [8, 8],
            t("k = N = 5: label 8 has 3 votes", "k = N = 5：标签 8 有 3 票"))


def _random_case(r, n, m, d, integer):
    if integer:  # small integers: many exact distance ties, computed exactly by any method
        return (r.integers(-3, 4, size=(n, d)).astype(np.float64), r.choice([0, 3, 4, 9], size=n),
                r.integers(-3, 4, size=(m, d)).astype(np.float64))
    return r.normal(size=(n, d)) * 3.0, r.choice([1, 2, 6], size=n), r.normal(size=(m, d)) * 3.0


@pytest.mark.zh("与逐点循环一致")
@pytest.mark.parametrize(("n", "m", "d", "k", "integer"), [
    pytest.param(30, 7, 4, 5, False, id="N=30-M=7-D=4-k=5"),
    pytest.param(17, 11, 2, 4, True, id="N=17-M=11-D=2-k=4-integer-ties"),
    pytest.param(9, 25, 6, 2, True, id="N=9-M=25-D=6-k=2-integer-ties"),
    pytest.param(50, 3, 1, 8, True, id="N=50-M=3-D=1-k=8-integer-ties"),
])
def test_matches_loop(sub, rng, n, m, d, k, integer):
    X_train, y_train, X_test = _random_case(rng, n, m, d, integer)
    ctx = f"X_train {X_train.shape}, X_test {X_test.shape}, k={k}"
    _expect(sub, X_train, y_train, X_test, k, _brute(X_train, y_train, X_test, k), ctx)


@st.composite
def cases(draw):
    n = draw(st.integers(1, 30))
    return n, draw(st.integers(1, 8)), draw(st.integers(1, 5)), draw(st.integers(1, n)), draw(st.booleans()), \
        draw(st.integers(0, 2**31))


@pytest.mark.zh("随机用例")
@settings(max_examples=15)
@given(c=cases())
def test_random_cases(sub, c):
    n, m, d, k, integer, seed = c
    X_train, y_train, X_test = _random_case(np.random.default_rng(seed), n, m, d, integer)
    ctx = f"X_train {X_train.shape}, X_test {X_test.shape}, k={k}, seed {seed}"
    _expect(sub, X_train, y_train, X_test, k, _brute(X_train, y_train, X_test, k), ctx)


def speed_case(rng):
    return (rng.normal(size=(2000, 16)), rng.integers(0, 5, size=2000), rng.normal(size=(300, 16)), 7), {}
