"""Issue 27, "Right numbers, every time": the figures a reader cannot check for themselves."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["project", "--growth", "5", "--horizon", "2030", "--target", "20B"],
            "--growth 5: did you mean 5%? write 500% to mean it",
        ),
        (
            ["simulate", "--growth", "2", "--target", "20B", "--runs", "10"],
            "--growth 2: did you mean 2%? write 200% to mean it",
        ),
        (
            ["project", "--growth", "5%", "--rest-growth", "3", "--target", "20B"],
            "--rest-growth 3: did you mean 3%? write 300% to mean it",
        ),
    ],
)
def test_a_rate_above_100_percent_without_its_percent_sign_is_refused(
    run: Any, args: list[str], message: str
) -> None:
    result = run(*args)
    assert result.exit_code == 2
    assert result.stderr == f"tradesim: error: {message}\n"


@pytest.mark.parametrize(("written", "rate"), [("5%", 0.05), ("0.05", 0.05), ("500%", 5.0), ("1", 1.0)])
def test_rates_as_meant_keep_working(run: Any, written: str, rate: float) -> None:
    result = run("project", "--growth", written, "--horizon", "2026", "--target", "20B", "--format", "json")
    assert result.exit_code == 0, result.stderr
    (entry,) = json.loads(result.stdout)["scenarios"]
    years = entry["years"]
    assert years[1]["bilateral"] == pytest.approx(years[0]["bilateral"] * (1 + rate), rel=1e-12)


def test_a_bare_rate_above_one_in_a_scenario_file_names_its_line(
    run: Any, write_scenario: Callable[..., Path]
) -> None:
    path = write_scenario("g", 'currency = "USD"\n[growth]\nrest_of_world = "3%"\nbilateral = 5\n')
    result = run("project", str(path), "--target", "20B")
    assert result.exit_code == 2
    assert (
        result.stderr
        == f"tradesim: error: {path}:4: growth.bilateral: 5: did you mean 5%? write 500% to mean it\n"
    )
    event = write_scenario(
        "e",
        '[growth]\nbilateral = "5%"\nrest_of_world = "3%"\n[[events]]\nlabel = "x"\nyear = 2025\nrelative = 1.5\n',
    )
    result = run("project", str(event), "--target", "20B")
    assert result.exit_code == 2
    assert f"{event}:7: events[0].relative: 1.5: did you mean 1.5%? write 150% to mean it" in result.stderr


# ------------------------------------------------------------------------------------- the data's choice
def _bns(year: int, first: int, last: int, flows: tuple[str, ...] = ("exports", "imports")) -> float:
    """Kazakhstan's trade over months ``first``–``last`` of ``year``, summed from the raw BNS files."""
    import csv

    from tests.conftest import REPO

    total = 0.0
    for flow in flows:
        with (REPO / "tests" / "data" / "bns" / f"{flow}_monthly.csv").open(
            encoding="utf-8", newline=""
        ) as f:
            total += sum(
                float(r["value"])
                for r in csv.DictReader(f)
                if int(r["date"][:4]) == year and first <= int(r["date"][5:7]) <= last
            )
    return total * 1e3


@pytest.mark.parametrize(
    ("flow", "year", "period", "months", "flows"),
    [
        ("total", 2019, "FY", 12, ("exports", "imports")),  # not the press's 97.8
        ("total", 2020, "h1", 6, ("exports", "imports")),  # not the minister's 42.5
        ("total", 2023, "jan-sep", 9, ("exports", "imports")),  # not 21.7 / 0.213 = 101.9
        ("export", 2022, "FY", 12, ("exports",)),  # not 13.2 / 0.156 = 84.6
        ("import", 2022, "FY", 12, ("imports",)),  # not 11.0 / 0.219 = 50.2
    ],
)
def test_the_selection_rule_takes_the_official_series_over_superseded_and_share_derived_estimates(
    flow: str, year: int, period: str, months: int, flows: tuple[str, ...]
) -> None:
    from tradesim.data import shipped

    picked = shipped().pick(reporter="KAZ", partner="WLD", year=year, flow=flow, period=period)
    assert picked is not None
    assert picked.amount == pytest.approx(_bns(year, 1, months, flows), abs=500)  # shipped to the $1,000


def test_the_picked_2022_exports_and_imports_add_up_to_the_picked_total() -> None:
    from tradesim.data import shipped

    data = shipped()
    x, m, total = (
        data.pick(reporter="KAZ", partner="WLD", year=2022, flow=f) for f in ("export", "import", "total")
    )
    assert x is not None
    assert m is not None
    assert total is not None
    assert x.amount + m.amount == pytest.approx(total.amount, rel=1e-9)


def test_the_rows_found_wrong_against_their_sources() -> None:
    from tradesim.data import shipped

    data = shipped()
    (share,) = data.select(kind="share", reporter="KAZ", partner="ITA", year=2020)
    assert share.value == pytest.approx(round(7.58e9 / _bns(2020, 1, 12) * 100, 2))  # 8.77, not 8.9 on 85.0
    assert 2017 not in data.full_years("KAZ", "RUS")  # $16.0B is Russia's trade representative's figure
    (russia,) = data.select(kind="trade", reporter="KAZ", partner="RUS", year=2017)
    assert russia.reported_by == "RUS"
    (h1,) = data.select(kind="trade", reporter="KAZ", partner="ITA", year=2025, period="h1", flow="total")
    assert h1.status == "approximate"  # "exceeded $10B"
    may = data.select(
        kind="trade", reporter="KAZ", partner="WLD", year=2023, period="jan-may", status="reported"
    )
    assert sorted(o.value for o in may) == [24.2, 31.6]  # the article's "first half" is January–May
    flows = sum(o.amount for o in may)
    assert flows == pytest.approx(_bns(2023, 1, 5), rel=0.02)  # January–May: 56.75
    assert flows < 0.85 * _bns(2023, 1, 6)  # not January–June: 68.35
    assert not data.select(kind="trade", reporter="KAZ", partner="WLD", year=2023, period="h1", flow="export")


def test_data_explain_shows_the_candidates_and_why_one_won(run: Any) -> None:
    result = run(
        "data",
        "--explain",
        "--reporter",
        "KAZ",
        "--partner",
        "WLD",
        "--year",
        "2022",
        "--flow",
        "import",
        "--format",
        "json",
    )
    assert result.exit_code == 0, result.stderr
    rows = json.loads(result.stdout)
    assert rows[0]["verdict"] == "picked"
    assert rows[0]["amount"] == pytest.approx(_bns(2022, 1, 12, ("imports",)), abs=500)
    (estimate,) = [r for r in rows if r["value"] == 50.2]
    assert (
        estimate["verdict"]
        == "after the pick: an official figure or exact sum before an estimate (estimated)"
    )
    missing = run("data", "--explain", "--reporter", "KAZ")
    assert missing.exit_code == 2
    assert (
        missing.stderr
        == "tradesim: error: --explain: give --partner, --year (the key whose figures to explain)\n"
    )


def test_the_rank_puts_official_before_estimates_then_later_vintages() -> None:
    from dataclasses import replace

    from tradesim.data import shipped
    from tradesim.data.dataset import rank

    (row,) = shipped().select(
        kind="trade", reporter="KAZ", partner="ITA", year=2022, period="h1", flow="total"
    )
    official = replace(row, status="derived", published="")
    estimate = replace(row, status="estimated", published="2025-01-01")
    older, newer = replace(row, published="2022-08"), replace(row, status="approximate", published="2023-01")
    assert sorted([estimate, official], key=rank) == [official, estimate]
    assert sorted([older, newer], key=rank) == [newer, older]
    assert sorted([official, older], key=rank) == [older, official]  # a dated release before an undated one


# ------------------------------------------------------------------------------------------ met, and how
def test_a_target_met_on_a_rounded_figure_says_so(run: Any, tmp_path: Path) -> None:
    """$20.0B for 2024 is a president's "about $20 billion" (16.1 × 1.24 = 19.96): written to the nearest
    billion, it leaves room below the target."""
    document = json.loads(run("targets", "--partner", "ITA", "--format", "json").stdout)
    (italy,) = document["targets"]
    assert italy["status"] == "met"
    assert italy["met_on_rounded_figure"] is True
    assert italy["status_text"] == "met on a rounded figure (about $20B, 2024)"
    assert italy["nowcast"]["year"] == 2025
    china = json.loads(run("targets", "--partner", "CHN", "--format", "json").stdout)["targets"]
    met = [t for t in china if t["status"] == "met"]
    assert met
    assert all(t["met_on_rounded_figure"] is False for t in met)  # $31.4B against $20B: no doubt
    audit = run("audit", "article")
    assert "the target was met then on a rounded figure (about $20B, 2024;" in audit.stdout
    assert "the latest nowcast, 2025: $17.46B" in audit.stdout
    page = tmp_path / "page.html"
    assert run("report", "article", "-o", str(page)).exit_code == 0
    text = page.read_text(encoding="utf-8")
    assert "reported as about $20B in 2024" in text
    assert "the $20.0B target is met on a rounded figure; the latest nowcast, 2025: $17.46B" in text


def test_the_page_says_the_nowcasts_range_is_unchecked(run: Any, tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    assert run("report", "article", "-o", str(page)).exit_code == 0
    text = page.read_text(encoding="utf-8")
    assert (
        "points to $17.46B for the full year ($16.65B–$18.30B; too few past nowcasts to check that range"
        in text
    )
