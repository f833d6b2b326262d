"""`tradesim nowcast`: the full year from a partial one."""

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
    TableFormat,
    currency_code,
    dataset,
    format_option,
    pair,
)

app = typer.Typer(
    add_completion=False, rich_markup_mode=None
)  # loaded by the root on first use (_app.COMMANDS)


@app.command(short_help=short_help("nowcast"))
def nowcast(
    reporter: ReporterOption = None,
    partner: PartnerOption = None,
    currency: CurrencyOption = "USD",
    year: Annotated[
        int | None, typer.Option(help="The year to estimate (default: the latest with a partial figure).")
    ] = None,
    from_period: Annotated[
        str | None,
        typer.Option("--from", help="The partial figure: h1, q1, jan-aug, ... (default: the longest)."),
    ] = None,
    evaluate: Annotated[
        bool,
        typer.Option(
            "--evaluate", help="Leave-one-out record: every past year nowcast without its full year."
        ),
    ] = False,
    commodity: Annotated[
        str | None,
        typer.Option(metavar="CODE", help="One product's series: 27, or HS:27 (default: all goods)."),
    ] = None,
    format: Annotated[TableFormat | None, format_option(*TABLES)] = None,
    output: Output = None,
    data_dir: DataDir = None,
) -> None:
    """Estimate a full year of a pair's trade from its latest partial-year figure, with a 90% interval, from the
    history of that period's share of the full year (README "Nowcast")."""
    from tradesim import nowcast as core

    chosen_format = render.settle(format, output, TABLES)
    reporter, partner = pair(reporter, partner)
    currency = currency_code(currency)
    data = dataset(data_dir)
    product = data.product(reporter, partner, commodity)
    if evaluate:
        render.emit(
            core.evaluate(reporter, partner, data=data, currency=currency, product=product),
            chosen_format,
            output,
        )
        return
    answer = core.nowcast(reporter, partner, year, from_period, data=data, currency=currency, product=product)
    render.emit(answer, chosen_format, output)
    if chosen_format == "table":
        render.print_notes([f"used: {o.label()} — {o.source}" for o in answer.used])
    render.print_notes(list(answer.warnings))
