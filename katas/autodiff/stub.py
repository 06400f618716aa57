import math


class Value:
    """A scalar for reverse-mode automatic differentiation.

    Value(data) wraps a float; .data is its value and .grad (0.0 at first) its gradient.
    Supported: v + w, v * w (w a Value, float or int, on either side), v ** p (p a constant),
    v.tanh(), v.exp(), v.relu(); out.backward() sets out.grad = 1 and fills .grad of every
    Value out depends on with d(out)/d(that Value).
    """

    def __init__(self, data):
        self.data = float(data)
        self.grad = 0.0

    def __add__(self, other):
        raise NotImplementedError("write Value.__add__")

    def __radd__(self, other):
        raise NotImplementedError("write Value.__radd__")

    def __mul__(self, other):
        raise NotImplementedError("write Value.__mul__")

    def __rmul__(self, other):
        raise NotImplementedError("write Value.__rmul__")

    def __pow__(self, exponent):
        raise NotImplementedError("write Value.__pow__")

    def tanh(self):
        raise NotImplementedError("write Value.tanh")

    def exp(self):
        raise NotImplementedError("write Value.exp")

    def relu(self):
        raise NotImplementedError("write Value.relu")

    def backward(self):
        raise NotImplementedError("write Value.backward")
