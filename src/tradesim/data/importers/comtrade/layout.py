"""What a Comtrade+ CSV looks like (its columns, codes and flows), what a read asks for (:class:`Filters`),
and what the header says (:class:`Layout`, :func:`read_layout`)."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import cast

import numpy as np

from tradesim.errors import DataError, InputError, Problem

FLOWS = {"X": "export", "M": "import", "RX": "re-export", "RM": "re-import"}
MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
MONTH_NAMES = np.array(MONTHS, dtype=object)
# The columns of a Comtrade+ CSV download, in order (the reader needs only READ, wherever they stand)
LAYOUT = [
    "typeCode",
    "freqCode",
    "refPeriodId",
    "refYear",
    "refMonth",
    "period",
    "reporterCode",
    "reporterISO",
    "reporterDesc",
    "flowCode",
    "flowDesc",
    "partnerCode",
    "partnerISO",
    "partnerDesc",
    "partner2Code",
    "partner2ISO",
    "partner2Desc",
    "classificationCode",
    "classificationSearchCode",
    "isOriginalClassification",
    "cmdCode",
    "cmdDesc",
    "aggrLevel",
    "isLeaf",
    "customsCode",
    "customsDesc",
    "mosCode",
    "motCode",
    "motDesc",
    "qtyUnitCode",
    "qtyUnitAbbr",
    "qty",
    "isQtyEstimated",
    "altQtyUnitCode",
    "altQtyUnitAbbr",
    "altQty",
    "isAltQtyEstimated",
    "netWgt",
    "isNetWgtEstimated",
    "grossWgt",
    "isGrossWgtEstimated",
    "cifvalue",
    "fobvalue",
    "primaryValue",
    "legacyEstimationFlag",
    "isReported",
    "isAggregate",
]
READ = (  # the columns the reader uses, in the order Parser takes them
    "freqCode",
    "refYear",
    "refMonth",
    "reporterISO",
    "flowCode",
    "partnerISO",
    "cmdCode",
    "primaryValue",
)
AGGREGATE = {
    "partner2Code": ("0", ""),
    "customsCode": ("C00", ""),
    "motCode": ("0", ""),
    "mosCode": ("0", ""),
}
URL = "https://comtradeplus.un.org/"

Row = tuple[str, str, str, str, int, str, float, str, str, str, str, str, str, str]  # COLUMNS + published
Key = tuple[str, str, str, int, str]  # reporter, partner, flow, year, period


@dataclass(frozen=True)
class Filters:
    commodity: str = "TOTAL"
    reporter: str | None = None
    partner: str | None = None
    year: int | None = None
    cumulate: bool = False

    def __post_init__(self) -> None:
        # the prefilter looks for the code as it stands, and the notes of derived figures hold it unquoted
        if not re.fullmatch(r"[A-Za-z0-9]{1,20}", self.commodity):
            raise InputError(
                "--commodity must be a Comtrade cmdCode (letters and digits: TOTAL, 27, 2709), "
                f"got {self.commodity!r}"
            )

    @property
    def anchor(self) -> str:
        """The most selective filter: the prefilter looks for it; every filter is applied exactly after."""
        return self.reporter or ("W00" if self.partner == "WLD" else self.partner) or self.commodity


@dataclass(frozen=True)
class Layout:
    """What the header says: column positions, whether every field is quoted, where the data starts."""

    path: Path
    index: dict[str, int]
    width: int
    quoted: bool
    start: int  # byte offset of the first data line
    gzipped: bool


def open_bytes(path: Path, gzipped: bool, *, buffered: bool = True) -> io.RawIOBase | io.BufferedIOBase:
    """The file's bytes, decompressed for a ``.gz`` by zlib-ng (the gzip module's interface, about 3x faster;
    README "Dependencies"), imported only then."""
    if gzipped:
        from zlib_ng import gzip_ng

        return cast("io.BufferedIOBase", gzip_ng.open(path, "rb"))  # type: ignore[no-untyped-call]
    return path.open("rb") if buffered else path.open("rb", buffering=0)


def read_layout(path: Path) -> Layout:
    try:
        with path.open("rb") as handle:
            gzipped = handle.read(2) == b"\x1f\x8b"
        with open_bytes(path, gzipped) as handle:
            line = handle.readline()
            start = len(line)
    except (OSError, EOFError) as exc:
        raise DataError([Problem(f"cannot read the file ({exc.__class__.__name__}: {exc})", path)]) from None
    try:
        header = next(csv.reader([line.decode("utf-8-sig")]))
    except (UnicodeDecodeError, StopIteration):
        raise DataError([Problem("not a Comtrade+ CSV (the first line is not a header)", path, 1)]) from None
    index = {name.strip(): i for i, name in enumerate(header)}
    missing = [name for name in READ if name not in index]
    if missing:
        raise DataError(
            [Problem(f"not a Comtrade+ CSV: no column {name}", path, 1, name) for name in missing]
        )
    return Layout(path, index, len(header), b'"' in line, start, gzipped)
