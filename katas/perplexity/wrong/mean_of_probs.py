"""Inverts the mean token probability instead of exponentiating the mean negative log-prob."""
import numpy as np


def perplexity(logprobs, mask):
    mask = np.asarray(mask, dtype=bool)
    return float(1.0 / np.mean(np.exp(logprobs[mask])))
