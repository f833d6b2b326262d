"""The fast path of the data-folder reader: a large CSV read into columns by Polars, then checked value by
value with the row reader's own functions (:mod:`.folders`), or declined so that the row reader reads it and
names each problem. ``tests/unit/test_data_columns.py`` holds the two readers to the same rows;
``benchmarks/data_columns.py`` measures them."""

from __future__ import annotations

import codecs
import csv
import math
import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np

from tradesim.data.observation import (
    COLUMNS,
    OPTIONAL_COLUMNS,
    RETRIEVED,
    TOTAL,
    UNDATED_TARGET,
    commodity_problem,
    money_unit,
)
from tradesim.data.rows import ORDER, codes_checked, delimiter_of, is_release_date, shared
from tradesim.data.table import Table


def read_columns(raw: bytes, path: Path) -> Table | None:
    """A large file's rows read into columns by Polars' CSV reader — a million rows in under a second where the
    row reader takes twenty — or ``None`` when this reader cannot show that it reads the file as the row
    reader would, or the file has any problem: the row reader then reads it, and names each problem.

    Declined: a header that is not exactly known columns, all the required ones, on one line; a NUL byte; a
    carriage return not before a line feed (Polars keeps it in the field, the row reader ends a line there); a
    record that is not one line (a quoted line break); a row with more or fewer fields than the header (its
    delimiters, less those inside quoted fields, are counted); a quote Polars finds out of place; text that
    is not UTF-8; and any value the row reader would refuse. Each
    distinct code, year, source and date is checked by the row reader's own functions. The values are
    Polars' (correctly rounded, as :func:`float` is); one it will not read but :func:`float` would (``1_000``)
    declines the file. ``tests/unit/test_data_columns.py`` holds the two readers to the same rows."""
    import polars as pl

    body = raw[3:] if raw.startswith(b"\xef\xbb\xbf") else raw
    end = body.find(b"\n")
    if end < 0 or b"\0" in body or not _utf8(body):
        return None
    if b"\r" in body and re.search(rb"\r(?!\n)", body):  # a lone CR, which Polars may drop before a delimiter
        return None
    try:
        first = body[:end].rstrip(b"\r").decode("utf-8")
        delimiter = delimiter_of(first)
        header = [name.strip() for name in next(csv.reader([first], delimiter=delimiter, strict=True))]
    except (UnicodeDecodeError, csv.Error):  # not text, or a header that goes on past its line
        return None
    if set(header) - set(ORDER) or set(COLUMNS) - set(header) or len(set(header)) != len(header):
        return None
    # read as strings: Polars 2.1 reading straight into categoricals lets a misplaced quote through and cuts the
    # field there (`"ab"c` becomes `ab`, sometimes inside a character); a String column refuses the file
    schema = {name: (pl.Float64 if name == "value" else pl.String) for name in header}
    # the bytes counted while Polars reads (it lets go of the interpreter)
    with ThreadPoolExecutor(1) as pool:
        counted = pool.submit(lambda: (body.count(b"\n"), body.count(delimiter.encode())))
        try:
            frame = pl.read_csv(
                body, has_header=False, skip_rows=1, schema=schema, separator=delimiter, quote_char='"',
                encoding="utf8", comment_prefix=None, try_parse_dates=False,
                truncate_ragged_lines=False, raise_if_empty=True,
            )  # fmt: skip
        except (pl.exceptions.PolarsError, pl.exceptions.PanicException, ValueError, OverflowError):
            return None
        line_feeds, delimiters = counted.result()
    records = line_feeds - (1 if body.endswith(b"\n") else 0)  # each on one line
    if records < 1 or frame.height != records or frame["value"].null_count():  # an empty value is no number
        return None
    strings = frame.select(pl.col(name).cast(pl.Categorical) for name in header if name != "value")
    codes: dict[str, np.ndarray] = {}
    names: dict[str, np.ndarray] = {}
    inside = 0  # delimiters inside quoted fields
    for column in (*COLUMNS, *OPTIONAL_COLUMNS):
        if column == "value":
            continue
        if column not in schema:  # an optional column left out: its default (TOTAL for the commodity's two)
            default = TOTAL if column in ("classification", "commodity") else ""
            codes[column], names[column] = np.zeros(records, np.intp), np.array([default], dtype=object)
            continue
        found, distinct = _local(strings[column])
        if any("\r" in v or "\n" in v for v in distinct):  # a lone CR: a line end to the row reader
            return None
        counts = np.bincount(found, minlength=len(distinct))
        inside += int(np.dot(counts, [v.count(delimiter) for v in distinct]))
        stripped = [shared(v) for v in distinct]
        if column in (
            "classification",
            "commodity",
        ):  # an empty cell is all goods, as the row reader reads it
            stripped = [v or TOTAL for v in stripped]
        if stripped != distinct:  # two spellings may strip to one value
            merged: dict[str, int] = {}
            again = np.array([merged.setdefault(v, len(merged)) for v in stripped], dtype=np.intp)
            found, stripped = again[found], list(merged)
        codes[column], names[column] = found, np.array(stripped, dtype=object)
    if delimiters != first.count(delimiter) + records * (len(header) - 1) + inside:
        return None  # a row with more or fewer fields
    value = frame["value"].to_numpy()
    del frame, strings
    year = _checked(codes, names, value)
    if year is None:
        return None
    return Table(path, np.arange(2, records + 2, dtype=np.int64), year, value, codes, names)


def _utf8(body: bytes) -> bool:
    """Whether the bytes are UTF-8 text, as the row reader decodes it (Polars 2 defers the check to the first
    string it hands out), decoded a megabyte at a time: never the whole file as text at once."""
    if body.isascii():
        return True
    decoder = codecs.getincrementaldecoder("utf-8")()
    view = memoryview(body)
    try:
        for start in range(0, len(body), 1 << 20):
            decoder.decode(view[start : start + (1 << 20)])
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _local(column: object) -> tuple[np.ndarray, list[str]]:
    """A Polars categorical column as codes into its own distinct values (Polars numbers the categories of
    every column of the process together), an empty field (null to Polars) as ``""``."""
    import polars as pl

    assert isinstance(column, pl.Series)
    distinct = column.unique()
    top = distinct.to_physical().max()
    empty = (top if isinstance(top, int) else -1) + 1  # the id given to the empty field
    ids = column.to_physical()
    if ids.null_count():
        ids = ids.fill_null(empty)
    own = distinct.to_physical().fill_null(empty).to_numpy()
    index = np.zeros(empty + 1, dtype=np.int32)
    index[own] = np.arange(len(own), dtype=np.int32)
    return index[ids.to_numpy()], [v or "" for v in distinct.cast(pl.String).to_list()]


def _checked(
    codes: dict[str, np.ndarray], names: dict[str, np.ndarray], value: np.ndarray
) -> np.ndarray | None:
    """The rows' years if every row passes the row reader's checks (:func:`_observation`), else ``None``.

    A coded column's verdict depends on its value and the row's kind alone (the period's on whether the row
    is an undated target too; :class:`~tradesim.data.observation.Codes`): so each distinct (kind, value) of
    each column is checked once, in the first row of its kind with that one value put in. Every check
    passing means every row would; a check failing means some row in the file has a problem (that value's,
    or the first row's). Each distinct year, source and date is checked once; the values all at once."""

    def has(column: str, wanted: str) -> np.ndarray:  # row by row: does the column hold ``wanted``?
        found: np.ndarray = (names[column] == wanted)[codes[column]]
        return found

    undated = has("kind", "target") & has("period", UNDATED_TARGET) & has("year", "")
    coded = ("kind", "reporter", "partner", "flow", "period", "unit", "status", "reported_by")
    kinds = codes["kind"]
    firsts = np.array([np.argmax(kinds == k) for k in range(len(names["kind"]))])  # each kind's first row
    base = {int(kinds[row]): [str(names[c][codes[c][row]]) for c in coded] for row in firsts.tolist()}
    flags = {int(kinds[row]): bool(undated[row]) for row in firsts.tolist()}
    for at, column in enumerate(coded[1:], start=1):
        period = column == "period"  # whose verdict depends on whether the row is an undated target too
        width = len(names[column]) * (2 if period else 1)
        local = codes[column] * 2 + undated if period else codes[column]
        for pair in _distinct(kinds.astype(np.int64) * width + local).tolist():
            kind, rest = divmod(int(pair), width)
            values = list(base[kind])
            values[at] = str(names[column][rest // 2 if period else rest])
            problems, _ = codes_checked(*values, bool(rest % 2) if period else flags[kind])
            if problems:
                return None
    scale = np.array([m[1] if (m := money_unit(u)) else math.nan for u in names["unit"].tolist()])[
        codes["unit"]
    ]
    years = []
    for text in names["year"].tolist():
        try:
            year = int(text)
        except ValueError:
            year = -1
        years.append(year if 1900 <= year <= 2300 else -1)
    year = np.asarray(years, dtype=np.int64)[codes["year"]]
    if ((year < 0) & ~undated).any():  # only an undated target has no year
        return None
    if "" in names["source"].tolist():  # every distinct value is some row's
        return None
    if not all(is_release_date(d) for d in names["published"].tolist() if d):
        return None
    if not all(RETRIEVED.match(t) for t in names["retrieved"].tolist() if t):
        return None  # the row reader names the bad cell
    pairs = _distinct(codes["classification"].astype(np.int64) * len(names["commodity"]) + codes["commodity"])
    for (
        pair
    ) in pairs.tolist():  # each distinct (classification, commodity) checked once, by the row reader's rule
        first, second = divmod(int(pair), len(names["commodity"]))
        if commodity_problem(str(names["classification"][first]), str(names["commodity"][second])):
            return None
    with np.errstate(over="ignore", invalid="ignore"):
        scaled = value * scale
    if not np.isfinite(value).all() or not np.isfinite(scaled[~np.isnan(scale)]).all():
        return None
    return np.where(undated, 0, year)


def _distinct(ids: np.ndarray) -> np.ndarray:
    """The distinct values of non-negative ids: counted in place when they are few, else sorted."""
    if ids.size and int(ids.max()) < 4 * ids.size + 1024:
        return np.flatnonzero(np.bincount(ids))
    return np.unique(ids)
