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
