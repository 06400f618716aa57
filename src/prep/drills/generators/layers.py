"""Parameter counts: linear, embedding, attention and MLP blocks, whole decoder-only models, LoRA."""

from __future__ import annotations

import numpy as np

from prep.drills import BILLION_PARAMS, MILLION_PARAMS, PARAMS, Drill, Slip, generator
from prep.drills.generators._data import GPT2S, LLAMAS, both, coin, n, pick

EXACT = 0.001
TOL = 0.02
DIMS = (768, 1024, 2048, 3072, 4096, 5120, 8192)


@generator("linear-params", ("neural-networks",), both("Linear layer parameters", "全连接层参数量"))
def linear_params(rng: np.random.Generator) -> Drill:
    d_in = pick(rng, (*DIMS, 11008, 14336))
    d_out = pick(rng, (*DIMS, 10, 1000, 11008, 14336))
    bias = coin(rng)
    total = d_in * d_out + (d_out if bias else 0)
    b_en, b_zh = ("with bias", "带 bias") if bias else ("without bias", "不带 bias")
    b_term = f" + {d_out}" if bias else ""
    return Drill(
        question=both(f"How many parameters has a linear layer from {d_in} to {d_out} features, {b_en}?",
                      f"一个 {d_in} 维到 {d_out} 维的全连接层（{b_zh}）有多少参数？"),
        answer=float(total), unit=PARAMS, tolerance=EXACT,
        derivation=both(f"W is {d_out} × {d_in}{', b has ' + str(d_out) if bias else ''}: "
                        f"{d_in} × {d_out}{b_term} = {n(total)}.",
                        f"W 的形状是 {d_out} × {d_in}{'，b 有 ' + str(d_out) + ' 个' if bias else ''}："
                        f"{d_in} × {d_out}{b_term} = {n(total)}。"),
        inputs={"d_in": d_in, "d_out": d_out, "bias": bias},
        slips=(Slip((total + d_in - d_out) / total, both("The bias has one entry per output, not per input.",
                                                         "bias 的个数等于输出维度，不是输入维度。")),)
        if bias and d_in != d_out else (),
    )


TOKENIZERS = (("GPT-2", 50257), ("BERT", 30522), ("Llama 2", 32000), ("Llama 3", 128256), ("T5", 32128),
              ("Qwen2", 151936))


@generator("embedding-params", ("transformers-llm",), both("Embedding parameters", "Embedding 参数量"))
def embedding_params(rng: np.random.Generator) -> Drill:
    tok, vocab = pick(rng, TOKENIZERS)
    d = pick(rng, (768, 1024, 2048, 4096))
    positions = pick(rng, (0, 512, 1024, 2048))
    total = vocab * d + positions * d
    pos_en = f", plus a learned position table for {positions} positions" if positions else ""
    pos_zh = f"，另有 {positions} 个位置的可学习位置编码表" if positions else ""
    pos_term = f" + {positions} × {d}" if positions else ""
    return Drill(
        question=both(f"A token embedding with the {tok} vocabulary ({vocab:,} tokens) and d_model = {d}{pos_en}. "
                      "How many parameters, in millions?",
                      f"用 {tok} 词表（{vocab:,} 个 token）、d_model = {d} 的 token embedding{pos_zh}。"
                      "一共多少参数（以百万计）？"),
        answer=float(total), unit=MILLION_PARAMS, tolerance=TOL,
        derivation=both(f"One row of d_model per token{' and per position' if positions else ''}: "
                        f"{vocab:,} × {d}{pos_term} = {n(total)} ≈ {total / 1e6:.1f}M.",
                        f"每个 token{' 和每个位置' if positions else ' '}一行 d_model 维向量："
                        f"{vocab:,} × {d}{pos_term} = {n(total)} ≈ {total / 1e6:.1f}M。"),
        inputs={"vocab": vocab, "d_model": d, "positions": positions},
    )


@generator("attention-params", ("attention",), both("Attention block parameters", "注意力层参数量"))
def attention_params(rng: np.random.Generator) -> Drill:
    d, heads = pick(rng, ((768, 12), (1024, 16), (2048, 32), (4096, 32), (5120, 40), (8192, 64)))
    hd = d // heads
    kv = pick(rng, tuple(k for k in (heads, 8, 4, 1) if heads % k == 0))
    bias = coin(rng, 0.3)
    q = o = d * heads * hd
    kvp = 2 * d * kv * hd
    biases = (heads * hd + 2 * kv * hd + d) if bias else 0
    total = q + o + kvp + biases
    kind = "MHA" if kv == heads else "MQA" if kv == 1 else "GQA"
    b_en, b_zh = ("with biases", "带 bias") if bias else ("without biases", "不带 bias")
    b_term = f" + biases {heads * hd} + 2 × {kv * hd} + {d}" if bias else ""
    mha = q + o + 2 * d * heads * hd + ((heads * hd * 3 + d) if bias else 0)
    return Drill(
        question=both(f"A self-attention block ({kind}) with d_model = {d}, {heads} query heads of {hd} and {kv} "
                      f"key/value heads, {b_en}. How many parameters (Q, K, V and output projections)?",
                      f"一个自注意力层（{kind}）：d_model = {d}，{heads} 个 query 头（每头 {hd} 维），{kv} 个 "
                      f"key/value 头，{b_zh}。Q、K、V 和输出投影一共多少参数？"),
        answer=float(total), unit=MILLION_PARAMS, tolerance=0.01,
        derivation=both(f"W_Q and W_O are {d} × {heads * hd}; W_K and W_V are {d} × {kv * hd} ({kv} heads × {hd}): "
                        f"2 × {d} × {heads * hd} + 2 × {d} × {kv * hd}{b_term} = {n(total)}.",
                        f"W_Q 和 W_O 是 {d} × {heads * hd}；W_K 和 W_V 是 {d} × {kv * hd}（{kv} 个头 × {hd}）："
                        f"2 × {d} × {heads * hd} + 2 × {d} × {kv * hd}{b_term} = {n(total)}。"),
        inputs={"d_model": d, "heads": heads, "kv_heads": kv, "head_dim": hd, "bias": bias},
        slips=(Slip(mha / total, both(f"With {kind}, K and V have only {kv} heads, not {heads}.",
                                      f"{kind} 的 K、V 只有 {kv} 个头，不是 {heads} 个。")),) if kv != heads else (),
    )


@generator("mlp-params", ("transformers-llm",), both("Transformer MLP parameters", "Transformer MLP 参数量"))
def mlp_params(rng: np.random.Generator) -> Drill:
    gated = coin(rng)
    if gated:
        d, ffn = pick(rng, ((4096, 11008), (4096, 14336), (5120, 13824), (8192, 28672), (2048, 8192)))
        total = 3 * d * ffn
        q_en = (f"A SwiGLU MLP (Llama style: gate, up and down projections, no biases) with d_model = {d} "
                f"and d_ff = {ffn}. How many parameters?")
        q_zh = (f"一个 SwiGLU MLP（Llama 式：gate、up、down 三个投影，无 bias），d_model = {d}，d_ff = {ffn}。"
                "有多少参数？")
        der_en = f"Three matrices of {d} × {ffn}: 3 × {d} × {ffn} = {n(total)}."
        der_zh = f"三个 {d} × {ffn} 的矩阵：3 × {d} × {ffn} = {n(total)}。"
        slip = Slip(2 / 3, both("SwiGLU has three matrices (gate, up, down), not two.",
                                "SwiGLU 有三个矩阵（gate、up、down），不是两个。"))
    else:
        d = pick(rng, (768, 1024, 1280, 1600))
        ffn = 4 * d
        total = 2 * d * ffn + ffn + d
        q_en = (f"A GPT-2 style MLP (d_model = {d} -> 4 d_model -> d_model, GELU, with biases). "
                "How many parameters?")
        q_zh = f"一个 GPT-2 式 MLP（d_model = {d} -> 4 d_model -> d_model，GELU，带 bias）。有多少参数？"
        der_en = f"Up {d} × {ffn} + {ffn} bias, down {ffn} × {d} + {d} bias: 8 × {d}² + 5 × {d} = {n(total)}."
        der_zh = f"升维 {d} × {ffn} + {ffn} 个 bias，降维 {ffn} × {d} + {d} 个 bias：8 × {d}² + 5 × {d} = {n(total)}。"
        slip = Slip(0.5, both("Two matrices: up to 4 d_model and back down.",
                                                  "两个矩阵：先升到 4 d_model，再降回来。"))
    return Drill(question=both(q_en, q_zh), answer=float(total), unit=MILLION_PARAMS, tolerance=TOL,
                 derivation=both(der_en, der_zh), inputs={"d_model": d, "ffn": ffn, "gated": gated}, slips=(slip,))


@generator("transformer-params", ("transformers-llm", "large-models"),
           both("Decoder-only transformer parameters", "Decoder-only Transformer 参数量"))
def transformer_params(rng: np.random.Generator) -> Drill:
    m = pick(rng, LLAMAS)
    tied = coin(rng)
    total = m.params(tied)
    d, hd = m.d_model, m.head_dim
    attn = 2 * d * m.heads * hd + 2 * d * m.kv_heads * hd
    mlp = 3 * d * m.ffn
    emb = m.vocab * d
    t_en = "tied (the output head reuses the embedding)" if tied else "untied (a separate output head)"
    t_zh = "共享（输出层复用 embedding 矩阵）" if tied else "不共享（单独的输出层）"
    head_en = "" if tied else f" + head {n(emb)}"
    head_zh = "" if tied else f" + 输出层 {n(emb)}"
    return Drill(
        question=both(f"A Llama-style decoder-only model shaped like {m.name}: {m.shape_text()}; SwiGLU MLP, RMSNorm, "
                      f"no biases; input embedding and output head {t_en}. How many parameters, in billions?",
                      f"一个形状同 {m.name} 的 Llama 式 decoder-only 模型：{m.shape_text('zh')}；SwiGLU MLP、RMSNorm、"
                      f"无 bias；输入 embedding 与输出层{t_zh}。一共多少参数（以十亿计）？"),
        answer=float(total), unit=BILLION_PARAMS, tolerance=TOL,
        derivation=both(
            f"Per layer: attention 2·d·(heads·hd) + 2·d·(kv·hd) = {n(attn)}; MLP 3·d·d_ff = {n(mlp)}; two norms "
            f"2·d = {2 * d}; layer = {n(m.layer_params())}. Total = embedding {n(emb)} + {m.layers} × "
            f"{n(m.layer_params())} + final norm {d}{head_en} = {n(total)} ≈ {total / 1e9:.2f}B.",
            f"每层：注意力 2·d·(heads·hd) + 2·d·(kv·hd) = {n(attn)}；MLP 3·d·d_ff = {n(mlp)}；两个 norm "
            f"2·d = {2 * d}；每层合计 {n(m.layer_params())}。总数 = embedding {n(emb)} + {m.layers} × "
            f"{n(m.layer_params())} + 最后的 norm {d}{head_zh} = {n(total)} ≈ {total / 1e9:.2f}B。"),
        inputs={**m.shape_inputs(), "tied": tied},
        slips=tuple(s for s in (
            Slip(m.params(not tied) / total, both("Tied means one matrix for embedding and head; untied means two.",
                                                  "共享就是 embedding 和输出层用同一个矩阵；不共享就是两个。")),
            Slip((total + 2 * d * (m.heads - m.kv_heads) * hd * m.layers) / total,
                 both(f"GQA: K and V have {m.kv_heads} heads, not {m.heads}.",
                      f"GQA：K、V 只有 {m.kv_heads} 个头，不是 {m.heads} 个。")),
            Slip((total - mlp * m.layers / 3) / total, both("SwiGLU has three matrices, not two.",
                                                             "SwiGLU 有三个矩阵，不是两个。")),
        ) if abs(s.factor - 1) > 0.03),
    )


def gpt2_params(layers: int, d: int, vocab: int, context: int) -> int:
    per_layer = 12 * d * d + 13 * d
    return vocab * d + context * d + layers * per_layer + 2 * d


@generator("gpt2-params", ("transformers-llm",), both("GPT-2 parameters", "GPT-2 参数量"))
def gpt2(rng: np.random.Generator) -> Drill:
    m = pick(rng, GPT2S)
    d = m.d_model
    total = gpt2_params(m.layers, d, m.vocab, m.context)
    per_layer = 12 * d * d + 13 * d
    return Drill(
        question=both(f"{m.name}: {m.layers} layers, d_model = {d}, {m.heads} heads, vocab {m.vocab:,}, "
                      f"{m.context} learned positions, MLP of 4 d_model, biases and LayerNorms everywhere, "
                      "output head tied to the token embedding. How many parameters, in millions?",
                      f"{m.name}：{m.layers} 层，d_model = {d}，{m.heads} 个头，词表 {m.vocab:,}，{m.context} 个"
                      "可学习位置编码，MLP 宽 4 d_model，处处有 bias 和 LayerNorm，输出层与 token embedding 共享。"
                      "一共多少参数（以百万计）？"),
        answer=float(total), unit=MILLION_PARAMS, tolerance=TOL,
        derivation=both(
            f"Per layer: QKV 3d² + 3d, out d² + d, MLP 8d² + 5d, two LayerNorms 4d -> 12d² + 13d = {n(per_layer)}. "
            f"Total = V·d + T·d + L·(12d² + 13d) + 2d (final LN) = {n(m.vocab * d)} + {n(m.context * d)} + "
            f"{m.layers} × {n(per_layer)} + {2 * d} = {n(total)}.",
            f"每层：QKV 3d² + 3d，输出投影 d² + d，MLP 8d² + 5d，两个 LayerNorm 4d -> 12d² + 13d = {n(per_layer)}。"
            f"总数 = V·d + T·d + L·(12d² + 13d) + 2d（最后的 LN）= {n(m.vocab * d)} + {n(m.context * d)} + "
            f"{m.layers} × {n(per_layer)} + {2 * d} = {n(total)}。"),
        inputs={"model": m.name, "layers": m.layers, "d_model": d, "vocab": m.vocab, "context": m.context},
        slips=(Slip((total + m.vocab * d) / total, both("The head is tied: count the embedding matrix once.",
                                                        "输出层是共享的：embedding 矩阵只算一次。")),),
    )


TARGETS = {"q,v": ("q", "v"), "q,k,v,o": ("q", "k", "v", "o"),
           "all linear": ("q", "k", "v", "o", "gate", "up", "down")}
TARGET_TEXT = {"q,v": both("query and value projections", "query 和 value 投影"),
               "q,k,v,o": both("four attention projections (q, k, v, o)", "四个注意力投影（q、k、v、o）"),
               "all linear": both("seven linear layers (q, k, v, o, gate, up, down)",
                                  "全部七个线性层（q、k、v、o、gate、up、down）")}


@generator("lora-params", ("fine-tuning",), both("LoRA trainable parameters", "LoRA 可训练参数量"))
def lora_params(rng: np.random.Generator) -> Drill:
    m = pick(rng, LLAMAS)
    r = pick(rng, (4, 8, 16, 32, 64))
    target = pick(rng, tuple(TARGETS))
    d, q_out, kv_out = m.d_model, m.heads * m.head_dim, m.kv_heads * m.head_dim
    shapes = {"q": (d, q_out), "k": (d, kv_out), "v": (d, kv_out), "o": (q_out, d),
              "gate": (d, m.ffn), "up": (d, m.ffn), "down": (m.ffn, d)}
    per_layer = sum(r * (shapes[t][0] + shapes[t][1]) for t in TARGETS[target])
    total = m.layers * per_layer
    terms = " + ".join(f"{t} ({shapes[t][0]} + {shapes[t][1]})" for t in TARGETS[target])
    return Drill(
        question=both(f"LoRA with rank r = {r} on the {TARGET_TEXT[target]['en']} of every layer of {m.name} "
                      f"({m.shape_text()}). How many trainable parameters, in millions?",
                      f"在 {m.name}（{m.shape_text('zh')}）每一层的{TARGET_TEXT[target]['zh']}上加秩 r = {r} 的 LoRA。"
                      "可训练参数有多少（以百万计）？"),
        answer=float(total), unit=MILLION_PARAMS, tolerance=TOL,
        derivation=both(f"Each adapted W (d_in × d_out) gets A (r × d_in) and B (d_out × r): r·(d_in + d_out). "
                        f"Per layer: {r} × [{terms}] = {n(per_layer)}; × {m.layers} layers = {n(total)}.",
                        f"每个被适配的 W（d_in × d_out）加上 A（r × d_in）和 B（d_out × r）：r·(d_in + d_out)。"
                        f"每层：{r} × [{terms}] = {n(per_layer)}；× {m.layers} 层 = {n(total)}。"),
        inputs={**m.shape_inputs(), "rank": r, "target": target},
        slips=(Slip(m.layers * sum(2 * r * shapes[t][0] for t in TARGETS[target]) / total,
                    both("A and B have different sizes when d_in ≠ d_out: r·(d_in + d_out), not 2·r·d.",
                         "d_in ≠ d_out 时 A 和 B 大小不同：r·(d_in + d_out)，不是 2·r·d。")),
               Slip(1 / m.layers, both("LoRA is added in every layer: multiply by the layer count.",
                                       "每一层都加了 LoRA：要乘以层数。"))),
    )
