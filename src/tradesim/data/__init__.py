"""Observations and their provenance: the shipped data, the user's data folder, importers, the selection rule.

- :mod:`.observations`: :class:`Observation`, the :class:`Dataset` in use (:func:`use`, :func:`current`) and the
  rule that picks one value per year (:func:`pick` and the lookups built on it);
- :mod:`.folders`: the user's data folder (``--data``, ``$TRADESIM_DATA``, ``./data``), validated strictly;
- :mod:`.importers`: official statistics (UN Comtrade, wide national tables) into the observation schema.
"""

from tradesim.data.folders import ENV_DATA, data_directory, load
from tradesim.data.observations import (
    COLUMNS,
    DATA_FILE,
    DEFAULT_PERIOD_OVERRIDES,
    FULL_YEAR,
    OPTIONAL_COLUMNS,
    PERIOD_RANK,
    SHIPPED,
    STATUS_RANK,
    Dataset,
    Observation,
    actual,
    baseline_alternatives,
    bilateral_baseline,
    caveats,
    current,
    data_hash,
    in_use,
    load_observations,
    money_unit,
    observations,
    pick,
    select,
    shipped,
    total_baseline,
    use,
    use_folder,
)

__all__ = [
    "COLUMNS",
    "DATA_FILE",
    "DEFAULT_PERIOD_OVERRIDES",
    "ENV_DATA",
    "FULL_YEAR",
    "OPTIONAL_COLUMNS",
    "PERIOD_RANK",
    "SHIPPED",
    "STATUS_RANK",
    "Dataset",
    "Observation",
    "actual",
    "baseline_alternatives",
    "bilateral_baseline",
    "caveats",
    "current",
    "data_directory",
    "data_hash",
    "in_use",
    "load",
    "load_observations",
    "money_unit",
    "observations",
    "pick",
    "select",
    "shipped",
    "total_baseline",
    "use",
    "use_folder",
]
