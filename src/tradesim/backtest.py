"""How good would such projections have been? Project from each past year with what was known then, and
compare with what happened.

At each origin year ``o`` with a full-year figure ``x_o``, a projection ``f_{o+h}`` for every horizon ``h``:

- ``cagr:K``: ``x_o · (1 + g)^h`` with ``g = (x_o / x_{o−K})^(1/K) − 1``, the trailing K-year growth (both
  figures needed);
- ``scenario``: the scenario's bilateral growth model run from ``x_o`` in ``o`` (its events are calendar
  events of its own base year, left out).

Actuals are the pair's full-year figures, one reporter's statistics (the selection rule). Per horizon, over the
origins whose ``o + h`` has an actual: mean error ``mean(f − a)``, bias ``mean(f / a − 1)``, MAPE ``mean(|f / a −
1|)``, RMSE of the log error ``√mean(ln(f / a)²)``, and the coverage of the simulation model's bands — with
annual log-growth sd ``σ``, ``ln a`` falls within ``ln f ± z · σ · √h`` (``z`` 0.674 for 50%, 1.645 for 90%) in
the stated share of cases if the model's uncertainty matches reality. :func:`calibrate` is the ``σ`` the errors
imply: ``√mean(ln(a / f)² / h)``.

Vintages: ``latest`` uses the figures as they stand; ``first`` the figure of each year as first published (the
``published`` column), where the data has dates — otherwise the latest, said in a warning.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from tradesim import model
from tradesim.data import STATUS_RANK, Dataset, money_unit, shipped
from tradesim.errors import InputError
from tradesim.schema import Scenario

Z50, Z90 = 0.6744897501960817, 1.6448536269514722


@dataclass(frozen=True)
class Forecast:
    origin: int
    horizon: int
    forecast: float
    actual: float

    @property
    def log_error(self) -> float:
        return math.log(self.forecast / self.actual)


@dataclass(frozen=True)
class HorizonScore:
    horizon: int
    n: int
    mean_error: float | None
    bias: float | None
    mape: float | None
    rmse_log: float | None
    coverage_50: float | None
    coverage_90: float | None


@dataclass(frozen=True)
class Backtest:
    reporter: str
    partner: str
    method: str
    sd: float
    vintage: str
    actuals: dict[int, float]
    forecasts: tuple[Forecast, ...]
    scores: tuple[HorizonScore, ...]
    warnings: tuple[str, ...] = ()

    def calibrated_sd(self) -> float | None:
        return calibrate(self.forecasts)


def actual_series(
    reporter: str, partner: str, vintage: str = "latest", *, data: Dataset | None = None
) -> tuple[dict[int, float], list[str]]:
    """Year → full-year figure of the pair (reporter's statistics) in ``data`` (default: the shipped data);
    for ``first``, the earliest published."""
    data = data or shipped()
    warnings: list[str] = []
    years = sorted(
        {o.year for o in data.select(kind="trade", reporter=reporter, partner=partner, period="FY")}
    )
    series = {}
    for year in years:
        found = data.pick(reporter=reporter, partner=partner, year=year, period="FY", full_year_only=True)
        if vintage == "first":
            dated = [
                o
                for o in data.select(kind="trade", reporter=reporter, partner=partner, year=year, period="FY")
                if o.published and o.status in STATUS_RANK and money_unit(o.unit) and o.currency == "USD"
            ]
            if dated:
                found = min(dated, key=lambda o: o.published)
        if found is not None:
            series[year] = found.amount
    if vintage == "first" and not any(
        o.published for o in data.select(kind="trade", reporter=reporter, partner=partner)
    ):
        warnings.append(
            f"no {reporter}–{partner} figure has a `published` date: the first vintage is not known, the latest is used"
        )
    return series, warnings


def _growth(method: str, scenario: Scenario | None) -> tuple[str, int | None]:
    if method.startswith("cagr:"):
        try:
            k = int(method.split(":", 1)[1])
        except ValueError:
            k = 0
        if k < 1:
            raise InputError(f"--method must be cagr:K (K ≥ 1 years) or scenario, got {method!r}")
        return "cagr", k
    if method == "scenario":
        if scenario is None:
            raise InputError("--method scenario needs a scenario: name one")
        return "scenario", None
    raise InputError(f"--method must be cagr:K (K ≥ 1 years) or scenario, got {method!r}")


def run(
    reporter: str,
    partner: str,
    *,
    method: str = "cagr:3",
    horizons: Sequence[int] = (1, 2, 3, 5),
    start: int | None = None,
    vintage: str = "latest",
    scenario: Scenario | None = None,
    sd: float | None = None,
    data: Dataset | None = None,
) -> Backtest:
    """Backtest ``method`` on the pair's full-year history in ``data`` (module docstring)."""
    if vintage not in ("first", "latest"):
        raise InputError(f"--vintage must be first or latest, got {vintage!r}")
    if not horizons or any(h < 1 or h > 50 for h in horizons):
        raise InputError(f"--horizons must be whole numbers from 1 to 50, got {list(horizons)}")
    series, warnings = actual_series(reporter, partner, vintage, data=data)
    kind, k = _growth(method, scenario)
    sigma = (
        sd
        if sd is not None
        else (scenario.growth.bilateral.sd if scenario and scenario.growth.bilateral else 0.15)
    )
    forecasts = []
    for origin in sorted(series):
        if start is not None and origin < start:
            continue
        x0 = series[origin]
        if kind == "cagr":
            assert k is not None
            before = series.get(origin - k)
            if before is None or before <= 0 or x0 <= 0:
                continue
            growth = (x0 / before) ** (1 / k) - 1
        for h in horizons:
            actual = series.get(origin + h)
            if actual is None or actual <= 0:
                continue
            if kind == "cagr":
                forecast = x0 * (1 + growth) ** h
            else:
                assert scenario is not None
                assert scenario.growth.bilateral is not None
                years = np.arange(origin, origin + h + 1)
                forecast = float(model.underlying_path(scenario.growth.bilateral, x0, origin, years)[-1])
            if forecast > 0:
                forecasts.append(Forecast(origin, h, forecast, actual))
    if not forecasts:
        warnings.append(f"no origin has both what {method} needs and an actual {list(horizons)} years later")
    scores = tuple(_score(h, [f for f in forecasts if f.horizon == h], sigma) for h in horizons)
    return Backtest(
        reporter, partner, method, sigma, vintage, series, tuple(forecasts), scores, tuple(warnings)
    )


def _score(horizon: int, found: list[Forecast], sigma: float) -> HorizonScore:
    if not found:
        return HorizonScore(horizon, 0, None, None, None, None, None, None)
    n = len(found)
    width = sigma * math.sqrt(horizon)
    return HorizonScore(
        horizon,
        n,
        sum(f.forecast - f.actual for f in found) / n,
        sum(f.forecast / f.actual - 1 for f in found) / n,
        sum(abs(f.forecast / f.actual - 1) for f in found) / n,
        math.sqrt(sum(f.log_error**2 for f in found) / n),
        sum(abs(f.log_error) <= Z50 * width for f in found) / n,
        sum(abs(f.log_error) <= Z90 * width for f in found) / n,
    )


def calibrate(forecasts: Sequence[Forecast]) -> float | None:
    """The annual log-growth sd the errors imply: ``√mean(ln(a / f)² / h)``; ``None`` without forecasts."""
    if not forecasts:
        return None
    return math.sqrt(sum(f.log_error**2 / f.horizon for f in forecasts) / len(forecasts))
