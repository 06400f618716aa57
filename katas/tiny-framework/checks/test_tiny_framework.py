"""Hidden checks for tiny-framework: Linear, ReLU (exactly at 0 too), Sequential forward and backward against an
independent functional network and finite differences, overwritten gradients, the MSE loss, one SGD step, a
training trajectory, and the outcome: fitting XOR to the stated loss within the stated number of steps.

The learner's classes are driven through harness.py; networks cross as data (a list of layers)."""

from itertools import pairwise

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from prep.grading.checks import CheckFailed, expect_array, expect_grad, expect_number, t


def _net(rng, sizes, bias_scale=0.5):
    """A spec Linear, ReLU, Linear, ..., Linear with He-scaled weights: sizes = [D_in, H1, ..., D_out]."""
    spec = []
    for k, (i, o) in enumerate(pairwise(sizes)):
        if k:
            spec.append(["relu"])
        spec.append(["linear", rng.standard_normal((i, o)) * np.sqrt(2.0 / i), rng.standard_normal(o) * bias_scale])
    return spec


def _forward(spec, x):
    """The network as a plain function, written independently of any class."""
    for layer in spec:
        x = x @ layer[1] + layer[2] if layer[0] == "linear" else np.where(x > 0, x, 0.0)
    return x


def _backward(spec, x, dout):
    """Reverse mode by hand: returns dx and [[dW, db], ...] per linear layer, in order."""
    inputs = []
    for layer in spec:
        inputs.append(x)
        x = x @ layer[1] + layer[2] if layer[0] == "linear" else np.where(x > 0, x, 0.0)
    grads = []
    for layer, inp in zip(reversed(spec), reversed(inputs)):
        if layer[0] == "linear":
            grads.insert(0, [inp.T @ dout, dout.sum(axis=0)])
            dout = dout @ layer[1].T
        else:
            dout = dout * (inp > 0)
    return dout, grads


def _describe(spec):
    return " -> ".join("Linear({}, {})".format(*layer[1].shape) if layer[0] == "linear" else "ReLU" for layer in spec)


def _result(got, keys, ctx):
    if not isinstance(got, dict) or any(k not in got for k in keys):
        raise CheckFailed(f"{ctx}: " + t("the network could not be run", "无法运行这个网络"))
    return got


def _expect_grads(got, expected, ctx, names=("dW", "db"), **tol):
    """One pair per Linear layer: its gradients (dW, db) or, with names=("W", "b"), its parameters."""
    if not isinstance(got, list) or len(got) != len(expected):
        raise CheckFailed(f"{ctx}: " + t(f"one ({names[0]}, {names[1]}) pair per Linear layer expected",
                                         f"每个 Linear 层应有一对 ({names[0]}, {names[1]})"))
    for k, (g, e) in enumerate(zip(got, expected)):
        expect_array(g[0], e[0], name=f"layers[{2 * k}].{names[0]}", context=ctx, **tol)
        expect_array(g[1], e[1], name=f"layers[{2 * k}].{names[1]}", context=ctx, **tol)


def _check_pass(sub, spec, x, dout, ctx):
    got = _result(sub.harness("forward_backward")(spec, x, dout), ("out", "dx", "grads"), ctx)
    expect_array(got["out"], _forward(spec, x), name="forward(x)", context=ctx)
    dx, grads = _backward(spec, x, dout)
    expect_array(got["dx"], dx, name="backward(dout)", context=ctx)
    _expect_grads(got["grads"], grads, ctx)
    return got


EXAMPLE = [["linear", np.array([[1.0, -1], [0.5, 1]]), np.array([0.0, -1])], ["relu"],
           ["linear", np.array([[2.0], [-1]]), np.array([0.5])]]
EXAMPLE_X, EXAMPLE_Y = np.array([[1.0, 2], [-1, 0.5]]), np.array([[1.0], [0]])


@pytest.mark.zh("题目中的手算例子")
def test_hand_worked_example(sub):
    ctx = t("the statement's example", "题目中的例子")
    got = _result(sub.harness("forward_backward")(EXAMPLE, EXAMPLE_X, np.array([[3.5], [0.0]])),
                  ("out", "dx", "grads"), ctx)
    expect_array(got["out"], np.array([[4.5], [0.0]]), name="forward(x)", context=ctx)
    expect_array(got["dx"], np.array([[7.0, 3.5], [0, 0]]), name="backward(dout)", context=ctx)
    _expect_grads(got["grads"], [[np.array([[7.0, 0], [14, 0]]), np.array([7.0, 0])],
                                 [np.array([[7.0], [0]]), np.array([3.5])]], ctx)
    res = sub.harness("train")(EXAMPLE, EXAMPLE_X, EXAMPLE_Y, 0.1, 2)
    res = _result(res, ("losses", "params"), ctx + ", train(lr=0.1, steps=2)")
    expect_array(np.asarray(res["losses"], dtype=np.float64), np.array([6.125, 0.4225]),
                 name=t("losses", "损失"), context=ctx + ", train(lr=0.1, steps=2)")


@pytest.mark.zh("单个 Linear 层")
@pytest.mark.parametrize(("n", "d_in", "d_out"), [pytest.param(5, 3, 4, id="N=5-in=3-out=4"),
                                                  pytest.param(1, 6, 2, id="N=1-in=6-out=2"),
                                                  pytest.param(7, 2, 9, id="N=7-in=2-out=9")])
def test_linear_layer(sub, rng, n, d_in, d_out):
    spec = [["linear", rng.standard_normal((d_in, d_out)), rng.standard_normal(d_out)]]
    x, dout = rng.standard_normal((n, d_in)), rng.standard_normal((n, d_out))
    _check_pass(sub, spec, x, dout, f"Linear({d_in}, {d_out}), x {x.shape}")


@pytest.mark.zh("单个 ReLU 层（含恰好为 0 的输入）")
def test_relu_layer_with_exact_zeros(sub, rng):
    x = rng.standard_normal((4, 6))
    x[0, :3] = 0.0
    x[2, 4] = 0.0
    dout = rng.standard_normal((4, 6))
    _check_pass(sub, [["relu"]], x, dout, t("ReLU alone, x (4, 6) with 4 entries exactly 0",
                                            "单独一个 ReLU，x (4, 6)，其中 4 个元素恰好为 0"))


ARCHITECTURES = [
    pytest.param([3, 5, 2], 6, id="3-5-2"),
    pytest.param([4, 7, 6, 1], 5, id="4-7-6-1"),
    pytest.param([2, 9, 3, 8, 5], 3, id="2-9-3-8-5"),
]


@pytest.mark.zh("Sequential 的前向与反向")
@pytest.mark.parametrize(("sizes", "n"), ARCHITECTURES)
def test_sequential_forward_backward(sub, rng, sizes, n):
    spec = _net(rng, sizes)
    x, dout = rng.standard_normal((n, sizes[0])), rng.standard_normal((n, sizes[-1]))
    _check_pass(sub, spec, x, dout, _describe(spec) + f", x {x.shape}")


def _away_from_kinks(rng, sizes, n):
    """Draw until every ReLU input is at least 1e-3 from 0 (finite differences are invalid at the kink)."""
    while True:
        spec, x = _net(rng, sizes), rng.standard_normal((n, sizes[0]))
        h, closest = x, np.inf
        for layer in spec:
            if layer[0] == "relu":
                closest = min(closest, float(np.min(np.abs(h))))
            h = h @ layer[1] + layer[2] if layer[0] == "linear" else np.maximum(h, 0.0)
        if closest > 1e-3:
            return spec, x


@pytest.mark.zh("反向与有限差分一致")
def test_backward_finite_differences(sub, rng):
    spec, x = _away_from_kinks(rng, [3, 6, 4, 2], 5)
    dout = rng.standard_normal((5, 2))
    ctx = _describe(spec) + f", x {x.shape}"
    got = _check_pass(sub, spec, x, dout, ctx)
    expect_grad(got["dx"], lambda v: _forward(spec, v), x, dout, name="backward(dout)", rng=rng, context=ctx,
                tol=1e-5)
    for k, idx in enumerate(i for i, layer in enumerate(spec) if layer[0] == "linear"):
        def with_w(v, idx=idx):
            return _forward([*spec[:idx], ["linear", v, spec[idx][2]], *spec[idx + 1:]], x)

        def with_b(v, idx=idx):
            return _forward([*spec[:idx], ["linear", spec[idx][1], v], *spec[idx + 1:]], x)

        expect_grad(got["grads"][k][0], with_w, spec[idx][1], dout, name=f"layers[{idx}].dW", rng=rng,
                    context=ctx, tol=1e-5)
        expect_grad(got["grads"][k][1], with_b, spec[idx][2], dout, name=f"layers[{idx}].db", rng=rng,
                    context=ctx, tol=1e-5)


@pytest.mark.zh("网络中 ReLU 输入恰好为 0")
def test_relu_exactly_zero_inside_a_network(sub):
    """Hidden pre-activations exactly 0 (relu'(0) = 0): the statement's example and a deeper network."""
    _check_pass(sub, EXAMPLE, EXAMPLE_X, np.array([[3.5], [-1.0]]),
                t("the statement's network, pre-activation a[0, 1] = 0", "题目中的网络，激活前的值 a[0, 1] = 0"))
    w1 = np.array([[1.0, -1, 2], [-2, 1, 0.5]])
    spec = [["linear", w1, np.array([0.0, 0, -1])], ["relu"],
            ["linear", np.array([[1.0, 0.5], [-1, 2], [0.5, 1]]), np.array([0.0, -0.5])], ["relu"],
            ["linear", np.array([[1.5], [-2.0]]), np.array([0.25])]]
    x = np.array([[0.0, 0.0], [2.0, 1.0], [1.0, 1.0], [-0.5, 1.0]])  # row 0 and 1 hit zeros in layers 1 and 2
    _check_pass(sub, spec, x, np.array([[1.0], [-2.0], [0.5], [3.0]]),
                _describe(spec) + ", " + t("several pre-activations exactly 0", "有多个激活前的值恰好为 0"))


@pytest.mark.zh("第二次反向覆盖梯度而不是累加")
def test_gradients_are_overwritten(sub, rng):
    spec = _net(rng, [3, 4, 2])
    x1, x2 = rng.standard_normal((5, 3)), rng.standard_normal((5, 3))
    d1, d2 = rng.standard_normal((5, 2)), rng.standard_normal((5, 2))
    ctx = _describe(spec) + ", " + t("forward(x1), backward, then forward(x2), backward: the second pass",
                                     "forward(x1)、backward，再 forward(x2)、backward：看第二次的结果")
    got = _result(sub.harness("two_passes")(spec, x1, d1, x2, d2), ("out", "dx", "grads"), ctx)
    expect_array(got["out"], _forward(spec, x2), name="forward(x2)", context=ctx)
    dx, grads = _backward(spec, x2, d2)
    expect_array(got["dx"], dx, name="backward(dout2)", context=ctx)
    _expect_grads(got["grads"], grads, ctx)


@pytest.mark.zh("均方误差损失")
@pytest.mark.parametrize("shape", [pytest.param((6, 1), id="N=6-out=1"), pytest.param((4, 3), id="N=4-out=3")])
def test_mse_loss(sub, rng, shape):
    pred, target = rng.standard_normal(shape) * 3, rng.standard_normal(shape)
    ctx = f"mse_loss, pred {shape}"
    got = sub.harness("mse")(pred, target)
    if not isinstance(got, list) or len(got) != 2:
        raise CheckFailed(f"{ctx}: " + t("mse_loss must return (loss, dpred)", "mse_loss 应返回 (loss, dpred)"))
    diff = pred - target
    expect_number(got[0], float(np.sum(diff**2) / diff.size), name="loss", context=ctx)
    expect_array(got[1], 2 * diff / diff.size, name="dpred", context=ctx)


@pytest.mark.zh("一步 SGD")
def test_sgd_step(sub, rng):
    spec = _net(rng, [4, 5, 3])
    x, dout = rng.standard_normal((6, 4)), rng.standard_normal((6, 3))
    lr = 0.37
    ctx = _describe(spec) + f", x {x.shape}, sgd_step(model, lr={lr})"
    got = sub.harness("one_step")(spec, x, dout, lr)
    _, grads = _backward(spec, x, dout)
    linears = [layer for layer in spec if layer[0] == "linear"]
    _expect_grads(got, [[layer[1] - lr * g[0], layer[2] - lr * g[1]] for layer, g in zip(linears, grads)], ctx,
                  names=("W", "b"))


def _train(spec, x, y, lr, steps):
    """Full-batch gradient descent written functionally: the losses (before each update) and final parameters."""
    spec = [list(layer) for layer in spec]
    losses = []
    for _ in range(steps):
        diff = _forward(spec, x) - y
        losses.append(float(np.mean(diff**2)))
        _, grads = _backward(spec, x, 2 * diff / diff.size)
        linears = [layer for layer in spec if layer[0] == "linear"]
        for layer, (dw, db) in zip(linears, grads):
            layer[1], layer[2] = layer[1] - lr * dw, layer[2] - lr * db
    return losses, [[layer[1], layer[2]] for layer in spec if layer[0] == "linear"]


def _converging_problem(rng, sizes, n, lr, steps):
    """Draw a network and data until full-batch descent at this lr stays finite and ends below its first loss
    (lr 0.2 on a 2-6-1 network diverges from about 4% of random draws: a correct train must not fail on them)."""
    while True:
        spec = _net(rng, sizes)
        x = rng.standard_normal((n, sizes[0]))
        y = np.sin(x @ rng.standard_normal((sizes[0], sizes[-1])))
        with np.errstate(all="ignore"):
            result = _train(spec, x, y, lr, steps)
        losses = np.array(result[0])
        if np.all(np.isfinite(losses)) and losses.max() <= 2 * losses[0] and losses[-1] < losses[0]:
            return spec, x, y, result


@pytest.mark.zh("训练轨迹")
@pytest.mark.parametrize(("sizes", "n", "lr", "steps"), [pytest.param([3, 8, 5, 2], 10, 0.05, 30, id="3-8-5-2-lr=0.05"),
                                                         pytest.param([2, 6, 1], 7, 0.2, 12, id="2-6-1-lr=0.2")])
def test_training_trajectory(sub, rng, sizes, n, lr, steps):
    spec, x, y, (losses, params) = _converging_problem(rng, sizes, n, lr, steps)
    ctx = _describe(spec) + f", x {x.shape}, train(lr={lr}, steps={steps})"
    got = _result(sub.harness("train")(spec, x, y, lr, steps), ("losses", "params"), ctx)
    expect_array(np.asarray(got["losses"], dtype=np.float64), np.array(losses), name=t("losses", "损失"),
                 context=ctx, rtol=1e-6)
    _expect_grads(got["params"], params, ctx.replace("train(", t("parameters after train(", "train 之后的参数 (")),
                  names=("W", "b"), rtol=1e-6, atol=1e-9)


XOR_X = np.array([[0.0, 0], [0, 1], [1, 0], [1, 1]])
XOR_Y = np.array([[0.0], [1], [1], [0]])
XOR_STEPS, XOR_LR, XOR_TARGET = 150, 0.1, 1e-4


def _xor_init():
    r = np.random.default_rng(20261206)
    return [["linear", r.standard_normal((2, 8)), np.zeros(8)], ["relu"],
            ["linear", r.standard_normal((8, 1)) * 0.5, np.zeros(1)]]


@pytest.mark.zh("结果：训练到指定的损失")
def test_training_fits_xor(sub):
    """The outcome: XOR fitted to MSE < 1e-4 within 150 steps of lr 0.1, from the grader's initial weights."""
    spec = _xor_init()
    ctx = t(f"XOR, Linear(2, 8) -> ReLU -> Linear(8, 1), lr={XOR_LR}, {XOR_STEPS} steps",
            f"XOR，Linear(2, 8) -> ReLU -> Linear(8, 1)，lr={XOR_LR}，{XOR_STEPS} 步")
    got = _result(sub.harness("train")(spec, XOR_X, XOR_Y, XOR_LR, XOR_STEPS), ("losses", "params"), ctx)
    losses = np.asarray(got["losses"], dtype=np.float64)
    if losses.shape != (XOR_STEPS,):
        raise CheckFailed(f"{ctx}: " + t(f"train must return {XOR_STEPS} losses, got shape {losses.shape}",
                                         f"train 应返回 {XOR_STEPS} 个损失，得到的形状为 {losses.shape}"))
    params = got["params"]
    final = [["linear", params[0][0], params[0][1]], ["relu"], ["linear", params[1][0], params[1][1]]]
    fitted = float(np.mean((_forward(final, XOR_X) - XOR_Y) ** 2))
    if not (losses[-1] < XOR_TARGET and fitted < XOR_TARGET):
        raise CheckFailed(f"{ctx}: " + t(
            f"the loss must fall below {XOR_TARGET:g}; last reported loss {losses[-1]:.4g}, loss of the final "
            f"parameters {fitted:.4g}",
            f"损失应降到 {XOR_TARGET:g} 以下；最后报告的损失为 {losses[-1]:.4g}，最终参数的损失为 {fitted:.4g}"))
    expected, _ = _train(spec, XOR_X, XOR_Y, XOR_LR, XOR_STEPS)
    expect_array(losses[:20], np.array(expected[:20]), name=t("the first 20 losses", "前 20 个损失"), context=ctx,
                 rtol=1e-6)


@st.composite
def networks(draw):
    depth = draw(st.integers(1, 4))
    sizes = [draw(st.integers(1, 9)) for _ in range(depth + 1)]
    return sizes, draw(st.integers(1, 8)), draw(st.integers(0, 2**31))


@pytest.mark.zh("随机网络")
@settings(max_examples=8)
@given(c=networks())
def test_random_networks(sub, c):
    sizes, n, seed = c
    r = np.random.default_rng(seed)
    spec = _net(r, sizes)
    x, dout = r.standard_normal((n, sizes[0])), r.standard_normal((n, sizes[-1]))
    _check_pass(sub, spec, x, dout, _describe(spec) + f", x {x.shape}")
