"""Numeric drills: every generator's answer against an independent computation, and the answer parser."""

from __future__ import annotations

import functools
import json
import math
import random
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from prep.drills import (
    FLOPS,
    GB,
    PERCENT,
    SECONDS,
    Drill,
    Kind,
    Slip,
    all_generators,
    format_answer,
    get_generator,
    tolerance_text,
)
from prep.drills.answers import Verdict, grade, parse_answer

ROOT = Path(__file__).parent.parent
SEEDS = range(25)
GENERATORS = {g.name: g for g in all_generators()}
BYTES_PER = {"fp32": np.dtype(np.float32).itemsize, "fp16": np.dtype(np.float16).itemsize,
             "bf16": np.dtype(np.float16).itemsize, "fp8": np.dtype(np.uint8).itemsize,
             "int8": np.dtype(np.int8).itemsize, "int4": np.dtype(np.uint8).itemsize / 2}  # two int4 per byte


def drills(name: str) -> list[Drill]:
    return [GENERATORS[name](np.random.default_rng(seed)) for seed in SEEDS]


def arr(*shape: int) -> np.ndarray:
    """An array of the given shape that takes no memory: enough to count a 70B model's parameters."""
    return np.broadcast_to(np.zeros((), np.float32), shape)


# --- an independent Llama-style model, built tensor by tensor ----------------------------------------------

def llama_tensors(i: dict, tied: bool | None = None) -> list[np.ndarray]:
    d, h, kv, hd, f, v = i["d_model"], i["heads"], i["kv_heads"], i["head_dim"], i["ffn"], i["vocab"]
    tensors = [arr(v, d)]  # token embedding
    for _ in range(i["layers"]):
        tensors += [arr(d), arr(h * hd, d), arr(kv * hd, d), arr(kv * hd, d), arr(d, h * hd),  # norm, q, k, v, o
                    arr(d), arr(f, d), arr(f, d), arr(d, f)]  # norm, gate, up, down
    tensors.append(arr(d))  # final norm
    if not (i.get("tied") if tied is None else tied):
        tensors.append(arr(v, d))  # output head
    return tensors


def is_tied(i: dict) -> bool:
    return i["model"] in ("Llama-3.2 1B", "Llama-3.2 3B", "Falcon-7B")


def forward_flops_per_token(i: dict, context: int = 0) -> tuple[float, float]:
    """(weight FLOPs, context-attention FLOPs) of one token's forward pass, summed matmul by matmul.

    Every matrix (the embedding as a one-hot matmul) costs 2 FLOPs per element; per layer and head,
    QK^T and AV each cost 2·T·head_dim. Norm vectors are left out: they are the only difference from 2N.
    """
    weights = sum(2.0 * t.size for t in llama_tensors(i, is_tied(i)) if t.ndim == 2)
    attention = 0.0
    for _layer in range(i["layers"]):
        for _head in range(i["heads"]):
            attention += 2.0 * context * i["head_dim"] + 2.0 * context * i["head_dim"]
    return weights, attention


def close(a: float, b: float, rel: float = 1e-9) -> bool:
    return math.isclose(a, b, rel_tol=rel)


# --- independent checks, one per generator ------------------------------------------------------------------

def check_conv_output_size(d: Drill) -> None:
    i = d.inputs
    size, k, s, p, dil = i["size"], i["kernel"], i["stride"], i["padding"], i["dilation"]
    starts = [x for x in range(-p, size + p, s) if x + dil * (k - 1) <= size + p - 1]
    assert d.answer == len(starts)


def check_conv_params(d: Drill) -> None:
    i = d.inputs
    weight = arr(i["c_out"], i["c_in"] // i["groups"], i["kernel"], i["kernel"])
    assert d.answer == weight.size + (i["c_out"] if i["bias"] else 0)


def check_receptive_field(d: Drill) -> None:
    lo, hi = 0, 0  # the input interval one output pixel sees, walked back from the top layer
    for layer in reversed(str(d.inputs["layers"]).split(";")):
        k, s, dil = map(int, layer.split(","))
        lo, hi = lo * s, hi * s + dil * (k - 1)
    assert d.answer == hi - lo + 1


def check_linear_params(d: Drill) -> None:
    i = d.inputs
    assert d.answer == arr(i["d_out"], i["d_in"]).size + (arr(i["d_out"]).size if i["bias"] else 0)


def check_embedding_params(d: Drill) -> None:
    i = d.inputs
    assert d.answer == arr(i["vocab"], i["d_model"]).size + arr(i["positions"], i["d_model"]).size


def check_attention_params(d: Drill) -> None:
    i = d.inputs
    dm, h, kv, hd = i["d_model"], i["heads"], i["kv_heads"], i["head_dim"]
    ts = [arr(h * hd, dm), arr(kv * hd, dm), arr(kv * hd, dm), arr(dm, h * hd)]
    if i["bias"]:
        ts += [arr(h * hd), arr(kv * hd), arr(kv * hd), arr(dm)]
    assert d.answer == sum(t.size for t in ts)


def check_mlp_params(d: Drill) -> None:
    i = d.inputs
    dm, f = i["d_model"], i["ffn"]
    ts = [arr(f, dm), arr(f, dm), arr(dm, f)] if i["gated"] else [arr(f, dm), arr(f), arr(dm, f), arr(dm)]
    assert d.answer == sum(t.size for t in ts)


def check_transformer_params(d: Drill) -> None:
    assert d.answer == sum(t.size for t in llama_tensors(dict(d.inputs)))


def gpt2_tensors(i: dict) -> list[np.ndarray]:
    dm = i["d_model"]
    ts = [arr(i["vocab"], dm), arr(i["context"], dm)]
    for _ in range(i["layers"]):
        ts += [arr(dm), arr(dm), arr(dm, 3 * dm), arr(3 * dm), arr(dm, dm), arr(dm),
               arr(dm), arr(dm), arr(dm, 4 * dm), arr(4 * dm), arr(4 * dm, dm), arr(dm)]
    return [*ts, arr(dm), arr(dm)]


def check_gpt2_params(d: Drill) -> None:
    assert d.answer == sum(t.size for t in gpt2_tensors(dict(d.inputs)))


LORA_TARGETS = {"q,v": "qv", "q,k,v,o": "qkvo", "all linear": "qkvoGUD"}


def check_lora_params(d: Drill) -> None:
    i = d.inputs
    dm, q, kv, f, r = i["d_model"], i["heads"] * i["head_dim"], i["kv_heads"] * i["head_dim"], i["ffn"], i["rank"]
    io = {"q": (dm, q), "k": (dm, kv), "v": (dm, kv), "o": (q, dm), "G": (dm, f), "U": (dm, f), "D": (f, dm)}
    total = 0
    for _layer in range(i["layers"]):
        for t in LORA_TARGETS[str(i["target"])]:
            d_in, d_out = io[t]
            total += arr(r, d_in).size + arr(d_out, r).size  # A, B
    assert d.answer == total


def check_training_flops(d: Drill) -> None:
    i = dict(d.inputs)
    weights, _ = forward_flops_per_token(i)
    seq = i["seq"]
    # a causal sequence of T tokens: the token at position t attends to t keys (QK^T and AV, every layer and head)
    attention_per_sequence = sum(4.0 * t * i["head_dim"] * i["heads"] * i["layers"] for t in range(1, seq + 1))
    per_token = weights + (attention_per_sequence / seq if seq else 0.0)
    explicit = 3 * per_token * i["tokens"]  # backward costs twice the forward
    assert close(d.answer, explicit, 1e-3)


def check_inference_flops(d: Drill) -> None:
    i = dict(d.inputs)
    weights, attention = forward_flops_per_token(i, i["context"] if i["with_context"] else 0)
    assert close(d.answer, weights + attention, 1e-4)


def check_attention_flops_share(d: Drill) -> None:
    weights, attention = forward_flops_per_token(dict(d.inputs), int(d.inputs["context"]))
    assert close(d.answer, attention / (weights + attention), 1e-4)


def check_training_time(d: Drill) -> None:
    i = dict(d.inputs)
    weights, _ = forward_flops_per_token(i)
    tokens_per_step = 4 * 2**20
    steps = i["tokens"] / tokens_per_step
    step_seconds = 3 * weights * tokens_per_step / (i["gpus"] * i["gpu_flops"] * i["mfu"])
    assert close(d.answer, steps * step_seconds, 1e-4)


def check_mfu(d: Drill) -> None:
    weights, _ = forward_flops_per_token(dict(d.inputs))
    assert close(d.answer, 3 * weights * d.inputs["tokens_per_s"] / d.inputs["gpu_flops"], 1e-4)


def check_chinchilla_tokens(d: Drill) -> None:
    params = d.answer / 20
    if d.inputs["from_budget"]:
        assert close(6 * params * d.answer, float(d.inputs["budget"]))
    else:
        assert close(params, float(d.inputs["params"]))


def kv_tensors(i: dict, batch: int, context: int) -> list[np.ndarray]:
    return [arr(batch, i["kv_heads"], context, i["head_dim"]) for _layer in range(i["layers"]) for _kv in "KV"]


def check_kv_cache(d: Drill) -> None:
    i = dict(d.inputs)
    assert close(d.answer, sum(t.size * BYTES_PER[i["dtype"]] for t in kv_tensors(i, i["batch"], i["context"])))


def check_weights_memory(d: Drill) -> None:
    i = dict(d.inputs)
    assert close(d.answer, sum(t.size * BYTES_PER[i["dtype"]] for t in llama_tensors(i, is_tied(i))))


RECIPE_BYTES = {"mixed": {"weights": 2, "grads": 2, "master": 4, "m": 4, "v": 4},
                "fp32": {"weights": 4, "grads": 4, "m": 4, "v": 4},
                "8bit": {"weights": 2, "grads": 2, "master": 4, "m": 1, "v": 1}}


def check_adam_memory(d: Drill) -> None:
    i = dict(d.inputs)
    stage, gpus = i["zero_stage"], i["gpus"]
    sharded = {"weights": stage >= 3, "grads": stage >= 2, "master": stage >= 1, "m": stage >= 1, "v": stage >= 1}
    total = 0.0
    for t in llama_tensors(i, is_tied(i)):
        for part, size in RECIPE_BYTES[str(i["recipe"])].items():
            total += t.size * size / (gpus if sharded[part] else 1)
    assert close(d.answer, total)


def check_activation_memory(d: Drill) -> None:
    i = d.inputs
    s, b, h, a = i["seq"], i["batch"], i["d_model"], i["heads"]
    f16, u8 = np.dtype(np.float16).itemsize, np.dtype(np.uint8).itemsize
    sbh, scores = (s, b, h), (b, a, s, s)
    stored = {  # the tensors one layer keeps for its backward pass (Korthikanti et al. 2022)
        "ln1 input": (sbh, f16), "qkv input": (sbh, f16), "q": (sbh, f16), "k": (sbh, f16),
        "softmax output": (scores, f16), "attention dropout mask": (scores, u8),
        "attention dropout output": (scores, f16), "v": (sbh, f16), "out-proj input": (sbh, f16),
        "residual dropout mask 1": (sbh, u8), "ln2 input": (sbh, f16), "fc1 input": (sbh, f16),
        "gelu input": ((s, b, 4 * h), f16), "fc2 input": ((s, b, 4 * h), f16), "residual dropout mask 2": (sbh, u8),
    }
    if i["mode"] == "selective":
        stored = {k: v for k, v in stored.items() if v[0] != scores}
    elif i["mode"] == "full":
        stored = {"layer input": (sbh, f16)}
    per_layer = sum(arr(*shape).size * size for shape, size in stored.values())
    assert d.answer == i["layers"] * per_layer


def check_decode_tokens_per_second(d: Drill) -> None:
    i = dict(d.inputs)
    read = sum(t.size * BYTES_PER[i["dtype"]] for t in llama_tensors(i, is_tied(i)))
    read += sum(t.size * BYTES_PER["fp16"] for t in kv_tensors(i, 1, i["context"]))
    assert close(d.answer, i["bandwidth"] / read)


def check_global_batch_tokens(d: Drill) -> None:
    i = d.inputs
    replicas = {rank // i["tp"] for rank in range(i["gpus"])}  # ranks of one tensor-parallel group share data
    tokens = 0
    for _accum in range(i["accumulation"]):
        for _replica in replicas:
            tokens += i["micro_batch"] * i["seq"]
    assert d.answer == tokens


def check_steps_per_epoch(d: Drill) -> None:
    i = d.inputs
    batch = i["gpus"] * i["micro_batch"] * i["accumulation"]
    left, steps = i["size"], 0
    while left > 0:
        if left < batch and i["drop_last"]:
            break
        left -= min(batch, left)
        steps += 1
    assert d.answer == steps


@functools.cache
def ring_allreduce_sent_fraction(ranks: int) -> float:
    """Run a real ring all-reduce on small vectors; return what rank 0 sends, as a fraction of a vector."""
    rng = np.random.default_rng(ranks)
    data = [rng.normal(size=ranks * 3) for _ in range(ranks)]
    expected = np.sum(data, axis=0)
    chunks = [np.split(x.copy(), ranks) for x in data]
    sent = 0
    for step in range(ranks - 1):  # reduce-scatter: rank r passes its running sum of chunk r - step
        msgs = [(r, (r - step) % ranks, chunks[r][(r - step) % ranks].copy()) for r in range(ranks)]
        for r, c, payload in msgs:
            chunks[(r + 1) % ranks][c] += payload
            sent += payload.size if r == 0 else 0
    for step in range(ranks - 1):  # all-gather
        msgs = [(r, (r + 1 - step) % ranks, chunks[r][(r + 1 - step) % ranks].copy()) for r in range(ranks)]
        for r, c, payload in msgs:
            chunks[(r + 1) % ranks][c] = payload
            sent += payload.size if r == 0 else 0
    for r in range(ranks):
        np.testing.assert_allclose(np.concatenate(chunks[r]), expected)
    return sent / (ranks * 3)


def check_ring_allreduce(d: Drill) -> None:
    i = dict(d.inputs)
    grad_bytes = sum(t.size * BYTES_PER[i["dtype"]] for t in llama_tensors(i, is_tied(i)))
    assert close(d.answer, ring_allreduce_sent_fraction(i["ranks"]) * grad_bytes)


def check_pipeline_bubble(d: Drill) -> None:
    p, m = d.inputs["stages"], d.inputs["micro_batches"]
    fwd, bwd = 1.0, 2.0  # any durations: the idle share does not depend on them
    f_end = [[0.0] * m for _ in range(p)]
    for s in range(p):
        for j in range(m):
            f_end[s][j] = max(f_end[s - 1][j] if s else 0.0, f_end[s][j - 1] if j else 0.0) + fwd
    flush = max(f_end[p - 1])
    b_end = [[0.0] * m for _ in range(p)]
    for s in reversed(range(p)):
        for j in range(m):
            start = max(b_end[s + 1][j] if s < p - 1 else flush, b_end[s][j - 1] if j else 0.0, f_end[s][m - 1])
            b_end[s][j] = start + bwd
    total = b_end[0][m - 1]
    assert close(d.answer, 1 - m * (fwd + bwd) / total)


def parse_vec(text: object) -> np.ndarray:
    return np.array(json.loads(str(text)), dtype=np.float64)


def check_softmax(d: Drill) -> None:
    z = parse_vec(d.inputs["logits"]) / float(d.inputs["temperature"])
    p = np.exp(z - z.max()) / np.exp(z - z.max()).sum()
    assert close(d.answer, float(p[int(d.inputs["index"])]), 1e-12)


def check_cross_entropy(d: Drill) -> None:
    z = parse_vec(d.inputs["logits"])
    log_p = z - np.logaddexp.reduce(z)
    assert close(d.answer, float(-log_p[int(d.inputs["target"])]), 1e-12)


def check_perplexity(d: Drill) -> None:
    # perplexity is the inverse geometric mean of the per-token probabilities
    probs = np.full(10, np.exp(-float(d.inputs["loss"])))
    assert close(d.answer, float(np.prod(probs) ** (-1 / probs.size)), 1e-12)


def check_int8_scale(d: Drill) -> None:
    assert close(d.answer, float(np.abs(parse_vec(d.inputs["x"])).max() / 127), 1e-12)


def check_int8_quantize(d: Drill) -> None:
    x = parse_vec(d.inputs["x"])
    q = np.clip(np.rint(x / (np.abs(x).max() / 127)), -127, 127).astype(np.int8)
    assert d.answer == q[int(d.inputs["index"])] != 0


CHECKS: dict[str, Callable[[Drill], None]] = {
    name.removeprefix("check_").replace("_", "-"): fn for name, fn in globals().items() if name.startswith("check_")
}

# Plausible ranges (base units) of every answer: realistic magnitudes, no unit slips in a generator.
RANGES = {
    "conv-output-size": (1, 512), "conv-params": (16, 3e7), "receptive-field": (3, 500),
    "linear-params": (7e3, 2e8), "embedding-params": (1.5e7, 7e8), "attention-params": (1e6, 3e8),
    "mlp-params": (4e6, 8e8), "transformer-params": (1e9, 8e10), "gpt2-params": (1.2e8, 1.6e9),
    "lora-params": (4e5, 1e9), "training-flops": (1e21, 1e26), "inference-flops": (2e9, 5e11),
    "attention-flops-share": (0.01, 0.99), "training-time": (3600, 3e8), "mfu": (0.2, 0.65),
    "chinchilla-tokens": (5e9, 2e13), "kv-cache": (1e6, 3e12), "weights-memory": (5e8, 3e11),
    "adam-memory": (1e8, 2e12), "activation-memory": (1e7, 2e11), "decode-tokens-per-second": (20, 1e4),
    "global-batch-tokens": (1.6e4, 3e8), "steps-per-epoch": (1, 1e5), "ring-allreduce": (1e9, 6e11),
    "pipeline-bubble": (0.01, 0.95), "softmax": (1e-5, 1), "cross-entropy": (0.05, 10), "perplexity": (3, 40),
    "int8-scale": (0.003, 0.03), "int8-quantize": (-127, 127),
}


def test_there_are_at_least_25_generators_each_with_a_check_and_a_range() -> None:
    assert len(GENERATORS) >= 25
    assert set(CHECKS) == set(GENERATORS)
    assert set(RANGES) == set(GENERATORS)


@pytest.mark.parametrize("name", sorted(GENERATORS))
def test_answer_matches_an_independent_computation(name: str) -> None:
    for d in drills(name):
        CHECKS[name](d)


@pytest.mark.parametrize("name", sorted(GENERATORS))
def test_generator_is_well_formed(name: str) -> None:
    gen = GENERATORS[name]
    topics = {t["slug"] for t in yaml.safe_load((ROOT / "bank" / "topics.yaml").read_text())["topics"]}
    assert gen.card_id == f"drill:{name}" and get_generator(gen.card_id) is gen
    assert gen.topics and set(gen.topics) <= topics
    assert gen.title["en"] and re.search("[\u4e00-\u9fff]", gen.title["zh"])
    lo, hi = RANGES[name]
    for d in drills(name):
        assert d.name == name and d.topics == gen.topics
        for text in (d.question, d.derivation):
            assert set(text) == {"en", "zh"} and text["en"].strip()
            assert re.search("[\u4e00-\u9fff]", text["zh"]) and "词元" not in text["zh"]
        assert 0 < d.tolerance <= 0.05
        assert lo <= d.answer <= hi, (d.answer, d.inputs)
        assert d.inputs
        assert tolerance_text(d, "en") and tolerance_text(d, "zh")


@pytest.mark.parametrize("name", sorted(GENERATORS))
def test_generator_is_pure_and_deterministic(name: str) -> None:
    gen = GENERATORS[name]
    py_state, np_state = random.getstate(), np.random.get_state()
    first = [gen(np.random.default_rng(seed)) for seed in range(5)]
    random.seed(123)
    np.random.seed(123)
    assert first == [gen(np.random.default_rng(seed)) for seed in range(5)]
    random.setstate(py_state)
    np.random.set_state(np_state)
    after = random.getstate(), np.random.get_state()
    gen(np.random.default_rng(9))
    assert random.getstate() == after[0]
    assert str(np.random.get_state()) == str(after[1])
    assert len({repr(d.inputs) for d in drills(name)}) > 3  # numbers really are drawn fresh


@pytest.mark.parametrize("name", sorted(GENERATORS))
def test_the_shown_answer_grades_right_and_each_named_slip_gets_its_note(name: str) -> None:
    for d in drills(name)[:10]:
        assert grade(d, format_answer(d)).verdict is Verdict.RIGHT, format_answer(d)
        assert grade(d, repr(d.answer)).verdict is Verdict.RIGHT
        for slip in d.slips:
            if abs(slip.factor - 1) > max(d.tolerance, 0.01) * 2:
                outcome = grade(d, repr(d.answer * slip.factor))
                assert outcome.verdict is Verdict.SLIP, (slip, d.answer)
                assert outcome.note["en"] and outcome.note["zh"]


def test_published_parameter_counts() -> None:
    from prep.drills.generators import _data

    published = {_data.LLAMA_2_7B: 6_738_415_616, _data.LLAMA_2_13B: 13_015_864_320,
                 _data.LLAMA_2_70B: 68_976_648_192, _data.LLAMA_3_8B: 8_030_261_248,
                 _data.LLAMA_3_70B: 70_553_706_496, _data.MISTRAL_7B: 7_241_732_096,
                 _data.LLAMA_32_1B: 1_235_814_400, _data.LLAMA_32_3B: 3_212_749_824}
    for model, count in published.items():
        assert model.params() == count, model.name
    small = {"layers": 12, "d_model": 768, "vocab": 50257, "context": 1024}
    assert sum(t.size for t in gpt2_tensors(small)) == 124_439_808


# --- against torch, when it is installed (a dev-only tool) ------------------------------------------------

def test_conv_shapes_and_parameters_against_torch() -> None:
    torch = pytest.importorskip("torch")
    for d in drills("conv-output-size")[:15]:
        i = d.inputs
        image, kernel = torch.zeros(1, 1, i["size"], i["size"]), torch.zeros(1, 1, i["kernel"], i["kernel"])
        out = torch.nn.functional.conv2d(image, kernel, stride=i["stride"], padding=i["padding"],
                                         dilation=i["dilation"])
        assert d.answer == out.shape[-1]
    for d in drills("conv-params"):
        i = d.inputs
        conv = torch.nn.Conv2d(i["c_in"], i["c_out"], i["kernel"], groups=i["groups"], bias=i["bias"], device="meta")
        assert d.answer == sum(p.numel() for p in conv.parameters())


def test_receptive_field_against_torch_gradients() -> None:
    torch = pytest.importorskip("torch")
    for d in drills("receptive-field")[:15]:
        layers = [tuple(map(int, x.split(","))) for x in str(d.inputs["layers"]).split(";")]
        x = torch.ones(1, 1, 2000, requires_grad=True)
        y = x
        for k, s, dil in layers:
            y = torch.nn.functional.conv1d(y, torch.ones(1, 1, k), stride=s, dilation=dil)
        y[0, 0, y.shape[-1] // 2].backward()
        touched = torch.nonzero(x.grad[0, 0]).flatten()
        assert d.answer == int(touched[-1] - touched[0] + 1)


def meta_embedding(rows: int, dim: int) -> object:
    """An nn.Embedding on the meta device, given its weight: skips a slow first normal_ init on meta."""
    import torch

    return torch.nn.Embedding(rows, dim, _weight=torch.empty(rows, dim, device="meta"))


def test_layer_parameter_counts_against_torch_modules() -> None:
    torch = pytest.importorskip("torch")
    nn = torch.nn

    def count(module: object) -> int:
        return sum(p.numel() for p in module.parameters())  # type: ignore[attr-defined]

    for d in drills("linear-params"):
        i = d.inputs
        assert d.answer == count(nn.Linear(i["d_in"], i["d_out"], bias=i["bias"], device="meta"))
    for d in drills("embedding-params"):
        i = d.inputs
        mods = [meta_embedding(i["vocab"], i["d_model"])]
        if i["positions"]:
            mods.append(meta_embedding(i["positions"], i["d_model"]))
        assert d.answer == sum(count(m) for m in mods)
    for d in drills("transformer-params")[:10]:
        assert d.answer == count(torch_llama(dict(d.inputs)))
    for d in drills("gpt2-params")[:6]:
        i = d.inputs
        dm = i["d_model"]
        meta = {"device": "meta"}
        block = [nn.LayerNorm(dm, **meta), nn.Linear(dm, 3 * dm, **meta), nn.Linear(dm, dm, **meta),
                 nn.LayerNorm(dm, **meta), nn.Linear(dm, 4 * dm, **meta), nn.Linear(4 * dm, dm, **meta)]
        model = nn.ModuleList([meta_embedding(i["vocab"], dm), meta_embedding(i["context"], dm),
                               nn.LayerNorm(dm, **meta)])
        assert d.answer == count(model) + i["layers"] * sum(count(m) for m in block)


def torch_llama(i: dict) -> object:
    from torch import nn as tnn

    d, h, kv, hd, f, v = i["d_model"], i["heads"], i["kv_heads"], i["head_dim"], i["ffn"], i["vocab"]
    def linear(d_in: int, d_out: int) -> object:
        return tnn.Linear(d_in, d_out, bias=False, device="meta")

    layers = tnn.ModuleList()
    for _ in range(i["layers"]):
        layers.append(tnn.ModuleDict({
            "q": linear(d, h * hd), "k": linear(d, kv * hd), "v": linear(d, kv * hd), "o": linear(h * hd, d),
            "gate": linear(d, f), "up": linear(d, f), "down": linear(f, d),
            "norm1": tnn.RMSNorm(d, device="meta"), "norm2": tnn.RMSNorm(d, device="meta")}))
    model = tnn.ModuleDict({"embed": meta_embedding(v, d), "layers": layers,
                            "norm": tnn.RMSNorm(d, device="meta"), "head": tnn.Linear(d, v, bias=False, device="meta")})
    if i["tied"]:
        model["head"].weight = model["embed"].weight  # shared: parameters() yields it once
    return model


@pytest.mark.filterwarnings("ignore:torch.quantize_per_tensor:UserWarning")  # deprecated, still the reference
def test_softmax_cross_entropy_and_int8_against_torch() -> None:
    torch = pytest.importorskip("torch")
    for d in drills("softmax"):
        z = torch.tensor(json.loads(str(d.inputs["logits"])), dtype=torch.float64)
        p = torch.softmax(z / float(d.inputs["temperature"]), dim=0)[int(d.inputs["index"])]
        assert close(d.answer, float(p), 1e-12)
    for d in drills("cross-entropy"):
        z = torch.tensor([json.loads(str(d.inputs["logits"]))], dtype=torch.float64)
        loss = torch.nn.functional.cross_entropy(z, torch.tensor([int(d.inputs["target"])]))
        assert close(d.answer, float(loss), 1e-12)
    for d in drills("int8-quantize"):
        x = torch.tensor(json.loads(str(d.inputs["x"])), dtype=torch.float32)
        scale = float(x.abs().max()) / 127
        q = torch.quantize_per_tensor(x, scale, 0, torch.qint8).int_repr()
        assert d.answer == int(q[int(d.inputs["index"])])


# --- the answer parser ------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "value", "kind"), [
    ("1.2e9", 1.2e9, None), ("1.2E9", 1.2e9, None), ("1.2B", 1.2e9, None), ("1.2b", 1.2e9, None),
    ("1,200,000,000", 1.2e9, None), ("1 200 000 000", 1.2e9, None), ("1_200_000_000", 1.2e9, None),
    ("1.2G", 1.2e9, None), ("1.2 billion", 1.2e9, None), ("1.2 Billion", 1.2e9, None), ("1.2bn", 1.2e9, None),
    ("350M", 3.5e8, None), ("350m", 3.5e8, None), ("2.5k", 2500, None), ("2.5K", 2500, None),
    ("3 thousand", 3000, None), ("1.5T", 1.5e12, None), ("1.2×10^9", 1.2e9, None), ("1.2 x 10^9", 1.2e9, None),
    ("1.2*10**9", 1.2e9, None), ("1.2x10⁹", 1.2e9, None), ("10^21", 1e21, None), ("~1.2e9", 1.2e9, None),
    ("≈ 1.2e9", 1.2e9, None), ("about 1.2e9", 1.2e9, None), ("1,5", 1.5, None), ("-87", -87, None),
    (".5", 0.5, None), ("12 亿", 1.2e9, None), ("12亿", 1.2e9, None), ("1.2万亿", 1.2e12, None),
    ("约 3 万", 3e4, None), ("１２", 12, None),
    ("12 GB", 12e9, Kind.BYTES), ("12GB", 12e9, Kind.BYTES), ("12 gb", 12e9, Kind.BYTES),
    ("11.2 GiB", 11.2 * 2**30, Kind.BYTES), ("512 MiB", 512 * 2**20, Kind.BYTES), ("1.5 TB", 1.5e12, Kind.BYTES),
    ("800 kB", 8e5, Kind.BYTES), ("96 Gb", 12e9, Kind.BYTES), ("96 Gbit", 12e9, Kind.BYTES),
    ("1.2e10 bytes", 1.2e10, Kind.BYTES), ("12 字节", 12, Kind.BYTES), ("１２ ＧＢ", 12e9, Kind.BYTES),
    ("3.5%", 0.035, Kind.RATIO), ("3.5 %", 0.035, Kind.RATIO), ("3.5 percent", 0.035, Kind.RATIO),
    ("8 ms", 0.008, Kind.SECONDS), ("8ms", 0.008, Kind.SECONDS), ("2.5 days", 2.5 * 86400, Kind.SECONDS),
    ("36 h", 36 * 3600, Kind.SECONDS), ("90 min", 5400, Kind.SECONDS), ("3 天", 3 * 86400, Kind.SECONDS),
    ("250 µs", 2.5e-4, Kind.SECONDS), ("1.2e23 FLOPs", 1.2e23, Kind.FLOPS), ("120 ZFLOPs", 1.2e23, Kind.FLOPS),
    ("16 GFLOPs", 1.6e10, Kind.FLOPS), ("16 GFLOP/token", 1.6e10, Kind.FLOPS), ("1.2 PFLOPS", 1.2e15, Kind.FLOPS),
    ("16 G FLOPs", 1.6e10, Kind.FLOPS), ("7B params", 7e9, Kind.PARAMS), ("7 billion parameters", 7e9, Kind.PARAMS),
    ("70亿参数", 7e9, Kind.PARAMS), ("2T tokens", 2e12, Kind.TOKENS), ("1.4 trillion tokens", 1.4e12, Kind.TOKENS),
    ("150 tokens/s", 150, Kind.TOKEN_RATE), ("1.2k tok/s", 1200, Kind.TOKEN_RATE), ("56 px", 56, Kind.PIXELS),
    ("1,024 steps", 1024, Kind.COUNT), ("2.3 nats", 2.3, Kind.NUMBER),
])
def test_parse_answer(text: str, value: float, kind: Kind | None) -> None:
    q = parse_answer(text)
    assert q is not None, text
    assert q.kind is kind and math.isclose(q.value, value, rel_tol=1e-12), (q, value)


def test_m_means_minutes_only_when_a_time_is_asked() -> None:
    minutes = parse_answer("5 m", Kind.SECONDS)
    assert minutes is not None and minutes.kind is Kind.SECONDS and minutes.value == 300
    q = parse_answer("5 m", Kind.PARAMS)
    assert q is not None and q.value == 5e6


@pytest.mark.parametrize("text", ["", "banana", "GB", "1.2 bananas", "1.2.3", "twelve", "1e", "% 3"])
def test_unreadable_input_gets_a_one_line_message(text: str) -> None:
    d = memory_drill()
    outcome = grade(d, text)
    assert outcome.verdict is Verdict.UNREADABLE
    assert "\n" not in outcome.note["en"] and "\n" not in outcome.note["zh"] and "1.2e9" in outcome.note["en"]


def memory_drill(slips: tuple[Slip, ...] = ()) -> Drill:
    return Drill(question={"en": "q", "zh": "问"}, answer=1.2e10, unit=GB, tolerance=0.05,
                 derivation={"en": "d", "zh": "推导"}, slips=slips)


@pytest.mark.parametrize("text", ["12 GB", "12", "1.2e10", "12.4GB", "11.5 GB", "11.18 GiB", "1.2e10 bytes",
                                  "12,000 MB", "96 Gb", "120 亿字节", "12000000000"])
def test_right_within_tolerance_in_any_spelling(text: str) -> None:
    assert grade(memory_drill(), text).verdict is Verdict.RIGHT


@pytest.mark.parametrize(("text", "needle_en", "needle_zh"), [
    ("24 GB", "factor 2", "2"), ("6 GB", "factor 2", "2"),
    ("96 GB", "bits vs bytes", "比特"), ("12 Gb", "bits vs bytes", "比特"), ("1.5 GB", "bits vs bytes", "比特"),
    ("12 GiB", "GB vs GiB", "GiB"), ("11.18 GB", "GB vs GiB", "GiB"),
    ("12 MB", "thousand vs million", "千"), ("12 TB", "thousand vs million", "千"),
    ("12 kB", "two prefixes", "两级"), ("12 PB", "two prefixes", "两级"),
    ("12 bytes", "three prefixes", "三级"), ("11.72 MB", "binary prefix", "1,024"),
    ("48 GB", "factor 4", "4"),
])
def test_each_generic_slip_is_named(text: str, needle_en: str, needle_zh: str) -> None:
    outcome = grade(memory_drill(), text)
    assert outcome.verdict is Verdict.SLIP, outcome
    assert needle_en in outcome.note["en"] and needle_zh in outcome.note["zh"]
    assert ("too high" in outcome.note["en"]) == (outcome.given is not None and outcome.given > 1.2e10)


def test_generic_notes_fit_the_kind_of_quantity() -> None:
    flops = Drill(question={"en": "q", "zh": "问"}, answer=1e23, unit=FLOPS, tolerance=0.05,
                  derivation={"en": "d", "zh": "推导"})
    outcome = grade(flops, "3.3e22")
    assert outcome.verdict is Verdict.SLIP and "6ND" in outcome.note["en"] and "6ND" in outcome.note["zh"]
    assert grade(memory_drill(), "36 GB").verdict is Verdict.WRONG  # a factor 3 says nothing about bytes
    assert grade(flops, "8e23").verdict is Verdict.WRONG  # nor bits vs bytes about FLOPs


def test_wrong_reads_a_bare_number_in_the_closer_unit() -> None:
    outcome = grade(memory_drill(), "3e10")  # 30 GB typed in bytes
    assert outcome.verdict is Verdict.WRONG and "2.5× too high" in outcome.note["en"]


def test_percent_vs_fraction() -> None:
    d = Drill(question={"en": "q", "zh": "问"}, answer=0.035, unit=PERCENT, tolerance=0.05,
              derivation={"en": "d", "zh": "推导"})
    for right in ("3.5%", "3.5", "0.035", "3.5 percent"):
        assert grade(d, right).verdict is Verdict.RIGHT, right
    outcome = grade(d, "350%")
    assert outcome.verdict is Verdict.SLIP and "percent vs fraction" in outcome.note["en"]


def test_a_drill_specific_slip_wins_over_the_generic_note() -> None:
    d = memory_drill((Slip(0.5, {"en": "Both K and V are cached.", "zh": "K 和 V 都要缓存。"}),))
    outcome = grade(d, "6 GB")
    assert outcome.verdict is Verdict.SLIP and outcome.note["en"] == "Both K and V are cached."


def test_a_unit_of_the_wrong_kind_is_told_as_such() -> None:
    for text in ("1.2e10 FLOPs", "12 s", "12B params", "12 tokens/s", "12%"):
        outcome = grade(memory_drill(), text)
        assert outcome.verdict is Verdict.WRONG_KIND, text
        assert "Wrong kind of unit" in outcome.note["en"] and "单位类型不对" in outcome.note["zh"]
    flops = GENERATORS["training-flops"](np.random.default_rng(0))
    assert grade(flops, "12 GB").verdict is Verdict.WRONG_KIND
    time = Drill(question={"en": "q", "zh": "问"}, answer=0.008, unit=SECONDS, tolerance=0.05,
                 derivation={"en": "d", "zh": "推导"})
    assert grade(time, "8 ms").verdict is Verdict.RIGHT
    assert grade(time, "8 MB").verdict is Verdict.WRONG_KIND


def test_wrong_says_how_far_off() -> None:
    outcome = grade(memory_drill(), "30 GB")
    assert outcome.verdict is Verdict.WRONG and "2.5× too high" in outcome.note["en"] and "2.5" in outcome.note["zh"]
    assert grade(memory_drill(), "-12 GB").verdict is Verdict.WRONG


def test_answers_module_does_not_import_numpy_or_the_generators() -> None:
    code = ("import sys, prep.drills.answers; "
            "assert 'numpy' not in sys.modules and 'prep.drills.generators' not in sys.modules")
    subprocess.run([sys.executable, "-c", code], check=True)


@settings(max_examples=150, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), index=st.integers(0, 10**6), error=st.floats(-0.95, 0.95))
def test_any_answer_within_tolerance_is_right_and_far_outside_is_not(seed: int, index: int, error: float) -> None:
    gens = all_generators()
    d = gens[index % len(gens)](np.random.default_rng(seed))
    near = d.answer * (1 + error * d.tolerance)
    assert grade(d, repr(near)).verdict is Verdict.RIGHT
    far = d.answer * (1 + math.copysign(2.5, error) * max(d.tolerance, 0.02) + (0.3 if error > 0 else -0.3))
    assert grade(d, repr(far)).verdict is not Verdict.RIGHT


def test_display_helpers() -> None:
    from prep.drills import format_number

    assert format_number(6.738e9) == "6.74e9" and format_number(151.2) == "151" and format_number(0.02339) == "0.0234"
    assert format_number(12288) == "12,288"
    steps = GENERATORS["steps-per-epoch"](np.random.default_rng(0))
    assert tolerance_text(steps) == "exact" and tolerance_text(steps, "zh") == "精确值"
    assert tolerance_text(GENERATORS["kv-cache"](np.random.default_rng(0))) == "±5%"


def test_sample_gives_fixed_instances() -> None:
    from prep.drills import sample

    gen = GENERATORS["kv-cache"]
    assert sample(gen, 3, seed=5) == sample(gen, 3, seed=5) == [gen(np.random.default_rng(s)) for s in (5, 6, 7)]


@pytest.mark.parametrize(("name", "key", "values"), [
    ("kv-cache", "kv_heads", {1, 8, 32, 40}),  # MQA, GQA and MHA
    ("kv-cache", "dtype", {"fp16", "bf16", "fp8", "fp32"}),
    ("transformer-params", "tied", {True, False}),
    ("training-flops", "seq", {0, 2048, 4096, 8192}),  # without and with the attention term
    ("inference-flops", "with_context", {True, False}),
    ("activation-memory", "mode", {"none", "selective", "full"}),
    ("weights-memory", "dtype", {"fp32", "fp16", "bf16", "int8", "int4"}),
    ("adam-memory", "zero_stage", {0, 1, 2, 3}),
    ("conv-output-size", "dilation", {1, 2, 3}),
    ("chinchilla-tokens", "from_budget", {True, False}),
    ("steps-per-epoch", "drop_last", {True, False}),
])
def test_every_variant_is_drawn(name: str, key: str, values: set[object]) -> None:
    drawn = {GENERATORS[name](np.random.default_rng(seed)).inputs[key] for seed in range(150)}
    assert values <= drawn
