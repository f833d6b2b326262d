"""Importers: official statistics as people download them → the one observation schema.

:func:`read` recognises the file's layout from its header (or its JSON) and its dialect from its bytes
(:mod:`.text`), and hands the records to the layout's reader: :mod:`.comtrade` (Comtrade+ CSV and JSON, the
legacy comtrade.un.org layouts), :mod:`.tables` (WITS wide and long, a national office's wide table), or the
data folder's own schema (:mod:`tradesim.data.folders`). The result (:class:`~.imported.Imported`) holds the
rows and an account of every line read; ``tradesim data import`` writes the rows atomically, and an import
that fails writes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from tradesim.data.importers import comtrade, tables, text
from tradesim.data.importers.imported import Collector, Imported, Row
from tradesim.data.observation import COLUMNS
from tradesim.errors import DataError, InputError, Problem, TradesimError

FORMATS = {
    "comtrade": "UN Comtrade: Comtrade+ CSV (bulk file, portal download, API output; plain or .gz), the API's "
    "JSON, and the legacy comtrade.un.org layouts",
    "wits": "World Bank WITS tables: wide (a column per year) or long (a row per partner and year)",
    "wide": "a national office's table: a row per partner or flow, a column per year",
}
LAYOUTS = (
    "UN Comtrade+ CSV (portal download, API output, bulk file)",
    "UN Comtrade+ API JSON",
    "legacy UN Comtrade CSV (web export, short layout, bulk-style)",
    "legacy UN Comtrade API JSON",
    "WITS wide",
    "WITS long",
    "tradesim data folder",
    "a wide table with --reporter and --flow or --partner",
)


@dataclass(frozen=True)
class Options:
    """What ``tradesim data import`` asks for (see its ``--help``)."""

    format: str | None = None  # comtrade, wits, wide; None: recognise the layout
    commodity: str = "TOTAL"
    reporter: str | None = None
    partner: str | None = None
    year: int | None = None
    cumulate: bool = False
    flow: str | None = None
    unit: str | None = None
    source: str | None = None
    url: str | None = None
    encoding: str | None = None
    decimal: str | None = None

    def __post_init__(self) -> None:
        if self.format is not None and self.format not in FORMATS:
            raise InputError(f"unknown format {self.format!r} (known: {', '.join(FORMATS)})")
        if self.decimal not in (None, ".", ","):
            raise InputError(f"--decimal must be . or , got {self.decimal!r}")


def read(path: Path, options: Options | None = None) -> Imported:
    """The observations of ``path`` and the account of its lines (:class:`~.imported.Imported`)."""
    from tradesim import atomic

    atomic.reading(path, "the file being imported")
    options = options or Options()
    dialect, head = text.sniff(path, options.encoding)
    while True:
        try:
            return _read(dialect, head, options)
        except UnicodeDecodeError as exc:
            fallback = dialect.fallback()
            if fallback is None:
                raise DataError(
                    [
                        Problem(
                            f"not {dialect.encoding} text ({exc.reason} at byte {exc.start} of a block); "
                            "give --encoding (utf-8, cp1252, latin-1, utf-16)",
                            path,
                        )
                    ]
                ) from None
            dialect = fallback
        except TradesimError:
            raise
        except text.read_errors() as exc:  # a damaged gzip stream, a file that vanished
            raise text.damaged(path, exc) from None


def _read(dialect: text.Dialect, head: bytes, options: Options) -> Imported:
    path = dialect.path
    imported = Imported(path, "", dialect.describe())
    filters = comtrade.Filters(
        options.commodity, options.reporter, options.partner, options.year, options.cumulate
    )
    if head.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] in (b"{", b"["):
        _expect(options, "comtrade", "a Comtrade API JSON response", path)
        collector = comtrade.read_json(
            path, filters, imported, lambda kind: _collector(imported, options, kind, path)
        )
        return collector.finish(options.cumulate)
    header = text.header(dialect, head)
    family = comtrade.family(header)
    if family is not None:
        first, quoted = text.first_record(dialect, head)
        trailing = len(first) > len(header) and not first[-1].strip()
        iso = header.index("reporterISO") if "reporterISO" in header else None
        empty_iso = iso is not None and iso < len(first) and not first[iso].strip()
        imported.layout = comtrade.describe(family, header, trailing, quoted, empty_iso, dialect)
        _expect(options, "comtrade", imported.layout, path)
        collector = _collector(imported, options, family, path)
        comtrade.read_csv(dialect, head, header, family, filters, imported, collector)
        return collector.finish(options.cumulate)
    wits = tables.kind_of(header)
    table_options = tables.Options(
        options.reporter,
        options.partner,
        options.flow,
        options.unit,
        options.year,
        options.commodity,
        options.decimal,
    )
    if wits is not None:
        imported.layout = "WITS wide table" if wits == "wits-wide" else "WITS long table"
        _expect(options, "wits", imported.layout, path)
        collector = _collector(imported, options, "wits", path)
        tables.read_wits(dialect, header, wits, table_options, collector)
        return collector.finish()
    if set(COLUMNS) <= set(header):
        imported.layout = "tradesim data folder"
        return _own(dialect, imported)
    if options.format == "wide" or (options.format is None and tables.YEAR.search(",".join(header[1:]))):
        imported.layout = (
            "wide table (a row per " + ("partner" if options.flow else "flow") + ", a column per year)"
        )
        collector = _collector(imported, options, "wide", path)
        tables.read_wide(dialect, header, table_options, collector)
        return collector.finish()
    shown = ", ".join(repr(name) for name in header[:5]) or "nothing"
    raise DataError(
        [
            Problem(
                f"not a layout tradesim knows (tried: {'; '.join(LAYOUTS)}); its header begins {shown}",
                path,
                1,
            )
        ]
    )


def _expect(options: Options, wanted: str, found: str, path: Path) -> None:
    if options.format is not None and options.format != wanted:
        raise InputError(
            f"{path}: this is a {found}, not {options.format}: `tradesim data import {path}` recognises it"
        )


def _collector(imported: Imported, options: Options, kind: str, path: Path) -> Collector:
    # the commodity's classification, until the file says which (the Comtrade reader names it from its lines)
    what = "all commodities" if options.commodity == "TOTAL" else f"commodity {options.commodity}"
    names = {
        "plus": ("UN Comtrade+", comtrade.URLS["plus"]),
        "legacy": ("UN Comtrade (legacy comtrade.un.org)", comtrade.URLS["legacy"]),
        "wits": ("World Bank WITS", "https://wits.worldbank.org/"),
        "wide": ("", ""),
    }
    publisher, url = names[kind]
    source = options.source or (f"{publisher} ({path.name})" if publisher else f"{path.name} (wide table)")
    if kind in ("wits", "wide"):
        what = "all products" if options.commodity == "TOTAL" else options.commodity
    return Collector(
        imported, _one_line(source), _one_line(options.url if options.url is not None else url), what
    )


def _one_line(value: str) -> str:
    """A text a row can hold: line and paragraph separators of any kind become spaces."""
    return " ".join(value.split())


def _own(dialect: text.Dialect, imported: Imported) -> Imported:
    from tradesim.data import folders

    with dialect.open() as handle:  # decoded as detected: cp1252 too
        found, problems = folders.parse(handle.read().decode(dialect.encoding).lstrip("\ufeff"), dialect.path)
    if problems:
        raise DataError(problems)
    imported.lines = len(found)
    imported.rows = [
        (o.kind, o.reporter, o.partner, o.flow, o.year, o.period, o.value, o.unit, o.status, o.reported_by,
         o.source, o.url, o.note, o.published, o.classification, o.commodity)
        for o in found
    ]  # fmt: skip
    return imported


def to_csv(rows: list[Row]) -> str:
    """Rows in the data folder's columns as CSV text (what ``tradesim data import`` writes)."""
    return Imported(Path(), "", "", rows).csv_text()


__all__ = ["FORMATS", "LAYOUTS", "Imported", "Options", "Row", "read", "to_csv"]
