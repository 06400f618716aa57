import numpy as np


def kv_decode_step(x_t, Wq, Wk, Wv, Wo, n_heads, k_cache, v_cache):
    """One decode step of causal multi-head self-attention with a KV cache.

    x_t: (B, D) the new token; Wq, Wk, Wv, Wo: (D, D) used as x @ W; n_heads divides D, Dh = D // n_heads;
    k_cache, v_cache: (B, H, T, Dh) with T >= 0 earlier positions.
    Returns (out (B, D), new_k_cache (B, H, T + 1, Dh), new_v_cache (B, H, T + 1, Dh)).
    """
    raise NotImplementedError("write kv_decode_step")
