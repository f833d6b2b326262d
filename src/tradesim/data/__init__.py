"""Observations and their provenance: the shipped data, a user's data folder, importers, the selection rule.

- :mod:`.observation`: :class:`Observation` (one sourced figure) and the schema's vocabulary;
- :mod:`.table`: a data-folder file's rows held as columns, observations built only for the rows read;
- :mod:`.dataset`: :class:`Dataset` (the observations a computation is given) with the selection rule as its
  methods, and :func:`shipped`, the default;
- :mod:`.currency`: annual average exchange rates and conversion;
- :mod:`.folders`: a user's data folder read into a Dataset (:func:`load`), validated strictly (a large file
  read into columns by Polars, a small one row by row);
- :mod:`.mirror`: what each side of a pair reports;
- :mod:`.importers`: official statistics (UN Comtrade, WITS, wide national tables) into the observation schema.

Each module imports only those above it in this list: no circle (``tests/test_structure.py`` keeps it so).
"""

from tradesim.data.dataset import Dataset
from tradesim.data.folders import load
from tradesim.data.observation import (
    COLUMNS,
    FULL_YEAR,
    OPTIONAL_COLUMNS,
    PERIOD_RANK,
    SHIPPED,
    STATUS_RANK,
    Observation,
    money_unit,
)
from tradesim.data.packaged import DATA_FILE, shipped

__all__ = [
    "COLUMNS",
    "DATA_FILE",
    "FULL_YEAR",
    "OPTIONAL_COLUMNS",
    "PERIOD_RANK",
    "SHIPPED",
    "STATUS_RANK",
    "Dataset",
    "Observation",
    "load",
    "money_unit",
    "shipped",
]
