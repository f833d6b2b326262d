"""The datasets shipped inside the package: the curated file (:func:`shipped`) and, behind it, the World Bank's
totals of every country (:mod:`.world`), which :meth:`~tradesim.data.Dataset.pick` falls back to for a
reporter's total trade when the reporter's own statistics have none for the year."""

from __future__ import annotations

import hashlib
from functools import cache
from importlib.resources import files

from tradesim.data import world
from tradesim.data.dataset import Dataset
from tradesim.data.observation import COLUMNS, TOTAL, Observation
from tradesim.errors import DataError

DATA_FILE = "kazakhstan_trade_sources.csv"


@cache
def _csv_bytes() -> bytes:
    return files("tradesim.data").joinpath("shipped", DATA_FILE).read_bytes()


@cache
def shipped() -> Dataset:
    """The shipped observations alone (the curated file, with the WDI totals behind it): the default ``data``
    of every core function."""
    import csv
    import io

    rows = csv.DictReader(io.StringIO(_csv_bytes().decode("utf-8")))
    result = []
    for line, row in enumerate(rows, start=2):
        try:
            result.append(
                Observation(
                    **{key: row[key] or "" for key in COLUMNS if key not in ("year", "value")},  # type: ignore[arg-type]  # the text columns
                    published=row.get("published") or "",
                    classification=row.get("classification") or TOTAL,
                    commodity=row.get("commodity") or TOTAL,
                    year=int(row["year"]) if row["year"] else 0,
                    value=float(row["value"]),
                )
            )
        except (KeyError, ValueError) as exc:  # pragma: no cover - guards the shipped file
            raise DataError(f"{DATA_FILE}:{line}: unreadable row ({exc})") from None
    # both shipped files: a change to the WDI totals can move a projection as much as one to the curated file
    totals = files("tradesim.data").joinpath("shipped", world.FILE).read_bytes()
    digest = hashlib.sha256(_csv_bytes() + totals).hexdigest()
    return Dataset(tuple(result), digest=digest, world=world.for_reporter)


__all__ = ["DATA_FILE", "shipped"]
