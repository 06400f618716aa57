"""`prep kata SLUG --watch`: grade again on every save, whatever the editor does to save.

Editors save in different ways: in place (vim by default, VS Code), by writing a temporary file and
renaming it over the original (JetBrains, gedit, `sed -i`), or by renaming the original to a backup and
writing a new file (Emacs). A watch on the file itself follows the inode, which the last two replace,
so it goes deaf after the first save. The folder is watched instead, and events are kept by the file's
name.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Iterator
from pathlib import Path

DEBOUNCE_MS = 300  # an editor's save (rename, write, chmod) arrives as one batch of changes
RECHECK_MS = 500  # with no event for this long, the file's identity is compared with the last one graded

Signature = tuple[int, int, int, int] | None


def signature(path: Path) -> Signature:
    """What tells one version of the file from another (None if absent): inode, modification time,
    size, and a checksum of the content, since a file system with coarse timestamps can give two
    saves of the same size one modification time."""
    try:
        st = path.stat()
        with path.open("rb") as f:
            crc = zlib.crc32(f.read(4 << 20))
    except OSError:
        return None
    return (st.st_ino, st.st_mtime_ns, st.st_size, crc)


def saves(target: Path, *, since: Signature = None, stop: Callable[[], bool] | None = None) -> Iterator[bool]:
    """Yield once per save of `target`: True if the file is there to grade, False if it went away
    (a save in progress that did not finish in the debounce window, or a deleted file).

    A version is yielded once, whichever notices it first: the folder's events, or the check made
    whenever no event has come for RECHECK_MS, which compares the file with the last version yielded
    (`since` at first: the version graded before the watch started). That check catches a save landing
    before the folder watch is armed, which raises no event."""
    import watchfiles

    folder = target.parent.resolve()
    name = target.name
    last = since if since is not None else signature(target)

    def ours(_change: watchfiles.Change, path: str) -> bool:
        return Path(path).name == name

    for _changes in watchfiles.watch(folder, watch_filter=ours, debounce=DEBOUNCE_MS, recursive=False,
                                    raise_interrupt=True, yield_on_timeout=True, rust_timeout=RECHECK_MS):
        now = signature(target)
        if now == last:  # nothing new: a quiet interval, or the events of a version already yielded
            continue
        last = now
        yield target.is_file()
        if stop is not None and stop():
            return
