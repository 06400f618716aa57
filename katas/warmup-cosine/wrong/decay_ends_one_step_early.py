"""Reaches min_lr at step total_steps - 1 (progress divided by total_steps - warmup_steps - 1).
在第 total_steps - 1 步就降到了 min_lr（progress 除以的是 total_steps - warmup_steps - 1）。
"""
import numpy as np


def lr_at(step, base_lr, warmup_steps, total_steps, min_lr=0.0):
    """Learning rate at each step of a linear warm-up followed by cosine decay (vectorized).

    step: int array (any shape), steps counted from 0. Returns a float64 array of step's shape.
    """
    step = np.asarray(step, dtype=np.float64)
    warm = base_lr * (step + 1) / max(warmup_steps, 1)
    span = max(total_steps - warmup_steps - 1, 1)
    progress = np.clip((step - warmup_steps) / span, 0.0, 1.0)
    cosine = min_lr + 0.5 * (base_lr - min_lr) * (1 + np.cos(np.pi * progress))
    return np.where(step < warmup_steps, warm, cosine)
