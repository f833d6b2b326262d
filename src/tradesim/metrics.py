"""Evaluation of one metric of one projection, and the tolerance rule: shared by claims and expectations.

Metrics: ``bilateral``, ``total``, ``rest_of_world``, ``share`` (in a ``year``, or ``at = "target"``: the year the
scenario's target is reached), ``reached_year`` (the first year the target is reached) and ``required_growth``
(the constant growth reaching the target in ``year``).

A value holds when ``|computed − value| ≤ atol + rtol · |value|`` (``rtol`` defaults to 1e-9 when neither is
given); a range holds when ``min ≤ computed ≤ max`` (either bound may be left out).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from tradesim import model, solve
from tradesim.data import Dataset
from tradesim.quantities import format_money, format_percent
from tradesim.schema import Assertion, Claim, Scenario

DEFAULT_RTOL = 1e-9


@dataclass(frozen=True)
class Evaluation:
    """What a metric came to: ``computed`` is ``None`` when it does not exist (target never reached)."""

    computed: float | None
    year: int | None
    holds: bool


def holds(assertion: Assertion, computed: float | None) -> bool:
    if computed is None or (isinstance(computed, float) and math.isnan(computed)):
        return False
    if assertion.value is not None:
        rtol = (
            assertion.rtol
            if assertion.rtol is not None
            else (0.0 if assertion.atol is not None else DEFAULT_RTOL)
        )
        return abs(computed - assertion.value) <= (assertion.atol or 0.0) + rtol * abs(assertion.value)
    low = assertion.min if assertion.min is not None else -math.inf
    high = assertion.max if assertion.max is not None else math.inf
    return low <= computed <= high


def target_of(
    scenario: Scenario, target: float | None = None, assertion: Assertion | None = None
) -> float | None:
    """The target an assertion is read against: given, else its own ``target``, else the scenario's first."""
    if target is not None:
        return target
    if assertion is not None and assertion.target is not None:
        return assertion.target
    return scenario.target.value if scenario.target is not None else None


def evaluate(assertion: Assertion, projection: model.Projection, target: float | None = None) -> Evaluation:
    """Compute ``assertion``'s metric on ``projection`` (or on the data, for a claim ``against = "data"``)."""
    scenario = projection.scenario
    goal = target_of(scenario, target, assertion)
    year = assertion.year
    if assertion.at == "target":
        year = projection.reached_year(goal) if goal is not None else None
        if year is None:
            return Evaluation(None, None, False)
    computed: float | None
    if assertion.metric == "reached_year":
        reached = projection.reached_year(goal) if goal is not None else None
        computed, year = (float(reached) if reached is not None else None), reached
    elif assertion.metric == "required_growth":
        assert year is not None  # the schema: required_growth needs a year ...
        assert goal is not None  # ... and the scenario a target
        computed = solve.required_growth(scenario, goal, year, baseline=projection.baseline).required_growth
    elif isinstance(assertion, Claim) and assertion.against == "data":
        assert year is not None
        computed = data_value(scenario, assertion.metric, year, projection.data)
    else:
        assert year is not None
        computed = projection.value(assertion.metric, year)
    return Evaluation(computed, year, holds(assertion, computed))


def data_value(scenario: Scenario, metric: str, year: int, data: Dataset) -> float | None:
    """The data's full-year figure for ``metric`` (bilateral, total, share) in ``year``, one reporter only."""
    bilateral = data.actual(scenario.reporter, scenario.partner, year, currency=scenario.currency)
    total = data.pick(
        reporter=scenario.reporter, partner="WLD", year=year, currency=scenario.currency, full_year_only=True
    )
    if metric == "bilateral":
        return bilateral.amount if bilateral else None
    if metric == "total":
        return total.amount if total else None
    if bilateral is None or total is None:
        return None
    return bilateral.amount / total.amount


def format_value(metric: str, value: float | None, currency: str = "USD") -> str:
    """A metric's value for people: money, percent, or a year."""
    if value is None:
        return "—"
    if metric in ("bilateral", "total", "rest_of_world"):
        return format_money(value, currency)
    if metric == "share":
        return format_percent(value)
    if metric == "required_growth":
        return f"{format_percent(value, 2, signed=True)}/yr"
    return str(int(value))


def format_claimed(assertion: Assertion, currency: str = "USD") -> str:
    """``$14.5B ± 1%``, ``16.7% ± 1.0 pp``, ``10.0%–12.0%``, ``≤ 2028``."""
    metric = assertion.metric

    def show(value: float | None) -> str:
        return format_value(metric, value, currency)

    if assertion.value is not None:
        if assertion.atol:
            tolerance = (
                f"{assertion.atol * 100:g} pp"
                if metric in ("share", "required_growth")
                else show(assertion.atol)
                if metric != "reached_year"
                else f"{assertion.atol:g} yr"
            )
            return f"{show(assertion.value)} ± {tolerance}"
        if assertion.rtol and assertion.rtol > DEFAULT_RTOL:
            return f"{show(assertion.value)} ± {assertion.rtol:.0%}"
        return show(assertion.value)
    if assertion.min is not None and assertion.max is not None:
        return f"{show(assertion.min)}–{show(assertion.max)}"
    return f"≥ {show(assertion.min)}" if assertion.min is not None else f"≤ {show(assertion.max)}"


def describe(assertion: Assertion, scenario: Scenario, year: int | None, target: float | None = None) -> str:
    """What the metric is, in words: ``KAZ–ITA share of KAZ's trade when $20.0B is reached (2027)``."""
    goal = target_of(scenario, target, assertion)
    money = format_money(goal, scenario.currency) if goal is not None else "the target"
    pair = f"{scenario.reporter}–{scenario.partner}"
    when = (
        f"when {money} is reached ({year if year else 'never'})" if assertion.at == "target" else f"in {year}"
    )
    source = " (full-year data)" if isinstance(assertion, Claim) and assertion.against == "data" else ""
    return {
        "bilateral": f"{pair} trade {when}{source}",
        "total": f"{scenario.reporter}'s total trade {when}{source}",
        "rest_of_world": f"{scenario.reporter}'s trade with the rest of the world {when}",
        "share": f"{scenario.partner}'s share of {scenario.reporter}'s trade {when}{source}",
        "reached_year": f"year {pair} trade reaches {money}",
        "required_growth": f"constant growth reaching {money} in {assertion.year}",
    }[assertion.metric]
