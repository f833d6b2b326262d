"""`tradesim project`: the main job."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from tradesim.cli import render
from tradesim.cli._app import app
from tradesim.cli.options import (
    Baselines,
    BaselinesOption,
    DataDir,
    Format,
    GrowthOption,
    Output,
    RestGrowthOption,
    ScenarioDir,
    chosen_scenarios,
    complete_scenarios,
    dataset,
)
from tradesim.quantities import parse_money


@app.command(short_help="Project scenarios and read them against a target.")
def project(
    scenarios: Annotated[
        list[str] | None,
        typer.Argument(
            help="Scenario names or TOML files (default: every scenario found).",
            autocompletion=complete_scenarios,
        ),
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
    full_year: Annotated[
        bool,
        typer.Option(
            "--full-year",
            help="Default baseline: the data's full-year (FY) figure for the base year, even where a "
            "figure stated as the year's is the default (KAZ–ITA 2023: $14.5B, really Jan–Nov).",
        ),
    ] = False,
    format: Annotated[Format, typer.Option("--format", "-f", help="Output format.")] = Format.table,
    output: Output = None,
    detail: Annotated[bool, typer.Option("--detail", help="Add a per-year table for each scenario.")] = False,
    baselines: BaselinesOption = Baselines.default,
    scenario_dir: ScenarioDir = None,
    data_dir: DataDir = None,
) -> None:
    """Project every scenario year by year and read it against the target."""
    from tradesim import report

    target_value, target_currency = (
        parse_money(target, what="--target", positive=True) if target is not None else (None, None)
    )
    chosen = chosen_scenarios(scenarios, scenario_dir, growth, rest_growth, default_all=True)
    all_baselines = baselines is Baselines.all
    results = report.evaluate(
        chosen,
        target=target_value,
        target_currency=target_currency,
        by=by,
        horizon=horizon,
        full_year=full_year,
        all_baselines=all_baselines,
        data=dataset(data_dir),
    )
    notes = report.notes(results)
    if format is Format.json:
        document = report.to_json(results)
        if all_baselines:
            document["spread"] = report.spread(results)
        render.emit(json.dumps(document, indent=2, allow_nan=False) + "\n", output)
    elif format is Format.csv:
        render.emit(report.long_frame(results).to_csv(index=False, float_format="%.10g"), output)
    elif format is Format.markdown:
        render.emit(report.to_markdown(report.summary_display(results)), output)
    elif format is Format.iamc:
        from tradesim import iamc

        render.emit(iamc.to_csv(iamc.projection_rows(results)), output)
    else:
        console = render.make_console(output)
        console.print(render.rich_table(report.summary_display(results), report.title(results)))
        if all_baselines:
            console.print(
                render.rich_table(report.spread_display(results), "Baseline spread: min–max over baselines")
            )
        if detail:
            for result in results:
                title = f"{result.scenario.name}: {result.scenario.description}"
                console.print(render.rich_table(report.years_display(result), title))
        if output is not None:
            render.emit(console.export_text(), output)
    render.print_notes(notes)
