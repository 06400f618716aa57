import math

import numpy as np


def multi_head_attention(x, Wq, Wk, Wv, Wo, n_heads, causal=False):
    """Multi-head self-attention: x (B, L, D), Wq/Wk/Wv/Wo (D, D) used as x @ W; returns (B, L, D).

    Head h works on features h*Dh:(h+1)*Dh of the projections, Dh = D // n_heads; scores are scaled
    by 1/sqrt(Dh); with causal=True position i attends only to positions j <= i.
    """
    b, length, d = x.shape
    dh = d // n_heads

    def split(t):  # (B, L, D) -> (B, H, L, Dh)
        return t.reshape(b, length, n_heads, dh).transpose(0, 2, 1, 3)

    q, k, v = split(x @ Wq), split(x @ Wk), split(x @ Wv)
    scores = q @ k.transpose(0, 1, 3, 2) / math.sqrt(dh)  # (B, H, L, L)
    if causal:
        scores = np.where(np.tril(np.ones((length, length), dtype=bool)), scores, -np.inf)
    scores = scores - scores.max(axis=-1, keepdims=True)
    weights = np.exp(scores)
    weights = weights / weights.sum(axis=-1, keepdims=True)
    heads = weights @ v  # (B, H, L, Dh)
    concat = heads.transpose(0, 2, 1, 3).reshape(b, length, d)  # back to (B, L, H, Dh), heads side by side
    return concat @ Wo
