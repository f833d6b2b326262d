"""``tradesim scenarios validate``: a file is valid when it loads *and* projects.

A file can be well-formed and still describe an impossible path (bilateral trade below zero in 2026, a
baseline the data does not hold): :func:`validate` loads every file and projects every scenario that loaded,
collecting every problem of every file instead of stopping at the first.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from tradesim import model, scenario
from tradesim.data import Dataset
from tradesim.errors import Problem, TradesimError
from tradesim.schema import Scenario


def validate(
    references: Iterable[str], directory: Path, *, data: Dataset | None = None
) -> tuple[list[Scenario], list[Problem]]:
    """The scenarios that load and project on ``data`` (default: the shipped data), and the problems of those
    that do not (every one of them)."""
    references = list(references)
    catalogue: scenario.Catalogue = {}
    problems: list[Problem] = []
    paths = []
    for reference in references:
        try:
            paths.append(scenario.resolve(reference, directory, catalogue))
        except TradesimError as error:
            problems.extend(error.problems)
    if not references:
        paths = list(scenario.discover(directory).values())
        if not paths:
            problems.append(Problem("no scenario files (*.toml) found", directory))
    valid = []
    for path in paths:
        try:
            loaded = scenario.load(path, directory=directory, catalogue=catalogue)
            model.project(loaded, data=data)
        except TradesimError as error:
            problems.extend(error.problems)
        else:
            valid.append(loaded)
    return valid, problems
