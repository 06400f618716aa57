"""Runs next to the learner's code: calls sgd_momentum_step on writable copies of its inputs and returns
those copies afterwards, so a check can see (and name) an update made in place. Returns plain data."""

import numpy as np


def inputs_after_a_step(module, w, g, v, lr, momentum, weight_decay):
    w, g, v = (np.array(a, copy=True) for a in (w, g, v))
    module.sgd_momentum_step(w, g, v, lr, momentum, weight_decay=weight_decay)
    return w, g, v
