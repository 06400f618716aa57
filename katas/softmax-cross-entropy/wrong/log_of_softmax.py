"""Takes log(softmax(z)) in two steps: probabilities underflow to 0 and the loss becomes inf.
分两步取 log(softmax(z))：概率下溢为 0，损失变成 inf。
"""
import numpy as np


def softmax_cross_entropy(logits, y):
    n = logits.shape[0]
    e = np.exp(logits - logits.max(axis=1, keepdims=True))
    p = e / e.sum(axis=1, keepdims=True)
    with np.errstate(divide="ignore"):
        loss = -np.log(p[np.arange(n), y]).mean()
    d = p.copy()
    d[np.arange(n), y] -= 1
    return float(loss), d / n
