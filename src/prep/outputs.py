"""Files the CLI writes: checked, and their folders created, before any work starts."""

from __future__ import annotations

import os
from pathlib import Path

from prep.errors import DataError


def prepare_output(path: Path, what: str) -> None:
    """Refuse a path that cannot be written (a folder, a read-only place); create its parent folders.

    Done up front, as pytest's `--junitxml` creates folders, so that a class is never graded for nothing.
    """
    if path.is_dir():
        raise DataError(f"{what} {path}: is a folder; give a file name")
    parent = path.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise DataError(f"{what} {path}: {parent} is not a folder") from None
    except OSError as exc:
        raise DataError(f"{what} {path}: cannot create {parent}: {exc.strerror}") from None
    if path.exists() and not os.access(path, os.W_OK):
        raise DataError(f"{what} {path}: not writable")
    if not path.exists() and not os.access(parent, os.W_OK | os.X_OK):
        raise DataError(f"{what} {path}: {parent} is not writable")


def write_output(path: Path, data: bytes, what: str) -> None:
    """Write a whole file, replacing it only once the new content is complete."""
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    try:
        tmp.write_bytes(data)
        tmp.replace(path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise DataError(f"{what} {path}: cannot write: {exc.strerror}") from None
