"""Uses 2 ** (mean negative log-prob) although the log-probs are natural logs.
对数概率是自然对数，却用了 2 ** (平均负对数概率)。
"""
import numpy as np


def perplexity(logprobs, mask):
    mask = np.asarray(mask, dtype=bool)
    return float(2.0 ** (-np.sum(np.where(mask, logprobs, 0.0)) / np.count_nonzero(mask)))
