"""`tradesim project`: set up with the library, run the command, check with the library."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import SCENARIOS, SHIPPED_NAMES
from tradesim import model, report, scenario, summaries

REFERENCE = SHIPPED_NAMES


def _json(run: Any, *args: str) -> dict[str, Any]:
    result = run("project", "--scenarios", str(SCENARIOS), "--format", "json", *args)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_json_contract(run: Any) -> None:
    document = _json(run, "--target", "20e9", "--by", "2027")
    assert (document["target"], document["by"], document["currency"]) == (20e9, 2027, "USD")
    assert [s["name"] for s in document["scenarios"]] == REFERENCE
    keys = {
        "name",
        "description",
        "base_year",
        "baseline",
        "baseline_total",
        "reached_year",
        "share_at_reached",
        "required_growth",
        "warnings",
        "years",
    }
    year_keys = {"year", "bilateral", "rest_of_world", "total", "share", "growth", "gap_to_target", "actual"}
    for entry in document["scenarios"]:
        assert keys <= entry.keys()
        for row in entry["years"]:
            assert year_keys <= row.keys()
            assert row["total"] == pytest.approx(row["bilateral"] + row["rest_of_world"])
    steady = document["scenarios"][REFERENCE.index("steady")]
    assert steady["baseline"] == 14.5e9  # currency units, not billions
    assert steady["baseline_total"] == pytest.approx(139.551207e9)
    assert steady["required_growth"] == pytest.approx((20 / 14.5) ** 0.25 - 1)
    assert steady["years"][0]["share"] == pytest.approx(14.5 / 139.551207)  # a fraction, not percent
    assert steady["years"][0]["growth"] is None
    assert steady["years"][1]["actual"] == 20e9
    # the BNS months summed: derived, and said so with its formula (the unverified $139.8B is no longer used)
    assert steady["baseline_sources"]["total"]["status"] == "derived"
    assert any("is derived: BNS exports + imports" in w for w in steady["warnings"])


def test_json_agrees_with_the_library(run: Any) -> None:
    document = _json(run, "--target", "20B")
    for entry in document["scenarios"]:
        projection = model.project(scenario.load(SCENARIOS / f"{entry['name']}.toml", directory=SCENARIOS))
        assert entry["reached_year"] == projection.reached_year(20e9)
        assert [r["bilateral"] for r in entry["years"]] == pytest.approx(list(projection.bilateral))


def test_reached_years_of_the_reference_scenarios(run: Any) -> None:
    reached = {s["name"]: s["reached_year"] for s in _json(run, "--target", "20e9")["scenarios"]}
    # steady: 14.5·1.05^t ≥ 20 → t ≥ ln(20/14.5)/ln(1.05) = 6.59 → 2030; full year: 16.1 → t ≥ 4.45 → 2028
    assert reached["steady"] == 2030
    assert reached["full-year-2023"] == 2028
    assert reached["article"] == 2027


def test_table_output_shows_the_summary_and_notes(run: Any) -> None:
    result = run("project", "--scenarios", str(SCENARIOS), "--target", "20e9", "--by", "2027")
    assert result.exit_code == 0
    assert "KAZ–ITA trade against a $20.0B target" in result.stdout
    assert "+8.37%" in result.stdout
    for name in REFERENCE:
        assert name in result.stdout
    assert "unverified" not in result.stderr  # no reference share rests on an unverified figure
    assert "official releases give $14.5B for January–November 2023" in result.stderr
    assert "already reached in the actuals" in result.stderr
    assert result.stderr.count("is derived: BNS") == 1  # printed once, not per scenario


def test_detail_adds_a_per_year_table(run: Any) -> None:
    result = run("project", "steady", "--scenarios", str(SCENARIOS), "--target", "20B", "--detail")
    assert result.exit_code == 0
    assert "gap to target" in result.stdout
    assert "$15.22B" in result.stdout  # 14.5 · 1.05


def test_ad_hoc_growth_replaces_the_files(run: Any) -> None:
    document = _json(run, "--growth", "7%", "--target", "20e9")
    (entry,) = document["scenarios"]
    assert entry["name"] == "ad-hoc"
    assert entry["reached_year"] == 2028  # 14.5·1.07⁴ = 19.01, 14.5·1.07⁵ = 20.34
    assert entry["years"][5]["rest_of_world"] == pytest.approx(entry["years"][0]["rest_of_world"])  # rest: 0


def test_full_year_flag(run: Any) -> None:
    (entry,) = _json(run, "--growth", "5%", "--target", "20e9", "--full-year")["scenarios"]
    assert entry["baseline"] == 16.1e9


def test_horizon_override(run: Any) -> None:
    (entry,) = _json(run, "steady", "--target", "20e9", "--horizon", "2028")["scenarios"]
    assert entry["years"][-1]["year"] == 2028
    assert entry["reached_year"] is None


def test_csv_is_long_form(run: Any) -> None:
    result = run("project", "--scenarios", str(SCENARIOS), "--target", "20e9", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert {r["scenario"] for r in rows} == set(REFERENCE)
    assert len(rows) == 7 * 13
    first = rows[0]
    assert float(first["share"]) == pytest.approx(14.5 / 139.551207, rel=1e-9)


def test_markdown_summary(run: Any) -> None:
    result = run("project", "--scenarios", str(SCENARIOS), "--target", "20e9", "--format", "markdown")
    lines = result.stdout.splitlines()
    assert lines[0].startswith("| scenario |")
    assert lines[1].startswith("| --- |")
    assert len(lines) == 2 + 7


def test_output_file(run: Any, tmp_path: Path) -> None:
    out = tmp_path / "result.json"
    result = run(
        "project", "--scenarios", str(SCENARIOS), "--target", "20e9", "-f", "json", "--output", str(out)
    )
    assert result.exit_code == 0
    assert result.stdout == ""
    assert len(json.loads(out.read_text())["scenarios"]) == 7


def test_scenario_targets_are_the_default(run: Any) -> None:
    document = _json(run, "steady")
    assert document["target"] == 20e9


def test_report_summary_frame_matches_the_closed_form() -> None:
    results = report.evaluate([scenario.ad_hoc(0.07, 0.0)], target=20e9, by=2027)
    frame = summaries.summary(results)
    assert frame.loc[0, "reached_year"] == 2028
    assert frame.loc[0, "required_growth"] == pytest.approx((20 / 14.5) ** 0.25 - 1)


def test_split_scenario_shows_its_legs(run: Any) -> None:
    path = Path(__file__).resolve().parents[1] / "scenarios" / "valid" / "every-model.toml"
    result = run("project", str(path), "--format", "json")
    (entry,) = json.loads(result.stdout)["scenarios"]
    for row in entry["years"]:
        assert row["bilateral"] == pytest.approx(row["exports"] + row["imports"])
    assert entry["years"][0]["exports"] == 13.3e9
    assert "exports" in run("project", str(path), "--detail").stdout
