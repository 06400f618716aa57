"""alpha multiplies every element instead of alpha for positives and 1 - alpha for negatives.
每个元素都乘以 alpha，而不是正类乘 alpha、负类乘 1 - alpha。
"""
import numpy as np


def _softplus(s):
    """log(1 + exp(s)) without overflow: max(s, 0) + log1p(exp(-|s|))."""
    return np.maximum(s, 0) + np.log1p(np.exp(-np.abs(s)))


def _sigmoid(s):
    """1 / (1 + exp(-s)) without overflow: exp is only taken of -|s|."""
    e = np.exp(-np.abs(s))
    return np.where(s >= 0, 1 / (1 + e), e / (1 + e))


def focal_loss(z, y, alpha=0.25, gamma=2.0):
    """Mean binary focal loss from logits z and labels y in {0, 1} (same shape), and d(loss)/dz.

    loss_i = alpha_t * (1 - p_t)**gamma * (-log p_t), p = sigmoid(z), p_t = p if y = 1 else 1 - p,
    alpha_t = alpha if y = 1 else 1 - alpha. Returns (loss, dz); dz has z's shape and dtype.
    """
    # with s = z for y = 0 and s = -z for y = 1: 1 - p_t = sigmoid(s) and -log p_t = softplus(s)
    sign = 1 - 2 * y
    s = sign * z
    q = _sigmoid(s)
    ce = _softplus(s)
    alpha_t = np.full(z.shape, alpha)
    mod = q**gamma
    m = z.size
    loss = float(np.sum(alpha_t * mod * ce) / m)
    # d/ds [q**gamma * softplus(s)] = q**gamma * (gamma * (1 - q) * softplus(s) + q), with 1 - q = sigmoid(-s)
    ds = alpha_t * mod * (gamma * _sigmoid(-s) * ce + q)
    dz = sign * ds / m
    return loss, dz.astype(z.dtype, copy=False)
