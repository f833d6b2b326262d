"""`tradesim simulate`, `sensitivity` and `plot`."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from tradesim.cli import render
from tradesim.cli._app import short_help
from tradesim.cli.options import (
    PATHS,
    RUNS,
    TABLES,
    CommodityOption,
    DataDir,
    EveryScenarioArgs,
    Format,
    GrowthOption,
    Output,
    PartnerOption,
    ReporterOption,
    RestGrowthOption,
    RunsOption,
    ScenarioDir,
    SeedOption,
    TableFormat,
    chosen_scenarios,
    dataset,
    format_option,
    pair,
    scenario_arguments,
    simulation_settings,
)
from tradesim.errors import InputError
from tradesim.quantities import parse_target

app = typer.Typer(
    add_completion=False, rich_markup_mode=None
)  # loaded by the root on first use (_app.COMMANDS)


@app.command(short_help=short_help("simulate"))
def simulate(
    scenarios: EveryScenarioArgs = None,
    target: Annotated[str | None, typer.Option(help="Target amount (default: each scenario's own).")] = None,
    runs: RunsOption = RUNS,
    seed: SeedOption = None,
    growth: GrowthOption = None,
    growth_sd: Annotated[
        float, typer.Option(help="Ad-hoc scenario: sd of annual log growth of bilateral trade.")
    ] = 0.0,
    rest_growth: RestGrowthOption = None,
    rest_sd: Annotated[
        float, typer.Option(help="Ad-hoc scenario: sd of annual log growth of the rest.")
    ] = 0.0,
    correlation: Annotated[float, typer.Option(help="Ad-hoc scenario: correlation of the two shocks.")] = 0.0,
    threads: Annotated[
        int | None, typer.Option(help="Worker threads (default: all cores); results do not depend on it.")
    ] = None,
    format: Annotated[Format | None, format_option(*PATHS)] = None,
    output: Output = None,
    commodity: CommodityOption = None,
    scenario_dir: ScenarioDir = None,
    data_dir: DataDir = None,
) -> None:
    """Monte Carlo: P(target reached) by year, the distribution of the year reached, percentiles of trade and share."""
    from tradesim import montecarlo, report
    from tradesim.notes import notes as notes_of

    chosen_format = render.settle(format, output, PATHS)
    fixed_seed = simulation_settings(runs, seed)
    if threads is not None and threads <= 0:
        raise InputError(f"--threads must be > 0, got {threads}")
    given = parse_target(target) if target is not None else None
    chosen = chosen_scenarios(
        scenarios,
        scenario_dir,
        growth,
        rest_growth,
        commodity=commodity,
        growth_sd=growth_sd,
        rest_sd=rest_sd,
        correlation=correlation,
    )
    plain = report.evaluate(
        chosen,
        target=given,
        data=dataset(data_dir),
    )  # validates targets and paths; gives the notes
    results = []
    with render.progress_bar(runs * len(chosen)) as advance:
        for item, result in zip(chosen, plain, strict=True):
            results.append(
                montecarlo.simulate(
                    item,
                    target=result.target,
                    runs=runs,
                    rng=fixed_seed,
                    threads=threads,
                    progress=advance,
                    baseline=result.projection.baseline,  # resolved once, by report.evaluate
                )
            )
    simulations = montecarlo.Simulations(results, chosen)
    render.emit(
        simulations,
        chosen_format,
        output,
        table=lambda console: render.simulation_report(console, simulations),
    )
    render.print_notes(notes_of(plain))


class GridMetric(StrEnum):
    reached_year = "reached-year"
    share = "share"


@app.command(short_help=short_help("sensitivity"))
def sensitivity(
    scenarios: Annotated[
        list[str] | None,
        scenario_arguments("Scenario names or TOML files (default: every scenario; --grid: name one)."),
    ] = None,
    target: Annotated[str | None, typer.Option(help="Target amount (default: the scenario's own).")] = None,
    swing: Annotated[
        float, typer.Option(help="Tornado: move inputs without sd by this fraction of their value.")
    ] = 0.25,
    grid: Annotated[
        list[str] | None,
        typer.Option(
            help="Two-way grid, given twice: NAME=START:STOP:STEP with NAME in growth, rest-growth, "
            "baseline, target."
        ),
    ] = None,
    metric: Annotated[GridMetric, typer.Option(help="Grid metric.")] = GridMetric.reached_year,
    year: Annotated[int | None, typer.Option(help="Grid: the year of --metric share.")] = None,
    growth: GrowthOption = None,
    rest_growth: RestGrowthOption = None,
    commodity: CommodityOption = None,
    format: Annotated[TableFormat | None, format_option(*TABLES)] = None,
    output: Output = None,
    scenario_dir: ScenarioDir = None,
    data_dir: DataDir = None,
) -> None:
    """Which assumption matters most: a tornado of one-at-a-time swings, or a two-way --grid.

    SCENARIOS: names or TOML files (default: every scenario found; --grid: name one, or use --growth).
    """
    from tradesim import report
    from tradesim import sensitivity as sens
    from tradesim.notes import notes as notes_of

    chosen_format = render.settle(format, output, TABLES)
    given = parse_target(target) if target is not None else None
    chosen = chosen_scenarios(
        scenarios, scenario_dir, growth, rest_growth, default_all=True, commodity=commodity
    )
    if grid and len(chosen) != 1:
        names = ", ".join(s.name for s in chosen)
        raise InputError(
            f"--grid works on one scenario: name one, or use --growth (got {len(chosen)}: {names})"
        )
    results = report.evaluate(
        chosen,
        target=given,
        data=dataset(data_dir),
    )
    if grid:
        if len(grid) != 2:
            raise InputError(f"--grid must be given exactly twice (rows and columns), got {len(grid)}")
        rows, columns = sens.parse_axis(grid[0]), sens.parse_axis(grid[1])
        table = sens.grid(
            results[0].scenario,
            rows,
            columns,
            target=results[0].target,
            metric=metric.value.replace("-", "_"),
            year=year,
            baseline=results[0].projection.baseline,
        )
        render.emit(table, chosen_format, output, table=lambda console: render.grid_table(console, table))
    else:
        tornados = sens.Tornados(
            [sens.tornado(r.scenario, r.target, swing=swing, baseline=r.projection.baseline) for r in results]
        )
        render.emit(tornados, chosen_format, output)
    render.print_notes(notes_of(results))


class PlotKind(StrEnum):
    paths = "paths"
    fan = "fan"
    tornado = "tornado"
    backtest = "backtest"
    legs = "legs"


@app.command(short_help=short_help("plot"))
def plot(
    kind: Annotated[
        PlotKind,
        typer.Argument(
            help="paths, fan (Monte Carlo bands), tornado, backtest or legs (a scenario's products)."
        ),
    ],
    scenarios: Annotated[
        list[str] | None,
        scenario_arguments("Scenario names or TOML files (default: every scenario; tornado: name one)."),
    ] = None,
    output: Annotated[Path, typer.Option("--output", "-o", help="The image: FILE.png or FILE.svg.")] = ...,  # type: ignore[assignment]
    target: Annotated[str | None, typer.Option(help="Target amount (default: each scenario's own).")] = None,
    runs: RunsOption = RUNS,
    seed: SeedOption = None,
    swing: Annotated[float, typer.Option(help="tornado: as in `tradesim sensitivity`.")] = 0.25,
    reporter: ReporterOption = None,
    partner: PartnerOption = None,
    method: Annotated[
        str, typer.Option(help="backtest: cagr:K or scenario (as in `tradesim backtest`).")
    ] = "cagr:3",
    commodity: CommodityOption = None,
    scenario_dir: ScenarioDir = None,
    data_dir: DataDir = None,
) -> None:
    """Draw the scenarios' paths, a simulation fan or a tornado to a PNG or SVG file (needs tradesim-bilateral[plot]).

    SCENARIOS: names or TOML files (default: every scenario found; tornado: name one).
    """
    from tradesim import montecarlo, report
    from tradesim import plot as plotting
    from tradesim import sensitivity as sens
    from tradesim.notes import notes as notes_of

    fixed_seed = simulation_settings(runs, seed)
    given = parse_target(target) if target is not None else None
    if kind is PlotKind.backtest:
        from tradesim import backtest

        reporter, partner = pair(reporter, partner)
        model_scenario = None
        if scenarios:
            if len(scenarios) != 1:
                raise InputError(f"plot backtest takes at most one scenario, got {len(scenarios)}")
            model_scenario = chosen_scenarios(scenarios, scenario_dir)[0]
        data = dataset(data_dir)
        product = data.product(reporter, partner, commodity)
        result = backtest.run(
            reporter,
            partner,
            method=method,
            horizons=(1, 2, 3, 4, 5),
            scenario=model_scenario,
            data=data,
            product=product,
        )
        if not result.forecasts:
            raise InputError(
                f"{reporter}–{partner}: no past projection to draw ({'; '.join(result.warnings)})"
            )
        typer.echo(f"wrote {plotting.backtest(result, output)}")
        return
    chosen = chosen_scenarios(scenarios or [], scenario_dir, commodity=commodity)
    if kind in (PlotKind.tornado, PlotKind.legs) and len(chosen) != 1:
        names = ", ".join(s.name for s in chosen)
        raise InputError(f"plot {kind} draws one scenario: name one (got {len(chosen)}: {names})")
    results = report.evaluate(
        chosen,
        target=given,
        data=dataset(data_dir),
    )
    if kind is PlotKind.paths:
        written = plotting.paths(results, output)
    elif kind is PlotKind.legs:
        written = plotting.legs(results[0], output)
    elif kind is PlotKind.fan:
        simulations = [
            montecarlo.simulate(
                r.scenario, target=r.target, runs=runs, rng=fixed_seed, baseline=r.projection.baseline
            )
            for r in results
        ]
        written = plotting.fan(simulations, output)
    else:
        first = results[0]
        moved = sens.tornado(first.scenario, first.target, swing=swing, baseline=first.projection.baseline)
        written = plotting.tornado(moved, output)
    typer.echo(f"wrote {written}")
    render.print_notes(notes_of(results))
