"""Hidden checks for transformer compute: counting real tensor shapes, GPT-2 numbers, 6ND, 16 bytes/param."""

import numpy as np
from hypothesis import strategies as st

from prep.grading.checks import CheckFailed, expect_equal, for_all


def _int(got, name, context):
    if isinstance(got, np.integer):
        got = int(got)
    if isinstance(got, bool) or not isinstance(got, int):
        raise CheckFailed(f"{context}: {name} should be an int, got {type(got).__name__} {got!r}")
    return got


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


def check_gpt2_small(sub):
    ctx = "transformer_params(12, 768, 50257)"
    expect_equal(_int(sub(12, 768, 50257), "the count", ctx), 123_653_376, name="parameters",
                 context=ctx + " (GPT-2 small without its 786,432 learned positions)")
    ctx = "transformer_params(12, 768, 50257, tied=False)"
    expect_equal(_int(sub(12, 768, 50257, tied=False), "the count", ctx), 162_250_752, name="parameters",
                 context=ctx + ": the output projection adds 50257 x 768")


def check_counts_every_tensor(sub, rng):
    for _ in range(4):
        n_layers, d = int(rng.integers(1, 40)), int(rng.integers(1, 64)) * 16
        vocab, d_ff = int(rng.integers(1000, 200_000)), int(rng.integers(1, 6)) * d
        tied = bool(rng.integers(0, 2))
        ctx = f"transformer_params({n_layers}, {d}, {vocab}, d_ff={d_ff}, tied={tied})"
        got = _int(sub(n_layers, d, vocab, d_ff=d_ff, tied=tied), "the count", ctx)
        expect_equal(got, _count_tensors(n_layers, d, vocab, d_ff, tied), name="parameters", context=ctx)


def check_default_d_ff_is_4d(sub):
    ctx = "transformer_params(2, 64, 100) vs d_ff=256"
    expect_equal(_int(sub(2, 64, 100), "the count", ctx), _int(sub(2, 64, 100, d_ff=256), "the count", ctx),
                 name="parameters", context=ctx)
    expect_equal(_int(sub(2, 64, 100), "the count", ctx), _count_tensors(2, 64, 100, 256, True),
                 name="parameters", context="transformer_params(2, 64, 100)")


def check_training_flops(sub):
    f = sub.fn("training_flops")
    for n, d, expected in ((70_000_000_000, 1_400_000_000_000, 588_000_000_000_000_000_000_000),
                           (124_439_808, 10**9, 746_638_848 * 10**9), (1, 1, 6)):
        ctx = f"training_flops({n}, {d})"
        expect_equal(_int(f(n, d), "FLOPs", ctx), expected, name="FLOPs", context=ctx + ": 6 N D")


def check_memory_7b(sub):
    f = sub.fn("training_memory_bytes")
    ctx = "training_memory_bytes(7e9, 32 layers, d 4096, 32 heads, batch 1, seq 4096)"
    got = f(7_000_000_000, 32, 4096, 32, 1, 4096)
    if not isinstance(got, dict) or set(got) != {"weights_grads_optimizer", "activations", "total"}:
        raise CheckFailed(f"{ctx}: expected a dict with keys weights_grads_optimizer, activations, total; got {got!r}")
    expect_equal(_int(got["weights_grads_optimizer"], "weights_grads_optimizer", ctx), 112_000_000_000,
                 name="weights_grads_optimizer", context=ctx + ": 16 bytes per parameter")
    act = 32 * (34 * 4096 * 1 * 4096 + 5 * 32 * 4096 * 4096 * 1)
    expect_equal(_int(got["activations"], "activations", ctx), act, name="activations",
                 context=ctx + ": 32 * (34 s b d + 5 a s^2 b)")
    expect_equal(_int(got["total"], "total", ctx), 112_000_000_000 + act, name="total", context=ctx)


def check_activations_scale_quadratically_with_seq(sub):
    f = sub.fn("training_memory_bytes")
    a1 = _int(f(10**9, 24, 2048, 16, 4, 2048)["activations"], "activations", "seq 2048")
    a2 = _int(f(10**9, 24, 2048, 16, 4, 4096)["activations"], "activations", "seq 4096")
    linear, quad = 24 * 34 * 2048 * 4 * 2048, 24 * 5 * 16 * 2048 * 2048 * 4
    expect_equal([a1, a2], [linear + quad, 2 * linear + 4 * quad], name="activations at seq 2048 and 4096",
                 context="24 layers, d 2048, 16 heads, batch 4: the 34 s b d term doubles, the 5 a s^2 b term "
                         "quadruples")


@st.composite
def _cases(draw):
    return (draw(st.integers(1, 96)), draw(st.integers(1, 128)) * 64, draw(st.integers(100, 256_000)),
            draw(st.one_of(st.none(), st.integers(1, 8).map(lambda k: k * 256))), draw(st.booleans()),
            draw(st.integers(1, 64)), draw(st.integers(1, 32)), draw(st.integers(1, 64)) * 128)


def check_random_configurations(sub, ref, rng):
    def case(c):
        n_layers, d, vocab, d_ff, tied, heads, batch, seq = c
        ctx = f"n_layers {n_layers}, d_model {d}, vocab {vocab}, d_ff {d_ff}, tied {tied}"
        n = _int(sub(n_layers, d, vocab, d_ff=d_ff, tied=tied), "the count", ctx)
        expect_equal(n, ref(n_layers, d, vocab, d_ff=d_ff, tied=tied), name="parameters", context=ctx)
        ctx += f", heads {heads}, batch {batch}, seq {seq}"
        got = sub.fn("training_memory_bytes")(n, n_layers, d, heads, batch, seq)
        want = ref.fn("training_memory_bytes")(n, n_layers, d, heads, batch, seq)
        if not isinstance(got, dict):
            raise CheckFailed(f"{ctx}: training_memory_bytes should return a dict, got {type(got).__name__}")
        for key, value in want.items():
            expect_equal(_int(got.get(key), key, ctx), value, name=key, context=ctx)

    for_all(rng, _cases(), case, examples=10)


def speed_case(rng):
    return (96, 12288, 50257), {"d_ff": 4 * 12288, "tied": False}
