import numpy as np


def multi_head_attention(x, Wq, Wk, Wv, Wo, n_heads, causal=False):
    """Multi-head self-attention.

    x (B, L, D); Wq, Wk, Wv, Wo (D, D) used as x @ W; D divisible by n_heads, Dh = D // n_heads.
    Returns (B, L, D). With causal=True, position i attends only to positions j <= i.
    """
    raise NotImplementedError("write multi_head_attention")
