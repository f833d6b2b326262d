"""The World Bank's World Development Indicators as its site hands out one indicator (the "CSV" button of
``data.worldbank.org``, ``API_<INDICATOR>_DS2_en_csv_v2_<n>.csv``) → observations.

The file opens with four metadata lines — ``"Data Source","World Development Indicators",``, a blank line,
``"Last Updated Date","2024-02-21",``, a blank line — then a wide table: ``Country Name, Country Code,
Indicator Name, Indicator Code, 1960, ..., 2022``, a row per country and aggregate, every field quoted, a
trailing comma on each line. The same table without the metadata lines is read too.

Only indicators whose meaning tradesim keeps apart are read (:data:`INDICATORS`): merchandise trade (goods),
trade in services, and goods and services together (national accounts) — each its own kind, so that no
goods-and-services figure is ever taken for goods. Every figure is the country's trade with the world
(``WLD``), in current US$, reported by ``WDI`` (the World Bank's compilation, not the country's own
release), published on the file's "Last Updated Date". WDI's aggregates that are no country or area
tradesim knows (``AFE``, ``Arab World``) are left aside, counted.
"""

from __future__ import annotations

import csv
import io
import re

from tradesim.codes import area
from tradesim.data.importers import text
from tradesim.data.importers.decimals import DecimalError, number
from tradesim.data.importers.imported import NO_VALUE, Collector
from tradesim.data.importers.options import Options
from tradesim.data.observation import PUBLISHED
from tradesim.errors import DataError, InputError, Problem

# indicator code → (kind, flow, what it is)
INDICATORS = {
    "TX.VAL.MRCH.CD.WT": ("trade", "export", "merchandise exports, current US$ (WTO-compiled)"),
    "TM.VAL.MRCH.CD.WT": ("trade", "import", "merchandise imports, current US$ (WTO-compiled)"),
    "BX.GSR.NFSV.CD": ("services", "export", "service exports, BoP, current US$"),
    "BM.GSR.NFSV.CD": ("services", "import", "service imports, BoP, current US$"),
    "NE.EXP.GNFS.CD": ("goods_and_services", "export", "exports of goods and services, current US$"),
    "NE.IMP.GNFS.CD": ("goods_and_services", "import", "imports of goods and services, current US$"),
}
PUBLISHER = ("World Bank, World Development Indicators", "https://data.worldbank.org/")
COLUMNS = ("Country Name", "Country Code", "Indicator Name", "Indicator Code")
YEAR = re.compile(r"^(19|20)\d\d$")


def recognises(header: list[str]) -> bool:
    """The metadata line ``"Data Source","World Development Indicators"``, or the table's own header."""
    names = [h.strip() for h in header]
    return names[:2] == ["Data Source", "World Development Indicators"] or tuple(names[:4]) == COLUMNS


def read(dialect: text.Dialect, options: Options, collector: Collector) -> None:
    imported = collector.imported
    path = dialect.path
    if options.commodity != "TOTAL":
        raise InputError(f"{path}: --commodity {options.commodity}: a WDI indicator has no commodity (TOTAL)")
    if options.partner not in (None, "WLD"):
        raise InputError(f"{path}: --partner {options.partner}: WDI figures are trade with the world (WLD)")
    with dialect.open() as handle:
        body = handle.read().decode(dialect.encoding).lstrip("\ufeff")
    reader = csv.reader(io.StringIO(body, newline=""), delimiter=dialect.delimiter)
    header: list[str] | None = None
    published = ""
    for fields in reader:
        line = reader.line_num
        cells = [f.strip() for f in fields]
        if header is None:
            if tuple(cells[:4]) == COLUMNS:
                header = cells
            elif cells[:1] == ["Last Updated Date"] and len(cells) > 1:
                published = cells[1]
                if not PUBLISHED.match(published):
                    raise DataError(
                        [
                            Problem(
                                f"the Last Updated Date {published!r} is not a date (2024-02-21)", path, line
                            )
                        ]
                    )
            elif any(cells) and cells[0] not in ("Data Source",):
                raise DataError(
                    [
                        Problem(
                            f"a WDI download's metadata lines end in the header {', '.join(COLUMNS)}; "
                            f"this line holds {cells[0][:40]!r}",
                            path,
                            line,
                        )
                    ]
                )
            continue
        if not any(cells):
            imported.skipped.add("a blank line", line)
            continue
        imported.lines += 1
        _row(cells, line, header, options, collector)
    if header is None:
        raise DataError([Problem(f"no header {', '.join(COLUMNS)}, 1960, ...", path)])
    collector.published = published
    if published:
        imported.notes.append(f"published: {published} (the file's Last Updated Date)")
    else:
        imported.notes.append("the file states no Last Updated Date: the rows' published is empty")


def _row(cells: list[str], line: int, header: list[str], options: Options, collector: Collector) -> None:
    imported = collector.imported
    name, code, indicator_name, indicator = cells[:4]
    meaning = INDICATORS.get(indicator)
    if meaning is None:
        known = ", ".join(f"{c} ({w})" for c, (_, _, w) in INDICATORS.items())
        raise InputError(
            f"{imported.path}: line {line}: WDI indicator {indicator} ({indicator_name}) is not one tradesim "
            f"reads; it reads {known}"
        )
    kind, flow, what = meaning
    if options.source is None:
        collector.source = f"World Bank, World Development Indicators, {indicator} ({indicator_name})"
    if options.url is None:
        collector.url = f"https://data.worldbank.org/indicator/{indicator}"
    reporter = area(code)
    if reporter is None:
        imported.skipped.add("a WDI aggregate that is no country or area tradesim knows", line)
        return
    if reporter.code == "WLD":
        imported.skipped.add("the world's own total (no reporter)", line)
        return
    if options.reporter and reporter.code != options.reporter:
        imported.asked.add(f"another reporter than {options.reporter} (--reporter)", line)
        return
    read = elsewhere = 0
    for column, year_text in enumerate(header):
        if column < 4 or not YEAR.match(year_text):
            continue
        cell = cells[column] if column < len(cells) else ""
        year = int(year_text)
        if options.year is not None and year != options.year:
            elsewhere += bool(cell)
            continue
        try:
            value = number(cell, ".")
        except DecimalError as exc:
            collector.problem(line, str(exc), year_text)
            continue
        if value is None:
            continue
        read += 1
        note = f"{name}, {what}, {year}"
        if reporter.note:
            note += f"; {reporter.note}"
        collector.add(line, (kind, reporter.code, "WLD", flow, year, "FY"), value, "USD", note)
    if not read:
        if elsewhere:
            imported.asked.add(f"another year than {options.year} (--year)", line)
        else:
            imported.skipped.add(NO_VALUE, line)
