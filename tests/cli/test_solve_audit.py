from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import SCENARIOS


def _json(run: Any, *args: str) -> dict[str, Any]:
    result = run(*args, "--format", "json", "--scenarios", str(SCENARIOS))
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_solve_growth_prints_8_37_and_the_check(run: Any) -> None:
    result = run("solve", "growth", "--target", "20e9", "--by", "2027")
    assert result.exit_code == 0
    assert "+8.37%/yr" in result.stdout
    assert "check: bilateral 2027" in result.stdout
    assert "$20.000B" in result.stdout
    (answer,) = _json(run, "solve", "growth", "--target", "20e9", "--by", "2027")["results"]
    assert answer["required_growth"] == pytest.approx((20 / 14.5) ** 0.25 - 1)
    assert (answer["scenario"], answer["target"], answer["by"]) == ("ad-hoc", 20e9, 2027)


def test_solve_share_prints_120bn(run: Any) -> None:
    result = run("solve", "share", "--target", "20e9", "--share", "1/6")
    assert result.exit_code == 0
    assert "$120.0B" in result.stdout
    assert "$20.0B / $120.0B = 16.67%" in result.stdout
    (answer,) = _json(run, "solve", "share", "--target", "20e9", "--share", "16.7%")["results"]
    assert answer["total"] == pytest.approx(20e9 / 0.167)
    assert {"total", "rest_of_world", "reference_total", "change"} <= answer.keys()


def test_solve_year(run: Any) -> None:
    (answer,) = _json(run, "solve", "year", "--target", "20B", "--growth", "7%")["results"]
    assert answer["reached_year"] == 2028
    assert round(answer["crossing_years"], 2) == 4.75
    assert answer["check"] == pytest.approx(14.5e9 * 1.07**5)  # 20.34 ≥ 20
    assert answer["check_before"] == pytest.approx(14.5e9 * 1.07**4)  # 19.01 < 20


def test_solve_rest_growth_negative_answer(run: Any) -> None:
    (answer,) = _json(run, "solve", "rest-growth", "article", "--share", "1/6", "--by", "2027")["results"]
    assert answer["required_rest_growth"] == pytest.approx((100 / 125.051207) ** 0.25 - 1)
    result = run(
        "solve", "rest-growth", "article", "--share", "1/6", "--by", "2027", "--scenarios", str(SCENARIOS)
    )
    assert f"−{abs((100 / 125.051207) ** 0.25 - 1):.2%}/yr" in result.stdout  # −5.44%


def test_solve_with_baselines_all(run: Any) -> None:
    results = _json(run, "solve", "growth", "steady", "--target", "20B", "--by", "2027", "--baselines", "all")
    assert [r["baseline"] for r in results["results"]] == [14.5e9, 15.0e9, 16.1e9]


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (["solve", "share", "--target", "20B", "--share", "0"],
         "--share must be strictly between 0 and 1 (0% and 100%), got '0'"),
        (["solve", "share", "--target", "20B", "--share", "7/6"],
         "--share must be strictly between 0 and 1 (0% and 100%), got '7/6'"),
        (["solve", "growth", "--target", "20B", "--by", "2020"],
         "--by must be after the base year 2023 of 'ad-hoc', got 2020"),
        (["solve", "growth", "--target", "1T", "--by", "2024"],  # 1000 / 14.5 − 1 = +6796.6%
         "scenario 'ad-hoc': reaching $1.0T in 2024 from $14.5B takes +6796.6%/yr, outside (−99%, +1000%)"),
        (["solve", "year", "--target", "20B"], "solve year needs a growth path: pass --growth RATE or name a scenario"),
        (["solve", "rest-growth", "--share", "-1%", "--by", "2027"],
         "--share must be strictly between 0 and 1 (0% and 100%), got '-1%'"),
    ],
)  # fmt: skip
def test_solve_bad_input(run: Any, args: list[str], line: str) -> None:
    result = run(*args)
    assert (result.exit_code, result.stderr) == (2, f"tradesim: error: {line}\n")


def test_inheritance_cycle_exits_2(run: Any, write_scenario: Callable[..., Path]) -> None:
    write_scenario("a", 'extends = "b"\n[growth]\nbilateral = 0.05\nrest_of_world = 0.03\n')
    b = write_scenario("b", 'extends = "a"\n')
    result = run("solve", "growth", str(b), "--target", "20B", "--by", "2027")
    assert result.exit_code == 2
    assert result.stderr.endswith("extends: inheritance cycle: b → a → b\n")
    assert len(result.stderr.splitlines()) == 1


def test_audit_article_four_verdicts(run: Any) -> None:
    result = run("audit", "article", "--scenarios", str(SCENARIOS))
    assert result.exit_code == 0
    assert result.stdout.count("does not hold:") == 2
    assert result.stdout.count("  holds:") == 2
    assert "holds only if KAZ's total trade were $120.0B in 2027, 14% below 2023 ($139.6B)" in result.stdout
    assert "$14.5B is the figure for jan-nov 2023" in result.stdout


def test_audit_json_contract(run: Any) -> None:
    claims = _json(run, "audit", "article")["claims"]
    assert len(claims) == 4
    for claim in claims:
        assert {
            "scenario",
            "quote",
            "source",
            "metric",
            "claimed",
            "computed",
            "holds",
            "would_hold_if",
        } <= claim.keys()
    assert [c["holds"] for c in claims] == [False, True, False, True]
    assert claims[2]["claimed"] == pytest.approx(1 / 6)
    assert claims[1]["claimed"] == {"min": 0.10, "max": 0.12}


def test_audit_exits_0_even_when_claims_fail(run: Any) -> None:
    assert run("audit", "--scenarios", str(SCENARIOS)).exit_code == 0


def test_project_baselines_all_shows_the_spread(run: Any) -> None:
    result = run("project", "steady", "--target", "20B", "--baselines", "all", "--scenarios", str(SCENARIOS))
    assert "Baseline spread" in result.stdout
    assert "2028–2030" in result.stdout  # 16.1 → 2028, 14.5 → 2030
    spread = _json(run, "project", "steady", "--target", "20B", "--baselines", "all")["spread"]
    assert (spread[0]["reached_year_min"], spread[0]["reached_year_max"]) == (2028, 2030)
