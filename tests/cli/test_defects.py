"""One test per defect of the correctness issue (#8); each fails on the code before its fix."""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import SCENARIOS, SHIPPED_NAMES, edit

PLAIN = '[growth]\nbilateral = 0.05\nrest_of_world = 0.03\n[[targets]]\nvalue = "20B"\n'


def _error(result: Any) -> str:
    assert result.exit_code == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    return str(result.stderr)


def _json(text: str) -> Any:
    def refuse(name: str) -> None:
        raise AssertionError(f"JSON holds {name}")

    return json.loads(text, parse_constant=refuse)


# 1 ------------------------------------------------------------------------------------------------------------
def test_simulate_without_uncertainty_is_the_projection(run: Any) -> None:
    args = ["--growth", "5%", "--rest-growth", "3%", "--target", "20B", "--runs", "1000", "--seed", "1"]
    result = run("simulate", *args, "--format", "json")
    assert result.exit_code == 0, result.stderr
    (entry,) = _json(result.stdout)["scenarios"]
    projected = _json(run("project", *args[:6], "--format", "json").stdout)["scenarios"][0]["years"]
    for year, expected in zip(entry["years"], projected, strict=True):
        for p in ("5", "25", "50", "75", "95"):
            assert year["bilateral_percentiles"][p] == pytest.approx(expected["bilateral"], rel=1e-13)
            assert year["share_percentiles"][p] == pytest.approx(expected["share"], rel=1e-13)
    assert "nan" not in run("simulate", *args).stdout


# 2 ------------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["../../escaped", "/abs/path", "a" * 101, "ünï", ".hidden", "a/b"])
def test_unsafe_scenario_names_are_errors_and_nothing_is_written(run: Any, tmp_path: Path, name: str) -> None:
    folder = tmp_path / "one" / "two" / "scenarios"
    folder.mkdir(parents=True)
    path = folder / "x.toml"
    path.write_text(f"name = {json.dumps(name)}\n{PLAIN}", encoding="utf-8")
    stderr = _error(run("check", "--update", "--scenarios", str(folder)))
    assert stderr.startswith(f"tradesim: error: {path}:1: name: must be 1–100 letters, digits")
    assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*")) == [
        Path("one"),
        Path("one/two"),
        Path("one/two/scenarios"),
        Path("one/two/scenarios/x.toml"),
    ]


def test_duplicate_names_in_a_folder_name_both_files(run: Any, tmp_path: Path) -> None:
    (tmp_path / "a.toml").write_text(f'name = "same"\n{PLAIN}')
    (tmp_path / "b.toml").write_text(f'name = "same"\n{PLAIN}')
    stderr = _error(run("check", "--update", "--scenarios", str(tmp_path)))
    assert stderr == (
        f"tradesim: error: {tmp_path / 'b.toml'}: name: scenario name 'same' is also the name of "
        f"{tmp_path / 'a.toml'}; names must be unique in a folder (they name the snapshot)\n"
    )
    assert not (tmp_path / "snapshots").exists()


# 3 ------------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("[baseline]\nbilateral = 1e308\n", "2: baseline.bilateral: must be at most 1e15"),
        ("[baseline]\nbilateral = 1e-300\n", "2: baseline.bilateral: must be at least 1 (one currency unit)"),
        (
            "[growth.bilateral]\nmodel = 'linear'\namount = 1e308\n",
            "3: growth.bilateral.amount: must be at most",
        ),
        ("[growth]\nbilateral = 1e9\n", "2: growth.bilateral: must be at most +1000% a year"),
    ],
)
def test_amounts_and_rates_outside_the_finite_domain_are_bad_input(
    run: Any, write_scenario: Callable[..., Path], text: str, line: str
) -> None:
    body = text + ("rest_of_world = 0.03\n" if text.startswith("[growth]") else "")
    if "[growth" not in text:
        body += "[growth]\nbilateral = 0.05\nrest_of_world = 0.03\n"
    elif text.startswith("[growth.bilateral]"):
        body += "[growth.rest_of_world]\nrate = 0.03\n"
    path = write_scenario("huge", body)
    for command in (["project"], ["solve", "year"]):
        stderr = _error(run(*command, str(path), "--target", "20B", "--format", "json"))
        assert stderr.startswith(f"tradesim: error: {path}:{line}"), stderr


def test_a_path_that_overflows_names_scenario_year_and_key(
    run: Any, write_scenario: Callable[..., Path]
) -> None:
    path = write_scenario("boom", 'horizon = 2200\n[growth]\nbilateral = "990%"\nrest_of_world = 0.03\n')
    for command in (["project"], ["solve", "year"], ["simulate", "--runs", "100", "--seed", "1"]):
        stderr = _error(run(*command, str(path), "--target", "20B", "--format", "json"))
        assert stderr == (
            f"tradesim: error: {path}: growth.bilateral: scenario 'boom': bilateral trade leaves the finite "
            "domain in 2031 (beyond 1e18; lower the growth or the horizon)\n"
        )


def test_a_path_that_underflows_to_zero_gives_null_growth_and_no_warning(
    run: Any, write_scenario: Callable[..., Path]
) -> None:
    path = write_scenario(
        "fade",
        'horizon = 2223\n[baseline]\nbilateral = "1 USD"\n[growth]\nbilateral = -0.99\nrest_of_world = 0\n',
    )  # one dollar, said so: a plain 1 is refused as a missing scale (issue 17)
    result = run("project", str(path), "--target", "20B", "--format", "json")
    assert result.exit_code == 0, result.stderr
    years = _json(result.stdout)["scenarios"][0]["years"]
    assert years[-1]["bilateral"] == 0.0
    assert years[-1]["growth"] is None  # no growth after a year of zero trade
    stderr = _error(run("simulate", str(path), "--target", "20B", "--runs", "100", "--seed", "1"))
    assert "the growth path of bilateral trade reaches zero in" in stderr


# 4 ------------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("[[targets]]\nvalue = {}\n", "7: targets[0].value: must be a number like 20e9 or 20B, got a table"),
        (
            "[[targets]]\nvalue = '20B'\n[[expect]]\nmetric = 'bilateral'\nyear = 2024\nmin = 1979-05-27T07:32:00Z\n",
            "11: expect[0].min: must be a number like 20e9 or 20B, got a datetime value",
        ),
        (
            "[[events]]\nlabel = 'x'\nyear = 2025\namount = 1979-05-27T07:32:00Z\n",
            "9: events[0].amount: must be a number like 20e9 or 20B, got a datetime value",
        ),
        (
            "[[targets]]\nvalue = [1, 2]\n",
            "7: targets[0].value: must be a number like 20e9 or 20B, got a list",
        ),
    ],
)
def test_wrong_toml_types_get_a_clear_error(
    run: Any, write_scenario: Callable[..., Path], text: str, line: str
) -> None:
    path = write_scenario("types", "[growth]\nbilateral = 0.05\nrest_of_world = 0.03\n\n\n" + text)
    stderr = _error(run("project", str(path), "--target", "20B"))
    assert f"tradesim: error: {path}:{line}\n" in stderr, stderr


def test_a_table_rate_of_a_time_and_bad_events_in_an_appended_list(run: Any, tmp_path: Path) -> None:
    (tmp_path / "parent.toml").write_text(PLAIN)
    child = tmp_path / "child.toml"
    child.write_text(
        'extends = "parent"\nevents = [5, {append = true, label = "x", year = 2025, amount = "1B"}]\n'
        '[growth.bilateral]\nmodel = "table"\nrates = {2024 = 07:32:00}\ndefault = 0.05\n'
    )
    stderr = _error(run("project", str(child), "--scenarios", str(tmp_path)))
    assert (
        f"{child}:5: growth.bilateral.rates.2024: must be a rate like 0.07 or 7%, got a time value" in stderr
    )
    assert f"{child}:2: events[0]: must be a table" in stderr
    (tmp_path / "other.toml").write_text('extends = "parent"\nevents = [{append = "yes"}]\n')
    stderr = _error(run("project", str(tmp_path / "other.toml"), "--scenarios", str(tmp_path)))
    assert "events[0].append: unknown key" in stderr


# 5 ------------------------------------------------------------------------------------------------------------
def test_a_long_extends_chain_is_bounded(run: Any, tmp_path: Path) -> None:
    (tmp_path / "s0.toml").write_text(PLAIN)
    for i in range(1, 1500):
        (tmp_path / f"s{i}.toml").write_text(f'extends = "s{i - 1}.toml"\n')
    stderr = _error(run("project", str(tmp_path / "s1499.toml"), "--scenarios", str(tmp_path)))
    assert stderr.startswith("tradesim: error: ")
    assert "extends: `extends` chain longer than 32 files (from " in stderr


@pytest.mark.parametrize(
    "nested", ["a = " + "[" * 1500 + "]" * 1500, "a = " + "{b = " * 1500 + "1" + "}" * 1500]
)
def test_deeply_nested_toml_is_bounded(run: Any, write_scenario: Callable[..., Path], nested: str) -> None:
    path = write_scenario("deep", nested + "\n")
    stderr = _error(run("project", str(path), "--target", "20B"))
    assert stderr == (
        f"tradesim: error: {path}: tables and lists nested more than 8 levels deep; a scenario file needs at "
        "most 4\n"
    )


def test_moderately_deep_toml_names_line_and_key(run: Any, write_scenario: Callable[..., Path]) -> None:
    path = write_scenario("deep", PLAIN + "[[events]]\nlabel = " + "[" * 12 + "]" * 12 + "\n")
    stderr = _error(run("project", str(path), "--target", "20B"))
    assert stderr.startswith(
        f"tradesim: error: {path}:7: events[0].label[0][0][0][0][0][0]: tables and lists"
    )


# 6 ------------------------------------------------------------------------------------------------------------
def test_rest_growth_on_a_degenerate_scenario_is_a_solve_error(
    run: Any, write_scenario: Callable[..., Path]
) -> None:
    path = write_scenario(
        "tiny",
        "[baseline]\nbilateral = '1 USD'\ntotal = 1e15\n[growth.bilateral]\nmodel = 'reach'\nvalue = '1 USD'\nyear = 2024\n"
        "[growth.rest_of_world]\nrate = 0\n",
    )
    stderr = _error(run("solve", "rest-growth", str(path), "--share", "0.5", "--by", "2024"))
    assert stderr.startswith(
        f"tradesim: error: {path}: scenario 'tiny': a share of 50.0% in 2024 takes rest-of-"
    )
    assert "outside (−99%, +1000%)" in stderr


# 7 ------------------------------------------------------------------------------------------------------------
def test_data_errors_name_the_scenario_file(run: Any, write_scenario: Callable[..., Path]) -> None:
    path = write_scenario("esp", 'partner = "ESP"\n' + PLAIN)
    assert _error(run("project", str(path))) == (
        f"tradesim: error: {path}: baseline.bilateral: the data holds no USD trade figure for KAZ–ESP in 2023; "
        "set baseline.bilateral in the scenario file\n"
    )


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("EUR", "must be an ISO 3166-1 alpha-3 country code such as KAZ or ITA, got 'EUR'"),
        ("ita", "country codes are upper case: did you mean 'ITA' (Italy)?"),
        ("WLD", "'WLD' is an aggregate (the world (a reporter's total trade)), not a country"),
    ],
)
def test_partner_codes_are_iso_3166(
    run: Any, write_scenario: Callable[..., Path], code: str, message: str
) -> None:
    path = write_scenario("code", f'partner = "{code}"\n' + PLAIN)
    assert _error(run("project", str(path))) == f"tradesim: error: {path}:1: partner: {message}\n"


# 8 ------------------------------------------------------------------------------------------------------------
def test_cross_field_errors_are_reported_with_field_errors(
    run: Any, write_scenario: Callable[..., Path]
) -> None:
    path = write_scenario(
        "both", "base_year = 2023\nhorizon = 2020\n[growth]\nbilateral = 'fast'\nrest_of_world = 0.03\n"
    )
    assert _error(run("scenarios", "validate", str(path))) == (
        f"tradesim: error: {path}:2: horizon: must be after base_year 2023, got 2020\n"
        f"tradesim: error: {path}:4: growth.bilateral: must be a rate like 0.07 or 7%, got 'fast'\n"
    )


# 9 ------------------------------------------------------------------------------------------------------------
def test_validate_runs_the_projection(run: Any, tmp_path: Path) -> None:
    (tmp_path / "good.toml").write_text(PLAIN)
    bad = tmp_path / "negative.toml"
    bad.write_text(PLAIN + '[[events]]\nlabel = "collapse"\nyear = 2026\namount = "-20B"\n')
    result = run("scenarios", "validate", "--scenarios", str(tmp_path))
    assert result.exit_code == 2
    assert result.stdout == f"ok: good ({tmp_path / 'good.toml'})\n"
    assert result.stderr.startswith(
        f"tradesim: error: {bad}: scenario 'negative': bilateral trade falls below zero in 2026"
    )


# 10 -----------------------------------------------------------------------------------------------------------
def test_project_by_shows_the_rate_each_scenario_needs(run: Any) -> None:
    args = [
        "forum-deals",
        "oil-downside",
        "steady",
        "--scenarios",
        str(SCENARIOS),
        "--target",
        "20e9",
        "--by",
        "2027",
    ]
    document = _json(run("project", *args, "--format", "json").stdout)
    needed = {s["name"]: s["required_growth"] for s in document["scenarios"]}
    solved = _json(run("solve", "growth", *args, "--format", "json").stdout)
    assert needed == {r["scenario"]: r["required_growth"] for r in solved["results"]}
    assert needed["steady"] == pytest.approx((20 / 14.5) ** 0.25 - 1)
    assert needed["forum-deals"] == pytest.approx((18.5 / 14.5) ** 0.25 - 1)  # 14.5·(1+g)^4 + 1.5 = 20
    table = run("project", *args).stdout
    assert "+6.28%" in table
    assert "+11.65%" in table


# 11 -----------------------------------------------------------------------------------------------------------
def test_audit_json_carries_the_warnings(run: Any) -> None:
    result = run("audit", "article", "--scenarios", str(SCENARIOS), "--format", "json")
    warnings = _json(result.stdout)["warnings"]
    assert any("KAZ total trade $139.6B (2023) is derived: BNS exports + imports" in w for w in warnings)
    assert any("January–November 2023" in w for w in warnings)


# 12: tests/cli/test_check_cli.py runs the printed hints ------------------------------------------------------


# 13: tests/unit/test_sensitivity.py derives the sd/√T band ------------------------------------------------------
def test_tornado_on_steady_moves_the_rate_by_the_sd_of_its_mean(run: Any) -> None:
    result = run("sensitivity", "steady", "--scenarios", str(SCENARIOS), "--format", "json")
    rows = {row["input"]: row for row in _json(result.stdout)["tornado"]}
    step = 0.25 / math.sqrt(12)  # steady's sd (0.25, calibrated by the backtest) over its 12 years
    growth = rows["growth.bilateral.rate"]
    assert (growth["low"], growth["high"]) == pytest.approx(
        (1.05 * math.exp(-step) - 1, 1.05 * math.exp(step) - 1)
    )
    assert growth["share_high"] < 0.3  # one annual sd held for 12 years: 42% at sd 0.15, more at 0.25


# 14 -----------------------------------------------------------------------------------------------------------
def test_plot_tornado_with_two_scenarios_says_it_draws_one(run: Any, tmp_path: Path) -> None:
    out = tmp_path / "t.png"
    stderr = _error(
        run("plot", "tornado", "steady", "article", "--scenarios", str(SCENARIOS), "-o", str(out))
    )
    assert stderr == "tradesim: error: plot tornado draws one scenario: name one (got 2: steady, article)\n"
    assert not out.exists()


def test_piped_tables_have_no_trailing_spaces_and_keep_every_column(run: Any) -> None:
    table = run("project", "--scenarios", str(SCENARIOS), "--target", "20B").stdout
    assert all(line == line.rstrip() for line in table.splitlines())
    data = run("data", "--partner", "ITA", "--year", "2023").stdout
    assert "source" in data.splitlines()[2]
    assert "…" not in data
    words = data.split()
    assert all(
        word in words for word in ["Center", "for", "Trade", "Policy", "Development", "(QazTrade)"]
    )  # wrapped


def test_grid_years_are_whole_numbers_in_json(run: Any) -> None:
    result = run(
        "sensitivity",
        "--growth",
        "5%",
        "--target",
        "20e9",
        "--grid",
        "growth=0.04:0.06:0.02",
        "--grid",
        "target=15e9:20e9:5e9",
        "--format",
        "json",
    )
    values = _json(result.stdout)["values"]
    assert values == [[2024, 2032], [2024, 2029]]
    assert all(type(v) is int for row in values for v in row)
    assert "2024.0" not in result.stdout


def test_data_json_keeps_slashes_and_rates(run: Any) -> None:
    result = run("data", "--kind", "fx", "--year", "2010", "--format", "json")
    (row,) = _json(result.stdout)
    assert (row["value"], row["amount"]) == (1.3257, 1.3257)
    assert "\\/" not in result.stdout
    assert "https://" in result.stdout


def test_help_lists_every_command_untruncated(run: Any) -> None:
    for args in ([], ["solve"], ["scenarios"]):
        listing = run(*args, "--help").stdout
        commands = listing[listing.index("Commands:") :]
        assert "..." not in commands


def test_sensitivity_without_a_scenario_uses_every_scenario_not_a_zero_ad_hoc(run: Any) -> None:
    result = run("sensitivity", "--scenarios", str(SCENARIOS), "--format", "json")
    names = list(dict.fromkeys(row["scenario"] for row in _json(result.stdout)["tornado"]))
    assert names == SHIPPED_NAMES
    assert "ad-hoc" not in result.stdout


def test_help_of_plot_and_sensitivity_names_the_default_used(run: Any) -> None:
    for command in ("plot", "sensitivity"):
        assert "default: every scenario" in run(command, "--help").stdout


# found by the hostile-input suite ------------------------------------------------------------------------------
def test_rest_growth_when_bilateral_trade_has_fallen_to_zero(
    run: Any, write_scenario: Callable[..., Path]
) -> None:
    path = write_scenario(
        "fall",
        "horizon = 2027\n[growth]\nbilateral = {model = 'linear', amount = '-3.625B'}\nrest_of_world = 0\n",
    )
    stderr = _error(run("solve", "rest-growth", str(path), "--share", "1/6", "--by", "2027"))
    assert stderr == (  # 14.5B − 4 · 3.625B = 0
        f"tradesim: error: {path}: scenario 'fall': bilateral trade is zero in 2027, so no growth of the rest "
        "of trade makes it 16.7% of the total\n"
    )
    edit(path, "-3.625B", "-3.625000001B")  # below zero in 2027: the path itself is the error
    stderr = _error(run("solve", "rest-growth", str(path), "--share", "1/6", "--by", "2027"))
    assert stderr == (
        f"tradesim: error: {path}: scenario 'fall': bilateral trade falls below zero in 2027 (-4)\n"
    )


def test_audit_of_a_claim_reached_in_the_base_year_explains_itself(
    run: Any, write_scenario: Callable[..., Path]
) -> None:
    """Found by the hostile-input suite: `would have to be true` asked the solver for growth to the base year."""
    path = write_scenario(
        "early",
        '[growth]\nbilateral = 0.0\nrest_of_world = 0.0\n[[targets]]\nvalue = "15B"\n'
        '[[claims]]\nquote = "already there"\nmetric = "reached_year"\nvalue = 2023\n'
        '[[claims]]\nquote = "far later"\nmetric = "reached_year"\nvalue = 2400\n',
    )
    result = run("audit", str(path), "--format", "json")
    assert result.exit_code == 0, result.stderr
    first, second = json.loads(result.stdout)["claims"]
    assert first["would_hold_if"] == (
        "$15.0B is not reached by 2035; holds only if bilateral trade were $15.0B already in 2023; it was $14.5B"
    )
    assert second["would_hold_if"].startswith(
        "$15.0B is not reached by 2035; no constant growth reaches $15.0B in 2400: "
    )
