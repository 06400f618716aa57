"""Hidden checks for a KV-cache decode step: the worked example, token-by-token decoding equals full causal
attention at every position, caches appended in order, empty caches, a given cache by loops, the 1/sqrt(Dh)
scale, huge scores, float32."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from prep.grading.checks import expect_array, expect_tuple, t

NAMES = ("out", "new_k_cache", "new_v_cache")


def _full_causal(x, wq, wk, wv, wo, h):
    """Causal multi-head self-attention over a whole (B, L, D) sequence, head by head."""
    b, length, d = x.shape
    dh = d // h
    q, k, v = x @ wq, x @ wk, x @ wv
    merged = np.zeros((b, length, d))
    for head in range(h):
        sl = slice(head * dh, (head + 1) * dh)
        scores = q[:, :, sl] @ k[:, :, sl].transpose(0, 2, 1) / math.sqrt(dh)
        scores = np.where(np.tril(np.ones((length, length), dtype=bool)), scores, -np.inf)
        w = np.exp(scores - scores.max(axis=-1, keepdims=True))
        merged[:, :, sl] = (w / w.sum(axis=-1, keepdims=True)) @ v[:, :, sl]
    split = k.reshape(b, length, h, dh).transpose(0, 2, 1, 3), v.reshape(b, length, h, dh).transpose(0, 2, 1, 3)
    return merged @ wo, split[0], split[1]


def _step_loops(x_t, wq, wk, wv, wo, h, k_cache, v_cache):
    """One step written with scalar loops over batch, heads and keys."""
    b, d = x_t.shape
    dh = d // h
    t_len = k_cache.shape[2]
    out = np.zeros((b, d))
    for i in range(b):
        q, k, v = x_t[i] @ wq, x_t[i] @ wk, x_t[i] @ wv
        merged = np.zeros(d)
        for head in range(h):
            sl = slice(head * dh, (head + 1) * dh)
            keys = [k_cache[i, head, j] for j in range(t_len)] + [k[sl]]
            values = [v_cache[i, head, j] for j in range(t_len)] + [v[sl]]
            scores = [float(q[sl] @ key) / math.sqrt(dh) for key in keys]
            top = max(scores)
            e = [math.exp(s - top) for s in scores]
            merged[sl] = sum(ej / sum(e) * val for ej, val in zip(e, values))
        out[i] = merged @ wo
    return out


def _weights(rng, d, scale=1.0):
    return [rng.standard_normal((d, d)) * scale / math.sqrt(d) for _ in range(4)]


def _call(sub, x_t, ws, h, kc, vc, ctx):
    return expect_tuple(sub(x_t, *ws, h, kc, vc), NAMES, context=ctx)


def _decode_all(sub, x, ws, h, ctx, **tol):
    """Feed the tokens one by one from an empty cache; compare with full causal attention at each step."""
    b, length, d = x.shape
    full, k_all, v_all = _full_causal(x.astype(np.float64), *(w.astype(np.float64) for w in ws), h)
    kc = np.zeros((b, h, 0, d // h), dtype=x.dtype)
    vc = np.zeros((b, h, 0, d // h), dtype=x.dtype)
    for step in range(length):
        where = ctx + t(f", step {step} (cache length {step})", f"，第 {step} 步（缓存长度 {step}）")
        out, kc, vc = _call(sub, x[:, step], ws, h, kc, vc, where)
        expect_array(kc, k_all[:, :, :step + 1], name="new_k_cache", context=where, **tol)
        expect_array(vc, v_all[:, :, :step + 1], name="new_v_cache", context=where, **tol)
        expect_array(out, full[:, step], name="out",
                     context=where + t(": should equal row t of full causal attention",
                                       "：应等于完整因果注意力的第 t 行"), **tol)


@pytest.mark.zh("题目中的例子")
def test_worked_example(sub):
    eye, wo = np.eye(2), np.array([[1.0, 1.0], [0.0, 2.0]])
    ws = (eye, eye, eye, wo)
    ctx = t("the example of the statement, step 0 (empty caches)", "题目中的例子，第 0 步（缓存为空）")
    out, kc, vc = _call(sub, np.array([[1.0, 0.0]]), ws, 2, np.zeros((1, 2, 0, 1)), np.zeros((1, 2, 0, 1)), ctx)
    expect_array(out, np.array([[1.0, 1.0]]), name="out", context=ctx)
    expect_array(kc, np.array([[[[1.0]], [[0.0]]]]), name="new_k_cache", context=ctx)
    expect_array(vc, np.array([[[[1.0]], [[0.0]]]]), name="new_v_cache", context=ctx)
    ctx = t("the example of the statement, step 1", "题目中的例子，第 1 步")
    cache = np.array([[[[1.0]], [[0.0]]]])
    out, kc, vc = _call(sub, np.array([[0.0, 2.0]]), ws, 2, cache, cache.copy(), ctx)
    a = math.exp(4) / (1 + math.exp(4))
    expect_array(out, np.array([[0.5, 0.5 + 4 * a]]), name="out", context=ctx)
    expect_array(kc, np.array([[[[1.0], [0.0]], [[0.0], [2.0]]]]), name="new_k_cache", context=ctx)
    expect_array(vc, np.array([[[[1.0], [0.0]], [[0.0], [2.0]]]]), name="new_v_cache", context=ctx)


@pytest.mark.zh("逐个解码等于完整的因果注意力")
@pytest.mark.parametrize(("b", "length", "d", "h"), [
    pytest.param(2, 5, 12, 3, id="B=2-L=5-D=12-H=3"),
    pytest.param(3, 4, 8, 2, id="B=3-L=4-D=8-H=2"),
    pytest.param(1, 6, 5, 1, id="B=1-L=6-D=5-H=1"),
])
def test_decoding_matches_full_causal_attention(sub, rng, b, length, d, h):
    x = rng.standard_normal((b, length, d))
    _decode_all(sub, x, _weights(rng, d, 2.0), h, f"x {x.shape}, n_heads={h}, Dh={d // h}")


@pytest.mark.zh("空缓存：新词元只看到自己")
def test_empty_cache(sub, rng):
    b, d, h = 3, 6, 2
    x_t, ws = rng.standard_normal((b, d)), _weights(rng, d)
    ctx = t("empty caches (B, H, 0, Dh)", "空缓存 (B, H, 0, Dh)") + f", x_t ({b}, {d}), n_heads={h}"
    out, kc, vc = _call(sub, x_t, ws, h, np.zeros((b, h, 0, 3)), np.zeros((b, h, 0, 3)), ctx)
    expect_array(out, (x_t @ ws[2]) @ ws[3], name="out",
                 context=ctx + t(": one key, weight 1, so out = (x_t @ Wv) @ Wo",
                                 "：只有一个键，权重为 1，所以 out = (x_t @ Wv) @ Wo"))
    expect_array(kc, (x_t @ ws[1]).reshape(b, h, 1, 3), name="new_k_cache", context=ctx)
    expect_array(vc, (x_t @ ws[2]).reshape(b, h, 1, 3), name="new_v_cache", context=ctx)


@pytest.mark.zh("给定缓存，与逐元素循环一致")
@pytest.mark.parametrize(("b", "d", "h", "t_len"), [pytest.param(2, 6, 3, 4, id="B=2-D=6-H=3-T=4"),
                                                    pytest.param(1, 16, 2, 9, id="B=1-D=16-H=2-T=9")])
def test_given_cache_matches_loops(sub, rng, b, d, h, t_len):
    x_t, ws = rng.standard_normal((b, d)), _weights(rng, d, 3.0)
    kc, vc = rng.standard_normal((b, h, t_len, d // h)) * 2, rng.standard_normal((b, h, t_len, d // h))
    ctx = f"x_t ({b}, {d}), n_heads={h}, Dh={d // h}, " + t(f"random caches of length {t_len}",
                                                            f"长度为 {t_len} 的随机缓存")
    out, new_k, new_v = _call(sub, x_t, ws, h, kc, vc, ctx)
    expect_array(new_k[:, :, :t_len], kc, name=t("new_k_cache[:, :, :T] (the old entries, in order)",
                                                "new_k_cache[:, :, :T]（原有条目，顺序不变）"), context=ctx)
    expect_array(new_k[:, :, t_len], (x_t @ ws[1]).reshape(b, h, d // h),
                 name=t("new_k_cache[:, :, T] (the new key, appended last)",
                        "new_k_cache[:, :, T]（新键，追加在最后）"),
                 context=ctx)
    expect_array(new_v[:, :, t_len], (x_t @ ws[2]).reshape(b, h, d // h), name="new_v_cache[:, :, T]", context=ctx)
    expect_array(out, _step_loops(x_t, *ws, h, kc, vc), name="out", context=ctx)


@pytest.mark.zh("除以 sqrt(Dh)")
def test_scale_is_sqrt_of_head_size(sub, rng):
    b, d, h, t_len = 2, 64, 4, 5
    x_t, ws = rng.standard_normal((b, d)), _weights(rng, d, 2.0)
    kc, vc = rng.standard_normal((b, h, t_len, 16)) * 2, rng.standard_normal((b, h, t_len, 16))
    ctx = t(f"D={d}, n_heads={h}: scores are divided by sqrt(Dh) = 4, not sqrt(D) = 8",
            f"D={d}，n_heads={h}：分数除以 sqrt(Dh) = 4，而不是 sqrt(D) = 8")
    out, _, _ = _call(sub, x_t, ws, h, kc, vc, ctx)
    expect_array(out, _step_loops(x_t, *ws, h, kc, vc), name="out", context=ctx)


@pytest.mark.zh("很大的分数")
def test_huge_scores(sub, rng):
    b, d, h, t_len = 2, 6, 2, 3
    x_t = rng.standard_normal((b, d)) * 30
    ws = [np.eye(d) * 3, np.eye(d) * 3, np.eye(d), np.eye(d)]
    kc, vc = rng.standard_normal((b, h, t_len, 3)) * 300, rng.standard_normal((b, h, t_len, 3))
    ctx = t("q and cached keys scaled so that scores reach ~1e4 (exp overflows without a max shift)",
            "q 和缓存中的键放大到分数约 1e4（不减最大值 exp 会溢出）")
    out, _, _ = _call(sub, x_t, ws, h, kc, vc, ctx)
    expect_array(out, _step_loops(x_t, *ws, h, kc, vc), name="out", context=ctx)


@pytest.mark.zh("float32 输入得到 float32 输出")
def test_float32_stays_float32(sub, rng):
    x = rng.standard_normal((2, 3, 8)).astype(np.float32)
    ws = [w.astype(np.float32) for w in _weights(rng, 8)]
    _decode_all(sub, x, ws, 2, t("float32 x (2, 3, 8) and weights, n_heads=2",
                                 "float32 的 x (2, 3, 8) 和权重，n_heads=2"), dtype=np.float32, atol=1e-5)


@st.composite
def cases(draw):
    h = draw(st.integers(1, 4))
    return draw(st.integers(1, 3)), draw(st.integers(1, 5)), h, h * draw(st.integers(1, 4)), draw(st.integers(0, 2**31))


@pytest.mark.zh("随机形状，逐个解码")
@settings(max_examples=6)
@given(c=cases())
def test_random_sequences(sub, c):
    b, length, h, d, seed = c
    r = np.random.default_rng(seed)
    x = r.standard_normal((b, length, d))
    _decode_all(sub, x, _weights(r, d, 2.0), h, f"x {x.shape}, n_heads={h}", rtol=1e-7, atol=1e-9)


def speed_case(rng):
    b, d, h, t_len = 8, 512, 8, 1024
    return (rng.standard_normal((b, d)), *(rng.standard_normal((d, d)) / math.sqrt(d) for _ in range(4)), h,
            rng.standard_normal((b, h, t_len, d // h)), rng.standard_normal((b, h, t_len, d // h))), {}
