import numpy as np


def perplexity(logprobs, mask):
    """Corpus perplexity from per-token natural-log probabilities.

    logprobs: (N, T) float, log p(token_t | tokens before it); mask: (N, T) bool, True for real tokens.
    Returns exp(-(sum of masked log-probs) / (number of masked tokens)) as a float.
    """
    mask = np.asarray(mask, dtype=bool)
    total = np.sum(np.where(mask, logprobs, 0.0))
    return float(np.exp(-total / np.count_nonzero(mask)))
