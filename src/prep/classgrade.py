"""Grading a class: which files are submissions of which kata, shards of a class, merging shard
reports, and the per-check statistics an instructor reads first."""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from prep.errors import DataError, PrepError
from prep.grading.judge import Verdict
from prep.katas import Kata

NOT_RUN = "(could not be run)"  # the statistics row for submissions nothing could be checked on


@dataclass(frozen=True)
class Submission:
    kata: Kata
    path: Path
    name: str  # the `{name}` of report patterns: relative path, "/" -> "__", ".py" dropped


@dataclass(frozen=True)
class NotGraded:
    path: str
    reason: str


@dataclass(frozen=True)
class Shard:
    """Shard `index` of `count` (1-based, as CI matrices and `--shard K/N` count)."""

    index: int
    count: int

    @classmethod
    def parse(cls, text: str) -> Shard:
        match = re.fullmatch(r"\s*(\d+)\s*/\s*(\d+)\s*", text)
        if not match or not 1 <= int(match[1]) <= int(match[2]):
            raise PrepError(f"--shard {text}: expected K/N with 1 <= K <= N, e.g. 2/4")
        return cls(int(match[1]), int(match[2]))

    def __str__(self) -> str:
        return f"{self.index}/{self.count}"


@dataclass(frozen=True)
class Batch:
    submissions: tuple[Submission, ...]
    not_graded: tuple[NotGraded, ...]


def submission_name(relative: str) -> str:
    """`alice/conv2d.py` -> `alice__conv2d`: one flat, unique file name per submission."""
    return relative.removesuffix(".py").replace("/", "__")


def shard_of(relative: str, count: int) -> int:
    """The shard (1..count) a file belongs to, from its path alone: stable when files are added,
    removed or listed in another order, and balanced because the hash is uniform."""
    digest = hashlib.sha256(relative.encode("utf-8", "surrogateescape")).digest()
    return int.from_bytes(digest[:8], "big") % count + 1


def _normal(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


def unknown_reason(stem: str, katas: Mapping[str, Kata]) -> str:
    close = [slug for slug in katas if _normal(slug) and _normal(stem).startswith(_normal(slug))]
    hint = f" (did you mean {max(close, key=len)}.py?)" if close else ""
    return f"cannot tell the kata from the name{hint}; name it <slug>.py or pass --kata"


def _files(arg: Path) -> tuple[Path, list[Path]]:
    if arg.is_dir():
        try:
            found = [f for f in arg.rglob("*.py") if f.is_file()]
        except OSError as exc:
            raise DataError(f"{arg}: cannot list the folder: {exc.strerror} ({exc.filename})") from None
        return arg, sorted(found, key=lambda f: f.relative_to(arg).parts)
    if arg.is_file():
        return arg.parent, [arg]
    raise DataError(f"{arg}: no such file or folder")


def collect(paths: Sequence[Path], katas: Mapping[str, Kata], kata: Kata | None = None,
            shard: Shard | None = None) -> Batch:
    """Every .py file under the given folders (and every file given) as a submission or as not graded
    with the reason. A file named on the command line that cannot be graded is a usage error."""
    submissions: list[Submission] = []
    not_graded: list[NotGraded] = []
    seen: set[Path] = set()
    listed = [(arg, *_files(arg)) for arg in paths]  # every argument is checked before anything else
    for arg, base, files in listed:
        for f in files:
            found = kata or katas.get(f.stem)
            if found is None and f == arg:
                raise DataError(f"{f}: {unknown_reason(f.stem, katas)}")
            relative = f.relative_to(base).as_posix()
            if (shard is not None and shard_of(relative, shard.count) != shard.index) or f.resolve() in seen:
                continue
            seen.add(f.resolve())
            if found is None:
                not_graded.append(NotGraded(str(f), unknown_reason(f.stem, katas)))
            else:
                submissions.append(Submission(found, f, submission_name(relative)))
    return Batch(tuple(submissions), tuple(not_graded))


def class_folders(paths: Sequence[Path], files: Iterable[Path], interpreter: Path) -> list[Path]:
    """The folders the sandbox must hide from every submission: each folder given (one mount for a
    whole class), or a file's own folder where the given folder also holds the interpreter."""
    roots = {p if p.is_dir() else p.parent for p in paths}
    folders: set[Path] = set()
    for root in roots:
        if interpreter.resolve().is_relative_to(root.resolve()):
            folders |= {f.parent for f in files if f.is_relative_to(root)}
        else:
            folders.add(root)
    return sorted(folders)


# --- results of a class -----------------------------------------------------------------------------

@dataclass(frozen=True)
class Graded:
    verdict: Verdict
    name: str


@dataclass(frozen=True)
class CheckStat:
    """How a class did on one check: `failed` of `ran` submissions, and the mistake most often named."""

    kata: str
    check: str
    failed: int
    ran: int
    mistake: str = ""
    mistake_count: int = 0


@dataclass(frozen=True)
class ClassResult:
    graded: tuple[Graded, ...]
    not_graded: tuple[NotGraded, ...]
    isolation: str
    shard: Shard | None = None
    skip_unknown: bool = False

    @property
    def verdicts(self) -> tuple[Verdict, ...]:
        return tuple(g.verdict for g in self.graded)

    @property
    def passed(self) -> int:
        return sum(1 for g in self.graded if g.verdict.passed)

    @property
    def failed(self) -> int:
        return len(self.graded) - self.passed

    @property
    def all_passed(self) -> bool:
        """The CI contract: every submission graded and passed (not graded counts unless skipped)."""
        return self.failed == 0 and (self.skip_unknown or not self.not_graded)

    def summary(self) -> str:
        return (f"graded {len(self.graded)} · passed {self.passed} · failed {self.failed} · "
                f"not graded {len(self.not_graded)}" + (" (skipped)" if self.skip_unknown and self.not_graded else ""))


def check_stats(verdicts: Iterable[Verdict]) -> tuple[CheckStat, ...]:
    """Per kata and check: how many submissions failed it and the most common named mistake.
    Submissions that could not be run at all are one row of their own, not a failure of every check."""
    failed: Counter[tuple[str, str]] = Counter()
    ran: Counter[tuple[str, str]] = Counter()
    mistakes: dict[tuple[str, str], Counter[str]] = {}
    order: dict[tuple[str, str], int] = {}
    for v in verdicts:
        rows = [(NOT_RUN, False, "")] if v.error else [(c.name, c.passed, c.mistake) for c in v.checks]
        for name, ok, mistake in rows:
            key = (v.kata, name)
            order.setdefault(key, len(order))
            ran[key] += 1
            if not ok:
                failed[key] += 1
                if mistake:
                    mistakes.setdefault(key, Counter())[mistake] += 1
    stats = []
    for key in sorted(order, key=lambda k: (k[0], -failed[k], order[k])):
        top = mistakes[key].most_common(1)[0] if key in mistakes else ("", 0)
        stats.append(CheckStat(key[0], key[1], failed[key], ran[key], top[0], top[1]))
    return tuple(stats)


def _order(graded: Graded) -> tuple[str, ...]:
    return PurePosixPath(graded.verdict.path).parts


def merge(reports: Sequence[tuple[str, ClassResult]], skip_unknown: bool) -> ClassResult:
    """One class result from shard reports (source name, result); refuses a report made without
    --shard, shards of different splits, a shard given twice, a missing shard and a file in two shards."""
    if not reports:
        raise PrepError("--merge: no shard reports given")
    counts = set()
    by_index: dict[int, str] = {}
    for source, result in reports:
        if result.shard is None:
            raise DataError(f"{source}: not a shard report (made without --shard)")
        counts.add(result.shard.count)
        if result.shard.index in by_index:
            raise DataError(f"shard {result.shard} given twice: {by_index[result.shard.index]} and {source}")
        by_index[result.shard.index] = source
    if len(counts) > 1:
        raise DataError(f"--merge: the reports split the class differently (N = {', '.join(map(str, sorted(counts)))})")
    count = counts.pop()
    missing = [str(i) for i in range(1, count + 1) if i not in by_index]
    if missing:
        raise DataError(f"--merge: missing shard(s) {', '.join(missing)} of {count}")
    owner: dict[str, str] = {}
    for source, result in reports:
        for path in [g.verdict.path for g in result.graded] + [n.path for n in result.not_graded]:
            if path in owner:
                raise DataError(f"{path} is in two shard reports: {owner[path]} and {source}")
            owner[path] = source
    graded = sorted((g for _, r in reports for g in r.graded), key=_order)
    not_graded = sorted((n for _, r in reports for n in r.not_graded), key=lambda n: PurePosixPath(n.path).parts)
    isolation = ", ".join(sorted({r.isolation for _, r in reports}))
    return ClassResult(tuple(graded), tuple(not_graded), isolation, None, skip_unknown)

