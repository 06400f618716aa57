"""Divides by every position, padding included, instead of the number of real tokens.
除以的是所有位置数（包括填充），而不是真实词元的个数。
"""
import numpy as np


def perplexity(logprobs, mask):
    mask = np.asarray(mask, dtype=bool)
    return float(np.exp(-np.sum(np.where(mask, logprobs, 0.0)) / mask.size))
