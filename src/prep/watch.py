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


def saves(target: Path, *, stop: Callable[[], bool] | None = None) -> Iterator[bool]:
    """Yield once per save of `target`: True if the file is there to grade, False if it went away
    (a save in progress that did not finish in the debounce window, or a deleted file)."""
    import watchfiles

    folder = target.parent.resolve()
    name = target.name

    def ours(_change: watchfiles.Change, path: str) -> bool:
        return Path(path).name == name

    for _changes in watchfiles.watch(folder, watch_filter=ours, debounce=DEBOUNCE_MS, recursive=False,
                                     raise_interrupt=True, yield_on_timeout=False):
        yield target.is_file()
        if stop is not None and stop():
            return
