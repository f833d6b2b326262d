"""Hypothesis strategies, in one place."""

from __future__ import annotations

from hypothesis import strategies as st

from tradesim.scenario import Scenario

baselines = st.floats(min_value=1e8, max_value=1e11)
rates = st.floats(min_value=-0.5, max_value=0.5)
rest_rates = st.floats(min_value=-0.2, max_value=0.3)
targets = st.floats(min_value=1e8, max_value=1e12)
horizons = st.integers(min_value=1, max_value=40)


@st.composite
def constant_scenarios(draw: st.DrawFn) -> Scenario:
    """A constant-growth scenario with explicit baselines (no data lookup)."""
    bilateral = draw(baselines)
    return Scenario.model_validate(
        {
            "name": "generated",
            "base_year": 2023,
            "horizon": 2023 + draw(horizons),
            "baseline": {"bilateral": bilateral, "rest_of_world": bilateral * draw(st.floats(0.5, 50))},
            "growth": {"bilateral": draw(rates), "rest_of_world": draw(rest_rates)},
        }
    )
