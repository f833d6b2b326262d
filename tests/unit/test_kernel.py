"""One projection, three ways: the projection, the Monte Carlo and the sensitivity grid agree on every shipped
scenario (issue 16, part 3).

The Monte Carlo with every sd 0 and every event certain draws the same path on every run, so its percentiles
are the projection's path; the grid at the scenario's own values is the projection's year reached and share;
the tornado's centre is the projection."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from tests.conftest import SCENARIOS
from tradesim import model, montecarlo, scenario, sensitivity
from tradesim.errors import InputError
from tradesim.schema import ConstantGrowth, Scenario

SHIPPED = scenario.load_many([], SCENARIOS)


def _certain(item: Scenario) -> Scenario:
    """The scenario without randomness: every sd 0, every event's probability 1."""
    growth = item.growth
    quiet = {
        flow: getattr(growth, flow).model_copy(update={"sd": 0.0})
        for flow in ("bilateral", "exports", "imports", "rest_of_world", "total")
        if getattr(growth, flow) is not None
    }
    events = tuple(e.model_copy(update={"probability": 1.0}) for e in item.events)
    legs = tuple(
        leg.model_copy(update={"growth": leg.growth.model_copy(update={"sd": 0.0})}) for leg in item.legs
    )
    return item.model_copy(update={"growth": growth.model_copy(update=quiet), "events": events, "legs": legs})


@pytest.mark.parametrize("item", SHIPPED, ids=[s.name for s in SHIPPED])
def test_projection_monte_carlo_and_grid_agree(item: Scenario) -> None:
    certain = _certain(item)
    projection = model.project(certain)
    target = 20e9
    simulated = montecarlo.simulate(certain, target=target, runs=500, rng=7)
    for p in montecarlo.PERCENTILES:
        assert simulated.bilateral_percentiles[p] == pytest.approx(projection.bilateral, rel=1e-12)
        assert simulated.share_percentiles[p] == pytest.approx(projection.share, rel=1e-12)
    assert simulated.median_reached_year == projection.reached_year(target)

    targets = sensitivity.Axis("target", np.array([target]))
    rest = item.growth.rest_of_world
    if item.legs:  # a grid of one bilateral growth would flatten the legs: refused, never answered wrongly
        with pytest.raises(InputError, match="product legs"):
            sensitivity.grid(certain, targets, sensitivity.Axis("growth", np.array([0.05])), target=target)
    else:
        if isinstance(rest, ConstantGrowth) and not any(e.flow == "rest_of_world" for e in item.events):
            other = sensitivity.Axis("rest-growth", np.array([rest.rate]))
        else:
            other = sensitivity.Axis("baseline", np.array([projection.baseline.bilateral]))
        reached = sensitivity.grid(certain, targets, other, target=target)
        share = sensitivity.grid(
            certain, targets, other, target=target, metric="share", year=item.horizon_year
        )
        assert reached.values[0, 0] == projection.reached_year(target)
        assert share.values[0, 0] == pytest.approx(projection.share[-1], rel=1e-12)

    tornado = sensitivity.tornado(certain, target)
    assert tornado.reached == projection.reached_year(target)
    assert tornado.share_at_horizon == pytest.approx(projection.share[-1], rel=1e-12)


def test_every_growth_model_owns_its_path() -> None:
    """The models' closed forms, by hand, through the one method the projection, the Monte Carlo and the grid
    call (``path``), broadcasting over a leading axis of starting levels."""
    from tradesim.schema import LinearGrowth, LogisticGrowth, PiecewiseGrowth, ReachGrowth, TableGrowth

    years = np.arange(2023, 2027)
    bn = 1e9
    start = np.array([[10 * bn], [20 * bn]])
    t = np.arange(4.0)
    assert ConstantGrowth(rate=0.1).path(start, 2023, years) == pytest.approx(start * 1.1**t)
    linear = LinearGrowth(model="linear", amount=2 * bn).path(start, 2023, years)
    assert linear == pytest.approx(start + 2 * bn * t)
    reach = ReachGrowth(model="reach", value=40 * bn, year=2025, after=0.0).path(start, 2023, years)
    assert reach[0] / bn == pytest.approx([10, 20, 40, 40])
    logistic = LogisticGrowth(model="logistic", rate=0.5, ceiling=100 * bn).path(start, 2023, years)
    assert logistic[1] / bn == pytest.approx(100 / (1 + (100 / 20 - 1) * np.exp(-0.5 * t)))
    table = TableGrowth(model="table", rates={2024: 0.1}, default=0.0).path(start, 2023, years)
    assert table[0] / bn == pytest.approx([10, 11, 11, 11])
    piecewise = PiecewiseGrowth(model="piecewise", rates={2024: 0.1, 2026: -0.5}).path(start, 2023, years)
    assert piecewise[0] / bn == pytest.approx([10, 11, 12.1, 6.05])
    assert piecewise[1] / bn == pytest.approx([20, 22, 24.2, 12.1])  # broadcast over the starts


def test_the_kernel_is_the_projection_path(tmp_path: Path) -> None:
    item = scenario.load(SCENARIOS / "forum-deals.toml")
    base = model.resolve_baseline(item)
    years = np.arange(item.base_year, item.horizon_year + 1)
    bilateral, rest, _, _ = model.paths(item, base, years)
    projection = model.project(item, baseline=base)
    assert bilateral.tolist() == projection.bilateral.tolist()
    assert rest.tolist() == projection.rest_of_world.tolist()


def test_a_baseline_grid_is_refused_for_a_path_that_does_not_scale_with_its_start() -> None:
    """Linear growth adds a fixed amount: rescaling its unit path by the baseline would multiply the amount
    too (a wrong number), so the grid says so instead."""
    from tradesim.errors import InputError
    from tradesim.schema import LinearGrowth

    item = scenario.ad_hoc(0.05, 0.03)
    linear = item.growth.model_copy(update={"bilateral": LinearGrowth(model="linear", amount=1e9)})
    item = item.model_copy(update={"growth": linear})
    baselines = sensitivity.Axis("baseline", np.array([10e9, 14.5e9]))
    targets = sensitivity.Axis("target", np.array([20e9]))
    with pytest.raises(InputError, match="not linear, reach or logistic"):
        sensitivity.grid(item, baselines, targets, target=20e9)
