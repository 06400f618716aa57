"""Hidden checks for transformer compute: counting real tensor shapes, GPT-2 numbers, 6ND, 16 bytes/param,
activations (exact ints, quadratic in seq), and random configurations."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from prep.grading.checks import CheckFailed, expect_equal, t


def _int(got, name, context):
    if isinstance(got, np.integer):
        got = int(got)
    if isinstance(got, bool) or not isinstance(got, int):
        raise CheckFailed(f"{context}: " + t(f"{name} should be an int, got {type(got).__name__} {got!r}",
                                             f"{name} 应为 int，实际为 {type(got).__name__} {got!r}"))
    return got


def _memory(sub, args, context):
    got = sub.fn("training_memory_bytes")(*args)
    if not isinstance(got, dict) or set(got) != {"weights_grads_optimizer", "activations", "total"}:
        raise CheckFailed(f"{context}: " + t(
            f"expected a dict with keys weights_grads_optimizer, activations, total; got {got!r}",
            f"应返回键为 weights_grads_optimizer、activations、total 的字典；实际为 {got!r}"))
    return {key: _int(value, key, context) for key, value in got.items()}


def _count_tensors(n_layers, d, vocab, d_ff, tied):
    """Independent count: list every tensor of the model by its shape and add their sizes."""
    shapes = [(vocab, d), (d,), (d,)]  # embedding, final LayerNorm gain and bias
    for _ in range(n_layers):
        shapes += [(d,), (d,)]                                    # LayerNorm 1
        shapes += [(d, d), (d,)] * 4                              # q, k, v, o with biases
        shapes += [(d,), (d,)]                                    # LayerNorm 2
        shapes += [(d, d_ff), (d_ff,), (d_ff, d), (d,)]           # MLP
    if not tied:
        shapes.append((d, vocab))
    return sum(int(np.prod(s)) for s in shapes)


@pytest.mark.zh("GPT-2 small")
@pytest.mark.parametrize("tied", [True, False], ids=["tied", "untied"])
def test_gpt2_small(sub, tied):
    ctx = f"transformer_params(12, 768, 50257, tied={tied})"
    want = 123_653_376 if tied else 162_250_752
    note = t(" (GPT-2 small without its 786,432 learned positions)", "（GPT-2 small 去掉 786,432 个可学习位置参数）") \
        if tied else t(": the output projection adds 50257 x 768", "：输出投影再加 50257 x 768")
    expect_equal(_int(sub(12, 768, 50257, tied=tied), t("the count", "参数量"), ctx), want,
                 name=t("parameters", "参数量"), context=ctx + note)


@pytest.mark.zh("逐个张量计数")
@pytest.mark.parametrize(("n_layers", "d", "vocab", "k_ff", "tied"), [
    pytest.param(7, 320, 32000, 3, True, id="L=7-d=320-d_ff=3d-tied"),
    pytest.param(30, 1024, 151_936, 5, False, id="L=30-d=1024-d_ff=5d-untied"),
    pytest.param(1, 16, 1000, 1, False, id="L=1-d=16-d_ff=d-untied"),
    pytest.param(39, 992, 199_999, 2, True, id="L=39-d=992-d_ff=2d-tied"),
])
def test_counts_every_tensor(sub, n_layers, d, vocab, k_ff, tied):
    d_ff = k_ff * d
    ctx = f"transformer_params({n_layers}, {d}, {vocab}, d_ff={d_ff}, tied={tied})"
    got = _int(sub(n_layers, d, vocab, d_ff=d_ff, tied=tied), t("the count", "参数量"), ctx)
    expect_equal(got, _count_tensors(n_layers, d, vocab, d_ff, tied), name=t("parameters", "参数量"), context=ctx)


@pytest.mark.zh("d_ff 默认为 4d")
def test_default_d_ff_is_4d(sub):
    ctx = "transformer_params(2, 64, 100)"
    expect_equal(_int(sub(2, 64, 100), t("the count", "参数量"), ctx), _count_tensors(2, 64, 100, 256, True),
                 name=t("parameters", "参数量"), context=ctx + t(": d_ff defaults to 4 * 64 = 256",
                                                              "：d_ff 默认为 4 * 64 = 256"))


@pytest.mark.zh("训练算力 6ND")
@pytest.mark.parametrize(("n", "d", "expected"), [
    pytest.param(70_000_000_000, 1_400_000_000_000, 588_000_000_000_000_000_000_000, id="70B-1.4T"),
    pytest.param(124_439_808, 10**9, 746_638_848 * 10**9, id="gpt2-1B-tokens"),
    pytest.param(1, 1, 6, id="N=1-D=1"),
])
def test_training_flops(sub, n, d, expected):
    ctx = f"training_flops({n}, {d})"
    expect_equal(_int(sub.fn("training_flops")(n, d), "FLOPs", ctx), expected, name="FLOPs", context=ctx + ": 6 N D")


@pytest.mark.zh("7B 模型的显存")
def test_memory_7b(sub):
    ctx = "training_memory_bytes(7e9, 32 layers, d 4096, 32 heads, batch 1, seq 4096)"
    got = _memory(sub, (7_000_000_000, 32, 4096, 32, 1, 4096), ctx)
    expect_equal(got["weights_grads_optimizer"], 112_000_000_000, name="weights_grads_optimizer",
                 context=ctx + t(": 16 bytes per parameter", "：每个参数 16 字节"))
    act = 32 * (34 * 4096 * 1 * 4096 + 5 * 32 * 4096 * 4096 * 1)
    expect_equal(got["activations"], act, name="activations", context=ctx + ": 32 * (34 s b d + 5 a s^2 b)")
    expect_equal(got["total"], 112_000_000_000 + act, name="total", context=ctx)


@pytest.mark.zh("激活随 seq 平方增长")
def test_activations_scale_quadratically_with_seq(sub):
    a1 = _memory(sub, (10**9, 24, 2048, 16, 4, 2048), "seq 2048")["activations"]
    a2 = _memory(sub, (10**9, 24, 2048, 16, 4, 4096), "seq 4096")["activations"]
    linear, quad = 24 * 34 * 2048 * 4 * 2048, 24 * 5 * 16 * 2048 * 2048 * 4
    expect_equal([a1, a2], [linear + quad, 2 * linear + 4 * quad], name=t("activations at seq 2048 and 4096",
                                                                          "seq 2048 与 4096 时的激活"),
                 context=t("24 layers, d 2048, 16 heads, batch 4: the 34 s b d term doubles, the 5 a s^2 b term "
                           "quadruples",
                           "24 层，d 2048，16 个头，batch 4：34 s b d 项翻倍，5 a s^2 b 项变为 4 倍"))


@pytest.mark.zh("激活是精确的整数")
def test_activations_are_exact_integers(sub):
    # 5 a s / d = 5 * 48 * 4400 / 4608 = 229.1666...: the per-layer form s b d (34 + 5 a s / d) in floats,
    # then int(), comes out one byte short; integer arithmetic is exact
    args = (10**9, 24, 4608, 48, 1, 4400)
    ctx = t("24 layers, d 4608, 48 heads, batch 1, seq 4400 (5 a s / d = 229.17 is not a whole number)",
            "24 层，d 4608，48 个头，batch 1，seq 4400（5 a s / d = 229.17 不是整数）")
    got = _memory(sub, args, ctx)
    expect_equal(got["activations"], 24 * (34 * 4400 * 1 * 4608 + 5 * 48 * 4400 * 4400 * 1), name="activations",
                 context=ctx + t(": use integer arithmetic only", "：只用整数运算"))


@st.composite
def _cases(draw):
    return (draw(st.integers(1, 96)), draw(st.integers(1, 128)) * 64, draw(st.integers(100, 256_000)),
            draw(st.one_of(st.none(), st.integers(1, 8).map(lambda k: k * 256))), draw(st.booleans()),
            draw(st.integers(1, 64)), draw(st.integers(1, 32)), draw(st.integers(1, 64)) * 128)


@pytest.mark.zh("随机配置")
@settings(max_examples=10)
@given(case=_cases())
def test_random_configurations(sub, ref, case):
    n_layers, d, vocab, d_ff, tied, heads, batch, seq = case
    ctx = f"n_layers {n_layers}, d_model {d}, vocab {vocab}, d_ff {d_ff}, tied {tied}"
    n = _int(sub(n_layers, d, vocab, d_ff=d_ff, tied=tied), t("the count", "参数量"), ctx)
    expect_equal(n, ref(n_layers, d, vocab, d_ff=d_ff, tied=tied), name=t("parameters", "参数量"), context=ctx)
    ctx += f", heads {heads}, batch {batch}, seq {seq}"
    got = _memory(sub, (n, n_layers, d, heads, batch, seq), ctx)
    for key, value in ref.fn("training_memory_bytes")(n, n_layers, d, heads, batch, seq).items():
        expect_equal(got[key], value, name=key, context=ctx)


def speed_case(rng):
    return (96, 12288, 50257), {"d_ff": 4 * 12288, "tied": False}
