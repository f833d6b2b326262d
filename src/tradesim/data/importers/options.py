"""What ``tradesim data import`` asks for: the one options type every layout's reader takes."""

from __future__ import annotations

from dataclasses import dataclass

from tradesim.errors import InputError

FORMATS = {
    "comtrade": "UN Comtrade: Comtrade+ CSV (bulk file, portal download, API output; plain or .gz), the API's "
    "JSON, and the legacy comtrade.un.org layouts",
    "wits": "World Bank WITS tables: wide (a column per year) or long (a row per partner and year)",
    "imf": "IMF Direction of Trade Statistics (DOTS): a workbook's Exports, FOB and Imports, CIF sheets",
    "wdi": "World Bank WDI download of one indicator (metadata lines, then a column per year)",
    "wide": "a national office's table: a row per partner or flow, a column per year",
}


@dataclass(frozen=True)
class Options:
    """What ``tradesim data import`` asks for (see its ``--help``)."""

    format: str | None = None  # comtrade, wits, imf, wdi, wide; None: recognise the layout
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
