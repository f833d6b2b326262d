"""The README, the manual (``docs/``) and the help text are part of the interface. ``README`` below is the
whole documentation: the README and every page of the manual."""

from __future__ import annotations

import re

import pytest
from typer.testing import CliRunner

from tests.conftest import REPO, manual
from tradesim.cli import app

README = manual()
COMMANDS = [
    "project",
    "data",
    "scenarios",
    "scenarios validate",
    "solve growth",
    "solve year",
    "solve share",
    "solve rest-growth",
    "audit",
    "check",
    "simulate",
    "sensitivity",
    "plot",
]


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_and_is_in_the_readme(command: str) -> None:
    result = CliRunner().invoke(app, [*command.split(), "--help"], prog_name="tradesim")
    assert result.exit_code == 0
    assert "Usage:" in result.stdout
    assert f"tradesim {command}" in README


def test_readme_has_the_two_setup_commands() -> None:
    assert "pip install -e . && tradesim project --target 20e9" in README
    assert "pip install -e '.[test]' && pytest" in README


def test_readme_documents_every_json_key() -> None:
    for key in (
        "reached_year",
        "share_at_reached",
        "required_growth",
        "baseline_total",
        "gap_to_target",
        "actual",
    ):
        assert re.search(rf"`{key}`", README), key


def _years(years: list[int]) -> str:
    """2012, 2013, 2014, 2016 → '2012–2014, 2016'."""
    spans: list[list[int]] = []
    for year in sorted(set(years)):
        if spans and year == spans[-1][-1] + 1:
            spans[-1].append(year)
        else:
            spans.append([year])
    return ", ".join(str(s[0]) if len(s) == 1 else f"{s[0]}–{s[-1]}" for s in spans) or "—"


def series_table() -> list[str]:
    """The README's 'Shipped data' rows, rebuilt from the shipped file."""
    import csv

    from tradesim.data import DATA_FILE

    shipped = REPO / "src" / "tradesim" / "data" / "shipped" / DATA_FILE
    with shipped.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    series: dict[tuple[str, ...], list[dict[str, str]]] = {}
    for row in rows:
        code = row.get("commodity") or "TOTAL"  # absent or empty: all goods
        what = "all goods" if code == "TOTAL" else f"{row['classification']} {code}"
        key = (row["kind"], row["reporter"], row["partner"], row["flow"], what, row["reported_by"])
        series.setdefault(key, []).append(row)
    kinds = {"trade": 0, "share": 1, "target": 2, "fx": 3, "price": 4}
    expected = []
    for key in sorted(series, key=lambda k: (kinds[k[0]], *k[1:4], k[4] != "all goods", *k[4:])):
        kind, reporter, partner, flow, what, by = key
        found = series[key]
        full = _years([int(r["year"]) for r in found if r["period"] == "FY"])
        # periods and points of care with their years as ranges: "jan-feb 2019–2026", "derived FY 2015–2025"
        other_years: dict[str, list[int]] = {}
        for r in found:
            if r["period"] == "FY":
                continue
            label = (
                (f"by {r['year']}" if r["period"] == "by" else r["period"])
                if kind == "target"
                else r["period"]
            )
            other_years.setdefault(label, []).append(int(r["year"]) if r["year"] else 0)
        other = sorted(
            label if kind == "target" else f"{label} {_years(years)}" for label, years in other_years.items()
        )
        care_years: dict[str, list[int]] = {}
        for r in found:
            if r["status"] in (
                "unverified",
                "approximate",
                "derived",
                "estimated",
                "doubtful_unit",
                "partial",
            ):
                care_years.setdefault(f"{r['status']} {r['period']}", []).append(
                    int(r["year"]) if r["year"] else 0
                )
        care = sorted(f"{label} {_years(years)}" for label, years in care_years.items())
        expected.append(
            f"| {kind} | {reporter} → {partner} | {flow} | {what} | {by} | {full} | "
            f"{', '.join(dict.fromkeys(other)) or '—'} | {', '.join(care) or '—'} |"
        )
    return expected


def test_the_readme_lists_every_shipped_series_with_its_coverage() -> None:
    """README 'Shipped data': one row per series of the shipped file, its full years, its other periods and
    the points to treat with care, rebuilt here from the file, so adding a row without the README fails."""
    listed = [line for line in README.splitlines() if re.match(r"\| (trade|share|target|fx|price) \| ", line)]
    assert listed == series_table()


def test_the_readme_data_folder_table_lists_the_vocabulary() -> None:
    """The README's table of a data-folder row's columns says what the one row model accepts."""
    import re

    from tradesim.data.observation import FLOWS, KINDS, SCALES, STATUSES

    text = manual()
    rows = dict(re.findall(r"^\| `(kind|flow|status|unit)` \| (.*) \|$", text, re.MULTILINE))

    def listed(cell: str) -> set[str]:
        return set(re.findall(r"`([^`]+)`", cell))

    assert listed(rows["kind"]) == set(KINDS)
    assert listed(rows["status"]) == set(STATUSES)
    assert listed(rows["flow"]) == {flow for flows in FLOWS.values() for flow in flows}
    assert {f"_{scale}" for scale in SCALES} <= listed(rows["unit"])


def test_the_readme_series_table_is_the_coverage_commands_markdown() -> None:
    """`tradesim data coverage --format markdown` prints the README's table of the shipped series, header and
    all; `--reporter` keeps the series a country is in, as reporter or partner."""
    runner = CliRunner()
    printed = runner.invoke(app, ["data", "coverage", "--format", "markdown"], catch_exceptions=False)
    assert printed.exit_code == 0, printed.stderr
    lines = printed.stdout.splitlines()
    assert lines[2:] == series_table()
    assert "\n".join(lines) in README
    turkey = runner.invoke(app, ["data", "coverage", "--reporter", "TUR", "--format", "json"]).stdout
    import json

    series = json.loads(turkey)["series"]
    assert series
    assert all("TUR" in (s["reporter"], s["partner"]) for s in series)
    assert runner.invoke(app, ["data", "coverage", "--reporter", "ATA"]).exit_code == 2


def _synopses() -> list[tuple[str, str]]:
    """Each synopsis in the README (an indented ``tradesim COMMAND [...]`` line and its continuation lines):
    the command's words and the whole text."""
    found = []
    lines = README.splitlines()
    for i, line in enumerate(lines):
        if not line.startswith("    tradesim ") or "[" not in line or "comtrade|wits|wide" in line:
            continue
        block = [line]
        for following in lines[i + 1 :]:
            if not following.startswith("        "):  # continuation lines are indented further
                break
            block.append(following)
        words = []
        for word in line.split()[1:]:
            if word.startswith(("[", "-")) or word.isupper() or "|" in word:
                break
            words.append(word)
        found.append((" ".join(words), " ".join(block)))
    return found


def _options(command: str) -> set[str]:
    import typer.main

    node = typer.main.get_command(app)
    for word in command.split():  # commands load on first use: asked for by name, not read from a dict
        node = node.get_command(typer.Context(node), word)  # type: ignore[attr-defined]
    return {
        opt
        for param in node.params
        for opt in param.opts
        if opt.startswith("--") and opt not in ("--help", "--install-completion", "--show-completion")
    }


SYNOPSES = _synopses()


def test_the_readme_has_a_synopsis_for_every_main_command() -> None:
    assert {c for c, _ in SYNOPSES} >= {
        "project", "check", "simulate", "targets", "nowcast", "backtest", "report", "data import", "data mirror",
        "solve growth", "solve year", "audit", "sensitivity", "plot",
    }  # fmt: skip


@pytest.mark.parametrize(("command", "synopsis"), SYNOPSES, ids=[c for c, _ in SYNOPSES])
def test_each_synopsis_names_exactly_the_options_the_command_has(command: str, synopsis: str) -> None:
    written = set(re.findall(r"--[a-z][a-z-]*", synopsis))
    assert written == _options(command), {
        "in the README only": sorted(written - _options(command)),
        "in --help only": sorted(_options(command) - written),
    }


def test_the_readme_targets_table_is_what_targets_prints() -> None:
    printed = CliRunner().invoke(app, ["targets", "--format", "markdown"], catch_exceptions=False)
    assert printed.exit_code == 0, printed.stderr
    assert printed.stdout.strip() in README


def test_the_readme_nowcast_record_is_what_nowcast_evaluate_prints() -> None:
    printed = CliRunner().invoke(
        app, ["nowcast", "--evaluate", "--format", "markdown"], catch_exceptions=False
    )
    assert printed.exit_code == 0, printed.stderr
    assert printed.stdout.strip() in README
    case = CliRunner().invoke(app, ["nowcast", "--year", "2023", "--from", "jan-nov", "--format", "json"])
    import json

    estimate = json.loads(case.stdout)
    shown = re.search(r"gives \*\*\$([\d.]+)B \(90%: \$([\d.]+)B–\$([\d.]+)B\)\*\*", README)
    assert shown
    assert [f"{estimate[k] / 1e9:.2f}" for k in ("estimate", "low", "high")] == list(shown.groups())


def test_the_readme_backtest_table_is_what_backtest_gives() -> None:
    """The README's Kazakhstan–Italy backtest table (steady's +5%/yr, bands at sd 0.15 and 0.25) and the sd the
    errors imply, rebuilt from `tradesim backtest --format json` on the shipped data."""
    import json

    def run(sd: str) -> dict[str, object]:
        args = ["backtest", "steady", "--method", "scenario", "--sd", sd, "--calibrate", "--format", "json"]
        printed = CliRunner().invoke(app, args, catch_exceptions=False)
        assert printed.exit_code == 0, printed.stderr
        document: dict[str, object] = json.loads(printed.stdout)
        return document

    low, high = run("0.15"), run("0.25")

    def pct(x: float, signed: bool = False) -> str:
        text = f"{x * 100:+.1f}%" if signed else f"{x * 100:.1f}%"
        return text.replace("-", "−")

    for a, b in zip(low["horizons"], high["horizons"], strict=True):  # type: ignore[call-overload]
        row = (
            f"| {a['horizon']} yr | {a['n']} | {pct(a['bias'], True)} | {pct(a['mape'])} | {a['rmse_log']:.3f} | "
            f"{a['coverage_50'] * 100:.0f}% / {b['coverage_50'] * 100:.0f}% | "
            f"{a['coverage_90'] * 100:.0f}% / {b['coverage_90'] * 100:.0f}% |"
        )
        assert row in README, row
    assert f"an annual sd of **{low['calibrated_sd']:.3f}**" in README
