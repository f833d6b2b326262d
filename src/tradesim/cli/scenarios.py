"""`tradesim scenarios` and `tradesim scenarios validate`."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Annotated, Any

import typer

from tradesim.cli import render
from tradesim.cli._app import Boundary
from tradesim.cli.locations import scenario_folder
from tradesim.cli.options import (
    DOCUMENTS,
    TABLES,
    DataDir,
    DocumentFormat,
    Output,
    ScenarioDir,
    TableFormat,
    dataset,
    format_option,
    scenario_arguments,
)
from tradesim.errors import Problem, ScenarioError, TradesimError
from tradesim.output import Table

if TYPE_CHECKING:
    from rich.console import Console

scenarios_app = typer.Typer(
    cls=Boundary, help="List the scenarios found, or validate scenario files.", rich_markup_mode=None
)


@scenarios_app.callback(invoke_without_command=True)
def scenarios_list(
    ctx: typer.Context,
    scenario_dir: ScenarioDir = None,
    format: Annotated[TableFormat | None, format_option(*TABLES)] = None,
    output: Output = None,
) -> None:
    """List the scenarios found: name, description, file (JSON: also pair, currency, and the problems of an
    invalid file)."""
    if ctx.invoked_subcommand is not None:
        return
    chosen_format = render.settle(format, output, TABLES)
    from tradesim import scenario

    directory = scenario_folder(scenario_dir)
    known = scenario.discover(directory)
    catalogue = {directory: known}  # read the folder once, not once per `extends`
    rows, records = [], []
    for name, path in known.items():
        record: dict[str, object] = {"name": name, "file": str(path)}
        try:
            loaded = scenario.load(path, directory=directory, catalogue=catalogue)
            description = loaded.description
            record |= {"reporter": loaded.reporter, "partner": loaded.partner, "currency": loaded.currency,
                       "description": " ".join(description.split()), "valid": True, "problems": []}  # fmt: skip
        except TradesimError as error:
            description = f"INVALID: {error.problems[0]}"
            record |= {"valid": False, "problems": [_problem(p) for p in error.problems]}
        records.append(record)
        rows.append({"scenario": name, "description": " ".join(description.split()), "file": str(path)})

    def frame() -> Any:
        import pandas as pd

        flat = [{k: v for k, v in r.items() if k != "problems"} for r in records]
        return pd.DataFrame(flat).set_index("name") if flat else pd.DataFrame()

    document = {"folder": str(directory), "scenarios": records}
    render.emit(
        Table(str(directory), frame, rows, document),
        chosen_format,
        output,
        table=lambda console: console.print(
            render.rich_table(rows, str(directory), columns=("scenario", "description", "file"))
        ),
    )


def _problem(problem: Problem) -> dict[str, object]:
    return {
        "file": None if problem.file is None else str(problem.file),
        "line": problem.line,
        "key": problem.key,
        "message": problem.message,
    }


@scenarios_app.command("validate", short_help="Check that scenario files load and project.")
def scenarios_validate(
    paths: Annotated[
        list[str] | None, scenario_arguments("Files or scenario names (default: all found).")
    ] = None,
    scenario_dir: ScenarioDir = None,
    data_dir: DataDir = None,
    format: Annotated[DocumentFormat | None, format_option(*DOCUMENTS)] = None,
    output: Output = None,
) -> None:
    """Validate scenario files: each must load and project; every problem in every file, one line each (JSON:
    every problem with file, line, key and message; exit 2 all the same when there is one)."""
    from tradesim.validate import validate

    chosen_format = render.settle(format, output, DOCUMENTS)
    valid, problems = validate(paths or [], scenario_folder(scenario_dir), data=dataset(data_dir))
    accepted = [{"name": item.name, "file": str(item.path)} for item in valid]
    document = {
        "valid": accepted,
        "problems": [_problem(p) for p in problems],
    }
    lines = [{"ok": f"ok: {item.name} ({item.path})"} for item in valid]

    def table(console: Console) -> None:
        for line in lines:
            console.print(line["ok"], markup=False, highlight=False, soft_wrap=False)

    def frame() -> Any:
        import pandas as pd

        return pd.DataFrame(accepted, columns=["name", "file"])

    render.emit(Table("Valid scenarios", frame, lines, document), chosen_format, output, table=table)
    if problems and chosen_format == "json":
        raise typer.Exit(2)
    if problems:
        raise ScenarioError(problems)


@scenarios_app.command("schema", short_help="The JSON Schema of scenario files, for editors.")
def scenarios_schema(output: Output = None) -> None:
    """Print the JSON Schema of scenario files, for an editor's completion, hover and messages (the manual's
    "Scenario files", Editors): the same field rules as validation, with descriptions, and the keys that
    exclude each other. The other cross-field rules are checked by `tradesim scenarios validate`."""
    from tradesim.jsonschema import scenario_schema

    render.settle("json", output, ("json",))
    render.write(json.dumps(scenario_schema(), indent=2, ensure_ascii=False) + "\n", output)
