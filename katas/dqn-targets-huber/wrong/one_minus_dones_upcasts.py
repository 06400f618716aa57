"""Masks with (1 - dones), an int64 array, which turns float32 targets into float64.
用 (1 - dones) 做掩码，它是 int64 数组，把 float32 的目标值变成了 float64。
"""
import numpy as np


def dqn_loss(q, actions, rewards, q_next_target, dones, gamma, delta=1.0):
    """DQN targets from a target network, the Huber loss of the taken actions' Q values, and its gradient.

    q, q_next_target: (B, A); actions: (B,) ints; rewards: (B,); dones: (B,) bools.
    Returns (targets, loss, dq): targets (B,), loss a Python float (mean over the batch), dq (B, A) =
    dloss/dq, zero except at the taken actions.
    """
    b = q.shape[0]
    rows = np.arange(b)
    # no bootstrapping from terminal states; the targets are constants (no gradient into the target network)
    bootstrap = (1 - dones) * q_next_target.max(axis=1)
    targets = rewards + gamma * bootstrap
    diff = q[rows, actions] - targets
    abs_diff = np.abs(diff)
    huber = np.where(abs_diff <= delta, 0.5 * diff**2, delta * (abs_diff - 0.5 * delta))
    dq = np.zeros_like(q)
    dq[rows, actions] = np.clip(diff, -delta, delta) / b
    return targets, float(huber.mean()), dq
