"""Runs the cosine over all of total_steps instead of the part after warm-up.
余弦跨越了整个 total_steps，而不是只跨越预热之后的部分。
"""
import numpy as np


def lr_at(step, base_lr, warmup_steps, total_steps, min_lr=0.0):
    """Learning rate at each step of a linear warm-up followed by cosine decay (vectorized).

    step: int array (any shape), steps counted from 0. Returns a float64 array of step's shape.
    """
    step = np.asarray(step, dtype=np.float64)
    warm = base_lr * (step + 1) / max(warmup_steps, 1)
    progress = np.clip(step / total_steps, 0.0, 1.0)
    cosine = min_lr + 0.5 * (base_lr - min_lr) * (1 + np.cos(np.pi * progress))
    return np.where(step < warmup_steps, warm, cosine)
