"""The content check for katas: the reference passes, the stub and every known-wrong variant fail.

`python -m prep.grading.selfcheck [SLUG ...]` prints each verdict; exit 1 on any problem.
"""

from __future__ import annotations

import sys

from prep.grading.judge import Verdict, grade_many
from prep.katas import Kata, catalogue


def kata_problems(katas: list[Kata], seed: int | None = None) -> tuple[list[str], list[Verdict]]:
    """Grade every kata's reference, stub and wrong variants; return the problems found."""
    jobs = [(k, p) for k in katas for p in (k.solution, k.stub, *k.wrong_variants)]
    verdicts = grade_many(jobs, seed=seed)
    problems = []
    for kata in katas:
        if len(kata.wrong_variants) < 3:
            problems.append(f"{kata.slug}: only {len(kata.wrong_variants)} wrong variants (need 3)")
        if not kata.check_files and not kata.legacy_check_files:
            problems.append(f"{kata.slug}: no checks/check_*.py")
    for (kata, path), verdict in zip(jobs, verdicts):
        should_pass = path == kata.solution
        if verdict.passed != should_pass:
            why = "; ".join(f"{c.name}: {c.message}" for c in verdict.checks if not c.passed) or verdict.error
            problems.append(f"{kata.slug}/{path.relative_to(kata.folder)}: "
                            f"{'fails' if should_pass else 'passes'} the checks {why[:300]}")
    return problems, verdicts


def main(argv: list[str]) -> int:
    cat = catalogue()
    katas = [cat[s] for s in argv] if argv else list(cat.values())
    problems, verdicts = kata_problems(katas)
    for v in verdicts:
        failed = [c for c in v.checks if not c.passed]
        print(f"{'PASS' if v.passed else 'FAIL'} {v.path} ({v.seconds:.2f}s)")
        for c in failed[:3]:
            print(f"    {c.name}: {c.message[:200]}")
        if v.error:
            print(f"    {v.error}")
    print("\n".join(["", "PROBLEMS:", *problems] if problems else ["", "all good"]))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
