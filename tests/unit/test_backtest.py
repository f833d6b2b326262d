"""Backtests against a trailing growth and coverage counts worked out by hand."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from tradesim import backtest, data
from tradesim.cli import app

HEADER = "kind,reporter,partner,flow,year,period,value,unit,status,reported_by,source,url,note\n"
SERIES = {2015: 1.0, 2016: 1.1, 2017: 1.21, 2018: 1.4, 2019: 1.3}


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "esp.csv").write_text(
        HEADER
        + "".join(f"trade,KAZ,ESP,total,{y},FY,{v},USD_bn,reported,KAZ,Test,,\n" for y, v in SERIES.items())
    )
    return folder


def test_a_trailing_one_year_growth_scored_by_hand(folder: Path) -> None:
    result = backtest.run("KAZ", "ESP", method="cagr:1", horizons=(1, 2), sd=0.15, data=data.load(folder))
    x = SERIES
    hand = {  # (origin, horizon): forecast, in $B
        (2016, 1): x[2016] * (x[2016] / x[2015]),
        (2016, 2): x[2016] * (x[2016] / x[2015]) ** 2,
        (2017, 1): x[2017] * (x[2017] / x[2016]),
        (2017, 2): x[2017] * (x[2017] / x[2016]) ** 2,
        (2018, 1): x[2018] * (x[2018] / x[2017]),
    }
    assert {(f.origin, f.horizon): f.forecast for f in result.forecasts} == pytest.approx(
        {k: v * 1e9 for k, v in hand.items()}
    )
    one = result.scores[0]
    pairs = [(hand[(o, 1)], x[o + 1]) for o in (2016, 2017, 2018)]
    assert one.n == 3
    assert one.bias == pytest.approx(sum(f / a - 1 for f, a in pairs) / 3)
    assert one.mape == pytest.approx(sum(abs(f / a - 1) for f, a in pairs) / 3)
    assert one.rmse_log == pytest.approx(math.sqrt(sum(math.log(f / a) ** 2 for f, a in pairs) / 3))
    # |ln(f/a)|: 0, 0.050, 0.220 — within 0.674·0.15 = 0.101 twice, within 1.645·0.15 = 0.247 three times
    assert (one.coverage_50, one.coverage_90) == (pytest.approx(2 / 3), 1.0)
    logs = [(math.log(hand[k] / x[k[0] + k[1]]), k[1]) for k in hand]
    assert result.calibrated_sd() == pytest.approx(math.sqrt(sum(e**2 / h for e, h in logs) / len(logs)))


def test_the_cli_table_json_and_bad_input(folder: Path) -> None:
    runner = CliRunner()

    def run(*args: str) -> Any:
        return runner.invoke(app, ["backtest", *args], catch_exceptions=False, prog_name="tradesim")

    args = ["--partner", "ESP", "--method", "cagr:1", "--horizons", "1,2", "--data", str(folder)]
    document = json.loads(run(*args, "--format", "json").stdout)
    assert [h["n"] for h in document["horizons"]] == [3, 2]
    assert document["calibrated_sd"] is not None
    assert "3 yr" not in run(*args).stdout
    assert run(*args, "--method", "cagr:0").exit_code == 2
    assert run(*args[:-2], "--method", "scenario").stderr == (
        "tradesim: error: --method scenario needs a scenario: name one\n"
    )
    assert run(*args, "--horizons", "1,x").exit_code == 2
    first = run(*args, "--vintage", "first", "--format", "json")
    assert "no KAZ–ESP figure has a `published` date" in json.loads(first.stdout)["warnings"][0]


def test_the_first_vintage_never_takes_another_reporters_figure(folder: Path) -> None:
    """A dated 2016 figure of KAZ–ESP in Spain's statistics is not Kazakhstan's first release of it."""
    (folder / "spain.csv").write_text(
        HEADER.replace("note\n", "note,published\n")
        + "trade,KAZ,ESP,total,2016,FY,9.9,USD_bn,reported,ESP,Spain,,,2017-03-01\n",
        encoding="utf-8",
    )
    series, _ = backtest.actual_series("KAZ", "ESP", "first", data=data.load(folder))
    assert series[2016] == pytest.approx(1.1e9)  # Kazakh statistics, not Spain's dated 9.9


def test_the_first_vintage_takes_the_earliest_published_figure_and_the_latest_the_revision() -> None:
    """2022's total was first released as $134.4B (published 2023) and revised to the BNS months' $135.53B:
    every command takes the revision; `--vintage first` the first release. Kazakhstan–Italy 2020: $8.0B
    (Agenzia Nova, 2021-08-14) came before the BNS figure $7.58B (Kazinform, 2024-01)."""
    from tradesim import backtest, data

    shipped = data.shipped()
    assert shipped.full_years("KAZ", "WLD")[2022].value == pytest.approx(135.527431)
    first, _ = backtest.actual_series("KAZ", "WLD", "first", data=shipped)
    latest, _ = backtest.actual_series("KAZ", "WLD", "latest", data=shipped)
    assert first[2022] == pytest.approx(134.4e9)
    assert latest[2022] == pytest.approx(135.527431e9)
    italy, warnings = backtest.actual_series("KAZ", "ITA", "first", data=shipped)
    assert warnings == []  # the shipped data now has dates
    assert italy[2020] == pytest.approx(8.0e9)
    assert backtest.actual_series("KAZ", "ITA", "latest", data=shipped)[0][2020] == pytest.approx(7.58e9)


def test_every_published_date_is_iso_and_read_from_its_source() -> None:
    import re

    from tradesim import data
    from tradesim.data.observation import PUBLISHED

    dated = [o for o in data.shipped().observations if o.published]
    assert len(dated) > 100
    for o in dated:
        assert PUBLISHED.match(o.published), o
        year, *rest = o.published.split("-")
        assert year in o.source, o
        if len(rest) == 2:
            assert o.published in o.source, o
    assert not [o for o in dated if re.match(r"^(DERIVED|BNS )", o.source)]  # a sum is not a publication
