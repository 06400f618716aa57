"""Small worked vectors: softmax with temperature, cross-entropy, perplexity, int8 scale and rounding."""

from __future__ import annotations

import math

import numpy as np

from prep.drills import FRACTION, NATS, NUMBER, Drill, Slip, generator
from prep.drills.generators._data import both, pick

TOL = 0.02
EXACT = 0.001


def _logits(rng: np.random.Generator) -> list[float]:
    size = int(rng.integers(3, 6))
    return [float(x) / 2 for x in rng.integers(-4, 7, size=size)]


def _softmax(z: list[float], temperature: float = 1.0) -> list[float]:
    exps = [math.exp(v / temperature) for v in z]
    total = sum(exps)
    return [e / total for e in exps]


def _vec(z: list[float]) -> str:
    return "[" + ", ".join(f"{v:g}" for v in z) + "]"


@generator("softmax", ("attention", "text-generation"), both("Softmax of a small vector", "小向量的 softmax"))
def softmax(rng: np.random.Generator) -> Drill:
    z = _logits(rng)
    i = int(rng.integers(len(z)))
    t = pick(rng, (1.0, 1.0, 0.5, 2.0))
    p = _softmax(z, t)
    exps = " + ".join(f"e^{v / t:g}" for v in z)
    t_en = f" at temperature T = {t:g}" if t != 1 else ""
    t_zh = f"，温度 T = {t:g}" if t != 1 else ""
    scaled = f"z / T = {_vec([v / t for v in z])}; " if t != 1 else ""
    return Drill(
        question=both(f"Logits z = {_vec(z)}{t_en}. What probability does softmax give to element {i} (counting from "
                      "0)?",
                      f"logits z = {_vec(z)}{t_zh}。softmax 给第 {i} 个元素（从 0 开始数）的概率是多少？"),
        answer=p[i], unit=FRACTION, tolerance=TOL,
        derivation=both(f"{scaled}p_i = e^(z_i/T) / Σ e^(z_j/T) = e^{z[i] / t:g} / ({exps}) = "
                        f"{math.exp(z[i] / t):.3f} / {sum(math.exp(v / t) for v in z):.3f} = {p[i]:.4f}.",
                        f"{scaled}概率 p_i = e^(z_i/T) / Σ e^(z_j/T) = e^{z[i] / t:g} / ({exps}) = "
                        f"{math.exp(z[i] / t):.3f} / {sum(math.exp(v / t) for v in z):.3f} = {p[i]:.4f}。"),
        inputs={"logits": _vec(z), "index": i, "temperature": t},
        slips=(Slip(_softmax(z, 1 / t)[i] / p[i] if t != 1 else 1.0,
                    both("Divide the logits by T (T < 1 sharpens, T > 1 flattens), do not multiply.",
                         "logits 要除以 T（T < 1 更尖锐，T > 1 更平缓），不是乘以 T。")),),
    )


@generator("cross-entropy", ("neural-networks", "llm-evaluation"),
           both("Cross-entropy of a small vector", "小向量的交叉熵"))
def cross_entropy(rng: np.random.Generator) -> Drill:
    while True:
        z = _logits(rng)
        target = int(rng.integers(len(z)))
        lse = math.log(sum(math.exp(v) for v in z))
        loss = lse - z[target]
        if loss > 0.05:
            break
    return Drill(
        question=both(f"Logits z = {_vec(z)}, true class {target} (counting from 0). What is the cross-entropy loss "
                      "in nats (natural log)?",
                      f"logits z = {_vec(z)}，真实类别为 {target}（从 0 开始数）。交叉熵损失是多少 nats（自然对数）？"),
        answer=loss, unit=NATS, tolerance=TOL,
        derivation=both(f"CE = -log softmax(z)_y = logsumexp(z) - z_y = log({sum(math.exp(v) for v in z):.3f}) - "
                        f"{z[target]:g} = {lse:.4f} - {z[target]:g} = {loss:.4f}.",
                        f"交叉熵 CE = -log softmax(z)_y = logsumexp(z) - z_y = log({sum(math.exp(v) for v in z):.3f})"
                        f" - {z[target]:g} = {lse:.4f} - {z[target]:g} = {loss:.4f}。"),
        inputs={"logits": _vec(z), "target": target},
        slips=(Slip(1 / math.log(2), both("That is log base 2 (bits); cross-entropy losses use the natural log.",
                                          "这是以 2 为底（比特）；交叉熵损失用自然对数。")),
               Slip(1 / math.log(10), both("That is log base 10; use the natural log.",
                                           "这是以 10 为底；要用自然对数。"))),
    )


@generator("perplexity", ("llm-evaluation",), both("Perplexity from loss", "由损失算困惑度"))
def perplexity(rng: np.random.Generator) -> Drill:
    loss = round(float(rng.uniform(1.2, 3.6)), 2)
    ppl = math.exp(loss)
    return Drill(
        question=both(f"A language model's mean cross-entropy on a test set is {loss:g} nats per token. What is its "
                      "perplexity?",
                      f"一个语言模型在测试集上的平均交叉熵是每个 token {loss:g} nats。"
                      "它的困惑度（perplexity）是多少？"),
        answer=ppl, unit=NUMBER, tolerance=TOL,
        derivation=both(f"PPL = exp(mean cross-entropy in nats) = e^{loss:g} = {ppl:.2f}.",
                        f"PPL = exp(以 nats 计的平均交叉熵) = e^{loss:g} = {ppl:.2f}。"),
        inputs={"loss": loss},
        slips=(Slip(2**loss / ppl, both("The loss is in nats: use e^loss, not 2^loss.",
                                        "损失以 nats 计：用 e^loss，不是 2^loss。")),),
    )


def _tensor(rng: np.random.Generator) -> list[float]:
    while True:
        x = [round(float(v), 2) for v in rng.uniform(-3, 3, size=int(rng.integers(5, 9)))]
        scale = max(abs(v) for v in x) / 127
        fractions = [abs(v / scale) % 1 for v in x]
        if min(abs(f - 0.5) for f in fractions) > 0.01 and max(abs(v) for v in x) > 0.5:
            return x  # no rounding ties: the answer does not depend on the rounding mode


@generator("int8-scale", ("compute-resources", "efficiency-inference"),
           both("int8 quantization scale", "int8 量化的 scale"))
def int8_scale(rng: np.random.Generator) -> Drill:
    x = _tensor(rng)
    amax = max(abs(v) for v in x)
    scale = amax / 127
    return Drill(
        question=both(f"Symmetric per-tensor int8 quantization (absmax, range -127..127) of x = {_vec(x)}. What is the "
                      "scale (the float value of one integer step)?",
                      f"对 x = {_vec(x)} 做对称的逐张量 int8 量化（absmax，范围 -127..127）。scale（一个整数步长对应的"
                      "浮点值）是多少？"),
        answer=scale, unit=NUMBER, tolerance=0.01,
        derivation=both(f"Symmetric quantization maps the largest magnitude to 127: scale = max|x| / 127 = "
                        f"{amax:g} / 127 = {scale:.5f}.",
                        f"对称量化把绝对值最大的元素映射到 127：scale = max|x| / 127 = {amax:g} / 127 = {scale:.5f}。"),
        inputs={"x": _vec(x)},
        slips=(Slip(127 / 255, both("Symmetric int8 uses 127 steps on each side: divide max|x| by 127, not 255.",
                                    "对称 int8 每边 127 个台阶：max|x| 除以 127，不是 255。")),
               Slip(127 / amax / scale, both("The scale is max|x| / 127 (float per step), not 127 / max|x|.",
                                             "scale 是 max|x| / 127（每一步对应的浮点值），不是 127 / max|x|。"))),
    )


@generator("int8-quantize", ("compute-resources", "efficiency-inference"),
           both("int8 rounding of a value", "int8 量化取整"))
def int8_quantize(rng: np.random.Generator) -> Drill:
    while True:
        x = _tensor(rng)
        amax = max(abs(v) for v in x)
        scale = amax / 127
        candidates = [j for j, v in enumerate(x) if abs(v) != amax and round(v / scale) != 0]
        if candidates:
            break
    j = pick(rng, candidates)
    q = round(x[j] / scale)
    truncated = int(x[j] / scale)
    return Drill(
        question=both(f"Symmetric per-tensor int8 quantization (absmax, range -127..127, round to nearest) of "
                      f"x = {_vec(x)}. Which integer does element {j} ({x[j]:g}) become?",
                      f"对 x = {_vec(x)} 做对称的逐张量 int8 量化（absmax，范围 -127..127，四舍五入到最近整数）。"
                      f"第 {j} 个元素（{x[j]:g}）量化成哪个整数？"),
        answer=float(q), unit=NUMBER, tolerance=EXACT,
        derivation=both(f"scale = {amax:g} / 127 = {scale:.5f}; q = round({x[j]:g} / {scale:.5f}) = "
                        f"round({x[j] / scale:.3f}) = {q}. Dequantized: {q} × {scale:.5f} = {q * scale:.4f}.",
                        f"scale = {amax:g} / 127 = {scale:.5f}；q = round({x[j]:g} / {scale:.5f}) = "
                        f"round({x[j] / scale:.3f}) = {q}。反量化：{q} × {scale:.5f} = {q * scale:.4f}。"),
        inputs={"x": _vec(x), "index": j},
        slips=(Slip(truncated / q if truncated != q and truncated else 1.0,
                    both("Round to the nearest integer; do not truncate toward zero.",
                         "要四舍五入到最近整数，不是向零截断。")),),
    )
