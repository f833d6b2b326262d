"""The IMF's Direction of Trade Statistics (DOTS) as its portal hands out a reporter's table → observations.

A DOTS workbook holds a sheet per flow (``Exports, FOB``, ``Imports, CIF``; some downloads add ``Imports,
FOB``), each laid out the same way::

    Exports, FOB to Partner Countries        ← the title: the flow and its valuation
    Kazakhstan, Rep. of                      ← the reporter, by the IMF's name
    US Dollars, Millions                     ← the unit and its scale
    (blank)
    ,1992,1993,...                           ← the years
    Australia,,0.14 e,0.2,...                ← a row per partner (and per IMF group), a column per year

Every sheet of that layout is read (a CSV of one such sheet too). A value flagged ``e`` is the IMF's
estimate: its row is ``estimated``, never ``reported``. Imports are read CIF; an ``Imports, FOB`` sheet
beside a CIF one is left aside (counted), as one figure per key is all a series can hold. Names are the
IMF's (``China, P.R.: Mainland``, ``Kyrgyz Rep.``), matched by :func:`tradesim.codes.area_by_name` from the
names in ``shipped/areas.csv`` (each with the file it was read in); the IMF's groups of economies
(``Advanced Economies``, ``Middle East and Central Asia``) and its "not specified" areas are no country and
are left aside, counted.
"""

from __future__ import annotations

import csv
import io
import re

from tradesim.codes import area_by_name
from tradesim.data.importers import text
from tradesim.data.importers.imported import Collector
from tradesim.data.importers.options import Options
from tradesim.errors import DataError, InputError, Problem

TITLE = re.compile(r"^(Exports|Imports),\s*(FOB|CIF)\s+(?:to|from)\s+Partner Countries$", re.IGNORECASE)
UNIT = re.compile(r"^US Dollars(?:,\s*(Millions|Thousands|Billions))?$", re.IGNORECASE)
SCALES = {"millions": "_mn", "thousands": "_th", "billions": "_bn", "": ""}
# a value as DOTS writes it: 131.06816232220575, or 0.14 e (an IMF estimate)
VALUE = re.compile(r"^\s*(-?\d+(?:\.\d*)?(?:[eE][+-]?\d+)?)(?:\s+([A-Za-z]))?\s*$")
FLAGS = {"e": "estimated"}
PUBLISHER = ("IMF, Direction of Trade Statistics (DOTS)", "https://data.imf.org/")
# The IMF's groups of economies and its areas not specified, as DOTS names them: no one country's trade
GROUP_WORDS = re.compile(
    r"(economies|euro area|emerging and developing|western hemisphere|memorandum items|not specified|"
    r"not included elsewhere|middle east|^africa$|^asia$|^europe$)",
    re.IGNORECASE,
)


def recognises(header: list[str]) -> bool:
    """A DOTS sheet's first row is its title: ``Exports, FOB to Partner Countries``."""
    return (
        bool(header) and TITLE.match(header[0].strip()) is not None and not any(h.strip() for h in header[1:])
    )


def read(dialect: text.Dialect, options: Options, collector: Collector) -> None:
    """Every DOTS sheet of the file (a workbook's sheets, or the one CSV) into ``collector``."""
    imported = collector.imported
    if options.commodity != "TOTAL":
        raise InputError(
            f"{dialect.path}: --commodity {options.commodity}: IMF DOTS holds all goods only (TOTAL)"
        )
    sheets = list(dialect.sheets) or [("", dialect.open().read())]
    tables = [
        (name, list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline="")))) for name, body in sheets
    ]
    titles = [(rows[0][0].strip() if rows and rows[0] else "") for _, rows in tables]
    cif = any(
        (m := TITLE.match(t)) and m.group(1).lower() == "imports" and m.group(2).upper() == "CIF"
        for t in titles
    )
    flows: dict[str, str] = {}
    read_sheets: list[str] = []
    for (name, rows), title in zip(tables, titles, strict=True):
        found = TITLE.match(title)
        if found is None:
            imported.notes.append(
                f"sheet {name!r} left aside: not a DOTS table (its first row: {title[:60]!r})"
            )
            continue
        flow = "export" if found.group(1).lower() == "exports" else "import"
        valuation = found.group(2).upper()
        if flow in flows or (flow == "import" and valuation == "FOB" and cif):
            imported.notes.append(
                f"sheet {name!r} ({title}) left aside: {flow}s are read {flows.get(flow, 'CIF')} from another sheet"
            )
            continue
        flows[flow] = valuation
        read_sheets.append(name or "the file")
        _sheet(dialect, name, rows, flow, valuation, options, collector)
    if not flows:
        raise DataError(
            [Problem("no sheet is a DOTS table (Exports, FOB to Partner Countries, ...)", dialect.path)]
        )
    imported.notes.append(
        "read: " + "; ".join(f"{f}s {v}" for f, v in flows.items()) + f" (sheets: {', '.join(read_sheets)})"
    )


def _sheet(
    dialect: text.Dialect,
    name: str,
    rows: list[list[str]],
    flow: str,
    valuation: str,
    options: Options,
    collector: Collector,
) -> None:
    imported = collector.imported
    where = f"sheet {name!r}, " if name else ""
    filled = [(n, row) for n, row in enumerate(rows, start=1) if any(c.strip() for c in row)]
    # the title, the reporter, the unit, then the year header: the first rows that hold anything
    if len(filled) < 4:
        raise DataError(
            [Problem(f"{where}a DOTS table needs a title, a reporter, a unit and years", dialect.path)]
        )
    (_, _), (reporter_line, reporter_row), (unit_line, unit_row) = filled[:3]
    reporter = area_by_name(reporter_row[0].strip())
    if reporter is None or not reporter.is_country:
        raise DataError(
            [
                Problem(
                    f"{where}the reporter {reporter_row[0].strip()!r} is no known country",
                    dialect.path,
                    reporter_line,
                )
            ]
        )
    unit_text = unit_row[0].strip()
    unit_found = UNIT.match(unit_text)
    if unit_found is None:
        raise DataError(
            [
                Problem(
                    f"{where}the unit {unit_text!r} is not one DOTS writes (US Dollars, Millions)",
                    dialect.path,
                    unit_line,
                )
            ]
        )
    unit = "USD" + SCALES[(unit_found.group(1) or "").lower()]
    header_line, header = filled[3]
    years: dict[int, int] = {}
    for i, cell in enumerate(header):
        if i and cell.strip():
            if not re.fullmatch(r"(19|20)\d\d", cell.strip()):
                raise DataError(
                    [
                        Problem(
                            f"{where}column {i + 1}: {cell.strip()!r} is not a year (DOTS tables are annual)",
                            dialect.path,
                            header_line,
                        )
                    ]
                )
            years[i] = int(cell.strip())
    if not years:
        raise DataError([Problem(f"{where}no column holds a year", dialect.path, header_line)])
    if options.reporter and reporter.code != options.reporter:
        for line, _ in filled[4:]:
            imported.lines += 1
            imported.asked.add(f"another reporter than {options.reporter} (--reporter)", line)
        return
    valued = "FOB" if valuation == "FOB" else "CIF"
    seen: dict[tuple[str, ...], int] = {}  # a partner's row as written → its first line
    for line, row in filled[4:]:
        imported.lines += 1
        label = row[0].strip()
        cells = tuple(c.strip() for c in row)
        if cells in seen:  # DOTS repeats a row (Australia heads the table and has its place in it)
            imported.skipped.add(f"{where}the same row again, identical (first at line {seen[cells]})", line)
            continue
        seen[cells] = line
        partner = area_by_name(label)
        if partner is None:
            if GROUP_WORDS.search(label):
                imported.skipped.add(
                    f"{where}an IMF group of economies or an area not specified (not one country)", line
                )
            else:
                imported.skipped.add(f"{where}partner {label!r}: no known country or area", line)
            continue
        if options.partner and partner.code != options.partner:
            imported.asked.add(f"another partner than {options.partner} (--partner)", line)
            continue
        read = 0
        for column, year in years.items():
            cell = row[column].strip() if column < len(row) else ""
            if options.year is not None and year != options.year:
                continue
            if not cell:
                continue
            found = VALUE.match(cell)
            if found is None:
                collector.problem(
                    line, f"{where}{cell!r} is not a DOTS value (131.07, or 0.14 e)", header[column]
                )
                continue
            flag = (found.group(2) or "").lower()
            if flag and flag not in FLAGS:
                imported.skipped.add(f"{where}a value flagged {flag!r} (no DOTS flag tradesim knows)", line)
                continue
            value = float(found.group(1))
            read += 1
            note = f"IMF DOTS {flow}s, {valued}, {label}, {year}" + (
                " (flagged e: an IMF estimate)" if flag else ""
            )
            if partner.note:
                note += f"; {partner.note}"
            collector.add(
                line,
                ("trade", reporter.code, partner.code, flow, year, "FY"),
                value,
                unit,
                note,
                status=FLAGS.get(flag, "reported"),
            )
        if not read:
            if options.year is not None:
                imported.asked.add(f"another year than {options.year} (--year)", line)
            else:
                imported.skipped.add(f"{where}no value in any year", line)
