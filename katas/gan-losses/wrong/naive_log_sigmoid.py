"""Takes log of sigmoid probabilities: 1 - sigmoid(50) is exactly 0 in floating point, so a loss is inf.
对 sigmoid 概率直接取 log：1 - sigmoid(50) 在浮点数里恰好为 0，损失变成 inf。
"""
import numpy as np


def gan_losses(real_logits, fake_logits):
    d_real = 1 / (1 + np.exp(-real_logits))
    d_fake = 1 / (1 + np.exp(-fake_logits))
    d_loss = -np.mean(np.log(d_real)) - np.mean(np.log(1 - d_fake))
    g_loss = -np.mean(np.log(d_fake))
    return float(d_loss), float(g_loss)
