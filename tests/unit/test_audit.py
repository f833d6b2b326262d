"""The article's four claims, audited: the verdicts a journalist reads."""

from __future__ import annotations

import pytest

from tests.conftest import SCENARIOS
from tradesim import audit, scenario


@pytest.fixture(scope="module")
def verdicts() -> list[audit.Verdict]:
    return audit.audit([scenario.load(SCENARIOS / "article.toml", directory=SCENARIOS)])


def test_four_claims(verdicts: list[audit.Verdict]) -> None:
    assert [v.claim.metric for v in verdicts] == ["bilateral", "share", "share", "reached_year"]
    assert [v.holds for v in verdicts] == [False, True, False, True]


def test_14_5bn_is_jan_nov_not_the_full_year(verdicts: list[audit.Verdict]) -> None:
    claim = verdicts[0]
    assert claim.computed == 16.1e9
    assert claim.would_hold_if.startswith("$14.5B is the figure for jan-nov 2023 (Astana Times")
    assert claim.would_hold_if.endswith("the full year 2023 was $16.1B")


def test_just_over_ten_percent(verdicts: list[audit.Verdict]) -> None:
    assert verdicts[1].computed == pytest.approx(14.5 / 139.551207)
    assert verdicts[1].would_hold_if == ""


def test_one_sixth_does_not_add_up(verdicts: list[audit.Verdict]) -> None:
    claim = verdicts[2]
    assert claim.year == 2027
    assert claim.computed == pytest.approx(20 / (20 + 125.051207))  # 13.8%
    assert claim.would_hold_if == (
        "holds only if KAZ's total trade were $120.0B in 2027, 14% below 2023 ($139.6B); the scenario has $145.1B"
    )


def test_coming_years_and_the_2024_actual(verdicts: list[audit.Verdict]) -> None:
    claim = verdicts[3]
    assert claim.computed == 2027
    assert claim.actual.startswith(
        "$20.0B (2024 FY, reported, KAZ statistics) in 2024: the target was met then on a rounded figure (about $20B"
    )


def test_baseline_spread_runs_every_published_baseline() -> None:
    loaded = scenario.load(SCENARIOS / "article.toml", directory=SCENARIOS)
    spread = audit.audit([loaded], all_baselines=True)
    assert sorted({v.baseline for v in spread}) == [14.5e9, 15.0e9, 16.1e9]
    shares_2023 = [v.computed for v in spread if v.claim.metric == "share" and v.claim.year == 2023]
    assert shares_2023 == pytest.approx([14.5 / 139.551207, 15.0 / 139.551207, 16.1 / 139.551207])


def test_a_late_target_explains_the_growth_needed(write_scenario) -> None:  # type: ignore[no-untyped-def]
    path = write_scenario(
        "slow",
        """
        [growth]
        bilateral = 0.01
        rest_of_world = 0
        [[targets]]
        value = "20B"
        [[claims]]
        quote = "soon"
        metric = "reached_year"
        max = 2027
    """,
    )
    (verdict,) = audit.audit([scenario.load(path)])
    assert not verdict.holds
    assert verdict.would_hold_if.startswith(
        "$20.0B is not reached by 2035; holds only if bilateral trade grew +8.37%/yr"
    )
