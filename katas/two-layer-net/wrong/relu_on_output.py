"""ReLU applied to the output logits too (an activation at every layer): p never drops below 0.5.
输出 logits 上也加了 ReLU（每层都加激活）：p 永远不会低于 0.5。
"""
import numpy as np


def two_layer_net(x, W1, b1, W2, b2):
    h = np.maximum(x @ W1 + b1, 0)
    z = np.maximum(h @ W2 + b2, 0)
    return 1 / (1 + np.exp(-z))
