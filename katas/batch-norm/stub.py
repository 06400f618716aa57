import numpy as np


def batchnorm_forward(x, gamma, beta, running_mean, running_var, train, momentum=0.1, eps=1e-5):
    """Batch normalization of x (N, D) over the batch axis.

    gamma, beta, running_mean, running_var: (D,). train: bool.
    Returns (out, new_running_mean, new_running_var) of shapes (N, D), (D,), (D,).
    """
    raise NotImplementedError("write batchnorm_forward")


def batchnorm_backward(dout, x, gamma, eps=1e-5):
    """Gradients of the train-mode forward with respect to x, gamma and beta.

    dout, x: (N, D); gamma: (D,). Returns (dx, dgamma, dbeta) of shapes (N, D), (D,), (D,).
    """
    raise NotImplementedError("write batchnorm_backward")
