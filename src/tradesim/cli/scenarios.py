"""`tradesim scenarios` and `tradesim scenarios validate`."""

from __future__ import annotations

from typing import Annotated

import typer

from tradesim.cli import render
from tradesim.cli._app import Boundary, app
from tradesim.cli.options import DataDir, ScenarioDir
from tradesim.errors import ScenarioError, TradesimError

scenarios_app = typer.Typer(
    cls=Boundary, help="List the scenarios found, or validate scenario files.", rich_markup_mode=None
)
app.add_typer(scenarios_app, name="scenarios")


@scenarios_app.callback(invoke_without_command=True)
def scenarios_list(ctx: typer.Context, scenario_dir: ScenarioDir = None) -> None:
    """List the scenarios found: name, description, file."""
    if ctx.invoked_subcommand is not None:
        return

    from tradesim import scenario

    directory = scenario.scenario_directory(scenario_dir)
    known = scenario.discover(directory)
    catalogue = {directory: known}  # read the folder once, not once per `extends`
    rows = []
    for name, path in known.items():
        try:
            description = scenario.load(path, directory=directory, catalogue=catalogue).description
        except TradesimError as error:
            description = f"INVALID: {error.problems[0]}"
        rows.append({"scenario": name, "description": " ".join(description.split()), "file": str(path)})
    render.make_console().print(
        render.rich_table(rows, str(directory), columns=("scenario", "description", "file"))
    )


@scenarios_app.command("validate", short_help="Check that scenario files load and project.")
def scenarios_validate(
    paths: Annotated[
        list[str] | None, typer.Argument(help="Files or scenario names (default: all found).")
    ] = None,
    scenario_dir: ScenarioDir = None,
    data_dir: DataDir = None,
) -> None:
    """Validate scenario files: each must load and project; every problem in every file, one line each."""
    from tradesim import scenario
    from tradesim.validate import validate

    valid, problems = validate(paths or [], scenario.scenario_directory(scenario_dir))
    for item in valid:
        typer.echo(f"ok: {item.name} ({item.path})")
    if problems:
        raise ScenarioError(problems)
