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


PIPE_WIDTH = 100_000  # a pipe has no width: a table is printed at its natural width, never wrapped or stacked


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


# Columns of words: wrapped at spaces, never inside a word. Every other column holds figures, kept whole.
TEXT_COLUMNS = frozenset(
    {"growth", "rest", "description", "file", "source", "what", "message", "input", "interval basis",
     "history (FY / partial)", "status", "origin", "note", "url", "method", "verdict", "label", "quote",
     "would hold if", "publication", "published in"}
)  # fmt: skip


def rich_table(
    rows: Sequence[Mapping[str, Any]], title: str | None = None, columns: Sequence[str] = ()
) -> Any:
    """A table of formatted rows (dicts with the same keys), rendered by the one rule every table follows
    (:class:`WholeTable`). Headers and cells are text, never markup (a header ``[[expect]]`` or a cell ``[fx]``
    prints as written); the title is a line of its own above the table, wrapped at the terminal's width."""
    return WholeTable(rows, title, columns)


class WholeTable:
    """The rendering rule for every table: no figure, currency symbol, scale letter, sign or percent sign is
    ever cut, at any width. Widths are decided here, not left to Rich (which crops the widest columns when a
    table does not fit):

    - a figure column (anything not in :data:`TEXT_COLUMNS`, and no cell of over 24 characters with spaces)
      never wraps: it is as wide as its widest cell, and its header wraps at its spaces instead (``need by``
      over ``2027``);
    - a text column wraps at word boundaries, never narrower than its longest word; the space left over goes to
      the text columns, up to their natural width;
    - when even that does not fit, each row becomes a block of ``label: value`` lines (the stacked layout),
      rather than a column being cropped or dropped.
    """

    def overhead(self, columns: int) -> int:
        """The table's width beyond its columns': one space of padding before each column, and the box's
        separator (a space, with ``SIMPLE_HEAD``) between columns; no edges."""
        return 2 * columns - 1 if columns else 0

    def __init__(
        self, rows: Sequence[Mapping[str, Any]], title: str | None = None, columns: Sequence[str] = ()
    ) -> None:
        from tradesim.output import visible

        self.columns = [str(c) for c in (columns or (list(rows[0]) if rows else []))]
        self.rows = [[visible(str(row.get(c, ""))) for c in self.columns] for row in rows]
        self.headers = [visible(c) for c in self.columns]
        self.title = visible(title) if title else None

    def _is_text(self, index: int) -> bool:
        name = self.columns[index]
        return name in TEXT_COLUMNS or any(len(r[index]) > 24 and " " in r[index] for r in self.rows)

    def widths(self) -> tuple[list[int], list[int]]:
        """Each column's narrowest and natural width. A figure column is never narrower than its widest cell
        (nor its header's longest word); a text column than its longest word."""
        from rich.cells import cell_len

        least, natural = [], []
        for i, header in enumerate(self.headers):
            cells = [r[i] for r in self.rows]
            widest = max((cell_len(c) for c in cells), default=0)
            longest_word = max((cell_len(w) for w in header.split()), default=1)
            if self._is_text(i):
                words = [w for cell in cells for w in cell.split()]
                least.append(max(longest_word, *(cell_len(w) for w in words), 1))
            else:
                least.append(max(widest, longest_word, 1))
            natural.append(max(widest, cell_len(header), least[-1]))
        return least, natural

    def table(self, max_width: int) -> Any:
        """The table in ``max_width`` columns, or ``None`` when even its narrowest form does not fit."""
        from rich import box
        from rich.table import Table
        from rich.text import Text

        least, natural = self.widths()
        room = max_width - self.overhead(len(least))
        if sum(least) > room:
            return None
        widths = list(least)
        spare = room - sum(least)
        wanting = [i for i in range(len(widths)) if natural[i] > least[i]]
        while spare > 0 and wanting:  # give the text columns what is left, evenly, up to their natural width
            share = max(spare // len(wanting), 1)
            for i in list(wanting):
                grow = min(share, natural[i] - widths[i], spare)
                widths[i] += grow
                spare -= grow
                if widths[i] >= natural[i]:
                    wanting.remove(i)
                if spare <= 0:
                    break
        table = Table(header_style="bold", box=box.SIMPLE_HEAD, show_edge=False, padding=(0, 0, 0, 1))
        for i, header in enumerate(self.headers):
            text = self._is_text(i)
            table.add_column(
                Text(header if text else _wrap_header(header, widths[i])),
                justify="left" if text or self.columns[i] == "scenario" else "right",
                no_wrap=not text,
                overflow="fold",  # a word is never longer than its column: nothing is folded
                width=widths[i],
            )
        for row in self.rows:
            table.add_row(*(Text(cell) for cell in row))
        return table

    def stacked(self, max_width: int) -> Any:
        """One block a row: the first column's value, then ``label: value`` for the others, a long value
        continuing under its start. Lines break only at spaces (never inside a figure, never at a hyphen)."""
        import textwrap

        from rich.console import Group
        from rich.text import Text

        def lines(first: str, rest: str, indent: str) -> list[str]:
            return textwrap.wrap(
                rest, max(max_width, 20), initial_indent=first, subsequent_indent=indent,
                break_long_words=False, break_on_hyphens=False,
            ) or [first.rstrip()]  # fmt: skip

        blocks: list[Any] = []
        for row in self.rows:
            blocks += [Text(line, style="bold") for line in lines(f"{self.headers[0]}: ", row[0], "    ")]
            for header, cell in zip(self.headers[1:], row[1:], strict=True):
                blocks += [Text(line) for line in lines(f"  {header}: ", cell, "      ")]
            blocks.append(Text(""))
        return Group(*blocks)

    def __rich_console__(self, console: Any, options: Any) -> Any:
        from rich.text import Text

        if self.title:
            yield Text(self.title, style="italic")
            yield Text("")
        if not self.columns:
            return
        table = self.table(options.max_width)
        yield table if table is not None else self.stacked(options.max_width)
        if table is not None:
            yield Text("")

    def __rich_measure__(self, console: Any, options: Any) -> Any:
        from rich.measure import Measurement

        least, natural = self.widths()
        pad = self.overhead(len(least))
        return Measurement(sum(least) + pad, sum(natural) + pad)


def _wrap_header(header: str, width: int) -> str:
    """A figure column's header broken at its spaces into lines no wider than the column (or its longest
    word): ``need by 2027`` over ``+8.37%`` is ``need by`` / ``2027``."""
    from rich.cells import cell_len

    words = header.split(" ")
    limit = max(width, max((cell_len(w) for w in words), default=0))
    lines: list[str] = []
    for word in words:
        if lines and cell_len(lines[-1]) + 1 + cell_len(word) <= limit:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return "\n".join(lines)


QUIET = False  # --quiet: no notes (set by the CLI's boundary for the command being run)


def print_notes(notes: list[str]) -> None:
    if notes and not QUIET:
        from rich.markup import escape

        console = make_console(stderr=True)
        from tradesim.output import visible

        for note in notes:  # a note's own brackets ([fx], [[targets]]) are text, not markup
            console.print(
                f"[yellow]note:[/yellow] {escape(visible(note))}",
                highlight=False,
                markup=True,
                soft_wrap=False,
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
        console.print(f"Solved: {solved}", soft_wrap=False, markup=False)
        console.print(rich_table(rows))

    from tradesim.model import product_name

    currencies = [item.currency for item, _ in runs]
    products = [product_name(item, base) for item, base in runs]
    emit(Answers(answers, kind, solved, rows, currencies, products), format, output, table=table)


DIFFERENCES_SHOWN = 9  # the first three years of a drifted snapshot: enough to see what moved and how fast


def check_report(console: Console, results: Sequence[Any]) -> None:
    from rich.markup import escape

    from tradesim import check as check_module
    from tradesim.quantities import format_money

    for r in results:
        mark = "[green]ok[/green]" if r.passed else "[red]FAILED[/red]"
        console.print(f"{mark} {escape(check_module.summary_line(r))}", soft_wrap=False, highlight=False)
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


def fetch_progress() -> Any:
    """A Rich progress bar on stderr for a fetch's calls (one line per call: what it asks), in a terminal only;
    otherwise a no-op. Yields the callback :class:`tradesim.data.fetch.Fetcher` takes."""
    import contextlib

    if not sys.stderr.isatty():
        return contextlib.nullcontext(None)

    @contextlib.contextmanager
    def bar() -> Any:
        from rich.markup import escape
        from rich.progress import Progress

        with Progress(console=make_console(stderr=True), transient=True) as progress:
            task = progress.add_task("fetching", total=None)

            def advance(done: int, total: int, what: str) -> None:
                progress.update(task, completed=done - 1, total=total, description=escape(what[:60]))

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
        console.print(
            rich_table(
                rows,
                f"{r.scenario}: {f'{r.product} trade, ' if r.product else ''}target {format_money(r.target, item.currency)}",
            )
        )
        distribution = "  ".join(
            f"{year} {format_percent(p)}" for year, p in r.reached_year_distribution.items() if p > 0
        )
        console.print(f"  first reached: {distribution}", soft_wrap=False)
        console.print(f"  {r.median_summary()}", soft_wrap=False)


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
        console.print(f"  {mark}: “{escape(v.claim.quote)}”{source}", soft_wrap=False)
        console.print(
            escape(f"    {v.what}: claimed {v.claimed}, computed {v.computed_text}"), soft_wrap=False
        )
        for label, text in (("→ ", v.would_hold_if), ("actuals: ", v.actual), ("note: ", v.claim.note)):
            if text:
                console.print(escape(f"    {label}{text}"), soft_wrap=False)
