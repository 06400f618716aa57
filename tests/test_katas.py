"""The content check for katas: metadata complete, stub fails, reference passes, wrong variants fail."""

from __future__ import annotations

import importlib.util
from types import ModuleType

import numpy as np
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from prep.bank import builtin_dir, load_bank
from prep.grading.selfcheck import kata_problems
from prep.katas import catalogue

KATAS = catalogue()
TOPICS = {t["slug"] for t in yaml.safe_load((builtin_dir() / "topics.yaml").read_text())["topics"]}


# The catalogue may only grow: raise the floor as katas land (the issues' target is 40+).
KATA_FLOOR = 62


def test_catalogue_does_not_shrink() -> None:
    assert "conv2d" in KATAS
    assert len(KATAS) >= KATA_FLOOR


@pytest.mark.parametrize("slug", sorted(KATAS))
def test_kata_metadata(slug: str) -> None:
    k = KATAS[slug]
    assert k.topic in TOPICS
    assert set(k.title) == {"en", "zh"} and set(k.statement) == {"en", "zh"}
    assert 2 <= len(k.hints) <= 4 and all(set(h) == {"en", "zh"} for h in k.hints)
    assert k.stub.is_file() and k.solution.is_file() and k.check_files
    assert "NotImplementedError" in k.stub.read_text()
    assert len(k.wrong_variants) >= 3
    for variant in k.wrong_variants:
        assert variant.read_text().lstrip().startswith('"""'), f"{variant}: first line must name the mistake"
    stray = {p.name for p in k.folder.iterdir()} - {"kata.yaml", "stub.py", "solution.py", "checks", "wrong",
                                                    "harness.py", "__pycache__"}
    assert not stray, f"stray files in {k.folder}: {stray}"


def test_kata_links_to_bank_exist() -> None:
    ids = load_bank().by_id()
    for k in KATAS.values():
        assert k.bank, f"{k.slug}: no related bank entry (kata.yaml `bank:`)"
        for ref in k.bank:
            assert ref in ids, f"{k.slug}: bank id {ref} does not exist"


@pytest.mark.slow
def test_every_stub_fails_every_reference_passes_every_wrong_variant_fails() -> None:
    problems, verdicts = kata_problems(list(KATAS.values()))
    assert problems == []
    assert len(verdicts) >= 5 * len(KATAS)


# --- references against independent math ---

def _load(slug: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"ref_{slug}", KATAS[slug].solution)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _naive_conv(x: np.ndarray, w: np.ndarray, b: np.ndarray, s: int, p: int) -> np.ndarray:
    n, _, h, wd = x.shape
    f, _, kh, kw = w.shape
    xp = np.pad(x, ((0, 0), (0, 0), (p, p), (p, p)))
    oh, ow = (h + 2 * p - kh) // s + 1, (wd + 2 * p - kw) // s + 1
    out = np.empty((n, f, oh, ow))
    for a in range(n):
        for g in range(f):
            for i in range(oh):
                for j in range(ow):
                    out[a, g, i, j] = np.sum(xp[a, :, i * s:i * s + kh, j * s:j * s + kw] * w[g]) + b[g]
    return out


@settings(max_examples=30, deadline=None)
@given(n=st.integers(1, 2), c=st.integers(1, 3), f=st.integers(1, 3), kh=st.integers(1, 4), kw=st.integers(1, 4),
       extra_h=st.integers(0, 5), extra_w=st.integers(0, 5), s=st.integers(1, 3), p=st.integers(0, 2),
       seed=st.integers(0, 2**32 - 1))
def test_conv2d_reference_matches_the_definition(n: int, c: int, f: int, kh: int, kw: int, extra_h: int,
                                                 extra_w: int, s: int, p: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((n, c, kh + extra_h, kw + extra_w))
    w = rng.standard_normal((f, c, kh, kw))
    b = rng.standard_normal(f)
    np.testing.assert_allclose(_load("conv2d").conv2d(x, w, b, s, p), _naive_conv(x, w, b, s, p),
                               rtol=1e-10, atol=1e-12)


def test_conv2d_reference_adjoint_identity() -> None:
    """conv2d is linear in x: <dout, A x> = <A^T dout, x>, with A^T built column by column."""
    conv = _load("conv2d").conv2d
    rng = np.random.default_rng(0)
    x = rng.standard_normal((1, 2, 5, 4))
    w = rng.standard_normal((3, 2, 3, 2))
    out = conv(x, w, None, 2, 1)
    dout = rng.standard_normal(out.shape)
    at_dout = np.zeros(x.size)
    for k in range(x.size):
        e = np.zeros(x.size)
        e[k] = 1.0
        at_dout[k] = np.sum(conv(e.reshape(x.shape), w, None, 2, 1) * dout)
    assert np.isclose(np.sum(dout * out), at_dout @ x.ravel(), rtol=1e-12)


def test_expect_grad_accepts_a_right_gradient_and_rejects_a_wrong_one() -> None:
    from prep.grading.checks import CheckFailed, expect_grad

    rng = np.random.default_rng(0)
    x = rng.standard_normal((4, 3))
    dout = rng.standard_normal((4, 3))
    expect_grad(np.cos(x) * dout, np.sin, x, dout, name="dx", rng=rng)
    with pytest.raises(CheckFailed, match="finite differences"):
        expect_grad(np.cos(x) * dout * 1.01, np.sin, x, dout, name="dx", rng=rng)
    with pytest.raises(CheckFailed, match="shape"):
        expect_grad(np.zeros((3, 4)), np.sin, x, dout, name="dx", rng=rng)
