"""Divides by every position, padding included, instead of the number of real tokens."""
import numpy as np


def perplexity(logprobs, mask):
    mask = np.asarray(mask, dtype=bool)
    return float(np.exp(-np.sum(np.where(mask, logprobs, 0.0)) / mask.size))
