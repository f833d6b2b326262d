"""Tornado swings and the two-way grid, against hand calculations."""

from __future__ import annotations

import math

import numpy as np
import pytest

from tradesim import model, sensitivity
from tradesim.errors import InputError
from tradesim.scenario import Scenario, ad_hoc


def test_tornado_moves_each_input_and_sorts_by_swing() -> None:
    plain = ad_hoc(0.05, 0.03)
    result = sensitivity.tornado(plain, 20e9)
    by_input = {s.input: s for s in result.swings}
    growth = by_input["growth.bilateral.rate"]
    # 25% of 5% is 1.25 pp, more than the 1 pp minimum
    assert (growth.low, growth.high) == pytest.approx((0.05 - 0.0125, 0.05 + 0.0125))
    expected_high = 14.5e9 * 1.0625**12
    assert growth.share_high == pytest.approx(expected_high / (expected_high + 125.051207e9 * 1.03**12))
    assert by_input["baseline.bilateral"].low == pytest.approx(14.5e9 * 0.75)
    swings = [s.share_swing for s in result.swings]
    assert swings == sorted(swings, reverse=True)


def test_zero_rates_still_swing_by_one_point_and_sd_of_the_mean_rate_is_used_where_given() -> None:
    flat = Scenario.model_validate(
        {"name": "f", "growth": {"bilateral": {"rate": 0.05, "sd": 0.2}, "rest_of_world": 0.0}}
    )
    by_input = {s.input: s for s in sensitivity.tornado(flat, 20e9).swings}
    assert (by_input["growth.rest_of_world.rate"].low, by_input["growth.rest_of_world.rate"].high) == (
        -0.01,
        0.01,
    )
    # 12 years (2023–2035): the mean annual log growth has sd 0.2 / √12 = 0.0577; 1.05·e^(∓0.0577) − 1
    step = 0.2 / math.sqrt(12)
    assert (by_input["growth.bilateral.rate"].low, by_input["growth.bilateral.rate"].high) == pytest.approx(
        (1.05 * math.exp(-step) - 1, 1.05 * math.exp(step) - 1)
    )
    assert by_input["growth.bilateral.rate"].low == pytest.approx(-0.0089, abs=1e-4)  # not 5% − 20% = −15%


def test_a_small_sd_still_swings_the_rate_by_one_point() -> None:
    flat = Scenario.model_validate(
        {"name": "f", "growth": {"bilateral": {"rate": 0.05, "sd": 0.01}, "rest_of_world": 0.0}}
    )
    swing = {s.input: s for s in sensitivity.tornado(flat, 20e9).swings}["growth.bilateral.rate"]
    assert (swing.low, swing.high) == pytest.approx((0.04, 0.06))


def test_tornado_covers_events_and_reach_models() -> None:
    shaped = Scenario.model_validate(
        {
            "name": "s",
            "growth": {
                "bilateral": {"model": "reach", "value": "20B", "year": 2027, "after": 0.0},
                "rest_of_world": 0,
            },
            "events": [{"label": "deal", "year": 2025, "amount": "1B"}],
        }
    )
    inputs = {s.input for s in sensitivity.tornado(shaped, 20e9).swings}
    assert {"growth.bilateral.value", "growth.bilateral.after", "events[0].amount (deal)"} <= inputs


def test_grid_reached_year_matches_the_closed_form() -> None:
    rows = sensitivity.parse_axis("growth=0.04:0.12:0.02")
    columns = sensitivity.parse_axis("target=15e9:25e9:5e9")
    table = sensitivity.grid(ad_hoc(0.05, 0.03), rows, columns, target=20e9)
    for i, g in enumerate(rows.values):
        for j, target in enumerate(columns.values):
            years = math.ceil(math.log(target / 14.5e9) / math.log(1 + g) - 1e-9)
            expected = 2023 + years if years <= 12 else math.nan
            assert table.values[i, j] == pytest.approx(expected, nan_ok=True)


def test_grid_share_matches_projection() -> None:
    rows = sensitivity.parse_axis("growth=0:0.1:0.05")
    columns = sensitivity.parse_axis("rest-growth=0:0.04:0.02")
    table = sensitivity.grid(ad_hoc(0.05, 0.03), rows, columns, target=20e9, metric="share", year=2030)
    for i, g in enumerate(rows.values):
        for j, r in enumerate(columns.values):
            assert table.values[i, j] == pytest.approx(model.project(ad_hoc(g, r)).value("share", 2030))


def test_grid_axis_is_inclusive_and_large_grids_are_fast_enough_to_build() -> None:
    axis = sensitivity.parse_axis("growth=0:0.15:0.01")
    assert axis.values.size == 16
    assert axis.values[-1] == pytest.approx(0.15)
    big = sensitivity.grid(
        ad_hoc(0.05, 0.03),
        sensitivity.parse_axis("growth=0:0.999:0.001"),
        sensitivity.parse_axis("rest-growth=0:0.0999:0.0001"),
        target=20e9,
        metric="share",
        year=2030,
    )
    assert big.values.shape == (1000, 1000)
    assert np.all((big.values > 0) & (big.values < 1))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("speed=0:1:0.1", "unknown parameter 'speed'"),
        ("growth=0:1", "expected NAME=START:STOP:STEP"),
        ("growth=0:1:0", "expected NAME=START:STOP:STEP"),
        ("growth=0:nan:0.1", "expected NAME=START:STOP:STEP"),
        ("growth=-2:0:0.5", "rates must stay above -100%"),
        ("target=-5:10:5", "amounts must be > 0"),
    ],
)
def test_bad_grid_axes(text: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        sensitivity.parse_axis(text)


def test_share_metric_needs_a_year() -> None:
    axis = sensitivity.parse_axis("growth=0:0.1:0.05")
    with pytest.raises(InputError, match="--metric share needs --year"):
        sensitivity.grid(
            ad_hoc(0.05, 0.03),
            axis,
            sensitivity.parse_axis("rest-growth=0:0.1:0.05"),
            target=20e9,
            metric="share",
        )


def test_grid_share_of_a_total_driven_scenario() -> None:
    # growth.total: the total is fixed by its own path, so the rest is what the grid's bilateral leaves of it
    driven = Scenario.model_validate({"name": "t", "growth": {"bilateral": 0.05, "total": 0.02}})
    rows = sensitivity.parse_axis("growth=0:0.1:0.05")
    table = sensitivity.grid(
        driven, rows, sensitivity.parse_axis("target=10e9:20e9:10e9"), target=20e9, metric="share", year=2030
    )
    total_2030 = 139.551207e9 * 1.02**7
    for i, g in enumerate(rows.values):
        expected = 14.5e9 * (1 + g) ** 7 / total_2030
        assert table.values[i] == pytest.approx([expected, expected])


def test_a_table_of_no_year_swings_its_default() -> None:
    """Found by the hostile-input suite: the mean of no rates was a numpy warning."""
    table = Scenario.model_validate(
        {
            "name": "t",
            "growth": {"bilateral": {"model": "table", "rates": {}, "default": 0.05}, "rest_of_world": 0.0},
        }
    )
    (swing,) = [s for s in sensitivity.tornado(table, 20e9).swings if s.input.startswith("growth.bilateral")]
    assert (swing.base, swing.low, swing.high) == pytest.approx((0.05, 0.0375, 0.0625))
    rising = 14.5e9 * 1.0625**12
    assert swing.share_high == pytest.approx(rising / (rising + 125.051207e9))
