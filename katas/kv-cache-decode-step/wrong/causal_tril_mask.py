"""Applies a causal mask np.tril of shape (1, T + 1), which keeps only key 0 instead of the whole cache.
套用了形状为 (1, T + 1) 的因果掩码 np.tril，结果只保留了第 0 个键，而不是整个缓存。
"""
import math

import numpy as np


def kv_decode_step(x_t, Wq, Wk, Wv, Wo, n_heads, k_cache, v_cache):
    b, d = x_t.shape
    dh = d // n_heads
    q = (x_t @ Wq).reshape(b, n_heads, 1, dh)
    k_new = (x_t @ Wk).reshape(b, n_heads, 1, dh)
    v_new = (x_t @ Wv).reshape(b, n_heads, 1, dh)
    keys = np.concatenate([k_cache, k_new], axis=2)
    values = np.concatenate([v_cache, v_new], axis=2)
    scores = q @ keys.transpose(0, 1, 3, 2) / math.sqrt(dh)
    scores = np.where(np.tril(np.ones((1, keys.shape[2]), dtype=bool)), scores, -np.inf)
    scores = scores - scores.max(axis=-1, keepdims=True)
    weights = np.exp(scores)
    weights = weights / weights.sum(axis=-1, keepdims=True)
    heads = (weights @ values).reshape(b, d)
    return heads @ Wo, keys, values
