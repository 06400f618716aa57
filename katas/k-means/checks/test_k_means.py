"""Hidden checks for k-means: Lloyd iterations against a loop-by-loop definition, exact ties (lowest index),
empty clusters (keep their centre), labels against the final centres, inertia, float32."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from prep.grading.checks import expect_array, expect_number, expect_tuple, t

OUT = ("centres", "labels", "inertia")


def _lloyd(X, centres, n_iter):
    """The definition with plain loops: strict < keeps the lowest index on ties; empty clusters stay put."""
    c = [list(map(float, row)) for row in centres]
    pts = [list(map(float, row)) for row in X]

    def nearest(p):
        best, arg = None, 0
        for k, ck in enumerate(c):
            dist = sum((a - b) ** 2 for a, b in zip(p, ck))
            if best is None or dist < best:
                best, arg = dist, k
        return arg, best

    for _ in range(n_iter):
        labels = [nearest(p)[0] for p in pts]
        for k in range(len(c)):
            members = [p for p, lab in zip(pts, labels) if lab == k]
            if members:
                c[k] = [sum(col) / len(members) for col in zip(*members)]
    final = [nearest(p) for p in pts]
    return np.array(c), np.array([f[0] for f in final]), float(sum(f[1] for f in final))


def _blobs(rng, n, d, k, spread=1.0, offset=0.0):
    means = rng.standard_normal((k, d)) * 4 + offset
    X = means[rng.integers(0, k, n)] + spread * rng.standard_normal((n, d))
    init = X[rng.choice(n, size=k, replace=False)] + 0.1 * rng.standard_normal((k, d))
    return X, init


def _expect(got, expected, ctx, scale=1.0):
    c, labels, inertia = expect_tuple(got, OUT, context=ctx)
    expect_array(c, expected[0], name="centres", context=ctx, atol=1e-10 * scale)
    expect_array(labels, expected[1], name="labels", context=ctx, exact=True)
    expect_number(inertia, expected[2], name="inertia", context=ctx, atol=1e-10 * scale**2)


@pytest.mark.zh("题目中的手算例子")
def test_worked_example(sub):
    X = np.array([[0.0, 0.0], [1.0, 0.0], [4.0, 0.0], [5.0, 0.0], [2.5, 0.0]])
    C = np.array([[0.0, 0.0], [5.0, 0.0], [20.0, 0.0]])
    ctx = "X [[0, 0], [1, 0], [4, 0], [5, 0], [2.5, 0]], centres [[0, 0], [5, 0], [20, 0]], n_iter=2"
    expected = (np.array([[3.5 / 3, 0.0], [4.5, 0.0], [20.0, 0.0]]), np.array([0, 0, 1, 1, 0]), 11 / 3)
    _expect(sub(X, C, 2), expected, ctx)


@pytest.mark.zh("与逐点循环的定义一致")
@pytest.mark.parametrize(("n", "d", "k", "n_iter"), [
    pytest.param(40, 2, 3, 5, id="N=40-D=2-K=3-iter=5"),
    pytest.param(25, 4, 6, 3, id="N=25-D=4-K=6-iter=3"),
    pytest.param(60, 3, 2, 10, id="N=60-D=3-K=2-iter=10"),
    pytest.param(9, 1, 4, 2, id="N=9-D=1-K=4-iter=2"),
    pytest.param(30, 5, 1, 4, id="K=1"),
])
def test_matches_the_definition(sub, rng, n, d, k, n_iter):
    X, init = _blobs(rng, n, d, k, spread=1.5, offset=3.0)
    ctx = f"X {X.shape}, K={k}, n_iter={n_iter}"
    _expect(sub(X, init, n_iter), _lloyd(X, init, n_iter), ctx, scale=10.0)


@pytest.mark.zh("n_iter=0：不更新中心，只分配")
def test_zero_iterations(sub, rng):
    X, init = _blobs(rng, 12, 3, 4)
    ctx = "X (12, 3), K=4, n_iter=0"
    _expect(sub(X, init, 0), _lloyd(X, init, 0), ctx, scale=10.0)


@pytest.mark.zh("标签按最终的中心分配")
def test_labels_use_the_final_centres(sub):
    """After one update the point at 2 is nearer the new centre 0.5 than 6: it was in cluster 1 before."""
    X = np.array([[0.0], [1.0], [2.0], [10.0]])
    C = np.array([[0.0], [2.0]])
    ctx = "X [[0], [1], [2], [10]], centres [[0], [2]], n_iter=1"
    _expect(sub(X, C, 1), (np.array([[0.5], [6.0]]), np.array([0, 0, 0, 1]), 0.25 + 0.25 + 2.25 + 16.0), ctx)


@pytest.mark.zh("距离相等时归入下标最小的中心")
@pytest.mark.parametrize(("centres", "n_iter", "expected"), [
    pytest.param([[0.0, 0.0], [2.0, 0.0]], 0, ([[0.0, 0.0], [2.0, 0.0]], [0, 0, 1], 2.0), id="tie-to-centre-0"),
    pytest.param([[2.0, 0.0], [0.0, 0.0]], 0, ([[2.0, 0.0], [0.0, 0.0]], [0, 1, 0], 2.0), id="reversed-centres"),
    pytest.param([[0.0, 0.0], [2.0, 0.0]], 1, ([[0.5, 0.0], [3.0, 0.0]], [0, 0, 1], 0.5), id="tie-then-update"),
])
def test_ties_go_to_the_lowest_index(sub, centres, n_iter, expected):
    X = np.array([[1.0, 0.0], [0.0, 0.0], [3.0, 0.0]])
    C = np.array(centres)
    ctx = t("X [[1, 0], [0, 0], [3, 0]] (the first point is equidistant)",
            "X [[1, 0], [0, 0], [3, 0]]（第一个点到两个中心距离相等）") + f", centres {centres}, n_iter={n_iter}"
    _expect(sub(X, C, n_iter), (np.array(expected[0]), np.array(expected[1]), expected[2]), ctx)


@pytest.mark.zh("空簇保持原来的中心")
def test_empty_cluster_keeps_its_centre(sub, rng):
    X = rng.standard_normal((15, 2))
    C = np.array([[0.5, 0.5], [-3.0, 7.0], [-0.5, -0.5]])
    ctx = t("X (15, 2) near the origin, centre 1 at (-3, 7) gets no points, n_iter=3",
            "X (15, 2) 在原点附近，中心 1 位于 (-3, 7)，分不到任何点，n_iter=3")
    got = sub(X, C, 3)
    _expect(got, _lloyd(X, C, 3), ctx)


@pytest.mark.zh("重复的初始中心：后一个在第一次更新时是空簇")
@pytest.mark.parametrize("n_iter", [pytest.param(1, id="n_iter=1"), pytest.param(4, id="n_iter=4")])
def test_duplicate_initial_centres(sub, rng, n_iter):
    """Every tie goes to centre 0, so centre 1 is empty in the first update and stays at (1, 1)."""
    X = np.vstack([rng.standard_normal((8, 2)) * 0.5 + 1.0, rng.standard_normal((6, 2)) * 0.5 + 6.0])
    C = np.array([[1.0, 1.0], [1.0, 1.0], [6.0, 6.0]])
    ctx = t("centres 0 and 1 identical at (1, 1)", "中心 0 和 1 相同，都在 (1, 1)") + f", n_iter={n_iter}"
    _expect(sub(X, C, n_iter), _lloyd(X, C, n_iter), ctx, scale=10.0)


@pytest.mark.zh("移动过之后才变空的簇停在当前位置")
def test_cluster_emptied_after_moving_stays_where_it_is(sub):
    """Centre 2 moves from 19 to 15.5 in iteration 1 and gets no points in iteration 2: it stays at 15.5.

    Iteration 1: labels [0, 2, 2, 1], centres [9, 20, 15.5]; iteration 2: labels [0, 0, 1, 1], centres
    [10.5, 19.5, 15.5]. Going back to the initial 19 instead would also take the point 19 (label 2)."""
    X = np.array([[9.0], [12.0], [19.0], [20.0]])
    C = np.array([[3.0], [20.0], [19.0]])
    ctx = t("X [[9], [12], [19], [20]], centres [[3], [20], [19]], n_iter=2 (centre 2 moves to 15.5, then "
            "gets no points)", "X [[9], [12], [19], [20]]，中心 [[3], [20], [19]]，n_iter=2（中心 2 先移到 15.5，"
            "之后分不到任何点）")
    _expect(sub(X, C, 2), (np.array([[10.5], [19.5], [15.5]]), np.array([0, 0, 1, 1]), 5.0), ctx)


@pytest.mark.zh("收敛后是不动点，惯性不增")
def test_convergence_and_monotone_inertia(sub, rng):
    X, init = _blobs(rng, 50, 2, 4, spread=2.0)
    ctx = "X (50, 2), K=4"
    previous = np.inf
    for n_iter in (0, 1, 2, 3):
        c, labels, inertia = expect_tuple(sub(X, init, n_iter), OUT, context=ctx + f", n_iter={n_iter}")
        inertia = expect_number(inertia, 0.0, name="inertia", context=ctx + f", n_iter={n_iter}", atol=1e300)
        assert inertia <= previous + 1e-9, t(f"inertia went up from {previous} to {inertia} at n_iter={n_iter}",
                                             f"n_iter={n_iter} 时惯性从 {previous} 升到了 {inertia}")
        previous = inertia
    ctx += ", n_iter=100"
    c, labels, inertia = expect_tuple(sub(X, init, 100), OUT, context=ctx)
    _expect((c, labels, inertia), _lloyd(X, init, 100), ctx, scale=10.0)


@pytest.mark.zh("float32 输入得到 float32 中心")
def test_float32_stays_float32(sub, rng):
    X, init = (a.astype(np.float32) for a in _blobs(rng, 30, 3, 3))
    ctx = t("float32 inputs", "float32 输入") + ", X (30, 3), K=3, n_iter=4"
    c, labels, inertia = expect_tuple(sub(X, init, 4), OUT, context=ctx)
    ec, el, ei = _lloyd(X.astype(np.float64), init.astype(np.float64), 4)
    expect_array(c, ec.astype(np.float32), name="centres", context=ctx, dtype=np.float32, atol=1e-5)
    expect_array(labels, el, name="labels", context=ctx, exact=True)
    expect_number(inertia, ei, name="inertia", context=ctx, rtol=1e-4, atol=1e-4)


@st.composite
def cases(draw):
    k = draw(st.integers(1, 6))
    return (draw(st.integers(k, 40)), draw(st.integers(1, 4)), k, draw(st.integers(0, 6)),
            draw(st.sampled_from([0.3, 1.0, 3.0])), draw(st.integers(0, 2**31)))


@pytest.mark.zh("随机用例")
@settings(max_examples=10)
@given(c=cases())
def test_random_cases(sub, c):
    n, d, k, n_iter, spread, seed = c
    r = np.random.default_rng(seed)
    X, init = _blobs(r, n, d, k, spread=spread)
    ctx = f"X {X.shape}, K={k}, n_iter={n_iter}"
    _expect(sub(X, init, n_iter), _lloyd(X, init, n_iter), ctx, scale=10.0)


def speed_case(rng):
    X, init = _blobs(rng, 5000, 8, 10)
    return (X, init, 20), {}
