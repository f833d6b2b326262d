"""Which assumption matters most: a tornado of one-at-a-time swings, and a vectorised two-way grid.

Tornado: every numeric input of a scenario — the bilateral and rest-of-world (or total) baselines, each growth
parameter, each event's size — is moved down and up, one at a time: a rate whose growth component has an
``sd`` by one standard deviation of the mean annual log growth over the horizon (``sd / √T``, see
:func:`_mean_rate_band`), anything else by ``swing`` (default 25%) of its value; rates move by at least
``min_rate_step`` (1 percentage point), so a rate of 0 still swings. The effect is read on the year the target is reached and on the share at
the horizon; inputs are sorted by the share swing, then by the reached-year swing.

Grid: ``growth`` (constant bilateral growth replacing the scenario's), ``rest-growth`` (constant growth of the
rest of trade), ``baseline`` (bilateral baseline) and ``target``, each over an inclusive ``start:stop:step``
range; the metric is the year the target is reached or the share in a given year.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from tradesim import model
from tradesim.data import Dataset
from tradesim.errors import InputError, Problem, ScenarioError, TradesimError
from tradesim.output import Collection, Result, Rows
from tradesim.quantities import format_money, format_percent
from tradesim.schema import (
    ConstantGrowth,
    ReachGrowth,
    Scenario,
    TableGrowth,
)

if TYPE_CHECKING:
    import pandas as pd

GRID_PARAMETERS = ("growth", "rest-growth", "baseline", "target")
MAX_GRID = 4_000_000  # cells


@dataclass(frozen=True)
class Swing:
    input: str  # key path, e.g. growth.bilateral.rate
    kind: str  # "rate", "amount" or "share"
    base: float
    low: float
    high: float
    reached_low: int | None
    reached_high: int | None
    share_low: float
    share_high: float

    @property
    def share_swing(self) -> float:
        return abs(self.share_high - self.share_low)

    def reached_swing(self, horizon: int) -> int:
        def year(value: int | None) -> int:
            return value if value is not None else horizon + 1

        return abs(year(self.reached_high) - year(self.reached_low))

    def format_value(self, value: float, currency: str = "USD") -> str:
        return format_percent(value, 2, signed=True) if self.kind == "rate" else format_money(value, currency)


@dataclass(frozen=True)
class Tornado:
    scenario: str
    reporter: str
    partner: str
    target: float
    horizon: int
    reached: int | None
    share_at_horizon: float
    swings: tuple[Swing, ...]
    currency: str = "USD"  # the scenario's: amounts swung are in it
    product: str = ""  # a scenario of one product: "HS 27"

    @property
    def title(self) -> str:
        return (
            f"{self.scenario}{f' ({self.product} trade)' if self.product else ''}: reached "
            f"{_year(self.reached, self.horizon)}, share "
            f"{format_percent(self.share_at_horizon)} at {self.horizon}; each input moved down and up"
        )

    def records(self) -> list[dict[str, Any]]:
        """One record per input, in numbers (NaN: no value)."""
        return [
            {
                "scenario": self.scenario,
                "currency": self.currency,
                "input": s.input,
                "base": s.base,
                "low": s.low,
                "high": s.high,
                "reached_low": s.reached_low,
                "reached_high": s.reached_high,
                "share_low": s.share_low,
                "share_high": s.share_high,
                "share_swing": s.share_swing,
            }
            for s in self.swings
        ]

    def rows(self) -> Rows:
        return [
            {
                "input": s.input,
                "down … up": f"{s.format_value(s.low, self.currency)} … {s.format_value(s.high, self.currency)}",
                "reached": f"{_year(s.reached_low, self.horizon)} … {_year(s.reached_high, self.horizon)}",
                f"share {self.horizon}": f"{_share(s.share_low)} … {_share(s.share_high)}",
                "swing": "—" if math.isnan(s.share_swing) else f"{s.share_swing * 100:.1f} pp",
            }
            for s in self.swings
        ]

    def frame(self) -> pd.DataFrame:
        import pandas as pd

        return pd.DataFrame(self.records()).set_index("input")


def _share(value: float) -> str:
    return "—" if math.isnan(value) else format_percent(value)


def _year(value: int | None, horizon: int) -> str:
    return str(value) if value is not None else f"not by {horizon}"


@dataclass(frozen=True, eq=False)
class Tornados(Collection[Tornado], Result):
    """The tornados of one ``tradesim sensitivity`` run, one per scenario."""

    @property
    def title(self) -> str:
        return "Sensitivity"

    def to_json(self) -> dict[str, Any]:
        clean = [
            {k: (None if isinstance(v, float) and math.isnan(v) else v) for k, v in row.items()}
            for t in self
            for row in t.records()
        ]
        return {"tornado": clean}

    def rows(self) -> Rows:
        return [{"scenario": t.scenario, **row} for t in self for row in t.rows()]

    def frame(self) -> pd.DataFrame:
        import pandas as pd

        return pd.DataFrame([row for t in self for row in t.records()])

    def tables(self) -> list[tuple[str, Rows]]:
        return [(t.title, t.rows()) for t in self]


Variant = Callable[[float], tuple[Scenario, model.ResolvedBaseline]]


def _inputs(
    scenario: Scenario, base: model.ResolvedBaseline
) -> list[tuple[str, str, float, float | None, Variant]]:
    """(key, kind, value, sd, build-variant) for every numeric input of the scenario."""
    found: list[tuple[str, str, float, float | None, Variant]] = []

    def bilateral(v: float) -> tuple[Scenario, model.ResolvedBaseline]:
        """The pair's baseline moved; product legs keep their parts of it."""
        legs = tuple(dataclasses.replace(b, value=b.value * v / base.bilateral) for b in base.legs)
        return scenario, dataclasses.replace(base, bilateral=v, legs=legs)

    found.append(("baseline.bilateral", "amount", base.bilateral, None, bilateral))
    found.append(
        (
            "baseline.rest_of_world",
            "amount",
            base.rest_of_world,
            None,
            lambda v: (scenario, dataclasses.replace(base, rest_of_world=v)),
        )
    )
    growth = scenario.growth
    for flow in ("bilateral", "rest_of_world", "total"):
        component = getattr(growth, flow)
        if component is None:
            continue
        sd = component.sd or None
        fields = list(component.inputs)
        if isinstance(component, ReachGrowth) and component.after is not None:
            fields = [*fields, ("after", "rate")]
        for name, kind in fields:
            found.append(_growth_input(scenario, base, flow, component, name, kind, sd))
    for i in range(len(scenario.legs)):
        found.extend(_leg_inputs(scenario, base, i))
    for i, event in enumerate(scenario.events):
        name, kind = ("amount", "amount") if event.amount is not None else ("relative", "rate")
        value = float(getattr(event, name))

        def build(v: float, i: int = i, name: str = name) -> tuple[Scenario, model.ResolvedBaseline]:
            events = list(scenario.events)
            events[i] = events[i].model_copy(update={name: v})
            return scenario.model_copy(update={"events": tuple(events)}), base

        found.append((f"events[{i}].{name} ({event.label})", kind, value, None, build))
    return found


def _leg_inputs(
    scenario: Scenario, base: model.ResolvedBaseline, index: int
) -> list[tuple[str, str, float, float | None, Variant]]:
    """A product leg's inputs: its base value (a named leg's; the rest leg absorbs the change, the pair's
    baseline fixed) and its growth model's fields."""
    from tradesim.schema import REST

    leg = scenario.legs[index]
    found: list[tuple[str, str, float, float | None, Variant]] = []
    label = f"legs[{index}]"
    rest = next(i for i, each in enumerate(scenario.legs) if each.commodity == REST)
    if leg.commodity != REST:
        start = base.legs[index].value

        def moved(v: float) -> tuple[Scenario, model.ResolvedBaseline]:
            legs = list(base.legs)
            legs[rest] = dataclasses.replace(legs[rest], value=legs[rest].value - (v - start))
            legs[index] = dataclasses.replace(legs[index], value=v)
            if not legs[rest].value > 0:
                raise ScenarioError(
                    [Problem(f"{label}: {leg.name} at {format_money(v)} leaves nothing for the rest")]
                )
            return scenario, dataclasses.replace(base, legs=tuple(legs))

        found.append((f"{label} base ({leg.name})", "split", start, None, moved))
    component = leg.growth
    fields = list(component.inputs)
    if isinstance(component, ReachGrowth) and component.after is not None:
        fields = [*fields, ("after", "rate")]

    def replace(changed: Any) -> Scenario:
        legs = list(scenario.legs)
        legs[index] = legs[index].model_copy(update={"growth": changed})
        return scenario.model_copy(update={"legs": tuple(legs)})

    for name, field_kind in fields:
        key, kind, value, sd, build = _growth_input(
            scenario,
            base,
            f"legs[{index}]",
            component,
            name,
            field_kind,
            component.sd or None,
            replace=replace,
        )
        found.append((f"{key.replace('growth.legs', 'legs', 1)} ({leg.name})", kind, value, sd, build))
    return found


def _growth_input(
    scenario: Scenario,
    base: model.ResolvedBaseline,
    flow: str,
    component: Any,
    name: str,
    kind: str,
    sd: float | None,
    *,
    replace: Callable[[Any], Scenario] | None = None,
) -> tuple[str, str, float, float | None, Variant]:
    if replace is None:

        def replace(changed: Any) -> Scenario:
            return _replace_growth(scenario, flow, changed)

    if name == "rates":  # table or piecewise: all rates shift together; the value shown is their mean
        rates = component.rates
        default = getattr(component, "default", None)  # a table may hold no year at all, only its default
        mean = float(np.mean([*rates.values(), *([default] if default is not None else [])]))

        def build(v: float) -> tuple[Scenario, model.ResolvedBaseline]:
            shifted = {y: r + (v - mean) for y, r in rates.items()}
            update: dict[str, Any] = {"rates": shifted}
            if isinstance(component, TableGrowth) and component.default is not None:
                update["default"] = component.default + (v - mean)
            return replace(component.model_copy(update=update)), base

        return f"growth.{flow}.rates (all)", kind, mean, sd, build

    def build_one(v: float) -> tuple[Scenario, model.ResolvedBaseline]:
        return replace(component.model_copy(update={name: v})), base

    return (
        f"growth.{flow}.{name}",
        kind,
        float(getattr(component, name)),
        sd if kind == "rate" else None,
        build_one,
    )


def _replace_growth(scenario: Scenario, flow: str, component: Any) -> Scenario:
    return scenario.model_copy(update={"growth": scenario.growth.model_copy(update={flow: component})})


def _mean_rate_band(rate: float, sd: float, years: int) -> tuple[float, float]:
    """The rate held for ``years`` years, one standard deviation of its *mean* down and up.

    ``sd`` is the sd of one year's log growth; the mean of ``years`` independent years has sd ``sd / √years``.
    Swinging a rate held for the whole horizon by one *annual* sd would treat twelve bad years in a row as a
    one-sd event (±15 points for twelve years moved the 2035 share from 2% to 42%). In log space, so the band
    is not symmetric in the rate: ``(1 + rate) · e^(∓sd/√years) − 1``.
    """
    step = sd / math.sqrt(years)
    return (1.0 + rate) * math.exp(-step) - 1.0, (1.0 + rate) * math.exp(step) - 1.0


MAX_SWING = 10.0  # an input moved by more than ten times its value answers no question


def tornado(
    scenario: Scenario,
    target: float,
    *,
    swing: float = 0.25,
    min_rate_step: float = 0.01,
    baseline: model.ResolvedBaseline | None = None,
    data: Dataset | None = None,
) -> Tornado:
    """One-at-a-time swings of every numeric input, sorted by their effect (module docstring)."""
    if not (math.isfinite(swing) and 0 < swing <= MAX_SWING):
        raise InputError(
            f"--swing must be a number > 0 and at most {MAX_SWING:g} (0.25 is 25%), got {swing!r}"
        )
    base = baseline or model.resolve_baseline(scenario, data=data)
    reference = model.project(scenario, baseline=base)
    swings = []
    years = scenario.horizon_year - scenario.base_year
    for key, kind, value, sd, build in _inputs(scenario, base):
        if sd and kind == "rate":
            low, high = _mean_rate_band(value, sd, years)
        elif (
            kind == "split"
        ):  # a leg's base, the pair's fixed: moved by the swing of the smaller of it and the rest
            room = next(b.value for b in base.legs if b.leg.commodity == "rest")
            step = min(value, room) * swing
            low, high = value - step, value + step
        else:
            step = abs(value) * swing
            if step == 0 and kind != "rate":
                continue
            low, high = value - step, value + step
        if kind == "rate":
            low, high = max(min(low, value - min_rate_step), -0.99), max(high, value + min_rate_step)
        results: list[tuple[int | None, float]] = []
        for moved in (low, high):
            try:
                moved_scenario, moved_base = build(moved)
                projection = model.project(moved_scenario, baseline=moved_base)
            except TradesimError:  # the swing drives a flow below zero: no answer, shown as such
                results.append((None, math.nan))
                continue
            results.append((projection.reached_year(target), float(projection.share[-1])))
        swings.append(
            Swing(key, kind, value, low, high, results[0][0], results[1][0], results[0][1], results[1][1])
        )
    horizon = scenario.horizon_year
    ordered = sorted(
        swings,
        key=lambda s: (
            -(s.share_swing if math.isfinite(s.share_swing) else math.inf),
            -s.reached_swing(horizon),
        ),
    )
    return Tornado(
        scenario.name,
        scenario.reporter,
        scenario.partner,
        target,
        horizon,
        reference.reached_year(target),
        float(reference.share[-1]),
        tuple(ordered),
        scenario.currency,
        model.product_name(scenario, base),
    )


# ---------------------------------------------------------------------------------------------------- grid
@dataclass(frozen=True)
class Axis:
    name: str
    values: np.ndarray


@dataclass(frozen=True)
class Grid(Result):
    scenario: str
    metric: str  # "reached_year" or "share"
    year: int | None
    row_axis: Axis
    column_axis: Axis
    values: np.ndarray  # rows × columns; NaN where the target is not reached by the horizon
    currency: str = "USD"  # of the baseline and target axes

    @property
    def title(self) -> str:
        what = "year the target is reached" if self.metric == "reached_year" else f"share in {self.year}"
        return f"{self.scenario}: {what} (— = not by the horizon)"

    def _cell(self, value: float) -> float | int | None:
        """A cell for JSON: a year as a whole number, a share as a fraction, "not reached" as null."""
        if math.isnan(value):
            return None
        return int(value) if self.metric == "reached_year" else float(value)

    def to_json(self) -> dict[str, Any]:
        return {
            "scenario": self.scenario,
            "currency": self.currency,
            "metric": self.metric,
            "year": self.year,
            "rows": {"name": self.row_axis.name, "values": self.row_axis.values.tolist()},
            "columns": {"name": self.column_axis.name, "values": self.column_axis.values.tolist()},
            "values": [[self._cell(v) for v in row] for row in self.values],
        }

    def frame(self) -> pd.DataFrame:
        """The grid: one row per value of the row axis, one column per value of the column axis."""
        import pandas as pd

        frame = pd.DataFrame(self.values, index=self.row_axis.values, columns=self.column_axis.values)
        frame.index.name = f"{self.row_axis.name} \\\\ {self.column_axis.name}"
        return frame

    def rows(self) -> Rows:
        """The grid formatted for people: rates as percentages, amounts as money, years, shares."""
        rate_like = {"growth", "rest-growth"}

        def label(name: str, value: float) -> str:
            return format_percent(value, 1) if name in rate_like else format_money(value, self.currency)

        def cell(value: float) -> str:
            if math.isnan(value):
                return "—"
            return str(int(value)) if self.metric == "reached_year" else format_percent(value, 1)

        header = f"{self.row_axis.name} ↓ {self.column_axis.name} →"
        column_labels = [label(self.column_axis.name, c) for c in self.column_axis.values]
        if len(set(column_labels)) < len(column_labels):  # rounding made two labels equal: raw values
            column_labels = [f"{c:g}" for c in self.column_axis.values]
        return [
            dict(zip([header, *column_labels], [label(self.row_axis.name, r), *map(cell, row)], strict=True))
            for r, row in zip(self.row_axis.values, self.values, strict=True)
        ]


def parse_axis(text: str) -> Axis:
    """``growth=0:0.15:0.01`` → 16 values from 0 to 0.15 inclusive."""
    name, _, spec = text.partition("=")
    name = name.strip()
    if name not in GRID_PARAMETERS:
        raise InputError(
            f"--grid {text!r}: unknown parameter {name!r} (allowed: {', '.join(GRID_PARAMETERS)})"
        )
    parts = spec.split(":")
    try:
        start, stop, step = (float(p) for p in parts) if len(parts) == 3 else (math.nan,) * 3
    except ValueError:
        start = stop = step = math.nan
    if not all(math.isfinite(v) for v in (start, stop, step)) or step <= 0 or stop < start:
        raise InputError(f"--grid {text!r}: expected NAME=START:STOP:STEP with STEP > 0 and STOP ≥ START")
    count = round((stop - start) / step) + 1
    if count > 100_000:
        raise InputError(f"--grid {text!r}: {count} values; at most 100,000 per axis")
    values = start + step * np.arange(count)
    if name in ("growth", "rest-growth") and values.min() <= -1:
        raise InputError(f"--grid {text!r}: rates must stay above -100%")
    if name in ("baseline", "target") and values.min() <= 0:
        raise InputError(f"--grid {text!r}: amounts must be > 0")
    return Axis(name, values)


def grid(
    scenario: Scenario,
    rows: Axis,
    columns: Axis,
    *,
    target: float,
    metric: str = "reached_year",
    year: int | None = None,
    baseline: model.ResolvedBaseline | None = None,
    data: Dataset | None = None,
) -> Grid:
    """The metric over every combination of two parameters, vectorised over both axes."""
    if rows.name == columns.name:
        raise InputError(f"--grid: the two axes must differ, both are {rows.name!r}")
    if rows.values.size * columns.values.size > MAX_GRID:
        raise InputError(f"--grid: {rows.values.size} × {columns.values.size} cells; at most {MAX_GRID:,}")
    if metric not in ("reached_year", "share"):
        raise InputError(f"--metric must be reached-year or share, got {metric!r}")
    if metric == "share" and (year is None or not scenario.base_year <= year <= scenario.horizon_year):
        raise InputError(
            f"--metric share needs --year in {scenario.base_year}–{scenario.horizon_year}, got {year}"
        )
    if scenario.legs:
        raise InputError(
            f"--grid: scenario {scenario.name!r} has product legs, which a grid of one bilateral growth and "
            "baseline would flatten: use the tornado (without --grid), which moves each leg's inputs"
        )
    base = baseline or model.resolve_baseline(scenario, data=data)
    years = np.arange(scenario.base_year, scenario.horizon_year + 1)
    axes = {rows.name: rows.values[:, None], columns.name: columns.values[None, :]}
    bilateral = _bilateral_paths(scenario, base, years, axes)  # (…, years) broadcastable over the grid
    if metric == "reached_year":
        goal = axes.get("target", np.array([[target]]))[..., None]
        hit = bilateral >= goal * (1.0 - model.REACHED_RTOL)
        first = np.argmax(hit, axis=-1)
        values = np.where(hit.any(axis=-1), years[first], np.nan).astype(float)
    else:
        assert year is not None
        i = year - scenario.base_year
        rest = _rest_paths(scenario, base, years, axes, bilateral)[..., i]
        b = bilateral[..., i]
        values = b / (b + rest)
    shape = (rows.values.size, columns.values.size)
    return Grid(
        scenario.name,
        metric,
        year,
        rows,
        columns,
        np.broadcast_to(values, shape).astype(float).copy(),
        scenario.currency,
    )


def _bilateral_paths(
    scenario: Scenario, base: model.ResolvedBaseline, years: np.ndarray, axes: dict[str, np.ndarray]
) -> Any:
    t = (years - scenario.base_year).astype(float)
    bilateral_events = [e for e in scenario.events if e.flow == "bilateral"]
    if "growth" in axes or "baseline" in axes:
        start = axes.get("baseline", np.array([[base.bilateral]]))[..., None]
        if "growth" in axes:
            underlying = ConstantGrowth.compound(start, axes["growth"][..., None], t)
        else:
            growth = scenario.growth.bilateral
            shape_path = (
                growth.path(1.0, scenario.base_year, years)
                if growth is not None and growth.scales  # linear, reach, logistic: not proportional to it
                else None
            )
            if shape_path is None:
                raise InputError(
                    "--grid baseline needs growth.bilateral that scales with the baseline "
                    "(constant, table or piecewise; not linear, reach or logistic); combine it with --grid "
                    "growth instead"
                )
            underlying = start * shape_path
        return model.apply_events(underlying, bilateral_events, years)
    projection = model.project(scenario, baseline=base)
    return projection.bilateral[None, None, :]


def _rest_paths(
    scenario: Scenario,
    base: model.ResolvedBaseline,
    years: np.ndarray,
    axes: dict[str, np.ndarray],
    bilateral: np.ndarray,
) -> Any:
    t = (years - scenario.base_year).astype(float)
    if "rest-growth" in axes:
        underlying = ConstantGrowth.compound(base.rest_of_world, axes["rest-growth"][..., None], t)
        return model.apply_events(
            underlying, [e for e in scenario.events if e.flow == "rest_of_world"], years
        )
    scenario_bilateral, rest, _, _ = model.paths(scenario, base, years)
    if scenario.growth.other_flow == "total":  # rest = total − bilateral, with the grid's bilateral
        total = rest + scenario_bilateral
        return total[None, None, :] - bilateral
    return rest[None, None, :]
