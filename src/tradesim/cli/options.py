"""Options and arguments shared by several commands, and the choice of scenarios they share."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from tradesim.cli.locations import ENV_DATA, choose, scenario_folder
from tradesim.errors import InputError, TradesimError
from tradesim.quantities import parse_rate

if TYPE_CHECKING:
    from tradesim.data import Dataset


class Format(StrEnum):
    """Every output format (:data:`tradesim.output.FORMATS`); each command offers those that make sense."""

    table = "table"
    json = "json"
    csv = "csv"
    markdown = "markdown"
    xlsx = "xlsx"
    iamc = "iamc"


class TableFormat(StrEnum):
    """The formats of a result that is a table of numbers (``--format`` offers only these: no ``iamc``)."""

    table = "table"
    json = "json"
    csv = "csv"
    markdown = "markdown"
    xlsx = "xlsx"


class DocumentFormat(StrEnum):
    """The formats of a result that is a report, not a table of numbers."""

    table = "table"
    json = "json"


def format_option(*offered: str) -> Any:
    """``--format/-f`` offering ``offered`` (the first: what the terminal gets); no default, so the format can
    follow ``--output``'s suffix."""
    return typer.Option(
        "--format",
        "-f",
        help=f"Output format: {', '.join(offered)} (default: from --output's suffix — .csv, .json, .md, "
        ".xlsx, .txt — else table).",
        show_default=False,
    )


TABLES = ("table", "json", "csv", "markdown", "xlsx")  # a result that is a table of numbers
PATHS = (*TABLES, "iamc")  # scenario paths: also the IAMC table
DOCUMENTS = ("table", "json")  # a result that is a report, not a table of numbers


class Baselines(StrEnum):
    default = "default"
    all = "all"


ScenarioDir = Annotated[
    Path | None,
    typer.Option(
        "--scenarios",
        help="Folder of scenario files (default: $TRADESIM_SCENARIOS, ./scenarios, or the "
        "reference scenarios shipped with tradesim).",
        show_default=False,
    ),
]
BaselinesOption = Annotated[
    Baselines,
    typer.Option(
        help="'all': run against every published base-year baseline in the data and show the spread."
    ),
]
GrowthOption = Annotated[str | None, typer.Option(help="Ad-hoc scenario: bilateral growth, 0.07 or 7%.")]
RestGrowthOption = Annotated[str | None, typer.Option(help="Ad-hoc scenario: growth of the rest of trade.")]


def complete_scenarios(ctx: typer.Context, incomplete: str) -> list[str]:
    """Shell completion: the names of the scenarios that start with what was typed, in the folder the command
    line names with --scenarios if it names one already, else the folder the command would use."""
    from tradesim import scenario

    given = ctx.params.get("scenario_dir")
    try:
        names = scenario.discover(scenario_folder(Path(given) if given else None))
    except (TradesimError, OSError):
        return []
    return [name for name in names if name.startswith(incomplete)]


def scenario_arguments(help: str) -> Any:
    """The SCENARIO... argument of a command, with shell completion of scenario names."""
    return typer.Argument(help=help, autocompletion=complete_scenarios)


ScenarioArgs = Annotated[
    list[str] | None,
    scenario_arguments("Scenario names or TOML files (default: the ad-hoc constant-growth scenario)."),
]
EveryScenarioArgs = Annotated[  # for commands whose default is every scenario of the folder
    list[str] | None, scenario_arguments("Scenario names or TOML files (default: every scenario found).")
]


def _dash(value: Path | None) -> Path | None:
    """``-o -``: standard output, as if no file were named."""
    return None if value is not None and str(value) == "-" else value


Output = Annotated[
    Path | None,
    typer.Option(
        "--output", "-o", help="Write to FILE (atomically) instead of stdout; - is stdout.", callback=_dash
    ),
]


CommodityOption = Annotated[
    str | None,
    typer.Option(
        metavar="CODE",
        help="Model one product's trade: the data's figures for it (27, or HS:27), named in every title, note "
        "and JSON (default: the pair's trade in all goods).",
    ),
]


def with_commodity(items: list[Any], commodity: str | None) -> list[Any]:
    """``items`` modelling ``commodity`` (``--commodity``) instead of the pair's trade in all goods."""
    if commodity is None:
        return items
    import re

    from tradesim.schema import PRODUCT_PATTERN, semantic_problems

    if not re.match(PRODUCT_PATTERN, commodity):
        raise InputError(
            f"--commodity must be a code as the data writes it (27, 2709) or classification:code (HS:27), "
            f"got {commodity!r}"
        )
    found = []
    for item in items:
        changed = item.model_copy(update={"commodity": commodity})
        problems = semantic_problems(changed, assertions=False)
        if problems:
            raise InputError(f"--commodity {commodity}: {problems[0].message} (scenario {item.name!r})")
        changed._path, changed._notes, changed._chain = item.path, item.notes, item._chain
        found.append(changed)
    return found


def chosen_scenarios(
    names: list[str] | None,
    scenario_dir: Path | None,
    growth: str | None = None,
    rest_growth: str | None = None,
    *,
    default_all: bool = True,
    growth_sd: float = 0.0,
    rest_sd: float = 0.0,
    correlation: float = 0.0,
    commodity: str | None = None,
) -> list[Any]:
    """The one way every command finds its scenarios: those named (in the folder :func:`scenario_folder`
    chooses), or the ad-hoc one (``--growth``/``--rest-growth``, with ``growth_sd``, ``rest_sd`` and
    ``correlation`` for the simulation), or by default every scenario of the folder (``default_all``) or the
    ad-hoc one at 0%."""
    from tradesim import scenario

    if growth is not None or rest_growth is not None:
        if names:
            raise InputError("--growth/--rest-growth build the ad-hoc scenario; do not also name scenarios")
        rates = (
            parse_rate(growth or 0.0, what="--growth"),
            parse_rate(rest_growth or 0.0, what="--rest-growth"),
        )
        return with_commodity(
            [scenario.ad_hoc(*rates, growth_sd=growth_sd, rest_sd=rest_sd, correlation=correlation)],
            commodity,
        )
    if not names and not default_all:
        return with_commodity([scenario.ad_hoc(0.0, 0.0)], commodity)
    return with_commodity(scenario.load_many(names or [], scenario_folder(scenario_dir)), commodity)


MAX_RUNS = 10_000_000  # 10 million paths take about a minute; more is a typo, not a question
RunsOption = Annotated[int, typer.Option(help="Simulated paths (1 to 10,000,000).")]
SeedOption = Annotated[
    int | None, typer.Option(help="Seed: the same seed gives the same output (default: fresh, and printed).")
]
RUNS = 100_000  # the default of every command that simulates: simulate, report --simulate, plot fan


def simulation_settings(runs: int, seed: int | None) -> int:
    """Check ``--runs`` and ``--seed``; the seed to use (a fresh one when none was given)."""
    from tradesim import montecarlo

    if not 0 < runs <= MAX_RUNS:
        raise InputError(f"--runs must be a whole number from 1 to {MAX_RUNS:,}, got {runs}")
    if seed is not None and seed < 0:
        raise InputError(f"--seed must be a whole number ≥ 0, got {seed}")
    return montecarlo.fresh_seed() if seed is None else seed


TargetOption = Annotated[str, typer.Option(help="Target amount: 20e9, 20B, $20bn, 500M.")]
ShareOption = Annotated[str, typer.Option(help="The share: 1/6, 0.1667 or 16.7%.")]
YearOption = Annotated[
    int | None,
    typer.Option(
        help="Compare with the scenario's total in YEAR (default: the year reached, else the base year)."
    ),
]


DataDir = Annotated[
    Path | None,
    typer.Option(
        "--data",
        help="Folder of your own data (CSV files in tradesim's columns; default: $TRADESIM_DATA, or ./data "
        "when it exists). Its rows supersede the shipped ones.",
        show_default=False,
    ),
]


def dataset(folder: Path | None) -> Dataset:
    """The data a command works on: the shipped data superseded by the data folder — ``--data DIR``, else
    ``$TRADESIM_DATA``, else ``./data`` when it exists (else the shipped data alone). The one place that
    looks at the environment and the working folder for data; the core is given the result."""
    from tradesim.data import folders

    found = choose(folder, "--data", ENV_DATA, "data")
    if found is None:
        return folders.load(None)
    path, what = found
    return folders.load(path, named=what)


def check_countries(**codes: str) -> None:
    """``--reporter``/``--partner`` values must be ISO 3166 alpha-3 country codes: bad input otherwise."""
    from tradesim.codes import country_problem

    for option, code in codes.items():
        if (problem := country_problem(code)) is not None:
            raise InputError(f"--{option}: {problem}")


ReporterOption = Annotated[
    str | None,
    typer.Option(
        help="The reporter, ISO 3166 alpha-3 (default: the reference case's, KAZ).", show_default=False
    ),
]
PartnerOption = Annotated[
    str | None,
    typer.Option(
        help="The partner, ISO 3166 alpha-3 (default: the reference case's, ITA).", show_default=False
    ),
]


def pair(reporter: str | None, partner: str | None = None) -> tuple[str, str]:
    """``--reporter`` and ``--partner``, the reference case's (``reference.toml``) where not given, checked."""
    from tradesim.reference import reference

    chosen = (reporter or reference().reporter, partner or reference().partner)
    check_countries(reporter=chosen[0], partner=chosen[1])
    return chosen


CurrencyOption = Annotated[
    str,
    typer.Option(
        help="The currency of every figure (ISO 4217): figures in another converted at annual average rates."
    ),
]


def currency_code(value: str) -> str:
    """``--currency``: three capital letters (``eur`` is read as ``EUR``)."""
    code = value.strip().upper()
    if not (len(code) == 3 and code.isalpha() and code.isascii()):
        raise InputError(f"--currency must be an ISO 4217 code such as USD, EUR or KZT, got {value!r}")
    return code
