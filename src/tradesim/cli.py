"""The command line: parse options, call one core function, render its result.

One error boundary (:class:`_Boundary`): exit 0 on success, 1 when a check fails, 2 on bad input (usage errors
and every :class:`~tradesim.errors.TradesimError`) with one line per problem on stderr and no traceback
(``--traceback`` re-raises), 130 on Ctrl-C. Core modules are imported inside commands so ``--help`` stays fast.
"""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer.core import TyperGroup

from tradesim.errors import CheckFailed, InputError, TradesimError
from tradesim.quantities import parse_amount, parse_rate

if TYPE_CHECKING:
    import pandas as pd
    from rich.console import Console


class _Boundary(TyperGroup):
    """Turns errors into exit codes and one-line messages, for the console script and CliRunner alike."""

    def main(self, *args: Any, **kwargs: Any) -> Any:
        standalone_mode = kwargs.pop("standalone_mode", True)
        argv = list(kwargs.get("args") or (args[0] if args else None) or sys.argv[1:])
        try:
            code = super().main(*args, **kwargs, standalone_mode=False)  # type: ignore[misc]
        except TradesimError as error:
            if "--traceback" in argv:
                raise
            for problem in error.problems:
                typer.echo(f"tradesim: error: {problem}", err=True)
            code = 1 if isinstance(error, CheckFailed) else 2
        except typer.TyperException as error:  # typer's (vendored click's) usage errors
            context = getattr(error, "ctx", None)
            where = f"{context.command_path}: " if context is not None else ""
            typer.echo(f"tradesim: error: {where}{error.format_message()} (see --help)", err=True)
            code = error.exit_code
        except (typer.Abort, KeyboardInterrupt):
            code = 130
        if not standalone_mode:
            return code
        sys.exit(code if isinstance(code, int) else 0)


app = typer.Typer(
    cls=_Boundary,
    help="Model a country's trade against a political trade target, from sourced data and scenario files.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
scenarios_app = typer.Typer(
    cls=_Boundary, help="List the scenarios found, or validate scenario files.", rich_markup_mode=None
)
app.add_typer(scenarios_app, name="scenarios")


class Format(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"
    markdown = "markdown"


class DataFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


def _version(value: bool) -> None:
    if value:
        from tradesim import __version__

        typer.echo(f"tradesim {__version__}")
        raise typer.Exit


@app.callback()
def _root(
    traceback: Annotated[
        bool, typer.Option("--traceback", help="Show the full traceback of an error.")
    ] = False,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    """tradesim: when is the target reached, at what growth, and what share of total trade is that?"""


ScenarioDir = Annotated[
    Path | None,
    typer.Option(
        "--scenarios",
        help="Folder of scenario files (default: $TRADESIM_SCENARIOS, ./scenarios, or the "
        "reference scenarios shipped with tradesim).",
        show_default=False,
    ),
]
Output = Annotated[
    Path | None, typer.Option("--output", "-o", help="Write to FILE (atomically) instead of stdout.")
]


def _console(output: Path | None = None, *, stderr: bool = False) -> Console:
    from rich.console import Console

    if output is not None:
        import io

        return Console(record=True, width=160, file=io.StringIO(), color_system=None)
    import os

    # Not a terminal (a pipe, a CI log): 120 columns unless $COLUMNS says otherwise, not Rich's 80.
    stream = sys.stderr if stderr else sys.stdout
    width = None if stream.isatty() or os.environ.get("COLUMNS") else 120
    return Console(stderr=stderr, highlight=False, soft_wrap=False, width=width)


def _emit(text: str, output: Path | None) -> None:
    if output is None:
        typer.echo(text, nl=not text.endswith("\n"))
        return
    from tradesim.atomic import write_text_atomic

    if not output.parent.is_dir():
        raise InputError(f"--output: folder {output.parent} does not exist")
    write_text_atomic(output, text)


def _rich_table(frame: pd.DataFrame, title: str | None = None) -> Any:
    from rich import box
    from rich.table import Table

    table = Table(title=title, title_justify="left", header_style="bold", box=box.SIMPLE_HEAD)
    for column in frame.columns:
        text = column in ("growth", "rest", "description", "file", "source")
        table.add_column(
            str(column),
            justify="left" if text or column == "scenario" else "right",
            no_wrap=not text,
            min_width=12 if column in ("growth", "description", "source") else None,
        )
    for row in frame.itertuples(index=False):
        table.add_row(*(str(v) for v in row))
    return table


def _warn(notes: list[str]) -> None:
    if notes:
        console = _console(stderr=True)
        for note in notes:
            console.print(f"[yellow]note:[/yellow] {note}", highlight=False, markup=True, soft_wrap=True)


# ---------------------------------------------------------------------------------------------- project
@app.command()
def project(
    scenarios: Annotated[
        list[str] | None, typer.Argument(help="Scenario names or TOML files (default: every scenario found).")
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
    growth: Annotated[
        str | None, typer.Option(help="Ad-hoc scenario: bilateral growth, 0.07 or 7% (replaces the files).")
    ] = None,
    rest_growth: Annotated[
        str | None, typer.Option(help="Ad-hoc scenario: growth of the rest of the reporter's trade.")
    ] = None,
    full_year: Annotated[
        bool,
        typer.Option(
            "--full-year",
            help="Default baseline: the full-year 2023 figure ($16.1B, QazTrade) "
            "instead of the article's $14.5B (Jan–Nov 2023).",
        ),
    ] = False,
    format: Annotated[Format, typer.Option("--format", "-f", help="Output format.")] = Format.table,
    output: Output = None,
    detail: Annotated[bool, typer.Option("--detail", help="Add a per-year table for each scenario.")] = False,
    scenario_dir: ScenarioDir = None,
) -> None:
    """Project every scenario year by year and read it against the target."""
    from tradesim import report, scenario

    target_value = parse_amount(target, what="--target", positive=True) if target is not None else None
    if growth is not None or rest_growth is not None:
        if scenarios:
            raise InputError("--growth/--rest-growth build the ad-hoc scenario; do not also name scenarios")
        chosen = [
            scenario.ad_hoc(
                parse_rate(growth or 0.0, what="--growth"),
                parse_rate(rest_growth or 0.0, what="--rest-growth"),
            )
        ]
    else:
        chosen = scenario.load_many(scenarios or [], scenario.scenario_directory(scenario_dir))
    results = report.evaluate(chosen, target=target_value, by=by, horizon=horizon, full_year=full_year)
    notes = report.notes(results)
    if format is Format.json:
        _emit(json.dumps(report.to_json(results), indent=2, allow_nan=False) + "\n", output)
    elif format is Format.csv:
        _emit(report.long_frame(results).to_csv(index=False, float_format="%.10g"), output)
    elif format is Format.markdown:
        _emit(report.to_markdown(report.summary_display(results)), output)
    else:
        console = _console(output)
        console.print(_rich_table(report.summary_display(results), report.title(results)))
        if detail:
            for result in results:
                title = f"{result.scenario.name}: {result.scenario.description}"
                console.print(_rich_table(report.years_display(result), title))
        if output is not None:
            _emit(console.export_text(), output)
    _warn(notes)


# ------------------------------------------------------------------------------------------------- data
@app.command()
def data(
    partner: Annotated[
        str | None, typer.Option(help="ISO 3166 alpha-3 partner, e.g. ITA (WLD: the world).")
    ] = None,
    reporter: Annotated[str | None, typer.Option(help="Reporting country, e.g. KAZ.")] = None,
    year: Annotated[int | None, typer.Option(help="Year of the observation.")] = None,
    kind: Annotated[str | None, typer.Option(help="trade, share, target or fx.")] = None,
    flow: Annotated[str | None, typer.Option(help="total, export, import (rate for fx).")] = None,
    status: Annotated[
        str | None, typer.Option(help="reported, approximate, derived, unverified, ...")
    ] = None,
    format: Annotated[DataFormat, typer.Option("--format", "-f", help="Output format.")] = DataFormat.table,
    output: Output = None,
) -> None:
    """Print the shipped observations with period, status and source."""
    from tradesim import data as data_module

    frame = data_module.load_observations()
    criteria = {
        "partner": partner,
        "reporter": reporter,
        "year": year,
        "kind": kind,
        "flow": flow,
        "status": status,
    }
    for column, value in criteria.items():
        if value is not None:
            known = sorted(map(str, frame[column].unique()))
            if str(value) not in known:
                raise InputError(f"--{column}: no observation has {value!r} (known: {', '.join(known)})")
            frame = frame[frame[column] == value]
    if format is DataFormat.json:
        _emit(frame.to_json(orient="records", indent=2, force_ascii=False) + "\n", output)
    elif format is DataFormat.csv:
        _emit(frame.to_csv(index=False), output)
    else:
        shown = frame[
            [
                "kind",
                "reporter",
                "partner",
                "flow",
                "year",
                "period",
                "value",
                "unit",
                "status",
                "reported_by",
                "source",
            ]
        ]
        console = _console(output)
        console.print(_rich_table(shown.astype(str), f"{len(shown)} observations"))
        if output is not None:
            _emit(console.export_text(), output)


# -------------------------------------------------------------------------------------------- scenarios
@scenarios_app.callback(invoke_without_command=True)
def scenarios_list(ctx: typer.Context, scenario_dir: ScenarioDir = None) -> None:
    """List the scenarios found: name, description, file."""
    if ctx.invoked_subcommand is not None:
        return
    import pandas as pd

    from tradesim import scenario

    directory = scenario.scenario_directory(scenario_dir)
    rows = []
    for name, path in scenario.discover(directory).items():
        try:
            description = scenario.load(path, directory=directory).description
        except TradesimError as error:
            description = f"INVALID: {error.problems[0]}"
        rows.append({"scenario": name, "description": " ".join(description.split()), "file": str(path)})
    _console().print(
        _rich_table(pd.DataFrame(rows, columns=["scenario", "description", "file"]), str(directory))
    )


@scenarios_app.command("validate")
def scenarios_validate(
    paths: Annotated[
        list[str] | None, typer.Argument(help="Files or scenario names (default: all found).")
    ] = None,
    scenario_dir: ScenarioDir = None,
) -> None:
    """Validate scenario files without projecting; every problem in every file, one line each."""
    from tradesim import scenario

    loaded = scenario.load_many(paths or [], scenario.scenario_directory(scenario_dir))
    for item in loaded:
        typer.echo(f"ok: {item.name} ({item.path})")


def main() -> None:
    """Console-script entry point."""
    app(prog_name="tradesim")
