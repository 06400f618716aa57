import numpy as np


def dqn_loss(q, actions, rewards, q_next_target, dones, gamma, delta=1.0):
    """DQN targets from a target network, the Huber loss of the taken actions' Q values, and its gradient.

    q: (B, A) online Q(s, .); actions: (B,) ints; rewards: (B,); q_next_target: (B, A) target network's
    Q(s', .); dones: (B,) bools (True: s' is terminal). targets = r + gamma * (1 - done) * max_a q_next_target.
    Returns (targets, loss, dq): targets (B,), loss a Python float (mean Huber over the batch),
    dq (B, A) = dloss/dq.
    """
    raise NotImplementedError("write dqn_loss")
