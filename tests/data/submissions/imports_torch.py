import numpy as np
import torch


def conv2d(x, w, b=None, stride=1, padding=0):
    return torch.nn.functional.conv2d(torch.tensor(x), torch.tensor(w)).numpy()
