"""Ranks extensions by the last token's log-probability instead of the total score.
按最后一个词元的对数概率给扩展排序，而不是按总分。
"""
import numpy as np


def beam_search(next_logprobs, bos, eos, beam_size, max_len):
    """Beam search in log space, no length normalisation.

    At each step every live hypothesis is extended by every token; the beam_size best extensions (by total
    log-probability; ties to the lexicographically smaller token list) are kept. Extensions ending in eos
    are finished and leave the beam. After max_len steps the live hypotheses count as finished too.
    Returns (best tokens without bos, its total log-probability).
    """
    live = [([], 0.0)]
    finished = []
    for _ in range(max_len):
        candidates = []
        for tokens, score in live:
            logp = np.asarray(next_logprobs([bos, *tokens]), dtype=np.float64)
            candidates += [([*tokens, t], score + float(logp[t]), float(logp[t])) for t in range(len(logp))]
        candidates.sort(key=lambda c: (-c[2], c[0]))
        candidates = [(c[0], c[1]) for c in candidates]
        live = []
        for tokens, score in candidates[:beam_size]:
            (finished if tokens[-1] == eos else live).append((tokens, score))
        if not live:
            break
    best = min(finished + live, key=lambda c: (-c[1], c[0]))
    return best[0], best[1]
