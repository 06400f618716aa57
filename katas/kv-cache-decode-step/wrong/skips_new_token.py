"""Attends over the old cache only: the new token's key and value are appended after the attention, so it never sees itself.
只在旧缓存上做注意力：新词元的键和值在注意力之后才追加，所以它看不到自己。
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
    scores = q @ k_cache.transpose(0, 1, 3, 2) / math.sqrt(dh)
    scores = scores - scores.max(axis=-1, keepdims=True)
    weights = np.exp(scores)
    weights = weights / weights.sum(axis=-1, keepdims=True)
    heads = (weights @ v_cache).reshape(b, d)
    return heads @ Wo, keys, values
