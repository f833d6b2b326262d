"""UN Comtrade+ CSV (plain or ``.gz``) → observations, streamed.

A bulk file holds every reporter × partner × commodity; we want a few thousand rows of it. The reader never
holds the file: it reads 16 MiB blocks (decompressed, for a ``.gz``), finds the lines that can match with one
C-speed ``find`` pass for the most selective filter as a whole field (``,KAZ,``, or ``"KAZ"`` in a file that
quotes every field), and parses only those lines, where every filter is applied exactly. A plain file larger
than 64 MB is scanned in parallel, one byte range per core. Records are single lines, as in Comtrade+ files;
a line with the wrong number of fields is an error naming it.

What is kept (README "Importing"):

- ``cmdCode`` equal to the commodity asked for (default ``TOTAL``), ``freqCode`` ``A`` (annual) or ``M``
  (monthly: a month's own figure, period ``mar``; with ``cumulate`` also ``jan-<mon>`` sums where every month
  from January is present);
- only the aggregate breakdowns: ``partner2Code`` 0 (world), ``customsCode`` C00, ``motCode`` 0, ``mosCode`` 0
  (other rows split the same trade and would count it twice);
- flows ``X`` → export, ``M`` → import, ``RX`` → re-export, ``RM`` → re-import (kept apart, never added to
  exports or imports); other flow codes (domestic exports, processing, ...) are counted and skipped;
- partner ``W00`` is the world (``WLD``); partner codes that are not ISO 3166 countries (areas n.e.s., ...)
  are counted and skipped;
- a ``total`` row, status ``derived`` with its formula, where both export and import exist;
- ``reported_by`` is the reporter: the partner's report of the same trade is a mirror figure, never merged.
"""

from __future__ import annotations

import csv
import gzip
import itertools
import operator
import os
import re
import sys
import threading
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path

from tradesim.codes import country_codes
from tradesim.errors import DataError, Problem

BLOCK = 1 << 24
PARALLEL_BYTES = 64 * 2**20  # below this, starting worker processes costs more than it saves
FLOWS = {"X": "export", "M": "import", "RX": "re-export", "RM": "re-import"}
MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
# The columns of a Comtrade+ CSV download, in order (the reader needs only REQUIRED, wherever they stand)
LAYOUT = [
    "typeCode",
    "freqCode",
    "refPeriodId",
    "refYear",
    "refMonth",
    "period",
    "reporterCode",
    "reporterISO",
    "reporterDesc",
    "flowCode",
    "flowDesc",
    "partnerCode",
    "partnerISO",
    "partnerDesc",
    "partner2Code",
    "partner2ISO",
    "partner2Desc",
    "classificationCode",
    "classificationSearchCode",
    "isOriginalClassification",
    "cmdCode",
    "cmdDesc",
    "aggrLevel",
    "isLeaf",
    "customsCode",
    "customsDesc",
    "mosCode",
    "motCode",
    "motDesc",
    "qtyUnitCode",
    "qtyUnitAbbr",
    "qty",
    "isQtyEstimated",
    "altQtyUnitCode",
    "altQtyUnitAbbr",
    "altQty",
    "isAltQtyEstimated",
    "netWgt",
    "isNetWgtEstimated",
    "grossWgt",
    "isGrossWgtEstimated",
    "cifvalue",
    "fobvalue",
    "primaryValue",
    "legacyEstimationFlag",
    "isReported",
    "isAggregate",
]
REQUIRED = (
    "freqCode",
    "refYear",
    "refMonth",
    "reporterISO",
    "flowCode",
    "partnerISO",
    "cmdCode",
    "primaryValue",
)
AGGREGATE = {
    "partner2Code": ("0", ""),
    "customsCode": ("C00", ""),
    "motCode": ("0", ""),
    "mosCode": ("0", ""),
}
URL = "https://comtradeplus.un.org/"

Row = tuple[str, str, str, str, int, str, float, str, str, str, str, str, str, str]  # COLUMNS + published
Key = tuple[str, str, str, int, str]  # reporter, partner, flow, year, period


@dataclass
class Summary:
    """What an import kept and what it left out, and why."""

    rows: int = 0  # lines matching the commodity and the filters
    skipped_flows: dict[str, int] = field(default_factory=dict)
    skipped_partners: dict[str, int] = field(default_factory=dict)
    repeated: int = 0  # the same figure twice (identical lines): counted once

    def add(self, other: Summary) -> None:
        self.rows += other.rows
        self.repeated += other.repeated
        for mine, theirs in (
            (self.skipped_flows, other.skipped_flows),
            (self.skipped_partners, other.skipped_partners),
        ):
            for code, n in theirs.items():
                mine[code] = mine.get(code, 0) + n


@dataclass(frozen=True)
class Filters:
    commodity: str = "TOTAL"
    reporter: str | None = None
    partner: str | None = None
    year: int | None = None
    cumulate: bool = False

    @property
    def anchor(self) -> str:
        """The most selective filter: the prefilter looks for it; every filter is applied exactly after."""
        return self.reporter or ("W00" if self.partner == "WLD" else self.partner) or self.commodity


@dataclass(frozen=True)
class Layout:
    """What the header says: column positions, whether every field is quoted, where the data starts."""

    path: Path
    index: dict[str, int]
    width: int
    quoted: bool
    start: int  # byte offset of the first data line
    gzipped: bool


@dataclass
class Part:
    """The figures of one byte range of the file, and what went wrong in it (byte offsets, not lines yet)."""

    figures: dict[Key, tuple[float, int]] = field(default_factory=dict)
    summary: Summary = field(default_factory=Summary)
    problems: list[tuple[int, str]] = field(default_factory=list)


def _layout(path: Path) -> Layout:
    try:
        with path.open("rb") as handle:
            gzipped = handle.read(2) == b"\x1f\x8b"
        with gzip.open(path, "rb") if gzipped else path.open("rb") as handle:
            line = handle.readline()
            start = len(line)
    except (OSError, EOFError) as exc:
        raise DataError([Problem(f"cannot read the file ({exc.__class__.__name__}: {exc})", path)]) from None
    try:
        header = next(csv.reader([line.decode("utf-8-sig")]))
    except (UnicodeDecodeError, StopIteration):
        raise DataError([Problem("not a Comtrade+ CSV (the first line is not a header)", path, 1)]) from None
    index = {name.strip(): i for i, name in enumerate(header)}
    missing = [name for name in REQUIRED if name not in index]
    if missing:
        raise DataError(
            [Problem(f"not a Comtrade+ CSV: no column {name}", path, 1, name) for name in missing]
        )
    return Layout(path, index, len(header), b'"' in line, start, gzipped)


def _scan(data: bytes, start: int, end: int, form: bytes | None) -> Iterator[tuple[int, bytes]]:
    """(offset, line) of the lines of ``data[start:end]`` holding ``form`` (every line when ``None``); each
    line once, in order. ``start`` and ``end`` are line boundaries."""
    if form is None:
        position = start
        while position < end:
            stop = data.find(b"\n", position, end)
            stop = end if stop == -1 else stop
            yield position, data[position:stop]
            position = stop + 1
        return
    last = -1
    hit = data.find(form, start, end)
    while hit != -1:
        line_start = data.rfind(b"\n", start, hit) + 1 or start
        if line_start != last:  # a line holding the code twice (reporter and partner) comes once
            last = line_start
            stop = data.find(b"\n", hit, end)
            yield line_start, data[line_start : end if stop == -1 else stop]
        hit = data.find(form, hit + 1, end)


def _form(layout: Layout, filters: Filters) -> bytes | None:
    """What the prefilter looks for: the anchor as a whole field. A CSV writer quotes a code only when it
    quotes every field, the header included. A column at the line's edge has no delimiter on one side: then
    every line is parsed."""
    column = "reporterISO" if filters.reporter else "partnerISO" if filters.partner else "cmdCode"
    if not 0 < layout.index[column] < layout.width - 1:
        return None
    value = filters.anchor.encode()
    return b'","' + value + b'","' if layout.quoted else b"," + value + b","


def _part(layout: Layout, filters: Filters, start: int, end: int | None) -> Part:
    """Scan and parse the bytes ``start`` to ``end`` (``None``: to the end) of the file: one worker's job."""
    return _parse(_lines(layout, filters, start, end), layout, filters)


def _lines(layout: Layout, filters: Filters, start: int, end: int | None) -> Iterator[tuple[int, bytes]]:
    """The candidate lines of a byte range, read in blocks: memory stays a few blocks, whatever the file."""
    form = _form(layout, filters)
    with gzip.open(layout.path, "rb") if layout.gzipped else layout.path.open("rb") as handle:
        handle.seek(start)  # a gzip file is read from its start (seek decompresses up to it): one part only
        offset, tail, left = start, b"", (end - start) if end is not None else -1
        while True:
            block = handle.read(BLOCK if left < 0 else min(BLOCK, left))
            left -= len(block) if left >= 0 else 0
            data = tail + block
            stop = len(data) if not block else data.rfind(b"\n") + 1
            yield from ((offset + position, line) for position, line in _scan(data, 0, stop, form))
            offset += stop
            tail = data[stop:]
            if not block:
                return


def _ranges(layout: Layout, size: int, workers: int) -> list[tuple[int, int]]:
    """``workers`` byte ranges of about equal size, each starting and ending on a line boundary."""
    cuts = [layout.start]
    with layout.path.open("rb") as handle:
        for i in range(1, workers):
            handle.seek(layout.start + (size - layout.start) * i // workers)
            handle.readline()  # to the start of the next line
            cuts.append(handle.tell())
    cuts.append(size)
    return [(a, b) for a, b in itertools.pairwise(cuts) if b > a]


def read(
    path: Path, filters: Filters = Filters(), *, workers: int | None = None
) -> tuple[list[Row], Summary]:
    """The rows of a Comtrade+ CSV that pass ``filters`` (module docstring), in the data folder's columns,
    and a summary of what was left out. ``workers``: processes for a large plain file (default: the cores)."""
    layout = _layout(path)
    try:
        size = path.stat().st_size
        count = workers or min(os.cpu_count() or 1, 8)
        if layout.gzipped or count == 1 or size < PARALLEL_BYTES:
            parts = [_part(layout, filters, layout.start, None)]
        else:
            ranges = _ranges(layout, size, count)
            # fork starts a worker in milliseconds, but is unsafe in a process that runs threads: spawn then
            method = "fork" if threading.active_count() == 1 and sys.platform == "linux" else "spawn"
            with ProcessPoolExecutor(len(ranges), mp_context=get_context(method)) as pool:
                jobs = [pool.submit(_part, layout, filters, start, end) for start, end in ranges]
                parts = [job.result() for job in jobs]
    except (OSError, EOFError, gzip.BadGzipFile, ValueError) as exc:
        raise DataError([Problem(f"the file is damaged ({exc.__class__.__name__}: {exc})", path)]) from None
    merged = _merge(parts)
    if merged.problems:
        raise DataError(_problems(path, merged.problems))
    return _rows(merged.figures, filters, path), merged.summary


def _merge(parts: list[Part]) -> Part:
    merged, *others = parts
    for part in others:  # byte ranges in file order: a key in two of them is checked, the rest is a C update
        merged.summary.add(part.summary)
        merged.problems.extend(part.problems)
        for key in part.figures.keys() & merged.figures.keys():
            _keep(merged, key, *part.figures.pop(key))
        merged.figures.update(part.figures)
    return merged


def _keep(part: Part, key: Key, value: float, offset: int) -> None:
    """One figure per key: the same figure again is counted once; a different one is an error."""
    if key in part.figures:
        first_value, first = part.figures[key]
        if first_value != value:
            reporter, partner, flow, year, period = key
            part.problems.append(
                (
                    offset,
                    f"{reporter}–{partner} {flow} {year} {period} twice with different values: line {{{first}}} "
                    f"has {first_value:g}, this line {value:g}",
                )
            )
        part.summary.repeated += 1
        return
    part.figures[key] = (value, offset)


def _parse(lines: Iterator[tuple[int, bytes]], layout: Layout, filters: Filters) -> Part:
    part = Part()
    summary, index, width = part.summary, layout.index, layout.width
    present = [name for name in AGGREGATE if name in index]
    # the aggregate breakdowns as one C-level lookup: every allowed combination of those columns' values
    aggregate = operator.itemgetter(*(index[name] for name in present)) if present else None
    allowed = {
        combo if len(present) > 1 else combo[0]
        for combo in itertools.product(*(AGGREGATE[n] for n in present))
    }
    i_freq, i_year, i_month = index["freqCode"], index["refYear"], index["refMonth"]
    i_rep, i_flow, i_part = index["reporterISO"], index["flowCode"], index["partnerISO"]
    i_cmd, i_value = index["cmdCode"], index["primaryValue"]
    countries = {*country_codes(), "WLD"}
    for offset, raw in lines:
        try:
            text = raw.rstrip(b"\r").decode("utf-8")
        except UnicodeDecodeError:
            part.problems.append((offset, "not UTF-8 text"))
            continue
        fields = text.split(",") if '"' not in text else next(csv.reader([text]))
        if len(fields) != width:
            part.problems.append((offset, f"{len(fields)} fields, the header has {width}"))
            continue
        if fields[i_cmd] != filters.commodity or fields[i_freq] not in ("A", "M"):
            continue
        if aggregate is not None and aggregate(fields) not in allowed:
            continue
        reporter, partner = fields[i_rep], fields[i_part]
        partner = "WLD" if partner == "W00" else partner
        if (filters.reporter and reporter != filters.reporter) or (
            filters.partner and partner != filters.partner
        ):
            continue
        try:
            year = int(fields[i_year])
            month = int(fields[i_month]) if fields[i_freq] == "M" else 0
            value = float(fields[i_value])
        except ValueError:
            part.problems.append((offset, "refYear, refMonth and primaryValue must be numbers"))
            continue
        if filters.year and year != filters.year:
            continue
        summary.rows += 1
        flow = FLOWS.get(fields[i_flow])
        if flow is None:
            summary.skipped_flows[fields[i_flow]] = summary.skipped_flows.get(fields[i_flow], 0) + 1
            continue
        odd = reporter if reporter not in countries else partner if partner not in countries else None
        if odd is not None:
            summary.skipped_partners[odd] = summary.skipped_partners.get(odd, 0) + 1
            continue
        if fields[i_freq] == "M" and not 1 <= month <= 12:
            part.problems.append((offset, f"refMonth must be 1–12 for monthly data, got {month}"))
            continue
        _keep(
            part,
            (reporter, partner, flow, year, "FY" if fields[i_freq] == "A" else MONTHS[month - 1]),
            value,
            offset,
        )
    return part


def _problems(path: Path, found: list[tuple[int, str]]) -> list[Problem]:
    """Byte offsets → line numbers (one more pass, only when there are errors); at most 50 problems."""
    shown = sorted(found)[:50]
    refs = {int(r) for _, message in shown for r in re.findall(r"\{(\d+)\}", message)}
    lines = _line_numbers(path, {offset for offset, _ in shown} | refs)
    problems = [
        Problem(re.sub(r"\{(\d+)\}", lambda m: str(lines[int(m.group(1))]), message), path, lines[offset])
        for offset, message in shown
    ]
    if len(found) > len(shown):
        problems.append(Problem(f"... and {len(found) - len(shown)} more problems", path))
    return problems


def _line_numbers(path: Path, offsets: set[int]) -> dict[int, int]:
    with path.open("rb") as probe:
        gzipped = probe.read(2) == b"\x1f\x8b"
    numbers, line, done = {}, 1, 0
    with gzip.open(path, "rb") if gzipped else path.open("rb") as handle:
        for offset in sorted(offsets):
            while done < offset:
                chunk = handle.read(min(BLOCK, offset - done))
                if not chunk:
                    break
                line += chunk.count(b"\n")
                done += len(chunk)
            numbers[offset] = line
    return numbers


def _rows(figures: dict[Key, tuple[float, int]], filters: Filters, path: Path) -> list[Row]:
    """Rows in the data folder's columns (plain tuples: a bulk import can yield a few hundred thousand)."""
    source = f"UN Comtrade+ ({path.name}, comtrade format)"
    what = "all commodities" if filters.commodity == "TOTAL" else f"HS {filters.commodity}"

    def row(key: Key, value: float, status: str, note: str) -> Row:
        reporter, partner, flow, year, period = key
        return (
            "trade",
            reporter,
            partner,
            flow,
            year,
            period,
            value,
            "USD",
            status,
            reporter,
            source,
            URL,
            note,
            "",
        )

    reported = f"{what}, primaryValue"
    out = [row(key, value, "reported", reported) for key, (value, _offset) in sorted(figures.items())]
    if filters.cumulate:
        for reporter, partner, flow, year in sorted({k[:4] for k in figures if k[4] in MONTHS}):
            running = 0.0
            for n, month in enumerate(MONTHS, start=1):
                found = figures.get((reporter, partner, flow, year, month))
                if found is None:
                    break
                running += found[0]
                if n > 1:
                    note = f"{what}: derived here, the sum of the monthly figures jan–{month}"
                    out.append(row((reporter, partner, flow, year, f"jan-{month}"), running, "derived", note))
    legs: dict[tuple[str, str, int, str], dict[str, float]] = {}
    for kept in out:
        if kept[3] in ("export", "import"):
            legs.setdefault((kept[1], kept[2], kept[4], kept[5]), {})[kept[3]] = kept[6]
    for (reporter, partner, year, period), pair in sorted(legs.items()):
        if len(pair) == 2:
            note = f"{what}: derived here, export + import ({pair['export']:.0f} + {pair['import']:.0f})"
            total = pair["export"] + pair["import"]
            out.append(row((reporter, partner, "total", year, period), total, "derived", note))
    return out
