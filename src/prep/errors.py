"""The one family of user-facing errors, and the exit codes the CLI turns them into."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    CHECKS_FAILED = 1
    USAGE_OR_DATA_ERROR = 2
    INTERRUPTED = 130  # Ctrl-C, as shells report it


class PrepError(Exception):
    """An error the user can fix; printed as one line, never with a traceback."""

    exit_code = ExitCode.USAGE_OR_DATA_ERROR


class DataError(PrepError):
    """Bad input data: a bank file, a kata, a path that does not exist."""


class BankError(DataError):
    """One or more problems in bank files, each `file:line: message`."""

    exit_code = ExitCode.CHECKS_FAILED

    def __init__(self, problems: list[str]) -> None:
        super().__init__(problems[0] if problems else "invalid bank")
        self.problems = problems


class StoreError(PrepError):
    """The progress store cannot be opened or is damaged."""


class DamagedStoreError(StoreError):
    """The progress database is damaged or holds rows that do not validate; `prep doctor` recovers it."""
