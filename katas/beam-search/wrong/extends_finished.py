"""Keeps hypotheses that ended in eos in the beam and keeps extending them.
把以 eos 结尾的假设留在束里并继续扩展。
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
            candidates += [([*tokens, t], score + float(logp[t])) for t in range(len(logp))]
        candidates.sort(key=lambda c: (-c[1], c[0]))
        live = []
        for tokens, score in candidates[:beam_size]:
            live.append((tokens, score))
        if not live:
            break
    best = min(finished + live, key=lambda c: (-c[1], c[0]))
    return best[0], best[1]
