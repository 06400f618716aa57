"""Convolution drills: output size, parameter count, receptive field of a stack."""

from __future__ import annotations

import numpy as np

from prep.drills import PARAMS, PIXELS, Drill, Slip, generator
from prep.drills.generators._data import both, coin, n, pick

EXACT = 0.001  # integer answers: only the exact value passes


def conv_out(size: int, k: int, s: int, p: int, d: int) -> int:
    return (size + 2 * p - d * (k - 1) - 1) // s + 1


@generator("conv-output-size", ("cnn",), both("Conv output size", "卷积输出尺寸"))
def conv_output_size(rng: np.random.Generator) -> Drill:
    while True:
        size = pick(rng, (28, 32, 56, 64, 112, 128, 224, 227, 256, 299, 512))
        k = pick(rng, (1, 3, 3, 3, 5, 7, 11))
        s = pick(rng, (1, 2, 2, 4)) if k > 1 else pick(rng, (1, 2))
        p = int(rng.integers(0, k // 2 + 2))
        d = pick(rng, (1, 1, 1, 2, 3)) if k == 3 else 1
        out = conv_out(size, k, s, p, d)
        if out >= 1 and (s > 1 or p != (k - 1) * d // 2 or d > 1):  # not the trivial "same" case
            break
    span = d * (k - 1) + 1
    dil_en = f", dilation {d}" if d > 1 else ""
    dil_zh = f"，膨胀率（dilation）{d}" if d > 1 else ""
    no_floor = (size + 2 * p - span) / s + 1
    return Drill(
        question=both(
            f"A {size}×{size} input goes through a {k}×{k} convolution with stride {s}, padding {p}{dil_en}. "
            "What is the output height (= width), in pixels?",
            f"{size}×{size} 的输入经过一个 {k}×{k} 卷积，步长 {s}，padding {p}{dil_zh}。"
            "输出的高（= 宽）是多少像素？"),
        answer=float(out), unit=PIXELS, tolerance=EXACT,
        derivation=both(
            f"out = floor((H + 2p - d(k-1) - 1) / s) + 1. The dilated kernel spans d(k-1)+1 = {span} pixels: "
            f"floor(({size} + {2 * p} - {span}) / {s}) + 1 = floor({(size + 2 * p - span) / s:g}) + 1 = {out}.",
            f"out = floor((H + 2p - d(k-1) - 1) / s) + 1。膨胀后的卷积核覆盖 d(k-1)+1 = {span} 个像素："
            f"floor(({size} + {2 * p} - {span}) / {s}) + 1 = floor({(size + 2 * p - span) / s:g}) + 1 = {out}。"),
        inputs={"size": size, "kernel": k, "stride": s, "padding": p, "dilation": d},
        slips=(Slip(no_floor / out, both("Round down: a window that does not fit is dropped (floor).",
                                         "要向下取整：放不下的窗口不算（floor）。")),) if no_floor != out else (),
    )


@generator("conv-params", ("cnn",), both("Conv layer parameters", "卷积层参数量"))
def conv_params(rng: np.random.Generator) -> Drill:
    channels = (3, 16, 32, 64, 128, 256, 512, 1024)
    depthwise = coin(rng, 0.25)
    k = pick(rng, (1, 3, 3, 5, 7))
    bias = coin(rng)
    if depthwise:
        c_in = c_out = pick(rng, channels[2:])
        groups = c_in
    else:
        c_in, c_out, groups = pick(rng, channels), pick(rng, channels[1:]), 1
    weights = c_out * (c_in // groups) * k * k
    total = weights + (c_out if bias else 0)
    kind_en = f"a depthwise {k}×{k} convolution (groups = {groups})" if depthwise else f"a {k}×{k} convolution"
    kind_zh = f"一个 depthwise {k}×{k} 卷积（groups = {groups}）" if depthwise else f"一个 {k}×{k} 卷积"
    bias_en, bias_zh = ("with bias", "带 bias") if bias else ("without bias", "不带 bias")
    bias_term = f" + {c_out}" if bias else ""
    return Drill(
        question=both(f"How many parameters has {kind_en} from {c_in} to {c_out} channels, {bias_en}?",
                      f"{kind_zh}，输入 {c_in} 通道、输出 {c_out} 通道，{bias_zh}，有多少参数？"),
        answer=float(total), unit=PARAMS, tolerance=EXACT,
        derivation=both(
            f"C_out × (C_in / groups) × k × k{' + C_out' if bias else ''} = "
            f"{c_out} × {c_in // groups} × {k * k}{bias_term} = {n(total)}. "
            f"Each output channel has one kernel over its input channels{' and one bias' if bias else ''}.",
            f"C_out × (C_in / groups) × k × k{' + C_out' if bias else ''} = "
            f"{c_out} × {c_in // groups} × {k * k}{bias_term} = {n(total)}。"
            f"每个输出通道对它的输入通道有一个卷积核{'，外加一个 bias' if bias else ''}。"),
        inputs={"c_in": c_in, "c_out": c_out, "kernel": k, "groups": groups, "bias": bias},
        slips=tuple(s for s in (
            Slip(weights * groups / total if depthwise else 0.0,
                 both("Depthwise: each output channel sees only its own input channel.",
                      "depthwise 卷积：每个输出通道只看自己那一个输入通道。")),
            Slip((weights + c_in * c_out) / total if bias and c_in != 1 else 0.0,
                 both("One bias per output channel, not per (input, output) pair.",
                      "bias 每个输出通道一个，不是每对输入/输出通道一个。")),
        ) if s.factor > 0),
    )


# Layers of real stacks: (name, kernel, stride, dilation).
LAYERS = (("conv3", 3, 1, 1), ("conv3", 3, 1, 1), ("conv3/s2", 3, 2, 1), ("maxpool2", 2, 2, 1),
          ("maxpool3/s2", 3, 2, 1), ("conv5", 5, 1, 1), ("conv7/s2", 7, 2, 1), ("conv3/d2", 3, 1, 2),
          ("conv1", 1, 1, 1))


@generator("receptive-field", ("cnn",), both("Receptive field of a conv stack", "卷积堆叠的感受野"))
def receptive_field(rng: np.random.Generator) -> Drill:
    depth = int(rng.integers(3, 7))
    stack = [pick(rng, LAYERS) for _ in range(depth)]
    rf, jump = 1, 1
    steps_en = []
    for name, k, s, d in stack:
        rf += (k - 1) * d * jump
        steps_en.append(f"{name}: +{k - 1}×{d}×{jump} -> {rf}")
        jump *= s
    names = " -> ".join(name for name, *_ in stack)
    naive = 1 + sum((k - 1) * d for _, k, _, d in stack)
    steps, steps_zh = "; ".join(steps_en), "；".join(steps_en)
    return Drill(
        question=both(
            f"What is the receptive field (in input pixels, along one side) of one output of this stack: {names}? "
            "(convK = K×K kernel, /s2 = stride 2, /d2 = dilation 2; pools count like convs.)",
            f"下面这个卷积堆叠的一个输出在输入上的感受野是多少像素（单边）：{names}？"
            "（convK = K×K 卷积核，/s2 = 步长 2，/d2 = 膨胀率 2；池化层按卷积算。）"),
        answer=float(rf), unit=PIXELS, tolerance=EXACT,
        derivation=both(
            "r = 1 + Σ (k_i - 1) × d_i × j_i, where the jump j_i is the product of the strides before layer i. "
            f"{steps}. Receptive field = {rf}.",
            "r = 1 + Σ (k_i - 1) × d_i × j_i，其中 j_i 是第 i 层之前所有步长的乘积。"
            f"{steps_zh}。感受野 = {rf}。"),
        inputs={"layers": ";".join(f"{k},{s},{d}" for _, k, s, d in stack)},
        slips=(Slip(naive / rf, both("Strides multiply: each layer after a stride-2 layer grows the field twice as "
                                     "fast.", "步长要累乘：步长 2 之后的每一层，感受野的增长翻倍。")),)
        if naive != rf else (),
    )
