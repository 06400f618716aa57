"""Hidden checks for autodiff: each op, node reuse, shared nodes, long chains, constants, random graphs.

Graphs are data (see harness.py); the judge evaluates them itself with math and finite differences.
"""

import math

import numpy as np
from hypothesis import strategies as st

from prep.grading.checks import CheckFailed, expect_array, for_all

H = 1e-5


def _apply(vals, op):
    name, args = op[0], op[1:]
    if name == "add":
        return vals[args[0]] + vals[args[1]]
    if name == "mul":
        return vals[args[0]] * vals[args[1]]
    if name in ("add_const", "radd_const"):
        i, c = (args[0], args[1]) if name == "add_const" else (args[1], args[0])
        return vals[i] + c
    if name in ("mul_const", "rmul_const"):
        i, c = (args[0], args[1]) if name == "mul_const" else (args[1], args[0])
        return vals[i] * c
    if name == "pow":
        return vals[args[0]] ** args[1]
    if name == "tanh":
        return math.tanh(vals[args[0]])
    if name == "exp":
        return math.exp(vals[args[0]])
    if name == "relu":
        return max(vals[args[0]], 0.0)
    raise ValueError(name)


def _evaluate(inputs, ops):
    vals = [float(x) for x in inputs]
    for op in ops:
        vals.append(_apply(vals, op))
    return vals


def _forward_mode(inputs, ops):
    """Exact input gradients by forward-mode differentiation (dual numbers), one pass per input."""
    grads = []
    for k in range(len(inputs)):
        vals = [float(x) for x in inputs]
        dots = [1.0 if m == k else 0.0 for m in range(len(inputs))]
        for op in ops:
            name, args = op[0], op[1:]
            v = _apply(vals, op)
            if name == "add":
                dot = dots[args[0]] + dots[args[1]]
            elif name == "mul":
                dot = dots[args[0]] * vals[args[1]] + vals[args[0]] * dots[args[1]]
            elif name in ("add_const", "radd_const"):
                dot = dots[args[0] if name == "add_const" else args[1]]
            elif name in ("mul_const", "rmul_const"):
                i, c = (args[0], args[1]) if name == "mul_const" else (args[1], args[0])
                dot = c * dots[i]
            elif name == "pow":
                dot = args[1] * vals[args[0]] ** (args[1] - 1) * dots[args[0]]
            elif name == "tanh":
                dot = (1.0 - v * v) * dots[args[0]]
            elif name == "exp":
                dot = v * dots[args[0]]
            else:
                dot = dots[args[0]] if vals[args[0]] > 0 else 0.0
            vals.append(v)
            dots.append(dot)
        grads.append(dots[-1])
    return np.array(grads)


def _finite_differences(inputs, ops):
    grads = []
    for k in range(len(inputs)):
        plus, minus = list(inputs), list(inputs)
        plus[k] += H
        minus[k] -= H
        grads.append((_evaluate(plus, ops)[-1] - _evaluate(minus, ops)[-1]) / (2 * H))
    return np.array(grads)


def _run(sub, inputs, ops, ctx):
    got = sub.harness("run_graph")(inputs, ops)
    if not isinstance(got, dict) or "values" not in got or "grads" not in got:
        raise CheckFailed(f"{ctx}: the graph could not be evaluated")
    values = np.asarray(got["values"], dtype=np.float64)
    grads = np.asarray(got["grads"], dtype=np.float64)
    expect_array(values, np.array(_evaluate(inputs, ops)), name="node values (.data)", context=ctx)
    return grads


def _expect_grads(sub, inputs, ops, expected, ctx):
    expect_array(_run(sub, inputs, ops, ctx), np.asarray(expected, dtype=np.float64),
                 name="input gradients (.grad)", context=ctx, rtol=1e-9, atol=1e-12)


def check_each_operation(sub):
    """One small graph per operation; gradients derived by hand."""
    a, b = 0.8, -1.7
    t = math.tanh(a)
    cases = [
        ("c = a + b", [a, b], [["add", 0, 1]], [1.0, 1.0]),
        ("c = a * b", [a, b], [["mul", 0, 1]], [b, a]),
        ("c = a ** 3", [b], [["pow", 0, 3]], [3 * b**2]),
        ("c = a ** -1.5", [a], [["pow", 0, -1.5]], [-1.5 * a**-2.5]),
        ("c = a.tanh()", [a], [["tanh", 0]], [1 - t * t]),
        ("c = a.exp()", [b], [["exp", 0]], [math.exp(b)]),
        ("c = a.relu() + b.relu() with a > 0 > b", [a, b], [["relu", 0], ["relu", 1], ["add", 2, 3]], [1.0, 0.0]),
    ]
    for expr, inputs, ops, expected in cases:
        names = ", ".join(f"{n}={v}" for n, v in zip("ab", inputs))
        _expect_grads(sub, inputs, ops, expected, f"{expr}, {names}")


def check_node_reuse(sub):
    _expect_grads(sub, [3.0], [["add", 0, 0]], [2.0], "c = a + a, a=3 (d c / d a = 2)")
    _expect_grads(sub, [3.0], [["mul", 0, 0]], [6.0], "c = a * a, a=3 (d c / d a = 2a)")


def check_shared_intermediate_node(sub):
    """A diamond through an inner node: u = a * a; d = (u * 3) * (u + 1); u must be pushed on once, complete."""
    ops = [["mul", 0, 0], ["mul_const", 1, 3.0], ["add_const", 1, 1.0], ["mul", 2, 3]]
    # d = 3u(u + 1), dd/du = 6u + 3, du/da = 2a
    _expect_grads(sub, [0.5], ops, [(6 * 0.25 + 3) * 1.0], "u = a * a; d = (u * 3) * (u + 1), a=0.5")
    # twelve stacked diamonds: y <- tanh(y) * y + y
    ops = []
    for _ in range(12):
        y = len(ops)
        ops += [["tanh", y], ["mul", y + 1, y], ["add", y + 2, y]]
    _expect_grads(sub, [0.3], ops, _forward_mode([0.3], ops), "12 stacked diamonds y <- tanh(y) * y + y, a=0.3")


def check_long_chain(sub):
    """Depth 200: backward must not recurse once per node of a path, nor lose any contribution."""
    ops = [["add", k, 0] for k in range(200)]  # y_{k+1} = y_k + a: y = 201 a
    _expect_grads(sub, [0.7], ops, [201.0], "y <- y + a repeated 200 times, a=0.7 (dy/da = 201)")
    ops = [["tanh", 0]] + [["tanh", k] for k in range(1, 200)]
    _expect_grads(sub, [0.6], ops, _forward_mode([0.6], ops), "y <- tanh(y) repeated 200 times, a=0.6")


def check_constants_on_either_side(sub):
    """Floats and ints on the left need __radd__ / __rmul__; constants carry no gradient."""
    a = 1.25
    cases = [
        ("2.5 + a", [["radd_const", 2.5, 0]], [1.0]),
        ("-3.0 * a", [["rmul_const", -3.0, 0]], [-3.0]),
        ("a * 4 + 2 (int constants on the right)", [["mul_const", 0, 4], ["add_const", 1, 2]], [4.0]),
        ("1.5 + 3 * (a ** 2)", [["pow", 0, 2], ["rmul_const", 3, 1], ["radd_const", 1.5, 2]], [6 * a]),
    ]
    for expr, ops, expected in cases:
        _expect_grads(sub, [a], ops, expected, f"c = {expr}, a={a}")


def check_unused_input_gets_zero_gradient(sub):
    _expect_grads(sub, [0.4, -2.0, 1.1], [["mul", 0, 2], ["exp", 3]],
                  [1.1 * math.exp(0.44), 0.0, 0.4 * math.exp(0.44)], "c = (a * c).exp() with b unused")


UNARY = ("tanh", "exp", "relu", "pow")
BINARY = ("add", "mul", "add_const", "radd_const", "mul_const", "rmul_const")


def _random_graph(rng, n_inputs, n_ops):
    """A random graph whose values stay moderate and whose ReLUs and powers stay away from kinks and 0."""
    inputs = [float(v) for v in np.round(rng.uniform(-2.0, 2.0, n_inputs), 3)]
    vals, ops = list(inputs), []
    while len(ops) < n_ops:
        # prefer recent nodes, so graphs get deep and reuse nodes
        i = max(0, len(vals) - int(rng.geometric(0.4)))
        j = int(rng.integers(len(vals)))
        c = float(np.round(rng.uniform(-2.0, 2.0), 2))
        name = str(rng.choice(UNARY + BINARY))
        if name in ("add", "mul"):
            op = [name, i, j]
        elif name in ("add_const", "mul_const"):
            op = [name, i, c]
        elif name in ("radd_const", "rmul_const"):
            op = [name, c, i]
        elif name == "pow":
            p = [2, 3, 0.5, -1.0, 1.5][int(rng.integers(5))]
            if isinstance(p, float) and vals[i] < 0.2:
                continue
            op = ["pow", i, p]
        else:
            if (name == "relu" and abs(vals[i]) < 1e-2) or (name == "exp" and vals[i] > 3.0):
                continue
            op = [name, i]
        v = _apply(vals, op)
        if not 1e-3 < abs(v) < 50.0:
            continue
        vals.append(v)
        ops.append(op)
    return inputs, ops


def _well_conditioned_graph(rng, n_inputs, n_ops):
    """A random graph on which finite differences are trustworthy: steps H and 10 H agree (no kink nearby)."""
    while True:
        inputs, ops = _random_graph(rng, n_inputs, n_ops)
        fine = _finite_differences(inputs, ops)
        coarse = np.array([(_evaluate([x + 10 * H * (k == m) for m, x in enumerate(inputs)], ops)[-1]
                            - _evaluate([x - 10 * H * (k == m) for m, x in enumerate(inputs)], ops)[-1]) / (20 * H)
                           for k in range(n_inputs)])
        if np.allclose(fine, coarse, rtol=1e-6, atol=1e-8):
            return inputs, ops, fine


def check_random_graphs_by_finite_differences(sub, rng):
    for n_inputs, n_ops in [(4, 30), (2, 60)]:
        inputs, ops, numeric = _well_conditioned_graph(rng, n_inputs, n_ops)
        ctx = f"random graph of {n_ops} operations on inputs {inputs}: ops {ops[:8]} ..."
        grads = _run(sub, inputs, ops, ctx)
        expect_array(grads, numeric, name="input gradients (.grad)", context=ctx, rtol=1e-5, atol=1e-7)
        expect_array(grads, _forward_mode(inputs, ops), name="input gradients (.grad)", context=ctx,
                     rtol=1e-9, atol=1e-12)


@st.composite
def _graph_sizes(draw):
    return draw(st.integers(1, 6)), draw(st.integers(1, 60)), draw(st.integers(0, 2**31))


def check_random_graphs_match_reference(sub, ref, rng):
    def case(c):
        n_inputs, n_ops, seed = c
        inputs, ops = _random_graph(np.random.default_rng(seed), n_inputs, n_ops)
        ctx = f"random graph of {n_ops} operations on inputs {inputs}: ops {ops[:8]} ..."
        expected = np.asarray(ref.harness("run_graph")(inputs, ops)["grads"])
        expect_array(_run(sub, inputs, ops, ctx), expected, name="input gradients (.grad)", context=ctx,
                     rtol=1e-9, atol=1e-12)

    for_all(rng, _graph_sizes(), case, examples=10)
