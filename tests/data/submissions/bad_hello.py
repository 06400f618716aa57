"""Answers the judge's hello with a frame that is not valid data, then stays alive."""
import os
import struct
import sys
import time

REPLY_FD = int([a for a in sys.argv if a.isdigit()][1])
os.write(REPLY_FD, struct.pack("<II", 5, 0) + b"{oops")
time.sleep(4242.5)


def conv2d(x, w, b=None, stride=1, padding=0):
    return x
