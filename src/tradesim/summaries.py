"""The tables people read of a projection's results: the summary (reached year, share then, required growth), the
years, the spread over baselines, their titles and the words that describe a growth model. Text for people;
the numbers behind them are the frames (:func:`summary`, :func:`long_frame`)."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from tradesim import model
from tradesim.output import Rows
from tradesim.quantities import count, format_money, format_percent
from tradesim.schema import GrowthModel, Scenario

if TYPE_CHECKING:
    import pandas as pd

    from tradesim.report import ScenarioResult

YEAR_COLUMNS = ("year", "bilateral", "rest_of_world", "total", "share", "growth", "gap_to_target", "actual")


def common(values: list[Any]) -> Any:
    return values[0] if values and all(v == values[0] for v in values) else None


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
    base_year = common([r.scenario.base_year for r in results])
    horizon = common([r.scenario.horizon_year for r in results])
    target = common([r.target for r in results])
    by = common([r.by for r in results])
    spread = len({r.scenario.name for r in results}) < len(results)
    mixed = common([(r.scenario.reporter, r.scenario.partner) for r in results]) is None
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
    pair = common(
        [
            f"{names(r.scenario.reporter)}–{names(r.scenario.partner)}"
            + (f" {model.product_name(r.scenario, r.projection.baseline)}" if r.scenario.commodity else "")
            for r in results
        ]
    )
    target = common([r.target for r in results])
    currency = common([r.scenario.currency for r in results])
    if target is not None and currency is not None:
        against = f" against a {format_money(target, currency)} target"
    elif currency is None and (given := common([r.given for r in results])) is not None:
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


__all__ = [
    "YEAR_COLUMNS",
    "common",
    "describe_growth",
    "long_frame",
    "spread",
    "spread_display",
    "summary",
    "summary_display",
    "title",
    "years_display",
]
