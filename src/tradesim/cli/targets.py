"""`tradesim targets`: every announced target, tracked."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from tradesim.cli import render
from tradesim.cli._app import short_help
from tradesim.cli.options import (
    TABLES,
    DataDir,
    Output,
    ReporterOption,
    ScenarioDir,
    TableFormat,
    chosen_scenarios,
    dataset,
    format_option,
    pair,
)
from tradesim.errors import InputError
from tradesim.quantities import parse_rate

if TYPE_CHECKING:
    from rich.console import Console


app = typer.Typer(
    add_completion=False, rich_markup_mode=None
)  # loaded by the root on first use (_app.COMMANDS)


@app.command(short_help=short_help("targets"))
def targets(
    reporter: ReporterOption = None,
    partner: Annotated[list[str] | None, typer.Option(help="Only these partners (repeatable).")] = None,
    as_of: Annotated[int | None, typer.Option(help="Judge with the data up to YEAR only.")] = None,
    total_growth: Annotated[
        str, typer.Option(help="Portfolio: growth of the reporter's total trade, 0.03 or 3%.")
    ] = "3%",
    commodity: Annotated[
        str | None,
        typer.Option(
            metavar="CODE",
            help="The targets stated for one product (27, or HS:27), against its series (default: all goods).",
        ),
    ] = None,
    format: Annotated[TableFormat | None, format_option(*TABLES)] = None,
    output: Output = None,
    scenario_dir: ScenarioDir = None,
    data_dir: DataDir = None,
) -> None:
    """One row per target (the data's and the scenario files'): the figure when it was stated, the latest actual
    and nowcast, the growth achieved and still required, the probability of reaching it, and a status; then the
    portfolio of the reporter's targets (README "Targets")."""
    from tradesim import targets as core
    from tradesim.data.observation import ALL_GOODS, product_words, split_product
    from tradesim.errors import TradesimError

    chosen_format = render.settle(format, output, TABLES)
    reporter = pair(reporter)[0]
    growth = parse_rate(total_growth, what="--total-growth")
    try:
        scenarios = chosen_scenarios([], scenario_dir)
    except TradesimError:
        scenarios = []  # a broken scenario folder does not hide the data's targets; `scenarios validate` says why
    data = dataset(data_dir)
    product, named = ALL_GOODS, ""
    if commodity is not None:  # a target names its own classification: a bare code matches it in any
        product = split_product(commodity)
        named = product_words(product) if product[1] else f"commodity {product[0]}"
    rows = core.tracked(reporter, partner or [], as_of=as_of, scenarios=scenarios, data=data, product=product)
    if not rows:
        raise InputError(
            f"no {named + ' ' if named else ''}target of {reporter} in the data or the scenarios"
        )
    # the portfolio sets the pair's targets against the reporter's total trade: a product's targets have none
    book = core.portfolio(reporter, rows, growth, data=data) if commodity is None else None
    result = core.Tracked(reporter, rows, book, as_of, named)

    def table(console: Console) -> None:
        for title, shown in result.tables():
            console.print(render.rich_table(shown, title))
        line = result.portfolio_line()
        if line is not None:
            console.print(line, soft_wrap=False, markup=False)

    render.emit(result, chosen_format, output, table=table)
    render.print_notes(result.notes())
