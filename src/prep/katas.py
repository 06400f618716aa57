"""The kata model and catalogue: each kata is a folder `katas/<slug>/` described by its kata.yaml."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from prep.errors import DataError
from prep.paths import data_root

SLUG = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")


@dataclass(frozen=True)
class Kata:
    slug: str
    title: dict[str, str]
    topic: str
    difficulty: int
    function: str
    signature: str
    statement: dict[str, str]
    hints: tuple[dict[str, str], ...]
    bank: tuple[str, ...]
    folder: Path
    weights: tuple[tuple[str, float], ...] = ()  # points per check name in reports that score (Gradescope)
    vectorized: bool = False  # the statement forbids Python loops: a far slower solution is told to look for them

    @property
    def stub(self) -> Path:
        return self.folder / "stub.py"

    @property
    def solution(self) -> Path:
        return self.folder / "solution.py"

    @property
    def harness(self) -> Path | None:
        path = self.folder / "harness.py"
        return path if path.is_file() else None

    @property
    def checks_dir(self) -> Path:
        return self.folder / "checks"

    @property
    def check_files(self) -> list[Path]:
        """The kata's pytest modules (`checks/test_*.py`)."""
        return sorted(self.checks_dir.glob("test_*.py"))

    @property
    def wrong_variants(self) -> list[Path]:
        return sorted((self.folder / "wrong").glob("*.py"))


def _text(raw: Any, where: str, field: str) -> dict[str, str]:
    if isinstance(raw, str):
        return {"en": raw}
    if not isinstance(raw, dict) or not all(isinstance(v, str) and v.strip() for v in raw.values()) or not raw:
        raise DataError(f"{where}: '{field}' must be a mapping of language to non-empty text")
    return {str(k): v for k, v in raw.items()}


def _weights(raw: Any, where: str) -> tuple[tuple[str, float], ...]:
    if raw is None:
        return ()
    if not isinstance(raw, dict) or not all(
            isinstance(w, int | float) and not isinstance(w, bool) and w >= 0 for w in raw.values()):
        raise DataError(f"{where}: 'weights' must map check names to numbers >= 0")
    return tuple((str(k), float(v)) for k, v in raw.items())


_SAFE_LOADER: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_kata(folder: Path) -> Kata:
    path = folder / "kata.yaml"
    try:
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=_SAFE_LOADER)
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise DataError(f"{path}: cannot read kata: {str(exc).splitlines()[0]}") from None
    where = str(path)
    if not isinstance(raw, dict):
        raise DataError(f"{where}: expected a mapping")
    slug = folder.name
    if not SLUG.fullmatch(slug):
        raise DataError(f"{where}: folder name '{slug}' is not a kebab-case slug")
    for key in ("title", "topic", "difficulty", "function", "signature", "statement"):
        if key not in raw:
            raise DataError(f"{where}: missing field '{key}'")
    if raw["difficulty"] not in (1, 2, 3):
        raise DataError(f"{where}: difficulty must be 1, 2 or 3")
    hints = raw.get("hints") or []
    if not isinstance(hints, list):
        raise DataError(f"{where}: 'hints' must be a list")
    return Kata(
        slug=slug,
        title=_text(raw["title"], where, "title"),
        topic=str(raw["topic"]),
        difficulty=int(raw["difficulty"]),
        function=str(raw["function"]),
        signature=str(raw["signature"]),
        statement=_text(raw["statement"], where, "statement"),
        hints=tuple(_text(h, where, "hints") for h in hints),
        bank=tuple(str(b) for b in raw.get("bank") or ()),
        folder=folder,
        weights=_weights(raw.get("weights"), where),
        vectorized=raw.get("vectorized") is True,
    )


@cache
def catalogue(root: Path | None = None) -> dict[str, Kata]:
    """Every kata under `root` (default: the shipped katas), by slug, sorted by topic then slug."""
    root = root or data_root() / "katas"
    katas = [load_kata(p) for p in sorted(root.iterdir()) if (p / "kata.yaml").is_file()]
    katas.sort(key=lambda k: (k.topic, k.difficulty, k.slug))
    return {k.slug: k for k in katas}


def find_kata(slug: str) -> Kata:
    folder = data_root() / "katas" / slug
    if SLUG.fullmatch(slug) and (folder / "kata.yaml").is_file():
        return load_kata(folder)  # one kata.yaml, not the whole catalogue
    katas = catalogue()
    if slug not in katas:
        close = [s for s in katas if slug in s or s in slug]
        hint = f" (did you mean {', '.join(close[:3])}?)" if close else ""
        raise DataError(f"unknown kata '{slug}'{hint}; `prep kata` lists them")
    return katas[slug]


# --- the recommended path ------------------------------------------------------------------------

@cache
def path_order(root: Path | None = None) -> tuple[str, ...]:
    """The recommended order of the katas, as `katas/path.yaml` lists it."""
    path = (root or data_root() / "katas") / "path.yaml"
    try:
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=_SAFE_LOADER)
    except FileNotFoundError:
        return ()
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise DataError(f"{path}: cannot read the kata path: {str(exc).splitlines()[0]}") from None
    slugs = raw.get("path") if isinstance(raw, dict) else None
    if not isinstance(slugs, list) or not all(isinstance(s, str) for s in slugs):
        raise DataError(f"{path}: expected `path:` and a list of kata slugs")
    return tuple(slugs)


def recommended(katas: dict[str, Kata], root: Path | None = None) -> list[Kata]:
    """The katas in the recommended order; any the path leaves out come last, in catalogue order."""
    order = [s for s in path_order(root) if s in katas]
    rest = [s for s in katas if s not in set(order)]
    return [katas[s] for s in order + rest]


def next_kata(katas: dict[str, Kata], progress: dict[str, tuple[str, int, int]], after: str | None = None,
              root: Path | None = None) -> Kata | None:
    """The first kata on the path not yet passed (after `after`, if given, wrapping round); None if all are."""
    slug = next_slug(list(katas), progress, after, root)
    return katas[slug] if slug is not None else None


def next_slug(slugs: list[str], progress: dict[str, tuple[str, int, int]], after: str | None = None,
              root: Path | None = None) -> str | None:
    """next_kata on the slugs alone, in catalogue order (a cached list: no kata.yaml is parsed)."""
    known = set(slugs)
    order = [s for s in path_order(root) if s in known]
    ordered = order + [s for s in slugs if s not in set(order)]
    if after is not None and after in known:
        i = ordered.index(after)
        ordered = ordered[i + 1:] + ordered[:i]
    return next((s for s in ordered if progress.get(s, ("new",))[0] != "passed"), None)


# --- which flags go together ----------------------------------------------------------------------

ACTIONS = ("--check", "--watch", "--hint", "--solution", "--reset")
_NEEDS = {"--force": ("--solution",), "--file": ("--check", "--watch"), "--seed": ("--check", "--watch")}


def flag_conflict(slug: str | None, given: list[str]) -> str | None:
    """Why these `prep kata` flags cannot go together (one line naming commands that work), or None."""
    if slug is None:
        needing = [f for f in given if f not in {"--json", "--workspace"}]
        if needing:
            flag = needing[0]
            usage = f"{_NEEDS[flag][0]} {_usage(flag)}" if flag in _NEEDS else flag
            return (f"{flag} needs a kata: `prep kata SLUG {usage}`, e.g. `prep kata conv2d {usage}`; "
                    "`prep kata` lists them")
        return None
    if "--json" in given:
        return (f"--json lists the catalogue and takes no kata: `prep kata --json`, or `prep kata {slug}` "
                "to open this one")
    actions = [f for f in ACTIONS if f in given]
    if "--check" in actions and "--watch" in actions:
        actions.remove("--check")  # --watch checks first, then on every save
    if len(actions) > 1:
        a, b = actions[0], actions[1]
        return (f"{a} and {b} cannot go together: run `prep kata {slug} {a}`, then `prep kata {slug} {b}`")
    for flag, needs in _NEEDS.items():
        if flag in given and not any(n in given for n in needs):
            return f"{flag} only goes with {' or '.join(needs)}: `prep kata {slug} {needs[0]} {_usage(flag)}`"
    return None


def _usage(flag: str) -> str:
    return {"--file": "--file FILE", "--seed": "--seed N"}.get(flag, flag)


# --- the learner's workspace ----------------------------------------------------------------------

def workspace_file(kata: Kata, workspace: Path) -> Path:
    return workspace / f"{kata.slug}.py"


def ensure_workspace_file(kata: Kata, workspace: Path) -> tuple[Path, bool]:
    """Create the learner's file from the stub if absent. Never overwrites. Returns (path, created)."""
    path = workspace_file(kata, workspace)
    try:
        workspace.mkdir(parents=True, exist_ok=True)
        with open(path, "x", encoding="utf-8") as fh:  # "x": fails rather than overwrite
            fh.write(kata.stub.read_text(encoding="utf-8"))
    except FileExistsError:
        return path, False
    except OSError as exc:
        raise DataError(f"{path}: cannot create the workspace file: {exc.strerror}") from None
    return path, True


def reset_workspace_file(kata: Kata, workspace: Path) -> Path | None:
    """Start over from the stub; the old file is kept as `<slug>.py.bak-N`. Returns the backup path."""
    path = workspace_file(kata, workspace)
    backup = None
    if path.exists():
        n = 1
        while (candidate := path.with_name(f"{path.name}.bak-{n}")).exists():
            n += 1
        path.rename(candidate)
        backup = candidate
    ensure_workspace_file(kata, workspace)
    return backup


def topic_names(lang: str) -> dict[str, str]:
    """The built-in topics' names in `lang` (English where a name lacks it), by slug."""
    path = data_root() / "bank" / "topics.yaml"
    try:
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=_SAFE_LOADER)
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return {}
    items = raw.get("topics") if isinstance(raw, dict) else None
    return {str(t["slug"]): str(t.get(lang) or t.get("en") or t["slug"])
            for t in items or [] if isinstance(t, dict) and "slug" in t}
