import numpy as np


def scaled_dot_product_attention(q, k, v, mask=None):
    """q (..., Lq, d), k (..., Lk, d), v (..., Lk, dv); mask bool broadcastable to (..., Lq, Lk), True = may attend.

    Returns (out (..., Lq, dv), weights (..., Lq, Lk)).
    """
    raise NotImplementedError("write scaled_dot_product_attention")
