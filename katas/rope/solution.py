import numpy as np


def _rotate(x, cos, sin):
    """Half-split rotation: pair i is (x[..., i], x[..., i + Dh/2])."""
    half = x.shape[-1] // 2
    x1, x2 = x[..., :half], x[..., half:]
    return np.concatenate([x1 * cos - x2 * sin, x2 * cos + x1 * sin], axis=-1).astype(x.dtype, copy=False)


def apply_rope(q, k, offset=0, base=10000.0):
    """Rotary position embedding, half-split (Llama / GPT-NeoX) layout.

    q: (B, H, L, Dh), k: (B, Hk, L, Dh), Dh even. Position of row l is offset + l; pair i rotates by
    position * base**(-2i/Dh). Returns (q_rot, k_rot) with the shapes and dtypes of q and k.
    """
    length, dh = q.shape[-2], q.shape[-1]
    inv_freq = base ** (-np.arange(0, dh, 2, dtype=np.float64) / dh)  # (Dh/2,): theta_i = base^(-2i/Dh)
    angles = (offset + np.arange(length, dtype=np.float64))[:, None] * inv_freq  # (L, Dh/2)
    cos, sin = np.cos(angles), np.sin(angles)
    return _rotate(q, cos, sin), _rotate(k, cos, sin)
