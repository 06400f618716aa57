"""Converts the inputs with np.asarray(..., dtype=float) first, so float32 inputs give a float64 z.
先用 np.asarray(..., dtype=float) 转换输入，导致 float32 输入得到 float64 的 z。
"""
import numpy as np


def vae_loss(x, x_logits, mu, logvar, eps):
    x, x_logits, mu, logvar, eps = (np.asarray(a, dtype=float) for a in (x, x_logits, mu, logvar, eps))
    z = mu + np.exp(0.5 * logvar) * eps
    # BCE from logits, log(1 + e^l) - x*l, summed over the D pixels
    softplus = np.maximum(x_logits, 0) + np.log1p(np.exp(-np.abs(x_logits)))
    recon = np.mean(np.sum(softplus - x * x_logits, axis=1))
    kl = np.mean(-0.5 * np.sum(1 + logvar - mu**2 - np.exp(logvar), axis=1))
    return z, float(recon), float(kl), float(recon + kl)
