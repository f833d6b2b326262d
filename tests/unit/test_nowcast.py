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


def _bns_total(year: int, months: int) -> float:
    """Kazakhstan's exports + imports over the first ``months`` months of ``year``, from the raw BNS files."""
    import csv

    from tests.conftest import REPO

    total = 0.0
    for flow in ("exports", "imports"):
        path = REPO / "tests" / "data" / "bns" / f"{flow}_monthly.csv"
        with path.open(encoding="utf-8", newline="") as handle:
            total += sum(
                float(r["value"])
                for r in csv.DictReader(handle)
                if int(r["date"][:4]) == year and int(r["date"][5:7]) <= months
            )
    return total * 1e3


# the reporter's own full years the selection rule takes: reported where a release gives one, else BNS summed
# 2019: the reported $97.8B (the BNS months give 97.77); 2022: the BNS revision, the first release $134.4B superseded
FULL = {2019: 97.8e9} | {y: _bns_total(y, 12) for y in (2020, 2021, 2022, 2023, 2024, 2025)}


def test_the_articles_case_learns_from_kazakhstans_own_totals_and_holds_the_full_year() -> None:
    """No KAZ–ITA January–November history: the ratio of Kazakhstan's own total trade, full year over
    January–November, in every other year 2019–2025 (the BNS months), carries $14.5B to the full year."""
    result = nowcast.nowcast("KAZ", "ITA", 2023, "jan-nov")
    assert result.method == "reporter total"
    years = [2019, 2020, 2021, 2022, 2024, 2025]
    logs = [math.log(FULL[y] / _bns_total(y, 11)) for y in years]
    assert [y for y, _ in result.ratios] == years
    assert result.estimate == pytest.approx(14.5e9 * math.exp(sum(logs) / len(logs)), rel=1e-6)
    assert result.low <= 16.1e9 <= result.high  # the full year, $16.1B, inside the interval


def test_from_the_reporters_total_when_the_pair_has_no_history() -> None:
    result = nowcast.nowcast("KAZ", "ITA", 2025, "h1")
    # KAZ–ITA has h1 and FY in 2022 (8.0, 14.9): the pair's own history comes first
    assert result.method == "pair"
    assert result.estimate == pytest.approx(10e9 * 14.9 / 8.0)
    assert (
        nowcast.nowcast("KAZ", "ITA", 2022, "h1").method == "reporter total"
    )  # 2022 left out: KAZ total h1 2020
    # h1 2020 is the reported $42.5B; every other year's h1 the BNS months; 2022 itself left out
    h1 = {y: _bns_total(y, 6) for y in (2019, 2021, 2023, 2024, 2025)} | {2020: 42.5e9}
    logs = [math.log(FULL[y] / h1[y]) for y in sorted(h1)]
    expected = 8e9 * math.exp(sum(logs) / len(logs))
    assert nowcast.nowcast("KAZ", "ITA", 2022, "h1").estimate == pytest.approx(expected, rel=1e-6)
