import time


def conv2d(x, w, b=None, stride=1, padding=0):
    time.sleep(3600)
