"""Monte Carlo: the odds of reaching a target, the year it is reached, and the fan of plausible shares.

Model (README "Uncertainty"): each growth component may carry ``sd``. In every run and year the flow's log
level moves by its deterministic log growth plus ``sd · z``, ``z ~ Normal(0, 1)`` independent across years, so
for constant growth ``ln(1 + g) ~ Normal(ln(1 + rate), sd)``. For other growth models the shocks compound on
the model's path: ``x_t = U_t · exp(sd · Σ z)``. Bilateral and rest-of-world (or total) shocks are correlated by
the scenario's ``correlation``. An event with ``probability`` happens in a run with that probability,
independently. With every ``sd = 0`` and every probability 1, each run is the deterministic projection.

Randomness: runs come in fixed blocks of :data:`BLOCK` runs; block ``k`` draws from its own stream,
``SeedSequence(seed).spawn(...)[k]``, so results depend on the seed alone — not on the chunk size or the
number of threads. Memory: only per-year accumulators (counts, and histograms for percentiles) outlive a
chunk, so peak memory does not grow with the number of runs.

Percentiles come from per-year histograms of ``ln(bilateral)`` and of ``d = ln(rest) − ln(bilateral)`` with
:data:`BINS` bins spanning ±8.5 standard deviations (plus every event's range), interpolated within a bin and
clipped to the exact per-year minimum and maximum. Share percentiles use ``share = 1 / (1 + e^d)``, a
decreasing function of ``d``, so no per-run exponential is needed.

The median path (p50, the year it reaches the target, the share then) is the deterministic projection wherever
the model makes it the median (:func:`_median_is_deterministic`: certain events, monotone in one symmetric
shock), so it depends on no seed; elsewhere it is the sample's, with its 95% Monte Carlo interval (order
statistics at ``0.5 ± 1.96·0.5/√runs``): the range of reach years and of shares it allows.
"""

from __future__ import annotations

import math
import os
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from tradesim import model
from tradesim.data import Dataset
from tradesim.errors import InputError, Problem, ScenarioError
from tradesim.output import Collection, Result, Rows
from tradesim.schema import Event, Scenario

if TYPE_CHECKING:
    import pandas as pd

BLOCK = 16_384  # runs per random stream
BINS = 16_384  # histogram bins per year, per quantity
SPAN = 8.5  # histogram half-width in standard deviations
PERCENTILES = (5, 25, 50, 75, 95)
DEFAULT_CHUNK = 4 * BLOCK
REACHED_LOG_TOLERANCE = math.log1p(-model.REACHED_RTOL)


@dataclass(frozen=True)
class SimulationResult:
    scenario: str
    runs: int
    seed: int
    target: float
    years: np.ndarray
    p_at_or_above: np.ndarray  # per year: P(bilateral ≥ target that year)
    p_reached_by: np.ndarray  # per year: P(target reached in any year up to it)
    bilateral_percentiles: dict[int, np.ndarray]
    share_percentiles: dict[int, np.ndarray]
    reached_year_distribution: dict[str, float]  # "2027": P(first reached in 2027), ..., "never"
    median_reached_year: int | None  # the first year the median bilateral path reaches the target
    median_share_at_reached: float | None  # the median share in that year
    currency: str = "USD"  # the scenario's: every amount above is in it
    median_source: str = (
        "deterministic path"  # or "sample": where the median path's bilateral figures come from
    )
    # Where sampled: the earliest and latest first year the median path reaches the target within the median's
    # 95% Monte Carlo interval (None: not within the horizon).
    median_reached_range: tuple[int | None, int | None] | None = None
    median_share_source: str = "deterministic path"  # the same for the median share
    median_share_range: tuple[float, float] | None = None  # its 95% Monte Carlo interval, where sampled
    product: str = ""  # a scenario of one product: "HS 27" (its trade, not the pair's in all goods)

    def median_reach_text(self) -> str:
        """The year the median path reaches the target, in words: "2027" (the deterministic path, the model's
        median), "2028 (sampled; 95% Monte Carlo range 2027–2029)", or "not by 2035"."""
        horizon = int(self.years[-1])
        year = str(self.median_reached_year) if self.median_reached_year is not None else f"not by {horizon}"
        if self.median_reached_range is None:
            return year
        low, high = (str(y) if y is not None else f"not by {horizon}" for y in self.median_reached_range)
        span = low if low == high else f"{low}–{high}"
        return f"{year} (sampled; 95% Monte Carlo range {span})"

    def median_summary(self) -> str:
        """The median path in one line, saying where its figures come from."""
        from tradesim.quantities import format_percent

        source = "the deterministic path, the model's median" if self.median_source != "sample" else "sampled"
        if self.median_reached_year is None:
            return f"median path ({source}): does not reach the target by {int(self.years[-1])}" + (
                "" if self.median_reached_range is None else f" ({self.median_reach_text()})"
            )
        share = format_percent(self.median_share_at_reached or 0.0)
        if self.median_share_range is not None:
            low, high = (format_percent(v) for v in self.median_share_range)
            share += f" (sampled; 95% Monte Carlo range {low}–{high})"
        return f"median path ({source}): reaches the target in {self.median_reach_text()}, share then {share}"

    def frame(self) -> pd.DataFrame:
        """One row per year (the index): P(≥ target), P(reached by), and the percentiles of bilateral trade
        (``bilateral_p5`` …) and of the share (``share_p5`` …)."""
        import pandas as pd

        columns: dict[str, Any] = {
            "p_at_or_above": self.p_at_or_above,
            "p_reached_by": self.p_reached_by,
            **{f"bilateral_p{p}": self.bilateral_percentiles[p] for p in PERCENTILES},
            **{f"share_p{p}": self.share_percentiles[p] for p in PERCENTILES},
        }
        return pd.DataFrame(columns, index=pd.Index(self.years.astype(int), name="year"))


@dataclass(frozen=True, eq=False)
class Simulations(Collection[SimulationResult], Result):
    """The simulations of one ``tradesim simulate`` run, one per scenario (in ``scenarios``' order)."""

    scenarios: Sequence[Scenario]

    @property
    def title(self) -> str:
        return "Simulated paths"

    def to_json(self) -> dict[str, Any]:
        return to_json(self)

    def frame(self) -> pd.DataFrame:
        """Every scenario's :meth:`SimulationResult.frame`, indexed by scenario and year."""
        import pandas as pd

        return pd.concat({r.scenario: r.frame() for r in self}, names=["scenario", "year"])

    def rows(self) -> Rows:
        from tradesim.quantities import format_money, format_percent

        rows = []
        for r, scenario in zip(self, self.scenarios, strict=True):
            b, s, currency = r.bilateral_percentiles, r.share_percentiles, scenario.currency
            for i, year in enumerate(r.years):
                rows.append(
                    {
                        "scenario": r.scenario,
                        "year": str(int(year)),
                        "P(≥ target)": format_percent(r.p_at_or_above[i]),
                        "P(reached by)": format_percent(r.p_reached_by[i]),
                        "bilateral p5": format_money(b[5][i], currency),
                        "p50": format_money(b[50][i], currency),
                        "p95": format_money(b[95][i], currency),
                        "share p5": format_percent(s[5][i]),
                        "share p50": format_percent(s[50][i]),
                        "share p95": format_percent(s[95][i]),
                    }
                )
        return rows

    def iamc(self) -> Sequence[tuple[Any, ...]]:
        from tradesim import iamc

        return iamc.simulation_rows(self, self.scenarios)


@dataclass
class _Totals:
    """Per-year accumulators; chunks combine by addition, minimum and maximum (order does not matter)."""

    at_or_above: np.ndarray
    reached_by: np.ndarray
    hist_b: np.ndarray
    hist_d: np.ndarray
    min_b: np.ndarray
    max_b: np.ndarray
    min_d: np.ndarray
    max_d: np.ndarray

    @classmethod
    def empty(cls, years: int) -> _Totals:
        inf = np.full(years, np.inf)
        return cls(
            np.zeros(years, np.int64),
            np.zeros(years, np.int64),
            np.zeros((years, BINS), np.int64),
            np.zeros((years, BINS), np.int64),
            inf.copy(),
            -inf,
            inf.copy(),
            -inf.copy(),
        )

    def add(self, other: _Totals) -> None:
        self.at_or_above += other.at_or_above
        self.reached_by += other.reached_by
        self.hist_b += other.hist_b
        self.hist_d += other.hist_d
        np.minimum(self.min_b, other.min_b, out=self.min_b)
        np.maximum(self.max_b, other.max_b, out=self.max_b)
        np.minimum(self.min_d, other.min_d, out=self.min_d)
        np.maximum(self.max_d, other.max_d, out=self.max_d)


@dataclass(frozen=True)
class _Plan:
    """Everything a chunk needs, computed once: deterministic paths, shock sizes, histogram ranges."""

    years: int  # projected years after the base year
    log_b: np.ndarray  # deterministic ln(underlying bilateral) — of exports when split — years after base
    log_r: np.ndarray  # the same for rest of world (or total)
    sd_b: float
    sd_r: float
    correlation: float
    events_b: tuple[tuple[Event, np.ndarray], ...]  # (event, ramp per year)
    events_r: tuple[tuple[Event, np.ndarray], ...]
    split: bool  # exports (the bilateral stream) and imports (a stream of its own) projected separately
    log_m: np.ndarray | None
    sd_m: float
    events_x: tuple[tuple[Event, np.ndarray], ...]
    events_m: tuple[tuple[Event, np.ndarray], ...]
    # product legs beyond the first two (which take the split's two streams): (ln path, sd, events) each, a
    # stream of its own, independent of the others
    extra: tuple[tuple[np.ndarray, float, tuple[tuple[Event, np.ndarray], ...]], ...]
    fast: bool  # log-space path: no amount events, rest of world driven directly, no split
    scenario: Scenario
    baseline: model.ResolvedBaseline
    all_years: np.ndarray
    log_target: float
    lo_b: np.ndarray
    width_b: np.ndarray
    lo_d: np.ndarray
    width_d: np.ndarray
    median_bilateral: np.ndarray  # the deterministic projection, base year first
    median_share: np.ndarray

    @property
    def events(self) -> tuple[tuple[Event, np.ndarray], ...]:
        """Every event in one order: bilateral, other flow, exports (or the first leg), imports (or the second),
        then each further leg's (indices of `_happens`)."""
        return (
            *self.events_b, *self.events_r, *self.events_x, *self.events_m,
            *(e for _, _, events in self.extra for e in events),
        )  # fmt: skip

    @property
    def scale_b(self) -> Any:
        return 1.0 / self.width_b

    @property
    def shift_b(self) -> Any:
        return _FIRST[: self.years] - self.lo_b / self.width_b

    @property
    def scale_d(self) -> Any:
        return 1.0 / self.width_d

    @property
    def shift_d(self) -> Any:
        return _FIRST[: self.years] - self.lo_d / self.width_d


def fresh_seed() -> int:
    """A new seed from the operating system's entropy, small enough to print and type again."""
    return int(np.random.SeedSequence().entropy) % 2**63  # type: ignore[arg-type]


def _seed_of(rng: np.random.Generator | int | None) -> int:
    if isinstance(rng, np.random.Generator):
        return int(rng.integers(0, 2**63))
    if rng is None:
        return fresh_seed()
    if isinstance(rng, bool) or not isinstance(rng, int) or rng < 0:
        raise InputError(f"seed must be a whole number ≥ 0, got {rng!r}")
    return rng


def _log_ranges(events: tuple[tuple[Event, np.ndarray], ...], years: int) -> tuple[np.ndarray, np.ndarray]:
    """Per-year lowest and highest ln(factor) the relative events can produce together."""
    low, high = np.zeros(years), np.zeros(years)
    for event, ramp in events:
        if event.relative is not None:
            effect = np.log1p(event.relative * ramp)
            low += np.minimum(effect, 0.0)
            high += np.maximum(effect, 0.0)
    return low, high


def _plan(
    scenario: Scenario, target: float, baseline: model.ResolvedBaseline, projection: model.Projection
) -> _Plan:
    growth = scenario.growth
    all_years = np.arange(scenario.base_year, scenario.horizon_year + 1)
    after = all_years[1:]
    other = growth.other_flow
    other_model = getattr(growth, other)
    assert other_model is not None
    start_other = baseline.total if other == "total" else baseline.rest_of_world
    path_r = model.underlying_path(other_model, start_other, scenario.base_year, all_years)[1:]
    extra_paths: list[np.ndarray] = []
    if baseline.legs:  # product legs: the first two take the split's streams, each further leg one of its own
        fast, split = False, True
        # each leg before events, after the base year: the projection's own (a price leg's volume × price)
        path_b, path_m, *extra_paths = (path[1:] for path in model.leg_levels(scenario, baseline, all_years))
        bilateral_model, sd_m = scenario.legs[0].growth, scenario.legs[1].growth.sd
    else:
        fast = (
            not growth.split and other == "rest_of_world" and all(e.amount is None for e in scenario.events)
        )
        split = growth.split and baseline.exports is not None and baseline.imports is not None
        found = growth.exports if split else growth.bilateral
        assert found is not None
        bilateral_model = found
        start_b = baseline.exports if split and baseline.exports is not None else baseline.bilateral
        path_b = model.underlying_path(bilateral_model, start_b, scenario.base_year, all_years)[1:]
        path_m, sd_m = None, 0.0
        if split:
            assert growth.imports is not None
            assert baseline.imports is not None
            path_m = model.underlying_path(growth.imports, baseline.imports, scenario.base_year, all_years)[
                1:
            ]
            sd_m = growth.imports.sd
    log_m, centre = (None, path_b) if path_m is None else (np.log(path_m), path_b + path_m)
    for path in extra_paths:
        centre = centre + path

    components = (
        ("bilateral", path_b), (other, path_r), ("imports", path_m if split else None),
        *((f"legs[{i}]", path) for i, path in enumerate(extra_paths, start=2)),
    )  # fmt: skip
    for flow, path in components:
        if path is not None and not np.all(path > 0):
            year = int(after[np.flatnonzero(~(path > 0))[0]])
            raise ScenarioError(
                [
                    Problem(
                        f"scenario {scenario.name!r}: the simulation works on log levels, and the growth "
                        f"path of {flow} trade reaches zero in {year}",
                        scenario.path,
                        None,
                        f"growth.{flow}",
                    )
                ]
            )

    def ramps(flow: str, leg: str | None = None) -> tuple[tuple[Event, np.ndarray], ...]:
        return tuple(
            (e, model.event_ramp(e, after)) for e in scenario.events if e.flow == flow and e.leg == leg
        )

    events_b, events_r = ramps("bilateral"), ramps(other)
    events_x, events_m = (ramps("exports"), ramps("imports")) if split else ((), ())
    leg_events: list[tuple[tuple[Event, np.ndarray], ...]] = []
    if baseline.legs:
        leg_events = [ramps("bilateral", leg.commodity) for leg in scenario.legs]
        if events_b and any(e.amount is not None for events in leg_events for e, _ in events):
            # the projection lays an event on every leg on each leg: the same on the sum, unless a leg adds an
            # amount (which the leg's relative events do not scale)
            if any(e.probability < 1.0 for e, _ in events_b):
                raise ScenarioError(
                    [
                        Problem(
                            f"scenario {scenario.name!r}: an uncertain event on every leg beside an amount on one "
                            "leg cannot be simulated exactly: name each event's leg",
                            scenario.path,
                            None,
                            "events",
                        )
                    ]
                )
            leg_events = [
                tuple(sorted((*events_b, *events), key=lambda pair: scenario.events.index(pair[0])))
                for events in leg_events
            ]
            events_b = ()
        events_x, events_m = leg_events[0], leg_events[1]
    extra = tuple(
        (np.log(path), leg.growth.sd, events)
        for path, leg, events in zip(extra_paths, scenario.legs[2:], leg_events[2:], strict=True)
    )
    sd_b = max(bilateral_model.sd, sd_m, *(sd for _, sd, _ in extra))
    sd_r, rho = other_model.sd, scenario.correlation
    t = np.arange(1, len(after) + 1, dtype=float)
    low_b, high_b = _log_ranges(events_b, len(after))
    low_r, high_r = _log_ranges(events_r, len(after))
    log_b, log_r = np.log(centre), np.log(path_r)
    spread_b = SPAN * sd_b * np.sqrt(t)
    spread_d = SPAN * math.sqrt(max(sd_r**2 + sd_b**2 - 2 * rho * sd_r * sd_b, 0.0)) * np.sqrt(t)
    lo_b, hi_b = log_b + low_b - spread_b, log_b + high_b + spread_b
    centre_d = log_r - log_b
    lo_d, hi_d = centre_d + low_r - high_b - spread_d, centre_d + high_r - low_b + spread_d
    if not fast:  # amounts and totals: the ranges above are a guide only; widen generously
        lo_b, hi_b = lo_b - 3.0, hi_b + 3.0
        lo_d, hi_d = lo_d - 6.0, hi_d + 6.0
    width_b = _bin_width(lo_b, hi_b)
    width_d = _bin_width(lo_d, hi_d)
    return _Plan(
        years=len(after),
        log_b=np.log(path_b),
        log_r=log_r,
        sd_b=bilateral_model.sd,
        sd_r=sd_r,
        correlation=rho,
        events_b=events_b,
        events_r=events_r,
        split=split,
        log_m=log_m,
        sd_m=sd_m,
        events_x=events_x,
        events_m=events_m,
        extra=extra,
        fast=fast,
        scenario=scenario,
        baseline=baseline,
        all_years=all_years,
        log_target=math.log(target) + REACHED_LOG_TOLERANCE,
        lo_b=lo_b,
        width_b=width_b,
        lo_d=lo_d,
        width_d=width_d,
        median_bilateral=np.asarray(projection.bilateral, dtype=float),
        median_share=np.asarray(projection.share, dtype=float),
    )


def _bin_width(lo: np.ndarray, hi: np.ndarray) -> Any:
    """Bin width per year. Never narrower than 1e-9 of the range's position: a bin index is computed as
    ``value / width − lo / width``, and a width far below the spacing of floats near ``lo`` (a scenario without
    uncertainty spans nothing) would make that difference noise that lands in another year's row."""
    return np.maximum((hi - lo) / BINS, 1e-9 * np.maximum(1.0, np.abs(lo)))


class _Workspace:
    """Buffers reused block after block: large temporaries would cost a page fault per page every time."""

    def __init__(self, years: int, runs: int) -> None:
        self.flat = [np.empty(years * runs) for _ in range(4)]  # bilateral, other, scratch, imports
        self.index = np.empty(years * runs, np.intp)
        self.above = np.empty(years * runs, bool)
        self.years = years

    def view(self, which: int, runs: int) -> np.ndarray:
        return self.flat[which][: self.years * runs].reshape(self.years, runs)


def _draw(
    plan: _Plan, seed: np.random.SeedSequence, runs: int, space: _Workspace
) -> tuple[Any, Any, Any, Any, list[Any]]:
    """One block's draws: bilateral (or exports) normals, other-flow shocks (None without sd), imports normals
    (None unless split with sd), event uniforms, and each further leg's normals (None without sd)."""
    rng = np.random.Generator(np.random.PCG64(seed))
    z_b = space.view(0, runs)
    if plan.sd_b > 0:
        rng.standard_normal(out=z_b)
    else:
        z_b.fill(0.0)
    z_r = None
    if plan.sd_r > 0:  # the other flow's log shocks, already scaled: sd_r · (√(1 − ρ²) z + ρ z_b)
        z_r = space.view(1, runs)
        rng.standard_normal(out=z_r)
        z_r *= plan.sd_r * math.sqrt(1.0 - plan.correlation**2)
        if plan.correlation:
            scaled = space.view(2, runs)
            np.multiply(z_b, plan.sd_r * plan.correlation, out=scaled)
            z_r += scaled
    z_m = None
    if plan.split and plan.sd_m > 0:  # imports: a stream of their own, independent of the others
        z_m = space.view(3, runs)
        rng.standard_normal(out=z_m)
    chancy = [e for e, _ in plan.events if e.probability < 1.0]
    uniforms = rng.random((len(chancy), runs)) if chancy else np.empty((0, runs))
    # drawn after everything else, so that a scenario without further legs draws what it always drew
    z_extra = [rng.standard_normal((plan.years, runs)) if sd > 0 else None for _, sd, _ in plan.extra]
    return z_b, z_r, z_m, uniforms, z_extra


def _happens(plan: _Plan, uniforms: np.ndarray) -> dict[int, np.ndarray]:
    """Event index (in plan order) → per-run indicator, for events with probability < 1."""
    events = plan.events
    chancy = [i for i, (e, _) in enumerate(events) if e.probability < 1.0]
    return {i: uniforms[k] < events[i][0].probability for k, i in enumerate(chancy)}


def _apply_log(
    log_level: np.ndarray,
    events: tuple[tuple[Event, np.ndarray], ...],
    offset: int,
    happens: dict[int, np.ndarray],
) -> None:
    """Relative events in log space, in place (the fast path): :func:`tradesim.model.relative_log_factor`, the
    projection's event kernel in log space, run over the runs (``log_level`` is years × runs)."""
    weights = [
        None if (indicator := happens.get(offset + k)) is None else indicator[:, None]
        for k in range(len(events))
    ]
    model.relative_log_factor(
        log_level.T, [e for e, _ in events], np.empty(0), ramps=[ramp for _, ramp in events], weights=weights
    )


def _apply_linear(
    level: np.ndarray,
    events: tuple[tuple[Event, np.ndarray], ...],
    offset: int,
    happens: dict[int, np.ndarray],
) -> Any:
    """Amount and relative events on ``level`` (years × runs): the projection's own event kernel,
    :func:`tradesim.model.apply_events`, run over the runs, each event weighted by whether it happens."""
    weights = [
        None if (indicator := happens.get(offset + k)) is None else indicator[:, None]
        for k in range(len(events))
    ]
    ramps = [ramp for _, ramp in events]
    return model.apply_events(level.T, [e for e, _ in events], np.empty(0), ramps=ramps, weights=weights).T


def _to_log_path(shocks: np.ndarray, sd: float, log_path: np.ndarray) -> None:
    """In place: standard normals → sd-scaled, cumulated over years, on the deterministic log path."""
    if sd > 0:
        if sd != 1.0:
            shocks *= sd
        for t in range(1, shocks.shape[0]):  # row by row: far faster than cumsum(axis=0) here
            shocks[t] += shocks[t - 1]
    shocks += log_path[:, None]


class _Worker(threading.local):
    """One workspace and one set of accumulators per thread, reused for every chunk the thread runs."""

    def __init__(self, plan: _Plan, registry: list[_Totals], lock: threading.Lock) -> None:
        self.space = _Workspace(plan.years, BLOCK)
        self.totals = _Totals.empty(plan.years)
        with lock:
            registry.append(self.totals)


def _chunk(plan: _Plan, worker: _Worker, seeds: list[np.random.SeedSequence], sizes: list[int]) -> int:
    """Simulate the blocks of one chunk into this thread's accumulators; return the number of runs."""
    totals, space = worker.totals, worker.space
    for seed, runs in zip(seeds, sizes, strict=True):
        log_b, z_r, z_m, uniforms, z_extra = _draw(plan, seed, runs, space)
        happens = _happens(plan, uniforms)
        _to_log_path(log_b, plan.sd_b, plan.log_b)
        if z_r is None:
            log_r = space.view(1, runs)
            log_r[:] = plan.log_r[:, None]
        else:
            log_r = z_r
            _to_log_path(log_r, 1.0, plan.log_r)  # _draw scaled these shocks already
        if plan.fast:
            _apply_log(log_b, plan.events_b, 0, happens)
            _apply_log(log_r, plan.events_r, len(plan.events_b), happens)
            d = log_r
            d -= log_b
        else:
            if plan.split:
                assert plan.log_m is not None
                if z_m is None:
                    log_m = space.view(3, runs)
                    log_m[:] = plan.log_m[:, None]
                else:
                    log_m = z_m
                    _to_log_path(log_m, plan.sd_m, plan.log_m)
                offset = len(plan.events_b) + len(plan.events_r)
                exports = _apply_linear(np.exp(log_b), plan.events_x, offset, happens)
                imports = _apply_linear(np.exp(log_m), plan.events_m, offset + len(plan.events_x), happens)
                level = np.maximum(exports, 0.0) + np.maximum(imports, 0.0)
                offset += len(plan.events_x) + len(plan.events_m)
                for (log_leg, sd_leg, events_leg), drawn in zip(plan.extra, z_extra, strict=True):
                    if drawn is None:
                        log_leg_runs = np.broadcast_to(log_leg[:, None], (plan.years, runs)).copy()
                    else:
                        log_leg_runs = drawn
                        _to_log_path(log_leg_runs, sd_leg, log_leg)
                    level += np.maximum(_apply_linear(np.exp(log_leg_runs), events_leg, offset, happens), 0.0)
                    offset += len(events_leg)
            else:
                level = np.exp(log_b)
            bilateral = np.maximum(_apply_linear(level, plan.events_b, 0, happens), 1e-300)
            other = _apply_linear(np.exp(log_r), plan.events_r, len(plan.events_b), happens)
            rest = other - bilateral if plan.scenario.growth.other_flow == "total" else other
            np.log(bilateral, out=log_b)
            d = np.log(np.maximum(rest, 1e-300))
            d -= log_b
        _accumulate(totals, plan, log_b, d, space)
    return sum(sizes)


def _histogram(
    values: np.ndarray, scale: np.ndarray, shift: np.ndarray, space: _Workspace, inside: bool
) -> np.ndarray:
    """Counts per (year, bin); ``values · scale + shift`` is the bin index already offset by year.

    ``inside``: every value is known to lie within the histogram's range (from the exact minimum and maximum),
    so the clip can be skipped.
    """
    runs = values.shape[1]
    position = space.view(2, runs)
    np.multiply(values, scale[:, None], out=position)
    position += shift[:, None]
    last = len(scale) * BINS - 1
    if not inside:
        np.clip(position, _FIRST[: len(scale), None], _LAST[: len(scale), None], out=position)
    index = space.index[: position.size].reshape(position.shape)
    index[:] = position  # truncation toward zero: positions are ≥ 0 here
    return np.bincount(index.ravel(), minlength=last + 1).reshape(len(scale), BINS)


_FIRST = (np.arange(1000) * BINS).astype(float)
_LAST = _FIRST + BINS - 1


def _accumulate(totals: _Totals, plan: _Plan, log_b: np.ndarray, d: np.ndarray, space: _Workspace) -> None:
    above: Any = space.above[: log_b.size].reshape(log_b.shape)
    np.greater_equal(log_b, plan.log_target, out=above)
    totals.at_or_above += np.count_nonzero(above, axis=1)
    for t in range(1, above.shape[0]):  # reached by year t: at or above in any year up to t
        above[t] |= above[t - 1]
    totals.reached_by += np.count_nonzero(above, axis=1)
    low_b, high_b, low_d, high_d = log_b.min(axis=1), log_b.max(axis=1), d.min(axis=1), d.max(axis=1)
    inside_b = bool(np.all(low_b >= plan.lo_b) and np.all(high_b < plan.lo_b + (BINS - 1) * plan.width_b))
    inside_d = bool(np.all(low_d >= plan.lo_d) and np.all(high_d < plan.lo_d + (BINS - 1) * plan.width_d))
    totals.hist_b += _histogram(log_b, plan.scale_b, plan.shift_b, space, inside_b)
    totals.hist_d += _histogram(d, plan.scale_d, plan.shift_d, space, inside_d)
    np.minimum(totals.min_b, low_b, out=totals.min_b)
    np.maximum(totals.max_b, high_b, out=totals.max_b)
    np.minimum(totals.min_d, low_d, out=totals.min_d)
    np.maximum(totals.max_d, high_d, out=totals.max_d)


def _quantiles(
    hist: np.ndarray, lo: np.ndarray, width: np.ndarray, low: np.ndarray, high: np.ndarray, q: float
) -> np.ndarray:
    """Per-year q-quantile from a histogram: the rank q·(n − 1), interpolated within its bin."""
    out = np.empty(hist.shape[0])
    for year, counts in enumerate(hist):
        if low[year] == high[year]:  # every run has the same value (no uncertainty that year)
            out[year] = low[year]
            continue
        cumulative = np.cumsum(counts)
        rank = q * (cumulative[-1] - 1)
        i = int(np.searchsorted(cumulative, rank, side="right"))
        below = cumulative[i - 1] if i > 0 else 0
        fraction = (rank - below + 0.5) / counts[i]
        out[year] = min(max(lo[year] + (i + fraction) * width[year], low[year]), high[year])
    return out


def simulate(
    scenario: Scenario,
    *,
    target: float,
    runs: int = 100_000,
    rng: np.random.Generator | int | None = None,
    chunk_size: int = DEFAULT_CHUNK,
    threads: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    baseline: model.ResolvedBaseline | None = None,
    data: Dataset | None = None,
) -> SimulationResult:
    """Simulate ``runs`` paths of ``scenario`` and summarise them against ``target``.

    ``chunk_size`` (runs per vectorised batch, rounded up to whole blocks) and ``threads`` (default: the
    machine's cores) change speed and memory, never results. ``progress(done, total)`` is called per chunk.
    """
    if isinstance(runs, bool) or not isinstance(runs, int) or runs <= 0:
        raise InputError(f"runs must be a whole number > 0, got {runs!r}")
    if chunk_size <= 0:
        raise InputError(f"chunk size must be > 0, got {chunk_size!r}")
    seed = _seed_of(rng)
    base = baseline or model.resolve_baseline(scenario, data=data)
    projection = model.project(scenario, baseline=base)  # the deterministic path must be valid
    plan = _plan(scenario, target, base, projection)
    sizes = [BLOCK] * (runs // BLOCK) + ([runs % BLOCK] if runs % BLOCK else [])
    seeds = np.random.SeedSequence(seed).spawn(len(sizes))
    per_chunk = max(1, -(-chunk_size // BLOCK))
    chunks = [(seeds[i : i + per_chunk], sizes[i : i + per_chunk]) for i in range(0, len(sizes), per_chunk)]
    registry: list[_Totals] = []
    worker = _Worker(plan, registry, threading.Lock())
    done = 0
    with ThreadPoolExecutor(max_workers=max(1, threads or os.cpu_count() or 1)) as pool:
        for finished in pool.map(lambda chunk: _chunk(plan, worker, *chunk), chunks):
            done += finished
            if progress is not None:
                progress(done, runs)
    totals = _Totals.empty(plan.years)
    for part in registry:  # integer sums, minima and maxima: the order of threads does not matter
        totals.add(part)
    return _summarise(plan, totals, runs, seed, target)


def _summarise(plan: _Plan, totals: _Totals, runs: int, seed: int, target: float) -> SimulationResult:
    base = plan.baseline
    base_share = base.bilateral / base.total
    reached_at_base = base.bilateral >= target * (1.0 - model.REACHED_RTOL)
    first = 1.0 if reached_at_base else 0.0
    p_at = np.concatenate(([first], totals.at_or_above / runs))
    p_by = (
        np.concatenate(([first], totals.reached_by / runs))
        if not reached_at_base
        else np.ones(plan.years + 1)
    )
    bilateral_q, share_q = {}, {}
    for p in PERCENTILES:
        log_b = _quantiles(totals.hist_b, plan.lo_b, plan.width_b, totals.min_b, totals.max_b, p / 100)
        # share decreases in d: the p-th percentile of share is at the (100 − p)-th of d
        d = _quantiles(totals.hist_d, plan.lo_d, plan.width_d, totals.min_d, totals.max_d, 1 - p / 100)
        bilateral_q[p] = np.concatenate(([base.bilateral], np.exp(log_b)))
        share_q[p] = np.concatenate(([base_share], 1.0 / (1.0 + np.exp(d))))
    reached = np.concatenate(([runs if reached_at_base else 0], totals.reached_by))
    if reached_at_base:
        reached[:] = runs
    first_reached = np.diff(reached, prepend=0)  # integer counts: the fractions add up to exactly 1
    distribution = {str(int(y)): int(n) / runs for y, n in zip(plan.all_years, first_reached, strict=True)}
    distribution["never"] = int(runs - reached[-1]) / runs
    exact_b, exact_s = _median_is_deterministic(plan)
    spread = 1.96 * 0.5 / math.sqrt(runs)  # the median's 95% interval, as order statistics
    reached_range: tuple[int | None, int | None] | None = None
    if exact_b:  # the model's median: the deterministic projection, seed-free (module docstring)
        bilateral_q[50] = plan.median_bilateral
    else:
        earliest, latest = (
            _first_reached(plan, np.concatenate(([base.bilateral], np.exp(bound))), target)
            for bound in (
                _quantiles(totals.hist_b, plan.lo_b, plan.width_b, totals.min_b, totals.max_b, q)
                for q in (0.5 + spread, 0.5 - spread)
            )
        )
        reached_range = (earliest, latest)
    if exact_s:
        share_q[50] = plan.median_share
    median_year = _first_reached(plan, bilateral_q[50], target)
    median_share = share_range = None
    if median_year is not None:
        at = int(np.flatnonzero(plan.all_years == median_year)[0])
        median_share = float(share_q[50][at])
        if not exact_s and at > 0:  # share decreases in d: its low end is at d's high end
            low_d, high_d = (
                _quantiles(totals.hist_d, plan.lo_d, plan.width_d, totals.min_d, totals.max_d, q)[at - 1]
                for q in (0.5 - spread, 0.5 + spread)
            )
            share_range = (float(1.0 / (1.0 + np.exp(high_d))), float(1.0 / (1.0 + np.exp(low_d))))
    return SimulationResult(
        plan.scenario.name,
        runs,
        seed,
        target,
        plan.all_years,
        p_at,
        p_by,
        bilateral_q,
        share_q,
        distribution,
        median_year,
        median_share,
        plan.scenario.currency,
        "deterministic path" if exact_b else "sample",
        reached_range,
        "deterministic path" if exact_s else "sample",
        share_range,
        model.product_name(plan.scenario, plan.baseline),
    )


def _first_reached(plan: _Plan, path: np.ndarray, target: float) -> int | None:
    hits = np.flatnonzero(path >= target * (1.0 - model.REACHED_RTOL))
    return int(plan.all_years[hits[0]]) if hits.size else None


def _median_is_deterministic(plan: _Plan) -> tuple[bool, bool]:
    """Whether each year's median bilateral trade, and median share, are the deterministic projection's.

    A quantity's median is the projection's when it is a monotone function of one symmetric (normal) shock per
    year, or log-linear in normal shocks: a monotone function's median is the function of the median, and a
    normal's median is its mean, the deterministic log path. That needs every event certain (probability 1:
    the projection applies it; a chance event makes a mixture). Bilateral trade: not the sum of two
    independently shocked flows (exports and imports both with ``sd``). The share: log-linear (no amount
    events, no split), or with only one of bilateral and other trade shocked."""
    events = plan.scenario.events
    if any(e.probability != 1.0 for e in events):
        return False, False
    shocked = (plan.sd_b > 0) + (plan.split and plan.sd_m > 0) + sum(sd > 0 for _, sd, _ in plan.extra)
    bilateral = shocked <= 1  # one shocked component at most: a monotone function of one symmetric shock
    shocked_b = shocked > 0
    log_linear = not plan.split and all(e.amount is None for e in events)
    return bilateral, bilateral and (log_linear or not (shocked_b and plan.sd_r > 0))


def to_json(results: Sequence[SimulationResult]) -> dict[str, Any]:
    """The documented JSON of ``tradesim simulate`` (README "Uncertainty")."""
    first = results[0]
    return {
        "runs": first.runs,
        "seed": first.seed,
        "target": first.target if all(r.target == first.target for r in results) else None,
        "currency": first.currency if all(r.currency == first.currency for r in results) else None,
        "scenarios": [
            {
                "name": r.scenario,
                "scenario": r.scenario,  # the name every other command's JSON uses ("name" kept as it was)
                **({"commodity": r.product} if r.product else {}),
                "currency": r.currency,
                "target": r.target,
                "median_reached_year": r.median_reached_year,
                "median_share_at_reached": r.median_share_at_reached,
                "median_source": r.median_source,
                "median_reached_year_range": (
                    None if r.median_reached_range is None else list(r.median_reached_range)
                ),
                "median_share_source": r.median_share_source,
                "median_share_at_reached_range": (
                    None if r.median_share_range is None else list(r.median_share_range)
                ),
                "years": [
                    {
                        "year": int(year),
                        "p_at_or_above": float(r.p_at_or_above[i]),
                        "p_reached_by": float(r.p_reached_by[i]),
                        "bilateral_percentiles": {
                            str(p): float(r.bilateral_percentiles[p][i]) for p in PERCENTILES
                        },
                        "share_percentiles": {str(p): float(r.share_percentiles[p][i]) for p in PERCENTILES},
                    }
                    for i, year in enumerate(r.years)
                ],
                "reached_year_distribution": r.reached_year_distribution,
            }
            for r in results
        ],
    }
