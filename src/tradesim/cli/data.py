"""`tradesim data`: the observations with their provenance."""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer

from tradesim.cli import render
from tradesim.cli._app import app
from tradesim.cli.options import DataDir, DataFormat, Output
from tradesim.errors import InputError


@app.command(short_help="The observations, with period, status, source.")
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
    period: Annotated[str | None, typer.Option(help="FY, FY-as-stated, jan-nov, h1, ...")] = None,
    reported_by: Annotated[str | None, typer.Option(help="Whose statistics, e.g. KAZ or CHN.")] = None,
    format: Annotated[DataFormat, typer.Option("--format", "-f", help="Output format.")] = DataFormat.table,
    output: Output = None,
    data_dir: DataDir = None,
) -> None:
    """Print the observations in use (shipped, and your data folder's) with period, status, source and origin."""
    from tradesim import data as data_module

    frame = data_module.load_observations()
    criteria = {
        "partner": partner,
        "reporter": reporter,
        "year": year,
        "kind": kind,
        "flow": flow,
        "status": status,
        "period": period,
        "reported_by": reported_by,
    }
    for column, value in criteria.items():
        if value is not None:
            known = sorted(map(str, frame[column].unique()))
            if str(value) not in known:
                option = "--" + column.replace("_", "-")
                raise InputError(f"{option}: no observation has {value!r} (known: {', '.join(known)})")
            frame = frame[frame[column] == value]
    if format is DataFormat.json:
        native = frame.to_dict("records")  # native ints and floats: 1.3257 stays 1.3257, "/" stays "/"
        render.emit(json.dumps(native, indent=2, ensure_ascii=False, allow_nan=False) + "\n", output)
    elif format is DataFormat.csv:
        render.emit(frame.to_csv(index=False), output)
    else:
        # url, note and published: `--format json` or csv; origin says which file a row came from
        shown = frame[[*(c for c in data_module.COLUMNS if c not in ("url", "note")), "origin"]]
        console = render.make_console(output)
        records: list[dict[str, Any]] = shown.astype(str).to_dict("records")  # type: ignore[assignment]
        console.print(render.rich_table(records, f"{len(shown)} observations"))
        if output is not None:
            render.emit(console.export_text(), output)
