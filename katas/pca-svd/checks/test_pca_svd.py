"""Hidden checks for pca-svd: components, explained variance (N - 1) and ratio (over the total variance)
against an eigendecomposition of the covariance, the sign convention, centring, float32, properties."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from prep.grading.checks import expect_array, expect_tuple, t

OUT = ("components", "explained_variance", "explained_variance_ratio")


def _orthonormal(rng, rows, cols):
    q, _ = np.linalg.qr(rng.standard_normal((rows, cols)))
    return q


def _data(rng, n, d, rank, scale=1.0, offset=3.0):
    """X = U diag(s) V^T + column means: singular values 10 * 0.7^i * scale (well separated) and components
    whose largest |entry| leads the second largest by at least 0.02 (so the sign rule is never a near tie)."""
    u = rng.standard_normal((n, rank))
    u, _ = np.linalg.qr(u - u.mean(axis=0))
    while True:
        v = _orthonormal(rng, d, rank)
        top = np.sort(np.abs(v), axis=0)
        if d == 1 or np.all(top[-1] - top[-2] > 0.02):
            break
    s = 10.0 * scale * 0.7 ** np.arange(rank)
    return u @ np.diag(s) @ v.T + offset * rng.standard_normal(d)


def _expected(X, k):
    """Eigendecomposition of the sample covariance (independent of the SVD), sorted, signs fixed by a loop."""
    n = X.shape[0]
    xc = X - X.mean(axis=0)
    cov = xc.T @ xc / (n - 1)
    vals, vecs = np.linalg.eigh(cov)
    order = np.argsort(vals)[::-1]
    vals, vecs = np.clip(vals[order], 0.0, None), vecs[:, order]
    comps = []
    for i in range(k):
        c = vecs[:, i]
        j = int(np.argmax(np.abs(c)))
        comps.append(c if c[j] > 0 else -c)
    return np.array(comps), vals[:k], vals[:k] / np.trace(cov)


def _expect(got, expected, ctx, scale=1.0, **kw):
    got = expect_tuple(got, OUT, context=ctx)
    expect_array(got[0], expected[0], name="components", context=ctx, **({"atol": 1e-8} | kw))
    expect_array(got[1], expected[1], name="explained_variance", context=ctx, **({"atol": 1e-9 * scale**2} | kw))
    expect_array(got[2], expected[2], name="explained_variance_ratio", context=ctx, **({"atol": 1e-10} | kw))
    return got


@pytest.mark.zh("题目中的手算例子")
@pytest.mark.parametrize("k", [pytest.param(1, id="k=1"), pytest.param(2, id="k=2")])
def test_worked_example(sub, k):
    X = np.array([[3.0, 0.0], [1.0, 4.0], [-1.0, 2.0], [1.0, -2.0]])
    r = np.sqrt(52.0)
    c1 = np.array([-4.0, 6.0 + r])
    c1 /= np.linalg.norm(c1)
    comps = np.array([c1, [c1[1], -c1[0]]])
    var = np.array([14.0 + r, 14.0 - r]) / 3
    ctx = f"X [[3, 0], [1, 4], [-1, 2], [1, -2]], k={k}"
    _expect(sub(X, k), (comps[:k], var[:k], var[:k] / (28.0 / 3)), ctx, atol=1e-10)


@pytest.mark.zh("与协方差矩阵的特征分解一致")
@pytest.mark.parametrize(("n", "d", "rank", "k"), [
    pytest.param(50, 6, 6, 3, id="N=50-D=6-k=3"),
    pytest.param(9, 12, 8, 4, id="N=9-D=12-k=4-wide"),
    pytest.param(30, 5, 5, 5, id="N=30-D=5-k=D"),
    pytest.param(20, 3, 3, 1, id="N=20-D=3-k=1"),
    pytest.param(40, 7, 4, 4, id="N=40-D=7-rank=4-k=4"),
])
def test_matches_the_covariance_eigendecomposition(sub, rng, n, d, rank, k):
    X = _data(rng, n, d, rank)
    ctx = f"X {X.shape} (rank {rank}), k={k}"
    got = _expect(sub(X, k), _expected(X, k), ctx, scale=10.0)
    # properties: orthonormal rows; the variance of the projections is the explained variance
    comps = got[0]
    expect_array(comps @ comps.T, np.eye(k), name=t("components @ components.T (should be I)",
                                                    "components @ components.T（应为单位阵）"), context=ctx, atol=1e-9)
    proj = (X - X.mean(axis=0)) @ comps.T
    expect_array(proj.var(axis=0, ddof=1), got[1], name=t("variance of the projections",
                                                          "投影后的方差"), context=ctx, atol=1e-8)


@pytest.mark.zh("符号约定：每个主成分绝对值最大的分量为正")
@pytest.mark.parametrize(("seed", "transform"), [
    pytest.param(3, "none", id="X"), pytest.param(3, "negate", id="-X"),
    pytest.param(3, "reverse", id="columns-reversed"), pytest.param(8, "none", id="other-X"),
    pytest.param(8, "negate", id="-other-X"),
])
def test_sign_convention(sub, seed, transform):
    """Whatever sign the SVD returns, -X and X have the same components; reversing the columns reverses them."""
    X = _data(np.random.default_rng(seed), 24, 6, 6)
    if transform == "negate":
        X = -X
    elif transform == "reverse":
        X = X[:, ::-1].copy()
    ctx = f"X (24, 6) [{transform}], k=5"
    got = expect_tuple(sub(X, 5), OUT, context=ctx)
    comps = expect_array(got[0], np.zeros((5, 6)), name="components", context=ctx, rtol=0.0, atol=1e300)
    # the rule itself first (its own message), then the values: the SVD returns either sign, and with X and
    # -X both here (same components) a routine whose signs follow the data's sign violates the rule in one
    biggest = np.round(comps[np.arange(5), np.argmax(np.abs(comps), axis=1)], 4).tolist()
    assert min(biggest) > 0, t(f"{ctx}: the largest-|value| entries of the components are {biggest}; "
                               "each should be positive", f"{ctx}：各主成分绝对值最大的分量为 {biggest}，都应为正")
    _expect(got, _expected(X, 5), ctx, scale=10.0)


@pytest.mark.zh("先中心化：大的列均值")
def test_large_column_means(sub, rng):
    X = _data(rng, 25, 4, 4, offset=0.0) + np.array([1e4, -3e3, 5e2, 2e4])
    ctx = t("X (25, 4) with column means up to 2e4, k=2", "X (25, 4)，列均值最大到 2e4，k=2")
    _expect(sub(X, 2), _expected(X, 2), ctx, scale=10.0, atol=1e-7)


@pytest.mark.zh("float32 输入得到 float32 输出")
def test_float32_stays_float32(sub, rng):
    X = _data(rng, 30, 5, 5).astype(np.float32)
    ctx = t("float32 input", "float32 输入") + ", X (30, 5), k=3"
    e = _expected(X.astype(np.float64), 3)
    got = expect_tuple(sub(X, 3), OUT, context=ctx)
    expect_array(got[0], e[0].astype(np.float32), name="components", context=ctx, dtype=np.float32, atol=1e-4)
    expect_array(got[1], e[1].astype(np.float32), name="explained_variance", context=ctx, dtype=np.float32,
                 rtol=1e-4, atol=1e-4)
    expect_array(got[2], e[2].astype(np.float32), name="explained_variance_ratio", context=ctx, dtype=np.float32,
                 atol=1e-5)


@st.composite
def cases(draw):
    d = draw(st.integers(1, 8))
    n = draw(st.integers(2, 40))
    rank = draw(st.integers(1, min(n - 1, d)))
    return n, d, rank, draw(st.integers(1, rank)), draw(st.sampled_from([1e-3, 1.0, 1e3])), draw(st.integers(0, 2**31))


@pytest.mark.zh("随机用例")
@settings(max_examples=10)
@given(c=cases())
def test_random_cases(sub, c):
    n, d, rank, k, scale, seed = c
    X = _data(np.random.default_rng(seed), n, d, rank, scale=scale, offset=3.0 * scale)
    ctx = f"X {X.shape} (rank {rank}, scale {scale}), k={k}"
    _expect(sub(X, k), _expected(X, k), ctx, scale=10.0 * scale)


def speed_case(rng):
    return (_data(rng, 2000, 60, 60), 10), {}
