"""Importers: official statistics as people download them → the one observation schema.

:func:`read` recognises the file's dialect from its bytes (:mod:`.text`) and its layout from its header (or its
JSON): the first layout of :data:`.layouts.REGISTRY` that recognises the header reads it — :mod:`.comtrade`
(Comtrade+ CSV and JSON, the legacy comtrade.un.org layouts), :mod:`.tables` (WITS wide, WITS long, a national
office's wide table), :mod:`.imf` (IMF DOTS), :mod:`.wdi` (a WDI download), or the data folder's own schema (:mod:`tradesim.data.folders`). Every reader takes one
options type (:class:`.options.Options`). The result (:class:`~.imported.Imported`) holds the
rows and an account of every line read; ``tradesim data import`` writes the rows atomically, and an import
that fails writes nothing.
"""

from __future__ import annotations

from pathlib import Path

from tradesim.data.importers import comtrade, layouts, text
from tradesim.data.importers.imported import Collector, Imported, Row
from tradesim.data.importers.options import FORMATS, Options
from tradesim.errors import DataError, InputError, Problem, TradesimError

LAYOUTS = (
    "UN Comtrade+ CSV (portal download, API output, bulk file)",
    "UN Comtrade+ API JSON",
    "legacy UN Comtrade CSV (web export, short layout, bulk-style)",
    "legacy UN Comtrade API JSON",
    "WITS wide",
    "WITS long",
    "IMF DOTS",
    "World Bank WDI download",
    "tradesim data folder",
    "a wide table with --reporter and --flow or --partner",
)


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
    if head.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] in (b"{", b"["):
        _expect(options, "comtrade", "a Comtrade API JSON response", path)
        collector = comtrade.read_json(
            path,
            options,
            imported,
            lambda kind: _collector(imported, options, layouts.PUBLISHERS[kind], path),
        )
        return collector.finish(options.cumulate)
    header = text.header(dialect, head)
    for layout in layouts.REGISTRY:
        if not (
            layout.recognises(header) or (options.format == "wide" and isinstance(layout, layouts.WideTable))
        ):
            continue
        imported.layout = layout.describe(dialect, head, header, options)
        if isinstance(layout, layouts.OwnSchema):
            return _own(dialect, imported)
        _expect(options, layout.format, imported.layout, path)
        collector = _collector(imported, options, layout.credit(header), path)
        layout.read(dialect, head, header, options, collector)
        return collector.finish(options.cumulate if isinstance(layout, layouts.ComtradeCsv) else False)
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


def _collector(imported: Imported, options: Options, credit: tuple[str, str], path: Path) -> Collector:
    publisher, url = credit
    source = options.source or (f"{publisher} ({path.name})" if publisher else f"{path.name} (wide table)")
    if publisher.startswith("UN Comtrade"):
        what = "all commodities" if options.commodity == "TOTAL" else f"commodity {options.commodity}"
    else:
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
         o.source, o.url, o.note, o.published, o.classification, o.commodity, o.retrieved)
        for o in found
    ]  # fmt: skip
    imported.derived = sum(1 for o in found if o.status == "derived")  # as the file says
    return imported


def to_csv(rows: list[Row]) -> str:
    """Rows in the data folder's columns as CSV text (what ``tradesim data import`` writes)."""
    return Imported(Path(), "", "", rows).csv_text()


__all__ = ["FORMATS", "LAYOUTS", "Imported", "Options", "Row", "read", "to_csv"]
