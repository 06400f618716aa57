"""Hidden checks for attention: the definition by loops, the 1/sqrt(d) scale, masks of every shape and polarity,
causal masks, huge logits, leading axes, dtypes."""

import math

import numpy as np
from hypothesis import strategies as st

from prep.grading.checks import CheckFailed, expect_array, expect_tuple, for_all


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


def check_hand_computed_example(sub):
    q, k = np.array([[1.0, 0.0], [0.0, 2.0]]), np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    v = np.array([[1.0, 0.0], [0.0, 1.0], [2.0, 2.0]])
    a = math.exp(1 / math.sqrt(2))
    ctx = "the example of the statement, no mask"
    out, weights = _call(sub, q, k, v, None, ctx)
    expect_array(weights[0], np.array([a, 1.0, a]) / (2 * a + 1), name="weights[0]", context=ctx)
    expect_array(out[0], np.array([3 * a, 1 + 2 * a]) / (2 * a + 1), name="out[0]", context=ctx)
    mask = np.array([[True, False, False], [True, True, False]])
    ctx = "the example of the statement, mask [[T, F, F], [T, T, F]]"
    out, weights = _call(sub, q, k, v, mask, ctx)
    e = math.exp(2 / math.sqrt(2))
    expect_array(weights, np.array([[1.0, 0.0, 0.0], [1 / (1 + e), e / (1 + e), 0.0]]), name="weights", context=ctx)
    expect_array(out[0], np.array([1.0, 0.0]), name="out[0]", context=ctx)


def check_matches_the_definition(sub, rng):
    for lq, lk, d, dv in ((3, 5, 4, 2), (4, 2, 3, 6)):
        q, k, v = rng.standard_normal((lq, d)), rng.standard_normal((lk, d)), rng.standard_normal((lk, dv))
        mask = rng.random((lq, lk)) < 0.6
        mask[np.arange(lq), rng.integers(0, lk, size=lq)] = True
        for m in (None, mask):
            ctx = f"Lq={lq}, Lk={lk}, d={d}, dv={dv}, {'no mask' if m is None else 'random mask'}"
            out_loop, w_loop = _loops(q, k, v, m)
            out, weights = _call(sub, q, k, v, m, ctx)
            expect_array(weights, w_loop, name="weights", context=ctx)
            expect_array(out, out_loop, name="out", context=ctx)


def check_scale_by_sqrt_d(sub, ref, rng):
    d = 64
    q, k, v = rng.standard_normal((2, 5, d)), rng.standard_normal((2, 7, d)), rng.standard_normal((2, 7, 3))
    _same(sub, ref, q, k, v, None, f"d={d}: scores are divided by sqrt({d}) = 8")


def check_masks_broadcast_and_polarity(sub, ref, rng):
    b, h, lq, lk, d = 2, 3, 4, 6, 5
    q, k, v = (rng.standard_normal((b, h, lq, d)), rng.standard_normal((b, h, lk, d)),
               rng.standard_normal((b, h, lk, 2)))
    pad = np.ones((b, 1, lq, lk), dtype=bool)
    pad[0, :, :, 4:] = False  # the first sequence has 4 real keys
    pad[1, :, :, 5:] = False
    _, weights = _same(sub, ref, q, k, v, pad, "(B, 1, Lq, Lk) padding mask, True = may attend")
    if np.any(np.asarray(weights)[0, :, :, 4:] != 0.0):
        raise CheckFailed("a padding mask with False on keys 4 and 5: those keys must get weight exactly 0 "
                          "(True means 'may attend')")
    causal = np.tril(np.ones((lq, lk), dtype=bool))
    _same(sub, ref, q, k, v, causal, "(Lq, Lk) causal mask j <= i, broadcast over batch and heads")


def check_causal_self_attention(sub, ref, rng):
    L, d = 6, 8
    x = rng.standard_normal((3, L, d))
    causal = np.tril(np.ones((L, L), dtype=bool))
    _, weights = _same(sub, ref, x, x, x, causal, "self-attention q = k = v, causal (L, L) mask")
    w = np.asarray(weights)
    if np.any(np.triu(np.ones((L, L), dtype=bool), 1) & (w[0] != 0)):
        raise CheckFailed("causal mask: a query attended to a later position")
    expect_array(w.sum(axis=-1), np.ones((3, L)), name="row sums of weights", context="causal self-attention")


def check_huge_logits(sub, ref, rng):
    q, k, v = rng.standard_normal((3, 4)) * 60, rng.standard_normal((5, 4)) * 60, rng.standard_normal((5, 3))
    _same(sub, ref, q, k, v, None, "q, k scaled by 60: scores reach ~1e3 (exp overflows without a max shift)")
    q = rng.standard_normal((2, 3, 6)) * np.array([1.0, 30.0, 1000.0])[:, None]  # rows at very different scales
    k, v = rng.standard_normal((2, 5, 6)), rng.standard_normal((2, 5, 4))
    mask = np.ones((3, 5), dtype=bool)
    mask[0, 1] = False
    _same(sub, ref, q, k, v, mask, "query rows scaled by 1, 30 and 1000: each row needs its own maximum")


@st.composite
def _cases(draw):
    lead = tuple(draw(st.lists(st.integers(1, 3), min_size=0, max_size=2)))
    lq, lk, d, dv = (draw(st.integers(1, 7)) for _ in range(4))
    kind = draw(st.sampled_from(["none", "full", "rows", "causal"]))
    return lead, lq, lk, d, dv, kind, draw(st.integers(0, 2**31))


def check_random_shapes_and_masks(sub, ref, rng):
    def case(c):
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

    for_all(rng, _cases(), case, examples=7)


def check_float32_stays_float32(sub, ref, rng):
    q, k, v = (rng.standard_normal(s).astype(np.float32) for s in ((2, 4, 8), (2, 5, 8), (2, 5, 3)))
    causal = np.arange(5)[None, :] <= np.arange(4)[:, None] + 1
    _same(sub, ref, q, k, v, causal, "float32 q (2, 4, 8), k (2, 5, 8), v (2, 5, 3), causal mask", dtype=np.float32)


def speed_case(rng):
    b, h, L, d = 4, 8, 128, 64
    return (rng.standard_normal((b, h, L, d)), rng.standard_normal((b, h, L, d)), rng.standard_normal((b, h, L, d)),
            np.tril(np.ones((L, L), dtype=bool))), {}
