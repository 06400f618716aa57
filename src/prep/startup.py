"""Start-up without the cycle collector.

A command's start is mostly imports (numpy, pytest, hypothesis, rich, typer: ~60,000 objects), and
the cycle collector runs dozens of times over that growing heap for nothing: importing them with it
off takes about 10% less time. The `prep` command pauses it before anything is imported; whatever
runs for long (an interactive prompt, a watch, a batch of gradings) resumes it first: start-up's
garbage is collected there and then, and everything loaded so far is moved out of the collector's
sight (gc.freeze), so later collections stay cheap. A one-shot command such as `prep kata --check`
ends with it still paused.
"""

from __future__ import annotations

import gc

_paused = False


def pause() -> None:
    global _paused  # noqa: PLW0603 - one switch per process
    if gc.isenabled():
        gc.disable()
        _paused = True


def resume() -> None:
    """Collect cycles again from here on; a no-op unless pause() turned the collector off."""
    global _paused  # noqa: PLW0603
    if _paused:
        _paused = False
        gc.collect()  # start-up's garbage now (~17 ms after a quiz's imports), not at some later key press
        gc.freeze()
        gc.enable()
