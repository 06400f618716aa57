"""The Huber threshold is hard-coded to 1 instead of using delta.
Huber 阈值写死成 1，没有用 delta。
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
    huber = np.where(abs_diff <= 1.0, 0.5 * diff**2, abs_diff - 0.5)
    dq = np.zeros_like(q)
    dq[rows, actions] = np.clip(diff, -1.0, 1.0) / b
    return targets, float(huber.mean()), dq
