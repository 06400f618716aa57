"""Accepts stride and then ignores it: windows always step by kernel_size."""
import numpy as np


def max_pool2d(x, kernel_size, stride=None):
    k = kernel_size
    n, c, h, w = x.shape
    oh, ow = h // k, w // k
    return x[:, :, :oh * k, :ow * k].reshape(n, c, oh, k, ow, k).max(axis=(3, 5))
