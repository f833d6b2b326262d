"""The claims audit: does each published statement hold, and what would have to be true for it to hold?

An audit reports; it never fails (``tradesim check`` is what fails CI).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from tradesim import metrics, model, solve
from tradesim.data import Dataset, shipped
from tradesim.errors import TradesimError
from tradesim.output import Collection, Result, Rows
from tradesim.quantities import format_money, format_percent
from tradesim.schema import Claim, Scenario

if TYPE_CHECKING:
    import pandas as pd


@dataclass(frozen=True)
class Verdict:
    scenario: str
    baseline: float
    claim: Claim
    what: str  # the metric in words
    claimed: str  # formatted
    computed: float | None
    computed_text: str
    year: int | None
    holds: bool
    would_hold_if: str  # empty when it holds
    actual: str  # what the actuals say, where they speak to the claim
    currency: str = "USD"  # the scenario's: the baseline and any amount claimed or computed

    def to_json(self) -> dict[str, Any]:
        claim = self.claim
        claimed: Any = claim.value if claim.value is not None else {"min": claim.min, "max": claim.max}
        return {
            "scenario": self.scenario,
            "currency": self.currency,
            "baseline": self.baseline,
            "quote": claim.quote,
            "source": claim.source,
            "metric": claim.metric,
            "year": self.year,
            "against": claim.against,
            "what": self.what,
            "claimed": claimed,
            "claimed_text": self.claimed,
            "computed": self.computed,
            "computed_text": self.computed_text,
            "holds": self.holds,
            "would_hold_if": self.would_hold_if,
            "actual": self.actual,
            "note": claim.note,
        }


def audit(
    scenarios: Iterable[Scenario], *, all_baselines: bool = False, data: Dataset | None = None
) -> list[Verdict]:
    """Every claim of every scenario, against its default baseline (or every published baseline) in ``data``
    (default: the shipped data)."""
    data = data or shipped()
    verdicts: list[Verdict] = []
    for scenario in scenarios:
        if not scenario.claims:
            continue
        baselines = (
            model.baseline_variants(scenario, data=data)
            if all_baselines
            else [model.resolve_baseline(scenario, data=data)]
        )
        for baseline in baselines:
            projection = model.project(scenario, data=data, baseline=baseline)
            verdicts.extend(_judge(claim, projection) for claim in scenario.claims)
    return verdicts


def _judge(claim: Claim, projection: model.Projection) -> Verdict:
    scenario = projection.scenario
    result = metrics.evaluate(claim, projection)
    return Verdict(
        scenario=scenario.name,
        baseline=projection.baseline.bilateral,
        claim=claim,
        what=metrics.describe(claim, scenario, result.year),
        claimed=metrics.format_claimed(claim, scenario.currency),
        computed=result.computed,
        computed_text=metrics.format_value(claim.metric, result.computed, scenario.currency),
        year=result.year,
        holds=result.holds,
        would_hold_if="" if result.holds else would_hold_if(claim, result, projection),
        actual=_actual(claim, projection),
        currency=scenario.currency,
    )


def _bound(claim: Claim, computed: float | None) -> float:
    """The claimed figure nearest to what was computed: the value, or the range bound that was missed."""
    if claim.value is not None:
        return claim.value
    if claim.min is not None and (computed is None or computed < claim.min or claim.max is None):
        return claim.min
    assert claim.max is not None
    return claim.max


def would_hold_if(claim: Claim, result: metrics.Evaluation, projection: model.Projection) -> str:
    """What would have to be true for a claim that does not hold, in a sentence (via :mod:`tradesim.solve`)."""
    scenario, base = projection.scenario, projection.baseline
    currency, reporter = scenario.currency, scenario.reporter
    target = metrics.target_of(scenario, assertion=claim)
    bound = _bound(claim, result.computed)
    money = format_money(target, currency) if target is not None else "the target"

    def growth_to(amount: float, year: int) -> str:
        if year <= scenario.base_year:
            return (
                f"holds only if bilateral trade were {format_money(amount, currency)} already in "
                f"{scenario.base_year}; it was {format_money(base.bilateral, currency)}"
            )
        try:
            answer = solve.required_growth(scenario, amount, year, baseline=base)
        except TradesimError as error:  # no rate in the solver's range, or a year past the longest projection
            return f"no constant growth reaches {format_money(amount, currency)} in {year}: {error.problems[0].message}"
        return (
            f"holds only if bilateral trade grew {format_percent(answer.required_growth, 2, signed=True)}/yr from "
            f"{format_money(base.bilateral, currency)} ({scenario.base_year}), reaching "
            f"{format_money(amount, currency)} in {year}"
        )

    if result.computed is None and claim.metric != "bilateral" and claim.against != "data":
        year = int(bound) if claim.metric == "reached_year" else scenario.horizon_year
        return f"{money} is not reached by {scenario.horizon_year}; " + growth_to(target or 0.0, year)
    if claim.against == "data":
        return _data_explanation(claim, scenario, bound, result, projection.data)
    assert result.computed is not None
    assert result.year is not None
    if claim.metric == "share":
        amount = projection.value("bilateral", result.year)
        return solve.total_for_share(scenario, amount, bound, year=result.year, baseline=base).would_hold_if(
            reporter, currency
        )
    if claim.metric == "bilateral":
        return growth_to(bound, result.year)
    if claim.metric in ("total", "rest_of_world"):
        what = "total trade" if claim.metric == "total" else "trade with the rest of the world"
        return (
            f"holds only if {reporter}'s {what} were {format_money(bound, currency)} in {result.year}; "
            f"the scenario has {format_money(result.computed, currency)}"
        )
    if claim.metric == "reached_year":
        if result.computed > bound:
            return f"reached in {int(result.computed)}, later than claimed; " + growth_to(
                target or 0.0, int(bound)
            )
        return f"reached in {int(result.computed)}, earlier than claimed ({claim.min})"
    # required_growth
    years = (claim.year or scenario.base_year) - scenario.base_year
    reach = base.bilateral * (1.0 + bound) ** years
    return (
        f"{format_percent(bound, 2, signed=True)}/yr from {format_money(base.bilateral, currency)} reaches "
        f"{format_money(reach, currency)} in {claim.year}, not {money}; the growth needed is "
        f"{format_percent(result.computed, 2, signed=True)}/yr"
    )


def _data_explanation(
    claim: Claim, scenario: Scenario, bound: float, result: metrics.Evaluation, data: Dataset
) -> str:
    """Why a claim about the data does not hold: which figure it is, and what the full year says."""
    year = result.year
    assert year is not None
    currency = scenario.currency
    full = metrics.format_value(claim.metric, result.computed, currency)
    if result.computed is None:
        return f"the data has no full-year figure for {year}"
    if claim.metric == "share":
        return f"the full-year data give {full} for {year}"
    partner = scenario.partner if claim.metric == "bilateral" else "WLD"
    matches = [
        o
        for o in data.select(
            kind="trade",
            reporter=scenario.reporter,
            partner=partner,
            flow="total",
            year=year,
            reported_by=scenario.reporter,
        )
        if not o.is_full_year
        and o.period != "FY-as-stated"
        and o.currency == currency
        and metrics.holds(claim, o.amount)
    ]
    if matches:
        part = matches[0]
        return (
            f"{format_money(part.amount, currency)} is the figure for {part.period} {year} ({part.source}); "
            f"the full year {year} was {full}"
        )
    return f"the full-year data give {full} for {year}"


def _actual(claim: Claim, projection: model.Projection) -> str:
    """For claims about reaching the target: when the actuals reached it, if they did."""
    target = metrics.target_of(projection.scenario, assertion=claim)
    if target is None or not (claim.metric == "reached_year" or claim.at == "target"):
        return ""
    year = projection.actual_reached_year(target)
    if year is None:
        return ""
    observed = projection.actuals[year]
    if observed.met_on_rounding(target):
        loose = "an approximate" if observed.status == "approximate" else "a rounded"
        from tradesim.standing import latest_nowcast

        scenario = projection.scenario
        about = format_money(observed.amount, scenario.currency, 0)
        latest = projection.data.full_years(scenario.reporter, scenario.partner, currency=scenario.currency)
        now = latest_nowcast(projection.data, scenario.reporter, scenario.partner, scenario.currency,
                              latest[max(latest)] if latest else None)  # fmt: skip
        beside = (
            f"; the latest nowcast, {now.year}: {format_money(now.estimate, scenario.currency, 2)}"
            if now is not None
            else ""
        )
        return (
            f"{observed.label()} in {year}: the target was met then on {loose} figure (about {about}, {year}; "
            f"{observed.source}){beside}"
        )
    return f"{observed.label()} in {year}: the target was reached then ({observed.source})"


def warnings(scenarios: Iterable[Scenario], data: Dataset | None = None) -> list[str]:
    """The caveats of the baselines the claims were read against (partial-year, unverified), once each."""
    return list(
        dict.fromkeys(w for item in scenarios for w in model.resolve_baseline(item, data=data).warnings)
    )


@dataclass(frozen=True, eq=False)
class Audit(Collection[Verdict], Result):
    """Every claim's verdict, and the caveats of the baselines they were read against."""

    caveats: Sequence[str] = ()

    @property
    def title(self) -> str:
        return "Claims"

    def to_json(self) -> dict[str, Any]:
        return to_json(self, self.caveats)

    def rows(self) -> Rows:
        return [
            {
                "scenario": v.scenario,
                "quote": v.claim.quote,
                "what": v.what,
                "claimed": v.claimed,
                "computed": v.computed_text,
                "holds": "holds" if v.holds else "does not hold",
                "would hold if": v.would_hold_if,
            }
            for v in self
        ]

    def frame(self) -> pd.DataFrame:
        import pandas as pd

        records = [{k: v for k, v in verdict.to_json().items() if k != "claimed"} for verdict in self]
        return pd.DataFrame(records)


def to_json(verdicts: Sequence[Verdict], caveats: Sequence[str] = ()) -> dict[str, Any]:
    """``{"claims": [{"scenario", "quote", "source", "metric", "claimed", "computed", "holds", ...}],
    "warnings": [str]}``: the warnings are the notes the table prints on stderr."""
    return {"claims": [v.to_json() for v in verdicts], "warnings": list(caveats)}
