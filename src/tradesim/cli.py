"""The command line: parse options, call one core function, render its result.

One error boundary (:class:`_Boundary`): exit 0 on success, 1 when a check fails, 2 on bad input (usage errors
and every :class:`~tradesim.errors.TradesimError`) with one line per problem on stderr and no traceback
(``--traceback`` re-raises), 130 on Ctrl-C. Core modules are imported inside commands so ``--help`` stays fast.
"""

from __future__ import annotations

import json
import math
import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer.core import TyperGroup

from tradesim import render
from tradesim.errors import CheckFailed, InputError, TradesimError
from tradesim.quantities import parse_amount, parse_rate

if TYPE_CHECKING:
    pass


class _Boundary(TyperGroup):
    """Turns errors into exit codes and one-line messages, for the console script and CliRunner alike."""

    def main(self, *args: Any, **kwargs: Any) -> Any:
        standalone_mode = kwargs.pop("standalone_mode", True)
        argv = list(kwargs.get("args") or (args[0] if args else None) or sys.argv[1:])
        try:
            code = super().main(*args, **kwargs, standalone_mode=False)  # type: ignore[misc]
        except TradesimError as error:
            if "--traceback" in argv:
                raise
            for problem in error.problems:
                typer.echo(f"tradesim: error: {problem}", err=True)
            code = 1 if isinstance(error, CheckFailed) else 2
        except typer.TyperException as error:  # typer's (vendored click's) usage errors
            context = getattr(error, "ctx", None)
            where = f"{context.command_path}: " if context is not None else ""
            typer.echo(f"tradesim: error: {where}{error.format_message()} (see --help)", err=True)
            code = error.exit_code
        except (typer.Abort, KeyboardInterrupt):
            code = 130
        if not standalone_mode:
            return code
        sys.exit(code if isinstance(code, int) else 0)


app = typer.Typer(
    cls=_Boundary,
    help="Model a country's trade against a political trade target, from sourced data and scenario files.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
scenarios_app = typer.Typer(
    cls=_Boundary, help="List the scenarios found, or validate scenario files.", rich_markup_mode=None
)
app.add_typer(scenarios_app, name="scenarios")


class Format(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"
    markdown = "markdown"


class Baselines(StrEnum):
    default = "default"
    all = "all"


class SolveFormat(StrEnum):
    table = "table"
    json = "json"


class DataFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


def _version(value: bool) -> None:
    if value:
        from tradesim import __version__

        typer.echo(f"tradesim {__version__}")
        raise typer.Exit


@app.callback()
def _root(
    traceback: Annotated[
        bool, typer.Option("--traceback", help="Show the full traceback of an error.")
    ] = False,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    """tradesim: when is the target reached, at what growth, and what share of total trade is that?"""


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
ScenarioArgs = Annotated[
    list[str] | None,
    typer.Argument(help="Scenario names or TOML files (default: the ad-hoc constant-growth scenario)."),
]
Output = Annotated[
    Path | None, typer.Option("--output", "-o", help="Write to FILE (atomically) instead of stdout.")
]


def _chosen(
    names: list[str] | None,
    scenario_dir: Path | None,
    growth: str | None,
    rest_growth: str | None,
    *,
    default_all: bool,
) -> list[Any]:
    """The scenarios named, or the ad-hoc one (``--growth``/``--rest-growth``), or all/ad-hoc by default."""
    from tradesim import scenario

    if growth is not None or rest_growth is not None:
        if names:
            raise InputError("--growth/--rest-growth build the ad-hoc scenario; do not also name scenarios")
        rates = (
            parse_rate(growth or 0.0, what="--growth"),
            parse_rate(rest_growth or 0.0, what="--rest-growth"),
        )
        return [scenario.ad_hoc(*rates)]
    if not names and not default_all:
        return [scenario.ad_hoc(0.0, 0.0)]
    return scenario.load_many(names or [], scenario.scenario_directory(scenario_dir))


# ---------------------------------------------------------------------------------------------- project
@app.command()
def project(
    scenarios: Annotated[
        list[str] | None, typer.Argument(help="Scenario names or TOML files (default: every scenario found).")
    ] = None,
    target: Annotated[
        str | None,
        typer.Option(
            help="Target amount: 20e9, 20B, $20bn, 20 billion, 500M (default: each scenario's own target)."
        ),
    ] = None,
    by: Annotated[
        int | None, typer.Option(help="Also show the constant growth that reaches the target in YEAR.")
    ] = None,
    horizon: Annotated[
        int | None, typer.Option(help="Project to YEAR instead of each scenario's horizon.")
    ] = None,
    growth: GrowthOption = None,
    rest_growth: RestGrowthOption = None,
    full_year: Annotated[
        bool,
        typer.Option(
            "--full-year",
            help="Default baseline: the full-year 2023 figure ($16.1B, QazTrade) "
            "instead of the article's $14.5B (Jan–Nov 2023).",
        ),
    ] = False,
    format: Annotated[Format, typer.Option("--format", "-f", help="Output format.")] = Format.table,
    output: Output = None,
    detail: Annotated[bool, typer.Option("--detail", help="Add a per-year table for each scenario.")] = False,
    baselines: BaselinesOption = Baselines.default,
    scenario_dir: ScenarioDir = None,
) -> None:
    """Project every scenario year by year and read it against the target."""
    from tradesim import report

    target_value = parse_amount(target, what="--target", positive=True) if target is not None else None
    chosen = _chosen(scenarios, scenario_dir, growth, rest_growth, default_all=True)
    all_baselines = baselines is Baselines.all
    results = report.evaluate(
        chosen, target=target_value, by=by, horizon=horizon, full_year=full_year, all_baselines=all_baselines
    )
    notes = report.notes(results)
    if format is Format.json:
        document = report.to_json(results)
        if all_baselines:
            document["spread"] = report.spread(results)
        render.emit(json.dumps(document, indent=2, allow_nan=False) + "\n", output)
    elif format is Format.csv:
        render.emit(report.long_frame(results).to_csv(index=False, float_format="%.10g"), output)
    elif format is Format.markdown:
        render.emit(report.to_markdown(report.summary_display(results)), output)
    else:
        console = render.make_console(output)
        console.print(render.rich_table(report.summary_display(results), report.title(results)))
        if all_baselines:
            console.print(
                render.rich_table(report.spread_display(results), "Baseline spread: min–max over baselines")
            )
        if detail:
            for result in results:
                title = f"{result.scenario.name}: {result.scenario.description}"
                console.print(render.rich_table(report.years_display(result), title))
        if output is not None:
            render.emit(console.export_text(), output)
    render.print_notes(notes)


# ------------------------------------------------------------------------------------------------- data
@app.command()
def data(
    partner: Annotated[
        str | None, typer.Option(help="ISO 3166 alpha-3 partner, e.g. ITA (WLD: the world).")
    ] = None,
    reporter: Annotated[str | None, typer.Option(help="Reporting country, e.g. KAZ.")] = None,
    year: Annotated[int | None, typer.Option(help="Year of the observation.")] = None,
    kind: Annotated[str | None, typer.Option(help="trade, share, target or fx.")] = None,
    flow: Annotated[str | None, typer.Option(help="total, export, import (rate for fx).")] = None,
    status: Annotated[
        str | None, typer.Option(help="reported, approximate, derived, unverified, ...")
    ] = None,
    period: Annotated[str | None, typer.Option(help="FY, FY-as-stated, jan-nov, h1, ...")] = None,
    reported_by: Annotated[str | None, typer.Option(help="Whose statistics, e.g. KAZ or CHN.")] = None,
    format: Annotated[DataFormat, typer.Option("--format", "-f", help="Output format.")] = DataFormat.table,
    output: Output = None,
) -> None:
    """Print the shipped observations with period, status and source."""
    from tradesim import data as data_module

    frame = data_module.load_observations()
    criteria = {
        "partner": partner,
        "reporter": reporter,
        "year": year,
        "kind": kind,
        "flow": flow,
        "status": status,
        "period": period,
        "reported_by": reported_by,
    }
    for column, value in criteria.items():
        if value is not None:
            known = sorted(map(str, frame[column].unique()))
            if str(value) not in known:
                option = "--" + column.replace("_", "-")
                raise InputError(f"{option}: no observation has {value!r} (known: {', '.join(known)})")
            frame = frame[frame[column] == value]
    if format is DataFormat.json:
        render.emit(frame.to_json(orient="records", indent=2, force_ascii=False) + "\n", output)
    elif format is DataFormat.csv:
        render.emit(frame.to_csv(index=False), output)
    else:
        shown = frame[
            [c for c in data_module.COLUMNS if c not in ("url", "note")]
        ]  # provenance: `--format json`
        console = render.make_console(output)
        records: list[dict[str, Any]] = shown.astype(str).to_dict("records")  # type: ignore[assignment]
        console.print(render.rich_table(records, f"{len(shown)} observations"))
        if output is not None:
            render.emit(console.export_text(), output)


# -------------------------------------------------------------------------------------------- scenarios
@scenarios_app.callback(invoke_without_command=True)
def scenarios_list(ctx: typer.Context, scenario_dir: ScenarioDir = None) -> None:
    """List the scenarios found: name, description, file."""
    if ctx.invoked_subcommand is not None:
        return

    from tradesim import scenario

    directory = scenario.scenario_directory(scenario_dir)
    known = scenario.discover(directory)
    catalogue = {directory: known}  # read the folder once, not once per `extends`
    rows = []
    for name, path in known.items():
        try:
            description = scenario.load(path, directory=directory, catalogue=catalogue).description
        except TradesimError as error:
            description = f"INVALID: {error.problems[0]}"
        rows.append({"scenario": name, "description": " ".join(description.split()), "file": str(path)})
    render.make_console().print(
        render.rich_table(rows, str(directory), columns=("scenario", "description", "file"))
    )


@scenarios_app.command("validate")
def scenarios_validate(
    paths: Annotated[
        list[str] | None, typer.Argument(help="Files or scenario names (default: all found).")
    ] = None,
    scenario_dir: ScenarioDir = None,
) -> None:
    """Validate scenario files without projecting; every problem in every file, one line each."""
    from tradesim import scenario

    loaded = scenario.load_many(paths or [], scenario.scenario_directory(scenario_dir))
    for item in loaded:
        typer.echo(f"ok: {item.name} ({item.path})")


# ------------------------------------------------------------------------------------------------ solve
solve_app = typer.Typer(
    cls=_Boundary,
    help="Goal seek: required growth, the year reached, the share arithmetic.",
    rich_markup_mode=None,
)
app.add_typer(solve_app, name="solve")


def _solve_runs(
    names: list[str] | None,
    scenario_dir: Path | None,
    growth: str | None,
    rest_growth: str | None,
    baselines: Baselines,
) -> list[tuple[Any, Any]]:
    """(scenario, baseline) pairs: one per scenario, or one per published baseline with ``--baselines all``."""
    from tradesim import model

    pairs: list[tuple[Any, Any]] = []
    for item in _chosen(names, scenario_dir, growth, rest_growth, default_all=False):
        variants = (
            model.baseline_variants(item) if baselines is Baselines.all else [model.resolve_baseline(item)]
        )
        pairs.extend((item, variant) for variant in variants)
    return pairs


SolveFormatOption = Annotated[SolveFormat, typer.Option("--format", "-f", help="Output format.")]
TargetOption = Annotated[str, typer.Option(help="Target amount: 20e9, 20B, $20bn, 500M.")]
ShareOption = Annotated[str, typer.Option(help="The share: 1/6, 0.1667 or 16.7%.")]
YearOption = Annotated[
    int | None,
    typer.Option(
        help="Compare with the scenario's total in YEAR (default: the year reached, else the base year)."
    ),
]


@solve_app.command("growth")
def solve_growth(
    target: TargetOption,
    by: Annotated[int, typer.Option(help="The year the target is to be reached.")],
    scenarios: ScenarioArgs = None,
    baselines: BaselinesOption = Baselines.default,
    format: SolveFormatOption = SolveFormat.table,
    scenario_dir: ScenarioDir = None,
) -> None:
    """The constant annual growth of bilateral trade that reaches the target exactly in --by."""
    from tradesim import solve
    from tradesim.quantities import format_money, format_percent

    amount = parse_amount(target, what="--target", positive=True)
    runs = _solve_runs(scenarios, scenario_dir, None, None, baselines)
    answers = [solve.required_growth(s, amount, by, baseline=b) for s, b in runs]
    rows = [
        {
            "scenario": a.scenario,
            "baseline": format_money(a.baseline),
            "required growth": f"{format_percent(a.required_growth, 2, signed=True)}/yr",
            "method": a.method,
            f"check: bilateral {by}": f"{format_money(a.check, digits=3)} (error {abs(a.check / amount - 1):.0e})",
        }
        for a in answers
    ]
    solved = f"the constant annual growth of bilateral trade that reaches {format_money(amount)} in {by}"
    render.solve_report("growth", solved, rows, answers, format, runs)


@solve_app.command("year")
def solve_year(
    target: TargetOption,
    scenarios: ScenarioArgs = None,
    growth: GrowthOption = None,
    rest_growth: RestGrowthOption = None,
    baselines: BaselinesOption = Baselines.default,
    format: SolveFormatOption = SolveFormat.table,
    scenario_dir: ScenarioDir = None,
) -> None:
    """The first calendar year the target is reached, and the exact crossing time within that year."""
    from tradesim import solve
    from tradesim.quantities import format_money

    if not scenarios and growth is None:
        raise InputError("solve year needs a growth path: pass --growth RATE or name a scenario")
    amount = parse_amount(target, what="--target", positive=True)
    runs = _solve_runs(scenarios, scenario_dir, growth, rest_growth, baselines)
    answers = [solve.reached(s, amount, baseline=b) for s, b in runs]
    rows = []
    for answer, (item, _) in zip(answers, runs, strict=True):
        crossing = answer.crossing_years
        rows.append(
            {
                "scenario": answer.scenario,
                "baseline": format_money(answer.baseline),
                "reached": str(answer.reached_year) if answer.reached_year else f"not by {answer.horizon}",
                "crossing": "—" if crossing is None else f"{crossing:.2f} years after {item.base_year}",
                "check": render.year_check(answer),
            }
        )
    solved = (
        f"the first year bilateral trade reaches {format_money(amount)} (crossing: continuous compounding)"
    )
    render.solve_report("year", solved, rows, answers, format, runs)


@solve_app.command("share")
def solve_share(
    target: TargetOption,
    share: ShareOption,
    scenarios: ScenarioArgs = None,
    year: YearOption = None,
    growth: GrowthOption = None,
    rest_growth: RestGrowthOption = None,
    baselines: BaselinesOption = Baselines.default,
    format: SolveFormatOption = SolveFormat.table,
    scenario_dir: ScenarioDir = None,
) -> None:
    """The total trade at which the target is SHARE of it, and how far that is from the scenario's total."""
    from tradesim import solve
    from tradesim.quantities import format_money, format_percent, parse_share

    amount = parse_amount(target, what="--target", positive=True)
    fraction = parse_share(share, what="--share")
    runs = _solve_runs(scenarios, scenario_dir, growth, rest_growth, baselines)
    answers = [solve.total_for_share(s, amount, fraction, year=year, baseline=b) for s, b in runs]
    rows = [
        {
            "scenario": a.scenario,
            "total needed": format_money(a.total),
            "rest of world": format_money(a.rest_of_world),
            "year": str(a.year),
            "scenario total": format_money(a.reference_total),
            "change": f"{format_money(a.change)} ({format_percent(a.change_percent, signed=True)})",
            "check": f"{format_money(a.amount)} / {format_money(a.total)} = {format_percent(a.check, 2)}",
        }
        for a in answers
    ]
    solved = f"the total trade at which {format_money(amount)} is {format_percent(fraction)} of it"
    render.solve_report("share", solved, rows, answers, format, runs)


@solve_app.command("rest-growth")
def solve_rest_growth(
    share: ShareOption,
    by: Annotated[int, typer.Option(help="The year the share is to hold.")],
    scenarios: ScenarioArgs = None,
    growth: GrowthOption = None,
    baselines: BaselinesOption = Baselines.default,
    format: SolveFormatOption = SolveFormat.table,
    scenario_dir: ScenarioDir = None,
) -> None:
    """The constant growth of the rest of the reporter's trade that makes the partner's share SHARE in --by."""
    from tradesim import solve
    from tradesim.quantities import format_percent, parse_share

    fraction = parse_share(share, what="--share")
    runs = _solve_runs(scenarios, scenario_dir, growth, None, baselines)
    answers = [solve.required_rest_growth(s, fraction, by, baseline=b) for s, b in runs]
    rows = [
        {
            "scenario": a.scenario,
            "required rest growth": f"{format_percent(a.required_rest_growth, 2, signed=True)}/yr",
            "method": a.method,
            f"check: share {by}": format_percent(a.check, 3),
        }
        for a in answers
    ]
    solved = (
        f"the constant growth of the rest of trade that makes the share {format_percent(fraction)} in {by}"
    )
    render.solve_report("rest-growth", solved, rows, answers, format, runs)


# ------------------------------------------------------------------------------------------------ audit
@app.command()
def audit(
    scenarios: Annotated[
        list[str] | None, typer.Argument(help="Scenario names or files (default: all).")
    ] = None,
    baselines: BaselinesOption = Baselines.default,
    format: SolveFormatOption = SolveFormat.table,
    scenario_dir: ScenarioDir = None,
) -> None:
    """Check each scenario's [[claims]]: holds or not, and what would have to be true for it to hold."""
    from tradesim import audit as audit_module
    from tradesim import model, scenario

    chosen = scenario.load_many(scenarios or [], scenario.scenario_directory(scenario_dir))
    verdicts = audit_module.audit(chosen, all_baselines=baselines is Baselines.all)
    if format is SolveFormat.json:
        typer.echo(json.dumps(audit_module.to_json(verdicts), indent=2, allow_nan=False))
        return
    render.audit_report(verdicts)
    render.print_notes(
        list(dict.fromkeys(w for item in chosen for w in model.resolve_baseline(item).warnings))
    )


# ------------------------------------------------------------------------------------------------ check
@app.command()
def check(
    scenarios: Annotated[
        list[str] | None, typer.Argument(help="Scenario names or files (default: all).")
    ] = None,
    rtol: Annotated[float, typer.Option(help="Relative tolerance for snapshot values.", min=0)] = 1e-9,
    atol: Annotated[float, typer.Option(help="Absolute tolerance for snapshot values.", min=0)] = 0.0,
    update: Annotated[
        bool, typer.Option("--update", help="Write the snapshots (atomically) and say what changed.")
    ] = False,
    format: SolveFormatOption = SolveFormat.table,
    junit: Annotated[Path | None, typer.Option(help="Also write JUnit XML to FILE, for CI systems.")] = None,
    scenario_dir: ScenarioDir = None,
) -> None:
    """Fail (exit 1) when a computed path drifted from its snapshot or an [[expect]] does not hold."""

    from tradesim import check as check_module
    from tradesim import scenario

    for name, value in (("--rtol", rtol), ("--atol", atol)):
        if not math.isfinite(value):
            raise InputError(f"{name} must be a finite number, got {value!r}")
    if junit is not None and not junit.parent.is_dir():
        raise InputError(f"--junit: folder {junit.parent} does not exist")
    directory = scenario.scenario_directory(scenario_dir)
    chosen = scenario.load_many(scenarios or [], directory)
    results = check_module.check(chosen, directory, rtol=rtol, atol=atol, update=update)
    if junit is not None:
        from tradesim.atomic import write_text_atomic

        write_text_atomic(junit, check_module.junit_xml(results))
    if format is SolveFormat.json:
        typer.echo(json.dumps(check_module.to_json(results, rtol, atol), indent=2, allow_nan=False))
    else:
        render.check_report(results)
    failed = [r for r in results if not r.passed]
    if failed:
        raise CheckFailed(
            f"{len(failed)} of {len(results)} scenario(s) failed the check: "
            + ", ".join(r.scenario for r in failed)
        )


@app.command()
def simulate(
    scenarios: Annotated[
        list[str] | None, typer.Argument(help="Scenario names or files (default: all).")
    ] = None,
    target: Annotated[str | None, typer.Option(help="Target amount (default: each scenario's own).")] = None,
    runs: Annotated[int, typer.Option(help="Number of simulated paths.")] = 100_000,
    seed: Annotated[
        int | None, typer.Option(help="Seed: the same seed gives the same output (default: fresh).")
    ] = None,
    growth: GrowthOption = None,
    growth_sd: Annotated[
        float, typer.Option(help="Ad-hoc scenario: sd of annual log growth of bilateral trade.")
    ] = 0.0,
    rest_growth: RestGrowthOption = None,
    rest_sd: Annotated[
        float, typer.Option(help="Ad-hoc scenario: sd of annual log growth of the rest.")
    ] = 0.0,
    correlation: Annotated[float, typer.Option(help="Ad-hoc scenario: correlation of the two shocks.")] = 0.0,
    threads: Annotated[
        int | None, typer.Option(help="Worker threads (default: all cores); results do not depend on it.")
    ] = None,
    format: SolveFormatOption = SolveFormat.table,
    output: Output = None,
    scenario_dir: ScenarioDir = None,
) -> None:
    """Monte Carlo: P(target reached) by year, the distribution of the year reached, percentiles of trade and share."""
    from tradesim import montecarlo, report, scenario

    if runs <= 0:
        raise InputError(f"--runs must be a whole number > 0, got {runs}")
    if seed is not None and seed < 0:
        raise InputError(f"--seed must be a whole number ≥ 0, got {seed}")
    if threads is not None and threads <= 0:
        raise InputError(f"--threads must be > 0, got {threads}")
    target_value = parse_amount(target, what="--target", positive=True) if target is not None else None
    if growth is not None or rest_growth is not None:
        if scenarios:
            raise InputError("--growth/--rest-growth build the ad-hoc scenario; do not also name scenarios")
        chosen = [
            scenario.ad_hoc(
                parse_rate(growth or 0.0, what="--growth"),
                parse_rate(rest_growth or 0.0, what="--rest-growth"),
                growth_sd=growth_sd,
                rest_sd=rest_sd,
                correlation=correlation,
            )
        ]
    else:
        chosen = scenario.load_many(scenarios or [], scenario.scenario_directory(scenario_dir))
    plain = report.evaluate(chosen, target=target_value)  # validates targets and paths; gives the notes
    fixed_seed = montecarlo.fresh_seed() if seed is None else seed
    results = []
    with render.progress_bar(runs * len(chosen)) as advance:
        for item, result in zip(chosen, plain, strict=True):
            results.append(
                montecarlo.simulate(
                    item,
                    target=result.target,
                    runs=runs,
                    rng=fixed_seed,
                    threads=threads,
                    progress=advance,
                    baseline=result.projection.baseline,  # resolved once, by report.evaluate
                )
            )
    if format is SolveFormat.json:
        render.emit(json.dumps(montecarlo.to_json(results), indent=2, allow_nan=False) + "\n", output)
    else:
        console = render.make_console(output)
        render.simulation_report(console, results)
        if output is not None:
            render.emit(console.export_text(), output)
    render.print_notes(report.notes(plain))


class GridFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


class GridMetric(StrEnum):
    reached_year = "reached-year"
    share = "share"


@app.command()
def sensitivity(
    scenarios: ScenarioArgs = None,
    target: Annotated[str | None, typer.Option(help="Target amount (default: the scenario's own).")] = None,
    swing: Annotated[
        float, typer.Option(help="Tornado: move inputs without sd by this fraction of their value.")
    ] = 0.25,
    grid: Annotated[
        list[str] | None,
        typer.Option(
            help="Two-way grid, given twice: NAME=START:STOP:STEP with NAME in growth, rest-growth, "
            "baseline, target."
        ),
    ] = None,
    metric: Annotated[GridMetric, typer.Option(help="Grid metric.")] = GridMetric.reached_year,
    year: Annotated[int | None, typer.Option(help="Grid: the year of --metric share.")] = None,
    growth: GrowthOption = None,
    rest_growth: RestGrowthOption = None,
    format: Annotated[GridFormat, typer.Option("--format", "-f", help="Output format.")] = GridFormat.table,
    output: Output = None,
    scenario_dir: ScenarioDir = None,
) -> None:
    """Which assumption matters most: a tornado of one-at-a-time swings, or a two-way --grid."""
    from tradesim import report
    from tradesim import sensitivity as sens

    target_value = parse_amount(target, what="--target", positive=True) if target is not None else None
    chosen = _chosen(scenarios, scenario_dir, growth, rest_growth, default_all=False)
    results = report.evaluate(
        chosen,
        target=target_value
        if target_value is not None
        else (None if any(s.target for s in chosen) else 20e9),
    )
    if grid:
        if len(grid) != 2:
            raise InputError(f"--grid must be given exactly twice (rows and columns), got {len(grid)}")
        rows, columns = sens.parse_axis(grid[0]), sens.parse_axis(grid[1])
        table = sens.grid(
            results[0].scenario,
            rows,
            columns,
            target=results[0].target,
            metric=metric.value.replace("-", "_"),
            year=year,
        )
        render.grid_report(table, format, output)
    else:
        tornados = [sens.tornado(r.scenario, r.target, swing=swing) for r in results]
        render.tornado_report(tornados, format, output)
    render.print_notes(report.notes(results))


class PlotKind(StrEnum):
    paths = "paths"
    fan = "fan"
    tornado = "tornado"


@app.command()
def plot(
    kind: Annotated[PlotKind, typer.Argument(help="paths, fan (Monte Carlo bands) or tornado.")],
    scenarios: ScenarioArgs = None,
    output: Annotated[Path, typer.Option("--output", "-o", help="The image: FILE.png or FILE.svg.")] = ...,  # type: ignore[assignment]
    target: Annotated[str | None, typer.Option(help="Target amount (default: each scenario's own).")] = None,
    runs: Annotated[int, typer.Option(help="fan: simulated paths.")] = 100_000,
    seed: Annotated[int, typer.Option(help="fan: the seed.")] = 1,
    swing: Annotated[float, typer.Option(help="tornado: as in `tradesim sensitivity`.")] = 0.25,
    scenario_dir: ScenarioDir = None,
) -> None:
    """Draw the scenarios' paths, a simulation fan or a tornado to a PNG or SVG file (needs tradesim[plot])."""
    from tradesim import montecarlo, report, scenario
    from tradesim import plot as plotting
    from tradesim import sensitivity as sens

    if runs <= 0:
        raise InputError(f"--runs must be a whole number > 0, got {runs}")
    target_value = parse_amount(target, what="--target", positive=True) if target is not None else None
    chosen = scenario.load_many(scenarios or [], scenario.scenario_directory(scenario_dir))
    results = report.evaluate(chosen, target=target_value)
    if kind is PlotKind.paths:
        written = plotting.paths(results, output)
    elif kind is PlotKind.fan:
        simulations = [
            montecarlo.simulate(
                r.scenario, target=r.target, runs=runs, rng=seed, baseline=r.projection.baseline
            )
            for r in results
        ]
        written = plotting.fan(simulations, output)
    else:
        written = plotting.tornado(sens.tornado(results[0].scenario, results[0].target, swing=swing), output)
    typer.echo(f"wrote {written}")
    render.print_notes(report.notes(results))


def main() -> None:
    """Console-script entry point."""
    app(prog_name="tradesim")
