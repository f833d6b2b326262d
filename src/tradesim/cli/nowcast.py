"""`tradesim nowcast`: the full year from a partial one."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from tradesim.cli import render
from tradesim.cli._app import app
from tradesim.cli.options import DataDir, SolveFormat, SolveFormatOption, check_countries, dataset


@app.command(short_help="The full year from a partial-year figure.")
def nowcast(
    reporter: Annotated[str, typer.Option(help="The reporter, e.g. KAZ.")] = "KAZ",
    partner: Annotated[str, typer.Option(help="The partner, e.g. ITA.")] = "ITA",
    year: Annotated[
        int | None, typer.Option(help="The year to estimate (default: the latest with a partial figure).")
    ] = None,
    from_period: Annotated[
        str | None,
        typer.Option("--from", help="The partial figure: h1, q1, jan-aug, ... (default: the longest)."),
    ] = None,
    evaluate: Annotated[
        bool,
        typer.Option(
            "--evaluate", help="Leave-one-out record: every past year nowcast without its full year."
        ),
    ] = False,
    format: SolveFormatOption = SolveFormat.table,
    data_dir: DataDir = None,
) -> None:
    """Estimate a full year of a pair's trade from its latest partial-year figure, with a 90% interval, from the
    history of that period's share of the full year (README "Nowcast")."""
    from tradesim import nowcast as core
    from tradesim.quantities import format_money, format_percent

    check_countries(reporter=reporter, partner=partner)
    if evaluate:
        results = core.evaluate(reporter, partner, data=dataset(data_dir))
        if format is SolveFormat.json:
            typer.echo(
                json.dumps(
                    {
                        "reporter": reporter,
                        "partner": partner,
                        "interval": core.INTERVAL,
                        "evaluations": [
                            {**r.nowcast.to_json(), "actual": r.actual, "error": r.error, "held": r.held}
                            for r in results
                        ],
                    },
                    indent=2,
                    ensure_ascii=False,
                    allow_nan=False,
                )
            )
            return
        rows = [
            {
                "year": str(r.year),
                "from": r.period,
                "partial": format_money(r.nowcast.partial.amount, digits=2),
                "estimate": format_money(r.nowcast.estimate, digits=2),
                "90% interval": f"{format_money(r.nowcast.low, digits=2)}–{format_money(r.nowcast.high, digits=2)}",
                "actual": format_money(r.actual, digits=2),
                "error": format_percent(r.error, 1, signed=True),
                "held": "yes" if r.held else "no",
                "method": f"{r.nowcast.method} (n={len(r.nowcast.ratios)})",
            }
            for r in results
        ]
        held = sum(r.held for r in results)
        title = f"{reporter}–{partner}: nowcasts without their full year; the interval held {held} of {len(results)}"
        render.make_console().print(render.rich_table(rows, title))
        return
    answer = core.nowcast(reporter, partner, year, from_period, data=dataset(data_dir))
    if format is SolveFormat.json:
        typer.echo(json.dumps(answer.to_json(), indent=2, ensure_ascii=False, allow_nan=False))
    else:
        rows = [
            {
                "year": str(answer.year),
                "from": answer.from_period,
                "partial": format_money(answer.partial.amount, digits=2),
                "estimate": format_money(answer.estimate, digits=2),
                "90% interval": f"{format_money(answer.low, digits=2)}–{format_money(answer.high, digits=2)}",
                "method": answer.method,
                "history (FY / partial)": ", ".join(f"{y}: ×{r:.3f}" for y, r in answer.ratios) or "—",
            }
        ]
        render.make_console().print(
            render.rich_table(rows, f"{reporter}–{partner} trade, full year {answer.year}")
        )
        render.print_notes([f"used: {o.label()} — {o.source}" for o in answer.used])
    render.print_notes(list(answer.warnings))
