"""BCE written for 0/1 targets only, np.where(x == 1, softplus(-l), softplus(l)): wrong for x between 0 and 1.
BCE 只按 0/1 目标来写，np.where(x == 1, softplus(-l), softplus(l))：x 在 0 与 1 之间时是错的。
"""
import numpy as np


def _softplus(t):
    return np.maximum(t, 0) + np.log1p(np.exp(-np.abs(t)))


def vae_loss(x, x_logits, mu, logvar, eps):
    z = mu + np.exp(0.5 * logvar) * eps
    bce = np.where(x == 1, _softplus(-x_logits), _softplus(x_logits))
    recon = np.mean(np.sum(bce, axis=1))
    kl = np.mean(-0.5 * np.sum(1 + logvar - mu**2 - np.exp(logvar), axis=1))
    return z, float(recon), float(kl), float(recon + kl)
