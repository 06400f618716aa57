"""Grading a class: which file is which kata's submission, shards that stay put, merges that refuse
gaps and overlaps, per-check statistics."""

from __future__ import annotations

import random
from collections import Counter
from pathlib import Path

import pytest

from prep.classgrade import (
    NOT_RUN,
    ClassResult,
    Graded,
    Shard,
    check_stats,
    collect,
    merge,
    shard_of,
    submission_name,
)
from prep.errors import DataError, PrepError
from prep.grading.judge import CheckResult, Verdict
from prep.katas import catalogue, find_kata


def _touch(root: Path, *names: str) -> None:
    for name in names:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text("x = 1\n")


def test_every_file_is_graded_or_says_why(tmp_path: Path) -> None:
    _touch(tmp_path, "alice/conv2d.py", "bob/conv2d (1).py", "carl/Conv2d.py", "notes.txt", "dan/softmax.py")
    batch = collect([tmp_path], catalogue())
    assert [(s.kata.slug, s.name) for s in batch.submissions] == [("conv2d", "alice__conv2d"),
                                                                  ("softmax", "dan__softmax")]
    reasons = {Path(n.path).name: n.reason for n in batch.not_graded}
    assert set(reasons) == {"conv2d (1).py", "Conv2d.py"}
    assert all("cannot tell the kata" in r and "conv2d.py?" in r for r in reasons.values())
    with_kata = collect([tmp_path], catalogue(), find_kata("conv2d"))
    assert len(with_kata.submissions) == 4 and not with_kata.not_graded


def test_usage_errors_come_before_anything(tmp_path: Path) -> None:
    _touch(tmp_path, "alice.py")
    with pytest.raises(DataError, match="no such file"):
        collect([tmp_path / "alice.py", tmp_path / "missing"], catalogue())
    with pytest.raises(DataError, match="cannot tell the kata"):
        collect([tmp_path / "alice.py"], catalogue())


def test_a_file_given_twice_is_graded_once(tmp_path: Path) -> None:
    _touch(tmp_path, "conv2d.py")
    batch = collect([tmp_path, tmp_path / "conv2d.py"], catalogue())
    assert len(batch.submissions) == 1


def test_names_flatten_paths() -> None:
    assert submission_name("alice/week 1/conv2d.py") == "alice__week 1__conv2d"


def test_shards_partition_stay_put_and_balance() -> None:
    paths = [f"student{i}/conv2d.py" for i in range(3000)]
    shards = {p: shard_of(p, 4) for p in paths}
    assert Counter(shards.values()).keys() == {1, 2, 3, 4}
    assert min(Counter(shards.values()).values()) > 650  # balanced: 750 expected each
    shuffled = paths + [f"late{i}/conv2d.py" for i in range(100)]
    random.Random(0).shuffle(shuffled)
    assert all(shard_of(p, 4) == shards[p] for p in paths)


def test_sharded_collect_is_a_partition(tmp_path: Path) -> None:
    _touch(tmp_path, *[f"s{i}/conv2d.py" for i in range(30)], "odd/Conv2d.py")
    whole = collect([tmp_path], catalogue())
    parts = [collect([tmp_path], catalogue(), shard=Shard(k, 3)) for k in (1, 2, 3)]
    names = sorted(s.name for p in parts for s in p.submissions)
    assert names == sorted(s.name for s in whole.submissions)
    assert sum(len(p.not_graded) for p in parts) == 1
    with pytest.raises(PrepError):
        Shard.parse("4/3")
    assert Shard.parse("2/3") == Shard(2, 3)


def _verdict(path: str, *checks: tuple[str, bool, str]) -> Verdict:
    results = tuple(CheckResult(n, ok, "" if ok else "wrong", mistake) for n, ok, mistake in checks)
    return Verdict(path, "conv2d", all(c.passed for c in results), results, 0.1, "namespaces")


def _shard(k: int, n: int, *paths: str) -> ClassResult:
    return ClassResult(tuple(Graded(_verdict(p, ("a", True, "")), p) for p in paths), (), "namespaces", Shard(k, n))


def test_merge_refuses_gaps_overlaps_and_unsharded_reports() -> None:
    merged = merge([("2.json", _shard(2, 2, "b.py")), ("1.json", _shard(1, 2, "c.py", "a.py"))], False)
    assert [v.path for v in merged.verdicts] == ["a.py", "b.py", "c.py"] and merged.shard is None
    with pytest.raises(DataError, match="missing shard"):
        merge([("1.json", _shard(1, 3, "a.py"))], False)
    with pytest.raises(DataError, match="given twice"):
        merge([("1.json", _shard(1, 2, "a.py")), ("1b.json", _shard(1, 2, "b.py"))], False)
    with pytest.raises(DataError, match="two shard reports"):
        merge([("1.json", _shard(1, 2, "a.py")), ("2.json", _shard(2, 2, "a.py"))], False)
    with pytest.raises(DataError, match="differently"):
        merge([("1.json", _shard(1, 2, "a.py")), ("2.json", _shard(2, 3, "b.py"))], False)
    unsharded = ClassResult((), (), "namespaces")
    with pytest.raises(DataError, match="made without --shard"):
        merge([("all.json", unsharded)], False)


def test_statistics_count_failures_and_the_common_mistake() -> None:
    verdicts = [
        _verdict("a.py", ("float32 stays float32", False, "float64 upcast"), ("shapes", True, "")),
        _verdict("b.py", ("float32 stays float32", False, "float64 upcast"), ("shapes", False, "")),
        _verdict("c.py", ("float32 stays float32", False, "dtype dropped"), ("shapes", True, "")),
        Verdict("d.py", "conv2d", False, (), 0.1, "namespaces", error="does not parse"),
    ]
    stats = {s.check: s for s in check_stats(verdicts)}
    assert (stats["float32 stays float32"].failed, stats["float32 stays float32"].ran) == (3, 3)
    assert (stats["float32 stays float32"].mistake, stats["float32 stays float32"].mistake_count) == (
        "float64 upcast", 2)
    assert (stats["shapes"].failed, stats["shapes"].mistake) == (1, "")
    assert (stats[NOT_RUN].failed, stats[NOT_RUN].ran) == (1, 1)


def test_the_class_is_hidden_with_one_folder_per_argument(tmp_path: Path) -> None:
    from prep.classgrade import class_folders

    _touch(tmp_path, "subs/a/conv2d.py", "subs/b/conv2d.py", "one/relu.py")
    files = [tmp_path / "subs/a/conv2d.py", tmp_path / "subs/b/conv2d.py", tmp_path / "one/relu.py"]
    given = [tmp_path / "subs", tmp_path / "one/relu.py"]
    assert class_folders(given, files, Path("/usr/bin")) == [tmp_path / "one", tmp_path / "subs"]
    inside = class_folders(given, files, tmp_path / "subs" / "venv")
    assert inside == [tmp_path / "one", tmp_path / "subs/a", tmp_path / "subs/b"]
