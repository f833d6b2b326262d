"""`tradesim targets`: every announced target, tracked."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from tradesim.cli import render
from tradesim.cli._app import app
from tradesim.cli.options import DataDir, Format, ScenarioDir, check_countries, dataset
from tradesim.errors import InputError
from tradesim.quantities import parse_rate


@app.command(short_help="Every announced target: met, on track, behind, off track.")
def targets(
    reporter: Annotated[str, typer.Option(help="The reporter, e.g. KAZ.")] = "KAZ",
    partner: Annotated[list[str] | None, typer.Option(help="Only these partners (repeatable).")] = None,
    as_of: Annotated[int | None, typer.Option(help="Judge with the data up to YEAR only.")] = None,
    total_growth: Annotated[
        str, typer.Option(help="Portfolio: growth of the reporter's total trade, 0.03 or 3%.")
    ] = "3%",
    format: Annotated[Format, typer.Option("--format", "-f", help="Output format.")] = Format.table,
    scenario_dir: ScenarioDir = None,
    data_dir: DataDir = None,
) -> None:
    """One row per target (the data's and the scenario files'): the figure when it was stated, the latest actual
    and nowcast, the growth achieved and still required, the probability of reaching it, and a status; then the
    portfolio of the reporter's targets (README "Targets")."""
    from tradesim import scenario
    from tradesim import targets as core
    from tradesim.errors import TradesimError
    from tradesim.quantities import format_money, format_percent

    check_countries(reporter=reporter)
    growth = parse_rate(total_growth, what="--total-growth")
    try:
        scenarios = scenario.load_many([], scenario.scenario_directory(scenario_dir))
    except TradesimError:
        scenarios = []  # a broken scenario folder does not hide the data's targets; `scenarios validate` says why
    data = dataset(data_dir)
    rows = core.tracked(reporter, partner or [], as_of=as_of, scenarios=scenarios, data=data)
    if not rows:
        raise InputError(f"no target of {reporter} in the data or the scenarios")
    book = core.portfolio(reporter, rows, growth, data=data)
    document = {
        "as_of": as_of,
        "reporter": reporter,
        "targets": [r.to_json() for r in rows],
        "portfolio": book.to_json() if book else None,
    }
    if format is Format.json:
        typer.echo(json.dumps(document, indent=2, ensure_ascii=False, allow_nan=False))
        return

    def pct(value: float | None) -> str:
        return "—" if value is None else format_percent(value, 1, signed=True)

    table = [
        {
            "partner": r.partner,
            "target": format_money(r.value, r.currency),
            "by": "—" if r.year is None else f"{r.year}{' (assumed)' if r.year_assumed else ''}",
            "stated": str(r.announced or "—"),
            "then": "—"
            if r.at_announcement is None
            else f"{format_money(r.at_announcement.amount, r.currency)} ({r.at_announcement.year})",
            "latest": "—"
            if r.latest_actual is None
            else f"{format_money(r.latest_actual.amount, r.currency)} ({r.latest_actual.year})",
            "nowcast": "—" if r.nowcast is None else f"{format_money(r.nowcast.estimate)} ({r.nowcast.year})",  # type: ignore[attr-defined]
            "achieved": pct(r.achieved_growth),
            "required": pct(r.required_growth),
            "P(reach)": "—" if r.p_reach is None else format_percent(r.p_reach, 0),
            "status": r.status,
        }
        for r in rows
    ]
    if format is Format.csv:
        import csv
        import io

        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=list(table[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(table)
        typer.echo(out.getvalue(), nl=False)
        return
    if format is Format.markdown:
        from tradesim import report

        typer.echo(report.to_markdown(table), nl=False)
        return
    render.make_console().print(render.rich_table(table, f"{reporter}'s trade targets"))
    converted = sorted(
        {
            f"{r.partner} {o.year}: {o.fx}"
            for r in rows
            for o in (r.at_announcement, r.latest_actual)
            if o is not None and o.fx
        }
    )
    render.print_notes([f"in the target's currency: {line}" for line in converted])
    if book is not None and book.share_then is not None:
        line = (
            f"portfolio: if {', '.join(book.partners)} met their largest targets by {book.year}, "
            f"{format_money(book.sum_of_targets)} would be {format_percent(book.share_then)} of {reporter}'s total "
            f"trade then ({format_money(book.total_then or 0)}: {format_money(book.total_latest.amount if book.total_latest else 0)} "
            f"in {book.total_latest.year if book.total_latest else '—'} at {format_percent(book.total_growth, signed=True)}/yr)"
        )
        if book.share_now is not None:
            line += f"; their latest actuals are {format_percent(book.share_now)} of it now"
        line += "; IMPLAUSIBLE" if book.implausible else "; plausible at that growth"
        render.make_console().print(line, soft_wrap=True, markup=False)
