import numpy as np


def filter_logits(logits, temperature=1.0, top_k=None, top_p=None):
    """logits (N, V): divide by temperature, then top-k, then top-p; removed tokens become -inf."""
    raise NotImplementedError("write filter_logits")
