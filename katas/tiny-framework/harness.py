"""Runs next to the learner's code: builds their layers from data, drives them, and returns data.

A network is `spec`, a list of layers in order: ["linear", W, b] (W (D_in, D_out), b (D_out,)) or ["relu"].
"""


def _build(module, spec):
    layers = []
    for layer in spec:
        if layer[0] == "linear":
            layers.append(module.Linear(layer[1], layer[2]))
        elif layer[0] == "relu":
            layers.append(module.ReLU())
        else:
            raise ValueError(f"unknown layer {layer[0]!r}")
    return module.Sequential(*layers), layers


def _params(layers):
    return [[layer.W, layer.b] for layer in layers if layer.__class__.__name__ == "Linear"]


def _grads(layers):
    return [[layer.dW, layer.db] for layer in layers if layer.__class__.__name__ == "Linear"]


def forward_backward(module, spec, x, dout):
    """One forward and one backward through Sequential: the output, dx and every Linear's (dW, db)."""
    model, layers = _build(module, spec)
    out = model.forward(x)
    dx = model.backward(dout)
    return {"out": out, "dx": dx, "grads": _grads(layers)}


def two_passes(module, spec, x1, dout1, x2, dout2):
    """forward(x1), backward(dout1), forward(x2), backward(dout2): the second pass's dx and gradients."""
    model, layers = _build(module, spec)
    model.forward(x1)
    model.backward(dout1)
    out = model.forward(x2)
    dx = model.backward(dout2)
    return {"out": out, "dx": dx, "grads": _grads(layers)}


def mse(module, pred, target):
    """mse_loss(pred, target): (loss, dpred)."""
    loss, dpred = module.mse_loss(pred, target)
    return [loss, dpred]


def one_step(module, spec, x, dout, lr):
    """forward(x), backward(dout), sgd_step(model, lr): the updated parameters of every Linear."""
    model, layers = _build(module, spec)
    model.forward(x)
    model.backward(dout)
    module.sgd_step(model, lr)
    return _params(layers)


def train(module, spec, x, y, lr, steps):
    """train(model, x, y, lr, steps): the list of losses and the final parameters of every Linear."""
    model, layers = _build(module, spec)
    losses = module.train(model, x, y, lr, steps)
    return {"losses": [float(v) for v in losses], "params": _params(layers)}
