"""Where tradesim looks for a user's folder: the option, else the environment variable, else the folder of that
name in the working directory. One rule for scenario folders and data folders."""

from __future__ import annotations

import os
from pathlib import Path


def choose(
    explicit: str | os.PathLike[str] | None, option: str, variable: str, local: str
) -> tuple[Path, str] | None:
    """``(folder, what named it)`` from ``explicit`` (named ``option``) or ``$variable``, the folder not yet
    checked; ``(Path(local), "")`` when ``./local`` is a folder; else ``None``. A caller checks a named folder
    exists and raises its own error naming ``what``."""
    if explicit is not None:
        return Path(explicit), option
    if os.environ.get(variable):
        return Path(os.environ[variable]), variable
    if Path(local).is_dir():
        return Path(local), ""
    return None
