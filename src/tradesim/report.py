"""Results as data: each scenario's projection read against a target (:class:`ScenarioResult`), the results of
one run (:class:`Results`), how they are evaluated (:func:`evaluate`: targets in the scenario's currency, checked
for plausibility) and their JSON document (:func:`to_json`).

Split by job: the tables people read are :mod:`tradesim.summaries`, the caveats :mod:`tradesim.notes`, where a
pair stands against its target :mod:`tradesim.standing`. Nothing here prints; the CLI renders what these return.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any

from tradesim import model
from tradesim.data import Dataset, shipped
from tradesim.data.observation import Observation
from tradesim.errors import InputError, Problem, SolveError
from tradesim.notes import actual_conversions, figures_used, notes
from tradesim.output import Collection, Result, Rows
from tradesim.quantities import TargetAmount, format_money
from tradesim.schema import Scenario
from tradesim.summaries import (
    common,
    describe_growth,
    long_frame,
    spread,
    spread_display,
    summary,
    summary_display,
    title,
)

if TYPE_CHECKING:
    import pandas as pd


@dataclass(frozen=True)
class ScenarioResult:
    """A projection read against a target (and optionally a year to reach it ``by``)."""

    projection: model.Projection
    target: float
    by: int | None = None
    own_target: bool = False  # the target is the scenario's first [[targets]] entry (no --target given)
    target_note: str | None = None  # how a target in another currency was converted
    given: TargetAmount | None = None  # the target as given (None: the scenario's own [[targets]] entry)

    @property
    def scenario(self) -> Scenario:
        return self.projection.scenario

    @cached_property
    def reached_year(self) -> int | None:
        return self.projection.reached_year(self.target)

    @property
    def share_at_reached(self) -> float | None:
        year = self.reached_year
        return None if year is None else self.projection.value("share", year)

    @property
    def share_at_horizon(self) -> float:
        return float(self.projection.share[-1])

    @cached_property
    def required_growth(self) -> float | None:
        """The constant annual bilateral rate that reaches the target exactly in ``by``, in this scenario (its
        events and split included): :func:`tradesim.solve.required_growth`'s answer. ``None`` without ``by``,
        or when no rate in (−99%, +1000%) does it."""
        from tradesim import solve

        if self.by is None:
            return None
        try:
            answer = solve.required_growth(
                self.scenario, self.target, self.by, baseline=self.projection.baseline
            )
        except SolveError:
            return None
        return answer.required_growth

    def targets(self) -> list[dict[str, Any]]:
        """Every ``[[targets]]`` entry of the scenario read against this projection (none with ``--target``):
        value, year, label, the year reached, the share then, and the growth needed by its year."""
        if not self.own_target:
            return []
        found = []
        for target in self.scenario.targets:
            value, _ = in_currency(
                target.value, target.currency, self.scenario, target.year, data=self.projection.data
            )
            result = ScenarioResult(self.projection, value, target.year, own_target=True)
            found.append(
                {
                    "value": value,  # in the scenario's currency
                    "year": target.year,
                    "label": target.label,
                    "reached_year": result.reached_year,
                    "share_at_reached": result.share_at_reached,
                    "required_growth": result.required_growth,
                }
            )
        return found

    @property
    def actual_reached_year(self) -> int | None:
        return self.projection.actual_reached_year(self.target)

    @property
    def warnings(self) -> tuple[str, ...]:
        return self.projection.baseline.warnings


@dataclass(frozen=True, eq=False)
class Results(Collection[ScenarioResult], Result):
    """What :func:`evaluate` returns: the scenarios' results, in order (a list), as one result.

    ``rows()`` is the summary table, ``frame()`` every scenario's years in long form (index scenario, year),
    ``iamc()`` the IAMC rows; ``to_json()`` the documented contract, with the baseline spread when every
    published baseline was run (``all_baselines``)."""

    all_baselines: bool = False

    @property
    def title(self) -> str:
        return title(self)

    def to_json(self) -> dict[str, Any]:
        document = to_json(self)
        if self.all_baselines:
            document["spread"] = spread(self)
        return document

    def rows(self) -> Rows:
        return summary_display(self)

    def frame(self) -> pd.DataFrame:
        return long_frame(self).set_index(["scenario", "year"])

    def iamc(self) -> Sequence[tuple[Any, ...]]:
        from tradesim import iamc

        return iamc.projection_rows(self)

    def tables(self) -> list[tuple[str, Rows]]:
        found = [(self.title, self.rows())]
        if self.all_baselines:
            found.append(("Baseline spread: min–max over baselines", spread_display(self)))
        return found

    def notes(self) -> list[str]:
        return notes(self)

    def workbook(self) -> dict[str, pd.DataFrame]:
        """The workbook an analyst would build: the answer first (reached year, share then, required growth),
        the years, then every figure's source and the notes."""
        import pandas as pd

        answer = summary(self).assign(currency=[r.scenario.currency for r in self])
        sources = pd.DataFrame(
            [
                {"scenario": r.scenario.name, "used as": what, **o.provenance()}
                for r in self
                for what, o in figures_used(r)
            ]
        )
        notes_sheet = pd.DataFrame({"note": notes(self)})
        return {"answer": answer, "years": long_frame(self), "sources": sources, "notes": notes_sheet}


def evaluate(
    scenarios: Iterable[Scenario],
    *,
    target: TargetAmount | float | None = None,
    by: int | None = None,
    horizon: int | None = None,
    full_year: bool = False,
    all_baselines: bool = False,
    data: Dataset | None = None,
) -> Results:
    """Project every scenario on ``data`` (default: the shipped data) and read it against ``target`` (default:
    the scenario's own first target).

    ``by`` defaults to the year of the scenario's own target when that target is used. With
    ``all_baselines`` each scenario is run once per published base-year baseline (the baseline spread). A
    target without a currency is in the scenarios' (refused when they use more than one:
    :meth:`~tradesim.quantities.TargetAmount.settled`); one in another currency (or a ``[[targets]]`` entry's)
    is converted at the rate of its year (``by``), else of the last full year, held
    (:meth:`tradesim.data.Dataset.rate`), and a note says so. A bare number far below the pair's actuals is
    refused (:func:`plausible_target`). A plain float is a target in the scenarios' currency.
    """
    data = data or shipped()
    scenarios = list(scenarios)
    if target is not None and not isinstance(target, TargetAmount):
        target = TargetAmount(float(target), None, f"{float(target):.15g}", "target")
    if target is not None:
        target = target.settled({s.currency for s in scenarios})
    results: list[ScenarioResult] = []
    for given in scenarios:
        scenario = given.with_horizon(horizon) if horizon is not None else given
        own = scenario.target
        if target is None and own is None:
            raise InputError(
                [
                    Problem(
                        f"scenario {scenario.name!r} has no target: add [[targets]] or pass --target AMOUNT",
                        scenario.path,
                    )
                ]
            )
        chosen = target.amount if target is not None else own.value  # type: ignore[union-attr]
        year = by if by is not None else (own.year if target is None and own is not None else None)
        written_in = target.currency if target is not None else own.currency  # type: ignore[union-attr]
        chosen, converted = in_currency(chosen, written_in, scenario, year, data=data)
        if target is not None and target.source == "--target":
            plausible_target(target.text, chosen, scenario, data)
        if year is not None and year <= scenario.base_year:
            raise InputError(
                f"--by must be after the base year {scenario.base_year} of {scenario.name!r}, got {year}"
            )
        plausible_scenario(scenario, data)
        baselines = model.baseline_variants(scenario, data=data) if all_baselines else [None]
        for baseline in baselines:
            projection = model.project(scenario, data=data, full_year=full_year, baseline=baseline)
            results.append(ScenarioResult(projection, chosen, year, target is None, converted, target))
    return Results(results, all_baselines=all_baselines)


def _latest(data: Dataset, reporter: str, partner: str, currency: str) -> Observation | None:
    """The pair's latest full-year actual in ``currency`` (the reporter's own statistics)."""
    return _last(data.full_years(reporter, partner, currency=currency))


def _last(series: dict[int, Observation]) -> Observation | None:
    return series[max(series)] if series else None


def _implausible(shown: str, amount: float, scenario: Scenario, against: str, latest: Observation) -> str:
    """The sentence that says why a bare number is taken for a missing scale, and how to mean it."""
    return (
        f"{shown} has no scale: {amount:.15g} {scenario.currency} is below a millionth of "
        f"{scenario.reporter}–{against} trade ({latest.label()}); did you mean {shown}B? (write "
        f"{shown} {scenario.currency} to mean {amount:.15g} units)"
    )


def plausible_target(text: str, amount: float, scenario: Scenario, data: Dataset | None = None) -> None:
    """Bad input when ``text`` is a bare number (no scale, no currency) below a millionth of the pair's latest
    full-year actual in ``data``: ``--target 5000000`` on a tenge pair whose trade is KZT 9.1T is a missing B,
    not a target. Written with a unit (``5000000 KZT``), it is taken as it is."""
    from tradesim.quantities import has_no_scale

    if not has_no_scale(text):
        return
    latest = _latest(data or shipped(), scenario.reporter, scenario.partner, scenario.currency)
    if latest is not None and amount < latest.amount * 1e-6:
        raise InputError(f"--target {_implausible(text, amount, scenario, scenario.partner, latest)}")


def plausible_scenario(scenario: Scenario, data: Dataset | None = None) -> None:
    """The same rule for a scenario file's own amounts: a ``[[targets]]`` value or a ``[baseline]`` amount
    written as a bare number below a millionth of the pair's latest full-year actual (the reporter's total
    trade for ``total`` and ``rest_of_world``) is bad input naming the file, the line and the key; so is an
    ``[[events]]`` amount whose size is that small (``amount = 1.5``: a missing B, not $1.50)."""
    from tradesim.data.dataset import WORLD
    from tradesim.scenario import _dotted, locate_in

    data = data or shipped()
    checks: list[tuple[tuple[int | str, ...], float, str]] = []  # (key path, amount, partner compared with)
    for i, target in enumerate(scenario.targets):
        if target.plain:
            checks.append((("targets", i, "value"), target.value, scenario.partner))
    for name in sorted(scenario.baseline.plain):
        against = WORLD if name in ("total", "rest_of_world") else scenario.partner
        checks.append((("baseline", name), getattr(scenario.baseline, name), against))
    for i, event in enumerate(scenario.events):  # a change, up or down: its size is what is judged
        if event.plain and event.amount:
            against = WORLD if event.flow in ("total", "rest_of_world") else scenario.partner
            checks.append((("events", i, "amount"), event.amount, against))
    problems = []
    for key, amount, against in checks:
        latest = _latest(data, scenario.reporter, against, scenario.currency)
        if latest is None or abs(amount) >= latest.amount * 1e-6:
            continue
        problems.append(
            Problem(
                _implausible(f"{amount:.15g}", amount, scenario, against, latest),
                *locate_in(scenario, key),  # the file of the chain that wrote it, and its line
                _dotted(key),
            )
        )
    if problems:
        raise InputError(problems)


def in_currency(
    amount: float,
    currency: str | None,
    scenario: Scenario,
    year: int | None,
    *,
    data: Dataset | None = None,
) -> tuple[float, str | None]:
    """``amount`` (in ``currency``; ``None``: the scenario's) in the scenario's currency, at the annual rate of
    ``year`` — a future year's is the last full year's, held; without a year, the horizon's (the same) — and
    the note saying so (``None`` when nothing was converted). Rates: ``data``'s ``kind = fx`` rows first."""
    if currency is None or currency == scenario.currency:
        return amount, None
    when = year or scenario.horizon_year
    path = scenario.fx.get(currency)
    if path:  # the scenario's own assumption for future rates
        chosen = max((y for y in path if y <= when), default=min(path))
        value = path[chosen]
        note = (
            f"{scenario.name}: target {format_money(amount, currency)} = "
            f"{format_money(amount * value, scenario.currency)} at {value:.6g} {scenario.currency} per {currency} "
            f"({when}: the scenario's [fx] path, its {chosen} entry)"
        )
        return amount * value, note
    rate = (data or shipped()).rate(currency, scenario.currency, when)
    if rate is None:
        raise InputError(
            [
                Problem(
                    f"scenario {scenario.name!r} is in {scenario.currency}: no {currency}→{scenario.currency} rate "
                    f"converts a target of {format_money(amount, currency)} (add a kind = fx row to your data)",
                    scenario.path,
                )
            ]
        )
    note = (
        f"{scenario.name}: target {format_money(amount, currency)} = "
        f"{format_money(amount * rate.value, scenario.currency)} at {rate.describe()}"
    )
    return amount * rate.value, note


# --------------------------------------------------------------------------------------------------- JSON
def _number(value: Any) -> Any:
    if value is None:
        return None
    value = float(value)
    return None if math.isnan(value) else value


def _legs_json(r: ScenarioResult) -> list[dict[str, Any]]:
    """A scenario's product legs: each with its base value, how it was set and its source or status."""
    return [
        {
            "commodity": b.leg.commodity,
            "name": b.name,
            "baseline": b.value,
            "baseline_how": b.how,
            "baseline_source": b.source.provenance() if b.source else None,
            "status": b.leg.status if b.source is None and b.leg.commodity != "rest" else None,
            "source": b.leg.source or None,
            "growth": describe_growth(b.leg.growth, r.scenario.currency),
            "price": b.leg.price.model_dump() if b.leg.price else None,
        }
        for b in r.projection.baseline.legs
    ]


def to_json(results: Sequence[ScenarioResult]) -> dict[str, Any]:
    """The documented JSON contract of ``tradesim project --format json`` (README "JSON output")."""
    scenarios = []
    for r in results:
        baseline = r.projection.baseline
        scenarios.append(
            {
                "name": r.scenario.name,
                "scenario": r.scenario.name,  # the name every other command's JSON uses ("name" kept as it was)
                "reporter": r.scenario.reporter,
                "partner": r.scenario.partner,
                **({"commodity": r.scenario.commodity} if r.scenario.commodity else {}),  # absent: all goods
                "currency": r.scenario.currency,
                "description": r.scenario.description,
                "file": str(r.scenario.path) if r.scenario.path else None,
                "base_year": r.scenario.base_year,
                "baseline": baseline.bilateral,
                "baseline_total": baseline.total,
                "baseline_sources": {
                    "bilateral": baseline.bilateral_source.provenance()
                    if baseline.bilateral_source
                    else None,
                    "total": baseline.total_source.provenance() if baseline.total_source else None,
                },
                "target": r.target,  # in the scenario's currency
                "target_given": r.given.to_json() if r.given is not None else None,
                "target_note": r.target_note,
                "by": r.by,
                "reached_year": r.reached_year,
                "share_at_reached": r.share_at_reached,
                "required_growth": r.required_growth,
                "actual_reached_year": r.actual_reached_year,
                "warnings": list(r.warnings),
                "conversions": [
                    *(w for w in r.warnings if " was converted from " in w),
                    *actual_conversions(r),
                    *([r.target_note] if r.target_note else []),
                ],
                "targets": r.targets(),  # every [[targets]] entry; [] with --target
                **({"legs": _legs_json(r)} if baseline.legs else {}),  # a scenario without legs: as before
                "years": [
                    {"year": int(row["year"]), **{k: _number(v) for k, v in row.items() if k != "year"}}
                    for row in r.projection.rows(r.target)
                ],
            }
        )
    return {
        "target": common([r.target for r in results]),
        "by": common([r.by for r in results]),
        "currency": common([r.scenario.currency for r in results]),  # null when scenarios differ
        "scenarios": scenarios,
    }


__all__ = [
    "Results",
    "ScenarioResult",
    "evaluate",
    "in_currency",
    "plausible_scenario",
    "plausible_target",
    "to_json",
]
