"""The second shipped dataset: every country's merchandise trade with the world, from the World Bank's WDI.

``shipped/wdi_merchandise.csv.gz`` holds, in the data schema, the WDI series TX.VAL.MRCH.CD.WT (merchandise
exports, current US$) and TM.VAL.MRCH.CD.WT (imports) for the 207 countries with an ISO 3166 code, 1960–2025
(``kind = trade``, ``partner = WLD``, ``reported_by = WDI``), and their sum as ``flow = total`` (``derived``,
the formula in ``source``) for every year that has both. The figures are compiled by the WTO from national
statistics; the World Bank publishes them under CC BY 4.0, which every row's ``source`` and ``note`` say.

:func:`for_reporter` reads the file on first use only (a lookup the reporter's own statistics answer never opens
it). :meth:`tradesim.data.Dataset.pick` falls back to it for a reporter's total trade with the world when the
reporter's own statistics have no figure for the year, and only then: a series is never made of both, and a
figure it gives is labelled ``WDI statistics`` and named in the caveats.

:func:`build` is how the file was made, from the two CSVs of the World Bank's data as mirrored in the GitHub
repository ``datasets/world-development-indicators`` (commit ``4ebec5a2273f531ba238a34dbe440394dc5a6c4b``, files
``indicators/tx.val.mrch.cd.wt/data.csv`` and ``indicators/tm.val.mrch.cd.wt/data.csv``).
"""

from __future__ import annotations

import csv
import gzip
import io
from functools import cache
from importlib.resources import files
from pathlib import Path

from tradesim.data.dataset import Dataset
from tradesim.data.observation import COLUMNS, SHIPPED, WDI, Observation

FILE = "wdi_merchandise.csv.gz"
COMMIT = "4ebec5a2273f531ba238a34dbe440394dc5a6c4b"
SERIES = {"export": "TX.VAL.MRCH.CD.WT", "import": "TM.VAL.MRCH.CD.WT"}
SOURCE = "World Bank, World Development Indicators, {series} (WTO-compiled merchandise trade, current US$)"
URL = "https://github.com/datasets/world-development-indicators/blob/{commit}/indicators/{series}/data.csv"
NOTE = "licence CC BY 4.0: World Bank, World Development Indicators"


def build(exports: Path, imports: Path) -> bytes:
    """The shipped file's gzipped CSV from the WDI exports and imports CSVs (``Country Name, Country Code,
    Year, Value``): the 207 ISO 3166 countries, every year either series has, and the total where both do."""
    from tradesim.codes import country_problem

    values: dict[str, dict[tuple[str, int], float]] = {}
    for flow, path in (("export", exports), ("import", imports)):
        with path.open(encoding="utf-8", newline="") as handle:
            values[flow] = {
                (row["Country Code"], int(row["Year"])): float(row["Value"])
                for row in csv.DictReader(handle)
                if row["Value"] and country_problem(row["Country Code"]) is None
            }
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    keys = sorted(set(values["export"]) | set(values["import"]))
    for code, year in keys:
        for flow in ("export", "import"):
            value = values[flow].get((code, year))
            if value is not None:
                series = SERIES[flow].lower()
                writer.writerow(
                    ("trade", code, "WLD", flow, year, "FY", f"{value:.0f}", "USD", "reported", WDI,
                     SOURCE.format(series=SERIES[flow]), URL.format(commit=COMMIT, series=series), NOTE)
                )  # fmt: skip
        export, imported = values["export"].get((code, year)), values["import"].get((code, year))
        if export is not None and imported is not None:
            writer.writerow(
                ("trade", code, "WLD", "total", year, "FY", f"{export + imported:.0f}", "USD", "derived", WDI,
                 f"exports + imports: {SOURCE.format(series='TX.VAL.MRCH.CD.WT + TM.VAL.MRCH.CD.WT')}",
                 URL.format(commit=COMMIT, series="tx.val.mrch.cd.wt"), NOTE)
            )  # fmt: skip
    return gzip.compress(out.getvalue().encode("utf-8"), mtime=0)


@cache
def _lines() -> dict[str, list[str]]:
    """The file's data lines by reporter (decompressed and split once, parsed per reporter on demand)."""
    raw = gzip.decompress(files("tradesim.data").joinpath("shipped", FILE).read_bytes()).decode("utf-8")
    by_reporter: dict[str, list[str]] = {}
    for line in raw.splitlines()[1:]:
        by_reporter.setdefault(line[6:9], []).append(line)  # "trade,KAZ,WLD,...": the reporter's code
    return by_reporter


@cache
def for_reporter(reporter: str) -> Dataset:
    """The WDI figures of ``reporter``'s trade with the world (empty for a code the file does not hold)."""
    found = tuple(
        Observation(
            **{key: row[key] for key in COLUMNS if key not in ("year", "value")},  # type: ignore[arg-type]  # the text columns
            year=int(row["year"]),
            value=float(row["value"]),
            origin=SHIPPED,
        )
        for row in csv.DictReader(io.StringIO("\n".join(_lines().get(reporter, []))), fieldnames=COLUMNS)
    )
    return Dataset(found)


__all__ = ["FILE", "WDI", "build", "for_reporter"]
