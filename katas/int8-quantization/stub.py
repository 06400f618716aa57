import numpy as np


def quantize_symmetric(w, axis=None):
    """Symmetric int8 quantization of w (any shape).

    axis=None: one scale for the tensor, scale has shape ().
    axis=k: one scale per index along axis k; scale has w's shape with every other dimension 1.
    Returns (q int8 with w's shape, scale float64).
    """
    raise NotImplementedError("write quantize_symmetric")


def dequantize(q, scale):
    """q * scale as float64."""
    raise NotImplementedError("write dequantize")
