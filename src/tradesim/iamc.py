"""The IAMC format: the long table integrated-assessment tools (pyam, the IIASA scenario explorer) read.

Columns ``model, scenario, region, variable, unit, year, value`` — one row a value. The mapping:

| variable | unit | what |
| --- | --- | --- |
| ``Trade|Bilateral|KAZ-ITA`` | ``USD`` (the scenario's currency) | bilateral trade of the pair |
| ``Trade|Total|KAZ`` | ``USD`` | the reporter's total trade |
| ``Trade|Rest of World|KAZ`` | ``USD`` | the reporter's trade with everyone else |
| ``Share|ITA in KAZ`` | ``%`` | the partner's share of the reporter's trade |
| ``…|Percentile 5`` … ``|Percentile 95`` | as above | ``simulate``: each percentile a variable of its own |

Written as CSV (long) or as an ``.xlsx`` workbook (a sheet ``data``, one column per year: pyam's layout) by
:mod:`tradesim.output`. ``model`` is ``tradesim <version>``; ``region`` the reporter (ISO 3166 alpha-3); amounts in currency units (the
IAMC convention leaves the scale to the unit), shares in percent.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from tradesim import __version__

if TYPE_CHECKING:
    from tradesim.montecarlo import SimulationResult
    from tradesim.report import ScenarioResult
    from tradesim.schema import Scenario

Row = tuple[str, str, str, str, str, int, float]

MODEL = f"tradesim {__version__}"


def _variables(reporter: str, partner: str, currency: str) -> dict[str, tuple[str, str]]:
    return {
        "bilateral": (f"Trade|Bilateral|{reporter}-{partner}", currency),
        "total": (f"Trade|Total|{reporter}", currency),
        "rest_of_world": (f"Trade|Rest of World|{reporter}", currency),
        "share": (f"Share|{partner} in {reporter}", "%"),
    }


def projection_rows(results: Sequence[ScenarioResult]) -> list[Row]:
    """The rows of ``tradesim project`` results."""
    rows: list[Row] = []
    for result in results:
        scenario = result.scenario
        names = _variables(scenario.reporter, scenario.partner, scenario.currency)
        for year_row in result.projection.rows():
            for key, (variable, unit) in names.items():
                value = year_row[key] * (100 if unit == "%" else 1)
                rows.append(
                    (MODEL, scenario.name, scenario.reporter, variable, unit, int(year_row["year"]), value)
                )
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
                    label = f"{variable}|Percentile {p}"
                    rows.append(
                        (MODEL, result.scenario, scenario.reporter, label, unit, int(year), value * scale)
                    )
    return rows
