"""Zeroes padding by multiplying with the mask: -inf * 0 is nan.
用乘以 mask 的方式把填充置零：-inf * 0 得 nan。
"""
import numpy as np


def perplexity(logprobs, mask):
    return float(np.exp(-np.sum(logprobs * mask) / np.sum(mask)))
