"""Memory drills: KV cache, weights at a dtype, mixed-precision Adam, activations, bandwidth-bound decoding."""

from __future__ import annotations

import numpy as np

from prep.drills import GB, TOKENS_PER_SECOND, Drill, Slip, generator
from prep.drills.generators._data import DTYPE_BYTES, GPT3S, GPUS, KV_MODELS, LLAMAS, Model, both, coin, g, pick

TOL = 0.05


def kv_bytes(m: Model, batch: int, context: int, dtype_bytes: float) -> float:
    return 2 * m.layers * m.kv_heads * m.head_dim * context * batch * dtype_bytes


@generator("kv-cache", ("efficiency-inference", "attention"), both("KV-cache size", "KV cache 大小"))
def kv_cache(rng: np.random.Generator) -> Drill:
    m = pick(rng, KV_MODELS)
    dtype = pick(rng, ("fp16", "bf16", "fp8", "fp32")[: 3 if coin(rng, 0.8) else 4])
    batch = pick(rng, (1, 4, 8, 16, 32, 64))
    context = pick(rng, tuple(c for c in (2048, 4096, 8192, 32768, 131072) if c <= m.max_context))
    size = DTYPE_BYTES[dtype]
    total = kv_bytes(m, batch, context, size)
    per_token = 2 * m.layers * m.kv_heads * m.head_dim * size
    kind = m.attention_kind
    return Drill(
        question=both(f"{m.name} ({kind}: L = {m.layers}, {m.heads} query heads, "
                      f"{m.kv_heads} KV head{'s' if m.kv_heads > 1 else ''}, head_dim = "
                      f"{m.head_dim}) serves a batch of {batch} sequence{'s' if batch > 1 else ''} of "
                      f"{context:,} tokens with the KV cache in "
                      f"{dtype}. How big is the KV cache, in GB?",
                      f"{m.name}（{kind}：L = {m.layers}，{m.heads} 个 query 头，{m.kv_heads} 个 KV 头，head_dim = "
                      f"{m.head_dim}）同时服务 {batch} 条长 {context:,} token 的序列，KV cache 用 {dtype} 存。"
                      "KV cache 有多大（以 GB 计）？"),
        answer=total, unit=GB, tolerance=TOL,
        derivation=both(f"2 (K and V) × L × kv_heads × head_dim × bytes = 2 × {m.layers} × {m.kv_heads} × "
                        f"{m.head_dim} × {size:g} = {per_token:,.0f} bytes per token; × {context:,} tokens × batch "
                        f"{batch} = {g(total)} bytes = {total / 1e9:.2f} GB.",
                        f"2（K 和 V）× L × kv_heads × head_dim × 字节数 = 2 × {m.layers} × {m.kv_heads} × "
                        f"{m.head_dim} × {size:g} = 每个 token {per_token:,.0f} 字节；× {context:,} 个 token × batch "
                        f"{batch} = {g(total)} 字节 = {total / 1e9:.2f} GB。"),
        inputs={**m.shape_inputs(), "batch": batch, "context": context, "dtype": dtype},
        slips=(Slip(0.5, both("Both K and V are cached: a factor 2.", "K 和 V 都要缓存：乘 2。")),
               Slip(m.heads / m.kv_heads, both(f"{kind}: only the {m.kv_heads} KV heads are cached, not all "
                                               f"{m.heads} query heads.",
                                               f"{kind}：只缓存 {m.kv_heads} 个 KV 头，"
                                               f"不是全部 {m.heads} 个 query 头。")),
               Slip(1 / m.layers, both("Every layer has its own cache: multiply by L.",
                                       "每一层都有自己的缓存：乘以 L。"))),
    )


@generator("weights-memory", ("efficiency-inference", "compute-resources"),
           both("Weights memory at fp16 / int8 / int4", "不同精度下的权重显存"))
def weights_memory(rng: np.random.Generator) -> Drill:
    m = pick(rng, LLAMAS)
    dtype = pick(rng, ("fp32", "fp16", "bf16", "int8", "int4"))
    params = m.params()
    size = DTYPE_BYTES[dtype]
    total = params * size
    return Drill(
        question=both(f"How much memory do the weights of {m.name} ({params / 1e9:.2f}B parameters) take in {dtype} "
                      "(ignore quantization scales and runtime overhead)? Answer in GB.",
                      f"{m.name}（{params / 1e9:.2f}B 参数）的权重以 {dtype} 存储要占多少显存"
                      "（忽略量化 scale 和运行时开销）？"
                      "以 GB 计。"),
        answer=total, unit=GB, tolerance=TOL,
        derivation=both(f"{dtype} stores {size * 8:g} bits = {size:g} byte{'s' if size != 1 else ''} per parameter: "
                        f"{g(params)} × {size:g} = "
                        f"{g(total)} bytes = {total / 1e9:.2f} GB ({total / 2**30:.2f} GiB).",
                        f"{dtype} 每个参数 {size * 8:g} 比特 = {size:g} 字节：{g(params)} × {size:g} = "
                        f"{g(total)} 字节 = {total / 1e9:.2f} GB（{total / 2**30:.2f} GiB）。"),
        inputs={**m.shape_inputs(), "params": params, "dtype": dtype},
    )


RECIPES = {
    "mixed": (both("mixed-precision Adam (bf16 weights and gradients, fp32 master weights, fp32 Adam m and v)",
                   "混合精度 Adam（bf16 权重和梯度，fp32 主权重，fp32 的 Adam m 和 v）"), 2, 2, 12),
    "fp32": (both("plain fp32 Adam (fp32 weights, gradients, m and v)", "纯 fp32 Adam（fp32 权重、梯度、m 和 v）"),
             4, 4, 8),
    "8bit": (both("mixed precision with 8-bit Adam (bf16 weights and gradients, fp32 master, 8-bit m and v)",
                  "混合精度 + 8-bit Adam（bf16 权重和梯度，fp32 主权重，8 位的 m 和 v）"), 2, 2, 6),
}
ZERO = {0: "no sharding (plain data parallel)", 1: "ZeRO-1 (optimizer states sharded)",
        2: "ZeRO-2 (optimizer states and gradients sharded)", 3: "ZeRO-3 / FSDP (everything sharded)"}
ZERO_ZH = {0: "不切分（普通数据并行）", 1: "ZeRO-1（切分优化器状态）", 2: "ZeRO-2（切分优化器状态和梯度）",
           3: "ZeRO-3 / FSDP（全部切分）"}


@generator("adam-memory", ("compute-resources", "optimization"),
           both("Training memory with Adam (bytes per parameter)", "Adam 训练显存（每参数字节数）"))
def adam_memory(rng: np.random.Generator) -> Drill:
    m = pick(rng, LLAMAS)
    recipe = pick(rng, tuple(RECIPES))
    text, w, gr, opt = RECIPES[recipe]
    stage = pick(rng, (0, 0, 1, 2, 3))
    gpus = pick(rng, (8, 16, 32, 64)) if stage else 1
    params = m.params()
    w_s = w / gpus if stage >= 3 else w
    g_s = gr / gpus if stage >= 2 else gr
    o_s = opt / gpus if stage >= 1 else opt
    per_param = w_s + g_s + o_s
    total = params * per_param
    share_en = f" with {ZERO[stage]} over {gpus} GPUs" if stage else ""
    share_zh = f"，{gpus} 张卡上 {ZERO_ZH[stage]}" if stage else ""
    return Drill(
        question=both(f"Training {m.name} ({params / 1e9:.2f}B parameters) with {text['en']}{share_en}. How much "
                      "memory per GPU do weights, gradients and optimizer states take (no activations)? In GB.",
                      f"用{text['zh']}训练 {m.name}（{params / 1e9:.2f}B 参数）{share_zh}。每张卡上权重、梯度和优化器"
                      "状态共占多少显存（不算激活）？以 GB 计。"),
        answer=total, unit=GB, tolerance=TOL,
        derivation=both(f"Bytes per parameter: weights {w}, gradients {gr}, optimizer {opt} (= {w + gr + opt} in all)"
                        f"{f'; sharded over {gpus} GPUs: {w_s:g} + {g_s:g} + {o_s:g} = {per_param:g}' if stage else ''}"
                        f". {g(params)} × {per_param:g} = {g(total)} bytes = {total / 1e9:.1f} GB.",
                        f"每个参数的字节数：权重 {w}，梯度 {gr}，优化器 {opt}（合计 {w + gr + opt}）"
                        f"{f'；切分到 {gpus} 张卡：{w_s:g} + {g_s:g} + {o_s:g} = {per_param:g}' if stage else ''}"
                        f"。{g(params)} × {per_param:g} = {g(total)} 字节 = {total / 1e9:.1f} GB。"),
        inputs={**m.shape_inputs(), "params": params, "recipe": recipe, "zero_stage": stage, "gpus": gpus},
        slips=tuple(s for s in (
            Slip((w + gr + opt) / per_param if stage else 0.0,
                 both(f"{ZERO[stage]} divides part of the state by the {gpus} GPUs.",
                      f"{ZERO_ZH[stage]} 会把部分状态除以 {gpus} 张卡。")),
            Slip((w + gr + opt - 4) / (w + gr + opt) if recipe != "fp32" and not stage else 0.0,
                 both("Mixed precision keeps an fp32 master copy of the weights (4 bytes per parameter).",
                      "混合精度还要保留一份 fp32 主权重（每参数 4 字节）。")),
        ) if s.factor > 0),
    )


CHECKPOINTING = {
    "none": both("no activation checkpointing", "不做激活检查点"),
    "selective": both("selective recomputation (attention scores and softmax recomputed, not stored)",
                      "选择性重计算（注意力分数和 softmax 不存储，反向时重算）"),
    "full": both("full activation checkpointing (only each layer's 16-bit input is stored)",
                 "完整激活检查点（每层只存 16 位的输入）"),
}


@generator("activation-memory", ("compute-resources",),
           both("Activation memory with and without checkpointing", "激活显存：有无检查点"))
def activation_memory(rng: np.random.Generator) -> Drill:
    m = pick(rng, GPT3S)
    batch = pick(rng, (1, 2, 4, 8))
    seq = pick(rng, (1024, 2048))
    mode = pick(rng, tuple(CHECKPOINTING))
    s, b, h, a, layers = seq, batch, m.d_model, m.heads, m.layers
    per_layer = {"none": s * b * h * 34 + 5 * a * s * s * b, "selective": 34 * s * b * h, "full": 2 * s * b * h}[mode]
    total = float(layers * per_layer)
    formula = {"none": "s·b·h·(34 + 5·a·s/h)", "selective": "34·s·b·h", "full": "2·s·b·h"}[mode]
    full_none = layers * (s * b * h * 34 + 5 * a * s * s * b)
    return Drill(
        question=both(f"{m.name} (L = {layers}, h = {h}, a = {a} heads) trains on micro-batches of {b} × {s} tokens, "
                      f"16-bit activations, dropout on, no tensor parallelism, {CHECKPOINTING[mode]['en']}. "
                      "How much activation memory is kept for the backward pass, in GB?",
                      f"{m.name}（L = {layers}，h = {h}，a = {a} 个头）用 {b} × {s} token 的 micro-batch 训练，"
                      f"激活为 16 位，开 dropout，无张量并行，{CHECKPOINTING[mode]['zh']}。"
                      "为反向保存的激活有多少（GB）？"),
        answer=total, unit=GB, tolerance=TOL,
        derivation=both(f"Per layer (Korthikanti et al. 2022): attention 11·sbh + 5·a·s²·b, MLP 19·sbh, two "
                        f"LayerNorms 4·sbh: s·b·h·(34 + 5·a·s/h) without recomputation; 34·sbh with selective "
                        f"recomputation; 2·sbh (the layer input) with full checkpointing. Here {formula} × L = "
                        f"{g(per_layer)} × {layers} = {g(total)} bytes = {total / 1e9:.2f} GB.",
                        f"每层（Korthikanti 等 2022）：注意力 11·sbh + 5·a·s²·b，MLP 19·sbh，两个 LayerNorm 4·sbh；"
                        f"不重算时共 s·b·h·(34 + 5·a·s/h)；选择性重算 34·sbh；完整检查点只存每层输入 2·sbh。"
                        f"这里 {formula} × L = {g(per_layer)} × {layers} = {g(total)} 字节 = {total / 1e9:.2f} GB。"),
        inputs={"model": m.name, "layers": layers, "d_model": h, "heads": a, "batch": b, "seq": s, "mode": mode},
        slips=tuple(s_ for s_ in (
            Slip(full_none / total if mode != "none" else 0.0,
                 both("Checkpointing stores less: the rest is recomputed in the backward pass.",
                      "检查点只存一部分，其余在反向时重算。")),
            Slip(1 / layers, both("Multiply by the number of layers.", "要乘以层数。")),
        ) if s_.factor > 0),
    )


@generator("decode-tokens-per-second", ("efficiency-inference",),
           both("Memory-bound decode speed", "受显存带宽限制的解码速度"))
def decode_speed(rng: np.random.Generator) -> Drill:
    m = pick(rng, tuple(x for x in LLAMAS if x.params() < 20e9))
    gpu = pick(rng, GPUS)
    dtype = pick(rng, ("fp16", "int8", "int4"))
    with_kv = coin(rng, 0.4)
    context = pick(rng, (2048, 4096)) if with_kv else 0
    params = m.params()
    w_bytes = params * DTYPE_BYTES[dtype]
    kv = kv_bytes(m, 1, context, 2.0)
    per_token = w_bytes + kv
    rate = gpu.bandwidth / per_token
    kv_en = (f" and its fp16 KV cache at a context of {context:,} tokens (L = {m.layers}, {m.kv_heads} KV heads × "
             f"{m.head_dim})" if with_kv else "")
    kv_zh = (f"以及上下文 {context:,} token 的 fp16 KV cache（L = {m.layers}，{m.kv_heads} 个 KV 头 × {m.head_dim}）"
             if with_kv else "")
    kv_der = f" + KV 2 × {m.layers} × {m.kv_heads} × {m.head_dim} × 2 × {context} = {g(kv)}" if with_kv else ""
    return Drill(
        question=both(f"Batch-1 decoding of {m.name} ({params / 1e9:.2f}B parameters, weights in {dtype}) on one "
                      f"{gpu.spec_text()}. Each token must read every weight once{kv_en}. At best how many tokens/s?",
                      f"在一张 {gpu.spec_text('zh')} 上以 batch 1 解码 {m.name}"
                      f"（{params / 1e9:.2f}B 参数，权重 {dtype}）。"
                      f"每生成一个 token 都要把所有权重读一遍{kv_zh}。最多每秒多少 token？"),
        answer=rate, unit=TOKENS_PER_SECOND, tolerance=TOL,
        derivation=both(f"Bytes read per token: weights {g(params)} × {DTYPE_BYTES[dtype]:g} = {g(w_bytes)}{kv_der}. "
                        f"tokens/s ≤ bandwidth / bytes = {g(gpu.bandwidth)} / {g(per_token)} = {rate:.0f}.",
                        f"每个 token 读取的字节：权重 {g(params)} × {DTYPE_BYTES[dtype]:g} = {g(w_bytes)}{kv_der}。"
                        f"token/s ≤ 带宽 / 字节数 = {g(gpu.bandwidth)} / {g(per_token)} = {rate:.0f}。"),
        inputs={**m.shape_inputs(), "params": params, "dtype": dtype, "bandwidth": gpu.bandwidth, "gpu": gpu.name,
                "context": context},
        slips=tuple(s for s in (
            Slip(gpu.bf16_flops / (2 * params) / rate,
                 both("At batch 1 decoding is memory-bound: divide bandwidth by bytes, not peak FLOPs by 2N.",
                      "batch 1 解码受显存带宽限制：用带宽除以字节数，而不是峰值算力除以 2N。")),
            Slip(per_token / (2 * params + kv) if dtype != "fp16" else 0.0,
                 both(f"{dtype} weights are {DTYPE_BYTES[dtype]:g} byte(s) each, not 2.",
                      f"{dtype} 权重每个 {DTYPE_BYTES[dtype]:g} 字节，不是 2 字节。")),
        ) if s.factor > 0),
    )
