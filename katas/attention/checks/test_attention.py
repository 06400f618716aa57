"""Hidden checks for attention: the definition by loops, the 1/sqrt(d) scale, masks of every shape and polarity,
causal masks, huge logits, masks that must win whatever the scores, leading axes, dtypes."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from prep.grading.checks import CheckFailed, expect_array, expect_tuple, t


def _call(impl, q, k, v, mask, context):
    args = (q, k, v) if mask is None else (q, k, v, mask)
    return expect_tuple(impl(*args), ("out", "weights"), context=context)


def _same(sub, ref, q, k, v, mask, context, **tol):
    out, weights = _call(sub, q, k, v, mask, context)
    out_ref, weights_ref = ref(q, k, v) if mask is None else ref(q, k, v, mask)
    expect_array(weights, weights_ref, name="weights", context=context, **tol)
    expect_array(out, out_ref, name="out", context=context, **tol)
    return out, weights


def _loops(q, k, v, mask):
    """Attention for one (Lq, d) block, written out scalar by scalar."""
    lq, d = q.shape
    lk = k.shape[0]
    weights = np.zeros((lq, lk))
    for i in range(lq):
        scores = [sum(q[i, t] * k[j, t] for t in range(d)) / math.sqrt(d) for j in range(lk)]
        allowed = [j for j in range(lk) if mask is None or mask[i, j]]
        top = max(scores[j] for j in allowed)
        z = sum(math.exp(scores[j] - top) for j in allowed)
        for j in allowed:
            weights[i, j] = math.exp(scores[j] - top) / z
    return weights @ v, weights


@pytest.mark.zh("题目中的例子")
def test_hand_computed_example(sub):
    q, k = np.array([[1.0, 0.0], [0.0, 2.0]]), np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    v = np.array([[1.0, 0.0], [0.0, 1.0], [2.0, 2.0]])
    a = math.exp(1 / math.sqrt(2))
    ctx = t("the example of the statement, no mask", "题目中的例子，无掩码")
    out, weights = _call(sub, q, k, v, None, ctx)
    expect_array(weights[0], np.array([a, 1.0, a]) / (2 * a + 1), name="weights[0]", context=ctx)
    expect_array(out[0], np.array([3 * a, 1 + 2 * a]) / (2 * a + 1), name="out[0]", context=ctx)
    mask = np.array([[True, False, False], [True, True, False]])
    ctx = t("the example of the statement, mask [[T, F, F], [T, T, F]]", "题目中的例子，掩码 [[T, F, F], [T, T, F]]")
    out, weights = _call(sub, q, k, v, mask, ctx)
    e = math.exp(2 / math.sqrt(2))
    expect_array(weights, np.array([[1.0, 0.0, 0.0], [1 / (1 + e), e / (1 + e), 0.0]]), name="weights", context=ctx)
    expect_array(out[0], np.array([1.0, 0.0]), name="out[0]", context=ctx)


@pytest.mark.zh("与逐元素循环的定义一致")
@pytest.mark.parametrize("masked", [pytest.param(False, id="no-mask"), pytest.param(True, id="random-mask")])
@pytest.mark.parametrize(("lq", "lk", "d", "dv"), [pytest.param(3, 5, 4, 2, id="Lq=3-Lk=5-d=4-dv=2"),
                                                   pytest.param(4, 2, 3, 6, id="Lq=4-Lk=2-d=3-dv=6")])
def test_matches_the_definition(sub, rng, lq, lk, d, dv, masked):
    q, k, v = rng.standard_normal((lq, d)), rng.standard_normal((lk, d)), rng.standard_normal((lk, dv))
    mask = None
    if masked:
        mask = rng.random((lq, lk)) < 0.6
        mask[np.arange(lq), rng.integers(0, lk, size=lq)] = True
    kind = t("no mask", "无掩码") if mask is None else t("random mask", "随机掩码")
    ctx = f"Lq={lq}, Lk={lk}, d={d}, dv={dv}, {kind}"
    out_loop, w_loop = _loops(q, k, v, mask)
    out, weights = _call(sub, q, k, v, mask, ctx)
    expect_array(weights, w_loop, name="weights", context=ctx)
    expect_array(out, out_loop, name="out", context=ctx)


@pytest.mark.zh("除以 sqrt(d)")
def test_scale_by_sqrt_d(sub, ref, rng):
    d = 64
    q, k, v = rng.standard_normal((2, 5, d)), rng.standard_normal((2, 7, d)), rng.standard_normal((2, 7, 3))
    _same(sub, ref, q, k, v, None, t(f"d={d}: scores are divided by sqrt({d}) = 8", f"d={d}：分数要除以 sqrt({d}) = 8"))


@pytest.mark.zh("掩码的广播与方向")
def test_masks_broadcast_and_polarity(sub, ref, rng):
    b, h, lq, lk, d = 2, 3, 4, 6, 5
    q, k, v = (rng.standard_normal((b, h, lq, d)), rng.standard_normal((b, h, lk, d)),
               rng.standard_normal((b, h, lk, 2)))
    pad = np.ones((b, 1, lq, lk), dtype=bool)
    pad[0, :, :, 4:] = False  # the first sequence has 4 real keys
    pad[1, :, :, 5:] = False
    _, weights = _same(sub, ref, q, k, v, pad, t("(B, 1, Lq, Lk) padding mask, True = may attend",
                                                 "(B, 1, Lq, Lk) 填充掩码，True 表示可以关注"))
    if np.any(np.asarray(weights)[0, :, :, 4:] != 0.0):
        raise CheckFailed(t("a padding mask with False on keys 4 and 5: those keys must get weight exactly 0 "
                            "(True means 'may attend')",
                            "填充掩码在键 4 和 5 上为 False：这些键的权重必须恰好为 0（True 表示「可以关注」）"))
    causal = np.tril(np.ones((lq, lk), dtype=bool))
    _same(sub, ref, q, k, v, causal, t("(Lq, Lk) causal mask j <= i, broadcast over batch and heads",
                                       "(Lq, Lk) 因果掩码 j <= i，广播到批次和各个头"))


@pytest.mark.zh("因果自注意力")
def test_causal_self_attention(sub, ref, rng):
    L, d = 6, 8
    x = rng.standard_normal((3, L, d))
    causal = np.tril(np.ones((L, L), dtype=bool))
    ctx = t("self-attention q = k = v, causal (L, L) mask", "自注意力 q = k = v，因果 (L, L) 掩码")
    _, weights = _same(sub, ref, x, x, x, causal, ctx)
    w = np.asarray(weights)
    if np.any(np.triu(np.ones((L, L), dtype=bool), 1) & (w[0] != 0)):
        raise CheckFailed(t("causal mask: a query attended to a later position", "因果掩码：某个查询关注了后面的位置"))
    expect_array(w.sum(axis=-1), np.ones((3, L)), name=t("row sums of weights", "weights 的行和"),
                 context=t("causal self-attention", "因果自注意力"))


@pytest.mark.zh("很大的分数")
def test_huge_logits(sub, ref, rng):
    q, k, v = rng.standard_normal((3, 4)) * 60, rng.standard_normal((5, 4)) * 60, rng.standard_normal((5, 3))
    _same(sub, ref, q, k, v, None, t("q, k scaled by 60: scores reach ~1e3 (exp overflows without a max shift)",
                                     "q、k 乘以 60：分数可达约 1e3（不减最大值 exp 会溢出）"))


@pytest.mark.zh("各行尺度差别很大")
def test_rows_at_different_scales(sub, ref, rng):
    q = rng.standard_normal((2, 3, 6)) * np.array([1.0, 30.0, 1000.0])[:, None]
    k, v = rng.standard_normal((2, 5, 6)), rng.standard_normal((2, 5, 4))
    mask = np.ones((3, 5), dtype=bool)
    mask[0, 1] = False
    _same(sub, ref, q, k, v, mask, t("query rows scaled by 1, 30 and 1000: each row needs its own maximum",
                                     "查询各行分别乘以 1、30 和 1000：每一行要减去自己的最大值"))


@pytest.mark.zh("掩码不受分数大小影响")
def test_mask_wins_over_very_negative_scores(sub, ref):
    # every allowed score is about -2e4: a mask written as "add -1e4" (or fill -1e4) lets the masked key win
    q = np.array([[100.0, 0.0], [0.0, 1.0]])
    k = np.array([[-400.0, 0.0], [-300.0, 0.0], [5.0, 0.0]])
    v = np.array([[1.0, 0.0], [0.0, 1.0], [7.0, 7.0]])
    mask = np.array([[True, True, False], [True, True, False]])
    ctx = t("allowed scores near -2e4, masked key score +354: masked keys need -inf, not a large negative number",
            "允许的分数约为 -2e4，被屏蔽的键分数为 +354：屏蔽要用 -inf，而不是一个很大的负数")
    _, weights = _same(sub, ref, q, k, v, mask, ctx)
    if np.any(np.asarray(weights)[:, 2] != 0.0):
        raise CheckFailed(ctx)


@st.composite
def cases(draw):
    lead = tuple(draw(st.lists(st.integers(1, 3), min_size=0, max_size=2)))
    lq, lk, d, dv = (draw(st.integers(1, 7)) for _ in range(4))
    kind = draw(st.sampled_from(["none", "full", "rows", "causal"]))
    return lead, lq, lk, d, dv, kind, draw(st.integers(0, 2**31))


@pytest.mark.zh("随机形状与掩码")
@settings(max_examples=7)
@given(c=cases())
def test_random_shapes_and_masks(sub, ref, c):
    lead, lq, lk, d, dv, kind, seed = c
    r = np.random.default_rng(seed)
    q, k, v = (r.standard_normal((*lead, lq, d)), r.standard_normal((*lead, lk, d)),
               r.standard_normal((*lead, lk, dv)))
    mask = None
    if kind == "full":
        mask = r.random((*lead, lq, lk)) < 0.5
    elif kind == "rows":
        mask = r.random((lq, lk)) < 0.5
    elif kind == "causal":
        mask = np.arange(lk)[None, :] <= np.arange(lq)[:, None] + max(0, lk - lq)
    if mask is not None:
        mask[..., np.arange(lq), r.integers(0, lk, size=lq)] = True
    _same(sub, ref, q, k, v, mask, f"q {q.shape}, k {k.shape}, v {v.shape}, mask {kind}")


@pytest.mark.zh("float32 输入得到 float32 输出")
def test_float32_stays_float32(sub, ref, rng):
    q, k, v = (rng.standard_normal(s).astype(np.float32) for s in ((2, 4, 8), (2, 5, 8), (2, 5, 3)))
    causal = np.arange(5)[None, :] <= np.arange(4)[:, None] + 1
    _same(sub, ref, q, k, v, causal, t("float32 q (2, 4, 8), k (2, 5, 8), v (2, 5, 3), causal mask",
                                       "float32 的 q (2, 4, 8)、k (2, 5, 8)、v (2, 5, 3)，因果掩码"), dtype=np.float32)


def speed_case(rng):
    b, h, L, d = 4, 8, 128, 64
    return (rng.standard_normal((b, h, L, d)), rng.standard_normal((b, h, L, d)), rng.standard_normal((b, h, L, d)),
            np.tril(np.ones((L, L), dtype=bool))), {}
