"""Time to first question on screen for `prep quiz`, side by side with a bare yaml+rich baseline.

Run: python benchmarks/quiz_startup.py [--runs 7] [--before DIR]
Each command runs in a pseudo-terminal; the clock stops when the first question's panel appears.
The progress database holds a due drill card and a due kata card, so both are in the queue (the
first question is still the most overdue bank card: neither numpy nor a generator is imported).
`--before DIR` adds rows for another checkout's `src` (e.g. `git archive main`), timed in the same run.
"""

from __future__ import annotations

import argparse
import compileall
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import pexpect
import yaml


def seed_progress(home: Path) -> None:
    """A due drill and a due kata (so both are in the queue), behind a more overdue bank card."""
    from datetime import UTC, datetime, timedelta

    from prep.scheduler import Rating
    from prep.store import Review, Store, new_review_id

    store = Store(home / "progress.sqlite3")
    for card_id, days in (("infer-kv-cache-why", 90), ("drill:linear-params", 60), ("kata:softmax", 50)):
        when = datetime.now(UTC) - timedelta(days=days)
        store.record(Review(new_review_id(), card_id, Rating.GOOD, when))
        store.record(Review(new_review_id(), card_id, Rating.GOOD, when + timedelta(days=1)))
    store.close()


def time_until(argv: list[str], pattern: str, env: dict[str, str]) -> float:
    start = time.perf_counter()
    child = pexpect.spawn(argv[0], argv[1:], env=env, encoding="utf-8", timeout=60, dimensions=(50, 120))
    child.expect(pattern)
    elapsed = time.perf_counter() - start
    child.terminate(force=True)
    return elapsed


def make_pack(folder: Path, n: int) -> None:
    """A generated pack of n entries over 20 files, the shape of real entries."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "topics.yaml").write_text(yaml.safe_dump({"topics": [{"slug": "bench", "en": "Bench", "zh": "基准"}]}))
    per_file = n // 20
    for f in range(20):
        entries = []
        for i in range(per_file):
            k = f * per_file + i
            entries.append({
                "id": f"bench-{k}", "topic": "bench", "difficulty": 1 + k % 3, "tags": ["bench", f"t{k % 7}"],
                "question": {"en": f"Generated question number {k} about gradients?",
                             "zh": f"第 {k} 个关于梯度的问题？"},
                "answer": {"en": "An answer of moderate length. " * 6, "zh": "一个中等长度的回答。" * 6},
                "explanation": {"en": "Some explanation with a formula y = Wx + b. " * 10,
                                "zh": "一段带公式 y = Wx + b 的解析。" * 10},
                "key_points": [{"en": f"point {j}", "zh": f"要点 {j}"} for j in range(4)],
                "choices": [{"text": {"en": "yes", "zh": "是"}, "correct": True},
                            {"text": {"en": "no", "zh": "否"}, "correct": False}],
            })
        (folder / f"pack-{f:02d}.yaml").write_text(yaml.safe_dump({"entries": entries}, allow_unicode=True),
                                                   encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--before", type=Path, help="Another checkout whose src/ is timed beside this one.")
    args = parser.parse_args()
    # An installed wheel ships compiled bytecode (pip compiles on install), as yaml and rich have here; an
    # editable checkout under PYTHONDONTWRITEBYTECODE=1 would instead recompile prep's source on every start.
    import prep

    compileall.compile_dir(str(Path(prep.__file__).parent), quiet=1)
    tmp = Path(tempfile.mkdtemp(prefix="prep-bench-"))
    pack = tmp / "pack"
    make_pack(pack, args.entries)
    env = {**os.environ, "PREP_HOME": str(tmp / "home"), "TERM": "xterm", "COLUMNS": "120"}
    env.pop("PREP_BANK_PATH", None)
    seed_progress(tmp / "home")
    py = sys.executable
    baseline = [py, "-c", "import yaml, rich; rich.print('[bold]ready[/bold]')"]
    quiz = [py, "-m", "prep", "quiz", "--lang", "en", "--seed", "1", "--new", "1000"]
    quiz_pack = [*quiz, "--bank", str(pack), "--topic", "bench"]
    # the first run with the pack parses YAML and fills the cache; report it separately
    cold = time_until(quiz_pack, "Generated question", env)
    drill_only = [*quiz, "--mode", "drill"]
    time_until(drill_only, r"1/\d+", env)  # fills the drill list's cache
    rows: dict[str, list[float]] = {"baseline: import yaml, rich; rich.print": [],
                                    "prep quiz (built-in bank, drill + kata due)": [],
                                    f"prep quiz + {args.entries:,}-entry pack (cached)": [],
                                    "prep quiz --mode drill (first card a drill)": []}
    before_env = {}
    if args.before:
        compileall.compile_dir(str(args.before / "src" / "prep"), quiet=1)
        before_env = {**env, "PYTHONPATH": str(args.before / "src"), "PREP_HOME": str(tmp / "home-before")}
        time_until(quiz_pack, "Generated question", before_env)
        rows["before: prep quiz (built-in bank)"] = []
        rows[f"before: prep quiz + {args.entries:,}-entry pack (cached)"] = []
    for _ in range(args.runs):  # interleaved, so load on the machine hits every row alike
        rows["baseline: import yaml, rich; rich.print"].append(time_until(baseline, "ready", env))
        rows["prep quiz (built-in bank, drill + kata due)"].append(time_until(quiz, r"1/\d+", env))
        pack_row = rows[f"prep quiz + {args.entries:,}-entry pack (cached)"]
        pack_row.append(time_until(quiz_pack, "Generated question", env))
        rows["prep quiz --mode drill (first card a drill)"].append(time_until(drill_only, r"1/\d+", env))
        if args.before:
            rows["before: prep quiz (built-in bank)"].append(time_until(quiz, r"1/\d+", before_env))
            rows[f"before: prep quiz + {args.entries:,}-entry pack (cached)"].append(
                time_until(quiz_pack, "Generated question", before_env))
    base = statistics.median(rows["baseline: import yaml, rich; rich.print"])
    print(f"{'command':52} {'median ms':>10} {'min ms':>8} {'x baseline':>10}")
    for name, times in rows.items():
        med = statistics.median(times)
        print(f"{name:52} {med * 1000:10.0f} {min(times) * 1000:8.0f} {med / base:10.2f}")
    print(f"{'prep quiz + pack, first run (parses YAML, fills cache)':52} {cold * 1000:10.0f}")


if __name__ == "__main__":
    main()
