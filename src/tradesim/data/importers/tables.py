"""Tables people download from WITS and national offices → observations.

- **WITS wide** (``Reporter Name,Partner Name,Trade Flow,Product Group,Indicator,1991,...,2018``): a row per
  reporter, partner, flow and indicator, a column per year; the unit is in the indicator
  (``Import (US$ Thousand)``);
- **WITS long** (``Reporter Name,Partner Name,Year,Trade Flow,...,Export (US$ Thousand),Import (US$
  Thousand),...``): a row per reporter, partner and year, the indicators as columns; exports and imports are
  read, the other indicators (shares, tariffs, counts) left aside;
- **a wide table** of a national office: the first column labels the row (a partner with ``--flow``, a flow
  with ``--partner``), columns whose header holds a year (``2023``, ``2023 [YR2023]``) hold the values;
  ``--reporter`` says whose statistics they are and ``--unit`` their unit, unless the file states it.

Names are matched as WITS and national offices write them (:func:`tradesim.codes.area_by_name`); values are
read by the file's decimal convention (:mod:`.decimals`); units as the file states them (``US$ Thousand`` is
``USD_th``), never assumed.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from tradesim.codes import Area, area, area_by_name, country_problem
from tradesim.data.importers import text
from tradesim.data.importers.decimals import MISSING, DecimalError, convention, number
from tradesim.data.importers.imported import NO_VALUE, Collector, Imported
from tradesim.data.importers.options import Options
from tradesim.data.observation import PeriodHeaderError, header_period, money_unit
from tradesim.errors import DataError, InputError, Problem

YEAR = re.compile(r"(?<!\d)(19\d\d|2[0-2]\d\d)(?!\d)")
FLOW_LABELS = {
    "export": "export", "exports": "export", "gross exp.": "export",
    "import": "import", "imports": "import", "gross imp.": "import",
    "re-export": "re-export", "re-exports": "re-export", "re-import": "re-import", "re-imports": "re-import",
    "total": "total", "turnover": "total", "trade": "total", "total trade": "total",
}  # fmt: skip
SCALE_WORDS = {"thousand": "th", "thousands": "th", "th": "th", "mil": "mn", "million": "mn", "millions": "mn",
               "mn": "mn", "mln": "mn", "billion": "bn", "billions": "bn", "bn": "bn", "bln": "bn"}  # fmt: skip
CURRENCY_WORDS = {"us$": "USD", "usd": "USD", "$": "USD", "eur": "EUR", "€": "EUR", "kzt": "KZT"}
ALL_PRODUCTS = "all products"


def stated_unit(label: str) -> str | None:
    """The unit a header or indicator states: ``Import (US$ Thousand)`` → ``USD_th``, ``(US$ Mil)`` →
    ``USD_mn``, ``(US$)`` → ``USD``; ``None`` when it states none."""
    found = re.search(r"\(([^()]*)\)", label)
    if not found:
        return None
    words = found.group(1).lower().replace("us $", "us$").split()
    currency = next((CURRENCY_WORDS[w] for w in words if w in CURRENCY_WORDS), None)
    if currency is None:
        return None
    scale = next((SCALE_WORDS[w] for w in words if w in SCALE_WORDS), "")
    return f"{currency}_{scale}" if scale else currency


def kind_of(header: list[str]) -> str | None:
    names = {h.lower() for h in header}
    if {"reporter name", "partner name"} <= names:
        if "year" in names:
            return "wits-long"
        if "indicator" in names and any(YEAR.fullmatch(h) for h in header):
            return "wits-wide"
    return None


def _check_unit(option: str | None, stated: str | None, what: str, path: Path) -> str:
    if option is not None and money_unit(option) is None:
        raise InputError(
            f"--unit must be a currency code, optionally with _bn, _mn or _th (USD_th, USD_mn, EUR_bn, KZT), got {option!r}"
        )
    if stated and option and option != stated:
        raise InputError(f"{path}: --unit {option} contradicts the file, whose {what} says {stated}")
    unit = stated or option
    if unit is None:
        raise InputError(
            f"{path}: the file states no unit ({what}): give --unit (USD_th, USD_mn, EUR_bn, KZT)"
        )
    return unit


class _Names:
    """Names → areas, each name that matches nothing counted once per line and skipped."""

    def __init__(self, imported: Imported) -> None:
        self.imported = imported

    def __call__(self, name: str, line: int, what: str) -> Area | None:
        label = name.strip()
        found = area(label.upper()) if len(label) == 3 else None
        found = found or area_by_name(label)
        if found is None:
            self.imported.skipped.add(f"{what} {label!r}: no known country or area", line)
        return found


def _decimal(cells: list[tuple[str, str]], options: Options, path: Path) -> str:
    if options.decimal:
        return options.decimal
    mark, problem = convention(cells)
    if problem:
        raise DataError([Problem(problem, path)])
    return mark


# (flow, year, column, unit, what the column is) of one record; None: the record is left out (counted)
Series = list[tuple[str, int, int, str, str]]


def read_wits_wide(dialect: text.Dialect, header: list[str], options: Options, collector: Collector) -> None:
    """A WITS wide table: a row per reporter, partner, flow and indicator, a column per year; the unit is the
    indicator's (``Import (US$ Thousand)``)."""
    imported = collector.imported
    at = _positions(header)
    year_columns = {i: int(h) for i, h in enumerate(header) if YEAR.fullmatch(h)}

    def series(fields: list[str], line: int) -> Series | None:
        flow_label = fields[at["trade flow"]].strip() if "trade flow" in at else ""
        flow = FLOW_LABELS.get(flow_label.lower())
        if flow is None:
            imported.skipped.add(
                f"trade flow {flow_label!r} (not exports, imports, re-exports or re-imports)", line
            )
            return None
        indicator = fields[at["indicator"]].strip()
        stated = stated_unit(indicator)
        if stated is None:
            imported.skipped.add(f"indicator {indicator!r} (not a trade value in a currency)", line)
            return None
        unit = _check_unit(options.unit, stated, f"indicator {indicator!r}", dialect.path)
        return [
            (flow, year, column, unit, f"{header[column]}, {indicator}")
            for column, year in year_columns.items()
        ]

    _read_wits(dialect, header, options, collector, list(year_columns), series)


def read_wits_long(dialect: text.Dialect, header: list[str], options: Options, collector: Collector) -> None:
    """A WITS long table: a row per reporter, partner and year, the indicators as columns; the export and import
    values are read (their unit the column's), the other indicators (shares, tariffs, counts) left aside."""
    imported = collector.imported
    at = _positions(header)
    flow_columns = {
        i: f
        for i, h in enumerate(header)
        for word, f in (("export", "export"), ("import", "import"))
        if h.lower().startswith(f"{word} (") and stated_unit(h)
    }
    if not flow_columns:
        raise DataError(
            [
                Problem(
                    "a WITS long table needs a column Export (US$ Thousand) or Import (US$ Thousand)",
                    dialect.path,
                    1,
                )
            ]
        )
    imported.notes.append(
        f"columns read: {', '.join(header[i] for i in flow_columns)}; "
        f"{len(header) - len(flow_columns) - 4} other indicator columns left aside"
    )

    def series(fields: list[str], line: int) -> Series | None:
        try:
            year = int(fields[at["year"]].strip())
        except ValueError:
            collector.problem(
                line, f"the year must be a whole number, got {fields[at['year']]!r}", header[at["year"]]
            )
            return None
        return [
            (
                flow,
                year,
                column,
                _check_unit(
                    options.unit, stated_unit(header[column]), f"column {header[column]!r}", dialect.path
                ),
                header[column],
            )
            for column, flow in flow_columns.items()
        ]

    _read_wits(dialect, header, options, collector, list(flow_columns), series)


def _positions(header: list[str]) -> dict[str, int]:
    """A header's names in lower case → their first position."""
    return {h.lower(): i for i, h in reversed(list(enumerate(header)))}


def _read_wits(
    dialect: text.Dialect,
    header: list[str],
    options: Options,
    collector: Collector,
    value_columns: list[int],
    series_of: Callable[[list[str], int], Series | None],
) -> None:
    """What both WITS layouts share: one product group, names to areas, the decimal convention, the account."""
    imported = collector.imported
    if "," in options.commodity or options.commodity.upper() == "ALL":
        raise InputError(
            f"{imported.path}: --commodity {options.commodity}: a WITS table is read one product group "
            "at a time (TOTAL, or a group such as Fuels)"
        )
    at = _positions(header)
    records = list(text.records(dialect))
    imported.lines = len(records)
    names = _Names(imported)
    width = len(header)
    cells = [
        (r.fields[i], f"line {r.line}, column {header[i]!r}")
        for r in records
        if len(r.fields) == width
        for i in value_columns
    ]
    decimal = _decimal(cells, options, dialect.path)
    wanted = ALL_PRODUCTS if options.commodity == "TOTAL" else options.commodity.lower()
    for record in records:
        fields = record.fields
        if len(fields) != width:
            if not any(f.strip() for f in fields):
                imported.skipped.add("a blank line", record.line)
                continue
            if len(fields) > width and not any(f.strip() for f in fields[width:]):
                fields = fields[:width]
            else:
                collector.problem(record.line, f"{len(fields)} fields, the header has {width}")
                continue
        line = record.line
        product = fields[at["product group"]].strip() if "product group" in at else "All Products"
        if product.lower() != wanted:
            imported.asked.add(
                f"another product group than {'All Products' if wanted == ALL_PRODUCTS else options.commodity} (--commodity)",
                line,
            )
            continue
        reporter = names(fields[at["reporter name"]], line, "reporter")
        partner = names(fields[at["partner name"]], line, "partner")
        if reporter is None or partner is None:
            continue
        if options.reporter and reporter.code != options.reporter:
            imported.asked.add(f"another reporter than {options.reporter} (--reporter)", line)
            continue
        if options.partner and partner.code != options.partner:
            imported.asked.add(f"another partner than {options.partner} (--partner)", line)
            continue
        notes = [a.note for a in (reporter, partner) if a.note]
        found = series_of(fields, line)
        if found is None:
            continue
        read = elsewhere = 0
        for flow, year, column, unit, what in found:
            if options.year is not None and year != options.year:
                elsewhere += _holds(fields[column])
                continue
            read += 1
            try:
                value = number(fields[column], decimal)
            except DecimalError as exc:
                collector.problem(line, str(exc), header[column])
                continue
            if value is None:
                read -= 1
                continue
            note = "; ".join([f"{product}, {what}", *notes])
            figure = ("trade", reporter.code, partner.code, flow, year, "FY")
            if wanted == ALL_PRODUCTS:
                collector.add(line, figure, value, unit, note)
            else:  # a product group is a commodity of WITS's own grouping, never the pair's trade
                collector.add(line, figure, value, unit, note, "WITS", product)
        if not read:
            _nothing_read(imported, line, options.year, elsewhere)


def read_wide(dialect: text.Dialect, header: list[str], options: Options, collector: Collector) -> None:
    """A national office's wide table (see the module docstring)."""
    imported = collector.imported
    reporter = options.reporter
    where = f"{dialect.path}: a wide table (a column per year)"
    if reporter is None or country_problem(reporter) is not None:
        raise InputError(
            f"{where} does not say whose statistics it holds: give --reporter, a country (ISO 3166 alpha-3), got {reporter!r}"
        )
    if (options.partner is None) == (options.flow is None):
        raise InputError(
            f"{where}: give --partner (each row is a flow) or --flow (each row is a partner), not both"
        )
    if options.flow is not None and options.flow not in ("total", "export", "import"):
        raise InputError(f"{where}: --flow must be total, export or import, got {options.flow!r}")
    if (
        options.partner is not None
        and area(options.partner) is None
        and country_problem(options.partner) is not None
    ):
        raise InputError(f"{where}: --partner: {country_problem(options.partner)}")
    periods: dict[int, tuple[int, str]] = {}
    for i, name in enumerate(header):
        if i == 0:
            continue
        try:  # a month is never read as a year: a column it cannot place is refused
            placed = header_period(name)
        except PeriodHeaderError as exc:
            raise DataError([Problem(f"column {name!r}: {exc}", dialect.path, 1)]) from None
        if placed is not None:
            periods[i] = placed
    years = {i: year for i, (year, _) in periods.items()}
    if not years:
        raise DataError(
            [
                Problem(
                    "no column header holds a year (2019, 2020 [YR2020], 2024M2, 2024Q1, ...)",
                    dialect.path,
                    1,
                )
            ]
        )
    stated = {stated_unit(header[i]) for i in years} - {None}
    unit_column = next((i for i, h in enumerate(header) if h.lower() in ("unit", "units", "indicator")), None)
    records = list(text.records(dialect))
    imported.lines = len(records)
    if unit_column is not None:
        stated |= {
            stated_unit(f"({r.fields[unit_column]})") for r in records if unit_column < len(r.fields)
        } - {None}
    if len(stated) > 1:
        raise DataError(
            [
                Problem(
                    f"the file states more than one unit ({', '.join(sorted(map(str, stated)))}): import one at a time",
                    dialect.path,
                )
            ]
        )
    unit = _check_unit(options.unit, next(iter(stated), None), "its headers", dialect.path)
    label_name = header[0] or "the first column"
    cells = [
        (r.fields[i], f"line {r.line}, column {header[i]!r}")
        for r in records
        for i in years
        if i < len(r.fields)
    ]
    decimal = _decimal(cells, options, dialect.path)
    names = _Names(imported)
    for record in records:
        values, line = record.fields, record.line
        if not any(v.strip() for v in values):
            imported.skipped.add("a blank line", line)
            continue
        label = values[0].strip()
        if options.flow is not None:
            found = names(label, line, label_name)
            if found is None:
                continue
            row_partner, row_flow = found.code, options.flow
            notes = [found.note] if found.note else []
        else:
            assert options.partner is not None  # checked above: --partner or --flow
            row_partner, notes = options.partner, []
            flow_found = FLOW_LABELS.get(label.lower())
            if flow_found is None:
                imported.skipped.add(f"{label_name} {label!r}: not a flow (export, import, total)", line)
                continue
            row_flow = flow_found
        assert row_partner is not None
        read = elsewhere = 0
        for column, when in years.items():
            cell = values[column] if column < len(values) else ""
            if options.year is not None and when != options.year:
                elsewhere += _holds(cell)
                continue
            read += 1
            try:
                value = number(cell, decimal)
            except DecimalError as exc:
                collector.problem(line, str(exc), header[column])
                continue
            if value is None:
                read -= 1
                continue
            note = "; ".join([f"{label}, column {header[column]!r}", *notes])
            period = periods[column][1]  # the column's own period: 2024M2 is February, never the year
            collector.add(line, ("trade", reporter, row_partner, row_flow, when, period), value, unit, note)
        if not read:
            _nothing_read(imported, line, options.year, elsewhere)


def _holds(cell: str) -> bool:
    """Whether a cell holds a figure (or something that is not a missing-value mark)."""
    return cell.strip().lower() not in MISSING


def _nothing_read(imported: Imported, line: int, year: int | None, elsewhere: int) -> None:
    """Account for a line none of whose cells gave a figure: left out as asked when it holds figures of other
    years than ``--year``, else skipped for having none."""
    if elsewhere:
        imported.asked.add(f"another year than {year} (--year)", line)
    else:
        imported.skipped.add(NO_VALUE, line)
