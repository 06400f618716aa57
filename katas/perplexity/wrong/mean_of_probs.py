"""Inverts the mean token probability instead of exponentiating the mean negative log-prob.
对词元概率的平均取倒数，而不是对平均负对数概率取指数。
"""
import numpy as np


def perplexity(logprobs, mask):
    mask = np.asarray(mask, dtype=bool)
    return float(1.0 / np.mean(np.exp(logprobs[mask])))
