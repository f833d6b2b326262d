"""The IAMC format: the long table integrated-assessment tools (pyam, the IIASA scenario explorer) read.

Columns ``model, scenario, region, variable, unit, year, value`` — one row a value. The mapping:

| variable | unit | what |
| --- | --- | --- |
| ``Trade|KAZ`` | ``USD`` (the scenario's currency) | the reporter's total trade |
| ``Trade|KAZ|ITA`` | ``USD`` | bilateral trade of the pair: a component of the total |
| ``Trade|KAZ|Rest of World`` | ``USD`` | the reporter's trade with everyone else: the other component |
| ``Share|KAZ|ITA`` | ``%`` | the partner's share of the reporter's trade |
| ``Trade|KAZ|ITA|HS 27``, ``…|Other goods`` | ``USD`` | a scenario's product legs: the components of the pair's trade |
| ``…|Percentile 05`` … ``|Percentile 95`` | as above | ``simulate``: each percentile a variable of its own |

The hierarchy is IAMC's: a total and its parts as ``Trade|KAZ`` and its children, so pyam's
``check_aggregate("Trade|KAZ")`` finds them and they add up; percentiles are zero-padded so they sort as
numbers. With ``--baselines all`` each run's scenario is named with its baseline (``steady (baseline
$14.5B)``): one value per model, scenario, region, variable and year.

Written as CSV (long) or as an ``.xlsx`` workbook (a sheet ``data``, one column per year: pyam's layout) by
:mod:`tradesim.output`. ``model`` is ``tradesim <version>``; ``region`` the reporter (ISO 3166 alpha-3); amounts in currency units (the
IAMC convention leaves the scale to the unit), shares in percent.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from tradesim import __version__
from tradesim.quantities import format_money

if TYPE_CHECKING:
    from tradesim.montecarlo import SimulationResult
    from tradesim.report import ScenarioResult
    from tradesim.schema import Scenario

Row = tuple[str, str, str, str, str, int, float]

MODEL = f"tradesim {__version__}"


def _variables(reporter: str, partner: str, currency: str) -> dict[str, tuple[str, str]]:
    return {
        "total": (f"Trade|{reporter}", currency),
        "bilateral": (f"Trade|{reporter}|{partner}", currency),
        "rest_of_world": (f"Trade|{reporter}|Rest of World", currency),
        "share": (f"Share|{reporter}|{partner}", "%"),
    }


def projection_rows(results: Sequence[ScenarioResult]) -> list[Row]:
    """The rows of ``tradesim project`` results."""
    rows: list[Row] = []
    runs: dict[str, int] = {}
    for result in results:
        runs[result.scenario.name] = runs.get(result.scenario.name, 0) + 1
    for result in results:
        scenario = result.scenario
        name = scenario.name
        if runs[name] > 1:  # --baselines all: one IAMC scenario per baseline, named by it
            name = (
                f"{name} (baseline {format_money(result.projection.baseline.bilateral, scenario.currency)})"
            )
        names = _variables(scenario.reporter, scenario.partner, scenario.currency)
        for b in result.projection.baseline.legs:  # children of the pair: check_aggregate adds them up to it
            part = "Other goods" if b.leg.commodity == "rest" else b.name
            names[f"leg:{b.leg.commodity}"] = (
                f"Trade|{scenario.reporter}|{scenario.partner}|{part}",
                scenario.currency,
            )
        for year_row in result.projection.rows():
            for key, (variable, unit) in names.items():
                value = year_row[key] * (100 if unit == "%" else 1)
                rows.append((MODEL, name, scenario.reporter, variable, unit, int(year_row["year"]), value))
    return rows


def simulation_rows(results: Sequence[SimulationResult], scenarios: Sequence[Scenario]) -> list[Row]:
    """The rows of ``tradesim simulate``: every percentile of bilateral trade and of the share."""
    rows: list[Row] = []
    for result, scenario in zip(results, scenarios, strict=True):
        names = _variables(scenario.reporter, scenario.partner, scenario.currency)
        for key, percentiles in (
            ("bilateral", result.bilateral_percentiles),
            ("share", result.share_percentiles),
        ):
            variable, unit = names[key]
            scale = 100.0 if unit == "%" else 1.0
            for p, values in sorted(percentiles.items()):
                for year, value in zip(result.years.tolist(), values.tolist(), strict=True):
                    label = f"{variable}|Percentile {p:02d}"  # 05 … 95: sorts as numbers
                    rows.append(
                        (MODEL, result.scenario, scenario.reporter, label, unit, int(year), value * scale)
                    )
    return rows
