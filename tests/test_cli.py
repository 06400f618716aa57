"""The real CLI end to end: exit codes, JSON shapes, one-line errors, the kata workflow."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree as ET

from .conftest import DATA, ROOT

GOOD = str(DATA / "bank" / "good_pack")
CONV = ROOT / "katas" / "conv2d"


def test_validate_broken_pack_is_one_line_per_problem(run_prep) -> None:  # type: ignore[no-untyped-def]
    code, out, err = run_prep("bank", "validate", str(DATA / "bank" / "broken"))
    assert code == 1
    lines = err.strip().splitlines()
    assert len(lines) >= 12 and all(line.startswith("error: ") and ".yaml" in line for line in lines)
    assert "Traceback" not in err + out


def test_quiz_refuses_a_broken_pack(run_prep) -> None:  # type: ignore[no-untyped-def]
    code, out, err = run_prep("quiz", "--bank", str(DATA / "bank" / "broken" / "wrong_type.yaml"))
    assert code != 0 and "difficulty" in err and "Traceback" not in err
    assert "1/" not in out  # no question was shown


def test_export_and_bank_stats_json(run_prep) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = run_prep("bank", "export", "--json", "--bank", GOOD)
    assert code == 0
    entries = {e["id"]: e for e in json.loads(out)["entries"]}
    assert entries["team-gpu-quota"]["choices"][0] == {"text": {"en": "Eight", "zh": "八张"}, "correct": True}
    code, out, _ = run_prep("bank", "stats", "--json", "--bank", GOOD)
    data = json.loads(out)
    assert data["topics"]["team-onboarding"] == {"entries": 1, "en": 1, "zh": 1, "choices": 1}
    assert data["total"] == sum(t["entries"] for t in data["topics"].values())


def test_stats_json_on_a_fresh_home(run_prep) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = run_prep("stats", "--json")
    data = json.loads(out)
    assert code == 0 and data["reviews"] == 0 and data["cards_seen"] == 0 and data["due"] == 0


def test_unknown_topic_and_kata_are_usage_errors(run_prep) -> None:  # type: ignore[no-untyped-def]
    code, _, err = run_prep("quiz", "--topic", "astrology")
    assert code == 2 and "unknown topic 'astrology'" in err
    code, _, err = run_prep("kata", "conv3d")
    assert code == 2 and "unknown kata 'conv3d'" in err and "Traceback" not in err


def test_kata_workflow_never_overwrites_the_learners_file(run_prep, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    ws = tmp_path / "ws"
    code, out, _ = run_prep("kata", "conv2d")
    target = ws / "conv2d.py"
    assert code == 0 and target.is_file() and str(target) in out
    target.write_text("# my work\n" + target.read_text())
    run_prep("kata", "conv2d")
    assert target.read_text().startswith("# my work")
    code, _, err = run_prep("kata", "conv2d", "--solution")
    assert code == 2 and "no attempt" in err
    code, out, _ = run_prep("kata", "conv2d", "--check")
    assert code == 1 and "NotImplementedError" in out
    code, out, _ = run_prep("kata", "conv2d", "--solution")
    assert code == 0 and "def conv2d" in out
    code, out, _ = run_prep("kata", "conv2d", "--hint")
    assert "hint 1/" in out and "hint 2/" not in out
    code, out, _ = run_prep("kata", "conv2d", "--hint")
    assert "hint 2/" in out
    shutil.copyfile(CONV / "solution.py", target)
    code, out, _ = run_prep("kata", "conv2d", "--check")
    assert code == 0 and "all checks pass" in out
    code, out, _ = run_prep("kata", "conv2d", "--reset")
    assert code == 0 and (ws / "conv2d.py.bak-1").read_text() == (CONV / "solution.py").read_text()
    assert "NotImplementedError" in target.read_text()
    code, out, _ = run_prep("kata")
    assert "passed" in out


def test_kata_json_catalogue(run_prep) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = run_prep("kata", "--json")
    katas = json.loads(out)["katas"]
    conv = next(k for k in katas if k["slug"] == "conv2d")
    assert code == 0 and conv["function"] == "conv2d" and conv["topic"] == "cnn" and conv["difficulty"] == 2


def test_grade_batch_reports(run_prep, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    subs = tmp_path / "subs"
    subs.mkdir()
    shutil.copyfile(CONV / "solution.py", subs / "conv2d.py")
    shutil.copyfile(CONV / "wrong" / "ignores_stride.py", tmp_path / "bob.py")
    summary = tmp_path / "summary.md"
    code, out, _ = run_prep("grade", str(subs), "--json", "r.json", "--junit", "r.xml",
                            env={"GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": str(summary)})
    assert code == 0, out
    report = json.loads((tmp_path / "r.json").read_text())
    assert report["results"][0]["passed"] is True and report["results"][0]["kata"] == "conv2d"
    code, out, _ = run_prep("grade", "--kata", "conv2d", str(subs / "conv2d.py"), str(tmp_path / "bob.py"),
                            "--json", "r.json", "--junit", "r.xml",
                            env={"GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": str(summary)})
    assert code == 1
    results = json.loads((tmp_path / "r.json").read_text())["results"]
    assert [r["passed"] for r in results] == [True, False]
    bob = results[1]
    assert {"name", "passed", "message"} <= set(bob["checks"][0])
    assert any("expected output shape" in c["message"] for c in bob["checks"])
    suites = ET.parse(tmp_path / "r.xml").getroot()
    assert suites.tag == "testsuites" and len(suites.findall("testsuite")) == 2
    assert int(suites.get("failures", "0")) >= 1
    assert "::error file=" in out
    assert "1/2 passed" in summary.read_text()


def test_grade_usage_errors(run_prep, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    code, _, err = run_prep("grade", str(tmp_path / "missing.py"))
    assert code == 2 and "no such file" in err
    (tmp_path / "alice.py").write_text("x = 1\n")
    code, _, err = run_prep("grade", str(tmp_path / "alice.py"))
    assert code == 2 and "cannot tell the kata" in err
    code, _, err = run_prep("grade", "--kata", "nope", str(tmp_path / "alice.py"))
    assert code == 2 and "unknown kata" in err


def test_watch_regrades_on_save(tmp_path: Path) -> None:
    import os
    import sys

    import pexpect

    ws = tmp_path / "ws"
    env = {**os.environ, "PREP_WORKSPACE": str(ws), "COLUMNS": "200"}
    child = pexpect.spawn(sys.executable, ["-m", "prep", "kata", "conv2d"], env=env, encoding="utf-8", timeout=60)
    child.expect(pexpect.EOF)
    child = pexpect.spawn(sys.executable, ["-m", "prep", "kata", "conv2d", "--watch"], env=env, encoding="utf-8",
                          timeout=60)
    child.expect("checks pass")  # the first verdict: the stub fails
    child.expect("watching")
    import time

    time.sleep(1.0)  # the watcher starts just after it says so; a save before then is not an event
    shutil.copyfile(CONV / "solution.py", ws / "conv2d.py")
    child.expect("all checks pass")
    child.sendintr()
    child.expect(pexpect.EOF)


def test_bank_tools_paths_require_tags_and_a_broken_pipe(run_prep, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = run_prep("bank", "lint", GOOD)
    assert code == 0  # leaving out Chinese is allowed ...
    code, out, _ = run_prep("bank", "lint", GOOD, "--require", "zh")
    assert code == 1 and "no zh translation [translation]" in out  # ... unless asked for
    code, out, _ = run_prep("bank", "tags", "--bank", GOOD)
    assert code == 0 and "infra\t2" in out.splitlines()
    code, _, err = run_prep("quiz", "--bank", GOOD, "--tag", "no-such-tag")
    assert code == 2 and "unknown tag 'no-such-tag'" in err and "Traceback" not in err
    (tmp_path / "empty").mkdir()
    code, _, err = run_prep("bank", "validate", str(tmp_path / "empty"))
    assert code == 1 and "no bank files" in err
    proc = subprocess.run(f"{sys.executable} -m prep bank export --json | head -1", shell=True, capture_output=True,
                          text=True, check=False, executable="/bin/bash",
                          env={**os.environ, "PYTHONUNBUFFERED": "1"})
    assert proc.stdout == "{\n" and proc.stderr == ""
    pipe = subprocess.run(["bash", "-c", f"set -o pipefail; {sys.executable} -m prep bank export --json | head -1"],
                          capture_output=True, check=False)
    assert pipe.returncode == 0


def test_doctor_backup_to_a_bad_path_is_one_line(run_prep, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    code, _, err = run_prep("doctor", "--backup", str(tmp_path))
    assert code == 2 and len(err.strip().splitlines()) == 1 and "cannot write the backup" in err
    code, out, _ = run_prep("doctor", "--backup", str(tmp_path / "copy.sqlite3"))
    assert code == 0 and "backed up" in out


def test_stats_right_after_failing_every_card_is_not_100(run_prep, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from datetime import UTC, datetime

    from prep.paths import home
    from prep.scheduler import Rating
    from prep.store import Review, Store, new_review_id

    store = Store(home() / "progress.sqlite3")
    for card in ("team-gpu-quota",):
        store.record(Review(new_review_id(), card, Rating.AGAIN, datetime.now(UTC)))
    store.close()
    code, out, _ = run_prep("stats", "--bank", GOOD, "--lang", "en")
    row = next(line for line in out.splitlines() if line.startswith("Team onboarding"))
    assert code == 0 and "100%" not in row and "0%" in row and "day(s)" not in out
    assert "true retention" in out and "predicted recall" in out
    code, out, _ = run_prep("stats", "--bank", GOOD, "--lang", "zh")
    assert code == 0 and not re.search(r"[A-Za-z]{3,}", re.sub(r"prep \w+|[a-z-]+/|\(.*?\)", "", out)), out


def test_doctor_recovers_a_damaged_database_and_is_safe_twice(run_prep, prep_home: Path) -> None:  # type: ignore[no-untyped-def]
    prep_home.mkdir(parents=True, exist_ok=True)
    (prep_home / "progress.sqlite3").write_bytes(b"not sqlite at all " * 1000)
    code, _, err = run_prep("stats")
    assert code == 2 and "damaged; run `prep doctor`" in err and len(err.strip().splitlines()) == 1
    code, out, err = run_prep("doctor")
    assert code == 0 and out.startswith("recovered: ") and "damaged-1" in out, err
    code, out, _ = run_prep("doctor")
    assert code == 0 and out.startswith("ok: ")


def test_read_only_home_still_serves_read_only_commands(run_prep, prep_home: Path) -> None:  # type: ignore[no-untyped-def]
    import pytest

    run_prep("doctor")  # creates the database
    if os.geteuid() != 0:
        prep_home.chmod(0o555)
        prefix: list[str] = []
    elif shutil.which("unshare"):  # root ignores permissions: a read-only bind mount instead
        prefix = ["unshare", "-m", "sh", "-c", f'mount --bind "{prep_home}" "{prep_home}" && '
                  f'mount -o remount,bind,ro "{prep_home}" && exec "$0" "$@"']
    else:
        pytest.skip("cannot make PREP_HOME read-only here")
    env = {**os.environ, "COLUMNS": "200"}
    try:
        for args in (["stats", "--json"], ["kata", "--json"], ["bank", "stats", "--json"]):
            proc = subprocess.run([*prefix, sys.executable, "-m", "prep", *args], capture_output=True, text=True,
                                  env=env, check=False)
            if proc.returncode != 0 and "unshare" in proc.stderr:
                pytest.skip("unshare is not permitted here")
            assert proc.returncode == 0, (args, proc.stderr)
        proc = subprocess.run([*prefix, sys.executable, "-m", "prep", "quiz", "--bank", GOOD], capture_output=True,
                              text=True, env=env, check=False)
        assert proc.returncode == 2 and "Traceback" not in proc.stderr and len(proc.stderr.strip().splitlines()) == 1
    finally:
        prep_home.chmod(0o755)
