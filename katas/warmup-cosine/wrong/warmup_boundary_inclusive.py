"""Uses the warm-up formula up to and including step == warmup_steps (<= instead of <): that step overshoots base_lr.
预热公式一直用到 step == warmup_steps（用了 <= 而不是 <）：这一步的学习率超过了 base_lr。
"""
import numpy as np


def lr_at(step, base_lr, warmup_steps, total_steps, min_lr=0.0):
    """Learning rate at each step of a linear warm-up followed by cosine decay (vectorized).

    step: int array (any shape), steps counted from 0. Returns a float64 array of step's shape.
    """
    step = np.asarray(step, dtype=np.float64)
    warm = base_lr * (step + 1) / max(warmup_steps, 1)
    progress = np.clip((step - warmup_steps) / (total_steps - warmup_steps), 0.0, 1.0)
    cosine = min_lr + 0.5 * (base_lr - min_lr) * (1 + np.cos(np.pi * progress))
    return np.where((step <= warmup_steps) & (warmup_steps > 0), warm, cosine)
