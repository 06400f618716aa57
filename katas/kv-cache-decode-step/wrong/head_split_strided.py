"""Splits the heads by stride (reshape to (B, Dh, H)): head h gets features h, h + H, ... instead of the block h*Dh:(h+1)*Dh.
按步长拆分注意力头（reshape 成 (B, Dh, H)）：头 h 拿到的是特征 h, h + H, ……，而不是连续的一段 h*Dh:(h+1)*Dh。
"""
import math

import numpy as np


def kv_decode_step(x_t, Wq, Wk, Wv, Wo, n_heads, k_cache, v_cache):
    b, d = x_t.shape
    dh = d // n_heads
    q = (x_t @ Wq).reshape(b, dh, n_heads).transpose(0, 2, 1)[:, :, None, :]
    k_new = (x_t @ Wk).reshape(b, dh, n_heads).transpose(0, 2, 1)[:, :, None, :]
    v_new = (x_t @ Wv).reshape(b, dh, n_heads).transpose(0, 2, 1)[:, :, None, :]
    keys = np.concatenate([k_cache, k_new], axis=2)
    values = np.concatenate([v_cache, v_new], axis=2)
    scores = q @ keys.transpose(0, 1, 3, 2) / math.sqrt(dh)
    scores = scores - scores.max(axis=-1, keepdims=True)
    weights = np.exp(scores)
    weights = weights / weights.sum(axis=-1, keepdims=True)
    heads = (weights @ values)[:, :, 0, :].transpose(0, 2, 1).reshape(b, d)
    return heads @ Wo, keys, values
