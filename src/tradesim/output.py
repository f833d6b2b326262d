"""One way from a result to its output: JSON, CSV, Markdown, an Excel workbook or the IAMC table.

Every result type has the methods of :class:`Result`:

- ``to_json()``: the documented JSON document;
- ``rows()``: the rows people read, formatted (what the table and the Markdown show);
- ``frame()``: the numbers as a pandas DataFrame, the year as the index where there is one (pandas imported
  when it is called, never before);
- ``iamc()``: IAMC rows (model, scenario, region, variable, unit, year, value), for the results that are
  scenario paths; the others raise :class:`~tradesim.errors.InputError` saying so.

:func:`choose` settles the format from ``--format`` and the output's suffix — the suffix decides when no format
is given, and a suffix that contradicts the format is an error, never a file whose content lies about its name —
and :func:`serialise` turns a result into the bytes of that format. The command line adds the terminal table
(Rich) and writes the bytes (:func:`tradesim.cli.render.emit`).
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TypeVar, overload, runtime_checkable

from tradesim.errors import InputError

if TYPE_CHECKING:
    import pandas as pd

Rows = list[dict[str, Any]]
FORMATS = ("table", "json", "csv", "markdown", "xlsx", "iamc")
SUFFIXES = {
    ".json": "json",
    ".csv": "csv",
    ".md": "markdown",
    ".markdown": "markdown",
    ".xlsx": "xlsx",
    ".txt": "table",
}


@runtime_checkable
class Result(Protocol):
    """What every result type offers (module docstring): the contract one path from a result to its output
    relies on. A Protocol: any object with these methods is a result (``isinstance`` checks it); a class that
    names it as a base also gets the defaults below (``title`` empty, ``iamc`` refused, ``tables`` its rows).
    Each command's ``to_json`` document is described by a JSON Schema (:mod:`tradesim.documents`)."""

    @property
    def title(self) -> str:
        """What heads its table."""
        return ""

    def to_json(self) -> Any:
        """The command's JSON document (its schema: :func:`tradesim.documents.schema`)."""
        ...

    def rows(self) -> Rows:
        """The table people read: text cells, in order."""
        ...

    def frame(self) -> pd.DataFrame:
        """The numbers behind it, for a notebook, a CSV or a workbook's data sheet."""
        ...

    def iamc(self) -> Sequence[tuple[Any, ...]]:
        raise InputError(
            f"--format iamc is for scenario paths (project, simulate), not {type(self).__name__.lower()}"
        )

    def tables(self) -> list[tuple[str, Rows]]:
        """What the table format prints: one or more titled tables (default: :meth:`rows`)."""
        return [(self.title, self.rows())]


T = TypeVar("T")


@dataclass(frozen=True, eq=False)
class Collection(Sequence[T]):
    """A result that holds its items in order: a frozen, read-only sequence (iterate it, index it, take its
    length). ``items`` takes any iterable and keeps a tuple; the result types that are collections (a run's
    scenario results, a goal seek's answers, the checks, …) add their own fields after it."""

    items: Sequence[T]  # kept as a tuple

    def __post_init__(self) -> None:
        object.__setattr__(self, "items", tuple(self.items))

    @overload
    def __getitem__(self, index: int) -> T: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[T]: ...

    def __getitem__(self, index: int | slice) -> T | Sequence[T]:
        return self.items[index]

    def __len__(self) -> int:
        return len(self.items)


class Table(Result):
    """A result that is one table: its numbers (``frame``, or a function that makes them: pandas is imported
    only when they are asked for), the rows people read, and its JSON document."""

    def __init__(
        self, title: str, frame: pd.DataFrame | Callable[[], pd.DataFrame], rows: Rows, document: Any
    ) -> None:
        self._title, self._frame, self._rows, self._document = title, frame, rows, document

    @property
    def title(self) -> str:
        return self._title

    def to_json(self) -> Any:
        return self._document

    def rows(self) -> Rows:
        return self._rows

    def frame(self) -> pd.DataFrame:
        return self._frame() if callable(self._frame) else self._frame


def choose(format: str | None, output: Path | None, offered: Sequence[str]) -> str:
    """The format to write: ``format`` if given, else the one ``output``'s suffix names, else ``table``.

    Bad input (exit 2): a format the command does not offer; a suffix of none of the formats (``out.xls``,
    ``out.html``: a file is what its name says, so JSON never goes into one); a suffix that contradicts the
    format (``--format json -o out.csv``); a workbook without a ``.xlsx`` file to go in. A name without a
    suffix (``/dev/stdout``, a FIFO) takes whatever format is asked for."""
    suffix = output.suffix.lower() if output is not None else ""
    implied = SUFFIXES.get(suffix)
    choices = ", ".join(offered)
    if output is not None and suffix and implied is None:  # out.xls, out.html: a name that would lie
        raise InputError(
            f"--output {output}: {suffix} is not a format tradesim writes; name the file "
            f"{' or '.join(s for s, f in SUFFIXES.items() if f in offered)}"
        )
    if format is None:
        format = implied or "table"
        if format not in offered:
            raise InputError(f"--output {output}: this command does not write {format} (choose: {choices})")
    elif format not in offered:
        raise InputError(f"--format {format} is not offered by this command (choose: {choices})")
    if implied is not None and implied != format and not (format == "iamc" and implied in ("csv", "xlsx")):
        raise InputError(f"--output {output}: a {suffix} file cannot hold --format {format}")
    if format == "xlsx" and implied != "xlsx":
        raise InputError("--format xlsx writes an Excel workbook: give --output FILE.xlsx")
    return format


# C0 and C1 controls but tab and newline, DEL, and the bidirectional overrides ("Trojan Source"): shown escaped
_INVISIBLE = {
    code: f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
    for code in (
        *range(0x09),
        *range(0x0B, 0x20),
        0x7F,
        *range(0x80, 0xA0),
        *range(0x202A, 0x202F),
        *range(0x2066, 0x206A),
    )
}
FORMULA_STARTS = (
    "=",
    "+",
    "-",
    "@",
    "\t",
    "\r",
)  # a spreadsheet reads a cell starting so as a formula (OWASP)


def visible(text: str) -> str:
    """``text`` with every control character shown as an escape (``\\x1b``), never emitted: text from files
    and data reaches a terminal as data, not as commands to it."""
    return text.translate(_INVISIBLE)


def inert(value: Any) -> Any:
    """A CSV cell that a spreadsheet would run as a formula (text starting with ``=``, ``+``, ``-``, ``@``, tab
    or CR), prefixed with ``'`` so it is read as text (the OWASP rule); anything else as it is."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _inert_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """:func:`inert` over every text column of ``frame``, column by column (a million rows in well under a
    second)."""
    import pandas as pd

    frame = frame.copy()
    for name in frame.columns:
        column = frame[name]
        if column.dtype == object or isinstance(column.dtype, pd.StringDtype):
            texts = column.map(lambda v: isinstance(v, str), na_action="ignore").fillna(False).astype(bool)
            starts = column.where(texts, "").astype(str).str.startswith(FORMULA_STARTS)
            if starts.any():
                frame[name] = column.where(~starts, "'" + column.where(starts, "").astype(str))
    return frame


def _plain(value: Any) -> Any:
    """NaN → None, numpy scalars → Python: what JSON and a workbook take."""
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def to_markdown(rows: Rows) -> str:
    """A GitHub-flavoured Markdown table of formatted rows."""
    columns = list(dict.fromkeys(c for row in rows for c in row))
    lines = [
        "| " + " | ".join(_cell(c) for c in columns) + " |",
        "| " + " | ".join("---" for _ in columns) + " |",
    ]
    lines += ["| " + " | ".join(_cell(row.get(c, "")) for c in columns) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def _cell(value: Any) -> str:
    """A Markdown table cell: pipes escaped, line breaks folded to spaces, ``<`` and ``&`` as entities, so no
    text from a file ends the row, starts a heading or adds markup."""
    text = " ".join(visible(str(value)).replace("&", "&amp;").replace("<", "&lt;").splitlines())
    return text.replace("|", "\\|")


def _flat(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with its index as leading columns (a CSV or a sheet has no index)."""
    named = [name for name in frame.index.names if name is not None]
    return frame.reset_index() if named else frame


def iamc_csv(rows: Sequence[tuple[Any, ...]]) -> str:
    """The IAMC long table as CSV: its columns (with ``quantile`` for percentiles, :mod:`tradesim.iamc`),
    text made inert, values to 12 significant digits."""
    from tradesim.iamc import columns_of

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns_of(rows))
    writer.writerows([*map(inert, row[:5]), *row[5:-1], f"{row[-1]:.12g}"] for row in rows)
    return out.getvalue()


# a column's meaning from its name: how a workbook shows it (the numbers stay exact; only the display changes)
_YEARS = {"year", "base_year", "by", "horizon", "reached_year", "actual_reached_year", "origin", "announced",
          "deadline", "horizon_year", "year_reached"}  # fmt: skip
_FRACTIONS = (
    "share",
    "growth",
    "rate",
    "p_",
    "probability",
    "error",
    "mape",
    "bias",
    "coverage",
    "change_percent",
)
_MONEY = {"bilateral", "rest_of_world", "total", "baseline", "baseline_total", "target", "actual", "gap_to_target",
          "estimate", "low", "high", "partial", "reported", "mirror", "forecast", "amount", "check", "value",
          "base", "reference_total", "change", "leg_baseline"}  # fmt: skip


def _number_format(column: str, currency: str | None) -> str | None:
    """The Excel number format of a column, by what it holds: a year as a whole number, a fraction as a
    percent, an amount in billions with its currency (``USD 14.50bn``: the cell keeps 14500000000)."""
    name = column.lower()
    if name in _YEARS or name.endswith("_year"):
        return "0"
    if name.startswith(_FRACTIONS) or "share" in name or "growth" in name or name.endswith("rate"):
        return "0.00%"
    if name in _MONEY or name.startswith("leg:"):
        return f'"{currency} "#,##0.00,,,"bn"' if currency else '#,##0.00,,,"bn"'
    return None


def _workbook(sheets: dict[str, pd.DataFrame], title: str = "", *, plain: bool = False) -> bytes:
    """An .xlsx workbook (XlsxWriter) with one sheet per frame, no index column. Unless ``plain`` (pyam's IAMC
    layout, read by machines): each sheet an Excel table with filters under a frozen header row, columns as wide
    as their content, numbers formatted by what they hold (:func:`_number_format`), and the document's title and
    author (tradesim and its version) in its properties."""
    import pandas as pd

    from tradesim import __version__

    buffer = io.BytesIO()
    # text is text: never a formula or a link, whatever it starts with (a description "=HYPERLINK(...)")
    options = {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}
    with pd.ExcelWriter(buffer, engine="xlsxwriter", engine_kwargs={"options": options}) as writer:
        book = writer.book
        if not plain:
            book.set_properties(
                {
                    "title": title or "tradesim",
                    "author": f"tradesim {__version__}",
                    "creator": f"tradesim {__version__}",
                }
            )
        for index, (name, frame) in enumerate(sheets.items()):
            flat = frame.map(_plain)
            if plain or flat.empty or not len(flat.columns):
                flat.to_excel(writer, sheet_name=name, index=False)
                continue
            flat.to_excel(writer, sheet_name=name, index=False, header=False, startrow=1)
            sheet = writer.sheets[name]
            currencies = set(flat["currency"].dropna()) if "currency" in flat.columns else set()
            currency = next(iter(currencies)) if len(currencies) == 1 else None
            columns = []
            for j, column in enumerate(flat.columns):
                shown = [len(str(v)) for v in flat[column].head(2000) if v is not None]
                numeric = pd.api.types.is_numeric_dtype(frame[column]) and not pd.api.types.is_bool_dtype(
                    frame[column]
                )
                code = _number_format(str(column), currency) if numeric else None
                width = min(60, max([len(str(column)), *[min(s, 16) if code else s for s in shown]]) + 2)
                sheet.set_column(j, j, width, book.add_format({"num_format": code}) if code else None)
                columns.append({"header": str(column)})
            sheet.add_table(
                0, 0, len(flat), len(flat.columns) - 1,
                {"columns": columns, "name": f"t{index + 1}_{''.join(c for c in name if c.isalnum())[:20]}",
                 "style": "Table Style Light 9"},
            )  # fmt: skip
            sheet.freeze_panes(1, 0)
    return buffer.getvalue()


def workbook_sheets(result: Result) -> dict[str, pd.DataFrame]:
    """The sheets of a result's workbook: its own (:meth:`workbook`, the answer first), else the table people
    read as the first sheet ("answer"; several tables, a sheet each, named by their titles), the numbers behind it
    ("data": every column, numbers formatted by what they hold) and the notes the command prints ("notes")."""
    import pandas as pd

    own = getattr(result, "workbook", None)
    if callable(own):
        found: dict[str, pd.DataFrame] = own()
        return found
    sheets: dict[str, pd.DataFrame] = {}
    tables = [(title, rows) for title, rows in result.tables() if rows]
    for n, (title, rows) in enumerate(
        tables
    ):  # one table: "answer"; several: each by its title's first words
        name = "answer" if len(tables) == 1 else title.split(":")[0] or f"table {n + 1}"
        sheets[_sheet_name(name, sheets)] = pd.DataFrame(rows)
    sheets[_sheet_name("data", sheets)] = _flat(result.frame())
    notes = getattr(result, "notes", None)
    written = list(notes()) if callable(notes) else []
    if written:
        sheets[_sheet_name("notes", sheets)] = pd.DataFrame({"note": written})
    return sheets


def _sheet_name(title: str, taken: dict[str, Any]) -> str:
    r"""A sheet name Excel takes: at most 31 characters, none of ``[]:*?/\``, not one already used."""
    base = re.sub(r"[\[\]:*?/\\]", " ", title).strip()[:28] or "sheet"
    name, n = base, 1
    while name.lower() in {t.lower() for t in taken}:
        n += 1
        name = f"{base[:27]} {n}"
    return name


def serialise(result: Result, format: str) -> bytes:
    """``result`` in ``format`` (``json``, ``csv``, ``markdown``, ``xlsx``, ``iamc`` or ``iamc-xlsx``)."""
    if format == "json":
        document = result.to_json()
        if isinstance(document, list) and len(document) > 1000 and all(isinstance(r, dict) for r in document):
            # a long list of records, one per line: json's C encoder, where indent= takes the Python one (8x)
            lines = (json.dumps(r, allow_nan=False, ensure_ascii=False) for r in document)
            text = "[\n  " + ",\n  ".join(lines) + "\n]\n"
        else:
            text = json.dumps(document, indent=2, allow_nan=False, ensure_ascii=False) + "\n"
    elif format == "csv":
        text = _inert_frame(_flat(result.frame())).to_csv(
            index=False, float_format="%.15g"
        )  # 1.45e10 in full, no 0.1+0.2 noise; no cell a spreadsheet would run
    elif format == "markdown":
        text = to_markdown(result.rows())
    elif format == "iamc":
        text = iamc_csv(result.iamc())
    elif format == "xlsx":
        return _workbook(workbook_sheets(result), result.title)
    elif format == "iamc-xlsx":  # pyam's layout: a sheet named data, one column per year
        import pandas as pd

        from tradesim.iamc import columns_of

        rows = result.iamc()
        columns = list(columns_of(rows))
        long = pd.DataFrame(rows, columns=columns)
        wide = long.pivot_table(
            index=columns[:-2], columns="year", values="value", aggfunc="first", sort=False
        ).reset_index()
        wide.columns = [str(c) for c in wide.columns]
        return _workbook({"data": wide}, plain=True)
    else:  # pragma: no cover - choose() offers no other
        raise AssertionError(format)
    return text.encode("utf-8")


__all__ = ["FORMATS", "SUFFIXES", "Result", "Rows", "Table", "choose", "iamc_csv", "serialise", "to_markdown"]
