"""Bad input, tried as a new user would: one line on stderr naming file and key, exit 2, no traceback."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import SCENARIOS


def _fails(result: Any, line: str) -> None:
    assert result.exit_code == 2
    assert result.stderr == f"tradesim: error: {line}\n"
    assert "Traceback" not in result.stdout + result.stderr


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (["--target", "-5"], "--target must be greater than zero, got '-5'"),
        (
            ["--target", "abc"],
            "--target must be a number like 20e9, 20_000_000_000, 20B, $20bn or 500M, got 'abc'",
        ),
        (
            ["--target", "nan"],
            "--target must be a number like 20e9, 20_000_000_000, 20B, $20bn or 500M, got 'nan'",
        ),
        (
            ["--target", "inf"],
            "--target must be a number like 20e9, 20_000_000_000, 20B, $20bn or 500M, got 'inf'",
        ),
        (
            ["--growth", "-100%", "--target", "20B"],
            "--growth must be greater than -100% (a flow cannot fall below zero), got '-100%'",
        ),
        (["--growth", "7%"], "scenario 'ad-hoc' has no target: add [[targets]] or pass --target AMOUNT"),
        (
            ["--growth", "7%", "--target", "20B", "--by", "2020"],
            "--by must be after the base year 2023 of 'ad-hoc', got 2020",
        ),
        (
            ["stedy", "--target", "20B"],
            f"unknown scenario 'stedy' in {SCENARIOS}; did you mean 'steady'? "
            "(available: article, forum-deals, full-year-2023, oil-and-rest, oil-and-rest-brent, oil-downside, steady)",
        ),
        (["missing.toml"], "missing.toml: file not found"),
        (["--bogus"], "project: No such option: --bogus (see tradesim project --help)"),
    ],
)
def test_bad_project_input(run: Any, args: list[str], line: str) -> None:
    _fails(run("project", "--scenarios", str(SCENARIOS), *args), line)


def test_bad_file_reports_file_line_and_key(run: Any, write_scenario: Callable[..., Path]) -> None:
    path = write_scenario("typo", "[growth]\nbilateral = 0.05\nrest_of_worl = 0.03\n")
    _fails(
        run("project", str(path), "--target", "20B"),
        f"{path}:3: growth.rest_of_worl: unknown key; did you mean 'rest_of_world'? "
        "(allowed: bilateral, exports, imports, rest_of_world, total)",
    )


def test_empty_and_broken_toml(run: Any, write_scenario: Callable[..., Path]) -> None:
    empty = write_scenario("empty", "")
    _fails(
        run("project", str(empty), "--target", "20B"),
        f"{empty}: the file is empty; a scenario needs at least a [growth] table",
    )
    broken = write_scenario("broken", "[growth\nbilateral = 0.05\n")
    result = run("project", str(broken), "--target", "20B")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"tradesim: error: {broken}:1: TOML syntax error:")


def test_text_where_a_number_belongs(run: Any, write_scenario: Callable[..., Path]) -> None:
    path = write_scenario("text", '[growth]\nbilateral = "fast"\nrest_of_world = 0.03\n')
    _fails(
        run("project", str(path), "--target", "20B"),
        f"{path}:2: growth.bilateral: must be a rate like 0.07 or 7%, got 'fast'",
    )


def test_traceback_flag_reraises(run: Any) -> None:
    from tradesim.errors import InputError

    with pytest.raises(InputError):
        run("--traceback", "project", "--target", "abc")


def test_a_bad_input_never_touches_the_output_file(run: Any, tmp_path: Path) -> None:
    out = tmp_path / "keep.json"
    out.write_text("precious")
    result = run("project", "--scenarios", str(SCENARIOS), "--target", "abc", "-f", "json", "-o", str(out))
    assert result.exit_code == 2
    assert out.read_text() == "precious"


def test_unknown_data_filter(run: Any) -> None:
    result = run("data", "--partner", "XXX")
    assert result.exit_code == 2
    assert result.stderr.startswith("tradesim: error: --partner: no observation has 'XXX' (known: ")


def test_ctrl_c_exits_130_quietly(run: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from tradesim import report

    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(report, "evaluate", interrupted)
    result = run("project", "--target", "20B", "--scenarios", str(SCENARIOS))
    assert (result.exit_code, result.stdout, result.stderr) == (130, "", "")


def test_a_baseline_or_target_without_a_scale_is_refused(run: Any, tmp_path: Path) -> None:
    """`bilateral = 14.5` would be a $14 baseline and a 0.0% share; `--target 20` a $20 target reached at once."""
    path = tmp_path / "bare.toml"
    path.write_text('[baseline]\nbilateral = 14.5\n[growth]\nbilateral = "5%"\nrest_of_world = "3%"\n')
    result = run("project", str(path))
    assert (result.exit_code, result.stderr) == (
        2,
        f"tradesim: error: {path}:2: baseline.bilateral: 14.5 has no scale: 14.5 currency units is implausibly "
        "small for a country's trade; did you mean 14.5B? (write 14.5 USD, or another currency code, to mean "
        "14.5 units)\n",
    )
    target = run("project", "steady", "--target", "20")
    assert target.exit_code == 2
    assert "did you mean 20B?" in target.stderr
    scaled = run("project", "steady", "--target", "20 bln", "--format", "json")
    assert scaled.exit_code == 0, scaled.stderr
