"""Takes the product of the token probabilities to the power -1/M, which underflows to 0 on long sequences.
用词元概率之积的 -1/M 次方计算，长序列上乘积下溢为 0。
"""
import numpy as np


def perplexity(logprobs, mask):
    mask = np.asarray(mask, dtype=bool)
    probs = np.exp(logprobs[mask])
    return float(np.prod(probs) ** (-1.0 / probs.size))
