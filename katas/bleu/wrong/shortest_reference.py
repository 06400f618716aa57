"""Takes r as the shortest reference length instead of the one closest to the candidate.
取了最短的参考长度作为 r，而不是与候选长度最接近的那个。
"""
import math
from collections import Counter


def _ngrams(tokens, n):
    return Counter(tuple(tokens[i:i + n]) for i in range(len(tokens) - n + 1))


def sentence_bleu(candidate, references, max_n=4):
    """Sentence-level BLEU with clipped n-gram precisions, add-one smoothing for n >= 2 and a brevity penalty.

    candidate: a list of tokens; references: a list of token lists. Returns a float in [0, 1].
    """
    if not candidate:
        return 0.0
    log_sum = 0.0
    for n in range(1, max_n + 1):
        counts = _ngrams(candidate, n)
        max_ref = Counter()
        for ref in references:
            for gram, c in _ngrams(ref, n).items():
                max_ref[gram] = max(max_ref[gram], c)
        matches = sum(min(c, max_ref[gram]) for gram, c in counts.items())
        total = max(len(candidate) - n + 1, 0)
        if n == 1:
            if matches == 0:
                return 0.0
            p = matches / total
        else:
            p = (matches + 1) / (total + 1)
        log_sum += math.log(p)
    c = len(candidate)
    r = min(len(ref) for ref in references)
    bp = 1.0 if c > r else math.exp(1 - r / c)
    return bp * math.exp(log_sum / max_n)
