"""No __radd__ / __rmul__: 2.0 + v and 3 * v raise TypeError.
没有实现 __radd__ / __rmul__：2.0 + v 和 3 * v 会抛出 TypeError。
"""
import math


class Value:
    """A scalar that records how it was computed, for reverse-mode automatic differentiation."""

    def __init__(self, data, _children=(), _local_grads=()):
        self.data = float(data)
        self.grad = 0.0
        self._children = _children
        self._local_grads = _local_grads

    def __add__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        return Value(self.data + other.data, (self, other), (1.0, 1.0))

    def __mul__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        return Value(self.data * other.data, (self, other), (other.data, self.data))

    def __pow__(self, exponent):
        """self ** exponent for a constant int or float exponent."""
        return Value(self.data**exponent, (self,), (exponent * self.data ** (exponent - 1),))

    def tanh(self):
        t = math.tanh(self.data)
        return Value(t, (self,), (1.0 - t * t,))

    def exp(self):
        e = math.exp(self.data)
        return Value(e, (self,), (e,))

    def relu(self):
        return Value(max(self.data, 0.0), (self,), (1.0 if self.data > 0 else 0.0,))

    def backward(self):
        """Fill .grad = d(self)/d(node) for every node self depends on."""

        order, seen = [], set()
        stack = [(self, False)]
        while stack:
            node, expanded = stack.pop()
            if expanded:
                order.append(node)
            elif id(node) not in seen:
                seen.add(id(node))
                stack.append((node, True))
                stack.extend((child, False) for child in node._children if id(child) not in seen)
        self.grad = 1.0

        for node in reversed(order):
            for child, local in zip(node._children, node._local_grads):
                child.grad += local * node.grad
