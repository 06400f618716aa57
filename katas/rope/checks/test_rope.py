"""Hidden checks for RoPE: the worked example, the definition as complex rotations by loops, the half-split
layout, offset and base at default and non-default values, relative positions and norms, grouped-query keys, float32."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from prep.grading.checks import CheckFailed, expect_array, expect_tuple, t

NAMES = ("q_rot", "k_rot")


def _loops(x, offset, base):
    """Pair i = (x[i], x[i + Dh/2]) as the complex number x[i] + 1j x[i + Dh/2], times e^(1j p theta_i)."""
    out = np.empty_like(x)
    dh = x.shape[-1]
    half = dh // 2
    for idx in np.ndindex(x.shape[:-2]):
        for row in range(x.shape[-2]):
            for i in range(half):
                angle = (offset + row) * base ** (-2 * i / dh)
                a, b = (*idx, row, i), (*idx, row, i + half)
                z = complex(x[a], x[b]) * complex(math.cos(angle), math.sin(angle))
                out[a], out[b] = z.real, z.imag
    return out


def _call(sub, q, k, ctx, **kwargs):
    return expect_tuple(sub(q, k, **kwargs), NAMES, context=ctx)


def _expect_rope(sub, q, k, offset, base, ctx, **tol):
    got = _call(sub, q, k, ctx, offset=offset, base=base)
    for name, g, x in zip(NAMES, got, (q, k)):
        expect_array(g, _loops(x.astype(np.float64), offset, base), name=name, context=ctx, **tol)
    return got


@pytest.mark.zh("题目中的例子")
def test_worked_example(sub):
    q = np.array([1.0, 2.0, 3.0, 4.0]).reshape(1, 1, 1, 4)
    k = np.array([1.0, 0.0, 0.0, 0.0]).reshape(1, 1, 1, 4)
    c1, s1, c2, s2 = math.cos(1.0), math.sin(1.0), math.cos(0.01), math.sin(0.01)
    ctx = t("the example of the statement: q = [1, 2, 3, 4], k = [1, 0, 0, 0], offset=1",
            "题目中的例子：q = [1, 2, 3, 4]，k = [1, 0, 0, 0]，offset=1")
    q_rot, k_rot = _call(sub, q, k, ctx, offset=1)
    expected_q = np.array([c1 - 3 * s1, 2 * c2 - 4 * s2, 3 * c1 + s1, 4 * c2 + 2 * s2]).reshape(1, 1, 1, 4)
    expect_array(q_rot, expected_q, name="q_rot", context=ctx + t(" (half-split pairs (0, 2) and (1, 3))",
                                                                 "（前后两半配对：(0, 2) 和 (1, 3)）"))
    expect_array(k_rot, np.array([c1, 0.0, s1, 0.0]).reshape(1, 1, 1, 4), name="k_rot", context=ctx)


@pytest.mark.zh("offset 与 base 取默认值")
def test_defaults(sub, rng):
    q, k = rng.standard_normal((2, 3, 4, 6)), rng.standard_normal((2, 1, 4, 6))
    ctx = t("offset and base not passed: positions 0 .. 3, base 10000",
            "不传 offset 和 base：位置 0 .. 3，base 为 10000")
    got = _call(sub, q, k, ctx)
    for name, g, x in zip(NAMES, got, (q, k)):
        expect_array(g, _loops(x, 0, 10000.0), name=name, context=ctx)


@pytest.mark.zh("与逐对复数旋转的定义一致")
@pytest.mark.parametrize(("b", "h", "hk", "length", "dh", "offset", "base"), [
    pytest.param(2, 3, 3, 5, 8, 0, 10000.0, id="B=2-H=3-L=5-Dh=8"),
    pytest.param(3, 2, 2, 4, 6, 7, 10000.0, id="B=3-H=2-L=4-Dh=6-offset=7"),
    pytest.param(1, 4, 1, 6, 10, 3, 500.0, id="B=1-H=4-Hk=1-L=6-Dh=10-offset=3-base=500"),
    pytest.param(2, 1, 1, 1, 2, 0, 10000.0, id="L=1-Dh=2-offset=0"),
])
def test_matches_the_definition(sub, rng, b, h, hk, length, dh, offset, base):
    q, k = rng.standard_normal((b, h, length, dh)), rng.standard_normal((b, hk, length, dh))
    _expect_rope(sub, q, k, offset, base, f"q {q.shape}, k {k.shape}, offset={offset}, base={base:g}")


@pytest.mark.zh("base 取其他值")
@pytest.mark.parametrize("base", [pytest.param(100.0, id="base=100"), pytest.param(1e6, id="base=1e6")])
def test_base(sub, rng, base):
    q, k = rng.standard_normal((1, 2, 5, 8)), rng.standard_normal((1, 2, 5, 8))
    _expect_rope(sub, q, k, 2, base, f"q {q.shape}, k {k.shape}, offset=2, base={base:g}")


@pytest.mark.zh("offset：解码一步等于整段序列的对应行")
def test_offset_matches_the_full_sequence(sub, ref, rng):
    q, k = rng.standard_normal((2, 3, 9, 6)), rng.standard_normal((2, 3, 9, 6))
    full_q, full_k = ref(q, k)
    for start, stop in [(8, 9), (5, 9), (3, 4)]:
        ctx = t(f"rows {start}:{stop} of a length-9 sequence passed alone with offset={start}",
                f"长度为 9 的序列的第 {start}:{stop} 行单独传入，offset={start}")
        got = _call(sub, q[:, :, start:stop], k[:, :, start:stop], ctx, offset=start)
        expect_array(got[0], full_q[:, :, start:stop], name="q_rot", context=ctx)
        expect_array(got[1], full_k[:, :, start:stop], name="k_rot", context=ctx)


@pytest.mark.zh("分数只取决于相对位置；范数不变")
def test_scores_depend_only_on_the_offset(sub, rng):
    dh, length = 8, 7
    qv, kv = rng.standard_normal(dh), rng.standard_normal(dh)
    q = np.broadcast_to(qv, (1, 1, length, dh)).copy()
    k = np.broadcast_to(kv, (1, 1, length, dh)).copy()
    ctx = t(f"the same q and the same k at positions 4 .. {4 + length - 1}, Dh={dh}",
            f"相同的 q 和相同的 k 放在位置 4 .. {4 + length - 1}，Dh={dh}")
    q_rot, k_rot = _expect_rope(sub, q, k, 4, 10000.0, ctx)
    scores = q_rot[0, 0] @ k_rot[0, 0].T
    for m in range(length - 1):
        for n in range(length - 1):
            if not math.isclose(scores[m + 1, n + 1], scores[m, n], rel_tol=1e-9, abs_tol=1e-9):
                raise CheckFailed(ctx + t(f": q_rot[{m + 1}] . k_rot[{n + 1}] should equal q_rot[{m}] . k_rot[{n}] "
                                          "(same position difference)",
                                          f"：q_rot[{m + 1}] · k_rot[{n + 1}] 应等于 q_rot[{m}] · k_rot[{n}]"
                                          "（位置差相同）"))
    expect_array(np.linalg.norm(q_rot, axis=-1), np.full((1, 1, length), np.linalg.norm(qv)),
                 name=t("norms of the rows of q_rot", "q_rot 各行的范数"), context=ctx)


@pytest.mark.zh("位置很大")
def test_large_positions(sub, rng):
    q, k = rng.standard_normal((1, 2, 3, 16)), rng.standard_normal((1, 1, 3, 16))
    _expect_rope(sub, q, k, 100000, 10000.0, f"q {q.shape}, k {k.shape}, offset=100000", rtol=1e-7, atol=1e-9)


@pytest.mark.zh("float32 输入得到 float32 输出")
def test_float32_stays_float32(sub, rng):
    q = rng.standard_normal((2, 2, 4, 8)).astype(np.float32)
    k = rng.standard_normal((2, 1, 4, 8)).astype(np.float32)
    _expect_rope(sub, q, k, 3, 10000.0, t("float32 q (2, 2, 4, 8) and k (2, 1, 4, 8), offset=3",
                                          "float32 的 q (2, 2, 4, 8) 和 k (2, 1, 4, 8)，offset=3"), dtype=np.float32)


@st.composite
def cases(draw):
    h = draw(st.integers(1, 4))
    return (draw(st.integers(1, 3)), h, draw(st.sampled_from([1, h])), draw(st.integers(1, 6)),
            2 * draw(st.integers(1, 6)), draw(st.integers(0, 50)), draw(st.sampled_from([10000.0, 500.0, 1e5])),
            draw(st.integers(0, 2**31)))


@pytest.mark.zh("随机形状、offset 与 base")
@settings(max_examples=8)
@given(c=cases())
def test_random_cases(sub, c):
    b, h, hk, length, dh, offset, base, seed = c
    r = np.random.default_rng(seed)
    q, k = r.standard_normal((b, h, length, dh)), r.standard_normal((b, hk, length, dh))
    _expect_rope(sub, q, k, offset, base, f"q {q.shape}, k {k.shape}, offset={offset}, base={base:g}")


def speed_case(rng):
    return (rng.standard_normal((4, 16, 256, 64)), rng.standard_normal((4, 4, 256, 64))), {"offset": 10}
