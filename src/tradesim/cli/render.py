"""Terminal output for the CLI: Rich tables, notes on stderr, the progress bar, and writing --output files.

Not part of the core: it imports rich (lazily, so `tradesim --help` stays light). Every function takes results
the core computed and only formats them.
"""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from tradesim.errors import InputError

if TYPE_CHECKING:
    from rich.console import Console


def make_console(output: Path | None = None, *, stderr: bool = False) -> Console:
    """The console every command prints through: text from files and data shown with its control characters
    escaped (:func:`tradesim.output.visible`), whatever prints it."""
    from rich.console import Console
    from rich.segment import Segment

    from tradesim.output import visible

    class Safe(Console):
        def _render_buffer(self, buffer: Iterable[Segment]) -> str:
            return super()._render_buffer(
                s if s.control else Segment(visible(s.text), s.style, s.control) for s in buffer
            )

        def export_text(self, *, clear: bool = True, styles: bool = False) -> str:
            return "\n".join(
                visible(line) for line in super().export_text(clear=clear, styles=styles).split("\n")
            )

    # Rich takes COLUMNS and LINES when str.isdigit says so, then int() fails on "²": only ASCII digits pass
    environ = {
        k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES") or (v.isascii() and v.isdigit())
    }
    if output is not None:
        return Safe(record=True, width=160, file=io.StringIO(), color_system=None, _environ=environ)

    stream = sys.stderr if stderr else sys.stdout
    if stream.isatty():
        return Safe(stderr=stderr, highlight=False, soft_wrap=False, _environ=environ)
    # Not a terminal (a pipe, a file, a CI log): 160 columns unless $COLUMNS says otherwise (not Rich's 80),
    # and no trailing spaces (Rich pads every line to the table's width).
    columns = os.environ.get("COLUMNS", "")
    width = (
        int(columns) if columns.isascii() and columns.isdigit() and 0 < int(columns) < 10_000 else PIPE_WIDTH
    )
    return Safe(file=_LinesStripped(stream), highlight=False, soft_wrap=False, width=width, _environ=environ)


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


def write(text: str, output: Path | None) -> None:
    """Text to stdout, or to ``output`` atomically."""
    if output is None:
        if sys.stdout.isatty():  # a terminal takes a file's text as data, never as control sequences
            from tradesim.output import visible

            text = "\n".join(visible(line) for line in text.split("\n"))
        typer.echo(text, nl=not text.endswith("\n"))
        return
    from tradesim.atomic import check_destination, write_text_atomic

    check_destination(output)
    write_text_atomic(output, text)


def settle(format: str | None, output: Path | None, offered: Sequence[str]) -> str:
    """The format a command writes (:func:`tradesim.output.choose`), and the output checked writable: called
    before the work, so a contradiction costs nothing."""
    from tradesim.output import choose

    chosen = choose(format, output, offered)
    if output is not None:
        from tradesim.atomic import check_destination

        check_destination(output)
    return chosen


def emit(
    result: Any,
    format: str,
    output: Path | None,
    *,
    table: Callable[[Console], None] | None = None,
) -> None:
    """The one way from a result to its output (``format`` as :func:`settle` chose it): the terminal table
    (``table`` draws it, else the result's own :meth:`~tradesim.output.Result.tables`), or the bytes of
    :func:`tradesim.output.serialise`, to stdout or atomically to ``output``."""
    if format == "table":
        console = make_console(output)
        if table is not None:
            table(console)
        else:
            for title, rows in result.tables():
                console.print(rich_table(rows, title))
        if output is not None:
            write(console.export_text(), output)
        return
    from tradesim.output import serialise

    if format == "iamc" and output is not None and output.suffix.lower() == ".xlsx":
        format = "iamc-xlsx"
    content = serialise(result, format)
    if output is None:
        write(content.decode("utf-8"), None)
        return
    from tradesim.atomic import write_bytes_atomic

    write_bytes_atomic(output, content)


def rich_table(
    rows: Sequence[Mapping[str, Any]], title: str | None = None, columns: Sequence[str] = ()
) -> Any:
    """A Rich table of formatted rows (dicts with the same keys). Headers and cells are text, never markup (a
    header ``[[expect]]`` or a cell ``[fx]`` prints as written); the title is a line of its own above the
    table, wrapped at the terminal's width rather than the table's."""
    from rich import box
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    from tradesim.output import visible

    table = Table(header_style="bold", box=box.SIMPLE_HEAD)
    for column in columns or (list(rows[0]) if rows else []):
        text = column in (
            "growth",
            "rest",
            "description",
            "file",
            "source",
            "what",
            "message",
            "input",
            "interval basis",
            "history (FY / partial)",
            "status",
        )
        table.add_column(
            Text(visible(str(column))),
            justify="left" if text or column == "scenario" else "right",
            no_wrap=not text,
            overflow="fold",  # wrapped text is never cut short with "…"
            min_width=12 if column in ("growth", "description", "source") else None,
        )
    for row in rows:
        table.add_row(*(Text(visible(str(v))) for v in row.values()))
    return Group(Text(visible(title), style="italic"), table) if title else table


def print_notes(notes: list[str]) -> None:
    if notes:
        from rich.markup import escape

        console = make_console(stderr=True)
        from tradesim.output import visible

        for note in notes:  # a note's own brackets ([fx], [[targets]]) are text, not markup
            console.print(
                f"[yellow]note:[/yellow] {escape(visible(note))}",
                highlight=False,
                markup=True,
                soft_wrap=True,
            )


def solve_report(
    kind: str,
    solved: str,
    rows: list[dict[str, str]],
    answers: list[Any],
    format: str,
    output: Path | None,
    runs: list[Any],
) -> None:
    """A goal seek's answers: the table people read, or every answer's numbers (JSON, CSV, a workbook)."""
    from tradesim.solve import Answers

    print_notes(list(dict.fromkeys(w for _, baseline in runs for w in baseline.warnings)))

    def table(console: Console) -> None:
        console.print(f"Solved: {solved}", soft_wrap=True, markup=False)
        console.print(rich_table(rows))

    currencies = [item.currency for item, _ in runs]
    emit(Answers(kind, solved, answers, rows, currencies), format, output, table=table)


def year_check(answer: Any, currency: str = "USD") -> str:
    """``$20.34B in 2028, $19.01B in 2027``: the path at and just before the year reached."""
    from tradesim.quantities import format_money

    if answer.check is None:
        return "—"
    text = f"{format_money(answer.check, currency, digits=2)} in {answer.reached_year}"
    if answer.check_before is not None:
        text += f", {format_money(answer.check_before, currency, digits=2)} in {answer.reached_year - 1}"
    return text


DIFFERENCES_SHOWN = 9  # the first three years of a drifted snapshot: enough to see what moved and how fast


def check_report(console: Console, results: Sequence[Any]) -> None:
    from rich.markup import escape

    from tradesim import check as check_module
    from tradesim.quantities import format_money

    for r in results:
        mark = "[green]ok[/green]" if r.passed else "[red]FAILED[/red]"
        console.print(f"{mark} {escape(check_module.summary_line(r))}", soft_wrap=True, highlight=False)
        if r.snapshot.status == "drift":
            rows = []
            for d in r.snapshot.differences:
                share = d.metric == "share"

                def show(value: float | None, share: bool = share, currency: str = r.currency) -> str:
                    return (
                        "—"
                        if value is None
                        else f"{value:.4%}"
                        if share
                        else format_money(value, currency, digits=3)
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
                        else f"{'+' if diff >= 0 else ''}{format_money(diff, r.currency, digits=3)}",
                        "relative": "—" if diff is None or not d.expected else f"{diff / d.expected:+.2e}",
                    }
                )
            shown = rows[:DIFFERENCES_SHOWN]
            more = len(rows) - len(shown)
            title = f"{r.scenario}: snapshot differences" + (
                f" (the first {len(shown)} of {len(rows)}; --format json lists all)" if more else ""
            )
            console.print(rich_table(shown, title))
        failing = [e for e in r.expectations if not e.holds]
        if failing:
            rows = [
                {
                    "[[expect]]": f"#{e.index + 1}",  # counted from 1, as a reader counts the entries
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


def simulation_report(console: Any, results: Any) -> None:

    from tradesim.quantities import format_money, format_percent

    first = results[0]
    console.print(
        f"{first.runs:,} runs, seed {first.seed} (rerun with --seed {first.seed} for the same output)"
    )
    every = results.rows()
    for r, item in zip(results, results.scenarios, strict=True):
        rows = [
            {k: v for k, v in row.items() if k != "scenario"}
            for row in every
            if row["scenario"] == r.scenario
        ]
        console.print(rich_table(rows, f"{r.scenario}: target {format_money(r.target, item.currency)}"))
        distribution = "  ".join(
            f"{year} {format_percent(p)}" for year, p in r.reached_year_distribution.items() if p > 0
        )
        console.print(f"  first reached: {distribution}", soft_wrap=True)
        console.print(f"  {r.median_summary()}", soft_wrap=True)


# ------------------------------------------------------------------------------------------ sensitivity


def grid_table(console: Console, table: Any) -> None:
    """A sensitivity grid as a terminal table, when it fits on a screen."""
    rows, columns = table.values.shape
    if rows > 60 or columns > 20:
        raise InputError(
            f"the grid is {rows} × {columns}: too large for a table; use --format csv or json, or -o FILE.xlsx"
        )
    console.print(rich_table(table.rows(), table.title))


# ------------------------------------------------------------------------------------------------- plot


def audit_report(console: Console, verdicts: Sequence[Any]) -> None:
    """Each claim as a short block: verdict and quote, the computed value, what would make it hold, notes."""
    from rich.markup import escape

    from tradesim.quantities import format_money

    if not verdicts:
        console.print("no [[claims]] in the scenarios given", markup=False)
    heading = None
    for v in verdicts:
        if (v.scenario, v.baseline) != heading:
            heading = (v.scenario, v.baseline)
            console.print(
                f"\n[bold]{escape(v.scenario)}[/bold] (baseline {format_money(v.baseline, v.currency)})"
            )
        mark = "[green]holds[/green]" if v.holds else "[red]does not hold[/red]"
        source = f" ({escape(v.claim.source)})" if v.claim.source else ""
        console.print(f"  {mark}: “{escape(v.claim.quote)}”{source}", soft_wrap=True)
        console.print(
            escape(f"    {v.what}: claimed {v.claimed}, computed {v.computed_text}"), soft_wrap=True
        )
        for label, text in (("→ ", v.would_hold_if), ("actuals: ", v.actual), ("note: ", v.claim.note)):
            if text:
                console.print(escape(f"    {label}{text}"), soft_wrap=True)
