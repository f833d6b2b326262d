"""The IAMC export: the long table pyam reads (model, scenario, region, variable, unit, year, value)."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from tests.conftest import SCENARIOS

IAMC = ["model", "scenario", "region", "variable", "unit", "year", "value"]
QUANTILES = ["model", "scenario", "region", "variable", "unit", "quantile", "year", "value"]


def _frame(text: str, columns: list[str] = IAMC) -> pd.DataFrame:
    frame = pd.read_csv(io.StringIO(text))
    assert list(frame.columns) == columns
    assert not frame.duplicated(
        columns[:-1]
    ).any()  # one value per model, scenario, region, variable, unit (quantile), year
    assert frame["year"].dtype.kind == "i"
    assert frame["value"].dtype.kind == "f"
    return frame


def test_project_in_iamc_layout(run: Any) -> None:
    result = run("project", "steady", "--scenarios", str(SCENARIOS), "--format", "iamc")
    frame = _frame(result.stdout)
    assert set(frame["variable"]) == {
        "Trade|KAZ",
        "Trade|KAZ|ITA",
        "Trade|KAZ|Rest of World",
        "Share|KAZ|ITA",
    }
    wide = frame.pivot_table(
        index=["model", "scenario", "region", "variable", "unit"], columns="year", values="value"
    )
    bilateral = wide.xs("Trade|KAZ|ITA", level="variable")
    assert bilateral.index.get_level_values("unit").tolist() == [
        "billion USD/yr"
    ]  # the scale the values carry
    assert bilateral.iloc[0][2025] == pytest.approx(14.5 * 1.05**2, rel=1e-11)
    # IAMC's hierarchy: the total is the sum of its children (what pyam's check_aggregate tests)
    children = wide.xs("Trade|KAZ|ITA", level="variable") + wide.xs(
        "Trade|KAZ|Rest of World", level="variable"
    )
    assert children.iloc[0].tolist() == pytest.approx(wide.xs("Trade|KAZ", level="variable").iloc[0].tolist())
    share = wide.xs("Share|KAZ|ITA", level="variable")
    assert share.index.get_level_values("unit").tolist() == ["%"]
    assert share.iloc[0][2023] == pytest.approx(100 * 14.5 / 139.551207, rel=1e-11)


def test_simulate_percentiles_are_a_quantile_column_not_children(run: Any) -> None:
    """A percentile is the same variable with a quantile (pyam's extra column), never a child variable that
    check_aggregate would add up."""
    args = [
        "simulate",
        "--growth",
        "5%",
        "--rest-growth",
        "3%",
        "--target",
        "20B",
        "--runs",
        "1000",
        "--seed",
        "1",
    ]
    frame = _frame(run(*args, "--format", "iamc").stdout, QUANTILES)
    assert set(frame["variable"]) == {"Trade|KAZ|ITA", "Share|KAZ|ITA"}
    assert sorted(set(frame["quantile"])) == [0.05, 0.25, 0.5, 0.75, 0.95]
    assert set(frame[frame["variable"] == "Trade|KAZ|ITA"]["unit"]) == {"billion USD/yr"}
    # no uncertainty: every percentile is the projection (in billions)
    p95 = frame[
        (frame["variable"] == "Trade|KAZ|ITA") & (frame["quantile"] == 0.95) & (frame["year"] == 2026)
    ]
    assert p95["value"].iloc[0] == pytest.approx(14.5 * 1.05**3, rel=1e-9)


@pytest.mark.filterwarnings("ignore::Warning")  # pyam's own deprecation warnings under pandas 3, not ours
def test_pyam_reads_the_file(run: Any, tmp_path: Path) -> None:
    """pyam itself, where installed (it is not a test dependency: it pulls in ixmp4, a database stack)."""
    pyam = pytest.importorskip(
        "pyam", reason="pyam-iamc is not installed (checked by hand: README 'IAMC export')"
    )
    out = tmp_path / "out.csv"
    out.write_text(run("project", "steady", "--scenarios", str(SCENARIOS), "--format", "iamc").stdout)
    frame = pyam.IamDataFrame(str(out))
    assert frame.region == ["KAZ"]
    value = frame.filter(variable="Trade|KAZ|ITA", year=2030).timeseries().iloc[0, 0]
    assert value == pytest.approx(14.5 * 1.05**7, rel=1e-11)  # billion USD/yr
    assert frame.check_aggregate("Trade|KAZ") is None  # the children add up to the total: no discrepancy
    every = tmp_path / "all.xlsx"  # every baseline, as pyam's workbook
    args = [
        "project",
        "steady",
        "--scenarios",
        str(SCENARIOS),
        "--baselines",
        "all",
        "-f",
        "iamc",
        "-o",
        str(every),
    ]
    assert run(*args).exit_code == 0
    with pd.ExcelFile(every) as book:  # read here and closed: pyam would leave the file open
        wide = book.parse("data")
    assert len(pyam.IamDataFrame(wide).scenario) == 3


def test_every_baseline_is_a_scenario_of_its_own(run: Any) -> None:
    """`--baselines all` runs a scenario once per published baseline: each run is its own IAMC scenario."""
    frame = _frame(
        run("project", "steady", "--scenarios", str(SCENARIOS), "--baselines", "all", "-f", "iamc").stdout
    )
    assert sorted(set(frame["scenario"])) == [
        "steady (baseline $14.5B)",
        "steady (baseline $15.0B)",
        "steady (baseline $16.1B)",
    ]


@pytest.mark.filterwarnings("ignore::Warning")  # pyam's own deprecation warnings under pandas 3, not ours
def test_pyam_reads_every_command_that_writes_iamc(run: Any, tmp_path: Path) -> None:
    """Each command offering --format iamc, every baseline included, loads in pyam with unique rows and
    aggregates that hold."""
    pyam = pytest.importorskip(
        "pyam", reason="pyam-iamc is not installed (checked by hand: README 'IAMC export')"
    )
    for name, args in {
        "project-all": ["project", "--scenarios", str(SCENARIOS), "--baselines", "all", "--target", "20B"],
        "simulate": [
            "simulate",
            "steady",
            "article",
            "--scenarios",
            str(SCENARIOS),
            "--runs",
            "500",
            "--seed",
            "1",
        ],
    }.items():
        out = tmp_path / f"{name}.csv"
        result = run(*args, "--format", "iamc", "-o", str(out))
        assert result.exit_code == 0, result.stderr
        frame = pyam.IamDataFrame(str(out))
        assert len(frame.data) > 0
        if name == "project-all":
            assert frame.check_aggregate("Trade|KAZ") is None
        else:  # the percentiles are a dimension of their own: no variable has children to add up
            assert frame.extra_cols == ["quantile"]
            assert frame.check_aggregate("Trade|KAZ|ITA") is None
            median = frame.filter(quantile=0.5, variable="Trade|KAZ|ITA", scenario="steady", year=2023)
            assert median.timeseries().iloc[0, 0] == pytest.approx(14.5)
