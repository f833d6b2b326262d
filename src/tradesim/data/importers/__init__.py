"""Importers: official statistics in the formats they are published, into the one observation schema.

Each format is one small reader (``read(path, ...) -> (observations, summary)``); :data:`FORMATS` maps the
names ``tradesim data import`` takes to them, and :func:`to_csv` turns observations into a CSV of the data
folder's columns (the command writes it atomically: an import that fails writes nothing).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from tradesim.data.observations import COLUMNS, OPTIONAL_COLUMNS

FORMATS = {
    "comtrade": "UN Comtrade+ CSV (plain or .gz): annual and monthly, any reporter, partner and commodity",
    "wide": "a national office or WITS table: one row per partner or flow, one column per year",
}


def to_csv(rows: Iterable[Sequence[object]]) -> str:
    """Rows in the data folder's columns (:data:`COLUMNS` plus ``published``) as CSV text; values in full
    precision (``repr`` of the float)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([*COLUMNS, *OPTIONAL_COLUMNS])
    writer.writerows(rows)
    return out.getvalue()
