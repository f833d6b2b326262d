"""The floor of any typer + rich command: an app with `tradesim project`'s options that prints a 5-row Rich table
and does nothing else (benchmarks/run.py times it). typer 0.29 builds a pydantic TypeAdapter per option, so this
floor already loads pydantic's model machinery, which `python -c "import pydantic"` (lazy) does not."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import numpy  # noqa: F401
import pydantic  # noqa: F401
import typer

app = typer.Typer()


@app.command()
def project(
    scenarios: Annotated[list[str] | None, typer.Argument()] = None,
    target: Annotated[str | None, typer.Option()] = None,
    by: Annotated[int | None, typer.Option()] = None,
    horizon: Annotated[int | None, typer.Option()] = None,
    growth: Annotated[str | None, typer.Option()] = None,
    rest_growth: Annotated[str | None, typer.Option()] = None,
    full_year: Annotated[bool, typer.Option("--full-year")] = False,
    format: Annotated[str | None, typer.Option()] = None,
    output: Annotated[Path | None, typer.Option()] = None,
    detail: Annotated[bool, typer.Option("--detail")] = False,
    scenario_dir: Annotated[Path | None, typer.Option()] = None,
    data_dir: Annotated[Path | None, typer.Option()] = None,
) -> None:
    from rich.console import Console
    from rich.table import Table

    t = Table(title="x")
    for c in "abcdefgh":
        t.add_column(c)
    for r in range(5):
        t.add_row(*[str(r)] * 8)
    Console().print(t)


@app.command()
def other() -> None:
    """A second command, so that typer builds a group as tradesim's does."""


if __name__ == "__main__":
    app()
