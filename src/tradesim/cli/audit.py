"""`tradesim audit`: the claims of scenario files."""

from __future__ import annotations

from typing import Annotated

import typer

from tradesim.cli import render
from tradesim.cli._app import short_help
from tradesim.cli.options import (
    TABLES,
    Baselines,
    BaselinesOption,
    CommodityOption,
    DataDir,
    EveryScenarioArgs,
    Output,
    ScenarioDir,
    TableFormat,
    chosen_scenarios,
    dataset,
    format_option,
)

app = typer.Typer(
    add_completion=False, rich_markup_mode=None
)  # loaded by the root on first use (_app.COMMANDS)


@app.command(short_help=short_help("audit"))
def audit(
    scenarios: EveryScenarioArgs = None,
    baselines: BaselinesOption = Baselines.default,
    format: Annotated[TableFormat | None, format_option(*TABLES)] = None,
    output: Output = None,
    commodity: CommodityOption = None,
    scenario_dir: ScenarioDir = None,
    data_dir: DataDir = None,
) -> None:
    """Check each scenario's [[claims]]: holds or not, and what would have to be true for it to hold."""
    from tradesim import audit as audit_module

    chosen_format = render.settle(format, output, TABLES)
    chosen = chosen_scenarios(scenarios or [], scenario_dir, commodity=commodity)
    data = dataset(data_dir)
    verdicts = audit_module.audit(chosen, all_baselines=baselines is Baselines.all, data=data)
    result = audit_module.Audit(verdicts, audit_module.warnings(chosen, data))
    render.emit(result, chosen_format, output, table=lambda console: render.audit_report(console, result))
    render.print_notes(list(result.caveats))
