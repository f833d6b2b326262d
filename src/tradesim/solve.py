"""Goal seek: the inverse questions of a trade target, answered exactly.

- :func:`required_growth` — the constant bilateral growth reaching a target in a given year;
- :func:`reached` — the first year a target is reached, and the crossing time within that year;
- :func:`total_for_share` — the total trade at which an amount is a given share, against the scenario's;
- :func:`required_rest_growth` — the growth of the rest of trade giving a share in a year.

Plain constant growth has closed forms; scenarios with events (or an exports/imports split) are solved with
:func:`bracketed_root` (the Illinois method, a bracketing root finder), to a relative tolerance of 1e-12 on the rate.
Every answer carries a ``check``: the scenario re-run with the answer.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from tradesim import model
from tradesim.data import Dataset
from tradesim.errors import InputError, Problem, SolveError
from tradesim.output import Collection, Result, Rows
from tradesim.quantities import ParsedRate, format_money, format_percent
from tradesim.schema import MAX_YEARS, ConstantGrowth, Scenario

if TYPE_CHECKING:
    import pandas as pd

RATE_BRACKET = (-0.99, 10.0)  # (−99%, +1000%)
RATE_RTOL = 1e-12


@dataclass(frozen=True)
class GrowthAnswer:
    scenario: str
    baseline: float
    target: float
    by: int
    required_growth: float
    method: str  # "closed form" or "root finder"
    check: float  # bilateral trade in `by`, the scenario re-run with the answer
    leg: str | None = (
        None  # the product leg whose growth was solved (its volume's, for a price leg); None: all
    )
    leg_baseline: float | None = None  # that leg's base-year value


@dataclass(frozen=True)
class PriceAnswer:
    scenario: str
    leg: str  # the price leg, by its commodity
    target: float
    by: int
    required_price: float  # in `unit`, in `by`
    unit: str
    price_base: float  # the leg's price in the base year
    volume: float  # the leg's volume in `by` (the scenario's volume growth)
    method: str
    check: float  # bilateral trade in `by` with the answer


@dataclass(frozen=True)
class YearAnswer:
    scenario: str
    baseline: float
    target: float
    horizon: int
    reached_year: int | None
    crossing_years: float | None  # years after the base year, continuous compounding within the year
    check: float | None  # bilateral trade in reached_year: at or above the target
    check_before: (
        float | None
    )  # bilateral trade the year before: below it (None when reached in the base year)


@dataclass(frozen=True)
class ShareAnswer:
    scenario: str
    amount: float
    share: float
    year: int
    total: float  # amount / share
    rest_of_world: float  # total − amount
    reference_total: float  # the scenario's total trade in `year`
    change: float  # total − reference_total
    change_percent: float  # total / reference_total − 1
    base_year: int
    base_total: float

    @property
    def check(self) -> float:
        """``amount / total``: the share the answer gives back."""
        return self.amount / self.total

    def would_hold_if(self, reporter: str, currency: str = "USD") -> str:
        """``holds only if KAZ's total trade were $120.0B in 2027, 14% below 2023 ($139.8B)``."""
        versus = self.total / self.base_total - 1
        direction = "below" if versus < 0 else "above"
        return (
            f"holds only if {reporter}'s total trade were {format_money(self.total, currency)} in {self.year}, "
            f"{abs(versus):.0%} {direction} {self.base_year} ({format_money(self.base_total, currency)}); "
            f"the scenario has {format_money(self.reference_total, currency)}"
        )


@dataclass(frozen=True)
class RestGrowthAnswer:
    scenario: str
    share: float
    by: int
    required_rest_growth: float
    method: str
    check: float  # the share in `by`, the scenario re-run with the answer


@dataclass(frozen=True, eq=False)
class Answers(Collection[Any], Result):
    """The answers of one goal seek (``kind``: growth, year, share, rest-growth, price), one per scenario and
    baseline (``items``); ``solved`` says what was solved, ``display`` the rows people read (built here:
    :func:`growth_display` …), ``currencies`` and ``products`` each answer's scenario's."""

    kind: str = ""
    solved: str = ""
    display: Rows = field(default_factory=list)
    currencies: Sequence[str] = ()
    products: Sequence[str] = ()

    def __post_init__(self) -> None:
        super().__post_init__()
        object.__setattr__(self, "display", list(self.display))
        object.__setattr__(self, "currencies", tuple(self.currencies) or ("USD",) * len(self.items))
        object.__setattr__(self, "products", tuple(self.products) or ("",) * len(self.items))  # "HS 27"

    @property
    def title(self) -> str:
        return f"Solved: {self.solved}"

    def to_json(self) -> dict[str, Any]:
        results = [
            {
                **{
                    k: v for k, v in dataclasses.asdict(a).items() if v is not None or not k.startswith("leg")
                },
                "currency": c,
                **({"commodity": p} if p else {}),  # absent: the pair's trade in all goods
            }
            for a, c, p in zip(self, self.currencies, self.products, strict=True)
        ]
        return {"solve": self.kind, "solved": self.solved, "results": results}

    def rows(self) -> Rows:
        return self.display

    def frame(self) -> pd.DataFrame:
        """One row per answer, indexed by scenario."""
        import pandas as pd

        return pd.DataFrame(self.to_json()["results"]).set_index("scenario")


# --- the tables people read: built here, where the answers are (the command line only prints them) ---------


def _error(check: float, target: float) -> str:
    return f"(error {abs(check / target - 1):.0e})"


def growth_display(
    answers: Sequence[GrowthAnswer],
    scenarios: Sequence[Scenario],
    targets: Sequence[float],
    by: int,
    leg: str | None = None,
) -> Rows:
    """``solve growth``'s table: the required growth (of ``leg``, by its name, when one was solved) and the
    check, bilateral trade in ``by`` re-run with the answer, with its relative error against the target."""
    return [
        {
            "scenario": a.scenario,
            "baseline": format_money(a.baseline, s.currency),
            **(
                {f"{leg} {s.base_year}": format_money(a.leg_baseline, s.currency)}
                if a.leg_baseline is not None
                else {}
            ),
            f"required growth{f' of {leg}' if leg else ''}": f"{format_percent(a.required_growth, 2, signed=True)}/yr",
            "method": a.method,
            f"check: bilateral {by}": f"{format_money(a.check, s.currency, digits=3)} {_error(a.check, t)}",
        }
        for a, s, t in zip(answers, scenarios, targets, strict=True)
    ]


def price_display(
    answers: Sequence[PriceAnswer], scenarios: Sequence[Scenario], targets: Sequence[float], by: int
) -> Rows:
    """``solve price``'s table: the leg's price in the base year, the price needed in ``by``, the change."""
    return [
        {
            "scenario": a.scenario,
            f"price {s.base_year}": f"{a.price_base:,.2f} {a.unit}",
            f"required price {by}": f"{a.required_price:,.2f} {a.unit}",
            "change": f"{a.required_price / a.price_base - 1:+.1%}".replace("-", "−"),
            "method": a.method,
            f"check: bilateral {by}": f"{format_money(a.check, s.currency, digits=3)} {_error(a.check, t)}",
        }
        for a, s, t in zip(answers, scenarios, targets, strict=True)
    ]


def year_check(answer: YearAnswer, currency: str = "USD") -> str:
    """``$20.34B in 2028, $19.01B in 2027``: the path at and just before the year reached."""
    if answer.check is None or answer.reached_year is None:
        return "—"
    text = f"{format_money(answer.check, currency, digits=2)} in {answer.reached_year}"
    if answer.check_before is not None:
        text += f", {format_money(answer.check_before, currency, digits=2)} in {answer.reached_year - 1}"
    return text


def year_display(answers: Sequence[YearAnswer], scenarios: Sequence[Scenario]) -> Rows:
    """``solve year``'s table: the year reached (or not by the horizon), the crossing within it, the check."""
    return [
        {
            "scenario": a.scenario,
            "baseline": format_money(a.baseline, s.currency),
            "reached": str(a.reached_year) if a.reached_year else f"not by {a.horizon}",
            "crossing": "—"
            if a.crossing_years is None
            else f"{a.crossing_years:.2f} years after {s.base_year}",
            "check": year_check(a, s.currency),
        }
        for a, s in zip(answers, scenarios, strict=True)
    ]


def share_display(answers: Sequence[ShareAnswer], scenarios: Sequence[Scenario]) -> Rows:
    """``solve share``'s table: the total needed, the rest of the world, against the scenario's total."""
    rows = []
    for a, s in zip(answers, scenarios, strict=True):
        c = s.currency
        rows.append(
            {
                "scenario": a.scenario,
                "total needed": format_money(a.total, c),
                "rest of world": format_money(a.rest_of_world, c),
                "year": str(a.year),
                "scenario total": format_money(a.reference_total, c),
                "change": f"{format_money(a.change, c)} ({format_percent(a.change_percent, signed=True)})",
                "check": f"{format_money(a.amount, c)} / {format_money(a.total, c)} = {format_percent(a.check, 2)}",
            }
        )
    return rows


def rest_growth_display(answers: Sequence[RestGrowthAnswer], by: int) -> Rows:
    """``solve rest-growth``'s table: the rest of trade's required growth and the share it gives in ``by``."""
    return [
        {
            "scenario": a.scenario,
            "required rest growth": f"{format_percent(a.required_rest_growth, 2, signed=True)}/yr",
            "method": a.method,
            f"check: share {by}": format_percent(a.check, 3),
        }
        for a in answers
    ]


def _within(scenario: Scenario, year: int) -> Scenario:
    if year <= scenario.base_year:
        raise InputError(
            f"--by must be after the base year {scenario.base_year} of {scenario.name!r}, got {year}"
        )
    if year > scenario.base_year + MAX_YEARS:
        raise InputError(
            f"--by must be at most {MAX_YEARS} years after the base year {scenario.base_year} of "
            f"{scenario.name!r}, got {year}"
        )
    return scenario if year <= scenario.horizon_year else scenario.with_horizon(year)


def leg_index(scenario: Scenario, commodity: str) -> int:
    """The position of the leg ``commodity`` (``HS:27``) in ``scenario``; bad input when it has none."""
    found = [i for i, leg in enumerate(scenario.legs) if leg.commodity == commodity]
    if not found:
        has = ", ".join(leg.commodity for leg in scenario.legs)
        raise InputError(
            f"--leg {commodity}: scenario {scenario.name!r} has "
            + (f"no such leg (its legs: {has})" if has else "no [[legs]]")
        )
    return found[0]


def with_leg(scenario: Scenario, index: int, **update: Any) -> Scenario:
    """``scenario`` with leg ``index``'s fields replaced by ``update``."""
    legs = list(scenario.legs)
    legs[index] = legs[index].model_copy(update=update)
    copy = scenario.model_copy(update={"legs": tuple(legs)})
    copy._path = scenario.path
    return copy


def with_bilateral_rate(scenario: Scenario, rate: float, *, leg: int | None = None) -> Scenario:
    """``scenario`` with its bilateral growth (or exports and imports growth, or every product leg's; or leg
    ``leg``'s only) replaced by a constant ``rate``."""
    constant = ConstantGrowth(rate=ParsedRate(rate))
    if leg is not None:
        return with_leg(scenario, leg, growth=constant)
    if scenario.legs:
        copy = scenario.model_copy(
            update={"legs": tuple(each.model_copy(update={"growth": constant}) for each in scenario.legs)}
        )
        copy._path = scenario.path
        return copy
    growth = scenario.growth
    replaced = (
        growth.model_copy(update={"exports": constant, "imports": constant})
        if growth.split
        else growth.model_copy(update={"bilateral": constant})
    )
    copy = scenario.model_copy(update={"growth": replaced})
    copy._path = scenario.path
    return copy


def with_rest_rate(scenario: Scenario, rate: float) -> Scenario:
    """``scenario`` with the rest of the reporter's trade growing at a constant ``rate``."""
    if any(e.flow == "total" for e in scenario.events):
        raise SolveError(
            [
                Problem(
                    f"scenario {scenario.name!r} has events on total trade; rest-of-world growth cannot replace "
                    "its total growth",
                    scenario.path,
                )
            ]
        )
    growth = scenario.growth.model_copy(
        update={"rest_of_world": ConstantGrowth(rate=ParsedRate(rate)), "total": None}
    )
    copy = scenario.model_copy(update={"growth": growth})
    copy._path = scenario.path
    return copy


def _root(f: Callable[[float], float], what: str, scenario: Scenario) -> float:
    low, high = RATE_BRACKET
    f_low, f_high = f(low), f(high)
    if not (math.isfinite(f_low) and math.isfinite(f_high)) or f_low * f_high > 0:
        side = "even at +1000%/yr" if f_high < 0 else "even at −99%/yr"
        raise SolveError(
            [
                Problem(
                    f"scenario {scenario.name!r}: no constant rate in (−99%, +1000%) {what}: {side} it is "
                    "not reached",
                    scenario.path,
                )
            ]
        )
    return bracketed_root(f, low, high, f_low, f_high)


def bracketed_root(
    f: Callable[[float], float],
    a: float,
    b: float,
    f_a: float,
    f_b: float,
    *,
    rtol: float = RATE_RTOL,
    xtol: float = 1e-15,
    maxiter: int = 500,
) -> float:
    """A root of ``f`` between ``a`` and ``b``, where ``f_a = f(a)`` and ``f_b = f(b)`` differ in sign: the
    Illinois variant of regula falsi — the secant step, with the stale end's value halved so that both ends
    close in (superlinear, order about 1.44), and the root always inside the bracket. Stops when the bracket
    is within ``xtol + rtol·|x|``; a bisection step replaces any secant step that leaves the bracket."""
    if f_a == 0:
        return a
    for _ in range(maxiter):
        if f_b == 0:
            return b
        c = b - f_b * (b - a) / (f_b - f_a)
        if not min(a, b) < c < max(a, b):  # rounding pushed the secant out: bisect
            c = (a + b) / 2
        f_c = f(c)
        if f_c * f_b < 0:  # the root is between b and c: b becomes the other end
            a, f_a = b, f_b
        else:  # the same side as b again: a is stale, halve its weight
            f_a /= 2
        b, f_b = c, f_c
        if abs(b - a) <= xtol + rtol * abs(b):
            return b
    raise SolveError([Problem(f"no convergence after {maxiter} steps")])  # pragma: no cover


def _index(scenario: Scenario, year: int) -> int:
    return year - scenario.base_year


def required_growth(
    scenario: Scenario,
    target: float,
    by: int,
    *,
    baseline: model.ResolvedBaseline | None = None,
    data: Dataset | None = None,
    leg: str | None = None,
) -> GrowthAnswer:
    """The constant annual bilateral growth that makes bilateral trade equal ``target`` in ``by``; with ``leg``
    (``HS:27``), the growth of that product leg alone (of its volume, for a price leg), the others as in the
    scenario. A scenario with legs and no ``leg``: every leg at the one rate."""
    scenario = _within(scenario, by)
    base = baseline or model.resolve_baseline(scenario, data=data)
    if leg is not None:
        return _required_leg_growth(scenario, target, by, base, leg_index(scenario, leg))
    bilateral_events = [e for e in scenario.events if e.flow in ("bilateral", "exports", "imports")]
    priced = any(each.price is not None for each in scenario.legs)
    if not bilateral_events and not scenario.growth.split and not priced:
        rate, method = model.required_growth(base.bilateral, target, by - scenario.base_year), "closed form"
        if rate <= RATE_BRACKET[0] or rate >= RATE_BRACKET[1]:
            raise SolveError(
                [
                    Problem(
                        f"scenario {scenario.name!r}: reaching {format_money(target)} in {by} from "
                        f"{format_money(base.bilateral)} takes {format_percent(rate, signed=True)}/yr, outside "
                        "(−99%, +1000%)",
                        scenario.path,
                    )
                ]
            )
    else:
        years = np.arange(scenario.base_year, by + 1)

        def gap(rate: float) -> float:
            bilateral = model.paths(with_bilateral_rate(scenario, rate), base, years)[0]
            return float(bilateral[-1] / target - 1.0)

        rate, method = _root(gap, f"reaches {format_money(target)} in {by}", scenario), "root finder"
    # the check re-runs the scenario up to `by` only: what happens after it is not part of the answer
    years = np.arange(scenario.base_year, by + 1)
    check = float(model.paths(with_bilateral_rate(scenario, rate), base, years)[0][-1])
    return GrowthAnswer(scenario.name, base.bilateral, target, by, rate, method, check)


def _required_leg_growth(
    scenario: Scenario, target: float, by: int, base: model.ResolvedBaseline, index: int
) -> GrowthAnswer:
    """The constant growth of leg ``index`` alone reaching ``target`` in ``by``: closed form when nothing but
    its growth moves it (``((target − others_by) / leg_0)^(1/n) − 1``), else the root finder."""
    leg = scenario.legs[index]
    years = np.arange(scenario.base_year, by + 1)
    start = base.legs[index].value
    others = sum(
        float(path[-1])
        for commodity, path in model.leg_paths(scenario, base, years).items()
        if commodity != leg.commodity
    )
    touched = [
        e for e in scenario.events if e.leg == leg.commodity or (e.flow == "bilateral" and e.leg is None)
    ]
    if not touched and leg.price is None:
        left = target - others
        if left <= 0:
            raise SolveError(
                [
                    Problem(
                        f"scenario {scenario.name!r}: the other legs alone make {format_money(others, scenario.currency)} "
                        f"in {by}, at or above {format_money(target, scenario.currency)}: leg {leg.name} needs no growth",
                        scenario.path,
                    )
                ]
            )
        rate, method = model.required_growth(start, left, by - scenario.base_year), "closed form"
        if not RATE_BRACKET[0] < rate < RATE_BRACKET[1]:
            raise SolveError(
                [
                    Problem(
                        f"scenario {scenario.name!r}: leg {leg.name} would need {format_percent(rate, signed=True)}/yr, "
                        "outside (−99%, +1000%)",
                        scenario.path,
                    )
                ]
            )
    else:

        def gap(rate: float) -> float:
            bilateral = model.paths(with_bilateral_rate(scenario, rate, leg=index), base, years)[0]
            return float(bilateral[-1] / target - 1.0)

        rate = _root(gap, f"of leg {leg.name} reaches {format_money(target)} in {by}", scenario)
        method = "root finder"
    check = float(model.paths(with_bilateral_rate(scenario, rate, leg=index), base, years)[0][-1])
    return GrowthAnswer(scenario.name, base.bilateral, target, by, rate, method, check, leg.commodity, start)


def required_price(
    scenario: Scenario,
    target: float,
    by: int,
    leg: str,
    *,
    baseline: model.ResolvedBaseline | None = None,
    data: Dataset | None = None,
) -> PriceAnswer:
    """The price of leg ``leg`` in ``by`` that makes bilateral trade equal ``target`` then, its volume and the
    other legs as in the scenario. The path is affine in that price (``value = volume · price``, events
    relative or additive), so two runs give it exactly: ``p = (target − f(0)) / (f(1) − f(0))``."""
    scenario = _within(scenario, by)
    base = baseline or model.resolve_baseline(scenario, data=data)
    index = leg_index(scenario, leg)
    found = scenario.legs[index]
    if found.price is None:
        raise InputError(
            f"--leg {leg}: leg {found.name} of {scenario.name!r} has no price driver ([legs.price])"
        )
    years = np.arange(scenario.base_year, by + 1)
    prices, unit = model.price_path(scenario, index, base.data, years)

    def at(price: float) -> float:  # the scenario's own prices in every year, `price` in `by`
        stated = {**dict(zip(years.tolist(), prices.tolist(), strict=True)), by: price}
        assert found.price is not None
        priced = with_leg(scenario, index, price=found.price.model_copy(update={"prices": stated}))
        return float(model.paths(priced, base, years)[0][-1])

    low, high = at(0.0), at(1.0)
    if not high > low:
        raise SolveError(
            [
                Problem(
                    f"scenario {scenario.name!r}: leg {found.name}'s value does not rise with its price in {by}",
                    scenario.path,
                )
            ]
        )
    price = (target - low) / (high - low)
    if not price > 0:
        raise SolveError(
            [
                Problem(
                    f"scenario {scenario.name!r}: the rest makes {format_money(low, scenario.currency)} in {by} "
                    f"without leg {found.name}: at or above {format_money(target, scenario.currency)} at any price",
                    scenario.path,
                )
            ]
        )
    start = base.legs[index].value / float(prices[0])
    volume = float(model.underlying_path(found.growth, start, scenario.base_year, years)[-1])
    return PriceAnswer(
        scenario.name,
        leg,
        target,
        by,
        price,
        unit,
        float(prices[0]),
        volume,
        "closed form (affine in the price)",
        at(price),
    )


def reached(
    scenario: Scenario,
    target: float,
    *,
    baseline: model.ResolvedBaseline | None = None,
    data: Dataset | None = None,
) -> YearAnswer:
    """The first year bilateral trade reaches ``target`` and the crossing time in years after the base year.

    Within the crossing year growth is taken as continuous compounding: between ``x[y−1] < target ≤ x[y]``
    the crossing is at ``y − 1 + ln(target / x[y−1]) / ln(x[y] / x[y−1])`` (4.75 years at 7% from $14.5B).
    """
    projection = model.project(scenario, data=data, baseline=baseline)
    year = projection.reached_year(target)
    crossing = check = check_before = None
    if year is not None:
        i = _index(scenario, year)
        check = float(projection.bilateral[i])
        if i == 0:
            crossing = 0.0
        else:
            before, after = projection.bilateral[i - 1], projection.bilateral[i]
            check_before = float(before)
            fraction = math.log(target / before) / math.log(after / before) if after > before else 1.0
            crossing = (i - 1) + min(max(fraction, 0.0), 1.0)
    return YearAnswer(
        scenario.name,
        projection.baseline.bilateral,
        target,
        scenario.horizon_year,
        year,
        crossing,
        check,
        check_before,
    )


def total_for_share(
    scenario: Scenario,
    amount: float,
    share: float,
    *,
    year: int | None = None,
    baseline: model.ResolvedBaseline | None = None,
    data: Dataset | None = None,
) -> ShareAnswer:
    """The total trade at which ``amount`` is ``share`` of it (``amount / share``), against the scenario.

    ``year`` defaults to the year the scenario reaches ``amount``, else its base year.
    """
    if year is not None and year > scenario.horizon_year:
        scenario = scenario.with_horizon(year)
    projection = model.project(scenario, data=data, baseline=baseline)
    chosen = year if year is not None else (projection.reached_year(amount) or scenario.base_year)
    if chosen < scenario.base_year:
        raise InputError(f"--year must not be before the base year {scenario.base_year}, got {chosen}")
    total = amount / share
    reference = projection.value("total", chosen)
    return ShareAnswer(
        scenario.name,
        amount,
        share,
        chosen,
        total,
        total - amount,
        reference,
        total - reference,
        total / reference - 1.0,
        scenario.base_year,
        projection.baseline.total,
    )


def required_rest_growth(
    scenario: Scenario,
    share: float,
    by: int,
    *,
    baseline: model.ResolvedBaseline | None = None,
    data: Dataset | None = None,
) -> RestGrowthAnswer:
    """The constant growth of the rest of the reporter's trade making the partner's share ``share`` in ``by``."""
    scenario = _within(scenario, by)
    base = baseline or model.resolve_baseline(scenario, data=data)
    bilateral = model.project(scenario, baseline=base).value("bilateral", by)  # a valid path, or an error
    if bilateral <= 0:
        raise SolveError(
            [
                Problem(
                    f"scenario {scenario.name!r}: bilateral trade is zero in {by}, so no growth of the rest of "
                    f"trade makes it {format_percent(share)} of the total",
                    scenario.path,
                )
            ]
        )
    years = np.arange(scenario.base_year, by + 1)
    needed = bilateral * (1.0 - share) / share
    if not any(e.flow in ("rest_of_world", "total") for e in scenario.events):
        rate, method = (needed / base.rest_of_world) ** (1.0 / (by - scenario.base_year)) - 1.0, "closed form"
        if not RATE_BRACKET[0] < rate < RATE_BRACKET[1]:
            raise SolveError(
                [
                    Problem(
                        f"scenario {scenario.name!r}: a share of {format_percent(share)} in {by} takes rest-of-"
                        f"trade growth of {format_percent(rate, signed=True)}/yr, outside (−99%, +1000%)",
                        scenario.path,
                    )
                ]
            )
    else:

        def gap(rate: float) -> float:
            rest = model.paths(with_rest_rate(scenario, rate), base, years)[1][-1]
            return float(rest / needed - 1.0)

        rate, method = (
            _root(gap, f"gives a share of {format_percent(share)} in {by}", scenario),
            "root finder",
        )
    check = model.project(with_rest_rate(scenario, rate), baseline=base).value("share", by)
    return RestGrowthAnswer(scenario.name, share, by, float(rate), method, check)
