import numpy_but_misspelled as np


def conv2d(x, w, b=None, stride=1, padding=0):
    return x
