"""`prep kata SLUG --watch`: grade again on every save, whatever the editor does to save.

Editors save in different ways: in place (vim by default, VS Code), by writing a temporary file and
renaming it over the original (JetBrains, gedit, `sed -i`), or by renaming the original to a backup and
writing a new file (Emacs). A watch on the file itself follows the inode, which the last two replace,
so it goes deaf after the first save. The folder is watched instead, and events are kept by the file's
name.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

DEBOUNCE_MS = 300  # an editor's save (rename, write, chmod) arrives as one batch of changes
RECHECK_MS = 500  # with no event for this long, the file's identity is compared with the last one graded

Signature = tuple[int, int, int] | None


def signature(path: Path) -> Signature:
    """What tells one version of the file from another: inode, modification time, size (None if absent)."""
    try:
        st = path.stat()
    except OSError:
        return None
    return (st.st_ino, st.st_mtime_ns, st.st_size)


def saves(target: Path, *, since: Signature = None, stop: Callable[[], bool] | None = None) -> Iterator[bool]:
    """Yield once per save of `target`: True if the file is there to grade, False if it went away
    (a save in progress that did not finish in the debounce window, or a deleted file).

    `since` is the signature of the version last graded: a save that lands before the folder watch is
    armed (between the grading and the start of this generator) raises no event, so whenever no event
    has come for RECHECK_MS the file is compared with the last version graded, and a difference counts
    as a save."""
    import watchfiles

    folder = target.parent.resolve()
    name = target.name
    last = since if since is not None else signature(target)

    def ours(_change: watchfiles.Change, path: str) -> bool:
        return Path(path).name == name

    for changes in watchfiles.watch(folder, watch_filter=ours, debounce=DEBOUNCE_MS, recursive=False,
                                    raise_interrupt=True, yield_on_timeout=True, rust_timeout=RECHECK_MS):
        now = signature(target)
        if not changes and now == last:
            continue
        last = now
        yield target.is_file()
        if stop is not None and stop():
            return
