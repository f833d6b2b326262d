"""Figures → the CSV lines of a data folder, with the totals and monthly sums derived from them."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from tradesim.data.importers.comtrade.layout import MONTHS, URL, Filters, Key, Row
from tradesim.data.importers.comtrade.parsing import Summary
from tradesim.data.observations import COLUMNS, OPTIONAL_COLUMNS


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


class Writer:
    """Figures → CSV lines in the data folder's columns. Codes, flows and periods never need quoting (they
    are checked), so only the texts are quoted, as the csv module would (a test compares). The note of a
    derived figure always holds a comma and never a quote (fixed words, numbers, a cmdCode of letters and
    digits): it is quoted as it is."""

    def __init__(self, filters: Filters, path: Path) -> None:
        self.what = "all commodities" if filters.commodity == "TOTAL" else f"HS {filters.commodity}"
        self.source = cell(f"UN Comtrade+ ({path.name}, comtrade format)")
        self.note = cell(f"{self.what}, primaryValue")

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


def cell(text: str) -> str:
    """A text as the csv module writes it (minimal quoting)."""
    if any(special in text for special in ',"\r\n'):
        return '"' + text.replace('"', '""') + '"'
    return text
