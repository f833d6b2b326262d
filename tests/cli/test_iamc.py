"""The IAMC export: the long table pyam reads (model, scenario, region, variable, unit, year, value)."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from tests.conftest import SCENARIOS

IAMC = ["model", "scenario", "region", "variable", "unit", "year", "value"]


def _frame(text: str) -> pd.DataFrame:
    frame = pd.read_csv(io.StringIO(text))
    assert list(frame.columns) == IAMC
    assert not frame.duplicated(
        IAMC[:-1]
    ).any()  # one value per model, scenario, region, variable, unit, year
    assert frame["year"].dtype.kind == "i"
    assert frame["value"].dtype.kind == "f"
    return frame


def test_project_in_iamc_layout(run: Any) -> None:
    result = run("project", "steady", "--scenarios", str(SCENARIOS), "--format", "iamc")
    frame = _frame(result.stdout)
    assert set(frame["variable"]) == {
        "Trade|Bilateral|KAZ-ITA",
        "Trade|Total|KAZ",
        "Trade|Rest of World|KAZ",
        "Share|ITA in KAZ",
    }
    wide = frame.pivot_table(
        index=["model", "scenario", "region", "variable", "unit"], columns="year", values="value"
    )
    bilateral = wide.xs("Trade|Bilateral|KAZ-ITA", level="variable").iloc[0]
    assert bilateral[2025] == pytest.approx(14.5e9 * 1.05**2, rel=1e-11)
    share = wide.xs("Share|ITA in KAZ", level="variable")
    assert share.index.get_level_values("unit").tolist() == ["%"]
    assert share.iloc[0][2023] == pytest.approx(100 * 14.5 / 139.551207, rel=1e-11)


def test_simulate_percentiles_are_variables(run: Any) -> None:
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
    frame = _frame(run(*args, "--format", "iamc").stdout)
    variables = set(frame["variable"])
    assert {f"Trade|Bilateral|KAZ-ITA|Percentile {p}" for p in (5, 25, 50, 75, 95)} <= variables
    # no uncertainty: every percentile is the projection
    p95 = frame[(frame["variable"] == "Trade|Bilateral|KAZ-ITA|Percentile 95") & (frame["year"] == 2026)][
        "value"
    ]
    assert p95.iloc[0] == pytest.approx(14.5e9 * 1.05**3, rel=1e-9)


def test_pyam_reads_the_file(run: Any, tmp_path: Path) -> None:
    """pyam itself, where installed (it is not a test dependency: it pulls in ixmp4, a database stack)."""
    pyam = pytest.importorskip(
        "pyam", reason="pyam-iamc is not installed (checked by hand: README 'IAMC export')"
    )
    out = tmp_path / "out.csv"
    out.write_text(run("project", "steady", "--scenarios", str(SCENARIOS), "--format", "iamc").stdout)
    frame = pyam.IamDataFrame(str(out))
    assert frame.region == ["KAZ"]
    value = frame.filter(variable="Trade|Bilateral|KAZ-ITA", year=2030).timeseries().iloc[0, 0]
    assert value == pytest.approx(14.5e9 * 1.05**7, rel=1e-11)
