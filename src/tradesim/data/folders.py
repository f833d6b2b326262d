"""The user's data folder: every ``*.csv`` in it, validated strictly, superseding shipped rows.

:func:`load` reads the folder it is given (finding it — ``--data``, ``$TRADESIM_DATA``, ``./data`` — is the
command line's job, in :mod:`tradesim.cli.options`). Every CSV has the shipped file's columns
(:data:`~tradesim.data.observation.COLUMNS`),
in any order, plus optionally ``published``. Every problem of every file is reported at once, each as
``FILE:LINE: column: message`` (exit 2). A user row supersedes the shipped rows with the same kind, reporter,
partner, flow, year, period and reported_by; two user rows with the same key are an error naming both.
"""

from __future__ import annotations

import _csv
import codecs
import csv
import datetime as dt
import functools
import hashlib
import io
import math
import os
import re
import stat
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np

from tradesim import atomic
from tradesim.data.dataset import Dataset
from tradesim.data.observation import (
    COLUMNS,
    OPTIONAL_COLUMNS,
    PUBLISHED,
    SHIPPED,
    TOTAL,
    UNDATED_TARGET,
    Observation,
    code_problems,
    commodity_problem,
    money_unit,
)
from tradesim.data.packaged import shipped
from tradesim.data.table import Table, key_ids
from tradesim.errors import DataError, Problem

SPREADSHEETS = (".xlsx", ".xlsm", ".xls", ".ods")  # never ignored in silence
csv.field_size_limit(2**31 - 1)  # a long note is a field like any other (the default stops at 131,072)
ORDER = {name: i for i, name in enumerate((*COLUMNS, *OPTIONAL_COLUMNS))}
COLUMNS_FROM = 1 << 20  # bytes: a file this large is read into columns (:func:`_columns`), a smaller by rows


def load(folder: str | os.PathLike[str] | None, *, named: str = "") -> Dataset:
    """The shipped data superseded by every CSV in ``folder`` (``None``: the shipped data alone).

    ``named`` is what named the folder (``--data``, ``TRADESIM_DATA``), for the error when it is missing."""
    base = shipped()
    if folder is None:
        return base
    directory = Path(folder)
    prefix = f"{named}: " if named else ""
    try:
        is_folder = stat.S_ISDIR(directory.stat().st_mode)
    except FileNotFoundError:
        is_folder = False
    except OSError as exc:  # a name too long, a loop of links, no permission on the way
        raise DataError(
            [Problem(f"{prefix}cannot use it as the data folder ({exc.strerror or exc})", directory)]
        ) from None
    if not is_folder:
        raise DataError([Problem(f"{prefix}data folder not found", directory)])
    try:
        with os.scandir(directory):
            pass
    except OSError as exc:  # a folder that cannot be listed would read as empty: the shipped data alone
        raise DataError(
            [Problem(f"{prefix}cannot read the data folder ({exc.strerror or exc})", directory)]
        ) from None
    spreadsheets = sorted(p for p in directory.iterdir() if p.suffix.lower() in SPREADSHEETS)
    listed = sorted(directory.glob("*.csv"))
    problems: list[Problem] = [
        Problem("not a regular file (a folder, a pipe, a device): rename it, or move it out", p)
        for p in listed
        if not p.is_file() or not stat.S_ISREG(p.stat().st_mode)
    ]
    problems += [
        Problem(
            "a spreadsheet is not read from a data folder: save it as CSV UTF-8 beside it, or move it out", p
        )
        for p in spreadsheets
    ]
    paths = [p for p in listed if p.is_file() and stat.S_ISREG(p.stat().st_mode)]
    tables: list[Table] = []
    file_digests = []
    digest = hashlib.sha256(base.digest.encode())
    for path in paths:
        atomic.reading(path, "a file of the data folder")
        table, wrong, content_digest = _read_file(path)
        problems.extend(wrong)
        if table is not None:  # a file with a problem adds no row: nothing half-read is ever used
            tables.append(table)
        digest.update(f"{path.name}\0{content_digest}\0".encode())
        file_digests.append((path.name, content_digest[:16]))
    ids, shipped_ids = key_ids(tables, base.observations)
    problems += _duplicates(tables, ids)
    if problems:
        raise DataError(sorted(problems, key=lambda p: (str(p.file), p.line or 0)))
    known = np.sort(shipped_ids)
    at = np.minimum(np.searchsorted(known, ids), max(len(known) - 1, 0))
    hit = set(ids[known[at] == ids].tolist()) if len(known) else set()
    replaced = np.array([i in hit for i in shipped_ids.tolist()], dtype=bool)
    return Dataset(
        tuple(o for o, r in zip(base.observations, replaced.tolist(), strict=True) if not r),
        directory,
        tuple(paths),
        digest.hexdigest(),
        tuple(o for o, r in zip(base.observations, replaced.tolist(), strict=True) if r),
        tuple(file_digests),
        world=base.world,
        tables=tuple(tables),
    )


def _read_file(path: Path) -> tuple[Table | None, list[Problem], str]:
    """One file's rows (``None`` if it has a problem), its problems, and the SHA-256 of its bytes.

    A large file is read into columns by Polars (:func:`_columns`), its digest taken meanwhile; a small one,
    or one that reader declines, row by row (:func:`read`), which names every problem with its line."""
    try:
        content = path.read_bytes() if path.stat().st_size >= COLUMNS_FROM else b""
    except OSError:
        content = b""
    if content:
        with ThreadPoolExecutor(1) as pool:  # hashlib lets go of the interpreter while it hashes
            digest = pool.submit(lambda: hashlib.sha256(content).hexdigest())
            table = _columns(content, path)
            if table is not None:
                return table, [], digest.result()
    found, wrong = read(path)
    if not content:
        try:
            content = path.read_bytes()
        except OSError as exc:
            wrong = wrong or [Problem(f"cannot read the file ({exc.__class__.__name__}: {exc})", path)]
    return (None if wrong else Table.of(found, path)), wrong, hashlib.sha256(content).hexdigest()


def _duplicates(tables: list[Table], ids: np.ndarray) -> list[Problem]:
    """A problem for each row with the same key as an earlier one, naming the first."""
    order = np.argsort(ids, kind="stable")
    same = np.flatnonzero(ids[order][1:] == ids[order][:-1])
    if not same.size:
        return []
    involved = np.union1d(order[same], order[same + 1])  # every row whose key is repeated, in file order
    starts = np.cumsum([0, *(len(t) for t in tables)])
    rows: list[Observation] = []
    for t, start, end in zip(tables, starts[:-1], starts[1:], strict=True):
        mine = involved[(involved >= start) & (involved < end)] - start
        rows.extend(t.observations(mine))
    problems = []
    first: dict[tuple[object, ...], Observation] = {}
    for row in rows:
        if row.key in first:
            file, line = row.origin.rsplit(":", 1)
            problems.append(
                Problem(f"duplicate row: the same figure as {first[row.key].origin}", Path(file), int(line))
            )
        first.setdefault(row.key, row)
    return problems


def read(path: Path) -> tuple[list[Observation], list[Problem]]:
    """The observations of one CSV and every problem in it, read as a stream (a large file is never held
    whole in memory as bytes and text at once)."""
    try:
        handle = path.open(encoding="utf-8-sig", newline="")
    except OSError as exc:
        return [], [Problem(f"cannot read the file ({exc.__class__.__name__}: {exc})", path)]
    with handle:
        try:
            first = handle.readline()
            handle.seek(0)
            reader = csv.reader(handle, delimiter=_delimiter(first))
            try:
                return _rows(reader, path)
            except csv.Error as exc:
                return [], [Problem(f"not a readable CSV ({exc})", path, reader.line_num)]
        except UnicodeDecodeError:
            pass  # located below, from the bytes
        except OSError as exc:
            return [], [Problem(f"cannot read the file ({exc.__class__.__name__}: {exc})", path)]
    raw = path.read_bytes()  # the stream met a byte that is not UTF-8: say which, and on which line
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        return [], [
            Problem(
                f"not UTF-8 text (byte 0x{raw[exc.start]:02x}): save it as CSV UTF-8, or import it with "
                "`tradesim data import`, which reads cp1252 and Latin-1",
                path,
                line,
            )
        ]
    return parse(text, path)  # pragma: no cover - the file changed between the two reads


def _delimiter(first: str) -> str:
    """``;`` for Excel's CSV where the decimal mark is a comma (a header with semicolons and no comma)."""
    first = first.split("\n", 1)[0]
    return ";" if ";" in first and "," not in first else ","


def _columns(raw: bytes, path: Path) -> Table | None:
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
        delimiter = _delimiter(first)
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
        stripped = [_shared(v) for v in distinct]
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
            problems, _ = _code_problems(*values, bool(rest % 2) if period else flags[kind])
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
    if not all(_published(d) for d in names["published"].tolist() if d):
        return None
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


def parse(text: str, path: Path) -> tuple[list[Observation], list[Problem]]:
    """The observations of a data-folder CSV's text (``path`` names it in problems), and every problem."""
    # newline="" semantics: a quoted field keeps its line breaks, and line_num counts the file's own lines
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    try:
        return _rows(reader, path)
    except csv.Error as exc:
        return [], [Problem(f"not a readable CSV ({exc})", path, reader.line_num)]


def _shared(value: str) -> str:
    """A field stripped and interned: a data folder's rows repeat the same codes, units, statuses and sources
    a million times; one string each instead of one per row is most of a large folder's memory."""
    return sys.intern(value.strip())


def _rows(reader: _csv.Reader, path: Path) -> tuple[list[Observation], list[Problem]]:
    header = next(reader, None)
    if header is None:
        return [], [Problem("the file is empty; the first line names the columns", path)]
    header = [name.strip() for name in header]
    problems = []
    allowed = (*COLUMNS, *OPTIONAL_COLUMNS)
    for name in header:
        if name not in allowed:
            problems.append(
                Problem(f"unknown column (allowed: {', '.join(allowed)})", path, 1, name or "(empty)")
            )
    for name in COLUMNS:
        if name not in header:
            problems.append(Problem("required column is missing", path, 1, name))
    if len(set(header)) != len(header):
        problems.append(Problem("a column is named twice", path, 1))
    if any(p.message == "required column is missing" for p in problems) or len(set(header)) != len(header):
        return [], problems  # rows cannot be read; unknown columns alone do not stop the row checks
    rows = []
    start = reader.line_num + 1
    for values in reader:
        line, start = start, reader.line_num + 1  # the record's first line; the next record's
        if not any(v.strip() for v in values):
            continue  # a blank line
        if len(values) != len(header):
            problems.append(Problem(f"{len(values)} fields, the header has {len(header)}", path, line))
            continue
        row = dict(zip(header, map(_shared, values), strict=True))
        found, wrong = _observation(row, path, line)
        problems.extend(wrong)
        if found is not None:
            rows.append(found)
    return rows, problems


def _published(text: str) -> bool:
    """An ISO date as precise as its source: YYYY-MM-DD, YYYY-MM or YYYY."""
    if not PUBLISHED.match(text):
        return False
    try:
        dt.date.fromisoformat(text if len(text) == 10 else f"{text}-01-01"[:10])
    except ValueError:
        return False
    return True


def _observation(row: dict[str, str], path: Path, line: int) -> tuple[Observation | None, list[Problem]]:
    """One row → its observation, or every problem in it. What the row's codes say (kind, reporter, partner,
    flow, period, unit, status, reported_by) is checked once per distinct combination (:func:`_code_problems`):
    a data folder of a million rows holds a few hundred; the year and value are read row by row."""
    kind, period = row["kind"], row["period"]
    undated = kind == "target" and period == UNDATED_TARGET and not row["year"]
    coded, scale = _code_problems(
        kind,
        row["reporter"],
        row["partner"],
        row["flow"],
        period,
        row["unit"],
        row["status"],
        row["reported_by"],
        undated,
    )
    problems = [Problem(message, path, line, column) for column, message in coded]

    def bad(column: str, message: str) -> None:
        problems.append(Problem(f"{message}, got {row.get(column, '')!r}", path, line, column))

    year = None
    try:
        year = 0 if undated else int(row["year"])
        if not undated and not 1900 <= year <= 2300:
            bad("year", "must be a year in 1900–2300")
    except ValueError:
        bad("year", "must be a whole number")
    value = math.nan
    try:
        value = float(row["value"])
    except ValueError:
        comma = re.fullmatch(r"[+-]?\d+,\d+", row["value"]) is not None
        bad(
            "value",
            "must be a number"
            + (" with a decimal point (the data folder takes 16.1, not 16,1)" if comma else ""),
        )
    else:
        if not math.isfinite(value):
            bad("value", "must be a finite number")
        elif scale is not None and not math.isfinite(value * scale):
            bad("value", f"is too large: in {row['unit']} it is more than any float holds")
    if not row["source"]:
        problems.append(Problem("every figure needs its source", path, line, "source"))
    published = row.get("published", "")
    if published and not _published(published):
        bad("published", "must be a date: YYYY-MM-DD, or YYYY-MM or YYYY as precisely as the source says")
    classification, commodity = row.get("classification") or TOTAL, row.get("commodity") or TOTAL
    if (wrong := commodity_problem(classification, commodity)) is not None:
        bad(*wrong)
    if problems or year is None:
        return None, sorted(problems, key=lambda p: ORDER.get(p.key or "", len(ORDER)))  # the columns' order
    return Observation(
        kind, row["reporter"], row["partner"], row["flow"], year, period, value, row["unit"], row["status"],
        row["reported_by"], row["source"], row["url"], row["note"], published, f"{path}:{line}",
        classification=classification, commodity=commodity,
    ), []  # fmt: skip


@functools.lru_cache(maxsize=1 << 16)
def _code_problems(
    kind: str,
    reporter: str,
    partner: str,
    flow: str,
    period: str,
    unit: str,
    status: str,
    reported_by: str,
    undated: bool,
) -> tuple[tuple[tuple[str, str], ...], float | None]:
    """The (column, message) problems of a row's codes (the :func:`~tradesim.data.observation.code_problems`
    of the one row model), and its unit's scale (``None``: not money). Cached: a data folder of a million rows
    holds a few hundred distinct combinations."""
    values = {"kind": kind, "reporter": reporter, "partner": partner, "flow": flow, "period": period,
              "unit": unit, "status": status, "reported_by": reported_by, "undated": undated}  # fmt: skip
    money = money_unit(unit)
    return tuple(code_problems(values)), (money[1] if money else None)


__all__ = ["SHIPPED", "load", "parse", "read"]
