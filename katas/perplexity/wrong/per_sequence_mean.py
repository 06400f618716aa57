"""Averages the perplexities of the sequences instead of pooling all tokens.
对各条序列的困惑度取平均，而不是把所有词元合在一起算。
"""
import numpy as np


def perplexity(logprobs, mask):
    mask = np.asarray(mask, dtype=bool)
    per_seq = []
    for row, m in zip(logprobs, mask):
        if m.any():
            per_seq.append(np.exp(-np.sum(row[m]) / m.sum()))
    return float(np.mean(per_seq))
