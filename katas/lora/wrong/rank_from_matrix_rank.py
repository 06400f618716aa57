"""The rank is taken as the numerical rank of A (np.linalg.matrix_rank) instead of its shape A.shape[1].
秩取成了 A 的数值秩（np.linalg.matrix_rank），而不是它的形状 A.shape[1]。
"""
import numpy as np


def lora_forward(x, W, A, B, alpha):
    r = int(np.linalg.matrix_rank(A))
    return x @ W + (alpha / r) * ((x @ A) @ B)


def lora_merge(W, A, B, alpha):
    r = int(np.linalg.matrix_rank(A))
    return W + (alpha / r) * (A @ B)
