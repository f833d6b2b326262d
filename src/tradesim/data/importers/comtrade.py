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
import math
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
from tradesim.data.observations import COLUMNS, OPTIONAL_COLUMNS
from tradesim.errors import DataError, InputError, Problem

BLOCK = 1 << 20  # the search runs in the CPU's cache
PARALLEL_BYTES = 64 * 2**20  # below this, starting worker processes costs more than it saves
FLOWS = {"X": "export", "M": "import", "RX": "re-export", "RM": "re-import"}
MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
# The columns of a Comtrade+ CSV download, in order (the reader needs only READ, wherever they stand)
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
READ = (  # the columns the reader uses, in the order _parse takes them
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
class Imported:
    """What an import kept: the reported figures, in key order, and what is derived from them (``jan-<mon>``
    sums, then export + import totals), as rows or as CSV text in the data folder's columns."""

    reported: list[tuple[Key, float]]
    derived: list[tuple[Key, float, str]]  # key, value, note with the formula
    source: str
    note: str  # of every reported figure: what it is
    summary: Summary

    @classmethod
    def of(cls, part: Part, filters: Filters, path: Path) -> Imported:
        what = "all commodities" if filters.commodity == "TOTAL" else f"HS {filters.commodity}"
        figures = part.figures
        reported = [(key, figures[key][0]) for key in sorted(figures)]
        values = dict(reported)
        derived: list[tuple[Key, float, str]] = []
        if filters.cumulate:
            for reporter, partner, flow, year in sorted({k[:4] for k, _ in reported if k[4] in MONTHS}):
                running = 0.0
                for n, month in enumerate(MONTHS, start=1):
                    found = values.get((reporter, partner, flow, year, month))
                    if found is None:
                        break
                    running += found
                    if n > 1:
                        note = f"{what}: derived here, the sum of the monthly figures jan–{month}"
                        derived.append(((reporter, partner, flow, year, f"jan-{month}"), running, note))
            values.update((key, value) for key, value, _ in derived)
        totals = []
        for (reporter, partner, flow, year, period), export in values.items():
            imported = values.get((reporter, partner, "import", year, period)) if flow == "export" else None
            if imported is not None:
                note = f"{what}: derived here, export + import ({export:.0f} + {imported:.0f})"
                totals.append(((reporter, partner, "total", year, period), export + imported, note))
        derived.extend(sorted(totals))
        return cls(
            reported,
            derived,
            f"UN Comtrade+ ({path.name}, comtrade format)",
            f"{what}, primaryValue",
            part.summary,
        )

    def __len__(self) -> int:
        return len(self.reported) + len(self.derived)

    def rows(self) -> list[Row]:
        """Plain tuples (a bulk import can yield a few hundred thousand)."""
        source, note = self.source, self.note
        out: list[Row] = [
            ("trade", r, p, f, y, period, value, "USD", "reported", r, source, URL, note, "")
            for (r, p, f, y, period), value in self.reported
        ]
        out.extend(
            ("trade", r, p, f, y, period, value, "USD", "derived", r, source, URL, formula, "")
            for (r, p, f, y, period), value, formula in self.derived
        )
        return out

    def csv_text(self) -> str:
        """:func:`tradesim.data.importers.to_csv` of :meth:`rows`, character for character, a few times faster:
        codes, flows and periods never need quoting (they are checked), so only the texts are quoted."""
        source, note = _cell(self.source), _cell(self.note)
        lines = [",".join((*COLUMNS, *OPTIONAL_COLUMNS)) + "\n"]
        lines.extend(
            f"trade,{r},{p},{f},{y},{period},{value!r},USD,reported,{r},{source},{URL},{note},\n"
            for (r, p, f, y, period), value in self.reported
        )
        lines.extend(
            f"trade,{r},{p},{f},{y},{period},{value!r},USD,derived,{r},{source},{URL},{_cell(formula)},\n"
            for (r, p, f, y, period), value, formula in self.derived
        )
        return "".join(lines)


def _cell(text: str) -> str:
    """A text as the csv module writes it (minimal quoting)."""
    if any(special in text for special in ',"\r\n'):
        return '"' + text.replace('"', '""') + '"'
    return text


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
    missing = [name for name in READ if name not in index]
    if missing:
        raise DataError(
            [Problem(f"not a Comtrade+ CSV: no column {name}", path, 1, name) for name in missing]
        )
    return Layout(path, index, len(header), b'"' in line, start, gzipped)


def _scan(data: bytearray, stop: int, form: bytes | None) -> Iterator[tuple[int, bytes]]:
    """(position, line) of the lines of ``data[:stop]`` holding ``form`` (every line when ``None``); each line
    once, in order. ``stop`` is a line boundary."""
    position = 0
    hit = 0 if form is None else data.find(form, 0, stop)
    while hit != -1 and position < stop:
        line_start = hit if form is None else data.rfind(b"\n", position, hit) + 1 or position
        line_end = data.find(b"\n", hit, stop)
        line_end = stop if line_end == -1 else line_end
        yield line_start, bytes(data[line_start:line_end])
        position = line_end + 1  # a line holding the code twice (reporter and partner) comes once
        hit = position if form is None else data.find(form, position, stop)


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
    """The candidate lines of a byte range, read in blocks into one buffer: memory stays a block or two,
    whatever the file, and no block is copied (the search runs in the buffer; only candidate lines are)."""
    form = _form(layout, filters)
    with gzip.open(layout.path, "rb") if layout.gzipped else layout.path.open("rb", buffering=0) as handle:
        handle.seek(start)  # a gzip file is read from its start (seek decompresses up to it): one part only
        left = (end - start) if end is not None else -1
        buffer, held, offset = bytearray(BLOCK), 0, start  # held: bytes of an unfinished line at the front
        while True:
            if held == len(buffer):  # one line longer than the buffer: make room
                buffer.extend(bytes(len(buffer)))
            room = len(buffer) - held if left < 0 else min(len(buffer) - held, left)
            with memoryview(buffer) as view, view[held : held + room] as free:
                got = handle.readinto(free)
            left -= got if left >= 0 else 0
            filled = held + got
            stop = filled if not got else buffer.rfind(b"\n", 0, filled) + 1
            yield from ((offset + position, line) for position, line in _scan(buffer, stop, form))
            offset += stop
            held = filled - stop
            buffer[:held] = buffer[stop:filled]
            if not got:
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


def read(path: Path, filters: Filters = Filters(), *, workers: int | None = None) -> Imported:
    """The figures of a Comtrade+ CSV that pass ``filters`` (module docstring), what is derived from them, and
    a summary of what was left out. ``workers``: processes for a large plain file (default: the cores; this
    process scans the first byte range itself)."""
    if not re.fullmatch(r"[A-Za-z0-9]{1,20}", filters.commodity):
        raise InputError(
            f"--commodity must be a Comtrade cmdCode (letters and digits: TOTAL, 27, 2709), got {filters.commodity!r}"
        )
    layout = _layout(path)
    try:
        size = path.stat().st_size
        count = workers or min(os.cpu_count() or 1, 8)
        if layout.gzipped or count == 1 or size < PARALLEL_BYTES:
            parts = [_part(layout, filters, layout.start, None)]
        else:
            (first, first_end), *ranges = _ranges(layout, size, count)
            # fork starts a worker in milliseconds, but is unsafe in a process that runs threads: spawn then
            method = "fork" if threading.active_count() == 1 and sys.platform == "linux" else "spawn"
            with ProcessPoolExecutor(max(len(ranges), 1), mp_context=get_context(method)) as pool:
                jobs = [pool.submit(_part, layout, filters, start, end) for start, end in ranges]
                parts = [_part(layout, filters, first, first_end), *(job.result() for job in jobs)]
    except (OSError, EOFError, gzip.BadGzipFile, ValueError) as exc:
        raise DataError([Problem(f"the file is damaged ({exc.__class__.__name__}: {exc})", path)]) from None
    merged = _merge(parts)
    if merged.problems:
        raise DataError(_problems(path, merged.problems))
    return Imported.of(merged, filters, path)


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
    """Every filter, exactly, on the candidate lines. Fields stay bytes: the codes are looked up in tables
    keyed by their bytes (which also checks them), numbers are parsed from bytes; a quoted line goes through
    the csv module. Only the columns read are checked."""
    part = Part()
    summary, figures, width = part.summary, part.figures, layout.width
    present = [name for name in AGGREGATE if name in layout.index]
    # one C-level getter for every column read, the aggregate breakdowns last, compared as one tuple
    get = operator.itemgetter(*(layout.index[name] for name in (*READ, *present)))
    allowed = {
        tuple(value.encode() for value in combo)
        for combo in itertools.product(*(AGGREGATE[name] for name in present))
    }
    codes = {code.encode(): code for code in (*country_codes(), "WLD")} | {b"W00": "WLD"}
    flows = {code.encode(): flow for code, flow in FLOWS.items()}
    commodity = filters.commodity.encode()
    reporter_wanted, partner_wanted, year_wanted = filters.reporter, filters.partner, filters.year
    for offset, line in lines:
        raw = line.rstrip(b"\r")
        if b'"' in raw:
            try:
                fields = [text.encode() for text in next(csv.reader([raw.decode("utf-8")]))]
            except UnicodeDecodeError:
                part.problems.append((offset, "not UTF-8 text"))
                continue
        else:
            fields = raw.split(b",")
        if len(fields) != width:
            part.problems.append((offset, f"{len(fields)} fields, the header has {width}"))
            continue
        (
            freq,
            year_field,
            month_field,
            reporter_code,
            flow_code,
            partner_code,
            cmd,
            value_field,
            *breakdown,
        ) = get(fields)
        if cmd != commodity or freq not in (b"A", b"M") or tuple(breakdown) not in allowed:
            continue
        reporter, partner = codes.get(reporter_code), codes.get(partner_code)  # None: not a country
        if (reporter_wanted and reporter != reporter_wanted) or (
            partner_wanted and partner != partner_wanted
        ):
            continue
        try:
            year = int(year_field)
            month = int(month_field) if freq == b"M" else 0
            value = float(value_field)
        except ValueError:
            part.problems.append((offset, "refYear, refMonth and primaryValue must be numbers"))
            continue
        if year_wanted and year != year_wanted:
            continue
        summary.rows += 1
        flow = flows.get(flow_code)
        if flow is None:
            code = flow_code.decode(errors="replace")
            summary.skipped_flows[code] = summary.skipped_flows.get(code, 0) + 1
            continue
        if reporter is None or partner is None:
            code = (reporter_code if reporter is None else partner_code).decode(errors="replace")
            summary.skipped_partners[code] = summary.skipped_partners.get(code, 0) + 1
            continue
        if not math.isfinite(value):
            part.problems.append((offset, f"primaryValue must be a finite number, got {value}"))
            continue
        if freq == b"A":
            key = (reporter, partner, flow, year, "FY")
        elif 1 <= month <= 12:
            key = (reporter, partner, flow, year, MONTHS[month - 1])
        else:
            part.problems.append((offset, f"refMonth must be 1–12 for monthly data, got {month}"))
            continue
        if key in figures:
            _keep(part, key, value, offset)
        else:
            figures[key] = (value, offset)
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
