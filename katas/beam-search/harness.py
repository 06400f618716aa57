"""Runs next to the learner's code: turns a log-probability table (data) into the next-token function the
learner's decoder calls, and returns plain data.

table (V, V): next_logprobs(prefix) = table[prefix[-1]]                 (a bigram model)
table (V, V, V): next_logprobs(prefix) = table[prefix[-2], prefix[-1]]   (a trigram model; a one-token
                 prefix [bos] reads table[bos, bos])
"""

import numpy as np


def make_next_logprobs(table):
    table = np.asarray(table, dtype=np.float64)

    def next_logprobs(prefix):
        prefix = [int(t) for t in prefix]
        if table.ndim == 2:
            return table[prefix[-1]].copy()
        return table[prefix[-2] if len(prefix) > 1 else prefix[-1], prefix[-1]].copy()

    return next_logprobs


def run_beam(module, table, bos, eos, beam_size, max_len):
    tokens, score = module.beam_search(make_next_logprobs(table), bos, eos, beam_size, max_len)
    return [int(t) for t in tokens], float(score)
