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
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Any

import numpy as np

from tradesim import model
from tradesim.data import STATUS_RANK, Dataset, money_unit, shipped
from tradesim.data.observation import ALL_GOODS, Product, product_words
from tradesim.errors import InputError
from tradesim.output import Result, Rows
from tradesim.quantities import format_money, format_percent
from tradesim.schema import Scenario

if TYPE_CHECKING:
    import pandas as pd

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
class Backtest(Result):
    reporter: str
    partner: str
    method: str
    sd: float
    vintage: str
    actuals: dict[int, float]
    forecasts: tuple[Forecast, ...]
    scores: tuple[HorizonScore, ...]
    warnings: tuple[str, ...] = ()
    currency: str = "USD"  # of the actuals and forecasts
    product: str = ""  # one product's series ("HS 27"), or "": the pair's trade in all goods

    def calibrated_sd(self) -> float | None:
        return calibrate(self.forecasts)

    @property
    def title(self) -> str:
        what = f" {self.product}" if self.product else ""
        return (
            f"{self.reporter}–{self.partner}{what}, {self.method}, bands at sd {self.sd:g}: "
            f"{len(self.forecasts)} projections scored"
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "reporter": self.reporter,
            "partner": self.partner,
            "method": self.method,
            "vintage": self.vintage,
            "currency": self.currency,
            **({"commodity": self.product} if self.product else {}),  # absent: all goods
            "sd": self.sd,
            "calibrated_sd": self.calibrated_sd(),
            "horizons": [vars(s) for s in self.scores],
            "forecasts": [vars(f) for f in self.forecasts],
            "warnings": list(self.warnings),
        }

    def frame(self) -> pd.DataFrame:
        """The scores, one row per horizon (the index); :meth:`forecasts_frame` has every projection."""
        import pandas as pd

        columns = [f.name for f in fields(HorizonScore)]
        return pd.DataFrame([vars(s) for s in self.scores], columns=columns).set_index("horizon")

    def forecasts_frame(self) -> pd.DataFrame:
        """Every projection scored: origin, horizon, forecast and actual."""
        import pandas as pd

        columns = [f.name for f in fields(Forecast)]
        return pd.DataFrame([vars(f) for f in self.forecasts], columns=columns)

    def rows(self) -> Rows:
        def pct(value: float | None) -> str:
            return "—" if value is None else format_percent(value, 1, signed=True)

        return [
            {
                "horizon": f"{s.horizon} yr",
                "n": str(s.n),
                "mean error": "—" if s.mean_error is None else format_money(s.mean_error, self.currency),
                "bias": pct(s.bias),
                "MAPE": "—" if s.mape is None else format_percent(s.mape, 1),
                "RMSE log": "—" if s.rmse_log is None else f"{s.rmse_log:.3f}",
                "50% band held": "—" if s.coverage_50 is None else format_percent(s.coverage_50, 0),
                "90% band held": "—" if s.coverage_90 is None else format_percent(s.coverage_90, 0),
            }
            for s in self.scores
        ]


def actual_series(
    reporter: str,
    partner: str,
    vintage: str = "latest",
    *,
    data: Dataset | None = None,
    currency: str = "USD",
    product: Product = ALL_GOODS,
) -> tuple[dict[int, float], list[str]]:
    """Year → full-year figure of the pair (reporter's statistics) in ``data`` (default: the shipped data);
    for ``first``, the earliest published."""
    data = data or shipped()
    warnings: list[str] = []
    series = {}
    code, family = product
    for year, latest in data.full_years(
        reporter, partner, currency=currency, commodity=code, family=family
    ).items():
        chosen = latest
        if vintage == "first":
            dated = [  # the same reporter's figures only: a first vintage never mixes reporters either
                o
                for o in data.select(
                    kind="trade",
                    reporter=reporter,
                    partner=partner,
                    flow="total",  # the pair's trade: an export's first release is no total's
                    year=year,
                    period="FY",
                    reported_by=reporter,
                    commodity=code,
                    family=family,
                )
                if o.published
                and (o.status in STATUS_RANK or o.status == "superseded")
                and money_unit(o.unit)
            ]
            # in the currency asked for: converted at the year's annual average where it is not
            dated = [c for o in dated if (c := o if o.currency == currency else data.convert(o, currency))]
            if dated:
                chosen = min(dated, key=lambda o: o.published)
        series[year] = chosen.amount
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
        if scenario.growth.bilateral is None:
            grows = "product legs" if scenario.legs else "exports and imports"
            raise InputError(
                f"--method scenario projects with the scenario's growth.bilateral; {scenario.name!r} grows its "
                f"{grows} instead: use --method cagr:K, or a scenario with growth.bilateral"
            )
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
    currency: str = "USD",
    product: Product = ALL_GOODS,
) -> Backtest:
    """Backtest ``method`` on the pair's full-year history in ``data`` (module docstring)."""
    if vintage not in ("first", "latest"):
        raise InputError(f"--vintage must be first or latest, got {vintage!r}")
    if not horizons or any(h < 1 or h > 50 for h in horizons):
        raise InputError(f"--horizons must be whole numbers from 1 to 50, got {list(horizons)}")
    series, warnings = actual_series(
        reporter, partner, vintage, data=data, currency=currency, product=product
    )
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
        reporter,
        partner,
        method,
        sigma,
        vintage,
        series,
        tuple(forecasts),
        scores,
        tuple(warnings),
        currency,
        product_words(product),
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
