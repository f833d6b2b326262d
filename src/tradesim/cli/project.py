"""`tradesim project`: the main job."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from tradesim.cli import render
from tradesim.cli._app import short_help
from tradesim.cli.options import (
    PATHS,
    Baselines,
    BaselinesOption,
    CommodityOption,
    DataDir,
    Format,
    GrowthOption,
    Output,
    RestGrowthOption,
    ScenarioDir,
    chosen_scenarios,
    dataset,
    format_option,
    scenario_arguments,
)
from tradesim.quantities import parse_target

if TYPE_CHECKING:
    from rich.console import Console


app = typer.Typer(
    add_completion=False, rich_markup_mode=None
)  # loaded by the root on first use (_app.COMMANDS)


@app.command(short_help=short_help("project"))
def project(
    scenarios: Annotated[
        list[str] | None,
        scenario_arguments("Scenario names or TOML files (default: every scenario found)."),
    ] = None,
    target: Annotated[
        str | None,
        typer.Option(
            help="Target amount: 20e9, 20B, $20bn, 20 billion, 500M (default: each scenario's own target)."
        ),
    ] = None,
    by: Annotated[
        int | None, typer.Option(help="Also show the constant growth that reaches the target in YEAR.")
    ] = None,
    horizon: Annotated[
        int | None, typer.Option(help="Project to YEAR instead of each scenario's horizon.")
    ] = None,
    growth: GrowthOption = None,
    rest_growth: RestGrowthOption = None,
    commodity: CommodityOption = None,
    full_year: Annotated[
        bool,
        typer.Option(
            "--full-year",
            help="Default baseline: the data's full-year (FY) figure for the base year, even where a "
            "figure stated as the year's is the default (KAZ–ITA 2023: $14.5B, really Jan–Nov).",
        ),
    ] = False,
    format: Annotated[Format | None, format_option(*PATHS)] = None,
    output: Output = None,
    detail: Annotated[bool, typer.Option("--detail", help="Add a per-year table for each scenario.")] = False,
    baselines: BaselinesOption = Baselines.default,
    scenario_dir: ScenarioDir = None,
    data_dir: DataDir = None,
) -> None:
    """Project every scenario year by year and read it against the target."""
    from tradesim import report, summaries

    chosen_format = render.settle(format, output, PATHS)
    given = parse_target(target) if target is not None else None
    chosen = chosen_scenarios(
        scenarios, scenario_dir, growth, rest_growth, default_all=True, commodity=commodity
    )
    results = report.evaluate(
        chosen,
        target=given,
        by=by,
        horizon=horizon,
        full_year=full_year,
        all_baselines=baselines is Baselines.all,
        data=dataset(data_dir),
    )

    def table(console: Console) -> None:
        for title, rows in results.tables():
            console.print(render.rich_table(rows, title))
        if detail:
            for result in results:
                title = f"{result.scenario.name}: {result.scenario.description}"
                console.print(render.rich_table(summaries.years_display(result), title))

    render.emit(results, chosen_format, output, table=table)
    render.print_notes(results.notes())
