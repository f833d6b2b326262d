"""frame(): every result type gives its numbers as a DataFrame, the year as the index where there is one, and
the same numbers as its JSON (issue 16, part 2)."""

from __future__ import annotations

import pandas as pd
import pytest

from tests.conftest import SCENARIOS
from tradesim import (
    audit,
    backtest,
    check,
    data,
    model,
    montecarlo,
    nowcast,
    report,
    scenario,
    sensitivity,
    solve,
    targets,
)
from tradesim.data.mirror import mirror


@pytest.fixture(scope="module")
def steady() -> scenario.Scenario:
    return scenario.load(SCENARIOS / "steady.toml")


def test_projection_and_results(steady: scenario.Scenario) -> None:
    projection = model.project(steady)
    frame = projection.frame(20e9).set_index("year")
    assert frame.loc[2024, "bilateral"] == pytest.approx(14.5e9 * 1.05)
    results = report.evaluate([steady], target=20e9)
    long = results.frame()
    assert list(long.index.names) == ["scenario", "year"]
    years = results.to_json()["scenarios"][0]["years"]
    assert [long.loc[("steady", y["year"]), "total"] for y in years] == pytest.approx(
        [y["total"] for y in years]
    )


def test_simulations(steady: scenario.Scenario) -> None:
    result = montecarlo.simulate(steady, target=20e9, runs=2000, rng=5)
    frame = result.frame()
    assert frame.index.name == "year"
    assert frame.index[0] == 2023
    document = montecarlo.to_json([result])["scenarios"][0]["years"]
    assert frame["bilateral_p50"].tolist() == pytest.approx(
        [y["bilateral_percentiles"]["50"] for y in document]
    )
    both = montecarlo.Simulations([result], [steady]).frame()
    assert list(both.index.names) == ["scenario", "year"]


def test_backtest_nowcast_targets_and_mirror() -> None:
    result = backtest.run("KAZ", "ITA", method="cagr:1", horizons=(1, 2))
    assert result.frame().index.name == "horizon"
    assert result.frame()["n"].tolist() == [h["n"] for h in result.to_json()["horizons"]]
    estimate = nowcast.nowcast("KAZ", "ITA", 2023, "jan-nov")
    assert estimate.frame().loc[2023, "estimate"] == estimate.estimate
    record = nowcast.evaluate("KAZ", "ITA")
    assert record.frame().index.name == "year"
    statuses = targets.tracked("KAZ")
    tracked = targets.Tracked("KAZ", statuses, targets.portfolio("KAZ", statuses), None)
    assert tracked.frame()["value"].tolist() == [r["value"] for r in tracked.to_json()["targets"]]
    sides = mirror(data.shipped(), "KAZ", "CHN")
    assert sides.frame().index.name == "year"


def test_sensitivity_checks_audit_and_solve(steady: scenario.Scenario, tmp_path: object) -> None:
    tornado = sensitivity.Tornados([sensitivity.tornado(steady, 20e9)])
    assert set(tornado.frame()["input"]) == {row["input"] for row in tornado.to_json()["tornado"]}
    axis = sensitivity.parse_axis("growth=0.03:0.07:0.01")
    grid = sensitivity.grid(steady, axis, sensitivity.parse_axis("rest-growth=0:0.02:0.01"), target=20e9)
    assert grid.frame().shape == (5, 3)
    assert grid.frame().iloc[2, 0] == grid.to_json()["values"][2][0]  # +5%: 2030 whatever the rest does
    checks = check.check([steady], SCENARIOS)
    assert checks.frame().loc["steady", "passed"]
    article = scenario.load(SCENARIOS / "article.toml")
    verdicts = audit.Audit(audit.audit([article]))
    assert len(verdicts.frame()) == len(verdicts.to_json()["claims"])
    answers = solve.Answers([solve.required_growth(steady, 20e9, 2027)], "growth", "x")
    assert answers.frame().loc["steady", "required_growth"] == pytest.approx((20 / 14.5) ** 0.25 - 1)


def test_the_dataset() -> None:
    frame = data.shipped().frame()
    assert isinstance(frame, pd.DataFrame)
    assert len(frame) == len(data.shipped().observations)
