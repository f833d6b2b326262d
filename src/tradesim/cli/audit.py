"""`tradesim audit`: the claims of scenario files."""

from __future__ import annotations

import json

import typer

from tradesim.cli import render
from tradesim.cli._app import app
from tradesim.cli.options import (
    Baselines,
    BaselinesOption,
    DataDir,
    EveryScenarioArgs,
    ScenarioDir,
    SolveFormat,
    SolveFormatOption,
    dataset,
)


@app.command(short_help="Check the [[claims]] of scenario files.")
def audit(
    scenarios: EveryScenarioArgs = None,
    baselines: BaselinesOption = Baselines.default,
    format: SolveFormatOption = SolveFormat.table,
    scenario_dir: ScenarioDir = None,
    data_dir: DataDir = None,
) -> None:
    """Check each scenario's [[claims]]: holds or not, and what would have to be true for it to hold."""
    from tradesim import audit as audit_module
    from tradesim import scenario

    chosen = scenario.load_many(scenarios or [], scenario.scenario_directory(scenario_dir))
    data = dataset(data_dir)
    verdicts = audit_module.audit(chosen, all_baselines=baselines is Baselines.all, data=data)
    caveats = audit_module.warnings(chosen, data)
    if format is SolveFormat.json:
        typer.echo(json.dumps(audit_module.to_json(verdicts, caveats), indent=2, allow_nan=False))
    else:
        render.audit_report(verdicts)
    render.print_notes(caveats)
