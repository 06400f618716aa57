"""Real model shapes and GPU figures the drills draw from, and small helpers to draw and to write numbers.

Shapes are the published configs (Hugging Face config.json of each model); GPU figures are the
vendors' datasheets: dense bf16 tensor throughput (no sparsity) and HBM bandwidth.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

import numpy as np

from prep.drills import Text, format_number

T = TypeVar("T")


@dataclass(frozen=True)
class Model:
    """A Llama-style decoder-only transformer: RMSNorm, no biases, SwiGLU MLP (3 matrices)."""

    name: str
    layers: int
    d_model: int
    heads: int
    kv_heads: int
    head_dim: int
    ffn: int
    vocab: int
    tied: bool
    max_context: int

    @property
    def attention_kind(self) -> str:
        return "MHA" if self.kv_heads == self.heads else "MQA" if self.kv_heads == 1 else "GQA"

    def layer_params(self) -> int:
        d, hd = self.d_model, self.head_dim
        attn = d * self.heads * hd * 2 + d * self.kv_heads * hd * 2
        return attn + 3 * d * self.ffn + 2 * d

    def params(self, tied: bool | None = None) -> int:
        tied = self.tied if tied is None else tied
        emb = self.vocab * self.d_model
        return emb + self.layers * self.layer_params() + self.d_model + (0 if tied else emb)

    def shape_text(self, lang: str = "en") -> str:
        if lang == "zh":
            return (f"L = {self.layers}，d_model = {self.d_model}，{self.heads} 个 query 头，{self.kv_heads} 个 KV 头，"
                    f"head_dim = {self.head_dim}，d_ff = {self.ffn}，词表 {self.vocab:,}")
        return (f"L = {self.layers}, d_model = {self.d_model}, {self.heads} query heads, "
                f"{self.kv_heads} KV head{'s' if self.kv_heads > 1 else ''}, head_dim = {self.head_dim}, "
                f"d_ff = {self.ffn}, vocab = {self.vocab:,}")

    def shape_inputs(self) -> dict[str, int | str | bool]:
        return {"model": self.name, "layers": self.layers, "d_model": self.d_model, "heads": self.heads,
                "kv_heads": self.kv_heads, "head_dim": self.head_dim, "ffn": self.ffn, "vocab": self.vocab}


LLAMA_2_7B = Model("Llama-2 7B", 32, 4096, 32, 32, 128, 11008, 32000, False, 4096)
LLAMA_2_13B = Model("Llama-2 13B", 40, 5120, 40, 40, 128, 13824, 32000, False, 4096)
LLAMA_2_70B = Model("Llama-2 70B", 80, 8192, 64, 8, 128, 28672, 32000, False, 4096)
LLAMA_3_8B = Model("Llama-3.1 8B", 32, 4096, 32, 8, 128, 14336, 128256, False, 131072)
LLAMA_3_70B = Model("Llama-3.1 70B", 80, 8192, 64, 8, 128, 28672, 128256, False, 131072)
LLAMA_32_1B = Model("Llama-3.2 1B", 16, 2048, 32, 8, 64, 8192, 128256, True, 131072)
LLAMA_32_3B = Model("Llama-3.2 3B", 28, 3072, 24, 8, 128, 8192, 128256, True, 131072)
MISTRAL_7B = Model("Mistral 7B", 32, 4096, 32, 8, 128, 14336, 32000, False, 8192)
# Falcon-7B: multi-query attention (one KV head); its MLP is not SwiGLU, so it is used for KV cache only.
FALCON_7B = Model("Falcon-7B", 32, 4544, 71, 1, 64, 18176, 65024, True, 2048)

LLAMAS = (LLAMA_2_7B, LLAMA_2_13B, LLAMA_2_70B, LLAMA_3_8B, LLAMA_3_70B, LLAMA_32_1B, LLAMA_32_3B, MISTRAL_7B)
KV_MODELS = (LLAMA_2_7B, LLAMA_2_13B, LLAMA_2_70B, LLAMA_3_8B, LLAMA_3_70B, MISTRAL_7B, FALCON_7B)


@dataclass(frozen=True)
class Gpt2:
    name: str
    layers: int
    d_model: int
    heads: int
    vocab: int = 50257
    context: int = 1024


GPT2S = (Gpt2("GPT-2 small", 12, 768, 12), Gpt2("GPT-2 medium", 24, 1024, 16),
         Gpt2("GPT-2 large", 36, 1280, 20), Gpt2("GPT-2 XL", 48, 1600, 25))
# GPT-3 family shapes (Brown et al. 2020, table 2.1): GELU MLP of 4 d_model, sequence length 2048.
GPT3S = (Gpt2("GPT-3 Large 760M", 24, 1536, 16, context=2048), Gpt2("GPT-3 XL 1.3B", 24, 2048, 24, context=2048),
         Gpt2("GPT-3 2.7B", 32, 2560, 32, context=2048), Gpt2("GPT-3 6.7B", 32, 4096, 32, context=2048))


@dataclass(frozen=True)
class Gpu:
    name: str
    bf16_flops: float  # dense, per second
    bandwidth: float  # HBM, bytes per second
    memory: float  # bytes

    def spec_text(self, lang: str = "en") -> str:
        tflops, gbs = format_number(self.bf16_flops / 1e12), format_number(self.bandwidth / 1e9)
        if lang == "zh":
            return f"{self.name}（稠密 bf16 {tflops} TFLOPS，显存带宽 {gbs} GB/s）"
        return f"{self.name} ({tflops} TFLOPS dense bf16, {gbs} GB/s HBM)"


A100_40 = Gpu("A100 40GB", 312e12, 1555e9, 40e9)
A100_80 = Gpu("A100 80GB SXM", 312e12, 2039e9, 80e9)
H100_SXM = Gpu("H100 SXM", 989e12, 3350e9, 80e9)
H100_PCIE = Gpu("H100 PCIe", 756e12, 2000e9, 80e9)
H200 = Gpu("H200", 989e12, 4800e9, 141e9)
MI300X = Gpu("MI300X", 1307e12, 5300e9, 192e9)
GPUS = (A100_40, A100_80, H100_SXM, H100_PCIE, H200, MI300X)

# Bytes per stored value.
DTYPE_BYTES = {"fp32": 4.0, "bf16": 2.0, "fp16": 2.0, "fp8": 1.0, "int8": 1.0, "int4": 0.5}


def pick(rng: np.random.Generator, items: Sequence[T]) -> T:
    return items[int(rng.integers(len(items)))]


def coin(rng: np.random.Generator, p: float = 0.5) -> bool:
    return bool(rng.random() < p)


def n(x: float) -> str:
    """A number in a derivation: exact integers in full with separators, others to 3 significant digits."""
    if float(x).is_integer() and abs(x) < 1e13:
        return f"{int(x):,}"
    return format_number(x)


def g(x: float) -> str:
    """A number to 3 significant digits (6.74e9, 0.0236)."""
    return format_number(x)


def both(en: str, zh: str) -> Text:
    return {"en": en, "zh": zh}
