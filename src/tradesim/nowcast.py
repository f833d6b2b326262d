"""The full year from a part of it: a ratio estimator with a prediction interval, and its own track record.

For a partial-year figure ``P`` of year ``Y`` covering ``m`` months (``h1``: 6, ``jan-aug``: 8, ``q1``: 3,
``jan-nov``: 11, a single month: 1 of 12 only when it is ``jan``), the full year is estimated as
``P · exp(μ)``, where ``μ`` is the mean of ``ln(FY_y / P_y)`` over the other years ``y`` that have both the same
period's figure and the full year:

1. ``pair``: from the pair's own history (reporter, partner, one reporter's statistics);
2. ``reporter total``: else from the reporter's total trade (partner WLD) for that period;
3. ``months``: else ``ln(12 / m)``, the year assumed flat, with a wide band (``sd = 0.2 · (12 − m) / 12``) and a
   warning.

The 90% interval is ``P · exp(μ ± t · s · √(1 + 1/n))`` with ``s`` the standard deviation of the ``n`` log
ratios and ``t`` Student's 0.95 quantile with ``n − 1`` degrees of freedom (for ``n = 1``, the fallback's band).
The full-year figure of the year estimated is never used. :func:`evaluate` is the leave-one-out record: every
year with a partial figure and a full year, nowcast without that year.

The interval keeps its promise only as far as the record shows. The pair's own record (its evaluations of other
years) calibrates it by split conformal prediction: with ``n`` absolute log errors ``|ln(actual / estimate)|``,
the half-width is their ``⌈0.9 (n + 1)⌉``-th smallest, which covers a new year 90% of the time when the years
are exchangeable. That needs ``n ≥ 9`` (:data:`MIN_RECORD`); with fewer, no width can promise 90%, the
interval stays the model's and the output says so (``interval_basis``, a warning), with how often it held.

Two part-year figures of the same year that give full years more than :data:`CONTRADICTION` apart are
flagged, naming both: one of them is probably wrong or of another period.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from tradesim.data import Dataset, Observation, shipped
from tradesim.data.observation import (
    ALL_GOODS,
    MONTHS,
    Product,
    months_covered,
    product_words,
)
from tradesim.errors import DataError, InputError, Problem
from tradesim.output import Collection, Result, Rows
from tradesim.quantities import format_money, format_percent

if TYPE_CHECKING:
    import pandas as pd

MAX_LOG_RATIO = math.log(1e6)  # a full year a million times its part (or the band that wide): no data is that
INTERVAL = 0.9
MIN_RECORD = 9  # ⌈0.9 (n + 1)⌉ ≤ n: the fewest evaluations a 90% conformal interval can rest on
CONTRADICTION = 0.05  # two part years of one year giving full years this far apart are flagged
months = months_covered  # how many months from January a period covers (None: not from January)


@dataclass(frozen=True)
class Nowcast(Result):
    reporter: str
    partner: str
    year: int
    from_period: str
    partial: Observation
    estimate: float
    low: float
    high: float
    method: str  # "pair", "reporter total" or "months"
    used: tuple[Observation, ...]  # every observation the estimate rests on (the partial figure first)
    warnings: tuple[str, ...] = ()
    ratios: tuple[tuple[int, float], ...] = field(default=())  # (year, FY / partial) of the history used
    currency: str = "USD"  # of the partial figure, the estimate and its interval
    interval_basis: str = "model"  # "conformal (n=12)" or "model (record too thin: ...)" (module docstring)
    record: tuple[int, int] = (0, 0)  # the pair's evaluations of other years: (how many, how many held)
    product: str = ""  # one product's series ("HS 27"), or "": the pair's trade in all goods

    @property
    def calibrated(self) -> bool:
        return self.interval_basis.startswith("conformal")

    def to_json(self) -> dict[str, object]:
        return {
            "reporter": self.reporter,
            "partner": self.partner,
            "year": self.year,
            "from_period": self.from_period,
            "currency": self.currency,
            **({"commodity": self.product} if self.product else {}),  # absent: all goods
            "partial": self.partial.amount,
            "estimate": self.estimate,
            "low": self.low,
            "high": self.high,
            "interval": INTERVAL,
            "interval_basis": self.interval_basis,
            "calibrated": self.calibrated,
            "record": {"evaluations": self.record[0], "held": self.record[1]},
            "method": self.method,
            "ratios": [{"year": y, "full_over_partial": r} for y, r in self.ratios],
            "used": [o.provenance() for o in self.used],
            "warnings": list(self.warnings),
        }

    @property
    def title(self) -> str:
        what = f" {self.product}" if self.product else ""
        return f"{self.reporter}–{self.partner}{what} trade, full year {self.year}"

    def rows(self) -> Rows:
        return [
            {
                "year": str(self.year),
                "from": self.from_period,
                "partial": format_money(self.partial.amount, self.currency, digits=2),
                "estimate": format_money(self.estimate, self.currency, digits=2),
                "90% interval": f"{format_money(self.low, self.currency, digits=2)}–"
                f"{format_money(self.high, self.currency, digits=2)}",
                "interval basis": self.interval_basis,
                "method": self.method,
                "history (FY / partial)": ", ".join(f"{y}: ×{r:.3f}" for y, r in self.ratios) or "—",
            }
        ]

    def frame(self) -> pd.DataFrame:
        """One row (the year): the partial figure, the estimate and its 90% interval, the method."""
        import pandas as pd

        return pd.DataFrame(
            [
                {
                    "year": self.year,
                    "reporter": self.reporter,
                    "partner": self.partner,
                    "from_period": self.from_period,
                    "currency": self.currency,
                    "partial": self.partial.amount,
                    "estimate": self.estimate,
                    "low": self.low,
                    "high": self.high,
                    "interval_basis": self.interval_basis,
                    "method": self.method,
                }
            ]
        ).set_index("year")


def _figure(
    data: Dataset,
    reporter: str,
    partner: str,
    year: int,
    period: str,
    currency: str = "USD",
    product: Product = ALL_GOODS,
) -> Observation | None:
    # the reporter's own statistics, named: a ratio is never one reporter's partial over another's year
    return data.pick(
        reporter=reporter, partner=partner, year=year, period=period, currency=currency, reported_by=reporter,
        commodity=product[0], family=product[1],
    )  # fmt: skip


def _words(product: Product) -> str:
    """`` HS 27`` for one product's series, ``""`` for all goods: the product in a sentence."""
    return f" {product_words(product)}" if product != ALL_GOODS else ""


def _rows(data: Dataset, product: Product, **criteria: Any) -> list[Observation]:
    """The trade rows matching ``criteria`` of one product (default: all goods)."""
    code, family = product
    return data.select(kind="trade", commodity=code, family=family, **criteria)


def _history(
    data: Dataset,
    reporter: str,
    partner: str,
    period: str,
    skip: int,
    currency: str = "USD",
    product: Product = ALL_GOODS,
) -> list[tuple[int, Observation, Observation]]:
    """(year, partial, full year) for every year but ``skip`` that has both, one reporter's statistics."""
    years = sorted({o.year for o in _rows(data, product, reporter=reporter, partner=partner, period=period)})
    found = []
    for year in years:
        if year == skip:
            continue
        partial, full = (
            _figure(data, reporter, partner, year, period, currency, product),
            _figure(data, reporter, partner, year, "FY", currency, product),
        )
        if partial is not None and full is not None and partial.amount > 0 and full.amount > 0:
            found.append((year, partial, full))
    return found


def latest_partial(
    reporter: str,
    partner: str,
    year: int | None = None,
    *,
    data: Dataset | None = None,
    currency: str = "USD",
    product: Product = ALL_GOODS,
) -> Observation:
    """The partial-year figure covering the most months of ``year`` (default: the latest year that has one)
    in ``data`` (default: the shipped data)."""
    data = data or shipped()
    candidates = [
        o
        for o in _rows(data, product, reporter=reporter, partner=partner, flow="total", reported_by=reporter)
        if months(o.period) and (year is None or o.year == year)
    ]
    if not candidates:
        which = f" in {year}" if year is not None else ""
        raise DataError(
            [
                Problem(
                    f"{data.describe()} hold no partial-year figure of {reporter}–{partner}{_words(product)} trade{which} (h1, "
                    "jan-aug, ...)"
                )
            ]
        )
    latest = max(o.year for o in candidates)
    chosen = year if year is not None else latest
    period = max((o.period for o in candidates if o.year == chosen), key=lambda p: months(p) or 0)
    found = _figure(data, reporter, partner, chosen, period, currency, product)
    assert found is not None
    return found


def nowcast(
    reporter: str,
    partner: str,
    year: int | None = None,
    period: str | None = None,
    *,
    data: Dataset | None = None,
    currency: str = "USD",
    calibrate: bool = True,
    product: Product = ALL_GOODS,
) -> Nowcast:
    """The full year ``year`` (default: the latest with a partial figure) from its ``period`` figure (default:
    the one covering the most months) in ``data`` (default: the shipped data). Module docstring for the
    method; ``calibrate=False`` keeps the model's interval and skips the checks against other figures (the
    evaluations the calibration rests on are made so)."""
    data = data or shipped()
    if period is not None:
        if months(period) is None:
            allowed = ", ".join(["h1", "q1", "jan", *(f"jan-{m}" for m in MONTHS[1:])])
            raise DataError(
                [Problem(f"--from must be a period starting in January ({allowed}), got {period!r}")]
            )
        chosen_year = (
            year
            if year is not None
            else latest_partial(reporter, partner, data=data, currency=currency, product=product).year
        )
        partial = _figure(data, reporter, partner, chosen_year, period, currency, product)
        if partial is None:
            raise DataError(
                [
                    Problem(
                        f"{data.describe()} hold no {period} {chosen_year} figure of {reporter}–{partner}{_words(product)} trade"
                    )
                ]
            )
    else:
        partial = latest_partial(reporter, partner, year, data=data, currency=currency, product=product)
    m = months(partial.period)
    assert m is not None
    warnings: list[str] = []
    history, method = (
        _history(data, reporter, partner, partial.period, partial.year, currency, product),
        "pair",
    )
    if not history:
        history, method = (
            _history(data, reporter, "WLD", partial.period, partial.year, currency, product),
            "reporter total",
        )
    logs = [math.log(full.amount / part.amount) for _, part, full in history]
    fallback_sd = 0.2 * (12 - m) / 12
    if not logs:
        method, centre, spread = "months", math.log(12 / m), 1.6448536269514722 * fallback_sd
        warnings.append(
            f"no year of {reporter}–{partner} or of {reporter}'s total trade has both a {partial.period} figure and "
            f"the full year: the estimate assumes the rest of the year runs at the same pace ({m} months → 12), "
            "with a wide band"
        )
    else:
        centre = sum(logs) / len(logs)
        if len(logs) == 1:
            spread = 1.6448536269514722 * fallback_sd
            warnings.append(
                f"one year of history ({history[0][0]}): the band is the fallback's, not measured"
            )
        else:
            # Student's t quantile from scipy.special (0.34 s to import) rather than scipy.stats (0.95 s more)
            from scipy.special import stdtrit

            sd = math.sqrt(sum((x - centre) ** 2 for x in logs) / (len(logs) - 1))
            spread = float(stdtrit(len(logs) - 1, 0.5 + INTERVAL / 2)) * sd * math.sqrt(1 + 1 / len(logs))
    if partial.status != "reported":
        warnings.append(f"the {partial.period} {partial.year} figure is {partial.status}")
    used = (partial, *(o for _, part, full in history for o in (part, full)))
    warnings += [f"{o.label()} was {o.fx}" for o in used if o.fx]
    basis, record = "model", (0, 0)
    if calibrate:
        record_of = [
            e
            for e in evaluate(reporter, partner, data=data, currency=currency, product=product)
            if e.year != partial.year
        ]
        record = (len(record_of), sum(e.held for e in record_of))
        errors = sorted(
            abs(math.log(e.actual / e.nowcast.estimate))
            if e.actual > 0 and e.nowcast.estimate > 0
            else math.inf
            for e in record_of
        )
        width = errors[math.ceil(INTERVAL * (len(errors) + 1)) - 1] if len(errors) >= MIN_RECORD else math.inf
        if math.isfinite(width):
            spread, basis = width, f"conformal (n={len(errors)})"
        else:
            basis = f"model; record too thin ({record[1]} of {record[0]} held)"
            warnings.append(
                f"the {INTERVAL:.0%} interval is the model's, not checked: {reporter}–{partner}'s record of "
                f"{record[0]} nowcasts of other years (held {record[1]}) is too thin to calibrate it (a "
                f"{INTERVAL:.0%} promise needs at least {MIN_RECORD}); read it as a lower bound on the "
                "uncertainty"
            )
        warnings += _contradictions(
            data, reporter, partner, partial, partial.amount * math.exp(centre), currency, product
        )
    if not math.isfinite(centre + spread) or abs(centre) + spread > MAX_LOG_RATIO:
        if not history:  # pragma: no cover - the fallback's band is narrow
            raise InputError(f"{reporter}–{partner}: no nowcast: its band would be wider than a millionfold")
        worst = max(history, key=lambda h: abs(math.log(h[2].amount / h[1].amount)))
        raise InputError(
            f"{reporter}–{partner}: the full year {worst[0]} is {worst[2].amount / worst[1].amount:.3g} times its "
            f"{worst[1].period} figure ({worst[2].label()}; {worst[1].label()}): no nowcast rests on that; "
            "a figure in the wrong unit? (tradesim data --reporter "
            f"{reporter} --partner {partner} --year {worst[0]} --explain)"
        )
    return Nowcast(
        reporter,
        partner,
        partial.year,
        partial.period,
        partial,
        partial.amount * math.exp(centre),
        partial.amount * math.exp(centre - spread),
        partial.amount * math.exp(centre + spread),
        method,
        tuple(used),
        tuple(warnings),
        tuple((y, full.amount / part.amount) for y, part, full in history),
        currency,
        basis,
        record,
        product_words(product),
    )


def _contradictions(
    data: Dataset,
    reporter: str,
    partner: str,
    partial: Observation,
    estimate: float,
    currency: str,
    product: Product = ALL_GOODS,
) -> list[str]:
    """A warning for each other part-year figure of the same year whose own nowcast lies more than
    :data:`CONTRADICTION` from this one's, naming both figures."""
    others = {
        o.period
        for o in _rows(
            data,
            product,
            reporter=reporter,
            partner=partner,
            flow="total",
            year=partial.year,
            reported_by=reporter,
        )
        if months(o.period) and o.period != partial.period
    }
    found = []
    for period in sorted(others, key=lambda p: months(p) or 0):
        other = nowcast(
            reporter,
            partner,
            partial.year,
            period,
            data=data,
            currency=currency,
            calibrate=False,
            product=product,
        )
        gap = other.estimate / estimate - 1
        if abs(gap) > CONTRADICTION:
            found.append(
                f"{partial.label()} and {other.partial.label()} contradict each other: they give full years "
                f"{format_percent(abs(gap), 0)} apart ({format_money(estimate, currency, digits=2)} and "
                f"{format_money(other.estimate, currency, digits=2)}); check both sources "
                f"({partial.source}; {other.partial.source})"
            )
    return found


@dataclass(frozen=True)
class Evaluation:
    year: int
    period: str
    nowcast: Nowcast
    actual: float

    @property
    def error(self) -> float:
        """Relative error of the estimate: estimate / actual − 1."""
        return self.nowcast.estimate / self.actual - 1

    @property
    def held(self) -> bool:
        return self.nowcast.low <= self.actual <= self.nowcast.high


@dataclass(frozen=True, eq=False)
class Evaluations(Collection[Evaluation], Result):
    """The leave-one-out record of one pair (:func:`evaluate`)."""

    reporter: str
    partner: str
    currency: str = "USD"

    @property
    def title(self) -> str:
        held = sum(r.held for r in self)
        return (
            f"{self.reporter}–{self.partner}: nowcasts without their full year; the interval held {held} of "
            f"{len(self)}"
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "reporter": self.reporter,
            "partner": self.partner,
            "currency": self.currency,
            "interval": INTERVAL,
            "evaluations": [
                {**r.nowcast.to_json(), "actual": r.actual, "error": r.error, "held": r.held} for r in self
            ],
        }

    def rows(self) -> Rows:
        return [
            {
                "year": str(r.year),
                "from": r.period,
                "partial": format_money(r.nowcast.partial.amount, r.nowcast.currency, digits=2),
                "estimate": format_money(r.nowcast.estimate, r.nowcast.currency, digits=2),
                "90% interval": f"{format_money(r.nowcast.low, r.nowcast.currency, digits=2)}–"
                f"{format_money(r.nowcast.high, r.nowcast.currency, digits=2)}",
                "actual": format_money(r.actual, r.nowcast.currency, digits=2),
                "error": format_percent(r.error, 1, signed=True),
                "held": "yes" if r.held else "no",
                "method": f"{r.nowcast.method} (n={len(r.nowcast.ratios)})",
            }
            for r in self
        ]

    def frame(self) -> pd.DataFrame:
        import pandas as pd

        columns = [
            "year",
            "period",
            "partial",
            "estimate",
            "low",
            "high",
            "actual",
            "error",
            "held",
            "method",
        ]
        return pd.DataFrame(
            [
                {
                    "year": r.year,
                    "period": r.period,
                    "partial": r.nowcast.partial.amount,
                    "estimate": r.nowcast.estimate,
                    "low": r.nowcast.low,
                    "high": r.nowcast.high,
                    "actual": r.actual,
                    "error": r.error,
                    "held": r.held,
                    "method": r.nowcast.method,
                }
                for r in self
            ],
            columns=columns,
        ).set_index("year")


def evaluate(
    reporter: str,
    partner: str,
    *,
    data: Dataset | None = None,
    currency: str = "USD",
    product: Product = ALL_GOODS,
) -> Evaluations:
    """Leave-one-out: every year with a full-year figure and a partial one, nowcast without that year's FY."""
    data = data or shipped()
    results: list[Evaluation] = []
    partials = _rows(data, product, reporter=reporter, partner=partner, flow="total", reported_by=reporter)
    for year, period in sorted({(o.year, o.period) for o in partials if months(o.period)}):
        actual = _figure(data, reporter, partner, year, "FY", currency, product)
        if actual is None:
            continue
        results.append(
            Evaluation(
                year,
                period,
                nowcast(
                    reporter,
                    partner,
                    year,
                    period,
                    data=data,
                    currency=currency,
                    calibrate=False,
                    product=product,
                ),
                actual.amount,
            )
        )
    return Evaluations(results, reporter, partner, currency)


__all__ = [
    "INTERVAL",
    "Evaluation",
    "Evaluations",
    "Nowcast",
    "evaluate",
    "latest_partial",
    "months",
    "nowcast",
]
