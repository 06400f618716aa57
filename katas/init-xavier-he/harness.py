"""Runs next to the learner's code: tells whether an initializer touches numpy's global random state.

The statement forbids the global `np.random` state (seeding it with np.random.seed(seed) gives the
same array for the same seed, so only this probe can see it). Returns plain data.
"""

import numpy as np


def leaves_global_state_alone(module, name, fan_in, fan_out, seed):
    """True when calling `name(fan_in, fan_out, seed)` leaves np.random's global state unchanged."""
    np.random.seed(20240601)
    before = np.random.get_state()
    getattr(module, name)(fan_in, fan_out, seed)
    after = np.random.get_state()
    return bool(before[2] == after[2] and np.array_equal(before[1], after[1]))
