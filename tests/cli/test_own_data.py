"""Bring your own data: a pair the shipped data lacks, from a data folder, with provenance in every output."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import SCENARIOS

HEADER = "kind,reporter,partner,flow,year,period,value,unit,status,reported_by,source,url,note\n"
ESP = (
    HEADER
    + "trade,KAZ,ESP,total,2023,FY,4.2,USD_bn,reported,KAZ,My office,https://example.org,\n"
    + "trade,KAZ,ESP,total,2024,FY,4.9,USD_bn,reported,KAZ,My office,https://example.org,\n"
)


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "esp.csv").write_text(ESP)
    (tmp_path / "scenarios").mkdir()
    (tmp_path / "scenarios" / "esp.toml").write_text(
        'partner = "ESP"\n[growth]\nbilateral = "5%"\nrest_of_world = "3%"\n[[targets]]\nvalue = "5B"\n'
    )
    return tmp_path


def test_a_pair_from_the_data_folder_projects_with_its_provenance(run: Any, workspace: Path) -> None:
    args = ["esp", "--scenarios", str(workspace / "scenarios"), "--data", str(workspace / "data")]
    result = run("project", *args, "--format", "json")
    assert result.exit_code == 0, result.stderr
    (entry,) = json.loads(result.stdout)["scenarios"]
    assert (entry["reporter"], entry["partner"], entry["currency"]) == ("KAZ", "ESP", "USD")
    assert entry["baseline"] == 4.2e9
    assert entry["baseline_sources"]["bilateral"]["origin"] == f"{workspace / 'data' / 'esp.csv'}:2"
    assert entry["years"][1]["actual"] == 4.9e9
    # 4.2 · 1.05^t ≥ 5 ⇔ t ≥ ln(5 / 4.2) / ln 1.05 = 3.57: 2027
    assert entry["reached_year"] == 2027
    rows = list(csv.DictReader(io.StringIO(run("project", *args, "--format", "csv").stdout)))
    assert {(r["reporter"], r["partner"], r["currency"]) for r in rows} == {("KAZ", "ESP", "USD")}


def test_the_default_data_folder_and_the_origin_column(
    run: Any, workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(workspace)
    table = run("data", "--partner", "ESP").stdout
    assert "data/esp.csv:2" in table
    assert "data/esp.csv:3" in table
    records = json.loads(run("data", "--partner", "ESP", "--format", "json").stdout)
    assert [r["origin"] for r in records] == ["data/esp.csv:2", "data/esp.csv:3"]


def test_a_bad_data_file_is_exit_2_with_file_line_and_column(run: Any, workspace: Path) -> None:
    (workspace / "data" / "bad.csv").write_text(
        HEADER + "trade,KAZ,ESP,total,2025,FY,x,USD_bn,reported,KAZ,s,,\n"
    )
    result = run(
        "project", "esp", "--scenarios", str(workspace / "scenarios"), "--data", str(workspace / "data")
    )
    assert result.exit_code == 2
    assert (
        result.stderr
        == f"tradesim: error: {workspace / 'data' / 'bad.csv'}:2: value: must be a number, got 'x'\n"
    )


def test_extends_falls_back_to_the_shipped_reference_scenarios(run: Any, workspace: Path) -> None:
    folder = workspace / "scenarios"
    (folder / "mine.toml").write_text('extends = "steady"\n[growth.bilateral]\nrate = "6%"\n')
    (folder / "explicit.toml").write_text('extends = "shipped:steady"\n')
    result = run("project", "mine", "explicit", "--scenarios", str(folder), "--format", "json")
    assert result.exit_code == 0, result.stderr
    entries = {e["name"]: e for e in json.loads(result.stdout)["scenarios"]}
    assert entries["mine"]["years"][1]["bilateral"] == pytest.approx(14.5e9 * 1.06)
    assert entries["explicit"]["years"][1]["bilateral"] == pytest.approx(14.5e9 * 1.05)
    assert (
        f"note: {folder / 'mine.toml'}: extends 'steady': no scenario of that name in {folder}, so the reference "
        'scenario shipped with tradesim is used (write extends = "shipped:steady" to say so)'
    ) in " ".join(result.stderr.split())
    assert "explicit.toml: extends" not in result.stderr


def test_one_run_mixing_pairs_names_each_pair(run: Any, workspace: Path) -> None:
    both = ["esp", str(SCENARIOS / "steady.toml")]
    folders = ["--scenarios", str(workspace / "scenarios"), "--data", str(workspace / "data")]
    result = run("project", *both, *folders)
    assert result.stdout.startswith("Bilateral trade against each target")
    assert "KAZ–ESP" in result.stdout
    assert "KAZ–ITA" in result.stdout
    document = json.loads(run("project", *both, *folders, "--format", "json").stdout)
    assert [(s["reporter"], s["partner"]) for s in document["scenarios"]] == [("KAZ", "ESP"), ("KAZ", "ITA")]


def test_import_comtrade_then_project_with_no_baseline_numbers_in_the_file(run: Any, tmp_path: Path) -> None:
    from tests.unit.test_importers import line, write

    raw = write(
        tmp_path,
        line(partner="ESP", flow="X", value=3.0e9, year=2023),
        line(partner="ESP", flow="M", value=1.2e9, year=2023),
        line(partner="W00", flow="X", value=78e9, year=2023, desc="World"),
        line(partner="W00", flow="M", value=60e9, year=2023, desc="World"),
        name="TradeData_KAZ_2023.csv",
    )
    (tmp_path / "data").mkdir()
    out = tmp_path / "data" / "kaz.csv"
    result = run("data", "import", "comtrade", str(raw), "--reporter", "KAZ", "--output", str(out))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == f"wrote {out}: 6 observations\n"
    scenario = tmp_path / "esp.toml"
    scenario.write_text(
        'partner = "ESP"\n[growth]\nbilateral = "5%"\nrest_of_world = "3%"\n[[targets]]\nvalue = "5B"\n'
    )
    document = json.loads(
        run("project", str(scenario), "--data", str(tmp_path / "data"), "--format", "json").stdout
    )
    (entry,) = document["scenarios"]
    assert (entry["reporter"], entry["partner"], entry["currency"]) == ("KAZ", "ESP", "USD")
    assert (entry["baseline"], entry["baseline_total"]) == (4.2e9, 138e9)  # 3.0 + 1.2; 78 + 60
    bilateral = entry["baseline_sources"]["bilateral"]
    assert bilateral["source"] == "UN Comtrade+ (TradeData_KAZ_2023.csv)"
    assert bilateral["origin"].startswith(f"{out}:")
    assert (bilateral["status"], bilateral["reported_by"]) == ("derived", "KAZ")
    assert entry["share_at_reached"] is not None


def test_a_failed_import_writes_nothing(run: Any, tmp_path: Path) -> None:
    from tests.unit.test_importers import line, write

    raw = write(tmp_path, line(flow="X", value=1e9), line(flow="X", value=2e9))  # the same key, two values
    out = tmp_path / "kaz.csv"
    out.write_text("precious")
    result = run("data", "import", "comtrade", str(raw), "--output", str(out))
    assert result.exit_code == 2
    assert "twice with different values" in result.stderr
    assert out.read_text() == "precious"
    assert set(tmp_path.iterdir()) == {raw, out}  # no temporary left behind
    nothing = run(
        "data", "import", "comtrade", str(raw), "--reporter", "ITA", "--output", str(tmp_path / "n.csv")
    )
    assert (nothing.exit_code, nothing.stderr) == (
        2,
        f"tradesim: error: {raw}: no row matches (nothing written); 2 data lines read; 0 observations (0 read, "
        "0 derived: totals and sums); left out as asked: 2 lines: another reporter than ITA (--reporter) (lines 2, 3)\n",
    )
    assert not (tmp_path / "n.csv").exists()


def test_a_commands_data_folder_stays_in_that_command(run: Any, workspace: Path) -> None:
    import shutil

    from tradesim import data

    (workspace / "data" / "total.csv").write_text(
        HEADER + "trade,KAZ,WLD,total,2023,FY,141,USD_bn,reported,KAZ,Mine,,\n"
    )
    assert run("data", "--data", str(workspace / "data")).exit_code == 0
    shutil.rmtree(workspace / "data")
    assert data.shipped().total_baseline("KAZ", 2023).origin == "shipped"  # the next caller in this process
