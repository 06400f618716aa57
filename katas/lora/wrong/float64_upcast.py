"""Computes in float64 (astype(float)) and returns float64 for float32 inputs.
改用 float64 计算（astype(float)），float32 输入却返回 float64。
"""


def lora_forward(x, W, A, B, alpha):
    """LoRA layer: y = x @ W + (alpha / r) * (x @ A) @ B, for x of shape (..., D_in).

    W (D_in, D_out) frozen, A (D_in, r), B (r, D_out), r = A.shape[1]. Returns y of shape (..., D_out).
    """
    scale = alpha / A.shape[1]
    # the low-rank path through r: never forms the (D_in, D_out) product A @ B
    x, W, A, B = (a.astype(float) for a in (x, W, A, B))
    return x @ W + scale * ((x @ A) @ B)


def lora_merge(W, A, B, alpha):
    """The merged weight W + (alpha / r) * A @ B, shape (D_in, D_out): x @ merged equals lora_forward."""
    return W.astype(float) + (alpha / A.shape[1]) * (A.astype(float) @ B.astype(float))
