"""The update is scaled by alpha instead of alpha / r.
更新量乘的是 alpha，而不是 alpha / r。
"""


def lora_forward(x, W, A, B, alpha):
    """LoRA layer: y = x @ W + (alpha / r) * (x @ A) @ B, for x of shape (..., D_in).

    W (D_in, D_out) frozen, A (D_in, r), B (r, D_out), r = A.shape[1]. Returns y of shape (..., D_out).
    """
    scale = alpha
    # the low-rank path through r: never forms the (D_in, D_out) product A @ B
    return x @ W + scale * ((x @ A) @ B)


def lora_merge(W, A, B, alpha):
    """The merged weight W + (alpha / r) * A @ B, shape (D_in, D_out): x @ merged equals lora_forward."""
    return W + alpha * (A @ B)
