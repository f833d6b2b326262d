"""Where a pair stands against its target: the latest full-year figures on each side's statistics, the year the
target was met, and the nowcast of the year after (:class:`Standing`). Never added or averaged."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from tradesim import model
from tradesim.data import Dataset
from tradesim.data.observation import Observation

if TYPE_CHECKING:
    from tradesim.report import ScenarioResult


@dataclass(frozen=True)
class Standing:
    """What the latest full-year actuals say about one pair's target, on each side's statistics: the
    reporter's latest figure, the year the target was met (the first of the years at or above it that run up
    to the latest; none when the latest is below it), and the partner's latest figure
    for the same trade (mirror statistics, converted to the scenario's currency) with the reporter's figure for
    that year beside it. Never added or averaged: two offices' counts of the same goods."""

    reporter: str
    partner: str
    currency: str
    target: float
    latest: Observation | None
    reached: Observation | None
    partner_latest: Observation | None
    reporter_then: Observation | None  # the reporter's figure for the partner's latest year
    nowcast: Any = None  # tradesim.nowcast.Nowcast of the year after the latest, from its partial figure

    @property
    def met_on_rounding(self) -> bool:
        """Met on a figure whose rounding (or approximation) leaves room below the target."""
        return (
            self.reached is not None and self.latest is not None and self.latest.met_on_rounding(self.target)
        )

    @property
    def ratio(self) -> float | None:
        """The reporter's figure over the partner's, in the partner's latest year."""
        if self.partner_latest is None or self.reporter_then is None or self.partner_latest.amount <= 0:
            return None
        return self.reporter_then.amount / self.partner_latest.amount


def standing(results: Sequence[ScenarioResult]) -> list[Standing]:
    """One :class:`Standing` per pair and target in ``results``, in order."""
    from tradesim.data.mirror import mirror

    found: dict[tuple[str, str, str, float], Standing] = {}
    for r in results:
        s, p = r.scenario, r.projection
        key = (s.reporter, s.partner, s.currency, r.target)
        if key in found:
            continue
        series = p.data.full_years(s.reporter, s.partner, currency=s.currency)
        latest = _last(series)
        reached = None  # the first year of the run of years at or above the target that ends at the latest
        for year in sorted(series, reverse=True):
            if series[year].amount < r.target * (1.0 - model.REACHED_RTOL):
                break
            reached = series[year]
        totals = [
            row
            for row in mirror(p.data, s.reporter, s.partner, currency=s.currency)
            if row.flow == "total" and row.mirror is not None
        ]
        last = totals[-1] if totals else None
        found[key] = Standing(
            s.reporter,
            s.partner,
            s.currency,
            r.target,
            latest,
            reached,
            last.mirror if last else None,
            last.reported if last else None,
            latest_nowcast(p.data, s.reporter, s.partner, s.currency, latest),
        )
    return list(found.values())


def latest_nowcast(
    data: Dataset, reporter: str, partner: str, currency: str, latest: Observation | None
) -> Any:
    """The nowcast of the year after the latest full one, from its partial figure (None without one)."""
    from tradesim import nowcast
    from tradesim.errors import TradesimError

    try:
        partial = nowcast.latest_partial(reporter, partner, data=data, currency=currency)
        if latest is not None and partial.year <= latest.year:
            return None
        return nowcast.nowcast(reporter, partner, partial.year, data=data, currency=currency)
    except TradesimError:
        return None


def _last(series: dict[int, Observation]) -> Observation | None:
    return series[max(series)] if series else None


__all__ = ["Standing", "latest_nowcast", "standing"]
