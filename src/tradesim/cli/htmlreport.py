"""`tradesim report`: a self-contained HTML page to send."""

from __future__ import annotations

import shlex
from pathlib import Path
from typing import Annotated

import typer

from tradesim.cli import render
from tradesim.cli._app import short_help
from tradesim.cli.options import (
    RUNS,
    CommodityOption,
    DataDir,
    RunsOption,
    ScenarioDir,
    SeedOption,
    chosen_scenarios,
    dataset,
    scenario_arguments,
    simulation_settings,
)
from tradesim.quantities import parse_target

app = typer.Typer(
    add_completion=False, rich_markup_mode=None
)  # loaded by the root on first use (_app.COMMANDS)


@app.command("report", short_help=short_help("report"))
def report_page(
    scenarios: Annotated[
        list[str] | None, scenario_arguments("Scenario names or TOML files (default: every scenario found).")
    ] = None,
    output: Annotated[
        Path, typer.Option("--output", "-o", help="The page: FILE.html (written atomically).")
    ] = ...,  # type: ignore[assignment]
    target: Annotated[str | None, typer.Option(help="Target amount (default: each scenario's own).")] = None,
    simulate: Annotated[
        bool, typer.Option("--simulate", help="Add the simulation fan and the reach-year distribution.")
    ] = False,
    runs: RunsOption = RUNS,
    seed: SeedOption = None,
    commodity: CommodityOption = None,
    scenario_dir: ScenarioDir = None,
    data_dir: DataDir = None,
) -> None:
    """Write one HTML page: first what the latest figures say about the target (on each side's statistics),
    then each scenario's path against it, the claims checked, the reporter's targets, every number's source,
    period and status, and how to reproduce it. --simulate takes the same defaults as `tradesim simulate`
    (100,000 paths, a fresh seed, written on the page). No script; charts are inline SVG; nothing is fetched
    when it is viewed."""
    from tradesim import audit, htmlreport, montecarlo, report, targets
    from tradesim.atomic import check_destination, write_text_atomic
    from tradesim.notes import notes as notes_of

    check_destination(output, suffixes=(".html", ".htm"))
    fixed_seed = simulation_settings(runs, seed)
    given = parse_target(target) if target is not None else None
    chosen = chosen_scenarios(scenarios or [], scenario_dir, commodity=commodity)
    data = dataset(data_dir)
    results = report.evaluate(chosen, target=given, data=data)
    simulations = (
        [
            montecarlo.simulate(
                r.scenario, target=r.target, runs=runs, rng=fixed_seed, baseline=r.projection.baseline
            )
            for r in results
        ]
        if simulate
        else []
    )
    reporter = chosen[0].reporter
    notes = notes_of(results)
    page = htmlreport.render(
        results,
        command=_command_line(
            scenarios or [], output, target, simulate, runs, fixed_seed, scenario_dir, data_dir
        ),
        verdicts=audit.audit(chosen, data=data),
        tracked=targets.tracked(reporter, scenarios=chosen, data=data),
        simulations=simulations,
        notes=notes,
    )
    write_text_atomic(output, page)
    typer.echo(f"wrote {output}")
    render.print_notes(notes)


def _command_line(
    scenarios: list[str],
    output: Path,
    target: str | None,
    simulate: bool,
    runs: int,
    seed: int,
    scenario_dir: Path | None,
    data_dir: Path | None,
) -> str:
    """The command that writes this page again, rebuilt from the parsed options (not from argv)."""
    words = ["tradesim", "report", *scenarios, "--output", str(output)]
    if target is not None:
        words += ["--target", target]
    if simulate:
        words += ["--simulate", "--runs", str(runs), "--seed", str(seed)]
    if scenario_dir is not None:
        words += ["--scenarios", str(scenario_dir)]
    if data_dir is not None:
        words += ["--data", str(data_dir)]
    return shlex.join(words)
