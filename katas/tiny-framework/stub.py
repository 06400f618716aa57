import numpy as np


class Linear:
    """out = x @ W + b; W (D_in, D_out), b (D_out,). Attributes W, b, dW, db."""

    def __init__(self, W, b):
        raise NotImplementedError("write Linear")

    def forward(self, x):
        raise NotImplementedError

    def backward(self, dout):
        """Set self.dW and self.db (overwrite, do not accumulate) and return dL/dx."""
        raise NotImplementedError


class ReLU:
    def forward(self, x):
        raise NotImplementedError("write ReLU")

    def backward(self, dout):
        raise NotImplementedError


class Sequential:
    def __init__(self, *layers):
        self.layers = list(layers)

    def forward(self, x):
        raise NotImplementedError("write Sequential")

    def backward(self, dout):
        raise NotImplementedError


def mse_loss(pred, target):
    """Return (loss, dpred): the mean of (pred - target)**2 over all elements, and its gradient."""
    raise NotImplementedError("write mse_loss")


def sgd_step(model, lr):
    """W <- W - lr * dW and b <- b - lr * db for every Linear in model.layers."""
    raise NotImplementedError("write sgd_step")


def train(model, x, y, lr, steps):
    """Full-batch gradient descent for `steps` steps; return the list of losses (each before its update)."""
    raise NotImplementedError("write train")
