"""Reconstruction from log(sigmoid) probabilities: log(0) = -inf for confident logits.
重构项由 log(sigmoid) 概率计算：对自信的 logits 得到 log(0) = -inf。
"""
import numpy as np


def vae_loss(x, x_logits, mu, logvar, eps):
    """Reparameterized sample and negative ELBO of a VAE with a Bernoulli decoder.

    x, x_logits: (N, D); mu, logvar, eps: (N, L).
    Returns (z, recon, kl, loss): z of shape (N, L) and three floats.
    """
    z = mu + np.exp(0.5 * logvar) * eps

    p = 1 / (1 + np.exp(-x_logits))
    recon = np.mean(np.sum(-(x * np.log(p) + (1 - x) * np.log(1 - p)), axis=1))
    kl = np.mean(-0.5 * np.sum(1 + logvar - mu**2 - np.exp(logvar), axis=1))
    return z, float(recon), float(kl), float(recon + kl)
