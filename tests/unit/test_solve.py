"""Goal seek against closed forms, and round trips: solve, then project with the answer."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import SCENARIOS
from tests.strategies import baselines, targets
from tradesim import model, solve
from tradesim.errors import InputError, SolveError
from tradesim.scenario import Scenario


def scenario(**fields: object) -> Scenario:
    fields.setdefault("growth", {"bilateral": 0.05, "rest_of_world": 0.0})
    return Scenario.model_validate({"name": "t", "base_year": 2023, **fields})


def test_required_growth_closed_form_8_37_percent() -> None:
    answer = solve.required_growth(scenario(), 20e9, 2027)
    assert answer.method == "closed form"
    assert answer.required_growth == pytest.approx((20 / 14.5) ** 0.25 - 1, rel=1e-12)
    assert answer.check == pytest.approx(20e9, rel=1e-12)


def test_required_growth_with_a_ramped_event_uses_the_root_finder() -> None:
    # $1.5B fully ramped in by 2027: 14.5 (1 + r)^4 + 1.5 = 20  →  r = (18.5 / 14.5)^(1/4) − 1
    with_deals = scenario(events=[{"label": "deals", "year": 2025, "amount": "1.5B", "ramp_years": 3}])
    answer = solve.required_growth(with_deals, 20e9, 2027)
    assert answer.method == "root finder"
    assert answer.required_growth == pytest.approx((18.5 / 14.5) ** 0.25 - 1, rel=1e-9)


def test_required_growth_with_a_relative_shock() -> None:
    # −20% from 2025 on: 14.5 (1 + r)^4 · 0.8 = 20
    shocked = scenario(events=[{"label": "shock", "year": 2025, "relative": "-20%"}])
    answer = solve.required_growth(shocked, 20e9, 2027)
    assert answer.required_growth == pytest.approx((20 / 14.5 / 0.8) ** 0.25 - 1, rel=1e-9)


def test_required_growth_beyond_the_horizon_extends_it() -> None:
    answer = solve.required_growth(scenario(horizon=2025), 20e9, 2030)
    assert answer.required_growth == pytest.approx((20 / 14.5) ** (1 / 7) - 1)


def test_unreachable_target_is_a_solve_error() -> None:
    with pytest.raises(SolveError, match=r"outside \(−99%, \+1000%\)"):
        solve.required_growth(scenario(), 1e20, 2024)
    # −$200B in 2024: 14.5 (1 + r) − 200 = 0 needs r = +1279%
    hopeless = scenario(events=[{"label": "huge", "year": 2024, "amount": "-200B"}])
    with pytest.raises(SolveError, match="no constant rate in"):
        solve.required_growth(hopeless, 1e3, 2024)


def test_by_before_the_base_year_is_bad_input() -> None:
    with pytest.raises(InputError, match="--by must be after the base year 2023 of 't', got 2020"):
        solve.required_growth(scenario(), 20e9, 2020)


def test_reached_and_crossing_time_at_seven_percent() -> None:
    answer = solve.reached(scenario(growth={"bilateral": 0.07, "rest_of_world": 0}), 20e9)
    assert answer.reached_year == 2028
    assert answer.crossing_years == pytest.approx(math.log(20 / 14.5) / math.log(1.07))
    assert round(answer.crossing_years, 2) == 4.75


def test_never_reached() -> None:
    answer = solve.reached(scenario(growth={"bilateral": 0.0, "rest_of_world": 0}), 20e9)
    assert (answer.reached_year, answer.crossing_years) == (None, None)


def test_total_for_share_one_sixth_is_120bn() -> None:
    answer = solve.total_for_share(scenario(growth={"bilateral": 0.0, "rest_of_world": 0}), 20e9, 1 / 6)
    assert answer.total == pytest.approx(120e9)
    assert answer.rest_of_world == pytest.approx(100e9)
    assert answer.year == 2023  # never reached at 0%: the base year
    assert answer.reference_total == pytest.approx(139.551207e9)
    assert answer.change == pytest.approx(120e9 - 139.551207e9)
    assert answer.change_percent == pytest.approx(120 / 139.551207 - 1)


def test_total_for_share_defaults_to_the_year_reached() -> None:
    answer = solve.total_for_share(scenario(), 20e9, 1 / 6)  # 5%: reached in 2030
    assert answer.year == 2030
    assert answer.reference_total == pytest.approx(14.5e9 * 1.05**7 + 125.051207e9)


def test_rest_growth_closed_form_and_check() -> None:
    # article world: 20B in 2027 and share 1/6 → rest 100B in 2027 from 125.3B: (100 / 125.051207)^(1/4) − 1
    article = scenario(
        growth={"bilateral": {"model": "reach", "value": "20B", "year": 2027}, "rest_of_world": 0}
    )
    answer = solve.required_rest_growth(article, 1 / 6, 2027)
    assert answer.required_rest_growth == pytest.approx((100 / 125.051207) ** 0.25 - 1)
    assert answer.required_rest_growth < 0  # negative answers are valid
    assert answer.check == pytest.approx(1 / 6)


def test_rest_growth_with_rest_events_uses_the_root_finder() -> None:
    shocked = scenario(events=[{"label": "x", "year": 2024, "flow": "rest_of_world", "amount": "10B"}])
    answer = solve.required_rest_growth(shocked, 0.1, 2026)
    assert answer.method == "root finder"
    assert answer.check == pytest.approx(0.1, rel=1e-9)


# ----------------------------------------------------------------------------------------------- round trips
@given(baselines, targets, st.integers(2024, 2045))
def test_required_growth_round_trip(baseline: float, target: float, by: int) -> None:
    rate = (target / baseline) ** (1 / (by - 2023)) - 1
    if not -0.99 < rate < 10:
        return  # outside the bracket: covered by test_unreachable_target_is_a_solve_error
    plain = scenario(baseline={"bilateral": baseline, "rest_of_world": 100e9})
    answer = solve.required_growth(plain, target, by)
    projected = model.project(solve.with_bilateral_rate(plain, answer.required_growth).with_horizon(by))
    assert projected.value("bilateral", by) == pytest.approx(target, rel=1e-9)


@given(
    targets.filter(lambda t: 5e9 < t < 2e11),
    st.integers(2026, 2040),
    st.floats(-3e9, 3e9),
    st.floats(-0.3, 0.3),
    st.integers(1, 4),
)
def test_required_growth_round_trip_with_events(
    target: float, by: int, amount: float, relative: float, ramp: int
) -> None:
    events = [
        {"label": "deals", "year": 2025, "amount": amount, "ramp_years": ramp},
        {"label": "shock", "year": 2024, "relative": relative},
    ]
    shaped = scenario(events=events, horizon=by)
    answer = solve.required_growth(shaped, target, by)
    assert answer.method == "root finder"
    assert answer.check == pytest.approx(target, rel=1e-9)


@given(st.floats(0.03, 0.5), st.integers(2025, 2040), st.floats(-0.1, 0.2))
def test_rest_growth_round_trip(share: float, by: int, growth: float) -> None:
    base = scenario(growth={"bilateral": growth, "rest_of_world": 0.0}, horizon=by)
    answer = solve.required_rest_growth(base, share, by)
    if answer.required_rest_growth <= -0.99:
        return
    assert answer.check == pytest.approx(share, rel=1e-9)


def test_the_bracketing_root_finder_against_closed_forms() -> None:
    import math

    from tradesim.solve import bracketed_root

    def cube(x: float) -> float:
        return x**3 - 2

    assert bracketed_root(cube, 0.0, 3.0, cube(0.0), cube(3.0)) == pytest.approx(2 ** (1 / 3), rel=1e-12)

    # the rate that takes 14.5 to 20 in 4 years, bracketed as goal seek brackets it
    def gap(rate: float) -> float:
        return 14.5 * (1 + rate) ** 4 / 20 - 1

    found = bracketed_root(gap, -0.99, 10.0, gap(-0.99), gap(10.0))
    assert found == pytest.approx((20 / 14.5) ** 0.25 - 1, rel=1e-12)
    assert math.isclose(bracketed_root(gap, found, 10.0, 0.0, gap(10.0)), found)  # a root at an end


def test_the_goal_seeks_table_is_built_in_the_core() -> None:
    """`solve growth`'s rows come from tradesim.solve (the command line only prints them): the closed form by
    hand, ((20 / 14.5)^(1/4) − 1) = 8.37%/yr, and its check."""
    from tradesim import scenario as scenario_module
    from tradesim import solve as solve_module

    steady = scenario_module.load(SCENARIOS / "steady.toml")
    answer = solve_module.required_growth(steady, 20e9, 2027)
    (row,) = solve_module.growth_display([answer], [steady], [20e9], 2027)
    assert row["required growth"] == f"+{((20 / 14.5) ** 0.25 - 1) * 100:.2f}%/yr" == "+8.37%/yr"
    assert row["check: bilateral 2027"].startswith("$20.000B (error ")
    year = solve_module.reached(steady, 20e9)
    (shown,) = solve_module.year_display([year], [steady])
    assert shown["reached"] == "2030"  # 14.5 × 1.05^7 = 20.40 ≥ 20 > 14.5 × 1.05^6 = 19.43
    assert shown["check"] == "$20.40B in 2030, $19.43B in 2029"
