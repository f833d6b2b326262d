"""Results as data: per-scenario results against a target, summary and per-year tables, the JSON contract.

Nothing here prints; the CLI renders what these functions return.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any

from tradesim import model
from tradesim.data import Dataset, shipped
from tradesim.data.observation import Observation
from tradesim.errors import InputError, Problem, SolveError
from tradesim.output import Result, Rows
from tradesim.quantities import TargetAmount, count, format_money, format_percent
from tradesim.schema import GrowthModel, Scenario

if TYPE_CHECKING:
    import pandas as pd

YEAR_COLUMNS = ("year", "bilateral", "rest_of_world", "total", "share", "growth", "gap_to_target", "actual")


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


class Results(list[ScenarioResult], Result):
    """What :func:`evaluate` returns: the scenarios' results, in order (a list), as one result.

    ``rows()`` is the summary table, ``frame()`` every scenario's years in long form (index scenario, year),
    ``iamc()`` the IAMC rows; ``to_json()`` the documented contract, with the baseline spread when every
    published baseline was run (``all_baselines``)."""

    def __init__(self, results: Iterable[ScenarioResult] = (), *, all_baselines: bool = False) -> None:
        super().__init__(results)
        self.all_baselines = all_baselines

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
                for what, o in _used(r)
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
    results = Results(all_baselines=all_baselines)
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
    return results


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


# ------------------------------------------------------------------------------------------------ describe
def describe_growth(growth: GrowthModel | None, currency: str = "USD") -> str:
    """A short human description: ``+5.0%/yr``, ``to $20.0B in 2027, then +0.0%/yr``, ... (the model's own)."""
    return "—" if growth is None else growth.describe(currency)


def _bilateral_growth(scenario: Scenario) -> str:
    g = scenario.growth
    if scenario.legs:
        text = ", ".join(
            f"{leg.name} {describe_growth(leg.growth, scenario.currency)}{' volume' if leg.price else ''}"
            for leg in scenario.legs
        )
        return text + (f" + {count(len(scenario.events), 'event')}" if scenario.events else "")
    if g.split:
        return f"exports {describe_growth(g.exports)}, imports {describe_growth(g.imports)}"
    text = describe_growth(g.bilateral)
    return text + (f" + {count(len(scenario.events), 'event')}" if scenario.events else "")


def _other_growth(scenario: Scenario) -> str:
    flow = scenario.growth.other_flow
    text = describe_growth(getattr(scenario.growth, flow))
    return f"total {text}" if flow == "total" else text


# ------------------------------------------------------------------------------------------------- tables
def summary(results: Sequence[ScenarioResult]) -> pd.DataFrame:
    """One row per scenario, numbers unformatted (fractions and currency units)."""
    import pandas as pd

    return pd.DataFrame(
        [
            {
                "scenario": r.scenario.name,
                "base_year": r.scenario.base_year,
                "baseline": r.projection.baseline.bilateral,
                "baseline_total": r.projection.baseline.total,
                "bilateral_growth": _bilateral_growth(r.scenario),
                "other_growth": _other_growth(r.scenario),
                "target": r.target,
                "reached_year": r.reached_year,
                "share_at_reached": r.share_at_reached,
                "horizon": r.scenario.horizon_year,
                "share_at_horizon": r.share_at_horizon,
                "by": r.by,
                "required_growth": r.required_growth,
                "actual_reached_year": r.actual_reached_year,
            }
            for r in results
        ]
    )


def summary_display(results: Sequence[ScenarioResult]) -> Rows:
    """The summary formatted for people, one dict a row: money as $14.5B, shares and rates as percent.

    What all scenarios share (base year, target, horizon, ``by``) goes into the column headers or the title
    (:func:`title`) rather than into every row.
    """
    base_year = _common([r.scenario.base_year for r in results])
    horizon = _common([r.scenario.horizon_year for r in results])
    target = _common([r.target for r in results])
    by = _common([r.by for r in results])
    spread = len({r.scenario.name for r in results}) < len(results)
    mixed = _common([(r.scenario.reporter, r.scenario.partner) for r in results]) is None
    rows = []
    for r in results:
        currency = r.scenario.currency
        baseline = format_money(r.projection.baseline.bilateral, currency)
        share_end = format_percent(r.share_at_horizon)
        row = {"scenario": r.scenario.name}
        if mixed:  # the title cannot name one pair: each row does
            row["pair"] = f"{r.scenario.reporter}–{r.scenario.partner}"
        row |= {
            f"base {base_year}" if base_year else "baseline": baseline
            if base_year
            else (f"{baseline} ({r.scenario.base_year})"),
            "growth": _bilateral_growth(r.scenario),
            "rest": _other_growth(r.scenario),
        }
        if spread:
            source = r.projection.baseline.bilateral_source
            row["baseline source"] = f"{source.period}, {source.status}" if source else "scenario file"
        if target is None:
            row["target"] = format_money(r.target, currency)
        row["reached"] = str(r.reached_year) if r.reached_year else f"not by {r.scenario.horizon_year}"
        row["share then"] = format_percent(r.share_at_reached) if r.share_at_reached is not None else "—"
        row[f"share {horizon}" if horizon else "share at horizon"] = (
            share_end if horizon else f"{share_end} ({r.scenario.horizon_year})"
        )
        if any(x.by is not None for x in results):
            growth = r.required_growth
            needed = f"{format_percent(growth, 2, signed=True)}" if growth is not None else "—"
            row[f"need by {by}" if by else "need"] = needed if by or r.by is None else f"{needed} by {r.by}"
        others = r.targets()[1:]
        if any(len(x.targets()) > 1 for x in results):
            row["other targets"] = (
                "; ".join(_other_target(t, currency, r.scenario.horizon_year) for t in others) or "—"
            )
        rows.append(row)
    return rows


def _other_target(target: dict[str, Any], currency: str, horizon: int) -> str:
    """``$40.0B by 2030: reached 2031`` (or ``not by 2035``)."""
    by = f" by {target['year']}" if target["year"] else ""
    reached = f"reached {target['reached_year']}" if target["reached_year"] else f"not by {horizon}"
    return f"{format_money(target['value'], currency)}{by}: {reached}"


def title(results: Sequence[ScenarioResult], names: Callable[[str], str] = str) -> str:
    """``KAZ–ITA trade against a $20.0B target`` (the target when all scenarios share it); with ``names``
    (:func:`tradesim.codes.country_name`) ``Kazakhstan–Italy trade …``."""
    pair = _common(
        [
            f"{names(r.scenario.reporter)}–{names(r.scenario.partner)}"
            + (f" {model.product_name(r.scenario, r.projection.baseline)}" if r.scenario.commodity else "")
            for r in results
        ]
    )
    target = _common([r.target for r in results])
    currency = _common([r.scenario.currency for r in results])
    if target is not None and currency is not None:
        against = f" against a {format_money(target, currency)} target"
    elif currency is None and (given := _common([r.given for r in results])) is not None:
        # one target, rows in several currencies: as given, and what it is in the rows of each other currency
        each = {
            r.scenario.currency: format_money(r.target, r.scenario.currency)
            for r in results
            if r.scenario.currency != given.currency
        }
        against = f" against a {given.label()} target ({'; '.join(f'{v} in the {c} rows' for c, v in each.items())})"
    else:
        against = " against each target"
    return f"{pair or 'Bilateral'} trade{against}"


def spread(results: Sequence[ScenarioResult]) -> list[dict[str, Any]]:
    """Per scenario, the runs against each baseline and the min–max of reached year and share then."""
    by_name: dict[str, list[ScenarioResult]] = {}
    for r in results:
        by_name.setdefault(r.scenario.name, []).append(r)
    out = []
    for name, runs in by_name.items():
        reached = [r.reached_year for r in runs]
        shares = [r.share_at_reached for r in runs if r.share_at_reached is not None]
        out.append(
            {
                "name": name,
                "runs": [
                    {
                        "baseline": r.projection.baseline.bilateral,
                        "baseline_source": (
                            r.projection.baseline.bilateral_source.provenance()
                            if r.projection.baseline.bilateral_source
                            else None
                        ),
                        "reached_year": r.reached_year,
                        "share_at_reached": r.share_at_reached,
                        "share_at_horizon": r.share_at_horizon,
                    }
                    for r in runs
                ],
                "reached_year_min": min((y for y in reached if y is not None), default=None),
                "reached_year_max": None if None in reached else max(y for y in reached if y is not None),
                "share_at_reached_min": min(shares, default=None),
                "share_at_reached_max": max(shares, default=None),
                "horizon": runs[0].scenario.horizon_year,
            }
        )
    return out


def spread_display(results: Sequence[ScenarioResult]) -> Rows:
    """The baseline spread formatted: one row per scenario, reached year and share then as min–max."""
    rows = []
    for entry in spread(results):
        low, high = entry["reached_year_min"], entry["reached_year_max"]
        never = f"not by {entry['horizon']}"
        reached = f"{low or never}–{high or never}" if low != high else str(low or never)
        s_low, s_high = entry["share_at_reached_min"], entry["share_at_reached_max"]
        share = (
            "—"
            if s_low is None
            else format_percent(s_low)
            if s_low == s_high
            else f"{format_percent(s_low)}–{format_percent(s_high)}"
        )
        baselines = [format_money(run["baseline"]) for run in entry["runs"]]
        rows.append(
            {
                "scenario": entry["name"],
                "baselines": ", ".join(baselines),
                "reached": reached,
                "share then": share,
            }
        )
    return rows


def years_display(result: ScenarioResult) -> Rows:
    """The per-year table of one scenario, formatted."""
    currency = result.scenario.currency

    def money(value: float) -> str:
        return "—" if math.isnan(value) else format_money(value, currency, 2)

    return [
        {
            "year": str(row["year"]),
            "bilateral": money(row["bilateral"]),
            "rest of world": money(row["rest_of_world"]),
            "total": money(row["total"]),
            "share": format_percent(row["share"], 2),
            **(
                {"exports": money(row["exports"]), "imports": money(row["imports"])}
                if "exports" in row
                else {}
            ),
            **{b.name: money(row[f"leg:{b.leg.commodity}"]) for b in result.projection.baseline.legs},
            "growth": "—" if math.isnan(row["growth"]) else format_percent(row["growth"], 1, signed=True),
            "gap to target": "reached" if row["gap_to_target"] <= 0 else money(row["gap_to_target"]),
            "actual": money(row["actual"]),
        }
        for row in result.projection.rows(result.target)
    ]


def long_frame(results: Sequence[ScenarioResult]) -> pd.DataFrame:
    """Every scenario's per-year rows in long form with ``scenario``, ``reporter``, ``partner`` and ``currency``
    columns (the CSV output)."""
    import pandas as pd

    pair = ("reporter", "partner", "currency")
    frames = [
        r.projection.frame(r.target).assign(
            scenario=r.scenario.name,
            reporter=r.scenario.reporter,
            partner=r.scenario.partner,
            currency=r.scenario.currency,
        )
        for r in results
    ]
    legs = list(dict.fromkeys(c for frame in frames for c in frame.columns if c.startswith("leg:")))
    return pd.concat(frames, ignore_index=True)[["scenario", *pair, *YEAR_COLUMNS, *legs]]


def actual_conversions(result: ScenarioResult) -> list[str]:
    """How each actual shown beside the projection was converted into the scenario's currency, with the rate
    and its year (a year past the rates says which year's rate was held)."""
    return [
        f"actual {year}: {o.label()} was {o.fx}"
        for year, o in sorted(result.projection.actuals.items())
        if o.fx
    ]


def product_note(result: ScenarioResult) -> str:
    """What a scenario of one product models: its figure, and what the share is a share of."""
    s, base = result.scenario, result.projection.baseline
    source, name = base.bilateral_source, model.product_name(s, base)
    said = f"{source.label()}, {source.source}" if source is not None else "the scenario file's baseline"
    return (
        f"{s.name} models {name} only: {s.reporter}–{s.partner} {name} trade from {said}, not the pair's trade "
        f"in all goods; its share is of {s.reporter}'s total trade (all goods)"
    )


def _used(result: ScenarioResult) -> list[tuple[str, Observation]]:
    """Every observation a scenario's numbers rest on, with what it is used as."""
    base = result.projection.baseline
    found = [("base year, bilateral", base.bilateral_source), ("base year, total trade", base.total_source)]
    found += [(f"base year, the {b.name} leg", b.source) for b in base.legs]
    found += [(f"actual {year}", o) for year, o in sorted(result.projection.actuals.items())]
    return [(what, o) for what, o in found if o is not None]


def leg_notes(result: ScenarioResult) -> list[str]:
    """One line for a scenario with product legs: each leg's base value, how it was set (a stated share's
    status, and where its source is written; a data figure's label) and a price leg's price path."""
    scenario, projection = result.scenario, result.projection
    if not projection.baseline.legs:
        return []
    where = f" in {scenario.path.name}" if scenario.path is not None else ""
    parts = []
    for i, b in enumerate(projection.baseline.legs):
        money = format_money(b.value, scenario.currency)
        if b.leg.commodity == "rest":
            parts.append(f"{b.name} {money} (the rest)")
        elif b.source is not None:
            parts.append(f"{b.name} {money} ({b.source.label()}, {b.source.source})")
        else:
            stated = (
                f"{format_percent(b.leg.share)} of the bilateral trade"
                if isinstance(b.leg.share, float)
                else "stated"
            )
            parts.append(
                f"{b.name} {money}, {stated} ({b.leg.status}: its source is legs[{i}].source{where})"
            )
        price = b.leg.price
        if price is not None:
            prices, unit = model.price_path(scenario, i, projection.data, projection.years)
            held = [
                int(y)
                for y, p, q in zip(projection.years[1:], prices[1:], prices[:-1], strict=True)
                if p == q
            ]
            parts[-1] += (
                f", volume × {price.series or 'stated prices'} ({unit}: {prices[0]:.2f} in {scenario.base_year}, "
                f"{prices[-1]:.2f} in {int(projection.years[-1])}"
                + (f"; held from {held[0]}, an assumption)" if price.hold and held else ")")
            )
    return [f"{scenario.name}: product legs in {scenario.base_year}: " + "; ".join(parts)]


def notes(results: Sequence[ScenarioResult]) -> list[str]:
    """Warnings (partial-year or unverified baselines) and actuals, each once, in order."""
    seen: dict[str, None] = {}
    for r in results:
        for note in (*r.scenario.notes, *([r.target_note] if r.target_note else [])):
            seen.setdefault(note, None)
    for r in results:
        for warning in r.warnings:
            seen.setdefault(warning, None)
    for r in results:
        for note in leg_notes(r):
            seen.setdefault(note, None)
        if r.scenario.commodity:
            seen.setdefault(product_note(r), None)
    for r in results:
        for conversion in actual_conversions(r):
            seen.setdefault(conversion, None)
    for r in results:
        year = r.actual_reached_year
        if year is not None:
            observed = r.projection.actuals[year]
            loose = (
                f", on {'an approximate' if observed.status == 'approximate' else 'a rounded'} figure (about "
                f"{format_money(observed.amount, r.scenario.currency, 0)}, {year})"
                if observed.met_on_rounding(r.target)
                else ""
            )
            seen.setdefault(
                f"actuals: {r.scenario.reporter}–{r.scenario.partner} trade was {observed.label()} in {year} "
                f"({observed.source}): a target of {format_money(r.target, r.scenario.currency)} was already "
                f"reached in the actuals{loose}",
                None,
            )
    return list(seen)


# --------------------------------------------------------------------------------------------------- JSON
def _number(value: Any) -> Any:
    if value is None:
        return None
    value = float(value)
    return None if math.isnan(value) else value


def _common(values: list[Any]) -> Any:
    return values[0] if values and all(v == values[0] for v in values) else None


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
        "target": _common([r.target for r in results]),
        "by": _common([r.by for r in results]),
        "currency": _common([r.scenario.currency for r in results]),  # null when scenarios differ
        "scenarios": scenarios,
    }


__all__ = [
    "Results",
    "ScenarioResult",
    "Standing",
    "evaluate",
    "in_currency",
    "long_frame",
    "notes",
    "spread",
    "standing",
    "summary",
    "summary_display",
    "title",
    "to_json",
    "years_display",
]
