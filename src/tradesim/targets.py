"""Every announced target, tracked: where the pair stands, what growth is still needed, how likely it is.

One row per target — the data's ``kind = target`` rows and the scenario files' ``[[targets]]`` — with:

- ``announced``: the year the target was stated, read from the row's source or note (``(2023-05-17)``,
  ``stated Jan 2024``); the target's ``year`` is its deadline when it comes after that, and otherwise, or for
  "coming years", the announcement year + :data:`DEFAULT_YEARS` (an assumption, flagged ``year_assumed``);
- ``at_announcement``: the latest full-year figure known when it was stated (a year before the announcement);
- ``latest_actual``: the latest full-year figure; ``nowcast``: the full year after it from a partial figure;
- ``achieved_growth`` since the announcement and ``required_growth`` still needed to meet it in its year;
- ``assumed_growth``: one model of the pair's trade, the same for every target of the pair: its trailing growth
  over the last :data:`TRAILING_YEARS` full years of the reporter's own series (fewer where the series is
  shorter; 0 with a single year), named in ``assumed_growth_basis``;
- ``p_reach``: the probability of reaching it by its year under the simulation model calibrated by the
  backtest: from the latest actual ``x``, each year ``ln X`` moves by ``ln(1 + g) + σ·z`` (``g`` the assumed
  growth, ``σ`` the sd the pair's ``cagr:3`` backtest implies with at least three scored projections, else 0.25,
  the reference scenarios'), and the target counts as reached the first year ``X`` is at or above it — as
  ``simulate``'s P(reached by). It is computed on a grid (:func:`reach_probability`), not sampled, so it depends
  on no seed, and for one pair and amount it never falls as the deadline moves later;
- ``status``: **met** (a full-year actual at or above it), else **on track** (``p_reach`` ≥ 0.5), **behind**
  (0.2–0.5) or **off track** (< 0.2; also a deadline passed); ``unknown`` when there is no actual to judge from
  (none at all, or a deadline already past — as of the latest year in the data — with no actual for it).

The portfolio: if every partner's largest target were met, the sum of those partners' trade against the
reporter's total trade grown at a stated rate to the latest deadline; it is flagged **implausible** when it
would take those partners' share of the total up by more than :data:`PLAUSIBLE_SHARE_RISE` (15 percentage points)
— the article's "about 1/6", at portfolio scale.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from tradesim.data import Dataset, Observation, shipped
from tradesim.data.observation import ALL_GOODS, FULL_YEAR, TOTAL, Product, classification_family
from tradesim.output import Result, Rows
from tradesim.quantities import format_money, format_percent
from tradesim.schema import Scenario

if TYPE_CHECKING:
    import pandas as pd

DEFAULT_YEARS = 5
DEFAULT_SD = 0.25
TRAILING_YEARS = 3
PLAUSIBLE_SHARE_RISE = 0.15
_YEAR = re.compile(r"(?<!\d)(19[5-9]\d|20\d\d)(?!\d)")
_DEADLINE = re.compile(
    r"(?:\bby|\bк|\bдо)\s+(?:the\s+end\s+of\s+)?$", re.IGNORECASE
)  # the words before a deadline


@dataclass(frozen=True)
class TargetStatus:
    partner: str
    value: float
    currency: str
    year: int | None
    year_assumed: bool
    announced: int | None
    source: str
    origin: str
    at_announcement: Observation | None
    latest_actual: Observation | None
    nowcast: object | None  # tradesim.nowcast.Nowcast
    achieved_growth: float | None
    required_growth: float | None
    p_reach: float | None
    status: str
    assumed_growth: float | None = None  # the pair's one growth model (module docstring)
    assumed_growth_basis: str = ""  # what it is: "trailing growth 2021–2024 (KAZ statistics)"

    @property
    def met_on_rounding(self) -> bool:
        """Met on a figure whose rounding (or approximation) leaves room below the target."""
        return (
            self.status == "met"
            and self.latest_actual is not None
            and self.latest_actual.met_on_rounding(self.value)
        )

    @property
    def status_text(self) -> str:
        """The status in words: "met on a rounded figure (about $20B, 2024)" where the figure is that loose."""
        latest = self.latest_actual
        if not self.met_on_rounding or latest is None:
            return self.status
        kind = "an approximate" if latest.status == "approximate" else "a rounded"
        about = format_money(
            latest.amount, self.currency, digits=0 if latest.relative_rounding >= 0.005 else 1
        )
        return f"met on {kind} figure (about {about}, {latest.year})"

    @property
    def progress(self) -> float | None:
        return None if self.latest_actual is None else self.latest_actual.amount / self.value

    def to_json(self) -> dict[str, object]:
        def figure(o: Observation | None) -> dict[str, object] | None:
            return (
                None
                if o is None
                else {
                    "year": o.year,
                    "value": o.amount,
                    "currency": o.currency,
                    "source": o.source,
                    "origin": o.origin,
                    "fx": o.fx or None,
                }
            )

        nowcast = self.nowcast
        return {
            "partner": self.partner,
            "value": self.value,
            "currency": self.currency,
            "year": self.year,
            "year_assumed": self.year_assumed,
            "announced": self.announced,
            "source": self.source,
            "origin": self.origin,
            "at_announcement": figure(self.at_announcement),
            "latest_actual": figure(self.latest_actual),
            "nowcast": nowcast.to_json() if nowcast is not None else None,  # type: ignore[attr-defined]
            "progress": self.progress,
            "required_growth": self.required_growth,
            "achieved_growth": self.achieved_growth,
            "assumed_growth": self.assumed_growth,
            "assumed_growth_basis": self.assumed_growth_basis,
            "status": self.status,
            "status_text": self.status_text,
            "met_on_rounded_figure": self.met_on_rounding,
            "p_reach": self.p_reach,
        }


def announced_year(row: Observation) -> int | None:
    """The year a target was stated: the first year in its source, else in its note — a year written as a
    deadline ("by 2030", "к 2030", "до 2030") is not the year it was stated."""
    for text in (row.source, row.note):
        for found in _YEAR.finditer(text or ""):
            if not _DEADLINE.search(text[: found.start()]):
                return int(found.group(1))
    return None


def _full_years(
    data: Dataset,
    reporter: str,
    partner: str,
    as_of: int | None,
    currency: str = "USD",
    product: Product = ALL_GOODS,
) -> list[Observation]:
    """The pair's full-year actuals in ``currency`` (the target's): a figure in another currency converted at
    its year's annual average rate, saying so in its ``fx``; ``product``: one product's."""
    series = data.full_years(reporter, partner, currency=currency, commodity=product[0], family=product[1])
    return [o for year, o in series.items() if as_of is None or year <= as_of]


def _sigma(data: Dataset, reporter: str, partner: str, product: Product = ALL_GOODS) -> float:
    from tradesim import backtest

    result = backtest.run(
        reporter, partner, method="cagr:3", horizons=(1, 2, 3, 5), data=data, product=product
    )
    implied = result.calibrated_sd()
    return implied if implied is not None and len(result.forecasts) >= 3 else DEFAULT_SD


def track(
    reporter: str,
    partner: str,
    value: float,
    currency: str,
    deadline: int | None,
    announced: int | None,
    source: str,
    origin: str,
    as_of: int | None = None,
    *,
    data: Dataset | None = None,
    sigmas: dict[tuple[str, str], float] | None = None,
    nowcasts: dict[tuple[str, str], object] | None = None,
    product: Product = ALL_GOODS,
) -> TargetStatus:
    """One target's row (module docstring), read against ``data`` (default: the shipped data). ``sigmas``
    keeps each pair's backtest-implied sd across calls, ``nowcasts`` its nowcast: one backtest and one nowcast per
    pair, however many targets it has."""
    from tradesim import nowcast as nowcasting
    from tradesim.errors import TradesimError

    data = data or shipped()
    assumed = False
    year = deadline
    if announced is not None and (deadline is None or deadline <= announced):
        year, assumed = announced + DEFAULT_YEARS, True
    history = _full_years(data, reporter, partner, as_of, currency, product)  # in the target's own currency
    latest = history[-1] if history else None
    before = [o for o in history if announced is not None and o.year < announced]
    at_announcement = before[-1] if before else None
    now = None
    if latest is not None and currency == "USD":  # the nowcast is in dollars: beside a dollar target only
        known_now = {} if nowcasts is None else nowcasts
        if (reporter, partner) not in known_now:
            try:
                partial = nowcasting.latest_partial(reporter, partner, data=data, product=product)
                found = (
                    nowcasting.nowcast(reporter, partner, partial.year, data=data, product=product)
                    if partial.year > latest.year and (as_of is None or partial.year <= as_of)
                    else None
                )
            except TradesimError:
                found = None
            known_now[(reporter, partner)] = found
        now = known_now[(reporter, partner)]
    achieved = None
    if latest is not None and at_announcement is not None and latest.year > at_announcement.year:
        achieved = _growth(at_announcement.amount, latest.amount, latest.year - at_announcement.year)
    required = p_reach = None
    assumed_growth, basis = pair_growth(history)
    if latest is None:
        status = "unknown"
    elif latest.amount >= value * (1 - 1e-9):
        status, p_reach = "met", 1.0
    elif latest.amount <= 0:
        status = "unknown"  # no rate of growth leads from a figure of zero or less to the target
    elif year is None or (as_of is not None and year <= as_of and latest.year < year):
        status = "unknown"  # no deadline, or a deadline already past with no actual for it in the data
    elif year <= latest.year:
        status, p_reach = "off track", 0.0  # the deadline has passed without it
    else:
        ahead = year - latest.year
        required = (value / latest.amount) ** (1 / ahead) - 1
        known = {} if sigmas is None else sigmas
        if (reporter, partner) not in known:
            known[(reporter, partner)] = _sigma(data, reporter, partner, product)
        sigma = known[(reporter, partner)]
        p_reach = reach_probability(
            math.log(value / latest.amount), math.log1p(assumed_growth or 0.0), sigma, ahead
        )
        status = "on track" if p_reach >= 0.5 else "behind" if p_reach >= 0.2 else "off track"
    return TargetStatus(
        partner, value, currency, year, assumed, announced, source, origin, at_announcement, latest, now,
        achieved, required, p_reach, status, assumed_growth, basis,
    )  # fmt: skip


def pair_growth(history: Sequence[Observation]) -> tuple[float | None, str]:
    """The pair's one assumed growth: the compound growth over the last :data:`TRAILING_YEARS` full years of
    ``history`` (the reporter's own series; fewer years where it is shorter), with what it is in words. 0 with a
    single year; ``None`` without a figure, or where a figure of zero or less leaves no rate."""
    if not history:
        return None, ""
    latest = history[-1]
    window = [o for o in history if latest.year - TRAILING_YEARS <= o.year < latest.year]
    if not window:
        return 0.0, f"no earlier full year than {latest.year}: 0%/yr assumed"
    first = window[0]
    growth = _growth(first.amount, latest.amount, latest.year - first.year)
    if growth is None:
        return None, f"no growth rate from {first.year}–{latest.year} (a figure of zero or less)"
    return growth, f"trailing growth {first.year}–{latest.year}"


def reach_probability(barrier: float, drift: float, sigma: float, years: int) -> float:
    """P(the log level, starting at 0 and moving each year by ``drift + sigma·z``, is at or above ``barrier``
    in at least one of the next ``years`` years): the discrete first-passage probability, computed by carrying
    the not-yet-reached mass on a grid below the barrier (absorbing it once over), so it never falls as
    ``years`` grows. ``barrier`` > 0 (a target not yet met)."""
    import numpy as np
    from scipy.special import ndtr

    if sigma <= 0:  # no spread: reached the first year the drift carries the level over
        return 1.0 if drift > 0 and drift * years >= barrier else 0.0
    spread = 7.0 * sigma * math.sqrt(years)
    low = min(0.0, drift * years) - spread
    wanted = max(sigma / 30.0, (barrier - low) / 1_200)
    above = math.ceil(barrier / wanted - 0.5)  # cells between the start and the barrier
    step = barrier / (above + 0.5)  # the start a cell centre, the barrier a cell edge
    below = math.ceil(-low / step)
    grid = np.arange(-below, above + 1) * step  # cell centres below the barrier
    mass = np.zeros(grid.size)
    mass[below] = 1.0
    moved = (grid[None, :] - grid[:, None] - drift) / sigma  # from cell i to cell j
    half = step / (2.0 * sigma)
    kernel = ndtr(moved + half) - ndtr(moved - half)
    over = 1.0 - ndtr((barrier - grid - drift) / sigma)  # from cell i to at or above the barrier
    reached = 0.0
    for _ in range(years):
        reached += float(mass @ over)
        mass = mass @ kernel
    return min(max(reached, 0.0), 1.0)


def _growth(start: float, end: float, years: int) -> float | None:
    """The compound yearly growth from ``start`` to ``end``; ``None`` when either is zero or negative (a year
    without trade, or a balance): no rate of growth leads from there."""
    if start <= 0 or end <= 0:
        return None
    return float((end / start) ** (1 / years) - 1)


def tracked(
    reporter: str,
    partners: Sequence[str] = (),
    *,
    as_of: int | None = None,
    scenarios: Sequence[Scenario] = (),
    data: Dataset | None = None,
    product: Product = ALL_GOODS,
) -> list[TargetStatus]:
    """Every target of ``reporter`` (optionally for some partners), from ``data`` (default: the shipped data)
    and from ``scenarios``.

    ``as_of`` defaults to the latest year any full-year trade figure in the data is for (a year with only some
    months in is not over: a deadline in it has not passed). The same target stated in several publications
    (same partner, value, currency, deadline and year stated) is one row naming them all; rows are ordered by
    partner, then the year stated. With ``product`` (``("27", "HS")``): the targets stated for that product,
    against its series (a scenario's targets where the scenario models the same product)."""
    data = data or shipped()
    if as_of is None:
        as_of = max(data.years(kind="trade", period=FULL_YEAR), default=None)
    rows = []
    sigmas: dict[tuple[str, str], float] = {}  # one backtest per pair
    nowcasts: dict[tuple[str, str], object] = {}  # and one nowcast
    code, family = product
    for row in data.select(kind="target", reporter=reporter, flow="total", commodity=code, family=family):
        if partners and row.partner not in partners:
            continue
        # a product's target is read against that product's series in its own classification family
        own = product if code == TOTAL else (code, classification_family(row.classification))
        announced = announced_year(row)
        if as_of is not None and announced is not None and announced > as_of:
            continue
        deadline = row.year or None
        rows.append(
            track(
                reporter,
                row.partner,
                row.amount,
                row.currency,
                deadline,
                announced,
                row.source,
                row.origin,
                as_of,
                data=data,
                sigmas=sigmas,
                nowcasts=nowcasts,
                product=own,
            )
        )
    seen = {(r.partner, r.value, r.currency) for r in rows}
    for scenario in scenarios:
        if scenario.reporter != reporter or (partners and scenario.partner not in partners):
            continue
        modelled = (scenario.product or ALL_GOODS)[0]
        if (
            modelled != code
        ):  # a target of the pair's trade is never read against a product's, nor the reverse
            continue
        for target in scenario.targets:
            if (scenario.partner, target.value, scenario.currency) in seen:
                continue  # the same target as the data's (the reference scenarios carry the announced ones)
            seen.add((scenario.partner, target.value, scenario.currency))
            label = target.label or "scenario target"
            rows.append(
                track(
                    reporter,
                    scenario.partner,
                    target.value,
                    scenario.currency,
                    target.year,
                    None,
                    f"{label} (scenario {scenario.name})",
                    str(scenario.path),
                    as_of,
                    data=data,
                    sigmas=sigmas,
                    nowcasts=nowcasts,
                    product=product if scenario.product is None else (code, family or scenario.product[1]),
                )
            )
    return _merged(rows)


def _merged(rows: list[TargetStatus]) -> list[TargetStatus]:
    """One row per statement of a target, its publications joined; ordered by partner and year stated."""
    from dataclasses import replace

    kept: dict[tuple[object, ...], TargetStatus] = {}
    for row in rows:
        key = (row.partner, row.value, row.currency, row.year, row.year_assumed, row.announced)
        if key in kept:
            first = kept[key]
            kept[key] = replace(first, source=f"{first.source}; {row.source}")
        else:
            kept[key] = row
    return sorted(kept.values(), key=lambda r: (r.partner, r.announced or 0, r.value))


@dataclass(frozen=True)
class Portfolio:
    partners: tuple[str, ...]
    sum_of_targets: float
    year: int
    total_latest: Observation | None
    total_growth: float
    total_then: float | None
    share_then: float | None
    share_now: float | None
    implausible: bool

    def to_json(self) -> dict[str, object]:
        return {
            "partners": list(self.partners),
            "sum_of_targets": self.sum_of_targets,
            "year": self.year,
            "total_latest": None
            if self.total_latest is None
            else {
                "year": self.total_latest.year,
                "value": self.total_latest.amount,
                "status": self.total_latest.status,
            },
            "total_growth": self.total_growth,
            "total_then": self.total_then,
            "share_then": self.share_then,
            "share_now": self.share_now,
            "implausible": self.implausible,
        }


class Tracked(Result):
    """``tradesim targets``: every target of ``reporter`` tracked (:func:`tracked`) and their portfolio."""

    def __init__(
        self,
        reporter: str,
        statuses: Sequence[TargetStatus],
        book: Portfolio | None,
        as_of: int | None,
        product: str = "",
    ) -> None:
        self.reporter, self.statuses, self.portfolio, self.as_of = reporter, list(statuses), book, as_of
        self.product = product  # "HS 27": the targets stated for one product, against its series

    @property
    def title(self) -> str:
        return f"{self.reporter}'s {self.product + ' ' if self.product else ''}trade targets"

    def to_json(self) -> dict[str, Any]:
        return {
            "as_of": self.as_of,
            "reporter": self.reporter,
            **({"commodity": self.product} if self.product else {}),  # absent: all goods
            "targets": [r.to_json() for r in self.statuses],
            "portfolio": self.portfolio.to_json() if self.portfolio else None,
        }

    def rows(self) -> Rows:
        def pct(value: float | None) -> str:
            return "—" if value is None else format_percent(value, 1, signed=True)

        return [
            {
                "partner": r.partner,
                "target": format_money(r.value, r.currency),
                "by": "—" if r.year is None else f"{r.year}{' (assumed)' if r.year_assumed else ''}",
                "stated": str(r.announced or "—"),
                "then": "—"
                if r.at_announcement is None
                else f"{format_money(r.at_announcement.amount, r.currency)} ({r.at_announcement.year})",
                "latest": "—"
                if r.latest_actual is None
                else f"{format_money(r.latest_actual.amount, r.currency)} ({r.latest_actual.year})",
                "nowcast": "—"
                if r.nowcast is None
                else f"{format_money(r.nowcast.estimate)} ({r.nowcast.year})",  # type: ignore[attr-defined]
                "since stated": pct(r.achieved_growth),
                "assumed": pct(r.assumed_growth),
                "required": pct(r.required_growth),
                "P(reach)": "—" if r.p_reach is None else format_percent(r.p_reach, 0),
                "status": r.status_text,
            }
            for r in self.statuses
        ]

    def frame(self) -> pd.DataFrame:
        """One row per target, in numbers: value and currency, its year, the figures then and now."""
        import pandas as pd

        def amount(o: Observation | None) -> float | None:
            return None if o is None else o.amount

        return pd.DataFrame(
            [
                {
                    "partner": r.partner,
                    "value": r.value,
                    "currency": r.currency,
                    "year": r.year,
                    "year_assumed": r.year_assumed,
                    "announced": r.announced,
                    "value_then": amount(r.at_announcement),
                    "year_then": None if r.at_announcement is None else r.at_announcement.year,
                    "latest": amount(r.latest_actual),
                    "latest_year": None if r.latest_actual is None else r.latest_actual.year,
                    "nowcast": None if r.nowcast is None else r.nowcast.estimate,  # type: ignore[attr-defined]
                    "progress": r.progress,
                    "achieved_growth": r.achieved_growth,
                    "assumed_growth": r.assumed_growth,
                    "required_growth": r.required_growth,
                    "p_reach": r.p_reach,
                    "status": r.status,
                    "source": r.source,
                    "origin": r.origin,
                }
                for r in self.statuses
            ]
        )

    def notes(self) -> list[str]:
        """The growth each pair is assumed to keep, and the conversions into each target's currency."""
        assumed = sorted(
            {
                f"P(reach) and status assume {r.partner}'s {r.assumed_growth_basis}"
                + (
                    ""
                    if r.assumed_growth is None
                    else f", {format_percent(r.assumed_growth, 1, signed=True)}/yr"
                )
                + "; 'since stated' is the growth since the target was stated, shown only"
                for r in self.statuses
                if r.assumed_growth_basis
            }
        )
        return assumed + sorted(
            {
                f"in the target's currency: {r.partner} {o.year}: {o.fx}"
                for r in self.statuses
                for o in (r.at_announcement, r.latest_actual)
                if o is not None and o.fx
            }
        )

    def portfolio_line(self) -> str | None:
        """The portfolio in a sentence (``None`` without one)."""
        book = self.portfolio
        if book is not None and book.share_then is not None:
            latest = book.total_latest
            line = (
                f"portfolio: if {', '.join(book.partners)} met their largest targets by {book.year}, "
                f"{format_money(book.sum_of_targets)} would be {format_percent(book.share_then)} of "
                f"{self.reporter}'s total trade then ({format_money(book.total_then or 0)}: "
                f"{format_money(latest.amount if latest else 0)} in {latest.year if latest else '—'} at "
                f"{format_percent(book.total_growth, signed=True)}/yr)"
            )
            if book.share_now is not None:
                line += f"; their latest actuals are {format_percent(book.share_now)} of it now"
            line += "; IMPLAUSIBLE" if book.implausible else "; plausible at that growth"
            return line
        return None


def portfolio(
    reporter: str,
    rows: Sequence[TargetStatus],
    total_growth: float = 0.03,
    *,
    data: Dataset | None = None,
) -> Portfolio | None:
    """If every partner's largest target were met by the latest deadline (aggregates such as CENTRAL_ASIA left
    out: they overlap the countries in them)."""
    from tradesim.codes import AGGREGATES

    largest: dict[str, TargetStatus] = {}
    for row in rows:
        if row.partner in AGGREGATES or row.currency != "USD":
            continue
        if row.partner not in largest or row.value > largest[row.partner].value:
            largest[row.partner] = row
    if not largest:
        return None
    year = max((r.year for r in largest.values() if r.year is not None), default=None)
    totals = _full_years(data or shipped(), reporter, "WLD", None)
    total = totals[-1] if totals else None
    if year is None or total is None or total.amount <= 0:  # no total, or none a share can be taken of
        return Portfolio(tuple(largest), sum(r.value for r in largest.values()), year or 0, total, total_growth,
                         None, None, None, False)  # fmt: skip
    target_sum = sum(r.value for r in largest.values())
    then = total.amount * (1 + total_growth) ** max(year - total.year, 0)
    # the rise is measured on the partners with an actual: their targets' share then against their share now
    known = [r for r in largest.values() if r.latest_actual is not None]
    actuals = [r.latest_actual.amount for r in known if r.latest_actual is not None]
    share_now = sum(actuals) / total.amount if actuals else None
    share_then = target_sum / then
    share_known_then = sum(r.value for r in known) / then
    implausible = share_then > 1 or (
        share_now is not None and share_known_then - share_now > PLAUSIBLE_SHARE_RISE
    )
    return Portfolio(tuple(sorted(largest)), target_sum, year, total, total_growth, then, share_then, share_now,
                     implausible)  # fmt: skip
