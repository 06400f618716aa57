"""Splits the heads correctly but merges them by stride (transpose to (B, Dh, H) before the reshape), interleaving the heads' features.
拆分注意力头是对的，合并时却按步长排列（reshape 前先转置成 (B, Dh, H)），把各个头的特征交错在一起。
"""
import math

import numpy as np


def kv_decode_step(x_t, Wq, Wk, Wv, Wo, n_heads, k_cache, v_cache):
    b, d = x_t.shape
    dh = d // n_heads
    q = (x_t @ Wq).reshape(b, n_heads, 1, dh)
    keys = np.concatenate([k_cache, (x_t @ Wk).reshape(b, n_heads, 1, dh)], axis=2)
    values = np.concatenate([v_cache, (x_t @ Wv).reshape(b, n_heads, 1, dh)], axis=2)
    scores = q @ keys.transpose(0, 1, 3, 2) / math.sqrt(dh)
    weights = np.exp(scores - scores.max(axis=-1, keepdims=True))
    weights = weights / weights.sum(axis=-1, keepdims=True)
    heads = (weights @ values)[:, :, 0, :]  # (B, H, Dh)
    return heads.transpose(0, 2, 1).reshape(b, d) @ Wo, keys, values
