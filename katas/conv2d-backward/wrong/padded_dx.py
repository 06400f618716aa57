"""dx returned with the padded shape: the padding border is never cropped off.
返回的 dx 仍是补零后的形状：补零的边框没有裁掉。
"""
import numpy as np


def conv2d_backward(x, w, dout, stride=1, padding=0):
    kh, kw = w.shape[2:]
    oh, ow = dout.shape[2:]
    xp = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    dxp = np.zeros_like(xp)
    dw = np.zeros_like(w)
    for u in range(kh):
        for v in range(kw):
            rows = slice(u, u + stride * (oh - 1) + 1, stride)
            cols = slice(v, v + stride * (ow - 1) + 1, stride)
            dw[:, :, u, v] = np.einsum("nfhw,nchw->fc", dout, xp[:, :, rows, cols])
            dxp[:, :, rows, cols] += np.einsum("nfhw,fc->nchw", dout, w[:, :, u, v])
    return dxp, dw, dout.sum(axis=(0, 2, 3))
