"""Backward skips the final ReLU: the gradient flows where the output was clipped to 0.
反向传播跳过了最后的 ReLU：在输出被截成 0 的地方梯度照样流过。
"""
import numpy as np


def residual_block(x, W1, b1, W2, b2):
    """y = relu(x + relu(x @ W1 + b1) @ W2 + b2); x (N, D), W1 (D, H), b1 (H,), W2 (H, D), b2 (D,)."""
    h = np.maximum(x @ W1 + b1, 0)
    return np.maximum(x + h @ W2 + b2, 0)


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
