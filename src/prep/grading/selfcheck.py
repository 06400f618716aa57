"""The content check for katas: the reference passes, the stub and every known-wrong variant fail.

`python -m prep.grading.selfcheck [--seeds N] [SLUG ...]` grades each kata's reference, stub and wrong
variants under N grading seeds (a wrong variant that passes under any seed is a hole: its verdict must
not depend on the draw) and prints every problem; exit 1 on any.
"""

from __future__ import annotations

import argparse
import os
import sys

from prep.grading.judge import Variant, Verdict, grade_many
from prep.katas import Kata, catalogue


def kata_problems(katas: list[Kata], seed: int | None = None, *, seeds: int = 1,
                  sandbox: bool = False) -> tuple[list[str], list[Verdict]]:
    """Grade every kata's reference, stub and wrong variants; return the problems found.

    The reference must pass under every seed, and the stub and every wrong variant fail under every seed.
    The files are the kata's own (trusted), so by default they run in the judge's process; `sandbox`
    runs each in a worker, as a submission would be."""
    base = seed if seed is not None else int.from_bytes(os.urandom(4), "little")
    problems = []
    for kata in katas:
        if len(kata.wrong_variants) < 3:
            problems.append(f"{kata.slug}: only {len(kata.wrong_variants)} wrong variants (need 3)")
        if not kata.check_files:
            problems.append(f"{kata.slug}: no checks/test_*.py")
    files = [(k, p) for k in katas for p in (k.solution, k.stub, *k.wrong_variants)]
    all_verdicts: list[Verdict] = []
    for round_ in range(seeds):
        verdicts = grade_many(files, seed=base + round_, trusted=not sandbox)
        all_verdicts += verdicts
        for (kata, path), verdict in zip(files, verdicts):
            should_pass = path == kata.solution
            where = f"{kata.slug}/{path.relative_to(kata.folder)} (seed {base + round_})"
            if verdict.passed != should_pass:
                why = "; ".join(f"{c.name}: {c.message}" for c in verdict.checks if not c.passed) or verdict.error
                problems.append(f"{where}: {'fails' if should_pass else 'passes'} the checks {why[:300]}")
            if should_pass or verdict.passed or path == kata.stub:
                continue
            named = {c.mistake for c in verdict.checks if c.mistake}
            own = Variant.load(path).mistake["en"]
            if own not in named:
                problems.append(f"{where}: no failed check names its own mistake ({own!r}); named: "
                                f"{sorted(named) or 'nothing'}")
    return problems, all_verdicts


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m prep.grading.selfcheck")
    parser.add_argument("slugs", nargs="*")
    parser.add_argument("--seeds", type=int, default=1, help="grade every file under this many seeds")
    parser.add_argument("--seed", type=int, default=None, help="the first seed (default: fresh)")
    parser.add_argument("-v", "--verbose", action="store_true", help="print every verdict")
    parser.add_argument("--sandbox", action="store_true", help="run every file in a sandboxed worker (slower)")
    args = parser.parse_args(argv)
    cat = catalogue()
    unknown = [s for s in args.slugs if s not in cat]
    if unknown:
        print(f"unknown kata: {', '.join(unknown)}", file=sys.stderr)
        return 2
    katas = [cat[s] for s in args.slugs] if args.slugs else list(cat.values())
    problems, verdicts = kata_problems(katas, args.seed, seeds=args.seeds, sandbox=args.sandbox)
    for v in verdicts if args.verbose else []:
        print(f"{'PASS' if v.passed else 'FAIL'} {v.path} (seed {v.seed}, {v.seconds:.2f}s)")
        for c in [c for c in v.checks if not c.passed][:3]:
            print(f"    {c.name}: {c.message[:200]}" + (f"  [mistake: {c.mistake}]" if c.mistake else ""))
        if v.error:
            print(f"    {v.error}")
    print("\n".join(["PROBLEMS:", *problems] if problems else [f"all good ({len(verdicts)} gradings)"]))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
