"""UN Comtrade+ CSV (plain or ``.gz``) → observations, streamed.

A bulk file holds every reporter × partner × commodity; we want a few thousand rows of it. The reader never
holds the file: it reads 1 MiB blocks into one reused buffer (decompressed, for a ``.gz``), finds the lines
that can match with a C-speed ``find`` for the most selective filter as a whole field (``,KAZ,``, or
``"KAZ"`` in a file that quotes every field), and parses only those, a batch at a time with numpy
(:mod:`.columns`), where every filter is applied exactly; a line the arrays cannot read exactly goes through a
line-by-line reader, which gives the exact error. A plain file larger than 64 MB is cut into byte ranges that
worker processes and this one share out; each writes its own rows. Records are single lines, as in Comtrade+
files; a line with the wrong number of fields is an error naming it.

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
import io
import itertools
import math
import operator
import os
import re
import sys
import threading
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from multiprocessing import get_context
from multiprocessing.sharedctypes import Synchronized
from pathlib import Path
from typing import cast

import numpy as np
import numpy.typing as npt

from tradesim.codes import country_codes
from tradesim.data.importers import columns
from tradesim.data.observations import COLUMNS, OPTIONAL_COLUMNS
from tradesim.errors import DataError, InputError, Problem

BLOCK = 1 << 20  # the search runs in the CPU's cache
BATCH = 8192  # lines parsed at once (columns.Batch)
PARALLEL_BYTES = 64 * 2**20  # below this, starting worker processes costs more than it saves
RANGES_PER_CORE = 8  # small ranges: the processes share the work out as they go
FLOWS = {"X": "export", "M": "import", "RX": "re-export", "RM": "re-import"}
MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
MONTH_NAMES = np.array(MONTHS, dtype=object)
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
class Part:
    """The figures of one byte range of the file, and what went wrong in it (byte offsets, not lines yet);
    once finished, its rows as CSV lines, sorted, with the totals whose two legs are both in the range."""

    figures: dict[Key, tuple[float, int]] = field(default_factory=dict)
    summary: Summary = field(default_factory=Summary)
    problems: list[tuple[int, str]] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)
    text: str = ""  # the lines joined, from a worker (one string crosses processes much faster than many)
    shared: bool = False  # merged parts held the same figure: their lines repeat
    unpaired: dict[Key, float] = field(
        default_factory=dict
    )  # export or import legs whose other leg is elsewhere
    numbers: npt.NDArray[np.int64] | None = (
        None  # the figures' keys as numbers (_numbers), when they are sent
    )


@dataclass
class Imported:
    """What an import kept, as CSV lines in the data folder's columns, sorted (a line starts with its key:
    reporter, partner, flow, year, period): the reported figures and what is derived from them."""

    lines: list[str]
    summary: Summary

    def __len__(self) -> int:
        return len(self.lines)

    def csv_text(self) -> str:
        return ",".join((*COLUMNS, *OPTIONAL_COLUMNS)) + "\n" + "".join(self.lines)

    def rows(self) -> list[Row]:
        """The lines read back, with the year an int and the value a float (``repr`` round-trips exactly)."""
        return [
            (kind, reporter, partner, flow, int(year), period, float(value), *rest)  # type: ignore[misc]
            for kind, reporter, partner, flow, year, period, value, *rest in csv.reader(self.lines)
        ]


class _Writer:
    """Figures → CSV lines in the data folder's columns. Codes, flows and periods never need quoting (they
    are checked), so only the texts are quoted, as the csv module would (a test compares). The note of a
    derived figure always holds a comma and never a quote (fixed words, numbers, a cmdCode of letters and
    digits): it is quoted as it is."""

    def __init__(self, filters: Filters, path: Path) -> None:
        if not re.fullmatch(r"[A-Za-z0-9]{1,20}", filters.commodity):
            raise InputError(
                "--commodity must be a Comtrade cmdCode (letters and digits: TOTAL, 27, 2709), "
                f"got {filters.commodity!r}"
            )
        self.what = "all commodities" if filters.commodity == "TOTAL" else f"HS {filters.commodity}"
        self.source = _cell(f"UN Comtrade+ ({path.name}, comtrade format)")
        self.note = _cell(f"{self.what}, primaryValue")

    def reported(self, figures: dict[Key, tuple[float, int]]) -> list[str]:
        source, note = self.source, self.note
        return [
            f"trade,{r},{p},{f},{y},{period},{value!r},USD,reported,{r},{source},{URL},{note},\n"
            for (r, p, f, y, period), (value, _) in figures.items()
        ]

    def derived(self, records: Iterable[tuple[Key, float, str]]) -> list[str]:
        source = self.source
        return [
            f'trade,{r},{p},{f},{y},{period},{value!r},USD,derived,{r},{source},{URL},"{note}",\n'
            for (r, p, f, y, period), value, note in records
        ]

    def sums(self, values: dict[Key, float]) -> list[tuple[Key, float, str]]:
        """The ``jan-<mon>`` sums of monthly figures, where every month from January is there."""
        out = []
        for reporter, partner, flow, year in sorted({k[:4] for k in values if k[4] in MONTHS}):
            running = 0.0
            for n, month in enumerate(MONTHS, start=1):
                found = values.get((reporter, partner, flow, year, month))
                if found is None:
                    break
                running += found
                if n > 1:
                    note = f"{self.what}: derived here, the sum of the monthly figures jan–{month}"
                    out.append(((reporter, partner, flow, year, f"jan-{month}"), running, note))
        return out

    def totals(self, values: dict[Key, float], legs: Iterable[Key]) -> list[tuple[Key, float, str]]:
        """Export + import, once for each (reporter, partner, year, period) of ``legs`` (export or import keys)
        whose two legs are in ``values``."""
        out = []
        what = self.what
        for reporter, partner, year, period in dict.fromkeys((k[0], k[1], k[3], k[4]) for k in legs):
            export = values.get((reporter, partner, "export", year, period))
            imported = values.get((reporter, partner, "import", year, period))
            if export is not None and imported is not None:
                note = f"{what}: derived here, export + import ({export:.0f} + {imported:.0f})"
                out.append(((reporter, partner, "total", year, period), export + imported, note))
        return out


def _cell(text: str) -> str:
    """A text as the csv module writes it (minimal quoting)."""
    if any(special in text for special in ',"\r\n'):
        return '"' + text.replace('"', '""') + '"'
    return text


def _open(path: Path, gzipped: bool, *, buffered: bool = True) -> io.RawIOBase | io.BufferedIOBase:
    """The file's bytes, decompressed for a ``.gz`` by zlib-ng (the gzip module's interface, about 3x faster;
    README "Dependencies"), imported only then."""
    if gzipped:
        from zlib_ng import gzip_ng

        return cast("io.BufferedIOBase", gzip_ng.open(path, "rb"))  # type: ignore[no-untyped-call]
    return path.open("rb") if buffered else path.open("rb", buffering=0)


def _layout(path: Path) -> Layout:
    try:
        with path.open("rb") as handle:
            gzipped = handle.read(2) == b"\x1f\x8b"
        with _open(path, gzipped) as handle:
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


def _scan(data: bytearray, stop: int, form: bytes | None, offset: int) -> tuple[list[int], list[bytes]]:
    """The lines of ``data[:stop]`` holding ``form`` (every line when ``None``), each once, in order, and
    where they start (``offset`` + position). ``stop`` is a line boundary."""
    offsets: list[int] = []
    lines: list[bytes] = []
    position = 0
    hit = 0 if form is None else data.find(form, 0, stop)
    while hit != -1 and position < stop:
        line_start = hit if form is None else data.rfind(b"\n", position, hit) + 1 or position
        line_end = data.find(b"\n", hit, stop)
        line_end = stop if line_end == -1 else line_end
        offsets.append(offset + line_start)
        lines.append(bytes(data[line_start:line_end]))
        position = line_end + 1  # a line holding the code twice (reporter and partner) comes once
        hit = position if form is None else data.find(form, position, stop)
    return offsets, lines


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
    """Scan and parse the bytes ``start`` to ``end`` (``None``: to the end) of the file, and write its lines:
    one worker's job. The totals whose legs are both here are written here; the others are left to
    :func:`_finish`, and so are the monthly sums (a year's months can lie in two ranges)."""
    parser = _Parser(layout, filters)
    offsets: list[int] = []
    lines: list[bytes] = []
    for found_offsets, found_lines in _lines(layout, filters, start, end):
        offsets += found_offsets
        lines += found_lines
        if len(lines) >= BATCH:
            parser.batch(offsets, lines)
            offsets, lines = [], []
    if lines:
        parser.batch(offsets, lines)
    part = parser.part
    if part.problems:
        return part
    writer = _Writer(filters, layout.path)
    values = {key: value for key, (value, _) in part.figures.items()}
    exports = [key for key in values if key[2] == "export"]
    totals = writer.totals(values, exports)
    part.lines = writer.reported(part.figures) + writer.derived(totals)
    part.lines.sort()
    imports = sum(1 for key in values if key[2] == "import")
    if not len(exports) == imports == len(totals):  # a leg whose other leg is not here
        part.unpaired = {
            key: value
            for key, value in values.items()
            if key[2] in ("export", "import")
            and (key[0], key[1], "import" if key[2] == "export" else "export", key[3], key[4]) not in values
        }
    return part


def _lines(
    layout: Layout, filters: Filters, start: int, end: int | None
) -> Iterator[tuple[list[int], list[bytes]]]:
    """The candidate lines of a byte range, read in blocks into one buffer: memory stays a block or two,
    whatever the file, and no block is copied (the search runs in the buffer; only candidate lines are)."""
    form = _form(layout, filters)
    with _open(layout.path, layout.gzipped, buffered=False) as handle:
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
            yield _scan(buffer, stop, form, offset)
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
    a summary of what was left out. ``workers``: processes reading a large plain file, this one included
    (default: the cores)."""
    _Writer(filters, path)  # checks the commodity before the file is read
    layout = _layout(path)
    try:
        size = path.stat().st_size
        count = workers or min(os.cpu_count() or 1, 8)
        if layout.gzipped or count == 1 or size < PARALLEL_BYTES:
            parts = [_part(layout, filters, layout.start, None)]
        else:
            parts = _parallel(layout, filters, _ranges(layout, size, count * RANGES_PER_CORE), count - 1)
            if not _disjoint(parts):  # the same figure in two ranges: checked exactly, in one process
                parts = [_part(layout, filters, layout.start, None)]
    except (OSError, EOFError, gzip.BadGzipFile, ValueError) as exc:
        raise DataError([Problem(f"the file is damaged ({exc.__class__.__name__}: {exc})", path)]) from None
    merged = _merge(parts)
    if merged.problems:
        raise DataError(_problems(path, merged.problems))
    return _finish(merged, filters, path)


def _parallel(layout: Layout, filters: Filters, ranges: list[tuple[int, int]], workers: int) -> list[Part]:
    """The parts of ``ranges``, read by ``workers`` processes and this one, each taking the next range
    from a shared counter until none is left: on a shared machine one process may run slower, and the others
    take more ranges; each sends its parts back once, at the end."""
    # fork starts a worker in milliseconds, but is unsafe in a process that runs threads: spawn then
    context = get_context("fork" if threading.active_count() == 1 and sys.platform == "linux" else "spawn")
    counter = context.Value("i", 0)
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_hold, initargs=(counter,)) as pool:
        jobs = [pool.submit(_share, layout, filters, ranges) for _ in range(workers)]
        found = dict(_share(layout, filters, ranges, counter))
        for job in jobs:
            found.update(job.result())
    return [found[i] for i in range(len(ranges))]


_counter: Synchronized[int] | None = None  # the next range to read, shared by the processes of a read


def _hold(counter: Synchronized[int]) -> None:
    global _counter  # noqa: PLW0603 (set once per process, by the pool's initializer)
    _counter = counter


def _share(
    layout: Layout, filters: Filters, ranges: list[tuple[int, int]], counter: Synchronized[int] | None = None
) -> list[tuple[int, Part]]:
    """Read ranges until the shared counter runs past the last. In a worker (no ``counter`` given: the
    pool's initializer set it) the parts leave the process, so they are kept small (:func:`_lean`)."""
    shared = counter or _counter
    assert shared is not None
    done: list[tuple[int, Part]] = []
    while True:
        with shared.get_lock():
            i = shared.value
            shared.value += 1
        if i >= len(ranges):
            return done
        part = _part(layout, filters, *ranges[i])
        done.append((i, _numbered(part, filters) if counter else _lean(part, filters)))


def _merge(parts: list[Part]) -> Part:
    for part in parts:
        if part.text:  # from a worker (_lean)
            part.lines, part.text = part.text.splitlines(keepends=True), ""
    merged, *others = parts
    for part in others:  # byte ranges in file order: a key in two of them is checked, the rest is a C update
        merged.summary.add(part.summary)
        merged.problems.extend(part.problems)
        shared = part.figures.keys() & merged.figures.keys()
        for key in shared:
            _keep(merged, key, *part.figures.pop(key))
        merged.figures.update(part.figures)
        merged.lines += part.lines
        merged.unpaired.update(part.unpaired)
        merged.shared |= bool(shared)
    return merged


def _numbered(part: Part, filters: Filters) -> Part:
    """The part with its keys as numbers (for :func:`_disjoint`), unless it has problems or its figures are
    summed by month (which needs every month: its figures are kept)."""
    if not part.problems and not filters.cumulate:
        part.numbers = _numbers(part.figures)
    return part


def _lean(part: Part, filters: Filters) -> Part:
    """The part as it leaves a worker, small, as pickling is slow: its lines as one string and, where its
    keys are numbered, no figures (the unpaired legs travel with their values)."""
    part = _numbered(part, filters)
    part.text, part.lines = "".join(part.lines), []
    if part.numbers is not None:
        part.figures = {}
    return part


CODE_NUMBERS = {code: n for n, code in enumerate(sorted({*country_codes(), "WLD"}))}
FLOW_NUMBERS = {flow: n for n, flow in enumerate(FLOWS.values())}
PERIOD_NUMBERS = {period: n for n, period in enumerate(("FY", *MONTHS))}


def _numbers(figures: dict[Key, tuple[float, int]]) -> npt.NDArray[np.int64] | None:
    """Each key as one number, the same in every process (``None`` when a year does not fit 30 bits)."""
    if not figures:
        return np.empty(0, dtype=np.int64)
    reporters, partners, flows, years, periods = zip(*figures, strict=True)
    if min(years) < 0 or max(years) >= 1 << 30:
        return None
    year = np.array(years, dtype=np.int64)

    def numbered(names: tuple[str, ...], table: dict[str, int]) -> npt.NDArray[np.int64]:
        return np.fromiter(map(table.__getitem__, names), dtype=np.int64, count=len(names))

    code = numbered(reporters, CODE_NUMBERS) << 9 | numbered(partners, CODE_NUMBERS)
    return (
        ((code << 3 | numbered(flows, FLOW_NUMBERS)) << 4 | numbered(periods, PERIOD_NUMBERS)) << 30
    ) | year


def _disjoint(parts: list[Part]) -> bool:
    """No figure in two parts (known from the keys' numbers: parts that sent them sent no figures)."""
    if any(part.numbers is None for part in parts):
        return all(part.numbers is None for part in parts)  # every part sent its figures: _merge checks
    every = np.concatenate([part.numbers for part in parts if part.numbers is not None])
    return len(np.unique(every)) == len(every)


def _finish(merged: Part, filters: Filters, path: Path) -> Imported:
    """The parts' lines in one order, with what needs every part: the totals of legs in two ranges and the
    monthly sums. The same figure in two ranges (checked equal by :func:`_merge`) gives one line."""
    writer = _Writer(filters, path)
    lines = merged.lines
    if merged.unpaired or filters.cumulate:
        values = {key: value for key, (value, _) in merged.figures.items()} | merged.unpaired
        sums = writer.sums(values) if filters.cumulate else []
        values.update((key, value) for key, value, _ in sums)
        legs = [*merged.unpaired, *(key for key, _, _ in sums if key[2] in ("export", "import"))]
        lines += writer.derived(sums) + writer.derived(writer.totals(values, legs))
    lines.sort()  # the parts' sorted runs: a merge more than a sort
    if merged.shared:  # parts that held the same figure both wrote it (and maybe its total): once
        lines = list(dict.fromkeys(lines))
    return Imported(lines, merged.summary)


def _keep(part: Part, key: Key, value: float, offset: int) -> None:
    """One figure per key: the same figure again is counted once; a different one is an error, reported at
    the later of the two lines whatever order they come in (a batch reads some lines after others)."""
    if key not in part.figures:
        part.figures[key] = (value, offset)
        return
    part.summary.repeated += 1
    kept_value, kept = part.figures[key]
    if kept_value == value:
        part.figures[key] = (value, min(offset, kept))
        return
    (first_value, first), (later_value, later) = sorted(
        ((kept_value, kept), (value, offset)), key=lambda f: f[1]
    )
    part.figures[key] = (first_value, first)
    reporter, partner, flow, year, period = key
    part.problems.append(
        (
            later,
            f"{reporter}–{partner} {flow} {year} {period} twice with different values: line {{{first}}} "
            f"has {first_value:g}, this line {later_value:g}",
        )
    )


class _Parser:
    """Every filter, exactly, on the candidate lines, into a :class:`Part`. A batch of lines goes through
    :mod:`.columns` (array operations per column); a line those cannot read exactly (quoted, the wrong
    number of fields, a code that is not a country, an unknown flow, a number that is not plain digits)
    goes through :meth:`line`, which reads it field by field and gives the exact error or summary count."""

    def __init__(self, layout: Layout, filters: Filters) -> None:
        self.part, self.filters, self.width = Part(), filters, layout.width
        present = [name for name in AGGREGATE if name in layout.index]
        self.at = {name: layout.index[name] for name in READ}
        self.breakdowns = [(layout.index[name], [v.encode() for v in AGGREGATE[name]]) for name in present]
        # one C-level getter for every column read, the aggregate breakdowns last, compared as one tuple
        self.get = operator.itemgetter(*(layout.index[name] for name in (*READ, *present)))
        self.allowed = {
            tuple(value.encode() for value in combo)
            for combo in itertools.product(*(AGGREGATE[name] for name in present))
        }
        self.codes = {code.encode(): code for code in (*country_codes(), "WLD")} | {b"W00": "WLD"}
        self.packed_codes = {columns.pack(code, 3): name for code, name in self.codes.items()}
        self.flows = {code.encode(): flow for code, flow in FLOWS.items()}
        self.packed_flows = {columns.pack(code, 2): flow for code, flow in self.flows.items()}
        self.commodity = filters.commodity.encode()

    def batch(self, offsets: list[int], lines: list[bytes]) -> None:
        """Many lines at once, column by column; each line the arrays cannot read exactly goes through
        :meth:`line` (so do lines whose value is not a finite float)."""
        batch = columns.Batch(lines, self.width)
        again = np.ones(len(lines), dtype=bool)  # the lines to read one by one
        again[batch.simple] = False
        at = self.at
        monthly = batch.equals(at["freqCode"], b"M")
        kept = self._kept(batch, monthly)
        year, clean = batch.digits(at["refYear"])
        month, month_ok = batch.digits(at["refMonth"], 2)
        clean &= ~monthly | (month_ok & (month >= 1) & (month <= 12))
        reporters, known_reporter = self._lookup(batch, at["reporterISO"], 3, self.packed_codes)
        partners, known_partner = self._lookup(batch, at["partnerISO"], 3, self.packed_codes)
        flows, known_flow = self._lookup(batch, at["flowCode"], 2, self.packed_flows)
        clean &= known_reporter & known_partner & known_flow
        again[batch.simple[kept & ~clean]] = True
        rows = np.flatnonzero(kept & clean)
        values = self._values(batch, at["primaryValue"], rows)
        if len(values) != len(rows) or not np.isfinite(values).all():  # before the year filter, as in line()
            bad = rows if len(values) != len(rows) else rows[~np.isfinite(values)]
            again[batch.simple[bad]] = True
            rows = np.setdiff1d(rows, bad)
            values = self._values(batch, at["primaryValue"], rows)
        if self.filters.year:
            wanted = year[rows] == self.filters.year
            rows, values = rows[wanted], values[wanted]
        periods = np.where(monthly[rows], MONTH_NAMES[np.clip(month[rows] - 1, 0, 11)], "FY")
        keys = list(
            zip(
                reporters[rows].tolist(),
                partners[rows].tolist(),
                flows[rows].tolist(),
                year[rows].tolist(),
                periods.tolist(),
                strict=True,
            )
        )
        self._add(keys, values.tolist(), [offsets[i] for i in batch.simple[rows].tolist()])
        for i in np.flatnonzero(again).tolist():
            self.line(offsets[i], lines[i])

    def _kept(self, batch: columns.Batch, monthly: columns.Mask) -> columns.Mask:
        """The simple lines every filter keeps (commodity, frequency, aggregate rows, reporter, partner)."""
        filters, at = self.filters, self.at
        kept = batch.equals(at["cmdCode"], self.commodity) & (monthly | batch.equals(at["freqCode"], b"A"))
        for column, allowed in self.breakdowns:
            kept &= batch.one_of(column, allowed)
        if filters.reporter:
            kept &= batch.equals(at["reporterISO"], filters.reporter.encode())
        if filters.partner:
            wanted = (b"WLD", b"W00") if filters.partner == "WLD" else (filters.partner.encode(),)
            kept &= batch.one_of(at["partnerISO"], wanted)
        return kept

    def _add(self, keys: list[Key], values: list[float], offsets: list[int]) -> None:
        part = self.part
        part.summary.rows += len(keys)
        if len(set(keys)) == len(keys) and part.figures.keys().isdisjoint(keys):
            part.figures.update(zip(keys, zip(values, offsets, strict=True), strict=True))
        else:  # the same figure twice: the exact check, figure by figure
            for key, value, offset in zip(keys, values, offsets, strict=True):
                _keep(part, key, value, offset)

    @staticmethod
    def _lookup(
        batch: columns.Batch, column: int, size: int, table: dict[int, str]
    ) -> tuple[npt.NDArray[np.object_], columns.Mask]:
        """The column's codes as names, looked up once per distinct code, and which were in ``table``."""
        packed, short = batch.packed(column, size)
        distinct, inverse = np.unique(np.where(short, packed, -1), return_inverse=True)
        found = [table.get(code) for code in distinct.tolist()]
        at = inverse.reshape(-1)
        names = np.array(found, dtype=object)[at]
        return names, np.array([name is not None for name in found], dtype=bool)[at]

    @staticmethod
    def _values(batch: columns.Batch, column: int, rows: columns.Ints) -> npt.NDArray[np.float64]:
        """The values of ``rows`` as floats; an empty array when one of them is not a number."""
        try:
            return np.array([float(text) for text in batch.texts(column, rows)], dtype=np.float64)
        except ValueError:
            return np.empty(0, dtype=np.float64)

    def line(self, offset: int, line: bytes) -> None:
        """One line, field by field: what :meth:`batch` leaves, with the exact error or count."""
        part, filters = self.part, self.filters
        summary = part.summary
        raw = line.rstrip(b"\r")
        if b'"' in raw:
            try:
                fields = [text.encode() for text in next(csv.reader([raw.decode("utf-8")]))]
            except UnicodeDecodeError:
                part.problems.append((offset, "not UTF-8 text"))
                return
        else:
            fields = raw.split(b",")
        if len(fields) != self.width:
            part.problems.append((offset, f"{len(fields)} fields, the header has {self.width}"))
            return
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
        ) = self.get(fields)
        if cmd != self.commodity or freq not in (b"A", b"M") or tuple(breakdown) not in self.allowed:
            return
        reporter, partner = self.codes.get(reporter_code), self.codes.get(partner_code)  # None: not a country
        if (filters.reporter and reporter != filters.reporter) or (
            filters.partner and partner != filters.partner
        ):
            return
        try:
            year = int(year_field)
            month = int(month_field) if freq == b"M" else 0
            value = float(value_field)
        except ValueError:
            part.problems.append((offset, "refYear, refMonth and primaryValue must be numbers"))
            return
        if filters.year and year != filters.year:
            return
        summary.rows += 1
        flow = self.flows.get(flow_code)
        if flow is None:
            code = flow_code.decode(errors="replace")
            summary.skipped_flows[code] = summary.skipped_flows.get(code, 0) + 1
            return
        if reporter is None or partner is None:
            code = (reporter_code if reporter is None else partner_code).decode(errors="replace")
            summary.skipped_partners[code] = summary.skipped_partners.get(code, 0) + 1
            return
        if not math.isfinite(value):
            part.problems.append((offset, f"primaryValue must be a finite number, got {value}"))
            return
        if freq == b"A":
            key = (reporter, partner, flow, year, "FY")
        elif 1 <= month <= 12:
            key = (reporter, partner, flow, year, MONTHS[month - 1])
        else:
            part.problems.append((offset, f"refMonth must be 1–12 for monthly data, got {month}"))
            return
        _keep(part, key, value, offset)


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
    with _open(path, gzipped) as handle:
        for offset in sorted(offsets):
            while done < offset:
                chunk = handle.read(min(BLOCK, offset - done))
                if not chunk:
                    break
                line += chunk.count(b"\n")
                done += len(chunk)
            numbers[offset] = line
    return numbers
