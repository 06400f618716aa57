"""No ReLU after the addition: y = x + F(x), and backward without its mask.
相加之后没有 ReLU：y = x + F(x)，反向传播也没有对应的掩码。
"""
import numpy as np


def residual_block(x, W1, b1, W2, b2):
    """y = relu(x + relu(x @ W1 + b1) @ W2 + b2); x (N, D), W1 (D, H), b1 (H,), W2 (H, D), b2 (D,)."""
    h = np.maximum(x @ W1 + b1, 0)
    return x + h @ W2 + b2


def residual_block_backward(dout, x, W1, b1, W2, b2):
    """Gradients of residual_block given dout = dL/dy (N, D): returns (dx, dW1, db1, dW2, db2)."""
    a = x @ W1 + b1
    h = np.maximum(a, 0)
    s = x + h @ W2 + b2
    ds = dout
    dW2 = h.T @ ds
    db2 = ds.sum(axis=0)
    da = (ds @ W2.T) * (a > 0)
    dW1 = x.T @ da
    db1 = da.sum(axis=0)
    dx = ds + da @ W1.T
    return dx, dW1, db1, dW2, db2
