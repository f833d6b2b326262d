"""`tradesim backtest`: how good would such projections have been?"""

from __future__ import annotations

from typing import Annotated

import typer

from tradesim.cli import render
from tradesim.cli._app import short_help
from tradesim.cli.options import (
    TABLES,
    CurrencyOption,
    DataDir,
    Output,
    PartnerOption,
    ReporterOption,
    ScenarioDir,
    TableFormat,
    chosen_scenarios,
    complete_scenarios,
    currency_code,
    dataset,
    format_option,
    pair,
)
from tradesim.errors import InputError

app = typer.Typer(
    add_completion=False, rich_markup_mode=None
)  # loaded by the root on first use (_app.COMMANDS)


@app.command(short_help=short_help("backtest"))
def backtest(
    scenario_name: Annotated[
        str | None,
        typer.Argument(
            metavar="[SCENARIO]",
            help="For --method scenario: its bilateral growth.",
            autocompletion=complete_scenarios,
        ),
    ] = None,
    reporter: ReporterOption = None,
    partner: PartnerOption = None,
    currency: CurrencyOption = "USD",
    method: Annotated[str, typer.Option(help="cagr:K (the trailing K-year growth) or scenario.")] = "cagr:3",
    start: Annotated[int | None, typer.Option("--from", help="The first origin year.")] = None,
    horizons: Annotated[str, typer.Option(help="Years ahead, comma-separated.")] = "1,2,3,5",
    vintage: Annotated[str, typer.Option(help="first (as first published) or latest.")] = "latest",
    sd: Annotated[
        float | None,
        typer.Option(help="Annual log-growth sd of the bands (default: the scenario's, else 0.15)."),
    ] = None,
    calibrate: Annotated[
        bool, typer.Option("--calibrate", help="Also print the sd the errors imply.")
    ] = False,
    format: Annotated[TableFormat | None, format_option(*TABLES)] = None,
    output: Output = None,
    commodity: Annotated[
        str | None,
        typer.Option(metavar="CODE", help="One product's series: 27, or HS:27 (default: all goods)."),
    ] = None,
    scenario_dir: ScenarioDir = None,
    data_dir: DataDir = None,
) -> None:
    """Project from each past year with what was known then (a trailing growth, or a scenario's growth) and
    score against what happened: per horizon the mean error, bias, MAPE, RMSE of the log error, and the coverage
    of the simulation model's 50% and 90% bands (README "Backtest")."""
    import math

    from tradesim import backtest as core

    chosen_format = render.settle(format, output, TABLES)
    reporter, partner = pair(reporter, partner)
    currency = currency_code(currency)
    try:
        steps = [int(h) for h in horizons.split(",")]
    except ValueError:
        raise InputError(f"--horizons must be whole numbers separated by commas, got {horizons!r}") from None
    if sd is not None and not (math.isfinite(sd) and 0 <= sd <= 1):
        raise InputError(f"--sd must be from 0 to 1, got {sd!r}")
    chosen = None
    if scenario_name is not None:
        chosen = chosen_scenarios([scenario_name], scenario_dir)[0]
    data = dataset(data_dir)
    product = data.product(reporter, partner, commodity)
    result = core.run(
        reporter,
        partner,
        method=method,
        horizons=steps,
        start=start,
        vintage=vintage,
        scenario=chosen,
        sd=sd,
        data=data,
        currency=currency,
        product=product,
    )
    implied = result.calibrated_sd()
    render.emit(result, chosen_format, output)
    notes = list(result.warnings)
    if calibrate and chosen_format == "table":
        notes.append(
            f"calibrated: the errors imply an annual log-growth sd of {implied:.3f} (√mean(ln(actual/forecast)²/h))"
            if implied is not None
            else "calibrated: no projection to score"
        )
    render.print_notes(notes)
