"""Product legs (issue 28 part 5–6): the pair is the sum of its legs, a leg's solve against its closed form, a
price leg against volume × price by hand, an event on one leg leaves the others alone."""

from __future__ import annotations

import csv
import math
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tradesim import model, montecarlo, scenario, sensitivity, solve
from tradesim.data import Dataset
from tradesim.data import load as load_folder
from tradesim.errors import DataError, InputError, ScenarioError
from tradesim.schema import Scenario

B, TOTAL = 16.1e9, 139.55e9  # a stated baseline: the tests do not depend on the shipped data's picks


def legs_scenario(*legs: dict[str, Any], events: tuple[dict[str, Any], ...] = (), **fields: Any) -> Scenario:
    return Scenario.model_validate(
        {
            "name": "t",
            "base_year": 2023,
            "horizon": 2035,
            "baseline": {"bilateral": B, "total": TOTAL},
            "growth": {"rest_of_world": 0.03},
            "legs": legs,
            "events": events,
            **fields,
        }
    )


def oil(share: Any = "90%", growth: Any = 0.0, **more: Any) -> dict[str, Any]:
    return {"commodity": "HS:27", "share": share, "source": "test", "growth": growth, **more}


def rest(growth: Any = 0.05) -> dict[str, Any]:
    return {"commodity": "rest", "growth": growth}


def test_each_leg_grows_on_its_own_and_the_pair_is_their_sum() -> None:
    projection = model.project(legs_scenario(oil(growth=0.02), rest(0.05)))
    t = projection.years - 2023
    assert projection.legs["HS:27"] == pytest.approx(0.9 * B * 1.02**t, rel=1e-14)
    assert projection.legs["rest"] == pytest.approx(0.1 * B * 1.05**t, rel=1e-14)
    assert projection.bilateral == pytest.approx(0.9 * B * 1.02**t + 0.1 * B * 1.05**t, rel=1e-14)
    assert projection.rows()[4]["leg:HS:27"] == pytest.approx(0.9 * B * 1.02**4, rel=1e-14)


@given(
    share=st.floats(0.01, 0.95),
    oil_rate=st.floats(-0.2, 0.3),
    rest_rate=st.floats(-0.2, 0.3),
    shock=st.floats(-0.5, 0.5),
    amount=st.floats(0, 5e9),
    ramp=st.integers(1, 4),
)
def test_the_pair_is_the_sum_of_its_legs_to_1e_12(
    share: float, oil_rate: float, rest_rate: float, shock: float, amount: float, ramp: int
) -> None:
    item = legs_scenario(
        oil(share, oil_rate),
        rest(rest_rate),
        events=(
            {"label": "oil", "year": 2026, "relative": shock, "leg": "HS:27", "ramp_years": ramp},
            {"label": "all", "year": 2028, "relative": shock / 2},
            {"label": "deal", "year": 2027, "amount": amount, "leg": "rest"},
        ),
    )
    try:
        projection = model.project(item)
    except ScenarioError:  # a leg driven below zero: refused, never summed
        return
    summed = projection.legs["HS:27"] + projection.legs["rest"]
    assert np.all(np.abs(summed - projection.bilateral) <= 1e-12 * np.abs(projection.bilateral))


def test_an_event_on_one_leg_leaves_the_others_unchanged() -> None:
    plain = model.project(legs_scenario(oil(), rest()))
    hit = model.project(
        legs_scenario(
            oil(), rest(), events=({"label": "cut", "year": 2025, "relative": "-30%", "leg": "HS:27"},)
        )
    )
    assert np.array_equal(hit.legs["rest"], plain.legs["rest"])
    assert hit.legs["HS:27"][2:] == pytest.approx(0.7 * plain.legs["HS:27"][2:], rel=1e-14)
    assert np.array_equal(hit.legs["HS:27"][:2], plain.legs["HS:27"][:2])
    # an event naming no leg: a relative change of every leg, so of the pair by the same share
    every = model.project(
        legs_scenario(oil(), rest(), events=({"label": "all", "year": 2025, "relative": 0.1},))
    )
    assert every.bilateral[2:] == pytest.approx(1.1 * plain.bilateral[2:], rel=1e-14)


def test_solve_growth_of_one_leg_against_its_closed_form() -> None:
    item = legs_scenario(oil(), rest(0.05))
    answer = solve.required_growth(item, 20e9, 2027, leg="HS:27")
    others = 0.1 * B * 1.05**4  # the rest leg in 2027, as in the file
    expected = ((20e9 - others) / (0.9 * B)) ** (1 / 4) - 1  # by hand: +5.64%/yr
    assert answer.method == "closed form"
    assert answer.required_growth == pytest.approx(expected, rel=1e-12)
    assert answer.required_growth == pytest.approx(0.056355994, abs=1e-9)
    assert answer.leg_baseline == pytest.approx(0.9 * B)
    assert answer.check == pytest.approx(20e9, rel=1e-12)


def test_solve_growth_of_a_leg_with_an_event_uses_the_root_finder_and_hits_the_target() -> None:
    item = legs_scenario(
        oil(), rest(0.05), events=({"label": "cut", "year": 2026, "relative": "-10%", "leg": "HS:27"},)
    )
    answer = solve.required_growth(item, 20e9, 2027, leg="HS:27")
    expected = ((20e9 - 0.1 * B * 1.05**4) / (0.9 * B * 0.9)) ** (1 / 4) - 1  # the cut divides the leg by 0.9
    assert answer.method == "root finder"
    assert answer.required_growth == pytest.approx(expected, rel=1e-10)


def test_solve_growth_without_a_leg_moves_every_leg_at_one_rate() -> None:
    answer = solve.required_growth(legs_scenario(oil(growth=0.0), rest(0.05)), 20e9, 2027)
    assert answer.required_growth == pytest.approx((20e9 / B) ** (1 / 4) - 1, rel=1e-10)


def test_a_leg_the_scenario_lacks_is_refused() -> None:
    with pytest.raises(
        InputError, match=r"--leg HS:28: scenario 't' has no such leg \(its legs: HS:27, rest\)"
    ):
        solve.required_growth(legs_scenario(oil(), rest()), 20e9, 2027, leg="HS:28")


PRICES = {2023: 80.0, 2024: 90.0, 2026: 60.0}


def test_a_price_leg_is_volume_times_price_by_hand() -> None:
    priced = oil(growth=0.01, price={"prices": PRICES, "unit": "USD_per_bbl", "source": "test"})
    projection = model.project(legs_scenario(priced, rest(0.0), horizon=2028))
    volume = 0.9 * B / 80.0  # barrels in 2023
    price = [80.0, 90.0, 90.0, 60.0, 60.0, 60.0]  # 2025 takes 2024's, 2027–2028 take 2026's
    by_hand = [volume * 1.01**t * p for t, p in enumerate(price)]
    assert projection.legs["HS:27"] == pytest.approx(by_hand, rel=1e-14)


def test_solve_price_against_the_affine_closed_form() -> None:
    priced = oil(growth=0.0, price={"prices": PRICES, "unit": "USD_per_bbl", "source": "test"})
    answer = solve.required_price(legs_scenario(priced, rest(0.05)), 20e9, 2027, "HS:27")
    expected = (20e9 - 0.1 * B * 1.05**4) / (0.9 * B / 80.0)  # (target − rest) / volume
    assert answer.required_price == pytest.approx(expected, rel=1e-12)
    assert answer.check == pytest.approx(20e9, rel=1e-12)
    assert (answer.price_base, answer.unit) == (80.0, "USD_per_bbl")


def test_the_shipped_brent_series_drives_a_price_leg() -> None:
    """The price series is the shipped World Bank Brent rows, read here from the shipped CSV itself."""
    shipped = Path(model.__file__).parent / "data" / "shipped" / "kazakhstan_trade_sources.csv"
    with shipped.open(encoding="utf-8") as handle:
        brent = {
            int(r["year"]): float(r["value"])
            for r in csv.DictReader(handle)
            if r["commodity"] == "CRUDE_BRENT"
        }
    assert len(brent) == 11
    assert brent[2023] == pytest.approx(82.61625)
    priced = oil(growth=0.0, price={"series": "CRUDE_BRENT", "hold": True})
    projection = model.project(legs_scenario(priced, rest(0.0), horizon=2027))
    assert projection.legs["HS:27"] == pytest.approx(
        [0.9 * B * brent[y] / brent[2023] for y in (2023, 2024, 2025, 2025, 2025)], rel=1e-14
    )
    without_hold = legs_scenario(oil(growth=0.0, price={"series": "CRUDE_BRENT"}), rest(0.0), horizon=2027)
    with pytest.raises(DataError, match=r"no price for 2026 \(the series CRUDE_BRENT has 2015–2025\)"):
        model.project(without_hold)


def test_a_price_in_another_currency_is_refused_not_converted() -> None:
    euro = legs_scenario(
        oil(price={"prices": {2023: 70.0}, "unit": "EUR_per_bbl", "source": "t"}), rest(), horizon=2025
    )
    with pytest.raises(
        DataError, match="the price is in EUR_per_bbl, the scenario in USD: prices are not converted"
    ):
        model.project(euro)


def test_a_share_from_data_is_the_same_reporters_figure_for_the_product(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    rows = (
        "kind,reporter,partner,flow,year,period,value,unit,status,reported_by,source,url,note,classification,commodity\n"
        "trade,USA,CHN,total,2017,FY,636000000000,USD,reported,USA,t,,,TOTAL,TOTAL\n"
        "trade,USA,CHN,total,2017,FY,9252647967,USD,reported,USA,t,,,H5,27\n"
        "trade,CHN,USA,total,2017,FY,1111111111,USD,reported,CHN,t,,,H5,27\n"  # another reporter: never taken
    )
    (folder / "usa.csv").write_text(rows, encoding="utf-8")
    data = load_folder(folder)
    item = Scenario.model_validate(
        {
            "name": "t",
            "reporter": "USA",
            "partner": "CHN",
            "base_year": 2017,
            "baseline": {"total": "3.9T"},
            "growth": {"rest_of_world": 0.0},
            "legs": [{"commodity": "HS:27", "share": "from data", "growth": 0.0}, rest(0.0)],
        }
    )
    base = model.resolve_baseline(item, data=data)
    assert [b.value for b in base.legs] == [9252647967.0, 636e9 - 9252647967.0]
    assert base.legs[0].source is not None
    assert base.legs[0].source.classification == "H5"


@pytest.mark.parametrize(
    ("legs", "message"),
    [
        (
            (oil("90%"), {**oil("20%"), "commodity": "HS:28"}, rest()),
            "the named legs' shares add up to 110.0%",
        ),
        ((oil(), {**oil("5%"), "commodity": "HS:2709"}, rest()), "HS:2709 overlaps legs[0] (HS:27)"),
        ((oil(), {**oil("5%"), "commodity": "SITC:3"}, rest()), "SITC:3 is not HS like legs[0]"),
        ((oil(),), 'needs exactly one leg with commodity = "rest"'),
        (({**oil(), "source": ""}, rest()), "a stated share or amount needs its source"),
        (({**oil(), "amount": "1B"}, rest()), "set exactly one of share"),
    ],
)
def test_bad_legs_are_refused(legs: tuple[dict[str, Any], ...], message: str) -> None:
    problems = scenario.semantic_problems(legs_scenario(*legs))
    assert [p.message for p in problems if message in p.message], [p.message for p in problems]


def test_two_legs_simulate_with_independent_shocks() -> None:
    """With one leg certain (sd 0) the other's median is its path: the pair's median is the projection."""
    item = legs_scenario(oil(growth={"rate": 0.0, "sd": 0.0}), rest({"rate": 0.05, "sd": 0.2}))
    projection = model.project(item)
    simulated = montecarlo.simulate(item, target=20e9, runs=20_000, rng=3)
    assert simulated.median_source == "deterministic path"
    assert simulated.bilateral_percentiles[50] == pytest.approx(projection.bilateral, rel=1e-9)
    # the 95th percentile: oil fixed plus the rest leg's own lognormal tail, by hand
    t = np.arange(1, 13)
    tail = 0.9 * B + 0.1 * B * 1.05**t * np.exp(1.6448536 * 0.2 * np.sqrt(t))
    assert simulated.bilateral_percentiles[95][1:] == pytest.approx(tail, rel=0.02)


def test_a_third_leg_draws_a_stream_of_its_own() -> None:
    """Three legs, only the third (HS 26, 5%) shocked: the pair's median is the projection and its 95th
    percentile the other legs plus the third's own lognormal tail, by hand; all three shocked, the median is
    the sample's and the spread wider than any one leg's."""
    ores = {"commodity": "HS:26", "share": "5%", "source": "test"}
    item = legs_scenario(
        oil(growth={"rate": 0.0, "sd": 0.0}),
        {**ores, "growth": {"rate": 0.03, "sd": 0.3}},
        rest({"rate": 0.05, "sd": 0.0}),
    )
    projection = model.project(item)
    simulated = montecarlo.simulate(item, target=20e9, runs=20_000, rng=5)
    assert simulated.median_source == "deterministic path"
    assert simulated.bilateral_percentiles[50] == pytest.approx(projection.bilateral, rel=1e-9)
    t = np.arange(1, 13)
    tail = 0.9 * B + 0.05 * B * 1.05**t + 0.05 * B * 1.03**t * np.exp(1.6448536 * 0.3 * np.sqrt(t))
    assert simulated.bilateral_percentiles[95][1:] == pytest.approx(tail, rel=0.02)
    every = legs_scenario(
        oil(growth={"rate": 0.0, "sd": 0.1}),
        {**ores, "growth": {"rate": 0.03, "sd": 0.3}},
        rest({"rate": 0.05, "sd": 0.2}),
    )
    drawn = montecarlo.simulate(every, target=20e9, runs=20_000, rng=5)
    assert drawn.median_source == "sample"
    again = montecarlo.simulate(every, target=20e9, runs=20_000, rng=5)
    assert np.array_equal(drawn.bilateral_percentiles[95], again.bilateral_percentiles[95])  # the seed alone


def test_sensitivity_moves_each_legs_inputs() -> None:
    tornado = sensitivity.tornado(legs_scenario(oil(growth=0.0), rest(0.05)), 20e9)
    inputs = {s.input: s for s in tornado.swings}
    assert {"legs[0].rate (HS 27)", "legs[1].rate (other goods)", "legs[0] base (HS 27)"} <= set(inputs)
    base = inputs["legs[0] base (HS 27)"]
    assert (base.low, base.high) == pytest.approx(
        (0.9 * B - 0.025 * B, 0.9 * B + 0.025 * B)
    )  # ±25% of the rest
    assert not any(math.isnan(s.share_low) or math.isnan(s.share_high) for s in tornado.swings)


def test_a_scenario_without_legs_is_untouched() -> None:
    """No leg, no leg column, no legs key: old scenario files give the outputs they gave."""
    plain = model.project(
        Scenario.model_validate(
            {"name": "t", "base_year": 2023, "growth": {"bilateral": 0.05, "rest_of_world": 0.0}}
        )
    )
    assert plain.legs == {}
    assert not any(k.startswith("leg:") for k in plain.rows()[0])
    assert isinstance(plain.data, Dataset)
