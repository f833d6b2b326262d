"""The layouts ``tradesim data import`` reads, one small class each, tried in order (:data:`REGISTRY`).

Every layout has the same interface — ``recognises(header) -> bool`` and ``read(dialect, head, header, options,
collector)`` — and names the publisher its rows are credited to; :func:`tradesim.data.importers.read` picks the
first that recognises the header (the shape of frictionless' format plugins and pandas-datareader's readers).
A Comtrade API JSON answer is recognised from its first byte, before there is a header.
"""

from __future__ import annotations

from typing import ClassVar

from tradesim.data.importers import comtrade, imf, tables, text, wdi
from tradesim.data.importers.imported import Collector
from tradesim.data.importers.options import Options
from tradesim.data.observation import COLUMNS


class Layout:
    """A file layout: whether a header is its own, and how to read its records into a collector."""

    format: ClassVar[str] = ""  # the --format that names it: comtrade, wits, wide ("": none)
    publisher: ClassVar[tuple[str, str]] = ("", "")  # (name, address) rows are credited to by default

    def recognises(self, header: list[str]) -> bool:
        raise NotImplementedError

    def describe(self, dialect: text.Dialect, head: bytes, header: list[str], options: Options) -> str:
        raise NotImplementedError

    def credit(self, header: list[str]) -> tuple[str, str]:
        """The publisher and address of a file with this header."""
        return self.publisher

    def read(
        self, dialect: text.Dialect, head: bytes, header: list[str], options: Options, collector: Collector
    ) -> None:
        raise NotImplementedError


class ComtradeCsv(Layout):
    """Comtrade+ CSV (portal download, API output, bulk file) and the legacy comtrade.un.org layouts."""

    format = "comtrade"

    def recognises(self, header: list[str]) -> bool:
        return comtrade.family(header) is not None

    def describe(self, dialect: text.Dialect, head: bytes, header: list[str], options: Options) -> str:
        family = comtrade.family(header)
        assert family is not None
        first, quoted = text.first_record(dialect, head)
        trailing = len(first) > len(header) and not first[-1].strip()
        iso = header.index("reporterISO") if "reporterISO" in header else None
        empty_iso = iso is not None and iso < len(first) and not first[iso].strip()
        return comtrade.describe(family, header, trailing, quoted, empty_iso, dialect)

    def credit(self, header: list[str]) -> tuple[str, str]:
        return PUBLISHERS[comtrade.family(header) or "plus"]

    def read(
        self, dialect: text.Dialect, head: bytes, header: list[str], options: Options, collector: Collector
    ) -> None:
        comtrade.read_csv(dialect, head, header, options, collector)


class WitsWide(Layout):
    """World Bank WITS, wide: a column per year, the unit in the indicator."""

    format = "wits"

    def recognises(self, header: list[str]) -> bool:
        return tables.kind_of(header) == "wits-wide"

    def describe(self, dialect: text.Dialect, head: bytes, header: list[str], options: Options) -> str:
        return "WITS wide table"

    def credit(self, header: list[str]) -> tuple[str, str]:
        return PUBLISHERS["wits"]

    def read(
        self, dialect: text.Dialect, head: bytes, header: list[str], options: Options, collector: Collector
    ) -> None:
        tables.read_wits_wide(dialect, header, options, collector)


class WitsLong(WitsWide):
    """World Bank WITS, long: a row per partner and year, the export and import values as columns."""

    def recognises(self, header: list[str]) -> bool:
        return tables.kind_of(header) == "wits-long"

    def describe(self, dialect: text.Dialect, head: bytes, header: list[str], options: Options) -> str:
        return "WITS long table"

    def read(
        self, dialect: text.Dialect, head: bytes, header: list[str], options: Options, collector: Collector
    ) -> None:
        tables.read_wits_long(dialect, header, options, collector)


class ImfDots(Layout):
    """IMF Direction of Trade Statistics: a sheet per flow, title rows, a row per partner, a column per year."""

    format = "imf"
    publisher = imf.PUBLISHER

    def recognises(self, header: list[str]) -> bool:
        return imf.recognises(header)

    def describe(self, dialect: text.Dialect, head: bytes, header: list[str], options: Options) -> str:
        return "IMF Direction of Trade Statistics (DOTS) table"

    def read(
        self, dialect: text.Dialect, head: bytes, header: list[str], options: Options, collector: Collector
    ) -> None:
        imf.read(dialect, options, collector)


class WdiDownload(Layout):
    """World Bank WDI, one indicator as its site hands it out: metadata lines, then a column per year."""

    format = "wdi"
    publisher = wdi.PUBLISHER

    def recognises(self, header: list[str]) -> bool:
        return wdi.recognises(header)

    def describe(self, dialect: text.Dialect, head: bytes, header: list[str], options: Options) -> str:
        return "World Bank WDI download (one indicator, a column per year)"

    def read(
        self, dialect: text.Dialect, head: bytes, header: list[str], options: Options, collector: Collector
    ) -> None:
        collector.reported_by = "WDI"  # the World Bank's compilation, as the shipped WDI rows say
        wdi.read(dialect, options, collector)


class OwnSchema(Layout):
    """A file in tradesim's own data-folder columns: read by the data folder's reader, as it is."""

    def recognises(self, header: list[str]) -> bool:
        return set(COLUMNS) <= set(header)

    def describe(self, dialect: text.Dialect, head: bytes, header: list[str], options: Options) -> str:
        return "tradesim data folder"


class WideTable(Layout):
    """A national office's table: a row per partner (``--flow``) or per flow (``--partner``), a column per year,
    month or quarter. Recognised by a header cell that holds a year, or asked for with ``--format wide``."""

    format = "wide"

    def recognises(self, header: list[str]) -> bool:
        return bool(tables.YEAR.search(",".join(header[1:])))

    def describe(self, dialect: text.Dialect, head: bytes, header: list[str], options: Options) -> str:
        return "wide table (a row per " + ("partner" if options.flow else "flow") + ", a column per year)"

    def read(
        self, dialect: text.Dialect, head: bytes, header: list[str], options: Options, collector: Collector
    ) -> None:
        tables.read_wide(dialect, header, options, collector)


PUBLISHERS = {
    "plus": ("UN Comtrade+", comtrade.URLS["plus"]),
    "legacy": ("UN Comtrade (legacy comtrade.un.org)", comtrade.URLS["legacy"]),
    "wits": ("World Bank WITS", "https://wits.worldbank.org/"),
    "wide": ("", ""),
}
# tried in this order: the first that recognises a header reads the file
REGISTRY: tuple[Layout, ...] = (
    ComtradeCsv(), WitsWide(), WitsLong(), ImfDots(), WdiDownload(), OwnSchema(), WideTable()
)  # fmt: skip
