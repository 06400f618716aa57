"""Runs next to the learner's code: builds an expression graph of their Values from data and returns data.

A graph is `inputs` (floats: the leaves, nodes 0 .. len(inputs) - 1) and `ops`, a list of lists, each
creating the next node from earlier ones:
  ["add", i, j]  ["mul", i, j]          node i + node j, node i * node j (i may equal j)
  ["add_const", i, c]  ["radd_const", c, i]  ["mul_const", i, c]  ["rmul_const", c, i]
                                         node i + c, c + node i, node i * c, c * node i (c a float or int)
  ["pow", i, p]                          node i ** p (p a constant)
  ["tanh", i]  ["exp", i]  ["relu", i]
The last node is the output: backward() is called on it once.
"""


def _build(value_cls, inputs, ops):
    nodes = [value_cls(x) for x in inputs]
    for op in ops:
        name, args = op[0], op[1:]
        if name == "add":
            node = nodes[args[0]] + nodes[args[1]]
        elif name == "mul":
            node = nodes[args[0]] * nodes[args[1]]
        elif name == "add_const":
            node = nodes[args[0]] + args[1]
        elif name == "radd_const":
            node = args[0] + nodes[args[1]]
        elif name == "mul_const":
            node = nodes[args[0]] * args[1]
        elif name == "rmul_const":
            node = args[0] * nodes[args[1]]
        elif name == "pow":
            node = nodes[args[0]] ** args[1]
        elif name in ("tanh", "exp", "relu"):
            node = getattr(nodes[args[0]], name)()
        else:
            raise ValueError(f"unknown op {name!r}")
        nodes.append(node)
    return nodes


def run_graph(module, inputs, ops):
    """Build the graph with module.Value, call backward() on the last node; return values and leaf grads."""
    nodes = _build(module.Value, inputs, ops)
    nodes[-1].backward()
    return {
        "values": [float(n.data) for n in nodes],
        "grads": [float(n.grad) for n in nodes[:len(inputs)]],
    }
