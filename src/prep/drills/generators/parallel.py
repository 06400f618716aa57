"""Parallelism drills: global batch and steps per epoch, ring all-reduce traffic, pipeline bubble."""

from __future__ import annotations

import numpy as np

from prep.drills import GB, PERCENT, STEPS, Drill, Kind, Slip, Unit, generator
from prep.drills.generators._data import LLAMAS, both, coin, g, n, pick

EXACT = 0.001
TOL = 0.05
MILLION_TOKENS = Unit(Kind.TOKENS, "M tokens", 1e6)


@generator("global-batch-tokens", ("compute-resources", "optimization"),
           both("Global batch under data parallelism and accumulation", "数据并行与梯度累积下的全局 batch"))
def global_batch_tokens(rng: np.random.Generator) -> Drill:
    gpus = pick(rng, (8, 16, 32, 64, 128, 256, 512))
    tp = pick(rng, tuple(t for t in (1, 1, 2, 4, 8) if t <= gpus // 2))
    dp = gpus // tp
    micro = pick(rng, (1, 2, 4, 8))
    accum = pick(rng, (1, 2, 4, 8, 16))
    seq = pick(rng, (2048, 4096, 8192))
    sequences = dp * micro * accum
    tokens = sequences * seq
    tp_en = f", tensor parallelism {tp} (so {gpus}/{tp} data-parallel replicas)" if tp > 1 else ", data parallel only"
    tp_zh = f"，张量并行度 {tp}（所以数据并行副本数是 {gpus}/{tp}）" if tp > 1 else "，只用数据并行"
    return Drill(
        question=both(f"{gpus} GPUs{tp_en}; micro-batch {micro} sequences per replica, {accum} gradient-accumulation "
                      f"steps, sequences of {seq} tokens. How many tokens per optimizer step, in millions?",
                      f"{gpus} 张 GPU{tp_zh}；每个副本 micro-batch 为 {micro} 条序列，梯度累积 {accum} 步，"
                      f"序列长 {seq} 个 token。每个优化器 step 处理多少 token（以百万计）？"),
        answer=float(tokens), unit=MILLION_TOKENS, tolerance=0.01,
        derivation=both(f"Global batch = DP × micro-batch × accumulation = {dp} × {micro} × {accum} = {sequences} "
                        f"sequences; × {seq} tokens = {n(tokens)} tokens ≈ {tokens / 1e6:.2f}M.",
                        f"全局 batch = 数据并行数 × micro-batch × 累积步数 = {dp} × {micro} × {accum} = {sequences} "
                        f"条序列；× {seq} token = {n(tokens)} 个 token ≈ {tokens / 1e6:.2f}M。"),
        inputs={"gpus": gpus, "tp": tp, "micro_batch": micro, "accumulation": accum, "seq": seq},
        slips=tuple(s for s in (
            Slip(float(tp), both("Tensor-parallel ranks share one replica: only data-parallel replicas add samples.",
                                 "张量并行的几张卡共用一个副本：只有数据并行副本会增加样本。")),
            Slip(1 / accum, both("Each accumulation step adds a micro-batch to the same optimizer step.",
                                 "每个累积步都会给同一个优化器 step 加一个 micro-batch。")),
        ) if s.factor != 1),
    )


DATASETS = (("ImageNet-1k train", 1281167), ("COCO train2017", 118287), ("CIFAR-10 train", 50000),
            ("MNLI train", 392702), ("SQuAD v1.1 train", 87599))


@generator("steps-per-epoch", ("optimization", "compute-resources"),
           both("Optimizer steps per epoch", "每个 epoch 的优化器步数"))
def steps_per_epoch(rng: np.random.Generator) -> Drill:
    name, size = pick(rng, DATASETS)
    gpus = pick(rng, (1, 2, 4, 8, 16, 32))
    micro = pick(rng, (16, 32, 64, 128)) if size > 100000 else pick(rng, (8, 16, 32))
    accum = pick(rng, (1, 2, 4, 8))
    drop_last = coin(rng)
    batch = gpus * micro * accum
    steps = size // batch if drop_last else -(-size // batch)
    rule_en = "the last incomplete batch is dropped" if drop_last else "the last incomplete batch still makes a step"
    rule_zh = "丢弃最后不满的 batch" if drop_last else "最后不满的 batch 也算一步"
    op = "floor" if drop_last else "ceil"
    return Drill(
        question=both(f"{name} ({size:,} examples) on {gpus} GPU(s) with data parallelism, micro-batch {micro} per "
                      f"GPU and {accum} accumulation steps; {rule_en}. How many optimizer steps per epoch?",
                      f"{name}（{size:,} 个样本），{gpus} 张卡数据并行，每卡 micro-batch {micro}，梯度累积 {accum} 步；"
                      f"{rule_zh}。一个 epoch 有多少个优化器 step？"),
        answer=float(steps), unit=STEPS, tolerance=EXACT,
        derivation=both(f"Global batch = {gpus} × {micro} × {accum} = {batch}. Steps = {op}({size:,} / {batch}) = "
                        f"{op}({size / batch:.2f}) = {steps:,}.",
                        f"全局 batch = {gpus} × {micro} × {accum} = {batch}。步数 = {op}({size:,} / {batch}) = "
                        f"{op}({size / batch:.2f}) = {steps:,}。"),
        inputs={"dataset": name, "size": size, "gpus": gpus, "micro_batch": micro, "accumulation": accum,
                "drop_last": drop_last},
        slips=tuple(s for s in (
            Slip(float(accum),
                 both("Accumulation: one optimizer step per accumulation cycle, not per micro-batch.",
                      "梯度累积：每累积一轮才更新一次，不是每个 micro-batch 一次。")),
            Slip(float(gpus), both("Every data-parallel GPU consumes its own micro-batch in the same step.",
                                   "数据并行的每张卡在同一步里各自消耗一个 micro-batch。")),
        ) if s.factor != 1),
    )


@generator("ring-allreduce", ("compute-resources",),
           both("Ring all-reduce traffic per GPU", "Ring all-reduce 每卡通信量"))
def ring_allreduce(rng: np.random.Generator) -> Drill:
    m = pick(rng, LLAMAS)
    ranks = pick(rng, (4, 8, 16, 64, 256))
    dtype, size = pick(rng, (("bf16", 2), ("fp32", 4)))
    params = m.params()
    grad = params * size
    sent = 2 * (ranks - 1) / ranks * grad
    return Drill(
        question=both(f"Data-parallel training of {m.name} ({params / 1e9:.2f}B parameters) on {ranks} GPUs; gradients "
                      f"in {dtype} are averaged with a ring all-reduce. How many bytes does each GPU send per step, "
                      "in GB?",
                      f"在 {ranks} 张卡上数据并行训练 {m.name}（{params / 1e9:.2f}B 参数），"
                      f"{dtype} 梯度用 ring all-reduce "
                      "求平均。每一步每张卡发送多少字节（以 GB 计）？"),
        answer=sent, unit=GB, tolerance=TOL,
        derivation=both(f"Gradient size S = {g(params)} × {size} = {g(grad)} bytes. Reduce-scatter then all-gather, "
                        f"each n-1 steps of S/n: 2·(n-1)/n·S = 2 × {ranks - 1}/{ranks} × {g(grad)} = {g(sent)} bytes "
                        f"= {sent / 1e9:.1f} GB, almost independent of n.",
                        f"梯度大小 S = {g(params)} × {size} = {g(grad)} 字节。"
                        "先 reduce-scatter 再 all-gather，各 n-1 步、"
                        f"每步 S/n：2·(n-1)/n·S = 2 × {ranks - 1}/{ranks} × {g(grad)} = {g(sent)} 字节 = "
                        f"{sent / 1e9:.1f} GB，几乎与 n 无关。"),
        inputs={**m.shape_inputs(), "params": params, "ranks": ranks, "dtype": dtype},
        slips=(Slip(0.5, both("Reduce-scatter and all-gather each move (n-1)/n·S: 2·(n-1)/n·S in all.",
                              "reduce-scatter 和 all-gather 各传 (n-1)/n·S，合计 2·(n-1)/n·S。")),
               Slip(ranks / 2, both("In a ring each GPU sends chunks of S/n, not the whole gradient to every peer.",
                                    "环上每张卡每步只发 S/n 的一块，不是把整份梯度发给每个节点。"))),
    )


@generator("pipeline-bubble", ("compute-resources",), both("Pipeline bubble fraction", "流水线气泡占比"))
def pipeline_bubble(rng: np.random.Generator) -> Drill:
    stages = pick(rng, (2, 4, 8, 16))
    micro = pick(rng, (1, 2, 4, 8, 16, 32, 64))
    bubble = (stages - 1) / (micro + stages - 1)
    return Drill(
        question=both(f"A GPipe / 1F1B pipeline with p = {stages} stages runs m = {micro} micro-batches per step "
                      "(equal time per stage, no interleaving). What fraction of the step is each stage idle?",
                      f"GPipe / 1F1B 流水线，p = {stages} 个 stage，每步 m = {micro} 个 micro-batch"
                      "（各 stage 耗时相同，"
                      "不交错）。每个 stage 在一步中有多大比例的时间空闲？"),
        answer=bubble, unit=PERCENT, tolerance=TOL,
        derivation=both(f"A step lasts m + p - 1 slots (filling and draining the pipe) and each stage works m of "
                        f"them: bubble = (p-1)/(m+p-1) = {stages - 1}/{micro + stages - 1} = {bubble * 100:.1f}%. "
                        "More micro-batches shrink it.",
                        f"一步共 m + p - 1 个时间片（灌满和排空流水线），每个 stage 只忙 m 个：气泡 = (p-1)/(m+p-1) = "
                        f"{stages - 1}/{micro + stages - 1} = {bubble * 100:.1f}%。micro-batch 越多，气泡越小。"),
        inputs={"stages": stages, "micro_batches": micro},
        slips=(Slip((stages - 1) / micro / bubble,
                    both("(p-1)/m is idle time relative to busy time; as a share of the step it is (p-1)/(m+p-1).",
                         "(p-1)/m 是空闲时间相对忙碌时间的比；占整步的比例是 (p-1)/(m+p-1)。")),),
    )
