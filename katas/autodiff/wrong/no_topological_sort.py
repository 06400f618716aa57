"""Nodes processed breadth-first from the output instead of in reverse topological order: a shared node is pushed on before its grad is complete.
按从输出出发的广度优先顺序而不是逆拓扑序处理节点：共享节点在梯度收齐之前就往下传了。
"""
import math
from collections import deque


class Value:
    def __init__(self, data, _children=(), _local_grads=()):
        self.data = float(data)
        self.grad = 0.0
        self._children = _children
        self._local_grads = _local_grads

    def __add__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        return Value(self.data + other.data, (self, other), (1.0, 1.0))

    def __radd__(self, other):
        return self + other

    def __mul__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        return Value(self.data * other.data, (self, other), (other.data, self.data))

    def __rmul__(self, other):
        return self * other

    def __pow__(self, exponent):
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
        # breadth-first from the output: a node is processed as soon as it is reached
        self.grad = 1.0
        queue, seen = deque([self]), {id(self)}
        while queue:
            node = queue.popleft()
            for child, local in zip(node._children, node._local_grads):
                child.grad += local * node.grad
                if id(child) not in seen:
                    seen.add(id(child))
                    queue.append(child)
