"""Reconstruction BCE averaged over the D pixels instead of summed.
重构 BCE 在 D 个像素上取了平均，而不是求和。
"""
import numpy as np


def vae_loss(x, x_logits, mu, logvar, eps):
    """Reparameterized sample and negative ELBO of a VAE with a Bernoulli decoder.

    x, x_logits: (N, D); mu, logvar, eps: (N, L).
    Returns (z, recon, kl, loss): z of shape (N, L) and three floats.
    """
    z = mu + np.exp(0.5 * logvar) * eps

    softplus = np.maximum(x_logits, 0) + np.log1p(np.exp(-np.abs(x_logits)))
    recon = np.mean(softplus - x * x_logits)
    kl = np.mean(-0.5 * np.sum(1 + logvar - mu**2 - np.exp(logvar), axis=1))
    return z, float(recon), float(kl), float(recon + kl)
