"""The one error hierarchy. Every error carries structured fields and builds its message from them.

The CLI turns any :class:`TradesimError` into one line per problem on stderr and exit code 2
(:class:`CheckFailed` is exit code 1).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one input: where (file, line, key path), what (value), and what is allowed."""

    message: str
    file: Path | None = None
    line: int | None = None
    key: str | None = None

    def __str__(self) -> str:
        where = ""
        if self.file is not None:
            where = f"{self.file}:{self.line}: " if self.line else f"{self.file}: "
        key = f"{self.key}: " if self.key else ""
        return f"{where}{key}{self.message}"


class TradesimError(Exception):
    """Root of every error tradesim raises on purpose."""

    def __init__(self, problems: Sequence[Problem] | str) -> None:
        self.problems: tuple[Problem, ...] = (
            (Problem(problems),) if isinstance(problems, str) else tuple(problems)
        )
        super().__init__("\n".join(str(p) for p in self.problems))


class InputError(TradesimError, ValueError):
    """A value given on the command line or through the API is not acceptable (amount, rate, year, ...)."""


class ScenarioError(TradesimError, ValueError):
    """A scenario file is missing, unreadable, malformed, or describes an impossible path."""


class DataError(TradesimError):
    """The data set has no usable observation for what was asked."""


class SolveError(TradesimError):
    """A goal seek has no answer in the range allowed."""


class CheckFailed(TradesimError):
    """An expectation or snapshot of ``tradesim check`` did not hold (exit code 1, not 2)."""


class SnapshotError(TradesimError, ValueError):
    """A snapshot file of ``tradesim check`` is unreadable or corrupt (exit code 2)."""
