"""What kata checks are written with: expectations that fail with a message in the learner's terms.

A check is a pytest test `test_<name>(sub, ref, rng)` in `katas/<slug>/checks/test_*.py`; the fixtures
come from `prep.grading.plugin`. `sub` calls the learner's code (in the sandboxed worker), `ref` the
reference (in the judge). Everything a check compares was computed or parsed by the judge itself.
Messages are in the learner's language: fixed phrases here exist in English and Chinese, and a check's
own words go through `t(en, zh)`.
"""

from __future__ import annotations

import contextvars
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

FLOAT64 = {"rtol": 1e-7, "atol": 1e-10}
FLOAT32 = {"rtol": 1e-4, "atol": 1e-6}

LANGUAGE: contextvars.ContextVar[str] = contextvars.ContextVar("prep_check_language", default="en")


def t(en: str, zh: str) -> str:
    """A check's own words, in the language the report is written in."""
    return zh if LANGUAGE.get() == "zh" else en


_PHRASES: dict[str, tuple[str, str]] = {
    "should_be_array": ("{name} should be a numpy array of shape {shape}, got {got}",
                        "{name} 应是形状为 {shape} 的 numpy 数组，实际得到 {got}"),
    "should_be_int": ("{name} should have an integer dtype, got {got}", "{name} 应为整数类型，实际为 {got}"),
    "should_be_numeric": ("{name} should be numeric, got dtype {got}", "{name} 应为数值类型，实际 dtype 为 {got}"),
    "dtype": ("{name} should have dtype {want}, got {got}", "{name} 的 dtype 应为 {want}，实际为 {got}"),
    "shape": ("expected {name} shape {want}, got {got}", "{name} 的形状应为 {want}，实际为 {got}"),
    "non_finite": ("{name} has a non-finite value {value} at index {index} (overflow? use a numerically "
                   "stable formula)",
                   "{name} 在下标 {index} 处出现非有限值 {value}（溢出了？请用数值稳定的写法）"),
    "nan": ("{name} has NaN at index {index} (a 0/0 or inf - inf: a softmax row with every entry masked, "
            "or an overflow that became inf first)",
            "{name} 在下标 {index} 处为 NaN（出现了 0/0 或 inf - inf：例如 softmax 的一整行都被屏蔽，"
            "或先溢出成了 inf）"),
    "differs": ("{name}{index} expected {want}, got {got} ({count} of {size} values differ, max abs "
                "difference {worst})",
                "{name}{index} 应为 {want}，实际为 {got}（{size} 个值中有 {count} 个不同，最大绝对误差 {worst}）"),
    "tuple": ("should return a tuple ({names}), got {got}", "应返回元组 ({names})，实际得到 {got}"),
    "number": ("{name} should be a number, got {got}", "{name} 应是一个数，实际得到 {got}"),
    "not_finite_number": ("{name} is {got}; expected a finite number", "{name} 为 {got}，应为有限数"),
    "number_differs": ("{name} expected {want}, got {got}", "{name} 应为 {want}，实际为 {got}"),
    "grad_shape": ("{name} should be an array of shape {shape}, got {got}",
                   "{name} 应是形状为 {shape} 的数组，实际得到 {got}"),
    "grad_finite": ("{name} should hold finite floats", "{name} 应全为有限浮点数"),
    "grad_differs": ("{name} disagrees with finite differences: at {index} numeric {numeric}, yours {got} "
                     "(relative error {err} > {tol})",
                     "{name} 与有限差分不一致：在 {index} 处数值梯度为 {numeric}，你的为 {got}"
                     "（相对误差 {err} > {tol}）"),
}


def say(key: str, **values: Any) -> str:
    """A fixed phrase of the check helpers, filled in, in the report's language."""
    en, zh = _PHRASES[key]
    if LANGUAGE.get() != "zh":
        return en.format(**values)
    if values.get("name") == "output":
        values["name"] = "输出"
    return zh.format(**values)


class CheckFailed(AssertionError):
    """A check's verdict: the learner's result is wrong; the message says how."""


def _where(context: str) -> str:
    return f"{context}{'：' if LANGUAGE.get() == 'zh' else ': '}" if context else ""


def _fmt_shape(shape: Sequence[int]) -> str:
    return "(" + ", ".join(str(s) for s in shape) + ("," if len(shape) == 1 else "") + ")"


def expect_array(got: Any, expected: np.ndarray, *, name: str = "output", context: str = "",
                 rtol: float | None = None, atol: float | None = None,
                 dtype: Any = None, exact: bool = False) -> np.ndarray:
    """Fail unless `got` is an ndarray of the expected shape and dtype, finite and close to `expected`."""
    expected = np.asarray(expected)
    where = _where(context)
    if type(got) is not np.ndarray:
        if isinstance(got, (int, float)) and expected.ndim == 0:
            got = np.asarray(got, dtype=expected.dtype)
        else:
            raise CheckFailed(where + say("should_be_array", name=name, shape=_fmt_shape(expected.shape),
                                          got=type(got).__name__))
    want_dtype = np.dtype(dtype) if dtype is not None else expected.dtype
    if exact and got.dtype.kind not in "biu" and want_dtype.kind in "biu":
        raise CheckFailed(where + say("should_be_int", name=name, got=got.dtype))
    if got.dtype.kind not in "biuf":
        raise CheckFailed(where + say("should_be_numeric", name=name, got=got.dtype))
    if want_dtype.kind == "f" and got.dtype != want_dtype:
        raise CheckFailed(where + say("dtype", name=name, want=want_dtype, got=got.dtype))
    if got.shape != expected.shape:
        raise CheckFailed(where + say("shape", name=name, want=_fmt_shape(expected.shape),
                                      got=_fmt_shape(got.shape)))
    if got.dtype.kind == "f" and not np.all(np.isfinite(got)):
        bad = tuple(int(i) for i in np.argwhere(~np.isfinite(got))[0])
        key = "nan" if np.isnan(got[bad]) else "non_finite"
        raise CheckFailed(where + say(key, name=name, value=got[bad].item(), index=list(bad)))
    if exact:
        diff = got != expected
    else:
        tol = FLOAT32 if want_dtype == np.float32 else FLOAT64
        r = tol["rtol"] if rtol is None else rtol
        a = tol["atol"] if atol is None else atol
        g64, e64 = got.astype(np.float64), expected.astype(np.float64)
        diff = ~np.isclose(g64, e64, rtol=r, atol=a)
    if np.any(diff):
        first = tuple(int(i) for i in np.argwhere(diff)[0])
        worst = float(np.max(np.abs(got.astype(np.float64) - expected.astype(np.float64))))
        count = int(np.count_nonzero(diff))
        raise CheckFailed(where + say("differs", name=name, index=list(first), want=repr(expected[first].item()),
                                      got=repr(got[first].item()), count=count, size=diff.size,
                                      worst=f"{worst:.3g}"))
    result: np.ndarray = got
    return result


def expect_tuple(got: Any, names: Sequence[str], *, context: str = "") -> tuple[Any, ...]:
    """Fail unless `got` is a tuple (or list) with one item per name."""
    if not isinstance(got, (tuple, list)) or len(got) != len(names):
        kind = type(got).__name__ + (f" of length {len(got)}" if isinstance(got, (tuple, list)) else "")
        raise CheckFailed(_where(context) + say("tuple", names=", ".join(names), got=kind))
    return tuple(got)


def expect_number(got: Any, expected: float, *, name: str = "result", context: str = "",
                  rtol: float = 1e-7, atol: float = 1e-10) -> float:
    """Fail unless `got` is a real number (or 0-d array) close to `expected`."""
    if type(got) is np.ndarray and got.ndim == 0:
        got = got.item()
    if isinstance(got, bool) or not isinstance(got, (int, float)):
        raise CheckFailed(_where(context) + say("number", name=name, got=type(got).__name__))
    if not np.isfinite(got):
        raise CheckFailed(_where(context) + say("not_finite_number", name=name, got=got))
    if not np.isclose(got, expected, rtol=rtol, atol=atol):
        raise CheckFailed(_where(context) + say("number_differs", name=name, want=repr(expected), got=repr(got)))
    return float(got)


def expect_equal(got: Any, expected: Any, *, name: str = "result", context: str = "") -> Any:
    """Fail unless `got` equals `expected` exactly (ints, lists of ints, strings)."""
    if type(got) is np.ndarray:
        got = got.tolist()
    if isinstance(got, tuple):
        got = list(got)
    if isinstance(expected, tuple):
        expected = list(expected)
    if got != expected or type(got) is not type(expected):
        raise CheckFailed(_where(context) + say("number_differs", name=name, want=repr(expected), got=repr(got)))
    return got


def rel_error(a: np.ndarray, n: np.ndarray) -> float:
    """The relative error of the kata conventions: max|a - n| / max(1e-8, |a| + |n|)."""
    a, n = np.asarray(a, dtype=np.float64), np.asarray(n, dtype=np.float64)
    return float(np.max(np.abs(a - n) / np.maximum(1e-8, np.abs(a) + np.abs(n))))


def numeric_grad(f: Callable[[np.ndarray], Any], x: np.ndarray, dout: Any, *, rng: np.random.Generator,
                 samples: int = 10, h: float = 1e-5) -> tuple[list[tuple[int, ...]], np.ndarray]:
    """Centred differences of L(x) = sum(f(x) * dout) at `samples` random coordinates of x.

    `f` may return an array or a tuple of arrays (then `dout` is a tuple of the same length).
    Returns the sampled indices and the numeric gradient there.
    """
    def loss(v: np.ndarray) -> float:
        out = f(v)
        if isinstance(out, tuple):
            return float(sum(np.sum(o * d) for o, d in zip(out, dout)))
        return float(np.sum(out * dout))

    flat = rng.choice(x.size, size=min(samples, x.size), replace=False)
    indices = [tuple(int(i) for i in np.unravel_index(k, x.shape)) for k in flat]
    values = []
    for idx in indices:
        xp, xm = x.copy(), x.copy()
        xp[idx] += h
        xm[idx] -= h
        values.append((loss(xp) - loss(xm)) / (2 * h))
    return indices, np.array(values)


def expect_grad(analytic: Any, f: Callable[[np.ndarray], Any], x: np.ndarray, dout: Any, *,
                name: str, rng: np.random.Generator, context: str = "", tol: float = 1e-6,
                samples: int = 10) -> None:
    """Fail unless the learner's gradient agrees with finite differences of the forward pass `f`.

    The error is max|a - n| / max(1e-8, max(|a| + |n|)): scaled by the gradient's overall size, so a
    sampled coordinate whose gradient is nearly zero does not turn rounding noise into a failure.
    """
    if type(analytic) is not np.ndarray or analytic.shape != x.shape:
        shape = getattr(analytic, "shape", type(analytic).__name__)
        raise CheckFailed(_where(context) + say("grad_shape", name=name, shape=_fmt_shape(x.shape), got=shape))
    if analytic.dtype.kind != "f" or not np.all(np.isfinite(analytic)):
        raise CheckFailed(_where(context) + say("grad_finite", name=name))
    indices, numeric = numeric_grad(f, x, dout, rng=rng, samples=samples)
    got = np.array([analytic[i] for i in indices])
    err = float(np.max(np.abs(got - numeric)) / max(1e-8, float(np.max(np.abs(got) + np.abs(numeric)))))
    if err > tol:
        k = int(np.argmax(np.abs(got - numeric)))
        raise CheckFailed(_where(context) + say("grad_differs", name=name, index=list(indices[k]),
                                                numeric=f"{numeric[k]:.6g}", got=f"{got[k]:.6g}",
                                                err=f"{err:.2g}", tol=f"{tol:g}"))


def readonly(*arrays: np.ndarray) -> None:
    """Mark the judge's own inputs read-only so a buggy reference cannot change them either."""
    for a in arrays:
        a.setflags(write=False)
