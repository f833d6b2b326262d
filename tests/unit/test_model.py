"""Projection numbers against closed forms you can check by hand."""

import math

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from tests.strategies import constant_scenarios, rates, targets
from tradesim import model, report
from tradesim.errors import ScenarioError
from tradesim.quantities import MAX_RATE, ParsedRate
from tradesim.scenario import Scenario


def scenario(**fields: object) -> Scenario:
    return Scenario.model_validate({"name": "t", "base_year": 2023, **fields})


def constant(rate: float, rest: float = 0.0, **fields: object) -> Scenario:
    return scenario(growth={"bilateral": rate, "rest_of_world": rest}, **fields)


def test_seven_percent_from_14_5bn_first_reaches_20bn_in_2028() -> None:
    projection = model.project(constant(0.07))
    assert projection.value("bilateral", 2027) == pytest.approx(14.5e9 * 1.07**4)  # 19.01B
    assert projection.value("bilateral", 2028) == pytest.approx(14.5e9 * 1.07**5)  # 20.34B
    assert projection.reached_year(20e9) == 2028


def test_required_growth_14_5_to_20_in_four_years() -> None:
    rate = model.required_growth(14.5e9, 20e9, 4)
    assert rate == pytest.approx((20 / 14.5) ** 0.25 - 1)
    assert round(rate, 4) == 0.0837


def test_2023_share_is_14_5_over_139_8() -> None:
    projection = model.project(constant(0.05, 0.03))
    assert projection.value("share", 2023) == pytest.approx(14.5 / 139.551207)
    assert round(projection.value("share", 2023), 4) == 0.1039
    assert projection.value("total", 2023) == pytest.approx(139.551207e9)


def test_full_year_baseline() -> None:
    projection = model.project(constant(0.05), full_year=True)
    assert projection.value("bilateral", 2023) == 16.1e9
    assert projection.value("rest_of_world", 2023) == pytest.approx(139.551207e9 - 16.1e9)


def test_reach_model_hits_its_value_in_its_year_and_holds() -> None:
    projection = model.project(
        scenario(
            growth={
                "bilateral": {"model": "reach", "value": "20B", "year": 2027, "after": 0},
                "rest_of_world": 0,
            }
        )
    )
    assert projection.value("bilateral", 2027) == pytest.approx(20e9, rel=1e-12)
    assert projection.value("bilateral", 2035) == pytest.approx(20e9, rel=1e-12)
    assert projection.reached_year(20e9) == 2027  # not 2028 because of rounding
    # "about 1/6"? 20 / (20 + 125.051207) = 13.8%
    assert projection.value("share", 2027) == pytest.approx(20 / (20 + 139.551207 - 14.5))


def test_linear_model() -> None:
    projection = model.project(
        scenario(growth={"bilateral": {"model": "linear", "amount": "1B"}, "rest_of_world": 0})
    )
    assert projection.value("bilateral", 2028) == pytest.approx(19.5e9)


def test_logistic_model_closed_form() -> None:
    projection = model.project(
        scenario(
            growth={"bilateral": {"model": "logistic", "rate": 0.3, "ceiling": "30B"}, "rest_of_world": 0}
        )
    )
    t = 5
    expected = 30e9 / (1 + (30 / 14.5 - 1) * math.exp(-0.3 * t))
    assert projection.value("bilateral", 2028) == pytest.approx(expected)
    assert projection.bilateral.max() < 30e9


def test_table_and_piecewise_models() -> None:
    table = model.project(
        scenario(
            horizon=2026,
            growth={
                "bilateral": {"model": "table", "rates": {2024: 0.1, 2026: -0.1}, "default": 0.02},
                "rest_of_world": 0,
            },
        )
    )
    assert table.value("bilateral", 2026) == pytest.approx(14.5e9 * 1.1 * 1.02 * 0.9)
    piecewise = model.project(
        scenario(
            horizon=2027,
            growth={"bilateral": {"model": "piecewise", "rates": {2024: 0.1, 2026: 0.0}}, "rest_of_world": 0},
        )
    )
    assert piecewise.value("bilateral", 2027) == pytest.approx(14.5e9 * 1.1**2)


def test_events_ramp_and_one_off() -> None:
    ramped = model.project(
        constant(0.0, events=[{"label": "deals", "year": 2025, "amount": "1.5B", "ramp_years": 3}])
    )
    assert [ramped.value("bilateral", y) / 1e9 for y in range(2024, 2029)] == pytest.approx(
        [14.5, 15.0, 15.5, 16.0, 16.0]
    )
    one_off = model.project(
        constant(0.0, events=[{"label": "x", "year": 2025, "relative": "-20%", "kind": "one-off"}])
    )
    assert [one_off.value("bilateral", y) / 1e9 for y in (2024, 2025, 2026)] == pytest.approx(
        [14.5, 11.6, 14.5]
    )


def test_total_driven_scenario_derives_rest_of_world() -> None:
    projection = model.project(scenario(growth={"bilateral": 0.05, "total": 0.02}))
    assert projection.value("total", 2025) == pytest.approx(139.551207e9 * 1.02**2)
    assert projection.value("rest_of_world", 2025) == pytest.approx(139.551207e9 * 1.02**2 - 14.5e9 * 1.05**2)


def test_exports_imports_split_projected_separately() -> None:
    projection = model.project(
        scenario(
            baseline={"exports": "13B", "imports": "1.5B"},
            growth={"exports": 0.1, "imports": -0.1, "rest_of_world": 0},
        )
    )
    assert projection.value("bilateral", 2025) == pytest.approx(13e9 * 1.1**2 + 1.5e9 * 0.9**2)
    assert projection.exports is not None


def test_negative_bilateral_is_an_error_naming_scenario_and_year() -> None:
    with pytest.raises(ScenarioError) as caught:
        model.project(constant(0.0, events=[{"label": "collapse", "year": 2026, "amount": "-20B"}]))
    assert str(caught.value).startswith("scenario 't': bilateral trade falls below zero in 2026")


def test_rest_of_world_at_or_below_zero_is_an_error() -> None:
    with pytest.raises(ScenarioError, match="rest_of_world trade falls to zero or below in 2026"):
        model.project(scenario(growth={"bilateral": "200%", "total": 0.0}))  # 14.5·3³ = 391.5 > 139.551207


def test_actuals_appear_beside_the_projection() -> None:
    projection = model.project(constant(0.05, 0.03))
    assert projection.actuals[2024].amount == 20e9
    assert projection.actual_reached_year(20e9) == 2024
    frame = projection.frame(20e9)
    assert frame.loc[frame["year"] == 2024, "actual"].item() == 20e9
    assert math.isnan(frame.loc[frame["year"] == 2025, "actual"].item())


# ------------------------------------------------------------------------------------------- properties
@given(constant_scenarios())
def test_identity_and_share_bounds(generated: Scenario) -> None:
    projection = model.project(generated)
    np.testing.assert_allclose(projection.total, projection.bilateral + projection.rest_of_world, rtol=1e-12)
    assert ((projection.share >= 0) & (projection.share <= 1)).all()


@given(st.floats(0.0, 0.3), st.floats(0.0, 0.3), targets)
def test_higher_growth_never_reaches_the_target_later(low: float, extra: float, target: float) -> None:
    slow = model.project(constant(low)).reached_year(target)
    fast = model.project(constant(low + extra)).reached_year(target)
    if slow is not None:
        assert fast is not None
        assert fast <= slow


@given(targets, st.integers(2024, 2040))
def test_required_growth_plugged_back_in_hits_the_target(target: float, by: int) -> None:
    rate = model.required_growth(14.5e9, target, by - 2023)
    assume(rate <= MAX_RATE)  # beyond +1000%/yr a rate is outside the finite domain (tested elsewhere)
    projection = model.project(constant(ParsedRate(rate), horizon=max(by, 2024)))  # a computed fraction
    assert projection.value("bilateral", by) == pytest.approx(target, rel=1e-9)
    assert projection.reached_year(target) == (2023 if target <= 14.5e9 else by)


@given(rates)
def test_report_required_growth_uses_the_scenario_baseline(rate: float) -> None:
    (result,) = report.evaluate([constant(rate)], target=20e9, by=2027)
    assert result.required_growth == pytest.approx((20 / 14.5) ** 0.25 - 1)
