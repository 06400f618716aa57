import numpy as np


def perplexity(logprobs, mask):
    """exp of the mean negative log-prob over the True positions of mask.

    logprobs: (N, T) natural-log token probabilities; mask: (N, T) bool. Returns a float.
    """
    raise NotImplementedError("write perplexity")
