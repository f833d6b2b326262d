"""Terminal output for the CLI: Rich tables, notes on stderr, the progress bar, and writing --output files.

Not part of the core: it imports rich (lazily, so `tradesim --help` stays light). Every function takes results
the core computed and only formats them.
"""

from __future__ import annotations

import io
import json
import math
import os
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from tradesim.errors import InputError

if TYPE_CHECKING:
    from rich.console import Console


def make_console(output: Path | None = None, *, stderr: bool = False) -> Console:
    from rich.console import Console

    if output is not None:
        return Console(record=True, width=160, file=io.StringIO(), color_system=None)

    stream = sys.stderr if stderr else sys.stdout
    if stream.isatty():
        return Console(stderr=stderr, highlight=False, soft_wrap=False)
    # Not a terminal (a pipe, a file, a CI log): 160 columns unless $COLUMNS says otherwise (not Rich's 80),
    # and no trailing spaces (Rich pads every line to the table's width).
    columns = os.environ.get("COLUMNS", "")
    width = int(columns) if columns.isdigit() and int(columns) > 0 else PIPE_WIDTH
    return Console(file=_LinesStripped(stream), highlight=False, soft_wrap=False, width=width)


PIPE_WIDTH = 160


class _LinesStripped(io.StringIO):
    """A text stream that passes each complete line on without its trailing spaces."""

    def __init__(self, stream: Any) -> None:
        super().__init__()
        self._stream = stream
        self._pending = ""

    def write(self, text: str) -> int:  # only passes on: the StringIO base is for the type, not storage
        lines = (self._pending + text).split("\n")
        self._pending = lines.pop()
        for line in lines:
            self._stream.write(line.rstrip() + "\n")
        return len(text)

    def flush(self) -> None:
        if self._pending:
            self._stream.write(self._pending.rstrip())
            self._pending = ""
        self._stream.flush()

    def isatty(self) -> bool:
        return False


def emit(text: str, output: Path | None) -> None:
    if output is None:
        typer.echo(text, nl=not text.endswith("\n"))
        return
    from tradesim.atomic import check_destination, write_text_atomic

    check_destination(output)
    write_text_atomic(output, text)


def rich_table(
    rows: Sequence[Mapping[str, Any]], title: str | None = None, columns: Sequence[str] = ()
) -> Any:
    """A Rich table of formatted rows (dicts with the same keys)."""
    from rich import box
    from rich.table import Table

    table = Table(title=title, title_justify="left", header_style="bold", box=box.SIMPLE_HEAD)
    for column in columns or (list(rows[0]) if rows else []):
        text = column in ("growth", "rest", "description", "file", "source", "what", "message", "input")
        table.add_column(
            str(column),
            justify="left" if text or column == "scenario" else "right",
            no_wrap=not text,
            overflow="fold",  # wrapped text is never cut short with "…"
            min_width=12 if column in ("growth", "description", "source") else None,
        )
    for row in rows:
        table.add_row(*(str(v) for v in row.values()))
    return table


def print_notes(notes: list[str]) -> None:
    if notes:
        from rich.markup import escape

        console = make_console(stderr=True)
        for note in notes:  # a note's own brackets ([fx], [[targets]]) are text, not markup
            console.print(
                f"[yellow]note:[/yellow] {escape(note)}", highlight=False, markup=True, soft_wrap=True
            )


def solve_report(
    kind: str,
    solved: str,
    rows: list[dict[str, str]],
    answers: list[Any],
    format: str,
    runs: list[Any],
) -> None:
    print_notes(list(dict.fromkeys(w for _, baseline in runs for w in baseline.warnings)))
    import dataclasses

    if format == "json":
        document = {"solve": kind, "solved": solved, "results": [dataclasses.asdict(a) for a in answers]}
        typer.echo(json.dumps(document, indent=2, allow_nan=False))
        return

    console = make_console()
    console.print(f"Solved: {solved}", soft_wrap=True, markup=False)
    console.print(rich_table(rows))


def year_check(answer: Any, currency: str = "USD") -> str:
    """``$20.34B in 2028, $19.01B in 2027``: the path at and just before the year reached."""
    from tradesim.quantities import format_money

    if answer.check is None:
        return "—"
    text = f"{format_money(answer.check, currency, digits=2)} in {answer.reached_year}"
    if answer.check_before is not None:
        text += f", {format_money(answer.check_before, currency, digits=2)} in {answer.reached_year - 1}"
    return text


def check_report(results: list[Any]) -> None:
    from rich.markup import escape

    from tradesim import check as check_module
    from tradesim.quantities import format_money

    console = make_console()
    for r in results:
        mark = "[green]ok[/green]" if r.passed else "[red]FAILED[/red]"
        console.print(f"{mark} {escape(check_module.summary_line(r))}", soft_wrap=True, highlight=False)
        if r.snapshot.status == "drift":
            rows = []
            for d in r.snapshot.differences:
                share = d.metric == "share"

                def show(value: float | None, share: bool = share) -> str:
                    return (
                        "—" if value is None else f"{value:.4%}" if share else format_money(value, digits=3)
                    )

                diff = d.difference
                rows.append(
                    {
                        "year": str(d.year),
                        "metric": d.metric,
                        "expected": show(d.expected),
                        "actual": show(d.actual),
                        "difference": "—"
                        if diff is None
                        else f"{diff * 100:+.4f} pp"
                        if share
                        else f"{'+' if diff >= 0 else ''}{format_money(diff, digits=3)}",
                        "relative": "—" if diff is None or not d.expected else f"{diff / d.expected:+.2e}",
                    }
                )
            console.print(rich_table(rows, f"{r.scenario}: snapshot differences"))
        failing = [e for e in r.expectations if not e.holds]
        if failing:
            rows = [
                {
                    "expect": f"[{e.index}]",
                    "what": e.what,
                    "expected": e.expected,
                    "computed": e.computed_text,
                    "message": e.expectation.message,
                }
                for e in failing
            ]
            console.print(rich_table(rows, f"{r.scenario}: failed expectations"))


# --------------------------------------------------------------------------------------------- simulate


def progress_bar(total: int) -> Any:
    """A Rich progress bar on stderr for long runs in a terminal; otherwise a no-op."""
    import contextlib

    if total < 1_000_000 or not sys.stderr.isatty():
        return contextlib.nullcontext(None)

    @contextlib.contextmanager
    def bar() -> Any:
        from rich.progress import Progress

        with Progress(console=make_console(stderr=True), transient=True) as progress:
            task = progress.add_task("simulating", total=total)
            offset = [0, 0]  # runs finished in earlier scenarios, last `done` seen

            def advance(done: int, runs: int) -> None:
                if done < offset[1]:
                    offset[0] += offset[1]
                offset[1] = done
                progress.update(task, completed=offset[0] + done)

            yield advance

    return bar()


def simulation_report(console: Any, results: list[Any]) -> None:

    from tradesim.quantities import format_money, format_percent

    first = results[0]
    console.print(
        f"{first.runs:,} runs, seed {first.seed} (rerun with --seed {first.seed} for the same output)"
    )
    for r in results:
        rows = []
        for i, year in enumerate(r.years):
            b, s = r.bilateral_percentiles, r.share_percentiles
            rows.append(
                {
                    "year": str(int(year)),
                    "P(≥ target)": format_percent(r.p_at_or_above[i]),
                    "P(reached by)": format_percent(r.p_reached_by[i]),
                    "bilateral p5": format_money(b[5][i]),
                    "p50": format_money(b[50][i]),
                    "p95": format_money(b[95][i]),
                    "share p5": format_percent(s[5][i]),
                    "share p50": format_percent(s[50][i]),
                    "share p95": format_percent(s[95][i]),
                }
            )
        console.print(rich_table(rows, f"{r.scenario}: target {format_money(r.target)}"))
        distribution = "  ".join(
            f"{year} {format_percent(p)}" for year, p in r.reached_year_distribution.items() if p > 0
        )
        console.print(f"  first reached: {distribution}", soft_wrap=True)
        if r.median_reached_year is not None:
            console.print(
                f"  median path: reaches the target in {r.median_reached_year}, share then "
                f"{format_percent(r.median_share_at_reached or 0.0)}"
            )
        else:
            console.print(f"  median path: does not reach the target by {int(r.years[-1])}")


# ------------------------------------------------------------------------------------------ sensitivity


def _grid_value(value: float, metric: str) -> float | int | None:
    """A grid cell for JSON: a year as a whole number, a share as a fraction, "not reached" as null."""
    if math.isnan(value):
        return None
    return int(value) if metric == "reached_year" else float(value)


def grid_report(table: Any, format: str, output: Path | None) -> None:
    import pandas as pd

    from tradesim.quantities import format_money, format_percent

    frame = pd.DataFrame(table.values, index=table.rows.values, columns=table.columns.values)
    frame.index.name = f"{table.rows.name} \\\\ {table.columns.name}"
    if format == "json":
        document = {
            "scenario": table.scenario,
            "metric": table.metric,
            "year": table.year,
            "rows": {"name": table.rows.name, "values": table.rows.values.tolist()},
            "columns": {"name": table.columns.name, "values": table.columns.values.tolist()},
            "values": [[_grid_value(v, table.metric) for v in row] for row in table.values],
        }
        emit(json.dumps(document, indent=2, allow_nan=False) + "\n", output)
        return
    if format == "csv":
        emit(frame.to_csv(float_format="%.10g"), output)
        return
    if frame.shape[0] > 60 or frame.shape[1] > 20:
        raise InputError(
            f"the grid is {frame.shape[0]} × {frame.shape[1]}: too large for a table; "
            "use --format csv or json"
        )
    rate_like = {"growth", "rest-growth"}

    def label(name: str, value: float) -> str:
        return format_percent(value, 1) if name in rate_like else format_money(value)

    def cell(value: float) -> str:
        if math.isnan(value):
            return "—"
        return str(int(value)) if table.metric == "reached_year" else format_percent(value, 1)

    header = f"{table.rows.name} ↓ {table.columns.name} →"
    column_labels = [label(table.columns.name, c) for c in table.columns.values]
    if len(set(column_labels)) < len(column_labels):  # rounding made two labels equal: show raw values
        column_labels = [f"{c:g}" for c in table.columns.values]
    shown = [
        dict(zip([header, *column_labels], [label(table.rows.name, r), *(cell(v) for v in row)], strict=True))
        for r, row in zip(table.rows.values, table.values, strict=True)
    ]
    what = "year the target is reached" if table.metric == "reached_year" else f"share in {table.year}"
    console = make_console(output)
    console.print(rich_table(shown, f"{table.scenario}: {what} (— = not by the horizon)"))
    if output is not None:
        emit(console.export_text(), output)


def tornado_report(tornados: list[Any], format: str, output: Path | None) -> None:
    import pandas as pd

    from tradesim.quantities import format_percent

    def year(value: int | None, horizon: int) -> str:
        return str(value) if value is not None else f"not by {horizon}"

    if format != "table":
        rows = [
            {
                "scenario": t.scenario,
                "input": s.input,
                "base": s.base,
                "low": s.low,
                "high": s.high,
                "reached_low": s.reached_low,
                "reached_high": s.reached_high,
                "share_low": s.share_low,
                "share_high": s.share_high,
                "share_swing": s.share_swing,
            }
            for t in tornados
            for s in t.swings
        ]
        if format == "json":
            clean = [
                {k: (None if isinstance(v, float) and math.isnan(v) else v) for k, v in row.items()}
                for row in rows
            ]
            emit(json.dumps({"tornado": clean}, indent=2, allow_nan=False) + "\n", output)
        else:
            emit(pd.DataFrame(rows).to_csv(index=False, float_format="%.10g"), output)
        return
    console = make_console(output)
    for t in tornados:
        rows = [
            {
                "input": s.input,
                "down … up": f"{s.format_value(s.low)} … {s.format_value(s.high)}",
                "reached": f"{year(s.reached_low, t.horizon)} … {year(s.reached_high, t.horizon)}",
                f"share {t.horizon}": f"{format_percent(s.share_low)} … {format_percent(s.share_high)}",
                "swing": "—" if math.isnan(s.share_swing) else f"{s.share_swing * 100:.1f} pp",
            }
            for s in t.swings
        ]
        title = (
            f"{t.scenario}: reached {year(t.reached, t.horizon)}, share {format_percent(t.share_at_horizon)} "
            f"at {t.horizon}; each input moved down and up"
        )
        console.print(rich_table(rows, title))
    if output is not None:
        emit(console.export_text(), output)


# ------------------------------------------------------------------------------------------------- plot


def audit_report(verdicts: Sequence[Any]) -> None:
    """Each claim as a short block: verdict and quote, the computed value, what would make it hold, notes."""
    from rich.markup import escape

    from tradesim.quantities import format_money

    console = make_console()
    if not verdicts:
        console.print("no [[claims]] in the scenarios given", markup=False)
    heading = None
    for v in verdicts:
        if (v.scenario, v.baseline) != heading:
            heading = (v.scenario, v.baseline)
            console.print(f"\n[bold]{escape(v.scenario)}[/bold] (baseline {format_money(v.baseline)})")
        mark = "[green]holds[/green]" if v.holds else "[red]does not hold[/red]"
        source = f" ({escape(v.claim.source)})" if v.claim.source else ""
        console.print(f"  {mark}: “{escape(v.claim.quote)}”{source}", soft_wrap=True)
        console.print(
            escape(f"    {v.what}: claimed {v.claimed}, computed {v.computed_text}"), soft_wrap=True
        )
        for label, text in (("→ ", v.would_hold_if), ("actuals: ", v.actual), ("note: ", v.claim.note)):
            if text:
                console.print(escape(f"    {label}{text}"), soft_wrap=True)
