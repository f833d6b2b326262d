"""Several [[targets]] per scenario, and claims or expectations with a target of their own."""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

CHINA = """\
partner = "CHN"
[baseline]
bilateral = "41B"
total = "139.8B"
[growth]
bilateral = "3%"
rest_of_world = "3%"
[[targets]]
value = "35B"
[[targets]]
value = "60B"
year = 2030
label = "a bigger one"
"""


def test_every_target_is_evaluated(run: Any, write_scenario: Callable[..., Path]) -> None:
    path = write_scenario("chn", CHINA)
    document = json.loads(run("project", str(path), "--format", "json").stdout)
    first, second = document["scenarios"][0]["targets"]
    assert (first["value"], first["reached_year"]) == (35e9, 2023)  # already above in the base year
    # 41 · 1.03^t ≥ 60 ⇔ t ≥ ln(60/41) / ln 1.03 = 12.87: not by 2035
    assert (second["value"], second["year"], second["label"], second["reached_year"]) == (
        60e9,
        2030,
        "a bigger one",
        None,
    )
    assert second["required_growth"] == pytest.approx((60 / 41) ** (1 / 7) - 1)
    table = run("project", str(path)).stdout
    assert "$60.0B by 2030: not by 2035" in table
    overridden = json.loads(run("project", str(path), "--target", "50B", "--format", "json").stdout)
    assert overridden["scenarios"][0]["targets"] == []  # --target replaces the scenario's own


def test_an_expectation_may_name_its_own_target(run: Any, write_scenario: Callable[..., Path]) -> None:
    reached = 2023 + math.ceil(math.log(50 / 41) / math.log(1.03))  # 6.71 → 2030
    path = write_scenario(
        "chn",
        CHINA
        + f'[[expect]]\nmetric = "reached_year"\ntarget = "50B"\nvalue = {reached}\n'
        + '[[claims]]\nquote = "50 by 2030"\nmetric = "reached_year"\ntarget = "50B"\nmax = 2030\n',
    )
    (path.parent / "snapshots").mkdir()
    result = run("check", str(path), "--scenarios", str(path.parent), "--update", "--format", "json")
    assert result.exit_code == 0, result.stdout
    (expectation,) = json.loads(result.stdout)["scenarios"][0]["expectations"]
    assert expectation["computed"] == reached
    claims = json.loads(run("audit", str(path), "--format", "json").stdout)["claims"]
    assert [(c["computed"], c["holds"]) for c in claims] == [(reached, True)]
    assert "reaches $50.0B" in claims[0]["what"]


HEADER = "kind,reporter,partner,flow,year,period,value,unit,status,reported_by,source,url,note\n"
TARGET = "target,KAZ,DEU,total,2030,by,10,EUR_bn,stated,KAZ,Tokayev 2024 via x,https://x,\n"


def _deu(run: Any, tmp_path: Path, rows: str) -> dict[str, Any]:
    data = tmp_path / "data"
    data.mkdir()
    (data / "deu.csv").write_text(HEADER + rows + TARGET)
    result = run("targets", "--partner", "DEU", "--data", str(data), "--format", "json")
    assert result.exit_code == 0, result.stderr
    (row,) = json.loads(result.stdout)["targets"]
    return dict(row)


def test_a_euro_target_is_measured_in_euros(run: Any, tmp_path: Path) -> None:
    """Issue 17: €10B by 2030 against €4.0B in 2023 is 40% of the way, and needs (10/4)^(1/7) − 1 a year."""
    row = _deu(run, tmp_path, "trade,KAZ,DEU,total,2023,FY,4.0,EUR_bn,reported,KAZ,Destatis,https://x,\n")
    assert (row["currency"], row["latest_actual"]["currency"]) == ("EUR", "EUR")
    assert row["progress"] == pytest.approx(0.4)
    assert row["required_growth"] == pytest.approx((10 / 4) ** (1 / 7) - 1)
    assert row["latest_actual"]["fx"] is None


def test_dollar_actuals_are_converted_to_a_euro_target_and_say_so(run: Any, tmp_path: Path) -> None:
    """The same trade reported in dollars ($4.3252B = €4.0B at the ECB's 2023 mean of 1.0813 USD per EUR)."""
    row = _deu(run, tmp_path, "trade,KAZ,DEU,total,2023,FY,4.3252,USD_bn,reported,KAZ,QazTrade,https://x,\n")
    assert row["progress"] == pytest.approx(4.3252 / 1.0813 / 10, rel=1e-3)  # not 0.43, dollars over euros
    assert row["latest_actual"]["currency"] == "EUR"
    assert "converted from USD" in row["latest_actual"]["fx"]
