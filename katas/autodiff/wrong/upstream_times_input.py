"""An "autodiff" that just multiplies the upstream gradient by the input, whatever the operation.
一个“自动微分”：不管什么运算，都只是把上游梯度乘以输入。
"""
import math


class Value:
    def __init__(self, data, _children=()):
        self.data = float(data)
        self.grad = 0.0
        self._children = _children

    def __add__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        return Value(self.data + other.data, (self, other))

    def __radd__(self, other):
        return self + other

    def __mul__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        return Value(self.data * other.data, (self, other))

    def __rmul__(self, other):
        return self * other

    def __pow__(self, exponent):
        return Value(self.data**exponent, (self,))

    def tanh(self):
        return Value(math.tanh(self.data), (self,))

    def exp(self):
        return Value(math.exp(self.data), (self,))

    def relu(self):
        return Value(max(self.data, 0.0), (self,))

    def backward(self):
        order, seen = [], set()

        def visit(node):
            if id(node) not in seen:
                seen.add(id(node))
                for child in node._children:
                    visit(child)
                order.append(node)

        visit(self)
        self.grad = 1.0
        for node in reversed(order):
            for child in node._children:
                child.grad += node.grad * child.data
