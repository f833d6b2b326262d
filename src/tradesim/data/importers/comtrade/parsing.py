"""Candidate lines → figures: every filter applied exactly, a batch of lines at a time with numpy
(:mod:`tradesim.data.importers.columns`), and line by line for what the arrays cannot read exactly."""

from __future__ import annotations

import csv
import itertools
import math
import operator
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from tradesim.codes import country_codes
from tradesim.data.importers import columns
from tradesim.data.importers.comtrade.layout import (
    AGGREGATE,
    FLOWS,
    MONTH_NAMES,
    MONTHS,
    READ,
    Filters,
    Key,
    Layout,
)


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
        None  # the figures' keys as numbers (reading.key_numbers), when they are sent
    )


def keep(part: Part, key: Key, value: float, offset: int) -> None:
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


class Parser:
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
                keep(part, key, value, offset)

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
        keep(part, key, value, offset)
