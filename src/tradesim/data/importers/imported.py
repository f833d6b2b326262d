"""What an import made: the rows for a data folder, and an account of every line it read.

Every data line read ends as an observation or in one of three tallies, each reason with its count and the
first line numbers (:class:`Tally`):

- ``asked``: left out as the options asked (another reporter, partner, year or commodity);
- ``breakdowns``: rows that split a total the file also holds (by partner2, customs procedure, mode of
  transport or of supply): adding them would count the same trade twice;
- ``skipped``: lines that could not become an observation (a flow that is not exports, imports, re-exports or
  re-imports; a name or code that is no known country or area; no value). ``--strict`` refuses an import
  with any of these.
"""

from __future__ import annotations

import operator
from dataclasses import dataclass, field
from pathlib import Path

from tradesim.data.observation import COLUMNS, MONTHS, OPTIONAL_COLUMNS, STATUS_RANK
from tradesim.errors import DataError, Problem

Row = tuple[
    str, str, str, str, int, str, float, str, str, str, str, str, str, str, str, str, str
]  # the data folder's columns, then published, classification, commodity, retrieved
Key = tuple[str, str, str, str, int, str]  # kind, reporter, partner, flow, year, period
Key8 = tuple[str, str, str, str, int, str, str, str]  # and the classification and commodity
SHOWN_LINES = 5
NO_VALUE = "no trade value (empty, or a missing-value mark such as '..')"  # a line skipped for it, any layout


@dataclass
class Reason:
    count: int = 0
    lines: list[int] = field(default_factory=list)

    def add(self, line: int, count: int = 1) -> None:
        self.count += count
        if len(self.lines) < SHOWN_LINES and line > 0:
            self.lines.append(line)


@dataclass
class Tally:
    reasons: dict[str, Reason] = field(default_factory=dict)

    def add(self, reason: str, line: int, count: int = 1) -> None:
        self.reasons.setdefault(reason, Reason()).add(line, count)

    @property
    def count(self) -> int:
        return sum(r.count for r in self.reasons.values())

    def lines(self) -> list[str]:
        """``12 lines: partner2 breakdown (partner2Code not 0) (lines 4, 5, 9, …)``, commonest first."""
        out = []
        for reason, found in sorted(self.reasons.items(), key=lambda kv: (-kv[1].count, kv[0])):
            shown = ", ".join(map(str, found.lines))
            more = ", …" if found.count > len(found.lines) else ""
            where = f" (line{'s' if len(found.lines) > 1 else ''} {shown}{more})" if found.lines else ""
            out.append(f"{found.count:,} line{'s' if found.count != 1 else ''}: {reason}{where}")
        return out


@dataclass
class Imported:
    """The rows of an import (the data folder's columns, sorted) and the account of its lines."""

    path: Path
    layout: str  # "UN Comtrade+ (portal download)", ...
    dialect: str  # "cp1252 (not UTF-8: line 310), comma-separated"
    rows: list[Row] = field(default_factory=list)
    lines: int = 0  # data lines (records) read
    asked: Tally = field(default_factory=Tally)
    breakdowns: Tally = field(default_factory=Tally)
    skipped: Tally = field(default_factory=Tally)
    notes: list[str] = field(default_factory=list)
    commodities: dict[str, int] = field(default_factory=dict)  # the commodity codes left out, with counts
    derived: int = 0  # rows computed here (totals, jan-<mon> sums), whatever status their parts give them

    def __len__(self) -> int:
        return len(self.rows)

    def csv_text(self) -> str:
        """The rows as CSV that the csv module reads back as the same rows (a test), formatted here: a bulk
        import writes a few hundred thousand rows, and the texts repeat (each is quoted once). A text holding
        a delimiter, a quote or a line break of either kind is quoted (the csv module's writer leaves a lone
        carriage return bare, which its reader then takes for the end of the row)."""
        quoted: dict[str, str] = {}

        def cell(text: str) -> str:
            found = quoted.get(text)
            if found is None:
                found = quoted[text] = (
                    '"' + text.replace('"', '""') + '"' if any(c in text for c in ',"\r\n') else text
                )
            return found

        fetched = any(row[16] for row in self.rows)  # the retrieved column: only for rows a fetch received
        names = [*COLUMNS, *OPTIONAL_COLUMNS]
        lines = [",".join(names if fetched else names[:-1]) + "\n"]
        for (
            kind,
            reporter,
            partner,
            flow,
            year,
            period,
            value,
            unit,
            status,
            by,
            source,
            url,
            note,
            published,
            classification,
            commodity,
            retrieved,
        ) in self.rows:
            lines.append(
                f"{cell(kind)},{cell(reporter)},{cell(partner)},{cell(flow)},{year},{cell(period)},{value!r},"
                f"{cell(unit)},{cell(status)},{cell(by)},{cell(source)},{cell(url)},{cell(note)},{cell(published)},"
                f"{cell(classification)},{cell(commodity)}" + (f",{cell(retrieved)}\n" if fetched else "\n")
            )
        return "".join(lines)

    def summary(self) -> list[str]:
        """The account, a line each: what the file is, what was read and written, what was left and why."""
        accounted = len(self.rows) - self.derived
        out = [
            f"layout: {self.layout}; {self.dialect}",
            f"{self.lines:,} data line{'s' if self.lines != 1 else ''} read; {len(self.rows):,} "
            f"observation{'s' if len(self.rows) != 1 else ''} "
            f"({accounted:,} read, {self.derived:,} derived: totals and sums)",
        ]
        for title, tally in (("left out as asked", self.asked), ("breakdowns left out", self.breakdowns)):
            out += [f"{title}: {line}" for line in tally.lines()]
        out += [f"skipped: {line}" for line in self.skipped.lines()]
        if not self.rows and self.commodities:
            common = sorted(self.commodities, key=lambda c: -self.commodities[c])
            out.append(
                f"the file's commodity codes: {', '.join(common[:12])}{', …' if len(common) > 12 else ''} "
                "(--commodity CODE)"
            )
        return out + self.notes


@dataclass
class Collector:
    """Figures as a reader finds them → rows, one per key: the same figure twice is kept once (and counted);
    two different values for one key are an error naming both lines. Totals (export + import) and, with
    ``cumulate``, the ``jan-<mon>`` sums of monthly figures are derived here, with their formula. A figure's
    key holds its classification and commodity: an import of several commodities keeps each apart."""

    imported: Imported
    source: str
    url: str
    what: str  # "all commodities", "HS 27": for an import of one commodity whose lines do not say more
    reported_by: str = ""  # whose statistics, when not the reporter's own (WDI: the World Bank's compilation)
    published: str = ""  # the release the file states (a WDI download's "Last Updated Date")
    # value, unit, line, note, status
    figures: dict[Key8, tuple[float, str, int, str, str]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def add(
        self, line: int, key: Key, value: float, unit: str, note: str, classification: str = "",
        commodity: str = "", status: str = "reported",
    ) -> None:  # fmt: skip
        """One figure; ``classification`` and ``commodity`` the line's own (a Comtrade file mixes HS revisions:
        H3 for 2010, H5 for 2017; WITS a product group), none for all goods: TOTAL, whatever the revision;
        ``status`` as the file flags it (an IMF ``e``: ``estimated``)."""
        commodity = commodity or "TOTAL"
        system = "TOTAL" if commodity == "TOTAL" else classification
        _kind, reporter, partner, flow, year, period = key
        if not 1900 <= year <= 2300:
            self.problem(line, f"the year must be in 1900–2300, got {year}")
            return
        full = (*key, system, commodity)
        found = self.figures.get(full)
        if found is None:
            self.figures[full] = (value, unit, line, note, status)
            return
        if (found[0], found[1]) == (value, unit):
            self.imported.skipped.add("the same figure again (an identical line)", line)
            return
        of = "" if commodity == "TOTAL" else f" {system} {commodity}"
        self.problem(
            line,
            f"{reporter}–{partner}{of} {flow} {year} {period} twice with different values: line {found[2]} has "
            f"{found[0]:g} {found[1]}, this line {value:g} {unit}",
        )

    def problem(self, line: int, message: str, column: str | None = None) -> None:
        self.problems.append(Problem(message, self.imported.path, line or None, column))

    def _what(self, key: Key8) -> str:
        """What a derived figure is of: the import's label, or the key's own commodity when it has one."""
        return self.what if key[7] == "TOTAL" else f"{key[6]} {key[7]}"

    def finish(self, cumulate: bool = False) -> Imported:
        if self.problems:
            shown = sorted(self.problems, key=lambda p: p.line or 0)[:50]
            if len(self.problems) > len(shown):
                shown.append(
                    Problem(f"... and {len(self.problems) - len(shown)} more problems", self.imported.path)
                )
            raise DataError(shown)
        values = {key: (value, unit) for key, (value, unit, _, _, _) in self.figures.items()}
        derived: list[tuple[Key8, float, str, str, str]] = []
        if cumulate:
            derived += self._sums(values)
            values.update((key, (value, unit)) for key, value, unit, _, _ in derived)
        derived += self._totals(values)
        source, url, published = self.source, self.url, self.published
        rows: list[Row] = [
            (*key[:6], value, unit, status, self.reported_by or key[1], source, url, note, published, key[6],
             key[7], "")
            for key, (value, unit, _, note, status) in self.figures.items()
        ]  # fmt: skip
        rows += [
            (*key[:6], value, unit, status, self.reported_by or key[1], source, url, note, published, key[6],
             key[7], "")
            for key, value, unit, note, status in derived
        ]  # fmt: skip
        # kind, reporter, partner, year, flow, period, then the commodity
        rows.sort(key=operator.itemgetter(0, 1, 2, 4, 3, 5, 15, 14))
        self.imported.rows = rows
        self.imported.derived = len(derived)
        return self.imported

    def _totals(self, values: dict[Key8, tuple[float, str]]) -> list[tuple[Key8, float, str, str, str]]:
        out = []
        for key in list(values):
            kind, reporter, partner, flow, year, period, system, commodity = key
            if flow != "export":
                continue
            export = values[key]
            imported = values.get((kind, reporter, partner, "import", year, period, system, commodity))
            total_key = (kind, reporter, partner, "total", year, period, system, commodity)
            if imported is None or imported[1] != export[1] or total_key in values:
                continue
            note = f"{self._what(key)}: derived here, export + import ({export[0]:.15g} + {imported[0]:.15g})"
            flagged = sorted(
                {self.figures[k][4] for k in (key, (*key[:3], "import", *key[4:])) if k in self.figures}
                - {"reported"}
            )
            status = "derived"
            if flagged:  # a sum is as firm as its least firm part: an IMF estimate makes an estimate
                note += f"; from figures the source flags {' and '.join(flagged)}"
                status = max(["derived", *flagged], key=lambda s: STATUS_RANK.get(s, 99))
            out.append((total_key, export[0] + imported[0], export[1], note, status))
        return out

    def _sums(self, values: dict[Key8, tuple[float, str]]) -> list[tuple[Key8, float, str, str, str]]:
        out = []
        series = sorted({(*key[:5], key[6], key[7]) for key in values if key[5] in MONTHS})
        for kind, reporter, partner, flow, year, system, commodity in series:
            running, unit = 0.0, ""
            for n, month in enumerate(MONTHS, start=1):
                key = (kind, reporter, partner, flow, year, month, system, commodity)
                found = values.get(key)
                if found is None or (unit and found[1] != unit):
                    break
                running, unit = running + found[0], found[1]
                if n > 1:
                    note = f"{self._what(key)}: derived here, the sum of the monthly figures jan–{month}"
                    out.append(
                        ((*key[:5], f"jan-{month}", system, commodity), running, unit, note, "derived")
                    )
        return out
