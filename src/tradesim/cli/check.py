"""`tradesim check`: snapshots and expectations, for CI."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Annotated

import typer

from tradesim.atomic import check_destination
from tradesim.cli import render
from tradesim.cli._app import short_help
from tradesim.cli.locations import folder_to_check
from tradesim.cli.options import (
    TABLES,
    DataDir,
    EveryScenarioArgs,
    Output,
    ScenarioDir,
    TableFormat,
    dataset,
    format_option,
)
from tradesim.errors import CheckFailed, InputError
from tradesim.quantities import count

app = typer.Typer(
    add_completion=False, rich_markup_mode=None
)  # loaded by the root on first use (_app.COMMANDS)


@app.command(short_help=short_help("check"))
def check(
    scenarios: EveryScenarioArgs = None,
    rtol: Annotated[float, typer.Option(help="Relative tolerance for snapshot values.", min=0)] = 1e-9,
    atol: Annotated[float, typer.Option(help="Absolute tolerance for snapshot values.", min=0)] = 0.0,
    update: Annotated[
        bool, typer.Option("--update", help="Write the snapshots (atomically) and say what changed.")
    ] = False,
    format: Annotated[TableFormat | None, format_option(*TABLES)] = None,
    output: Output = None,
    junit: Annotated[Path | None, typer.Option(help="Also write JUnit XML to FILE, for CI systems.")] = None,
    shipped: Annotated[
        bool, typer.Option("--shipped", help="Check the reference scenarios shipped with tradesim.")
    ] = False,
    scenario_dir: ScenarioDir = None,
    data_dir: DataDir = None,
) -> None:
    """Fail (exit 1) when a computed path drifted from its snapshot or an [[expect]] does not hold.

    The scenario folder: --scenarios DIR, else $TRADESIM_SCENARIOS, else ./scenarios, else the current folder
    when it holds scenario files; the shipped reference scenarios only with --shipped, never by default (a
    check that finds nothing of yours must not pass)."""

    from tradesim import check as check_module
    from tradesim import scenario

    for name, value in (("--rtol", rtol), ("--atol", atol)):
        if not math.isfinite(value):
            raise InputError(f"{name} must be a finite number, got {value!r}")
    chosen_format = render.settle(format, output, TABLES)
    if junit is not None:
        check_destination(junit, "--junit")
    directory = folder_to_check(scenario_dir, shipped=shipped)
    chosen = scenario.load_many(scenarios or [], directory)
    data = dataset(data_dir)
    render.print_notes(
        [f"checking {count(len(chosen), 'scenario')} in {directory} against {data.describe()}"]
    )
    results = check_module.check(chosen, directory, rtol=rtol, atol=atol, update=update, data=data)
    if junit is not None:
        from tradesim.atomic import write_text_atomic

        write_text_atomic(junit, check_module.junit_xml(results))
    render.emit(results, chosen_format, output, table=lambda console: render.check_report(console, results))
    failed = [r for r in results if not r.passed]
    if failed:
        raise CheckFailed(
            f"{len(failed)} of {count(len(results), 'scenario')} failed the check: "
            + ", ".join(r.scenario for r in failed)
        )
