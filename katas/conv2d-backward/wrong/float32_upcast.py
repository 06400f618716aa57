"""Gradient buffers allocated with np.zeros(shape): float64 results for float32 inputs.
用 np.zeros(shape) 分配梯度缓冲区：float32 输入得到 float64 结果。
"""
import numpy as np


def conv2d_backward(x, w, dout, stride=1, padding=0):
    h, wd = x.shape[2:]
    kh, kw = w.shape[2:]
    oh, ow = dout.shape[2:]
    xp = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    dxp = np.zeros(xp.shape)
    dw = np.zeros(w.shape)
    for u in range(kh):
        for v in range(kw):
            rows = slice(u, u + stride * (oh - 1) + 1, stride)
            cols = slice(v, v + stride * (ow - 1) + 1, stride)
            dw[:, :, u, v] = np.einsum("nfhw,nchw->fc", dout, xp[:, :, rows, cols])
            dxp[:, :, rows, cols] += np.einsum("nfhw,fc->nchw", dout, w[:, :, u, v])
    db = dout.sum(axis=(0, 2, 3), dtype=np.float64)
    return dxp[:, :, padding:padding + h, padding:padding + wd], dw, db
