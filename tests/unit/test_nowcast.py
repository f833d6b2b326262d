"""Nowcasts against a ratio estimator computed by hand."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from tradesim import data, nowcast

HEADER = "kind,reporter,partner,flow,year,period,value,unit,status,reported_by,source,url,note\n"
T_95_2_DF = 2.919985580355516  # Student's t, 0.95 quantile, 2 degrees of freedom


@pytest.fixture
def pair(tmp_path: Path) -> data.Dataset:
    rows = [
        ("2019", "h1", "4.0"), ("2019", "FY", "9.0"),
        ("2020", "h1", "5.0"), ("2020", "FY", "10.5"),
        ("2021", "h1", "6.0"), ("2021", "FY", "12.6"),
        ("2022", "h1", "7.0"), ("2022", "FY", "99.0"),  # the year estimated: its FY must never be used
    ]  # fmt: skip
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "esp.csv").write_text(
        HEADER + "".join(f"trade,KAZ,ESP,total,{y},{p},{v},USD_bn,reported,KAZ,Test,,\n" for y, p, v in rows)
    )
    return data.load(folder)


def test_the_ratio_estimator_and_its_interval(pair: data.Dataset) -> None:
    result = nowcast.nowcast("KAZ", "ESP", 2022, "h1", data=pair)
    logs = [math.log(9 / 4), math.log(10.5 / 5), math.log(12.6 / 6)]
    mean = sum(logs) / 3
    sd = math.sqrt(sum((x - mean) ** 2 for x in logs) / 2)
    spread = T_95_2_DF * sd * math.sqrt(1 + 1 / 3)
    assert result.method == "pair"
    assert result.estimate == pytest.approx(7e9 * math.exp(mean), rel=1e-12)
    assert (result.low, result.high) == pytest.approx(
        (7e9 * math.exp(mean - spread), 7e9 * math.exp(mean + spread))
    )
    assert [y for y, _ in result.ratios] == [2019, 2020, 2021]  # never 2022's own full year
    assert all(o.year != 2022 or o.period == "h1" for o in result.used)


def test_leave_one_out_nowcasts_each_year_without_it(pair: data.Dataset) -> None:
    results = nowcast.evaluate("KAZ", "ESP", data=pair)
    assert [(r.year, r.period) for r in results] == [(2019, "h1"), (2020, "h1"), (2021, "h1"), (2022, "h1")]
    first = results[0]
    others = [
        math.log(10.5 / 5),
        math.log(12.6 / 6),
        math.log(99 / 7),
    ]  # 2019 left out; 2022's FY is history here
    assert first.nowcast.estimate == pytest.approx(4e9 * math.exp(sum(others) / 3), rel=1e-12)
    assert first.actual == 9e9
    assert first.error == pytest.approx(first.nowcast.estimate / 9e9 - 1)


def test_the_articles_case_falls_back_to_months_and_holds_the_full_year() -> None:
    result = nowcast.nowcast("KAZ", "ITA", 2023, "jan-nov")
    assert result.method == "months"
    assert result.estimate == pytest.approx(14.5e9 * 12 / 11)
    band = 1.6448536269514722 * 0.2 * (12 - 11) / 12
    assert (result.low, result.high) == pytest.approx(
        (14.5e9 * 12 / 11 * math.exp(-band), 14.5e9 * 12 / 11 * math.exp(band))
    )
    assert result.low <= 16.1e9 <= result.high  # the full year, $16.1B, inside the interval
    assert result.warnings


def test_from_the_reporters_total_when_the_pair_has_no_history() -> None:
    result = nowcast.nowcast("KAZ", "ITA", 2025, "h1")
    # KAZ–ITA has h1 and FY in 2022 (8.0, 14.9): the pair's own history comes first
    assert result.method == "pair"
    assert result.estimate == pytest.approx(10e9 * 14.9 / 8.0)
    assert (
        nowcast.nowcast("KAZ", "ITA", 2022, "h1").method == "reporter total"
    )  # 2022 left out: KAZ total h1 2020
    assert nowcast.nowcast("KAZ", "ITA", 2022, "h1").estimate == pytest.approx(8e9 * 85.0 / 42.5)
