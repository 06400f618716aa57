"""Hidden checks for multi-head-attention: a hand example, per-head loops, the head split, the 1/sqrt(Dh) scale,
one head = plain attention, causality as a property, huge logits, random shapes, dtypes."""

import math

import numpy as np
from hypothesis import strategies as st

from prep.grading.checks import expect_array, for_all


def _weights(rng, d, n=4, scale=1.0):
    return tuple(rng.standard_normal((d, d)) * scale / math.sqrt(d) for _ in range(n))


def _per_head_loops(x, Wq, Wk, Wv, Wo, n_heads, causal):
    """Head h as its own small attention with projections W[:, h*Dh:(h+1)*Dh], written with scalar loops."""
    b, length, d = x.shape
    dh = d // n_heads
    concat = np.zeros((b, length, d))
    for s in range(b):
        for h in range(n_heads):
            cols = slice(h * dh, (h + 1) * dh)
            q, k, v = x[s] @ Wq[:, cols], x[s] @ Wk[:, cols], x[s] @ Wv[:, cols]
            for i in range(length):
                keys = range(i + 1) if causal else range(length)
                scores = [sum(q[i, e] * k[j, e] for e in range(dh)) / math.sqrt(dh) for j in keys]
                top = max(scores)
                w = [math.exp(sc - top) for sc in scores]
                total = sum(w)
                for e in range(dh):
                    concat[s, i, h * dh + e] = sum(wj * v[j, e] for wj, j in zip(w, keys)) / total
    return concat @ Wo


def _same(sub, ref, args, kwargs, context, **tol):
    expect_array(sub(*args, **kwargs), ref(*args, **kwargs), context=context, **tol)


def check_hand_computed_example(sub):
    x, eye, Wo = np.array([[[1.0, 0.0], [0.0, 1.0]]]), np.eye(2), np.array([[1.0, 1.0], [0.0, 2.0]])
    a = math.e / (math.e + 1)  # softmax([1, 0])[0]
    ctx = "the example of the statement: D = 2, 2 heads (Dh = 1), Wq = Wk = Wv = I, Wo = [[1, 1], [0, 2]]"
    expect_array(sub(x, eye, eye, eye, Wo, 2), np.array([[[a, a + 1.0], [0.5, 0.5 + 2 * a]]]),
                 context=ctx + ", causal=False")
    expect_array(sub(x, eye, eye, eye, Wo, 2, causal=True), np.array([[[1.0, 1.0], [0.5, 0.5 + 2 * a]]]),
                 context=ctx + ", causal=True")


def check_matches_per_head_loops(sub, rng):
    b, length, d, n_heads = 2, 5, 12, 3
    x = rng.standard_normal((b, length, d))
    ws = _weights(rng, d)
    for causal in (False, True):
        expect_array(sub(x, *ws, n_heads, causal=causal), _per_head_loops(x, *ws, n_heads, causal),
                     context=f"B={b}, L={length}, D={d}, n_heads={n_heads} (Dh=4), causal={causal}, "
                             "each head computed on its own with explicit loops")


def check_heads_split_along_features(sub, ref, rng):
    b, length, d, n_heads = 2, 6, 8, 4
    x = rng.standard_normal((b, length, d))
    _same(sub, ref, (x, *_weights(rng, d), n_heads), {},
          f"B={b}, L={length}, D={d}, n_heads={n_heads}: head h takes features h*Dh:(h+1)*Dh of every position "
          "(reshape to (B, L, H, Dh), then transpose)")


def check_scale_uses_head_dim(sub, ref, rng):
    b, length, d, n_heads = 2, 5, 64, 4
    x = rng.standard_normal((b, length, d))
    _same(sub, ref, (x, *_weights(rng, d, scale=2.0), n_heads), {},
          f"D={d}, n_heads={n_heads}: scores are divided by sqrt(Dh) = sqrt(16) = 4, not sqrt(D) = 8")


def check_one_head_is_plain_attention(sub, rng):
    b, length, d = 3, 4, 6
    x = rng.standard_normal((b, length, d))
    Wq, Wk, Wv, Wo = _weights(rng, d)
    for causal in (False, True):
        scores = (x @ Wq) @ np.swapaxes(x @ Wk, 1, 2) / math.sqrt(d)
        if causal:
            scores = scores + np.triu(np.full((length, length), -1e9), 1)
        e = np.exp(scores - scores.max(axis=-1, keepdims=True))
        want = (e / e.sum(axis=-1, keepdims=True)) @ (x @ Wv) @ Wo
        expect_array(sub(x, Wq, Wk, Wv, Wo, 1, causal=causal), want,
                     context=f"n_heads=1, B={b}, L={length}, D={d}, causal={causal}: single-head attention")


def check_causal_ignores_the_future(sub, ref, rng):
    b, length, d, n_heads, t = 2, 7, 6, 2, 3
    x = rng.standard_normal((b, length, d))
    ws = _weights(rng, d)
    ctx = f"B={b}, L={length}, D={d}, n_heads={n_heads}, causal=True"
    first = expect_array(sub(x, *ws, n_heads, causal=True), ref(x, *ws, n_heads, causal=True), context=ctx)
    x2 = x.copy()
    x2[:, t:] = rng.standard_normal((b, length - t, d)) * 5
    second = expect_array(sub(x2, *ws, n_heads, causal=True), ref(x2, *ws, n_heads, causal=True),
                          context=ctx + f", positions {t}.. replaced")
    expect_array(second[:, :t], first[:, :t], name=f"output[:, :{t}]",
                 context=ctx + f": replacing positions {t}.. must not change positions 0..{t - 1}")


def check_huge_logits(sub, ref, rng):
    b, length, d, n_heads = 2, 5, 8, 2
    x = rng.standard_normal((b, length, d)) * 40
    ws = _weights(rng, d, scale=3.0)
    for causal in (False, True):
        _same(sub, ref, (x, *ws, n_heads), {"causal": causal},
              f"inputs scaled by 40: scores reach ~1e4 (exp overflows without a max shift), causal={causal}")


@st.composite
def _cases(draw):
    n_heads, dh = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    return (draw(st.integers(1, 3)), draw(st.integers(1, 6)), n_heads, dh, draw(st.booleans()),
            draw(st.integers(0, 2**31)))


def check_random_shapes(sub, ref, rng):
    def case(c):
        b, length, n_heads, dh, causal, seed = c
        r = np.random.default_rng(seed)
        d = n_heads * dh
        x = r.standard_normal((b, length, d))
        _same(sub, ref, (x, *_weights(r, d), n_heads), {"causal": causal},
              f"B={b}, L={length}, D={d}, n_heads={n_heads}, causal={causal}")

    for_all(rng, _cases(), case, examples=6)


def check_float32_stays_float32(sub, ref, rng):
    b, length, d, n_heads = 2, 5, 12, 3
    args = (rng.standard_normal((b, length, d)).astype(np.float32),
            *(w.astype(np.float32) for w in _weights(rng, d)), n_heads)
    _same(sub, ref, args, {"causal": True}, f"float32 x and weights, B={b}, L={length}, D={d}, n_heads={n_heads}",
          dtype=np.float32)


def speed_case(rng):
    b, length, d, n_heads = 4, 128, 256, 8
    return (rng.standard_normal((b, length, d)), *_weights(rng, d), n_heads), {"causal": True}
