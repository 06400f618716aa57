"""Puts the new key and value at the front of the cache instead of appending them at the end.
把新的键和值放在缓存最前面，而不是追加在末尾。
"""
import math

import numpy as np


def kv_decode_step(x_t, Wq, Wk, Wv, Wo, n_heads, k_cache, v_cache):
    b, d = x_t.shape
    dh = d // n_heads
    q = (x_t @ Wq).reshape(b, n_heads, 1, dh)
    k_new = (x_t @ Wk).reshape(b, n_heads, 1, dh)
    v_new = (x_t @ Wv).reshape(b, n_heads, 1, dh)
    keys = np.concatenate([k_new, k_cache], axis=2)
    values = np.concatenate([v_new, v_cache], axis=2)
    scores = q @ keys.transpose(0, 1, 3, 2) / math.sqrt(dh)
    scores = scores - scores.max(axis=-1, keepdims=True)
    weights = np.exp(scores)
    weights = weights / weights.sum(axis=-1, keepdims=True)
    heads = (weights @ values).reshape(b, d)
    return heads @ Wo, keys, values
