"""ReLU caches its mask only on the first forward, so a later backward uses a stale mask.
ReLU 只在第一次前向时缓存掩码，之后的反向用的是过时的掩码。
"""
import numpy as np


class Linear:
    """A fully connected layer: out = x @ W + b, with W of shape (D_in, D_out) and b of shape (D_out,)."""

    def __init__(self, W, b):
        self.W = np.array(W, dtype=np.float64)  # own copies: the arrays passed in may be read-only
        self.b = np.array(b, dtype=np.float64)
        self.dW = None
        self.db = None

    def forward(self, x):
        self.x = x
        return x @ self.W + self.b

    def backward(self, dout):
        self.dW = self.x.T @ dout  # overwritten, not accumulated
        self.db = dout.sum(axis=0)
        return dout @ self.W.T


class ReLU:
    """max(x, 0); derivative 1 where x > 0 and 0 where x <= 0."""

    def forward(self, x):
        if not hasattr(self, "mask"):  # cached once: later passes reuse the first input's mask
            self.mask = x > 0
        return np.maximum(x, 0.0)

    def backward(self, dout):
        return dout * self.mask


class Sequential:
    """Layers applied in order; backward runs them in reverse."""

    def __init__(self, *layers):
        self.layers = list(layers)

    def forward(self, x):
        for layer in self.layers:
            x = layer.forward(x)
        return x

    def backward(self, dout):
        for layer in reversed(self.layers):
            dout = layer.backward(dout)
        return dout


def mse_loss(pred, target):
    """Mean squared error over all elements and its gradient with respect to pred."""
    diff = pred - target
    return float(np.mean(diff**2)), 2.0 * diff / diff.size


def sgd_step(model, lr):
    """Plain SGD on every Linear layer of the model: W <- W - lr * dW, b <- b - lr * db."""
    for layer in model.layers:
        if isinstance(layer, Linear):
            layer.W = layer.W - lr * layer.dW
            layer.b = layer.b - lr * layer.db


def train(model, x, y, lr, steps):
    """Full-batch gradient descent; returns the loss of every step, computed before that step's update."""
    losses = []
    for _ in range(steps):
        loss, dpred = mse_loss(model.forward(x), y)
        model.backward(dpred)
        sgd_step(model, lr)
        losses.append(loss)
    return losses
