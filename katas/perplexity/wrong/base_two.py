"""Uses 2 ** (mean negative log-prob) although the log-probs are natural logs."""
import numpy as np


def perplexity(logprobs, mask):
    mask = np.asarray(mask, dtype=bool)
    return float(2.0 ** (-np.sum(np.where(mask, logprobs, 0.0)) / np.count_nonzero(mask)))
