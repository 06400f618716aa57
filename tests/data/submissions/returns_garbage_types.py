def conv2d(x, w, b=None, stride=1, padding=0):
    return {"out": lambda: 1}
