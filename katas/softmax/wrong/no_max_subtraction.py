"""Exponentiates the raw logits: overflows to inf/nan for logits around 1e3.
直接对原始 logits 取指数：logits 在 1e3 左右时溢出成 inf/nan。
"""
import numpy as np


def softmax(x, axis=-1):
    e = np.exp(x)
    return e / np.sum(e, axis=axis, keepdims=True)
