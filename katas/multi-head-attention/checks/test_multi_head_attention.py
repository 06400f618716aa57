"""Hidden checks for multi-head-attention: a hand example, per-head loops, the head split, the 1/sqrt(Dh) scale,
one head = plain attention, causality as a property, a causal mask that includes the diagonal, huge logits,
random shapes, dtypes."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from prep.grading.checks import CheckFailed, expect_array, t

CAUSAL = [pytest.param(False, id="causal=False"), pytest.param(True, id="causal=True")]


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


def _expect(got, want, context, **tol):
    """expect_array, except that a NaN where the scores are small (no overflow is possible) is named for what
    it is: a softmax row with every key masked, 0/0."""
    if type(got) is np.ndarray and got.dtype.kind == "f" and got.shape == want.shape and np.isnan(got).any():
        bad = [int(i) for i in np.argwhere(np.isnan(got))[0]]
        raise CheckFailed(context + ": " + t(
            f"output has NaN at index {bad}; the scores here are small, so this is not an overflow: a softmax "
            "row was 0/0, which happens when a query may attend to no key at all. With causal=True position i "
            "attends to positions 0..i, itself included (so position 0 sees itself)",
            f"输出在下标 {bad} 处为 NaN；这里的分数都不大，不是溢出：某一行 softmax 出现了 0/0，也就是某个查询"
            "一个键都不能关注。causal=True 时位置 i 关注位置 0..i，包括它自己（位置 0 能看到自己）"))
    return expect_array(got, want, context=context, **tol)


def _same(sub, ref, args, kwargs, context, **tol):
    return _expect(sub(*args, **kwargs), ref(*args, **kwargs), context, **tol)


@pytest.mark.zh("题目中的例子")
@pytest.mark.parametrize("causal", CAUSAL)
def test_hand_computed_example(sub, causal):
    x, eye, Wo = np.array([[[1.0, 0.0], [0.0, 1.0]]]), np.eye(2), np.array([[1.0, 1.0], [0.0, 2.0]])
    a = math.e / (math.e + 1)  # softmax([1, 0])[0]
    ctx = t("the example of the statement", "题目中的例子") + \
        f": D = 2, n_heads = 2 (Dh = 1), Wq = Wk = Wv = I, Wo = [[1, 1], [0, 2]], causal={causal}"
    first = [1.0, 1.0] if causal else [a, a + 1.0]
    _expect(sub(x, eye, eye, eye, Wo, 2, causal=causal), np.array([[first, [0.5, 0.5 + 2 * a]]]), ctx)


@pytest.mark.zh("与逐头循环的定义一致")
@pytest.mark.parametrize("causal", CAUSAL)
def test_matches_per_head_loops(sub, rng, causal):
    b, length, d, n_heads = 2, 5, 12, 3
    x = rng.standard_normal((b, length, d))
    ws = _weights(rng, d)
    _expect(sub(x, *ws, n_heads, causal=causal), _per_head_loops(x, *ws, n_heads, causal),
            f"B={b}, L={length}, D={d}, n_heads={n_heads} (Dh=4), causal={causal}, " +
            t("each head computed on its own with explicit loops", "每个头单独用显式循环计算"))


@pytest.mark.zh("按特征拆分各个头")
def test_heads_split_along_features(sub, ref, rng):
    b, length, d, n_heads = 2, 6, 8, 4
    x = rng.standard_normal((b, length, d))
    _same(sub, ref, (x, *_weights(rng, d), n_heads), {},
          f"B={b}, L={length}, D={d}, n_heads={n_heads}: " +
          t("head h takes features h*Dh:(h+1)*Dh of every position (reshape to (B, L, H, Dh), then transpose)",
            "第 h 个头取每个位置的第 h*Dh:(h+1)*Dh 个特征（先 reshape 成 (B, L, H, Dh)，再 transpose）"))


@pytest.mark.zh("缩放用单个头的维度")
def test_scale_uses_head_dim(sub, ref, rng):
    b, length, d, n_heads = 2, 5, 64, 4
    x = rng.standard_normal((b, length, d))
    _same(sub, ref, (x, *_weights(rng, d, scale=2.0), n_heads), {},
          f"D={d}, n_heads={n_heads}: " + t("scores are divided by sqrt(Dh) = sqrt(16) = 4, not sqrt(D) = 8",
                                             "分数除以 sqrt(Dh) = sqrt(16) = 4，而不是 sqrt(D) = 8"))


@pytest.mark.zh("单头即普通注意力")
@pytest.mark.parametrize("causal", CAUSAL)
def test_one_head_is_plain_attention(sub, rng, causal):
    b, length, d = 3, 4, 6
    x = rng.standard_normal((b, length, d))
    Wq, Wk, Wv, Wo = _weights(rng, d)
    scores = (x @ Wq) @ np.swapaxes(x @ Wk, 1, 2) / math.sqrt(d)
    if causal:
        scores = scores + np.triu(np.full((length, length), -1e9), 1)
    e = np.exp(scores - scores.max(axis=-1, keepdims=True))
    want = (e / e.sum(axis=-1, keepdims=True)) @ (x @ Wv) @ Wo
    _expect(sub(x, Wq, Wk, Wv, Wo, 1, causal=causal), want,
            f"n_heads=1, B={b}, L={length}, D={d}, causal={causal}: " + t("single-head attention", "单头注意力"))


@pytest.mark.zh("因果注意力不看未来")
def test_causal_ignores_the_future(sub, ref, rng):
    b, length, d, n_heads, s = 2, 7, 6, 2, 3
    x = rng.standard_normal((b, length, d))
    ws = _weights(rng, d)
    ctx = f"B={b}, L={length}, D={d}, n_heads={n_heads}, causal=True"
    first = _same(sub, ref, (x, *ws, n_heads), {"causal": True}, ctx)
    x2 = x.copy()
    x2[:, s:] = rng.standard_normal((b, length - s, d)) * 5
    second = _same(sub, ref, (x2, *ws, n_heads), {"causal": True},
                   ctx + t(f", positions {s}.. replaced", f"，替换了位置 {s} 及之后"))
    expect_array(second[:, :s], first[:, :s], name=f"output[:, :{s}]",
                 context=ctx + t(f": replacing positions {s}.. must not change positions 0..{s - 1}",
                                 f"：替换位置 {s} 及之后不应改变位置 0..{s - 1}"))


@pytest.mark.zh("很大的分数")
@pytest.mark.parametrize("causal", CAUSAL)
def test_huge_logits(sub, ref, rng, causal):
    b, length, d, n_heads = 2, 5, 8, 2
    x = rng.standard_normal((b, length, d)) * 40
    ws = _weights(rng, d, scale=3.0)
    ctx = t(f"inputs scaled by 40: scores reach ~1e4 (exp overflows without a max shift), causal={causal}",
            f"输入乘以 40：分数可达约 1e4（不减最大值 exp 会溢出），causal={causal}")
    expect_array(sub(x, *ws, n_heads, causal=causal), ref(x, *ws, n_heads, causal=causal), context=ctx)


@st.composite
def cases(draw):
    n_heads, dh = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    return (draw(st.integers(1, 3)), draw(st.integers(1, 6)), n_heads, dh, draw(st.booleans()),
            draw(st.integers(0, 2**31)))


@pytest.mark.zh("随机形状")
@settings(max_examples=6)
@given(c=cases())
def test_random_shapes(sub, ref, c):
    b, length, n_heads, dh, causal, seed = c
    r = np.random.default_rng(seed)
    d = n_heads * dh
    x = r.standard_normal((b, length, d))
    _same(sub, ref, (x, *_weights(r, d), n_heads), {"causal": causal},
          f"B={b}, L={length}, D={d}, n_heads={n_heads}, causal={causal}")


@pytest.mark.zh("float32 输入得到 float32 输出")
def test_float32_stays_float32(sub, ref, rng):
    b, length, d, n_heads = 2, 5, 12, 3
    args = (rng.standard_normal((b, length, d)).astype(np.float32),
            *(w.astype(np.float32) for w in _weights(rng, d)), n_heads)
    _same(sub, ref, args, {"causal": True},
          t("float32 x and weights", "float32 的 x 和权重") + f", B={b}, L={length}, D={d}, n_heads={n_heads}",
          dtype=np.float32)


def speed_case(rng):
    b, length, d, n_heads = 4, 128, 256, 8
    return (rng.standard_normal((b, length, d)), *_weights(rng, d), n_heads), {"causal": True}
