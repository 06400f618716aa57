"""Hidden checks for autodiff: each op, exact ReLU kinks, node reuse, shared nodes, long chains, constants, the
cost of backward on graphs with exponentially many paths, random graphs.

Graphs are data (see harness.py); the judge evaluates them itself with math and finite differences.
"""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from prep.grading.checks import CheckFailed, expect_array, t

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


def _grads_name():
    return t("input gradients (.grad)", "输入的梯度 (.grad)")


def _run(sub, inputs, ops, ctx):
    got = sub.harness("run_graph")(inputs, ops)
    if not isinstance(got, dict) or "values" not in got or "grads" not in got:
        raise CheckFailed(f"{ctx}: " + t("the graph could not be evaluated", "无法对这个计算图求值"))
    values = np.asarray(got["values"], dtype=np.float64)
    grads = np.asarray(got["grads"], dtype=np.float64)
    expect_array(values, np.array(_evaluate(inputs, ops)), name=t("node values (.data)", "节点的值 (.data)"),
                 context=ctx)
    return grads


def _expect_grads(sub, inputs, ops, expected, ctx):
    expect_array(_run(sub, inputs, ops, ctx), np.asarray(expected, dtype=np.float64),
                 name=_grads_name(), context=ctx, rtol=1e-9, atol=1e-12)


A, B = 0.8, -1.7
OPERATIONS = [
    pytest.param("c = a + b", [A, B], [["add", 0, 1]], [1.0, 1.0], id="add"),
    pytest.param("c = a * b", [A, B], [["mul", 0, 1]], [B, A], id="mul"),
    pytest.param("c = a ** 3", [B], [["pow", 0, 3]], [3 * B**2], id="pow-3"),
    pytest.param("c = a ** -1.5", [A], [["pow", 0, -1.5]], [-1.5 * A**-2.5], id="pow-minus-1.5"),
    pytest.param("c = a.tanh()", [A], [["tanh", 0]], [1 - math.tanh(A) ** 2], id="tanh"),
    pytest.param("c = a.exp()", [B], [["exp", 0]], [math.exp(B)], id="exp"),
    pytest.param("c = a.relu() + b.relu(), a > 0 > b", [A, B], [["relu", 0], ["relu", 1], ["add", 2, 3]], [1.0, 0.0],
                 id="relu"),
]


@pytest.mark.zh("每种运算")
@pytest.mark.parametrize(("expr", "inputs", "ops", "expected"), OPERATIONS)
def test_each_operation(sub, expr, inputs, ops, expected):
    """One small graph per operation; gradients derived by hand."""
    names = ", ".join(f"{n}={v}" for n, v in zip("ab", inputs))
    _expect_grads(sub, inputs, ops, expected, f"{expr}, {names}")


KINKS = [
    pytest.param("c = a.relu(), a=0", [0.0], [["relu", 0]], [0.0], id="relu-at-0"),
    # relu(a + b) * a at a + b = 0: dc/da = relu'(0) * a + relu(0) = 0, dc/db = relu'(0) * a = 0
    pytest.param("c = (a + b).relu() * a, a=1.5, b=-1.5", [1.5, -1.5], [["add", 0, 1], ["relu", 2], ["mul", 3, 0]],
                 [0.0, 0.0], id="relu-of-a-sum-at-0"),
]


@pytest.mark.zh("ReLU 输入恰好为 0")
@pytest.mark.parametrize(("expr", "inputs", "ops", "expected"), KINKS)
def test_relu_at_exactly_zero(sub, expr, inputs, ops, expected):
    """The statement fixes relu' = 0 at 0 (derivative 1 only for v > 0)."""
    _expect_grads(sub, inputs, ops, expected, expr)


@pytest.mark.zh("同一节点重复使用")
@pytest.mark.parametrize(("op", "expected", "expr"), [
    pytest.param("add", 2.0, "c = a + a, a=3 (d c / d a = 2)", id="a+a"),
    pytest.param("mul", 6.0, "c = a * a, a=3 (d c / d a = 2a)", id="a*a"),
])
def test_node_reuse(sub, op, expected, expr):
    _expect_grads(sub, [3.0], [[op, 0, 0]], [expected], expr)


def _stacked_diamonds(levels):
    ops = []
    for _ in range(levels):
        y = len(ops)
        ops += [["tanh", y], ["mul", y + 1, y], ["add", y + 2, y]]
    return ops


@pytest.mark.zh("共享的中间节点")
@pytest.mark.parametrize("case", ["diamond", "stacked-diamonds"])
def test_shared_intermediate_node(sub, case):
    """A diamond through an inner node: u = a * a; d = (u * 3) * (u + 1); u must be pushed on once, complete."""
    if case == "diamond":
        ops = [["mul", 0, 0], ["mul_const", 1, 3.0], ["add_const", 1, 1.0], ["mul", 2, 3]]
        # d = 3u(u + 1), dd/du = 6u + 3, du/da = 2a
        _expect_grads(sub, [0.5], ops, [(6 * 0.25 + 3) * 1.0], "u = a * a; d = (u * 3) * (u + 1), a=0.5")
    else:
        ops = _stacked_diamonds(12)
        _expect_grads(sub, [0.3], ops, _forward_mode([0.3], ops),
                      t("12 stacked diamonds y <- tanh(y) * y + y, a=0.3",
                        "12 层叠起来的菱形 y <- tanh(y) * y + y，a=0.3"))


@pytest.mark.zh("长链")
@pytest.mark.parametrize("case", ["sum-chain", "tanh-chain"])
def test_long_chain(sub, case):
    """Depth 200: backward must not recurse once per node of a path, nor lose any contribution."""
    if case == "sum-chain":
        ops = [["add", k, 0] for k in range(200)]  # y_{k+1} = y_k + a: y = 201 a
        _expect_grads(sub, [0.7], ops, [201.0], t("y <- y + a repeated 200 times, a=0.7 (dy/da = 201)",
                                                  "y <- y + a 重复 200 次，a=0.7（dy/da = 201）"))
    else:
        ops = [["tanh", 0]] + [["tanh", k] for k in range(1, 200)]
        _expect_grads(sub, [0.6], ops, _forward_mode([0.6], ops),
                      t("y <- tanh(y) repeated 200 times, a=0.6", "y <- tanh(y) 重复 200 次，a=0.6"))


@pytest.mark.zh("路径数按指数增长的图")
def test_backward_is_linear_in_the_graph_size(sub):
    """y <- (y + y) * 0.5 forty times: 80 nodes but 2**40 paths from the output to a. Pushing gradients down
    every path (recursion per path instead of one reverse topological pass) gets the right value and never
    finishes; a topological order takes 80 steps. dy/da = 1."""
    ops = []
    for _ in range(40):
        y = len(ops)
        ops += [["add", y, y], ["mul_const", y + 1, 0.5]]
    _expect_grads(sub, [0.9], ops, [1.0],
                  t("y <- (y + y) * 0.5 repeated 40 times, a=0.9: 80 operations, 2**40 paths (dy/da = 1)",
                    "y <- (y + y) * 0.5 重复 40 次，a=0.9：80 个运算、2**40 条路径（dy/da = 1）"))


A_CONST = 1.25


@pytest.mark.zh("常数在任意一侧")
@pytest.mark.parametrize(("expr", "ops", "expected"), [
    pytest.param("2.5 + a", [["radd_const", 2.5, 0]], [1.0], id="float+a"),
    pytest.param("-3.0 * a", [["rmul_const", -3.0, 0]], [-3.0], id="float*a"),
    pytest.param("a * 4 + 2", [["mul_const", 0, 4], ["add_const", 1, 2]], [4.0], id="a*int+int"),
    pytest.param("1.5 + 3 * (a ** 2)", [["pow", 0, 2], ["rmul_const", 3, 1], ["radd_const", 1.5, 2]], [6 * A_CONST],
                 id="float+int*a**2"),
])
def test_constants_on_either_side(sub, expr, ops, expected):
    """Floats and ints on the left need __radd__ / __rmul__; constants carry no gradient."""
    _expect_grads(sub, [A_CONST], ops, expected, f"c = {expr}, a={A_CONST}")


@pytest.mark.zh("未使用的输入梯度为 0")
def test_unused_input_gets_zero_gradient(sub):
    _expect_grads(sub, [0.4, -2.0, 1.1], [["mul", 0, 2], ["exp", 3]],
                  [1.1 * math.exp(0.44), 0.0, 0.4 * math.exp(0.44)],
                  "c = (a * c).exp(), a=0.4, b=-2, c=1.1: " + t("b unused", "b 没有被使用"))


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


def _graph_ctx(n_ops, inputs, ops):
    return t(f"random graph of {n_ops} operations on inputs {inputs}: ops {ops[:8]} ...",
             f"{n_ops} 个运算的随机计算图，输入 {inputs}：运算 {ops[:8]} ...")


@pytest.mark.zh("随机计算图与有限差分")
@pytest.mark.parametrize(("n_inputs", "n_ops"), [pytest.param(4, 30, id="4-inputs-30-ops"),
                                                 pytest.param(2, 60, id="2-inputs-60-ops")])
def test_random_graphs_by_finite_differences(sub, rng, n_inputs, n_ops):
    inputs, ops, numeric = _well_conditioned_graph(rng, n_inputs, n_ops)
    ctx = _graph_ctx(n_ops, inputs, ops)
    grads = _run(sub, inputs, ops, ctx)
    expect_array(grads, numeric, name=_grads_name(), context=ctx, rtol=1e-5, atol=1e-7)
    expect_array(grads, _forward_mode(inputs, ops), name=_grads_name(), context=ctx, rtol=1e-9, atol=1e-12)


@st.composite
def graph_sizes(draw):
    return draw(st.integers(1, 6)), draw(st.integers(1, 60)), draw(st.integers(0, 2**31))


@pytest.mark.zh("随机计算图与参考实现一致")
@settings(max_examples=10)
@given(c=graph_sizes())
def test_random_graphs_match_reference(sub, ref, c):
    n_inputs, n_ops, seed = c
    inputs, ops = _random_graph(np.random.default_rng(seed), n_inputs, n_ops)
    expected = np.asarray(ref.harness("run_graph")(inputs, ops)["grads"])
    expect_array(_run(sub, inputs, ops, _graph_ctx(n_ops, inputs, ops)), expected, name=_grads_name(),
                 context=_graph_ctx(n_ops, inputs, ops), rtol=1e-9, atol=1e-12)
