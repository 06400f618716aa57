"""Grading a class: 1,000 submissions (copies of real right and wrong files over 3 katas) on 2 workers.

Run: python benchmarks/grade_class.py [--submissions 1000] [--shards 4] [--jobs 2]
Prints submissions per minute of one unsharded run, the judge's peak memory (its own maximum resident
set, from getrusage, workers not included), and what N shards + a merge cost against the one run:
run one after another on this machine (the total work), and as a CI matrix would see it (the
slowest shard plus the merge).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KATAS = ("conv2d", "softmax", "relu")

# The judge runs here, in a child process that reports its own peak memory when it ends.
JUDGE = """
import os, resource, sys
from prep.cli import main
sys.argv = ["prep", *sys.argv[2:]]
try:
    main()
finally:
    with open(os.environ["PREP_BENCH_RSS"], "w") as fh:
        fh.write(str(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss))
"""


def make_class(root: Path, count: int) -> dict[str, int]:
    """`count` students, each with one file: half the katas' references, half their wrong variants in turn."""
    right = [(slug, ROOT / "katas" / slug / "solution.py") for slug in KATAS]
    wrong = [(slug, f) for slug in KATAS for f in sorted((ROOT / "katas" / slug / "wrong").glob("*.py"))]
    kinds = {"right": 0, "wrong": 0}
    for i in range(count):
        slug, source = right[i // 2 % len(right)] if i % 2 == 0 else wrong[i // 2 % len(wrong)]
        folder = root / f"student{i:04d}"
        folder.mkdir(parents=True)
        shutil.copyfile(source, folder / f"{slug}.py")
        kinds["right" if source.name == "solution.py" else "wrong"] += 1
    return kinds


@dataclass(frozen=True)
class Run:
    seconds: float
    cpu: float  # user + system seconds of the judge and every worker: the work, whatever the machine's load
    rss_mib: int  # the judge's own peak resident set


def run_judge(args: list[str], cwd: Path) -> Run:
    """One `prep ...` run, measured."""
    rss_file = cwd / ".rss"
    rss_file.unlink(missing_ok=True)
    env = {**os.environ, "PREP_BENCH_RSS": str(rss_file), "COLUMNS": "200"}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", JUDGE, "prep", *args], cwd=cwd, env=env,
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, check=False)
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode not in (0, 1) or "Traceback" in proc.stderr:
        sys.exit(f"prep {' '.join(args)} failed ({proc.returncode}): {proc.stderr.strip()}")
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return Run(seconds, cpu, int(rss_file.read_text()) // 1024)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--submissions", type=int, default=1000)
    parser.add_argument("--shards", type=int, default=4)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="prep-bench-class-") as tmp:
        work = Path(tmp)
        kinds = make_class(work / "subs", args.submissions)
        print(f"{args.submissions} submissions over {', '.join(KATAS)}: {kinds['right']} right, "
              f"{kinds['wrong']} wrong; {args.jobs} workers, {os.cpu_count()} cores")
        common = ["--seed", "1", "--jobs", str(args.jobs)]
        one = run_judge(["grade", "subs", "--json", "one.json", *common], work)
        print(f"one run: {one.seconds:.1f} s, {args.submissions / one.seconds * 60:.0f} submissions/minute, "
              f"{one.cpu:.1f} CPU s, judge peak memory {one.rss_mib} MiB")
        shards = []
        for k in range(1, args.shards + 1):
            run = run_judge(["grade", "subs", "--shard", f"{k}/{args.shards}", "--json", f"shard-{k}.json", *common],
                            work)
            shards.append(run)
            graded = len(json.loads((work / f"shard-{k}.json").read_text())["results"])
            print(f"  shard {k}/{args.shards}: {graded} submissions, {run.seconds:.1f} s, {run.cpu:.1f} CPU s, "
                  f"judge {run.rss_mib} MiB")
        shard_files = [f"shard-{k}.json" for k in range(1, args.shards + 1)]
        merge = run_judge(["grade", "--merge", *shard_files, "--json", "all.json", "--junit", "all.xml"], work)
        one_report = json.loads((work / "one.json").read_text())
        merged = json.loads((work / "all.json").read_text())
        one_passed = {r["path"]: r["passed"] for r in one_report["results"]}
        differ = [r for r in merged["results"] if one_passed.get(r["path"]) != r["passed"]]
        same = not differ and len(one_passed) == len(merged["results"])
        for r in differ[:5]:  # a verdict that depends on the run: show what made it differ
            one_r = next(x for x in one_report["results"] if x["path"] == r["path"])
            failing = [(c["name"], c["message"][:120]) for x in (one_r, r) for c in x["checks"] if not c["passed"]]
            print(f"  differs: {r['path']}: one run passed={one_r['passed']}, shard passed={r['passed']}: {failing}")
        print(f"merge: {merge.seconds:.2f} s, judge {merge.rss_mib} MiB; merged verdicts equal the one run: {same}")
        wall = sum(r.seconds for r in shards) + merge.seconds
        cpu = sum(r.cpu for r in shards) + merge.cpu
        print(f"{args.shards} shards + merge, one after another: {wall:.1f} s ({wall / one.seconds - 1:+.1%}), "
              f"{cpu:.1f} CPU s ({cpu / one.cpu - 1:+.1%} against one run)")
        print(f"as a matrix of {args.shards} machines: slowest shard + merge = "
              f"{max(r.seconds for r in shards) + merge.seconds:.1f} s")
        print(f"judge peak memory over all runs: {max(r.rss_mib for r in [one, *shards, merge])} MiB; "
              f"load average at the end: {os.getloadavg()[0]:.1f}")

if __name__ == "__main__":
    main()
