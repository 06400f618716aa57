import math

import numpy as np


def kv_decode_step(x_t, Wq, Wk, Wv, Wo, n_heads, k_cache, v_cache):
    """One decode step of multi-head causal self-attention with a KV cache.

    x_t: (B, D) the new token; Wq, Wk, Wv, Wo: (D, D) used as x @ W; k_cache, v_cache: (B, H, T, Dh), T >= 0.
    Returns (out (B, D), new_k_cache (B, H, T + 1, Dh), new_v_cache (B, H, T + 1, Dh)).
    """
    b, d = x_t.shape
    dh = d // n_heads
    q = (x_t @ Wq).reshape(b, n_heads, 1, dh)  # head h owns features h*Dh:(h+1)*Dh
    k_new = (x_t @ Wk).reshape(b, n_heads, 1, dh)
    v_new = (x_t @ Wv).reshape(b, n_heads, 1, dh)
    keys = np.concatenate([k_cache, k_new], axis=2)  # append: the new token is the last position
    values = np.concatenate([v_cache, v_new], axis=2)
    scores = q @ keys.transpose(0, 1, 3, 2) / math.sqrt(dh)  # (B, H, 1, T + 1); no mask: all are in the past
    scores = scores - scores.max(axis=-1, keepdims=True)
    weights = np.exp(scores)
    weights = weights / weights.sum(axis=-1, keepdims=True)
    heads = (weights @ values).reshape(b, d)  # (B, H, 1, Dh) -> heads side by side
    return heads @ Wo, keys, values
