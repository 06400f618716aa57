"""The Huber loss is right but its gradient is d / B, not clipped to [-delta, delta].
Huber 损失是对的，但梯度用了 d / B，没有截断到 [-delta, delta]。
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
    bootstrap = np.where(dones, 0.0, q_next_target.max(axis=1))  # keeps float32 float32, unlike 1 - dones
    targets = rewards + gamma * bootstrap
    diff = q[rows, actions] - targets
    abs_diff = np.abs(diff)
    huber = np.where(abs_diff <= delta, 0.5 * diff**2, delta * (abs_diff - 0.5 * delta))
    dq = np.zeros_like(q)
    dq[rows, actions] = diff / b
    return targets, float(huber.mean()), dq
