"""`tradesim solve growth|year|share|rest-growth`: goal seek."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from tradesim.cli import render
from tradesim.cli._app import Boundary
from tradesim.cli.options import (
    TABLES,
    Baselines,
    BaselinesOption,
    CommodityOption,
    DataDir,
    GrowthOption,
    Output,
    RestGrowthOption,
    ScenarioArgs,
    ScenarioDir,
    ShareOption,
    TableFormat,
    TargetOption,
    YearOption,
    chosen_scenarios,
    dataset,
    format_option,
)
from tradesim.errors import InputError
from tradesim.quantities import TargetAmount, parse_target

solve_app = typer.Typer(
    cls=Boundary,
    help="Goal seek: required growth, the year reached, the share arithmetic.",
    rich_markup_mode=None,
)


def _in_currencies(
    target: TargetAmount, runs: list[tuple[Any, Any]], year: int | None
) -> tuple[list[float], list[str], str]:
    """The target in each scenario's currency (converted at the annual rate of ``year``, or the last full
    year's held, and said so), the notes that say so, and the target in words for the title: as given, with
    what it is in the rows' other currencies. A bare amount over scenarios in several currencies is refused
    (:meth:`TargetAmount.settled`)."""
    from tradesim.quantities import format_money
    from tradesim.report import in_currency, plausible_target

    settled = target.settled({item.currency for item, _ in runs})
    amounts, notes, elsewhere = [], [], dict[str, str]()
    for item, base in runs:
        converted, note = in_currency(settled.amount, settled.currency, item, year, data=base.data)
        plausible_target(settled.text, converted, item, base.data)
        amounts.append(converted)
        if note is not None and note not in notes:
            notes.append(note)
        if item.currency != settled.currency:
            elsewhere.setdefault(item.currency, format_money(converted, item.currency))
    shown = settled.label()
    if elsewhere:
        shown += f" ({'; '.join(f'{v} in the {c} scenarios' for c, v in elsewhere.items())})"
    return amounts, notes, shown


def _trade(runs: list[tuple[Any, Any]]) -> str:
    """``bilateral trade``, or ``HS 27 trade`` when every scenario models that one product (``--commodity``)."""
    from tradesim import model

    products = {model.product_name(item, base) for item, base in runs}
    product = next(iter(products)) if len(products) == 1 else "each scenario's"
    return f"{product} trade" if any(products) else "bilateral trade"


def _solve_runs(
    names: list[str] | None,
    scenario_dir: Path | None,
    growth: str | None,
    rest_growth: str | None,
    baselines: Baselines,
    data_dir: Path | None,
    commodity: str | None = None,
) -> list[tuple[Any, Any]]:
    """(scenario, baseline) pairs: one per scenario, or one per published baseline with ``--baselines all``;
    each baseline carries the data it was resolved from."""
    from tradesim import model

    data = dataset(data_dir)
    pairs: list[tuple[Any, Any]] = []
    for item in chosen_scenarios(
        names, scenario_dir, growth, rest_growth, default_all=False, commodity=commodity
    ):
        variants = (
            model.baseline_variants(item, data=data)
            if baselines is Baselines.all
            else [model.resolve_baseline(item, data=data)]
        )
        pairs.extend((item, variant) for variant in variants)
    return pairs


LegOption = Annotated[
    str | None,
    typer.Option(
        metavar="CLASSIFICATION:CODE",
        help="A product leg of the scenarios' [[legs]], by its commodity (HS:27): solve for that leg alone, "
        "the other legs as in the scenario.",
    ),
]


@solve_app.command("growth", short_help="The growth that reaches the target by a year.")
def solve_growth(
    target: TargetOption,
    by: Annotated[int, typer.Option(help="The year the target is to be reached.")],
    scenarios: ScenarioArgs = None,
    leg: LegOption = None,
    baselines: BaselinesOption = Baselines.default,
    format: Annotated[TableFormat | None, format_option(*TABLES)] = None,
    output: Output = None,
    commodity: CommodityOption = None,
    scenario_dir: ScenarioDir = None,
    data_dir: DataDir = None,
) -> None:
    """The constant annual growth of bilateral trade that reaches the target exactly in --by."""
    from tradesim import solve

    chosen_format = render.settle(format, output, TABLES)
    given = parse_target(target)
    runs = _solve_runs(scenarios, scenario_dir, None, None, baselines, data_dir, commodity)
    amounts, notes, shown = _in_currencies(given, runs, by)
    answers = [solve.required_growth(s, amounts[i], by, baseline=b, leg=leg) for i, (s, b) in enumerate(runs)]
    named = {s.legs[solve.leg_index(s, leg)].name for s, _ in runs} if leg else set()
    what = next(iter(named)) if len(named) == 1 else leg
    priced = leg is not None and any(s.legs[solve.leg_index(s, leg)].price for s, _ in runs)
    rows = solve.growth_display(answers, [s for s, _ in runs], amounts, by, what if leg else None)
    solved = (
        f"the constant annual growth of {what}{' volume' if priced else ''} alone (the other legs as in the "
        f"scenario) that brings bilateral trade to {shown} in {by}"
        if leg
        else f"the constant annual growth of {_trade(runs)} that reaches {shown} in {by}"
    )
    render.solve_report("growth", solved, rows, answers, chosen_format, output, runs)
    render.print_notes(notes)


@solve_app.command("price", short_help="The price of a product leg that reaches the target by a year.")
def solve_price(
    target: TargetOption,
    by: Annotated[int, typer.Option(help="The year the target is to be reached.")],
    leg: Annotated[
        str,
        typer.Option(
            metavar="CLASSIFICATION:CODE",
            help="The price-driven leg of the scenarios' [[legs]], by its commodity (HS:27).",
        ),
    ],
    scenarios: ScenarioArgs = None,
    format: Annotated[TableFormat | None, format_option(*TABLES)] = None,
    output: Output = None,
    commodity: CommodityOption = None,
    scenario_dir: ScenarioDir = None,
    data_dir: DataDir = None,
) -> None:
    """The price of a price-driven leg in --by that brings bilateral trade to the target then, the leg's volume
    and the other legs as in the scenario ("what Brent price reaches $20B by 2027 at the scenario's volumes")."""
    from tradesim import solve

    chosen_format = render.settle(format, output, TABLES)
    given = parse_target(target)
    runs = _solve_runs(scenarios, scenario_dir, None, None, Baselines.default, data_dir, commodity)
    amounts, notes, shown = _in_currencies(given, runs, by)
    answers = [solve.required_price(s, amounts[i], by, leg, baseline=b) for i, (s, b) in enumerate(runs)]
    rows = solve.price_display(answers, [s for s, _ in runs], amounts, by)
    solved = f"the {leg} price in {by} that brings bilateral trade to {shown}, volumes as in the scenario"
    render.solve_report("price", solved, rows, answers, chosen_format, output, runs)
    render.print_notes(notes)


@solve_app.command("year", short_help="The year the target is reached.")
def solve_year(
    target: TargetOption,
    scenarios: ScenarioArgs = None,
    growth: GrowthOption = None,
    rest_growth: RestGrowthOption = None,
    baselines: BaselinesOption = Baselines.default,
    format: Annotated[TableFormat | None, format_option(*TABLES)] = None,
    output: Output = None,
    commodity: CommodityOption = None,
    scenario_dir: ScenarioDir = None,
    data_dir: DataDir = None,
) -> None:
    """The first calendar year the target is reached, and the exact crossing time within that year."""
    from tradesim import solve

    chosen_format = render.settle(format, output, TABLES)
    if not scenarios and growth is None:
        raise InputError("solve year needs a growth path: pass --growth RATE or name a scenario")
    given = parse_target(target)
    runs = _solve_runs(scenarios, scenario_dir, growth, rest_growth, baselines, data_dir, commodity)
    amounts, notes, shown = _in_currencies(given, runs, None)
    answers = [solve.reached(s, amounts[i], baseline=b) for i, (s, b) in enumerate(runs)]
    rows = solve.year_display(answers, [s for s, _ in runs])
    solved = f"the first year {_trade(runs)} reaches {shown} (crossing: continuous compounding)"
    render.solve_report("year", solved, rows, answers, chosen_format, output, runs)
    render.print_notes(notes)


@solve_app.command("share", short_help="The total trade at which the target is a share.")
def solve_share(
    target: TargetOption,
    share: ShareOption,
    scenarios: ScenarioArgs = None,
    year: YearOption = None,
    growth: GrowthOption = None,
    rest_growth: RestGrowthOption = None,
    baselines: BaselinesOption = Baselines.default,
    format: Annotated[TableFormat | None, format_option(*TABLES)] = None,
    output: Output = None,
    commodity: CommodityOption = None,
    scenario_dir: ScenarioDir = None,
    data_dir: DataDir = None,
) -> None:
    """The total trade at which the target is SHARE of it, and how far that is from the scenario's total."""
    from tradesim import solve
    from tradesim.quantities import format_percent, parse_share

    chosen_format = render.settle(format, output, TABLES)
    given = parse_target(target)
    fraction = parse_share(share, what="--share")
    runs = _solve_runs(scenarios, scenario_dir, growth, rest_growth, baselines, data_dir, commodity)
    amounts, notes, shown = _in_currencies(given, runs, year)
    answers = [
        solve.total_for_share(s, amounts[i], fraction, year=year, baseline=b) for i, (s, b) in enumerate(runs)
    ]
    rows = solve.share_display(answers, [s for s, _ in runs])
    trade = _trade(runs)
    solved = (
        f"the total trade at which {shown} is {format_percent(fraction)} of it"
        if trade == "bilateral trade"
        else f"the total trade at which {shown} of {trade} is {format_percent(fraction)} of it"
    )
    render.solve_report("share", solved, rows, answers, chosen_format, output, runs)
    render.print_notes(notes)


@solve_app.command("rest-growth", short_help="The rest-of-trade growth giving a share.")
def solve_rest_growth(
    share: ShareOption,
    by: Annotated[int, typer.Option(help="The year the share is to hold.")],
    scenarios: ScenarioArgs = None,
    growth: GrowthOption = None,
    baselines: BaselinesOption = Baselines.default,
    format: Annotated[TableFormat | None, format_option(*TABLES)] = None,
    output: Output = None,
    commodity: CommodityOption = None,
    scenario_dir: ScenarioDir = None,
    data_dir: DataDir = None,
) -> None:
    """The constant growth of the rest of the reporter's trade that makes the partner's share SHARE in --by."""
    from tradesim import solve
    from tradesim.quantities import format_percent, parse_share

    chosen_format = render.settle(format, output, TABLES)
    fraction = parse_share(share, what="--share")
    runs = _solve_runs(scenarios, scenario_dir, growth, None, baselines, data_dir, commodity)
    answers = [solve.required_rest_growth(s, fraction, by, baseline=b) for s, b in runs]
    rows = solve.rest_growth_display(answers, by)
    trade = _trade(runs)
    whose = "the share" if trade == "bilateral trade" else f"the share of {trade}"
    solved = f"the constant growth of the rest of trade that makes {whose} {format_percent(fraction)} in {by}"
    render.solve_report("rest-growth", solved, rows, answers, chosen_format, output, runs)
