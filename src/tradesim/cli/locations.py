"""Where the command line looks for a user's folders: the option, else the environment variable, else the folder
of that name in the working directory. The one place that reads the environment and the working folder for
them: the core is given the folder it works on (a structure test holds it)."""

from __future__ import annotations

import os
from pathlib import Path

from tradesim.errors import InputError, Problem, ScenarioError

ENV_DATA = "TRADESIM_DATA"
ENV_SCENARIOS = "TRADESIM_SCENARIOS"


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


def scenario_folder(explicit: str | os.PathLike[str] | None = None) -> Path:
    """``--scenarios DIR``, else ``$TRADESIM_SCENARIOS``, else ``./scenarios`` if present, else the reference
    scenarios shipped with tradesim."""
    from tradesim.scenario import shipped_directory

    found = choose(explicit, "--scenarios", ENV_SCENARIOS, "scenarios")
    if found is None:
        return shipped_directory()
    chosen, what = found
    try:
        is_folder = chosen.is_dir()
    except OSError as exc:  # a name too long, a loop of links
        raise ScenarioError(
            [Problem(f"{what}: cannot use it as the scenario folder ({exc.strerror or exc})", chosen)]
        ) from None
    if not is_folder:
        raise ScenarioError([Problem(f"{what}: scenario directory not found", chosen)])
    return chosen


def folder_to_check(explicit: str | os.PathLike[str] | None, *, shipped: bool = False) -> Path:
    """The scenario folder ``tradesim check`` checks: ``explicit`` (``--scenarios``), else
    ``$TRADESIM_SCENARIOS``, else ``./scenarios``, else the working folder when it holds ``*.toml``; the
    shipped reference scenarios only when asked (``shipped``). Never a silent fallback to them: a CI job run
    in the wrong folder would pass on scenarios that are not its own."""
    from tradesim.scenario import shipped_directory

    if shipped:
        if explicit is not None:
            raise InputError(
                "--shipped checks the reference scenarios shipped with tradesim; drop --scenarios"
            )
        return shipped_directory()
    if choose(explicit, "--scenarios", ENV_SCENARIOS, "scenarios") is not None:
        return scenario_folder(explicit)
    here = Path.cwd()
    if any(here.glob("*.toml")):
        return here
    raise InputError(
        f"no scenario folder in {here}: give --scenarios DIR, run inside a folder of scenario files, or "
        "--shipped to check the reference scenarios shipped with tradesim"
    )
