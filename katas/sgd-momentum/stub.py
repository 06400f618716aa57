import numpy as np


def sgd_momentum_step(w, g, v, lr, momentum, weight_decay=0.0):
    """One SGD-with-momentum step (PyTorch convention). w, g, v: arrays of one shape.

    Returns (w_new, v_new).
    """
    raise NotImplementedError("write sgd_momentum_step")
