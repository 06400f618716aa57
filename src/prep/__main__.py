"""`python -m prep` and the `prep` command (pyproject's console script points at `run`)."""

import sys


def run() -> None:
    # Ctrl-C while the command's modules load ends it quietly, like Ctrl-C anywhere later (130)
    try:
        from prep.cli import run as command
    except KeyboardInterrupt:
        sys.exit(130)
    command()


if __name__ == "__main__":
    run()
