"""Compute drills: training FLOPs (6ND), inference FLOPs per token, attention's share, run time, MFU,
Chinchilla-optimal tokens."""

from __future__ import annotations

import math

import numpy as np

from prep.drills import BILLION_TOKENS, DAYS, FLOPS, GFLOPS, PERCENT, Drill, Slip, generator
from prep.drills.generators._data import GPUS, LLAMAS, Model, both, coin, g, pick

TOL = 0.05
TOKEN_BUDGETS = (0.3e12, 1e12, 1.4e12, 2e12, 3e12, 5e12, 9e12, 15e12)


def n_text(m: Model) -> str:
    return f"{m.params() / 1e9:.2f}B"


def context_flops(m: Model, context: int) -> int:
    """FLOPs of one new token's attention over `context` cached positions: QK^T and AV, 2·T·hd per head each."""
    return 4 * m.layers * context * m.heads * m.head_dim


@generator("training-flops", ("compute-resources", "large-models"), both("Training FLOPs (6ND)", "训练计算量（6ND）"))
def training_flops(rng: np.random.Generator) -> Drill:
    m = pick(rng, LLAMAS)
    tokens = pick(rng, TOKEN_BUDGETS)
    with_context = coin(rng, 0.4)
    seq = pick(rng, tuple(c for c in (2048, 4096, 8192) if c <= m.max_context)) if with_context else 0
    params = m.params()
    d_attn = m.heads * m.head_dim
    weights = 6 * params * tokens
    attn = 6 * m.layers * seq * d_attn * tokens  # 3 × (4·L·(T/2)·d_attn): causal, T/2 keys on average
    total = weights + attn
    if with_context:
        ask_en = (f"Include attention over the context: sequences of T = {seq} tokens, causal, so a token attends "
                  f"to T/2 positions on average (L = {m.layers}, d_attn = {d_attn}).")
        ask_zh = (f"把注意力对上下文的计算也算上：序列长 T = {seq}，因果掩码，平均每个 token 看 T/2 个位置"
                  f"（L = {m.layers}，d_attn = {d_attn}）。")
        extra_en = (f" Attention: forward QKᵀ + AV = 4·L·(T/2)·d_attn per token, ×3 for training: 6·L·T·d_attn·D = "
                    f"6 × {m.layers} × {seq} × {d_attn} × {g(tokens)} = {g(attn)}. Total {g(weights)} + {g(attn)} = "
                    f"{g(total)} FLOPs.")
        extra_zh = (f"注意力：前向 QKᵀ + AV 每个 token 4·L·(T/2)·d_attn，训练再乘 3：6·L·T·d_attn·D = "
                    f"6 × {m.layers} × {seq} × {d_attn} × {g(tokens)} = {g(attn)}。合计 {g(weights)} + {g(attn)} = "
                    f"{g(total)} FLOPs。")
    else:
        ask_en, ask_zh = "Ignore attention's context term.", "忽略注意力随上下文增长的那一项。"
        extra_en = extra_zh = ""
    return Drill(
        question=both(f"Training {m.name} (N = {n_text(m)} parameters) on D = {tokens / 1e12:g}T tokens. "
                      f"About how many FLOPs does training take? {ask_en}",
                      f"用 D = {tokens / 1e12:g}T 个 token 训练 {m.name}（N = {n_text(m)} 参数）。"
                      f"训练大约需要多少 FLOPs？{ask_zh}"),
        answer=float(total), unit=FLOPS, tolerance=TOL,
        derivation=both(f"C ≈ 6·N·D: per parameter per token, 2 FLOPs forward (a multiply-add) and 4 backward "
                        f"(gradients for activations and for weights). 6 × {g(params)} × {g(tokens)} = {g(weights)} "
                        f"FLOPs.{extra_en}",
                        "C ≈ 6·N·D：每个参数每个 token，前向 2 FLOPs（一次乘加），"
                        "反向 4 FLOPs（对激活和对权重各求一次梯度）。"
                        f"6 × {g(params)} × {g(tokens)} = {g(weights)} FLOPs。{extra_zh}"),
        inputs={**m.shape_inputs(), "params": params, "tokens": tokens, "seq": seq},
        slips=tuple(s for s in (
            Slip(1 / 3, both("2ND is one forward pass; training adds the backward pass (4ND): 6ND.",
                             "2ND 只是前向；训练还有反向（4ND），合计 6ND。")),
            Slip(4 / 3, both("8ND counts activation recomputation; the model FLOPs are 6ND.",
                             "8ND 把激活重计算也算进去了；模型本身的计算量是 6ND。")),
            Slip((weights + 2 * attn) / total if attn else 0.0,
                 both("With a causal mask a token attends to T/2 positions on average (the 12·L·T·d_attn of PaLM's "
                      "MFU formula counts all T).",
                      "有因果掩码时每个 token 平均只看 T/2 个位置（PaLM 的 MFU 公式 12·L·T·d_attn 按完整的 T 计）。")),
            Slip(weights / total if attn else 0.0,
                 both("Add the attention term 6·L·T·d_attn per token: it grows with the sequence length.",
                      "还要加上注意力项，每个 token 6·L·T·d_attn：它随序列长度增长。")),
        ) if s.factor > 0),
    )


@generator("inference-flops", ("efficiency-inference", "compute-resources"),
           both("Inference FLOPs per token", "推理每个 token 的计算量"))
def inference_flops(rng: np.random.Generator) -> Drill:
    m = pick(rng, LLAMAS)
    with_context = coin(rng, 0.6)
    context = pick(rng, tuple(c for c in (1024, 2048, 4096, 8192, 32768, 131072) if c <= m.max_context))
    params = m.params()
    attn = context_flops(m, context) if with_context else 0
    total = 2 * params + attn
    d_attn = m.heads * m.head_dim
    if with_context:
        ask_en = f"including attention over a context of {context:,} cached tokens"
        ask_zh = f"包括对上下文中 {context:,} 个已缓存 token 的注意力计算"
        extra_en = (f" Attention over the context: per layer QKᵀ and AV each cost 2·T·d_attn, so 4·L·T·d_attn = "
                    f"4 × {m.layers} × {context} × {d_attn} = {g(attn)}. Total {g(2 * params)} + {g(attn)} = "
                    f"{g(total)}.")
        extra_zh = (f"上下文上的注意力：每层 QKᵀ 和 AV 各 2·T·d_attn，共 4·L·T·d_attn = "
                    f"4 × {m.layers} × {context} × {d_attn} = {g(attn)}。合计 {g(2 * params)} + {g(attn)} = "
                    f"{g(total)}。")
    else:
        ask_en, ask_zh = "ignoring attention over the context", "忽略注意力对上下文的计算"
        extra_en = extra_zh = ""
    return Drill(
        question=both(f"{m.name} (N = {n_text(m)}, L = {m.layers}, {m.heads} heads × {m.head_dim} = d_attn "
                      f"{d_attn}) decodes one token, {ask_en}. How many forward FLOPs, in GFLOPs?",
                      f"{m.name}（N = {n_text(m)}，L = {m.layers}，{m.heads} 个头 × {m.head_dim} = d_attn {d_attn}）"
                      f"解码一个 token，{ask_zh}。前向需要多少 FLOPs（以 GFLOPs 计）？"),
        answer=float(total), unit=GFLOPS, tolerance=TOL,
        derivation=both(f"Every weight takes part in one multiply-add per token: 2N = 2 × {g(params)} = "
                        f"{g(2 * params)} FLOPs.{extra_en}",
                        f"每个权重对每个 token 做一次乘加：2N = 2 × {g(params)} = {g(2 * params)} FLOPs。{extra_zh}"),
        inputs={**m.shape_inputs(), "params": params, "context": context, "with_context": with_context},
        slips=tuple(s for s in (
            Slip(params / total, both("A multiply-add is 2 FLOPs: 2N per token, not N.",
                                      "一次乘加是 2 FLOPs：每个 token 2N，不是 N。")),
            Slip(2 * params / total if attn else 0.0,
                 both("The context term adds 4·L·T·d_attn: attention grows with the context.",
                      "还要加上下文项 4·L·T·d_attn：注意力计算随上下文增长。")),
            Slip((2 * params + attn / 2) / total if attn else 0.0,
                 both("Both QKᵀ and AV cost 2·T·d_attn per layer: 4·L·T·d_attn in all.",
                      "QKᵀ 和 AV 每层各 2·T·d_attn：合计 4·L·T·d_attn。")),
        ) if s.factor > 0),
    )


@generator("attention-flops-share", ("attention", "efficiency-inference"),
           both("Attention's share of FLOPs vs context", "注意力计算占比与上下文长度"))
def attention_flops_share(rng: np.random.Generator) -> Drill:
    m = pick(rng, LLAMAS)
    context = pick(rng, tuple(c for c in (2048, 4096, 8192, 16384, 32768, 131072) if c <= m.max_context))
    params = m.params()
    attn = context_flops(m, context)
    share = attn / (2 * params + attn)
    d_attn = m.heads * m.head_dim
    return Drill(
        question=both(f"{m.name} (N = {n_text(m)}, L = {m.layers}, d_attn = {d_attn}) decodes a token at context "
                      f"T = {context:,}. What share of that token's forward FLOPs is attention over the context "
                      "(QKᵀ and AV)?",
                      f"{m.name}（N = {n_text(m)}，L = {m.layers}，d_attn = {d_attn}）在上下文 T = {context:,} 时解码"
                      "一个 token。这个 token 的前向计算中，上下文上的注意力（QKᵀ 和 AV）占多少比例？"),
        answer=share, unit=PERCENT, tolerance=TOL,
        derivation=both(f"Weights: 2N = {g(2 * params)}. Context: 4·L·T·d_attn = 4 × {m.layers} × {context} × "
                        f"{d_attn} = {g(attn)}. Share = {g(attn)} / ({g(2 * params)} + {g(attn)}) = "
                        f"{share * 100:.1f}%. It grows linearly with T until it dominates.",
                        f"权重部分：2N = {g(2 * params)}。上下文部分：4·L·T·d_attn = 4 × {m.layers} × {context} × "
                        f"{d_attn} = {g(attn)}。占比 = {g(attn)} / ({g(2 * params)} + {g(attn)}) = "
                        f"{share * 100:.1f}%。它随 T 线性增长，直到占主导。"),
        inputs={**m.shape_inputs(), "params": params, "context": context},
        slips=(Slip(attn / (2 * params) / share, both("The share is attention / (weights + attention), not "
                                                      "attention / weights.",
                                                      "占比是 注意力 / (权重 + 注意力)，不是 注意力 / 权重。")),
               Slip((attn / 2) / (2 * params + attn / 2) / share,
                    both("Both QKᵀ and AV cost 2·T·d_attn per layer.", "QKᵀ 和 AV 每层各 2·T·d_attn。"))),
    )


@generator("training-time", ("compute-resources",), both("Training time on N GPUs at an MFU", "给定 MFU 下的训练时长"))
def training_time(rng: np.random.Generator) -> Drill:
    m = pick(rng, LLAMAS)
    tokens = pick(rng, TOKEN_BUDGETS)
    gpu = pick(rng, GPUS)
    count = pick(rng, (256, 512, 1024, 2048, 4096))
    mfu = pick(rng, (0.35, 0.4, 0.45, 0.5, 0.55))
    params = m.params()
    flops = 6 * params * tokens
    rate = count * gpu.bf16_flops * mfu
    seconds = flops / rate
    return Drill(
        question=both(f"Training {m.name} (N = {n_text(m)}) on {tokens / 1e12:g}T tokens with "
                      f"{count} × {gpu.spec_text()} "
                      f"at {mfu * 100:g}% MFU. How many days does it take (compute-bound)?",
                      f"在 {count} 张 {gpu.spec_text('zh')} 上以 {mfu * 100:g}% 的 MFU "
                      f"用 {tokens / 1e12:g}T 个 token 训练 "
                      f"{m.name}（N = {n_text(m)}）。按计算瓶颈估算，需要多少天？"),
        answer=seconds, unit=DAYS, tolerance=TOL,
        derivation=both(f"C = 6ND = 6 × {g(params)} × {g(tokens)} = {g(flops)} FLOPs. Throughput = {count} × "
                        f"{g(gpu.bf16_flops)} × {mfu:g} = {g(rate)} FLOP/s. Time = {g(flops)} / {g(rate)} = "
                        f"{g(seconds)} s = {seconds / 86400:.1f} days.",
                        f"C = 6ND = 6 × {g(params)} × {g(tokens)} = {g(flops)} FLOPs。集群吞吐 = {count} × "
                        f"{g(gpu.bf16_flops)} × {mfu:g} = {g(rate)} FLOP/s。时间 = {g(flops)} / {g(rate)} = "
                        f"{g(seconds)} 秒 = {seconds / 86400:.1f} 天。"),
        inputs={**m.shape_inputs(), "params": params, "tokens": tokens, "gpu": gpu.name,
                "gpu_flops": gpu.bf16_flops, "gpus": count, "mfu": mfu},
        slips=(Slip(1 / 3, both("Training is 6ND, not 2ND.", "训练是 6ND，不是 2ND。")),
               Slip(mfu, both("Divide by the MFU: the GPUs reach only that fraction of peak.",
                              "要除以 MFU：GPU 只能跑到峰值的这个比例。")),
               Slip(1 / 24, both("86,400 seconds per day (you divided by 3,600: hours).",
                                 "一天 86,400 秒（你除的是 3,600，那是小时）。"))),
    )


@generator("mfu", ("compute-resources",), both("Model FLOPs utilisation", "模型算力利用率（MFU）"))
def mfu(rng: np.random.Generator) -> Drill:
    m = pick(rng, LLAMAS)
    gpu = pick(rng, GPUS)
    params = m.params()
    true_mfu = float(rng.uniform(0.25, 0.6))
    rate = float(f"{true_mfu * gpu.bf16_flops / (6 * params):.3g}")
    used = 6 * params * rate
    share = used / gpu.bf16_flops
    return Drill(
        question=both(f"Training {m.name} (N = {n_text(m)}) reaches {rate:,g} tokens/s per GPU on "
                      f"{gpu.spec_text()}. What is the MFU?",
                      f"在 {gpu.spec_text('zh')} 上训练 {m.name}（N = {n_text(m)}），"
                      f"每张卡每秒处理 {rate:,g} 个 token。"
                      "MFU 是多少？"),
        answer=share, unit=PERCENT, tolerance=TOL,
        derivation=both(f"Model FLOP/s = 6·N·(tokens/s) = 6 × {g(params)} × {rate:,g} = {g(used)}. "
                        f"MFU = {g(used)} / {g(gpu.bf16_flops)} = {share * 100:.1f}%.",
                        f"模型 FLOP/s = 6·N·(token/s) = 6 × {g(params)} × {rate:,g} = {g(used)}。"
                        f"MFU = {g(used)} / {g(gpu.bf16_flops)} = {share * 100:.1f}%。"),
        inputs={**m.shape_inputs(), "params": params, "tokens_per_s": rate, "gpu_flops": gpu.bf16_flops},
        slips=(Slip(1 / 3, both("Training costs 6N FLOPs per token, not 2N.",
                                "训练每个 token 是 6N FLOPs，不是 2N。")),),
    )


@generator("chinchilla-tokens", ("large-models", "compute-resources"),
           both("Chinchilla-optimal tokens", "Chinchilla 最优 token 数"))
def chinchilla_tokens(rng: np.random.Generator) -> Drill:
    from_budget = coin(rng)
    if from_budget:
        budget = float(pick(rng, (1, 2, 3, 5)) * 10.0 ** int(rng.integers(21, 25)))
        params = math.sqrt(budget / 120)
        tokens = 20 * params
        q_en = (f"You have a compute budget of C = {g(budget)} FLOPs. Following Chinchilla (about 20 tokens per "
                "parameter, C = 6ND), how many training tokens, in billions?")
        q_zh = (f"算力预算 C = {g(budget)} FLOPs。按 Chinchilla 的经验（每个参数约 20 个 token，C = 6ND），"
                "应该用多少训练 token（以十亿计）？")
        d_en = (f"With D = 20N, C = 6·N·20N = 120 N², so N = sqrt(C / 120) = {g(params)} and D = 20N = {g(tokens)} "
                "tokens.")
        d_zh = f"取 D = 20N，则 C = 6·N·20N = 120 N²，N = sqrt(C / 120) = {g(params)}，D = 20N = {g(tokens)} 个 token。"
        inputs: dict[str, float | bool] = {"budget": budget, "from_budget": True}
        slips: tuple[Slip, ...] = (Slip(1 / 20, both("That is N; the tokens are D = 20N.",
                                                      "这是 N；token 数是 D = 20N。")),)
    else:
        params = float(pick(rng, (0.4, 1, 3, 7, 13, 34, 70, 175, 405)) * 1e9)
        tokens = 20 * params
        q_en = (f"How many training tokens are compute-optimal for a {params / 1e9:g}B-parameter model by the "
                "Chinchilla rule of thumb? Answer in billions.")
        q_zh = (f"按 Chinchilla 的经验法则，一个 {params / 1e9:g}B 参数的模型，"
                "计算最优的训练 token 数是多少（以十亿计）？")
        d_en = f"About 20 tokens per parameter: D ≈ 20 × {g(params)} = {g(tokens)} tokens."
        d_zh = f"每个参数约 20 个 token：D ≈ 20 × {g(params)} = {g(tokens)} 个 token。"
        inputs = {"params": params, "from_budget": False}
        slips = (Slip(1 / 20, both("That is N; the tokens are D = 20N.", "这是 N；token 数是 D = 20N。")),)
    return Drill(question=both(q_en, q_zh), answer=tokens, unit=BILLION_TOKENS, tolerance=TOL,
                 derivation=both(d_en, d_zh), inputs=inputs, slips=slips)
