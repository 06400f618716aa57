"""Returns softmax - onehot without dividing by the batch size.
返回 softmax - onehot，没有除以批大小。
"""
import numpy as np


def softmax_cross_entropy(logits, y):
    n = logits.shape[0]
    shifted = logits - logits.max(axis=1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    d = np.exp(log_probs)
    d[np.arange(n), y] -= 1.0
    return float(-log_probs[np.arange(n), y].mean()), d
