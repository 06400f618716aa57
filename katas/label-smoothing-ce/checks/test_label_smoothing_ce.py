"""Hidden checks for label-smoothing-ce: the definition (PyTorch's label_smoothing), eps at 0, non-default values and 1,
off-target mass eps / K, huge logits and rows at different scales, the gradient (finite differences), float32."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from prep.grading.checks import expect_array, expect_grad, expect_number, expect_tuple, t

NAMES = ("loss", "dlogits")


def _expected(logits, y, eps):
    """Written independently: loss_i = (1 - eps) * nll_i + eps * mean_k(-log p_ik), -log p_ik = lse_i - z_ik."""
    z = logits.astype(np.float64)
    m = z.max(axis=1)
    lse = m + np.log(np.sum(np.exp(z - m[:, None]), axis=1))
    nll = lse - z[np.arange(len(y)), y]
    uniform = lse - z.mean(axis=1)
    loss = float(np.mean((1 - eps) * nll + eps * uniform))
    p = np.exp(z - lse[:, None])
    onehot = np.eye(z.shape[1])[y]
    grad = (p - (1 - eps) * onehot - eps / z.shape[1]) / len(y)
    return loss, grad


def _loss_only(y, eps):
    return lambda v: np.float64(_expected(v, y, eps)[0])


def _run(sub, logits, y, eps, ctx, **kw):
    got = expect_tuple(sub(logits, y, eps=eps), NAMES, context=ctx)
    loss, grad = _expected(logits, y, eps)
    expect_number(got[0], loss, name="loss", context=ctx, **kw)
    return got, grad


@pytest.mark.zh("题目中的手算例子")
@pytest.mark.parametrize(("eps", "loss", "target"), [
    pytest.param(0.3, 0.7076059644443804, [0.8, 0.1, 0.1], id="eps=0.3"),
    pytest.param(0.0, 0.4076059644443804, [1.0, 0.0, 0.0], id="eps=0"),
])
def test_hand_worked_example(sub, eps, loss, target):
    ctx = t("the statement's example", "题目中的例子") + f": logits [[2, 1, 0]], y [0], eps={eps}"
    got = expect_tuple(sub(np.array([[2.0, 1.0, 0.0]]), np.array([0]), eps=eps), NAMES, context=ctx)
    expect_number(got[0], loss, name="loss", context=ctx)
    p = np.exp([2.0, 1.0, 0.0]) / np.sum(np.exp([2.0, 1.0, 0.0]))  # [0.66524096, 0.24472847, 0.09003057]
    expect_array(got[1], np.array([p - np.array(target)]), name="dlogits", context=ctx, atol=1e-12)


# (N, K, eps): sizes differ; eps = 0 is plain cross-entropy, eps = 1 a uniform target
CASES = [
    pytest.param(5, 4, 0.1, id="N=5-K=4-eps=0.1"),
    pytest.param(3, 7, 0.25, id="N=3-K=7-eps=0.25"),
    pytest.param(8, 2, 0.05, id="N=8-K=2-eps=0.05"),
    pytest.param(1, 5, 0.6, id="N=1-K=5-eps=0.6"),
    pytest.param(6, 3, 0.0, id="N=6-K=3-eps=0"),
    pytest.param(4, 6, 1.0, id="N=4-K=6-eps=1"),
]


@pytest.mark.zh("与定义一致")
@pytest.mark.parametrize(("n", "k", "eps"), CASES)
def test_matches_the_definition(sub, rng, n, k, eps):
    logits = rng.standard_normal((n, k)) * 3
    y = rng.integers(0, k, n)
    ctx = f"logits {logits.shape}, eps={eps}"
    got, grad = _run(sub, logits, y, eps, ctx)
    expect_array(got[1], grad, name="dlogits", context=ctx, atol=1e-12)


@pytest.mark.zh("eps 取默认值 0.1")
def test_default_eps(sub, rng):
    logits, y = rng.standard_normal((7, 5)), rng.integers(0, 5, 7)
    ctx = f"logits {logits.shape}, " + t("eps left at its default", "eps 取默认值")
    got = expect_tuple(sub(logits, y), NAMES, context=ctx)
    loss, grad = _expected(logits, y, 0.1)
    expect_number(got[0], loss, name="loss", context=ctx)
    expect_array(got[1], grad, name="dlogits", context=ctx, atol=1e-12)


@pytest.mark.zh("很大的 logits 与尺度差异很大的行")
def test_huge_logits(sub):
    """Gaps of thousands (log(softmax) gives -inf for the smoothed classes), a row near 1e4 next to a row near 1
    (a global instead of a per-row maximum underflows the small row to 0/0)."""
    logits = np.array([[1e4, 0.0, -2e3, 5e3], [0.3, -0.2, 1.1, 0.4], [-800.0, 0.0, 800.0, 1.0],
                       [1e4 + 1.0, 1e4, 1e4 - 3.0, 1e4 + 0.5]])
    y = np.array([1, 2, 0, 3])
    ctx = t("logits up to 1e4 with gaps of thousands, one row near 1", "logits 可达 1e4，差距上千，其中一行约为 1")
    for eps in (0.1, 0.0):
        got, grad = _run(sub, logits, y, eps, ctx + f", eps={eps}")
        expect_array(got[1], grad, name="dlogits", context=ctx + f", eps={eps}", atol=1e-12)


@pytest.mark.zh("梯度与有限差分一致")
@pytest.mark.parametrize(("n", "k", "eps"), [pytest.param(4, 5, 0.2, id="N=4-K=5-eps=0.2"),
                                             pytest.param(6, 3, 0.7, id="N=6-K=3-eps=0.7")])
def test_gradient_finite_differences(sub, rng, n, k, eps):
    logits, y = rng.standard_normal((n, k)) * 2, rng.integers(0, k, n)
    ctx = f"logits {logits.shape}, eps={eps}"
    got = expect_tuple(sub(logits, y, eps=eps), NAMES, context=ctx)
    expect_grad(got[1], _loss_only(y, eps), logits, np.float64(1.0), name="dlogits", rng=rng, context=ctx)
    expect_array(got[1].sum(axis=1), np.zeros(n), context=ctx, atol=1e-12,
                 name=t("row sums of dlogits (should be 0)", "dlogits 的行和（应为 0）"))


@pytest.mark.zh("float32 输入得到 float32 梯度")
def test_float32(sub, rng):
    logits = (rng.standard_normal((6, 4)) * 4).astype(np.float32)
    y = rng.integers(0, 4, 6)
    ctx = t("float32 logits", "float32 的 logits") + f" {logits.shape}, eps=0.15"
    got, grad = _run(sub, logits, y, 0.15, ctx, rtol=1e-5, atol=1e-6)
    expect_array(got[1], grad.astype(np.float32), name="dlogits", context=ctx, dtype=np.float32)


@st.composite
def cases(draw):
    return (draw(st.integers(1, 12)), draw(st.integers(2, 10)), draw(st.sampled_from([0.0, 0.05, 0.1, 0.3, 0.9])),
            10.0 ** draw(st.integers(-1, 3)), draw(st.integers(0, 2**31)))


@pytest.mark.zh("随机用例")
@settings(max_examples=10)
@given(c=cases())
def test_random_cases(sub, c):
    n, k, eps, scale, seed = c
    r = np.random.default_rng(seed)
    logits, y = r.standard_normal((n, k)) * scale, r.integers(0, k, n)
    ctx = f"logits {logits.shape} (scale {scale:g}), eps={eps}"
    got, grad = _run(sub, logits, y, eps, ctx)
    expect_array(got[1], grad, name="dlogits", context=ctx, atol=1e-12)


def speed_case(rng):
    return (rng.standard_normal((512, 1000)), rng.integers(0, 1000, 512)), {"eps": 0.1}
