"""Warms up as step / warmup_steps: step 0 gets lr 0 and base_lr arrives one step late.
预热写成 step / warmup_steps：第 0 步学习率为 0，base_lr 晚一步才到。
"""
import numpy as np


def lr_at(step, base_lr, warmup_steps, total_steps, min_lr=0.0):
    """Learning rate at each step of a linear warm-up followed by cosine decay (vectorized).

    step: int array (any shape), steps counted from 0. Returns a float64 array of step's shape.
    """
    step = np.asarray(step, dtype=np.float64)
    warm = base_lr * step / max(warmup_steps, 1)
    progress = np.clip((step - warmup_steps) / (total_steps - warmup_steps), 0.0, 1.0)
    cosine = min_lr + 0.5 * (base_lr - min_lr) * (1 + np.cos(np.pi * progress))
    return np.where(step < warmup_steps, warm, cosine)
