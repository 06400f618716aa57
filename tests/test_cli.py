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

import pytest
import xmlschema

from .conftest import DATA, ROOT, interrupt

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
    interrupt(child)


# --- grading a class: the CI contract --------------------------------------------------------------

RELU = ROOT / "katas" / "relu"


def _class(root: Path) -> Path:
    subs = root / "subs"
    for name, source in (("alice/relu.py", RELU / "solution.py"), ("bob/relu (1).py", RELU / "solution.py")):
        (subs / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, subs / name)
    return subs


def test_grade_reports_every_file_not_graded(run_prep, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    subs = _class(tmp_path)
    code, out, _ = run_prep("grade", str(subs), "--json", "out/r.json")
    assert code == 1 and "not graded:" in out and "relu (1).py" in out and "cannot tell the kata" in out
    assert "graded 1 · passed 1 · failed 0 · not graded 1" in out
    report = json.loads((tmp_path / "out" / "r.json").read_text())
    assert report["summary"]["not_graded"] == 1 and report["not_graded"][0]["path"].endswith("relu (1).py")
    code, out, _ = run_prep("grade", str(subs), "--skip-unknown")
    assert code == 0 and "not graded 1 (skipped)" in out
    code, out, _ = run_prep("grade", str(subs), "--kata", "relu")
    assert code == 0 and "graded 2 · passed 2" in out


@pytest.fixture
def prep_inline(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path):  # type: ignore[no-untyped-def]
    """The CLI in this process, for commands that stop before grading: (exit code, stdout, stderr)."""
    import sys

    from prep.cli import main

    monkeypatch.chdir(tmp_path)

    def run(*args: str) -> tuple[int, str, str]:
        monkeypatch.setattr(sys, "argv", ["prep", *args])
        try:
            main()
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return run


def test_grade_refuses_bad_output_paths_before_grading(prep_inline, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    subs = _class(tmp_path)
    (tmp_path / "taken").mkdir()
    (tmp_path / "file").write_text("")
    for args in (("--json", "taken"), ("--junit", "file/r.xml"), ("--gradescope", "gs.json", "--kata", "relu"),
                 ("--weight", "x=1"), ("--shard", "3/2"), ("--merge", "--kata", "relu")):
        code, out, err = prep_inline("grade", str(subs), *args)
        assert code == 2, args
        assert len(err.strip().splitlines()) == 1 and err.startswith("error: ") and "Traceback" not in err
        assert "passed" not in out  # nothing was graded


def test_output_folders_are_created(run_prep, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    code, _, _ = run_prep("grade", str(_class(tmp_path)), "--skip-unknown", "--junit", "deep/er/r.xml")
    assert code == 0 and (tmp_path / "deep" / "er" / "r.xml").is_file()


def test_missing_paths_are_usage_errors_everywhere(prep_inline, monkeypatch, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "folder").mkdir()
    (tmp_path / "taken.txt").write_text("")
    for args in (("quiz", "--bank", "/no/such/dir"), ("stats", "--bank", "missing"), ("bank", "validate", "nothere/"),
                 ("bank", "export", "--bank", "missing"), ("bank", "stats", "--bank", "missing"),
                 ("bank", "lint", "--bank", "missing"), ("doctor", "--backup", "folder"),
                 ("grade", "missing/"), ("grade", "--merge", "missing.json"),
                 ("kata", "relu", "--check", "--file", "x.py"), ("kata", "relu", "--check", "--file", "folder"),
                 ("kata", "relu", "--workspace", "taken.txt")):
        code, out, err = prep_inline(*args)
        assert code == 2, args
        assert "Traceback" not in out + err and err.startswith("error: "), args
    monkeypatch.setenv("PREP_BANK_PATH", "/no/such/pack")
    code, _, err = prep_inline("stats")
    assert code == 2 and "PREP_BANK_PATH" in err


def test_debug_shows_the_traceback(run_prep) -> None:  # type: ignore[no-untyped-def]
    code, _, err = run_prep("--debug", "grade", "missing/")
    assert code != 0 and "Traceback" in err


def test_markup_and_escapes_from_a_submission_or_path_are_shown_as_text(run_prep, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "[/]sub[bold red]" / "\x1b[31mx"
    folder.mkdir(parents=True)
    shutil.copyfile(DATA / "submissions" / "prints_markup_and_escapes.py", folder / "relu.py")
    summary = tmp_path / "summary.md"
    code, out, err = run_prep("grade", str(tmp_path), "--junit", "r.xml",
                              env={"GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": str(summary)})
    assert code == 1 and "Traceback" not in out + err
    assert "\x1b" not in out + err + summary.read_text() and "\x07" not in out
    assert "[/]sub[bold red]" in out and "closing nothing" in out
    code, out, err = run_prep("kata", "relu", "--check", "--file", str(folder / "relu.py"))
    assert code == 1 and "Traceback" not in out + err and "\x1b" not in out + err
    assert "[/] closing nothing" in out


HOSTILE_TOPICS = 'topics:\n  - {slug: team-onboarding, en: "[/]Team \\e]0;pwned\\a [bold red]onboarding"}\n'
HOSTILE_ENTRY = """entries:
  - id: team-gpu-quota
    topic: team-onboarding
    difficulty: 1
    tags: [infra]
    question: {en: "How many GPUs [/] per job? \\e[2J"}
    answer: {en: "Eight [bold red]GPUs"}
    explanation: {en: "One node."}
    key_points:
      - {en: "eight [/]"}
    choices:
      - {text: {en: "Eight [/] \\e[32m"}, correct: true}
      - {text: {en: Sixty-four}, correct: false}
"""


def test_markup_and_escapes_from_a_pack_are_shown_as_text(run_prep, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    pack = tmp_path / "pack"
    pack.mkdir()
    (pack / "topics.yaml").write_text(HOSTILE_TOPICS)
    (pack / "team.yaml").write_text(HOSTILE_ENTRY)
    for args in (("bank", "export"), ("bank", "stats"), ("stats",)):
        code, out, err = run_prep(*args, "--bank", str(pack))
        assert code == 0 and "Traceback" not in out + err and "\x1b" not in out, args
    code, out, _ = run_prep("bank", "export", "--bank", str(pack))
    assert "How many GPUs [/] per job?" in out
    (pack / "team.yaml").write_text(HOSTILE_ENTRY.replace("difficulty: 1", "difficulty: '[/]\\e[31m'"))
    code, out, err = run_prep("bank", "validate", str(pack))
    assert code == 1 and "Traceback" not in out + err and "\x1b" not in err and "difficulty" in err


def _outcomes(report: dict) -> dict:  # type: ignore[type-arg]
    results = {r["path"]: (r["passed"], [(c["name"], c["passed"]) for c in r["checks"]]) for r in report["results"]}
    return {"results": results, "not_graded": sorted(n["path"] for n in report["not_graded"])}


@pytest.mark.slow
def test_three_shards_merged_equal_one_run(run_prep, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    subs = tmp_path / "subs"
    softmax = ROOT / "katas" / "softmax"
    sources = [RELU / "solution.py", *sorted((RELU / "wrong").glob("*.py"))[:2],
               softmax / "solution.py", *sorted((softmax / "wrong").glob("*.py"))[:2]]
    for i, source in enumerate(sources):
        slug = source.parent.name if source.name == "solution.py" else source.parent.parent.name
        (subs / f"student{i}").mkdir(parents=True)
        shutil.copyfile(source, subs / f"student{i}" / f"{slug}.py")
    (subs / "student9").mkdir()
    shutil.copyfile(RELU / "solution.py", subs / "student9" / "ReLU.py")
    code, _, _ = run_prep("grade", "subs", "--seed", "11", "--json", "one.json")
    assert code == 1
    for k in (1, 2, 3):
        run_prep("grade", "subs", "--seed", "11", "--shard", f"{k}/3", "--json", f"shards/shard-{k}.json")
    shards = [json.loads((tmp_path / "shards" / f"shard-{k}.json").read_text()) for k in (1, 2, 3)]
    paths = [r["path"] for s in shards for r in s["results"]]
    assert len(paths) == len(set(paths)) == len(sources)  # nothing graded twice
    code, _, err = run_prep("grade", "--merge", *(f"shards/shard-{k}.json" for k in (3, 1, 2)), "--json", "all.json",
                              "--junit", "all.xml", "--exercism", "ex/{name}.json")
    assert code == 1 and "Traceback" not in err
    one, merged = (json.loads((tmp_path / name).read_text()) for name in ("one.json", "all.json"))
    assert _outcomes(merged) == _outcomes(one)
    assert merged["statistics"] == one["statistics"] and merged["summary"] == one["summary"]
    xmlschema.XMLSchema(DATA / "schemas" / "junit-10.xsd").validate(str(tmp_path / "all.xml"))
    assert len(list((tmp_path / "ex").glob("*.json"))) == len(sources)
    code, _, err = run_prep("grade", "--merge", "shards/shard-1.json", "shards/shard-2.json")
    assert code == 2 and "missing shard(s) 3 of 3" in err


def test_gradescope_run_autograder_command_line(run_prep, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import jsonschema

    shutil.copyfile(RELU / "wrong" / "float32_upcast.py", tmp_path / "relu.py")
    code, _, err = run_prep("grade", "relu.py", "--kata", "relu", "--gradescope", "results/results.json",
                            "--isolation", "weak")
    assert code == 1 and not err
    results = json.loads((tmp_path / "results" / "results.json").read_text())
    jsonschema.validate(results, json.loads((DATA / "schemas" / "gradescope-results.schema.json").read_text()))
    assert 0 < results["score"] < sum(t["max_score"] for t in results["tests"])
    script = (ROOT / "docs" / "gradescope" / "run_autograder").read_text()
    assert "--gradescope" in script and "--isolation" in script


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
    assert code == 2 and len(err.strip().splitlines()) == 1 and "--backup" in err and "folder" in err
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
    # "Transformer" is the name Chinese uses too (bank/topics.yaml)
    assert code == 0 and not re.search(r"[A-Za-z]{3,}", re.sub(r"prep \w+|[a-z-]+/|\(.*?\)|Transformer", "", out)), out


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


def test_export_anki_writes_a_deck_and_refuses_a_wrong_suffix(run_prep, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = run_prep("export", "anki", str(tmp_path / "decks" / "prep.apkg"), "--drill-samples", "1")
    assert code == 0 and "notes" in out and (tmp_path / "decks" / "prep.apkg").stat().st_size > 10_000
    code, _, err = run_prep("export", "anki", str(tmp_path / "prep.txt"))
    assert code == 2 and ".apkg" in err
