"""The notes a projection's results carry: where each baseline came from, what was converted and at which rate,
which figure is a part year or a product, what a product leg rests on — the caveats every output prints."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from tradesim import model
from tradesim.data.observation import Observation
from tradesim.quantities import format_money, format_percent

if TYPE_CHECKING:
    from tradesim.report import ScenarioResult


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


def figures_used(result: ScenarioResult) -> list[tuple[str, Observation]]:
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


__all__ = ["actual_conversions", "figures_used", "leg_notes", "notes", "product_note"]
