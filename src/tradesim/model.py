"""Growth paths and projection: a scenario plus its baseline → yearly bilateral, rest-of-world, total, share.

Each flow's path is its growth model's underlying level ``U_t`` with the scenario's events laid on it::

    x_t = U_t · Π_e (1 + relative_e · ramp_e(t)) + Σ_e amount_e · ramp_e(t)

``ramp_e(t)`` is 0 before the event's year; for a permanent event it rises linearly to 1 over
``ramp_years`` (``min(1, (t − year + 1) / ramp_years)``); a one-off event is 1 in its year only.
Every year: ``total = bilateral + rest_of_world`` and ``share = bilateral / total``.

A scenario with product legs (``[[legs]]``) grows each leg on its own path, events on a leg laid on that
leg only, and ``bilateral = Σ legs`` (an identity: the pair's path is computed as the sum). A leg with a price
driver is ``value_t = volume_t · price_t``: its growth model grows the volume from ``value_0 / price_0``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

import numpy as np

from tradesim.data import Dataset, Observation, shipped
from tradesim.data.observation import ALL_GOODS, Product
from tradesim.errors import DataError, Problem, ScenarioError
from tradesim.quantities import format_money, format_percent
from tradesim.reference import reference
from tradesim.schema import REST, Event, GrowthModel, Leg, Scenario

if TYPE_CHECKING:
    import pandas as pd

# A target counts as reached when the path is within this relative distance below it: floating point makes
# 14.5e9 · (20/14.5) land a hair under 20e9.
REACHED_RTOL = 1e-9
# A projected flow beyond this is outside the finite domain: inputs are at most 1e15 (quantities.MAX_AMOUNT),
# and only growth compounding over many years gets here; sums, shares and logs of it stay finite below it.
MAX_PATH = 1e18


@dataclass(frozen=True)
class LegBaseline:
    """A product leg's base-year value and where it came from (``source``: the data's figure, else the file)."""

    leg: Leg
    value: float
    source: Observation | None
    how: str  # "90% of the 2023 bilateral trade (approximate; source: ...)"

    @property
    def name(self) -> str:
        return self.leg.name


@dataclass(frozen=True)
class ResolvedBaseline:
    """Base-year values in currency units, each with the observation it came from (``None``: the file)."""

    bilateral: float
    rest_of_world: float
    bilateral_source: Observation | None
    total_source: Observation | None
    exports: float | None = None
    imports: float | None = None
    warnings: tuple[str, ...] = ()
    data: Dataset = field(default_factory=shipped, repr=False, compare=False)  # what it was resolved from
    legs: tuple[LegBaseline, ...] = ()  # a scenario with [[legs]]: each leg's base value, in the file's order

    @property
    def total(self) -> float:
        return self.bilateral + self.rest_of_world


def resolve_baseline(
    scenario: Scenario,
    *,
    data: Dataset | None = None,
    full_year: bool = False,
    observation: Observation | None = None,
) -> ResolvedBaseline:
    """Fill what the scenario's ``[baseline]`` leaves out from ``data`` (default: the shipped data), never
    mixing reporters.

    ``observation`` replaces the data's default bilateral observation (used for the baseline spread). A
    :class:`DataError` names the scenario's file and the key that would have supplied the missing figure.
    """
    try:
        return _resolve_baseline(scenario, data or shipped(), full_year=full_year, observation=observation)
    except DataError as error:
        raise DataError(
            [Problem(p.message, p.file or scenario.path, p.line, p.key) for p in error.problems]
        ) from None


def _resolve_baseline(
    scenario: Scenario, data: Dataset, *, full_year: bool, observation: Observation | None
) -> ResolvedBaseline:
    spec, year = scenario.baseline, scenario.base_year
    warnings: list[str] = []
    bilateral_source = None
    if spec.exports is not None and spec.imports is not None:
        bilateral = spec.exports + spec.imports
    elif spec.bilateral is not None:
        bilateral = spec.bilateral
    elif scenario.product is not None:  # one product's trade: the same reporter's figure for it
        bilateral_source = observation or product_baseline(scenario, data, full_year=full_year)
        bilateral = bilateral_source.amount
        if not bilateral > 0:
            raise DataError(
                [
                    located(
                        scenario,
                        f"scenario {scenario.name!r}: the {scenario.commodity_name} baseline from the data is "
                        f"{bilateral:g} ({bilateral_source.origin}); a projection needs a positive one",
                        "commodity",
                    )
                ]
            )
        warnings += data.caveats(bilateral_source, f"{bilateral_source.what} baseline")
    else:
        period = spec.bilateral_period or (
            "FY" if full_year else reference().baseline_period(scenario.reporter, scenario.partner, year)
        )
        bilateral_source = observation or data.bilateral_baseline(
            scenario.reporter, scenario.partner, year, period=period, currency=scenario.currency
        )
        bilateral = bilateral_source.amount
        if not bilateral > 0:  # a growth path starts from a positive level (0 never grows)
            where = bilateral_source.origin if bilateral_source.origin != "shipped" else "the shipped data"
            raise DataError(
                [
                    Problem(
                        f"scenario {scenario.name!r}: the bilateral baseline from the data is {bilateral:g} "
                        f"({where}); a projection needs a positive one: give [baseline] bilateral",
                        scenario.path,
                        None,
                        "baseline.bilateral",
                    )
                ]
            )
        warnings += data.caveats(bilateral_source, "bilateral baseline")
    total_source = None
    if spec.rest_of_world is not None:
        rest = spec.rest_of_world
    else:
        if spec.total is not None:
            total = spec.total
        else:
            total_source = data.total_baseline(scenario.reporter, year, currency=scenario.currency)
            total = total_source.amount
            warnings += data.caveats(total_source, f"{scenario.reporter} total trade")
        rest = total - bilateral
        if rest <= 0:
            raise ScenarioError(
                [
                    Problem(
                        f"scenario {scenario.name!r}: total trade {total:g} is not above bilateral trade "
                        f"{bilateral:g} in {year}",
                        scenario.path,
                        None,
                        "baseline.total",
                    )
                ]
            )
    legs = _leg_baselines(scenario, data, bilateral, bilateral_source, warnings)
    return ResolvedBaseline(
        bilateral,
        rest,
        bilateral_source,
        total_source,
        spec.exports,
        spec.imports,
        tuple(warnings),
        data,
        legs,
    )


def located(scenario: Scenario, message: str, key: str) -> Problem:
    """A problem with ``key`` of ``scenario``'s file: the file of its ``extends`` chain that sets the key, and
    the line (read again, on the way to an error message)."""
    from tradesim.scenario import _split_key, locate_in

    return Problem(message, *locate_in(scenario, _split_key(key)), key)


def product_name(scenario: Scenario, base: ResolvedBaseline) -> str:
    """The product a scenario of one product models, as its figure's classification says (``HS 27`` for a
    ``--commodity 27`` read from an H5 row), else as the scenario names it; ``""`` for all goods."""
    from tradesim.data.observation import classification_family

    source = base.bilateral_source
    if scenario.commodity and source is not None and not source.is_total:
        return f"{classification_family(source.classification)} {source.commodity}"
    return scenario.commodity_name


def product_of(scenario: Scenario, data: Dataset) -> Product:
    """The product a scenario models, with its classification family (:meth:`~tradesim.data.Dataset.product`:
    its own, or the one the data writes a bare code in for the pair); all goods for the pair's trade."""
    if scenario.product is None:
        return ALL_GOODS
    code, family = scenario.product
    if family is not None:
        return code, family
    try:
        return data.product(scenario.reporter, scenario.partner, scenario.commodity)
    except DataError as error:
        if "hold no" in error.problems[0].message:
            return code, None  # no row at all: the baseline's lookup says what is missing
        raise DataError([located(scenario, p.message, "commodity") for p in error.problems]) from None


def product_baseline(scenario: Scenario, data: Dataset, *, full_year: bool = False) -> Observation:
    """The base-year figure of the scenario's product by the selection rule (its own period, or ``FY``)."""
    code, family = product_of(scenario, data)
    period = scenario.baseline.bilateral_period or ("FY" if full_year else None)
    try:
        return data.bilateral_baseline(
            scenario.reporter, scenario.partner, scenario.base_year, period=period, currency=scenario.currency,
            commodity=code, family=family,
        )  # fmt: skip
    except DataError as error:
        raise DataError(
            [
                located(
                    scenario,
                    p.message.replace("set baseline.bilateral", "set baseline.bilateral (the product's)"),
                    "commodity",
                )
                for p in error.problems
            ]
        ) from None


def _leg_baselines(
    scenario: Scenario,
    data: Dataset,
    bilateral: float,
    bilateral_source: Observation | None,
    warnings: list[str],
) -> tuple[LegBaseline, ...]:
    """Each named leg's base value (a stated share of the bilateral baseline, a stated amount, or the same
    reporter's figure for the product and period in the data), and the rest as what they leave."""
    if not scenario.legs:
        return ()
    from tradesim.data.observation import classification_family

    year, currency = scenario.base_year, scenario.currency
    found: list[LegBaseline | None] = []
    for i, leg in enumerate(scenario.legs):
        key = f"legs[{i}]"
        if leg.commodity == REST:
            found.append(None)
            continue
        stated = f"{leg.status}; {leg.source}"
        if leg.amount is not None:
            found.append(
                LegBaseline(
                    leg, leg.amount, None, f"{format_money(leg.amount, currency)} in {year} ({stated})"
                )
            )
        elif isinstance(leg.share, float):
            found.append(
                LegBaseline(
                    leg,
                    leg.share * bilateral,
                    None,
                    f"{format_percent(leg.share)} of the {year} bilateral trade ({stated})",
                )
            )
        else:  # from data: the same reporter's figure for the product, for the bilateral baseline's period
            period = bilateral_source.period if bilateral_source is not None else "FY"
            observation = data.pick(
                reporter=scenario.reporter,
                partner=scenario.partner,
                year=year,
                period=period,
                currency=currency,
                commodity=leg.code,
                family=classification_family(leg.classification),
            )
            if observation is None:
                raise DataError(
                    [
                        located(
                            scenario,
                            f"leg {leg.commodity}: the data holds no {scenario.reporter}-reported {currency} figure "
                            f"for {leg.name} of {scenario.reporter}–{scenario.partner} trade in {year} (period "
                            f'{period}); state share = "..%" or amount with its source',
                            f"{key}.share",
                        )
                    ]
                )
            warnings += data.caveats(observation, f"{leg.name} leg")
            found.append(
                LegBaseline(
                    leg, observation.amount, observation, f"{observation.label()} ({observation.source})"
                )
            )
    named = sum(b.value for b in found if b is not None)
    if not named < bilateral:
        raise DataError(
            [
                located(
                    scenario,
                    f"the named legs add up to {format_money(named, currency)} in {year}, not below the bilateral "
                    f"baseline {format_money(bilateral, currency)}: nothing is left for the rest leg",
                    "legs",
                )
            ]
        )
    rest = bilateral - named
    return tuple(
        b
        if b is not None
        else LegBaseline(
            leg,
            rest,
            None,
            f"the {year} bilateral trade less the named legs",
        )
        for leg, b in zip(scenario.legs, found, strict=True)
    )


def baseline_variants(scenario: Scenario, *, data: Dataset | None = None) -> list[ResolvedBaseline]:
    """One resolved baseline per distinct published bilateral figure for the base year (the baseline spread).

    A scenario that fixes its bilateral baseline in the file has exactly one.
    """
    data = data or shipped()
    spec = scenario.baseline
    if spec.bilateral is not None or spec.exports is not None or scenario.commodity is not None:
        return [resolve_baseline(scenario, data=data)]
    found = data.baseline_alternatives(
        scenario.reporter, scenario.partner, scenario.base_year, currency=scenario.currency
    )
    return [resolve_baseline(scenario, data=data, observation=o) for o in found] or [
        resolve_baseline(scenario, data=data)
    ]


def underlying_path(model: GrowthModel, start: float, base_year: int, years: np.ndarray) -> Any:
    """The growth model's level in each of ``years`` (the first is ``base_year``, valued ``start``): the
    model's own :meth:`~tradesim.schema.ConstantGrowth.path`."""
    return model.path(start, base_year, years)


def event_ramp(event: Event, years: np.ndarray) -> Any:
    """How much of ``event`` is in force each year, from 0 to 1."""
    if event.kind == "one-off":
        return (years == event.year).astype(float)
    return np.clip((years - event.year + 1) / event.ramp_years, 0.0, 1.0)


def apply_events(
    path: np.ndarray,
    events: Sequence[Event],
    years: np.ndarray,
    *,
    ramps: Sequence[np.ndarray] | None = None,
    weights: Sequence[np.ndarray | None] | None = None,
) -> Any:
    """The one event kernel (module docstring): ``path · Π(1 + relative·w·ramp) + Σ amount·w·ramp``.

    ``path`` has the years on its last axis and any leading axes (the grid's values, the Monte Carlo's runs);
    ``ramps`` are the events' ramps when already computed; ``weights[i]`` multiplies event ``i``'s ramp and
    broadcasts against ``path`` (the Monte Carlo's 0/1 per run for an event that may not happen; ``None``: it
    does)."""
    factor = np.ones_like(path)
    added = np.zeros_like(path)
    for i, event in enumerate(events):
        ramp = ramps[i] if ramps is not None else event_ramp(event, years)
        weight = weights[i] if weights is not None else None
        share = ramp if weight is None else ramp * weight
        if event.relative is not None:
            factor *= 1.0 + event.relative * share
        else:
            added += (event.amount or 0.0) * share
    return path * factor + added


def relative_log_factor(
    log_path: np.ndarray,
    events: Sequence[Event],
    years: np.ndarray,
    *,
    ramps: Sequence[np.ndarray] | None = None,
    weights: Sequence[np.ndarray | None] | None = None,
) -> None:
    """The same kernel in log space, in place, for relative events only (the Monte Carlo's fast path, which
    works on log levels): ``log_path += Σ w · ln(1 + relative·ramp)``, with each weight 0 or 1 (an event
    happens in a run or not), so that ``w · ln(1 + r·ramp) = ln(1 + r·w·ramp)``: :func:`apply_events`' factor."""
    for i, event in enumerate(events):
        ramp = ramps[i] if ramps is not None else event_ramp(event, years)
        weight = weights[i] if weights is not None else None
        effect = np.log1p((event.relative or 0.0) * ramp)
        log_path += effect if weight is None else effect * weight


@dataclass(frozen=True)
class Projection:
    """One scenario projected year by year. Arrays are indexed like ``years`` (base year first)."""

    scenario: Scenario
    baseline: ResolvedBaseline
    years: np.ndarray
    bilateral: np.ndarray
    rest_of_world: np.ndarray
    exports: np.ndarray | None = None
    imports: np.ndarray | None = None
    actuals: dict[int, Observation] = field(default_factory=dict)
    legs: dict[str, np.ndarray] = field(
        default_factory=dict
    )  # product legs by commodity; they sum to bilateral

    @property
    def data(self) -> Dataset:
        """The observations the baseline and the actuals came from."""
        return self.baseline.data

    @cached_property
    def total(self) -> Any:
        return self.bilateral + self.rest_of_world

    @cached_property
    def share(self) -> Any:
        return self.bilateral / self.total

    @cached_property
    def growth(self) -> Any:
        """Year-on-year growth of bilateral trade, events included (NaN in the base year, and after a year of
        zero trade, where growth has no meaning)."""
        before, after = self.bilateral[:-1], self.bilateral[1:]
        with np.errstate(divide="ignore", invalid="ignore"):
            rates = np.where(before > 0, after / np.where(before > 0, before, 1.0) - 1.0, math.nan)
        return np.concatenate(([math.nan], rates))

    def value(self, metric: str, year: int) -> float:
        """``bilateral``, ``rest_of_world``, ``total`` or ``share`` in ``year``."""
        index = int(year - self.years[0])
        if not 0 <= index < len(self.years):
            raise ScenarioError(
                [
                    Problem(
                        f"scenario {self.scenario.name!r} is projected for {self.years[0]}–{self.years[-1]}, "
                        f"not {year}",
                        self.scenario.path,
                    )
                ]
            )
        return float(getattr(self, metric)[index])

    def reached_year(self, target: float) -> int | None:
        """The first year (base year included) with bilateral trade at or above ``target``."""
        hits = np.flatnonzero(self.bilateral >= target * (1.0 - REACHED_RTOL))
        return int(self.years[hits[0]]) if hits.size else None

    def actual_reached_year(self, target: float) -> int | None:
        """The first year after the base year whose full-year actual is at or above ``target``."""
        return min(
            (y for y, o in self.actuals.items() if o.amount >= target * (1.0 - REACHED_RTOL)), default=None
        )

    def rows(self, target: float | None = None) -> list[dict[str, float]]:
        """The per-year rows: year, bilateral, rest_of_world, total, share, growth, gap_to_target, actual
        (and exports, imports for a split scenario; ``leg:HS:27``, ``leg:rest``, … for one with product legs).

        Plain floats (NaN where there is no value), without pandas: ``tradesim project`` never imports it.
        """
        columns = {
            "bilateral": self.bilateral.tolist(),
            "rest_of_world": self.rest_of_world.tolist(),
            "total": self.total.tolist(),
            "share": self.share.tolist(),
            "growth": self.growth.tolist(),
        }
        if self.exports is not None and self.imports is not None:  # a split scenario: its two legs too
            columns["exports"] = self.exports.tolist()
            columns["imports"] = self.imports.tolist()
        for commodity, values in self.legs.items():
            columns[f"leg:{commodity}"] = values.tolist()
        rows = []
        for i, year in enumerate(self.years.tolist()):
            row: dict[str, float] = {"year": year, **{name: values[i] for name, values in columns.items()}}
            row["gap_to_target"] = target - row["bilateral"] if target is not None else math.nan
            observed = self.actuals.get(year)
            row["actual"] = observed.amount if observed is not None else math.nan
            rows.append(row)
        return rows

    def frame(self, target: float | None = None) -> pd.DataFrame:
        """:meth:`rows` as a DataFrame."""
        import pandas as pd

        return pd.DataFrame(self.rows(target))


def price_path(scenario: Scenario, index: int, data: Dataset, years: np.ndarray) -> tuple[Any, str]:
    """Leg ``index``'s price each year, and its unit: the year's stated entry, else the data series' full-year
    figure (the selection rule's), else the latest stated entry before it. A year with none is bad input."""
    leg = scenario.legs[index]
    price = leg.price
    assert price is not None
    key = f"legs[{index}].price"

    def bad(message: str, where: str = key) -> DataError:
        return DataError([located(scenario, f"leg {leg.commodity}: {message}", where)])

    series: dict[int, Observation] = {}
    if price.series is not None:
        from tradesim.data.dataset import rank
        from tradesim.data.observation import STATUS_RANK

        rows = [
            o
            for o in data.select(kind="price", commodity=price.series, period="FY")
            if o.status in STATUS_RANK
        ]
        if not rows:
            raise bad(
                f"the data has no full-year price series {price.series!r} (kind = price)", f"{key}.series"
            )
        for o in sorted(rows, key=rank):
            series.setdefault(o.year, o)
        units = {o.unit for o in rows}
        if len(units) > 1:
            raise bad(
                f"the series {price.series!r} mixes units ({', '.join(sorted(units))})", f"{key}.series"
            )
    unit = price.unit or next(iter(series.values())).unit
    if series and price.unit is not None and price.unit != next(iter(series.values())).unit:
        raise bad(
            f"unit {price.unit} differs from the series' {next(iter(series.values())).unit}", f"{key}.unit"
        )
    if not unit.startswith(f"{scenario.currency}_per_"):
        raise bad(
            f"the price is in {unit}, the scenario in {scenario.currency}: prices are not converted; give "
            f"prices in {scenario.currency}",
            f"{key}.unit" if price.unit else f"{key}.series",
        )
    stated = sorted(price.prices.items())
    last = max([*series, *price.prices], default=None)
    values: list[float] = []
    for year in years.tolist():
        if year in price.prices:
            values.append(price.prices[year])
        elif year in series:
            values.append(series[year].value)
        elif before := [v for y, v in stated if y < year]:
            values.append(before[-1])
        elif price.hold and values and last is not None and year > last:
            values.append(values[-1])
        else:
            have = f"the series {price.series} has {_span(series)}" if series else "no series"
            raise bad(
                f"no price for {year} ({have}): add prices.{year} (later years take it), or hold = true",
                f"{key}.prices" if price.prices or price.series is None else f"{key}.series",
            )
    return np.asarray(values, dtype=float), unit


def _span(series: dict[int, Observation]) -> str:
    years = sorted(series)
    return f"{years[0]}–{years[-1]}" if years else "no years"


def leg_levels(scenario: Scenario, base: ResolvedBaseline, years: np.ndarray) -> list[Any]:
    """Each product leg's path before events, in the file's order: its growth model (of the volume, for a price
    leg: ``value = volume · price``) from its base value."""
    found = []
    for i, (leg, leg_base) in enumerate(zip(scenario.legs, base.legs, strict=True)):
        if leg.price is not None:
            price, _ = price_path(scenario, i, base.data, years)
            volume = underlying_path(leg.growth, leg_base.value / price[0], scenario.base_year, years)
            found.append(volume * price)
        else:
            found.append(underlying_path(leg.growth, leg_base.value, scenario.base_year, years))
    return found


def leg_paths(scenario: Scenario, base: ResolvedBaseline, years: np.ndarray) -> dict[str, Any]:
    """Each product leg's path, by its commodity, in the file's order: :func:`leg_levels`, then the events on
    it (and the relative events that name no leg, which every leg takes)."""
    found = {}
    shared = [e for e in scenario.events if e.flow == "bilateral" and e.leg is None]
    for leg, path in zip(scenario.legs, leg_levels(scenario, base, years), strict=True):
        events = [*shared, *(e for e in scenario.events if e.leg == leg.commodity)]
        events.sort(key=scenario.events.index)  # the file's order: the kernel's sums and products as written
        found[leg.commodity] = apply_events(path, events, years)
    return found


def paths(scenario: Scenario, base: ResolvedBaseline, years: np.ndarray) -> tuple[Any, Any, Any, Any]:
    """Bilateral, rest-of-world, exports and imports (``None`` without a split) for ``years``, unchecked."""
    return _paths(scenario, base, years)[:4]


def _paths(
    scenario: Scenario, base: ResolvedBaseline, years: np.ndarray
) -> tuple[Any, Any, Any, Any, dict[str, Any]]:
    """:func:`paths`, and the product legs' paths by commodity (empty without legs): computed once."""
    growth = scenario.growth

    def flow_path(flow: str, start: float) -> Any:
        model = getattr(growth, flow)
        path = underlying_path(model, start, scenario.base_year, years)
        return apply_events(path, [e for e in scenario.events if e.flow == flow], years)

    exports = imports = None
    legs = leg_paths(scenario, base, years) if base.legs else {}
    if legs:
        each = iter(legs.values())
        bilateral = next(each).copy()
        for path in each:
            bilateral += path
    elif growth.split and base.exports is not None and base.imports is not None:
        exports = flow_path("exports", base.exports)
        imports = flow_path("imports", base.imports)
        bilateral = apply_events(
            exports + imports, [e for e in scenario.events if e.flow == "bilateral"], years
        )
    else:
        bilateral = flow_path("bilateral", base.bilateral)
    if growth.other_flow == "total":
        rest = flow_path("total", base.total) - bilateral
    else:
        rest = flow_path("rest_of_world", base.rest_of_world)
    return bilateral, rest, exports, imports, legs


def project(
    scenario: Scenario,
    *,
    data: Dataset | None = None,
    full_year: bool = False,
    baseline: ResolvedBaseline | None = None,
) -> Projection:
    """Project ``scenario`` from its base year to its horizon on ``data`` (default: the data ``baseline`` was
    resolved from, else the shipped data): the baseline and the actuals shown beside it come from it.

    Raises :class:`ScenarioError` naming the scenario and year if bilateral trade (or exports, imports)
    falls below zero, or rest-of-world trade to zero or below.
    """
    base = baseline or resolve_baseline(scenario, data=data, full_year=full_year)
    data = data or base.data
    years = np.arange(scenario.base_year, scenario.horizon_year + 1)
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):  # caught below, as an error
        bilateral, rest, exports, imports, legs = _paths(scenario, base, years)
    for name, values in (
        *((f"the {b.name} leg's", legs[b.leg.commodity]) for b in base.legs),
        ("bilateral", bilateral),
        ("exports", exports),
        ("imports", imports),
        ("rest_of_world", rest),
    ):
        if values is None:
            continue
        bad = np.flatnonzero(~(np.abs(values) <= MAX_PATH))  # also NaN
        if bad.size:
            flow = (
                "legs"
                if name.endswith("leg's")
                else name
                if getattr(scenario.growth, name, None) is not None
                else scenario.growth.other_flow
            )
            raise ScenarioError(
                [
                    Problem(
                        f"scenario {scenario.name!r}: {name} trade leaves the finite domain in "
                        f"{int(years[bad[0]])} (beyond 1e18; lower the growth or the horizon)",
                        scenario.path,
                        None,
                        f"growth.{flow}",
                    )
                ]
            )
    for name, values, limit in (
        *((f"the {b.name} leg's", legs[b.leg.commodity], "below zero") for b in base.legs),
        ("bilateral", bilateral, "below zero"),
        ("exports", exports, "below zero"),
        ("imports", imports, "below zero"),
        ("rest_of_world", rest, "to zero or below"),
    ):
        if values is None:
            continue
        bad = np.flatnonzero(values <= 0) if name == "rest_of_world" else np.flatnonzero(values < 0)
        if bad.size:
            year = int(years[bad[0]])
            raise ScenarioError(
                [
                    Problem(
                        f"scenario {scenario.name!r}: {name} trade falls {limit} in {year} "
                        f"({values[bad[0]]:.4g})",
                        scenario.path,
                    )
                ]
            )
    actuals = {}
    code, family = product_of(scenario, data)
    for year in years[1:]:
        found = data.actual(
            scenario.reporter,
            scenario.partner,
            int(year),
            currency=scenario.currency,
            commodity=code,
            family=family,
        )
        if found is not None:
            actuals[int(year)] = found
    return Projection(scenario, base, years, bilateral, rest, exports, imports, actuals, legs)


def required_growth(baseline: float, target: float, years: int) -> float:
    """The constant annual rate taking ``baseline`` to ``target`` in exactly ``years`` years (closed form)."""
    return float((target / baseline) ** (1.0 / years) - 1.0)
