"""Where things live: shipped data (bank, katas), the user's progress, the kata workspace."""

from __future__ import annotations

import os
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def data_root() -> Path:
    """The folder holding `bank/` and `katas/`: inside the wheel, or the repository in a checkout."""
    if (_PACKAGE / "bank").is_dir():
        return _PACKAGE
    return _PACKAGE.parent.parent


def package_dir() -> Path:
    return _PACKAGE


def home() -> Path:
    """The user's data folder (progress database), `PREP_HOME` or the platform's data dir."""
    env = os.environ.get("PREP_HOME")
    if env:
        return Path(env).expanduser()
    import platformdirs  # deferred: only needed when PREP_HOME is unset

    return Path(platformdirs.user_data_dir("prep", appauthor=False))


def workspace(override: str | None = None) -> Path:
    value = override or os.environ.get("PREP_WORKSPACE")
    return Path(value).expanduser() if value else Path.home() / "prep-katas"
