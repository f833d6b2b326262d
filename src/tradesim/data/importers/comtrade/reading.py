"""The file → figures → lines: blocks read and searched, byte ranges shared out among processes, the parts
merged, and errors turned into line numbers."""

from __future__ import annotations

import gzip
import itertools
import os
import re
import sys
import threading
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from multiprocessing.sharedctypes import Synchronized
from pathlib import Path

import numpy as np
import numpy.typing as npt

from tradesim.codes import country_codes
from tradesim.data.importers.comtrade.layout import (
    FLOWS,
    MONTHS,
    Filters,
    Key,
    Layout,
    open_bytes,
    read_layout,
)
from tradesim.data.importers.comtrade.parsing import Parser, Part, keep
from tradesim.data.importers.comtrade.writing import Imported, Writer
from tradesim.errors import DataError, Problem

BLOCK = 1 << 20  # the search runs in the CPU's cache
BATCH = 8192  # lines parsed at once (columns.Batch)
PARALLEL_BYTES = 64 * 2**20  # below this, starting worker processes costs more than it saves
RANGES_PER_CORE = 8  # small ranges: the processes share the work out as they go


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
    parser = Parser(layout, filters)
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
    writer = Writer(filters, layout.path)
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
    with open_bytes(layout.path, layout.gzipped, buffered=False) as handle:
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


def read(path: Path, filters: Filters | None = None, *, workers: int | None = None) -> Imported:
    """The figures of a Comtrade+ CSV that pass ``filters`` (the package docstring), what is derived from them, and
    a summary of what was left out. ``workers``: processes reading a large plain file, this one included
    (default: the cores)."""
    filters = filters or Filters()
    layout = read_layout(path)
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
        raise DataError(_problems(layout, merged.problems))
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
            keep(merged, key, *part.figures.pop(key))
        merged.figures.update(part.figures)
        merged.lines += part.lines
        merged.unpaired.update(part.unpaired)
        merged.shared |= bool(shared)
    return merged


def _numbered(part: Part, filters: Filters) -> Part:
    """The part with its keys as numbers (for :func:`_disjoint`), unless it has problems or its figures are
    summed by month (which needs every month: its figures are kept)."""
    if not part.problems and not filters.cumulate:
        part.numbers = key_numbers(part.figures)
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


def key_numbers(figures: dict[Key, tuple[float, int]]) -> npt.NDArray[np.int64] | None:
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
    writer = Writer(filters, path)
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


def _problems(layout: Layout, found: list[tuple[int, str]]) -> list[Problem]:
    """Byte offsets → line numbers (one more pass, only when there are errors); at most 50 problems."""
    path = layout.path
    shown = sorted(found)[:50]
    refs = {int(r) for _, message in shown for r in re.findall(r"\{(\d+)\}", message)}
    lines = _line_numbers(layout, {offset for offset, _ in shown} | refs)
    problems = [
        Problem(re.sub(r"\{(\d+)\}", lambda m: str(lines[int(m.group(1))]), message), path, lines[offset])
        for offset, message in shown
    ]
    if len(found) > len(shown):
        problems.append(Problem(f"... and {len(found) - len(shown)} more problems", path))
    return problems


def _line_numbers(layout: Layout, offsets: set[int]) -> dict[int, int]:
    numbers, line, done = {}, 1, 0
    with open_bytes(layout.path, layout.gzipped) as handle:
        for offset in sorted(offsets):
            while done < offset:
                chunk = handle.read(min(BLOCK, offset - done))
                if not chunk:
                    break
                line += chunk.count(b"\n")
                done += len(chunk)
            numbers[offset] = line
    return numbers
