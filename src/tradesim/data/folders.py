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
import csv
import hashlib
import io
import math
import os
import re
import stat
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np

from tradesim import atomic
from tradesim.data.dataset import Dataset
from tradesim.data.observation import (
    COLUMNS,
    OPTIONAL_COLUMNS,
    RETRIEVED,
    SHIPPED,
    TOTAL,
    UNDATED_TARGET,
    Observation,
    commodity_problem,
)
from tradesim.data.packaged import shipped
from tradesim.data.rows import ORDER, codes_checked, delimiter_of, is_release_date, shared
from tradesim.data.table import Table, key_ids
from tradesim.errors import DataError, Problem

SPREADSHEETS = (".xlsx", ".xlsm", ".xls", ".ods")  # never ignored in silence
csv.field_size_limit(2**31 - 1)  # a long note is a field like any other (the default stops at 131,072)
COLUMNS_FROM = 1 << 20  # bytes: a file this large is read into columns (:mod:`.columnar`), a smaller by rows


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
            from tradesim.data.columnar import read_columns

            table = read_columns(content, path)
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
    """A problem for each row with the same key as an earlier one, naming the first. A ``superseded`` row
    shares its key with the release that revised it, by design: it is never taken, only read by
    ``backtest --vintage first``."""
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
        if row.status == "superseded":  # an earlier release kept beside its revision (data fetch's vintages)
            continue
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
            reader = csv.reader(handle, delimiter=delimiter_of(first))
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


def parse(text: str, path: Path) -> tuple[list[Observation], list[Problem]]:
    """The observations of a data-folder CSV's text (``path`` names it in problems), and every problem."""
    # newline="" semantics: a quoted field keeps its line breaks, and line_num counts the file's own lines
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter_of(text))
    try:
        return _rows(reader, path)
    except csv.Error as exc:
        return [], [Problem(f"not a readable CSV ({exc})", path, reader.line_num)]


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
        row = dict(zip(header, map(shared, values), strict=True))
        found, wrong = _observation(row, path, line)
        problems.extend(wrong)
        if found is not None:
            rows.append(found)
    return rows, problems


def _observation(row: dict[str, str], path: Path, line: int) -> tuple[Observation | None, list[Problem]]:
    """One row → its observation, or every problem in it. What the row's codes say (kind, reporter, partner,
    flow, period, unit, status, reported_by) is checked once per distinct combination (:func:`coded`):
    a data folder of a million rows holds a few hundred; the year and value are read row by row."""
    kind, period = row["kind"], row["period"]
    undated = kind == "target" and period == UNDATED_TARGET and not row["year"]
    coded, scale = codes_checked(
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
    if published and not is_release_date(published):
        bad("published", "must be a date: YYYY-MM-DD, or YYYY-MM or YYYY as precisely as the source says")
    retrieved = row.get("retrieved", "") or ""
    if retrieved and not RETRIEVED.match(retrieved):
        bad("retrieved", "must be a UTC time to the second, as a fetch writes it: 2026-12-07T08:01:02Z")
    classification, commodity = row.get("classification") or TOTAL, row.get("commodity") or TOTAL
    if (wrong := commodity_problem(classification, commodity)) is not None:
        bad(*wrong)
    if problems or year is None:
        return None, sorted(problems, key=lambda p: ORDER.get(p.key or "", len(ORDER)))  # the columns' order
    return Observation(
        kind, row["reporter"], row["partner"], row["flow"], year, period, value, row["unit"], row["status"],
        row["reported_by"], row["source"], row["url"], row["note"], published, f"{path}:{line}",
        classification=classification, commodity=commodity, retrieved=retrieved,
    ), []  # fmt: skip


__all__ = ["SHIPPED", "load", "parse", "read"]
