import numpy as np


def apply_rope(q, k, offset=0, base=10000.0):
    """Rotary position embedding (half-split layout) applied to q (B, H, L, Dh) and k (B, Hk, L, Dh).

    Row l of the sequence axis is at position offset + l. Returns (q_rot, k_rot), same shapes and dtypes.
    """
    raise NotImplementedError("write apply_rope")
