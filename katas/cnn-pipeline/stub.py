import numpy as np


def cnn_forward(x, conv_w, conv_b, fc_w, fc_b, padding=0, pool=2):
    """conv (stride 1, zero padding) -> ReLU -> max-pool (pool x pool, stride pool) -> flatten -> fully connected.

    x: (N, C, H, W); conv_w: (F, C, KH, KW); conv_b: (F,); fc_w: (F*PH*PW, K); fc_b: (K,).
    Returns (a, h, p, scores) of shapes (N, F, OH, OW), (N, F, OH, OW), (N, F, PH, PW), (N, K).
    """
    raise NotImplementedError("write cnn_forward")


def cnn_loss(x, y, conv_w, conv_b, fc_w, fc_b, padding=0, pool=2):
    """Mean softmax cross-entropy of the pipeline against integer labels y (N,), and its gradients.

    Returns (loss, dconv_w, dconv_b, dfc_w, dfc_b): a float and arrays shaped like the parameters.
    """
    raise NotImplementedError("write cnn_loss")
