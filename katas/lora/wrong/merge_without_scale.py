"""The merge adds A @ B without the alpha / r scale, so the merged layer differs from the forward.
合并时直接加 A @ B，漏掉了 alpha / r 缩放，合并后的层与前向结果不同。
"""


def lora_forward(x, W, A, B, alpha):
    """LoRA layer: y = x @ W + (alpha / r) * (x @ A) @ B, for x of shape (..., D_in).

    W (D_in, D_out) frozen, A (D_in, r), B (r, D_out), r = A.shape[1]. Returns y of shape (..., D_out).
    """
    scale = alpha / A.shape[1]
    # the low-rank path through r: never forms the (D_in, D_out) product A @ B
    return x @ W + scale * ((x @ A) @ B)


def lora_merge(W, A, B, alpha):
    """The merged weight W + (alpha / r) * A @ B, shape (D_in, D_out): x @ merged equals lora_forward."""
    return W + A @ B
