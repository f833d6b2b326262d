"""The IAMC format: the long table integrated-assessment tools (pyam, the IIASA scenario explorer) read.

Columns ``model, scenario, region, variable, unit, year, value`` — one row a value. The mapping:

| variable | unit | what |
| --- | --- | --- |
| ``Trade|KAZ`` | ``billion USD/yr`` (the scenario's currency) | the reporter's total trade |
| ``Trade|KAZ|ITA`` | ``billion USD/yr`` | bilateral trade of the pair: a component of the total |
| ``Trade|KAZ|Rest of World`` | ``billion USD/yr`` | the reporter's trade with everyone else: the other component |
| ``Share|KAZ|ITA`` | ``%`` | the partner's share of the reporter's trade |
| ``Trade|KAZ|ITA|HS 27``, ``…|Other goods`` | ``billion USD/yr`` | a scenario's product legs: the components of the pair's trade |

The hierarchy is IAMC's: a total and its parts as ``Trade|KAZ`` and its children, so pyam's
``check_aggregate("Trade|KAZ")`` finds them and they add up. Units are written as the IAMC and iam-units
write them: the values carry their scale (billions) and the unit says it, per year (``billion USD/yr``;
current prices, the scenario's currency). ``simulate``'s percentiles are not children (``check_aggregate``
would add them up): each is the same variable with a ``quantile`` column (0.05 … 0.95), an extra column pyam
reads as its own dimension (``filter(quantile=0.5)``). With ``--baselines all`` each run's scenario is named
with its baseline (``steady (baseline $14.5B)``): one value per model, scenario, region, variable and year.

Written as CSV (long) or as an ``.xlsx`` workbook (a sheet ``data``, one column per year: pyam's layout) by
:mod:`tradesim.output`. ``model`` is ``tradesim <version>``; ``region`` the reporter (ISO 3166 alpha-3); amounts in billions (the
unit states the scale), shares in percent.
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

Row = tuple[str, str, str, str, str, int, float]  # model, scenario, region, variable, unit, year, value
QuantileRow = tuple[str, str, str, str, str, float, int, float]  # … unit, quantile, year, value
COLUMNS = ("model", "scenario", "region", "variable", "unit", "year", "value")
QUANTILE_COLUMNS = ("model", "scenario", "region", "variable", "unit", "quantile", "year", "value")
SCALE = 1e9  # amounts in billions: the unit says so


def unit_of(currency: str) -> str:
    """An amount's IAMC unit: ``billion USD/yr``."""
    return f"billion {currency}/yr"


def columns_of(rows: Sequence[tuple[object, ...]]) -> tuple[str, ...]:
    """The columns of ``rows``: with ``quantile`` when they are percentiles."""
    return QUANTILE_COLUMNS if rows and len(rows[0]) == len(QUANTILE_COLUMNS) else COLUMNS


MODEL = f"tradesim {__version__}"


def _variables(reporter: str, partner: str, currency: str) -> dict[str, tuple[str, str]]:
    return {
        "total": (f"Trade|{reporter}", unit_of(currency)),
        "bilateral": (f"Trade|{reporter}|{partner}", unit_of(currency)),
        "rest_of_world": (f"Trade|{reporter}|Rest of World", unit_of(currency)),
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
                unit_of(scenario.currency),
            )
        for year_row in result.projection.rows():
            for key, (variable, unit) in names.items():
                value = year_row[key] * 100 if unit == "%" else year_row[key] / SCALE
                rows.append((MODEL, name, scenario.reporter, variable, unit, int(year_row["year"]), value))
    return rows


def simulation_rows(results: Sequence[SimulationResult], scenarios: Sequence[Scenario]) -> list[QuantileRow]:
    """The rows of ``tradesim simulate``: every percentile of bilateral trade and of the share, the percentile
    in the ``quantile`` column (0.05 … 0.95)."""
    rows: list[QuantileRow] = []
    for result, scenario in zip(results, scenarios, strict=True):
        names = _variables(scenario.reporter, scenario.partner, scenario.currency)
        for key, percentiles in (
            ("bilateral", result.bilateral_percentiles),
            ("share", result.share_percentiles),
        ):
            variable, unit = names[key]
            scale = 100.0 if unit == "%" else 1 / SCALE
            for p, values in sorted(percentiles.items()):
                for year, value in zip(result.years.tolist(), values.tolist(), strict=True):
                    rows.append(
                        (MODEL, result.scenario, scenario.reporter, variable, unit, p / 100, int(year),
                         value * scale)
                    )  # fmt: skip
    return rows
