"""Divides by np.sqrt(Dh), a float64 scalar, so float32 inputs come back as float64.
除以 np.sqrt(Dh)（一个 float64 标量），于是 float32 输入返回了 float64。
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
    scores = q @ keys.transpose(0, 1, 3, 2) / np.sqrt(dh)
    scores = scores - scores.max(axis=-1, keepdims=True)
    weights = np.exp(scores)
    weights = weights / weights.sum(axis=-1, keepdims=True)
    heads = (weights @ values).reshape(b, d)
    return heads @ Wo, keys, values
