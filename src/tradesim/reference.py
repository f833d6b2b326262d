"""The reference case, as the shipped ``data/shipped/reference.toml`` states it: the reporter, partner and base
year a scenario takes when it names none, and the period of that pair's default bilateral baseline.

No other module holds a country or a year of its own; they ask :func:`reference`.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib.resources import files


@dataclass(frozen=True)
class Reference:
    reporter: str
    partner: str
    base_year: int
    bilateral_period: str  # the period of the default bilateral baseline of this pair in this year

    def baseline_period(self, reporter: str, partner: str, year: int) -> str | None:
        """The period the default bilateral baseline of ``reporter``–``partner`` in ``year`` is taken for:
        the reference's for the reference case, else ``None`` (the selection rule alone)."""
        if (reporter, partner, year) == (self.reporter, self.partner, self.base_year):
            return self.bilateral_period
        return None


@cache
def reference() -> Reference:
    text = files("tradesim.data").joinpath("shipped", "reference.toml").read_text(encoding="utf-8")
    values = tomllib.loads(text)
    return Reference(
        str(values["reporter"]),
        str(values["partner"]),
        int(values["base_year"]),
        str(values["bilateral_period"]),
    )
