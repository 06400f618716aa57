import numpy as np


def softmax(x, axis=-1):
    """Softmax of x along `axis`, stable for any magnitudes; same shape and dtype as x."""
    raise NotImplementedError("write softmax")
