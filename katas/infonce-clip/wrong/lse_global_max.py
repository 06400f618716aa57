"""The log-sum-exp is shifted by the largest logit of the whole matrix, not by each row's (column's) maximum: a row far below it underflows to log(0).
log-sum-exp 减去的是整个矩阵的最大 logit，而不是每行（每列）各自的最大值：远低于它的一行会下溢成 log(0)。
"""
import numpy as np


def clip_loss(img, txt, temperature):
    n = img.shape[0]
    img_norm = np.linalg.norm(img, axis=1, keepdims=True)
    txt_norm = np.linalg.norm(txt, axis=1, keepdims=True)
    u, v = img / img_norm, txt / txt_norm
    logits = (u @ v.T) / temperature
    z = logits - logits.max()
    e = np.exp(z)
    log_p_rows = z - np.log(e.sum(axis=1, keepdims=True))
    log_p_cols = z - np.log(e.sum(axis=0, keepdims=True))
    loss = -0.5 * (np.mean(np.diagonal(log_p_rows)) + np.mean(np.diagonal(log_p_cols)))
    eye = np.eye(n, dtype=logits.dtype)
    g = (np.exp(log_p_rows) - eye + np.exp(log_p_cols) - eye) / (2 * n)
    du = (g @ v) / temperature
    dv = (g.T @ u) / temperature
    d_img = (du - u * np.sum(du * u, axis=1, keepdims=True)) / img_norm
    d_txt = (dv - v * np.sum(dv * v, axis=1, keepdims=True)) / txt_norm
    return float(loss), d_img, d_txt
