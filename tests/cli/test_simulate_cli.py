from __future__ import annotations

import json
from typing import Any

import pytest

from tests.conftest import SCENARIOS


def test_json_contract(run: Any) -> None:
    result = run("simulate", "article", "--target", "20e9", "--runs", "20000", "--seed", "1", "--format", "json",
                 "--scenarios", str(SCENARIOS))  # fmt: skip
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    assert (document["runs"], document["seed"], document["target"]) == (20000, 1, 20e9)
    (entry,) = document["scenarios"]
    assert entry["name"] == "article"
    year = entry["years"][4]
    assert year["year"] == 2027
    assert set(year) == {
        "year",
        "p_at_or_above",
        "p_reached_by",
        "bilateral_percentiles",
        "share_percentiles",
    }
    assert set(year["bilateral_percentiles"]) == {"5", "25", "50", "75", "95"}
    assert 0 <= year["p_at_or_above"] <= year["p_reached_by"] <= 1
    assert sum(entry["reached_year_distribution"].values()) == pytest.approx(1)
    assert "never" in entry["reached_year_distribution"]


def test_same_seed_same_bytes(run: Any) -> None:
    args = ("simulate", "--growth", "7%", "--growth-sd", "0.1", "--target", "20B", "--runs", "5000", "--seed", "3",
            "--format", "json")  # fmt: skip
    assert run(*args).stdout == run(*args).stdout


def test_table_prints_the_seed(run: Any) -> None:
    result = run("simulate", "steady", "--runs", "2000", "--seed", "11", "--scenarios", str(SCENARIOS))
    assert result.exit_code == 0
    assert "2,000 runs, seed 11" in result.stdout
    assert "first reached:" in result.stdout


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (["--growth-sd", "-0.1"], "--growth-sd must be greater than or equal to 0, got -0.1"),
        (["--correlation", "1.5"], "--correlation must be less than or equal to 1, got 1.5"),
        (["--correlation", "-2"], "--correlation must be greater than or equal to -1, got -2.0"),
        (["--runs", "0"], "--runs must be a whole number from 1 to 10,000,000, got 0"),
        (["--runs", "-3"], "--runs must be a whole number from 1 to 10,000,000, got -3"),
        (["--seed", "-1"], "--seed must be a whole number ≥ 0, got -1"),
    ],
)
def test_bad_input(run: Any, args: list[str], line: str) -> None:
    result = run("simulate", "--growth", "5%", "--target", "20B", *args)
    assert (result.exit_code, result.stderr) == (2, f"tradesim: error: {line}\n")
