import numpy as np


def conv2d_backward(x, w, dout, stride=1, padding=0):
    """Gradients of the 2-D convolution (cross-correlation) forward of the conv2d kata.

    x: (N, C, H, W); w: (F, C, KH, KW); dout: (N, F, OH, OW), the upstream gradient.
    Returns (dx, dw, db) with the shapes of x, w and (F,).
    """
    h, wd = x.shape[2:]
    kh, kw = w.shape[2:]
    oh, ow = dout.shape[2:]
    xp = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    dtype = np.result_type(x, w, dout)
    dxp = np.zeros(xp.shape, dtype=dtype)
    dw = np.empty(w.shape, dtype=dtype)
    # Each kernel offset (u, v) touches one strided slice of xp; windows overlap, so dx accumulates.
    for u in range(kh):
        rows = slice(u, u + stride * (oh - 1) + 1, stride)
        for v in range(kw):
            cols = slice(v, v + stride * (ow - 1) + 1, stride)
            dw[:, :, u, v] = np.einsum("nfhw,nchw->fc", dout, xp[:, :, rows, cols])
            dxp[:, :, rows, cols] += np.einsum("nfhw,fc->nchw", dout, w[:, :, u, v])
    db = dout.sum(axis=(0, 2, 3))
    dx = dxp[:, :, padding:padding + h, padding:padding + wd].copy()
    return dx, dw, db
