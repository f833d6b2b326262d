from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

from tests.conftest import SCENARIOS
from tradesim import data


def test_data_json_keeps_provenance(run: Any) -> None:
    result = run("data", "--partner", "ITA", "--year", "2023", "--kind", "trade", "--format", "json")
    records = json.loads(result.stdout)
    assert {r["value"] for r in records} == {15.0, 16.1, 14.5, 11.76}
    assert len(records) == len(data.shipped().select(partner="ITA", year=2023, kind="trade"))
    assert all(r["source"] and r["status"] and r["period"] and r["reported_by"] for r in records)


def test_data_csv_and_table(run: Any) -> None:
    rows = list(
        csv.DictReader(io.StringIO(run("data", "--reporter", "KAZ", "--partner", "WLD", "-f", "csv").stdout))
    )
    assert {r["partner"] for r in rows} == {"WLD"}
    table = run("data", "--partner", "ITA", "--year", "2023").stdout
    assert "FY-as-stated" in table
    assert "unverified" not in table  # that is the WLD total, filtered out


def test_scenarios_lists_name_description_file(run: Any) -> None:
    result = run("scenarios", "--scenarios", str(SCENARIOS))
    assert result.exit_code == 0
    for name in ("article", "steady", "forum-deals", "oil-downside", "full-year-2023"):
        assert name in result.stdout
    assert "article.toml" in result.stdout


def test_scenarios_validate(run: Any) -> None:
    result = run("scenarios", "validate", "--scenarios", str(SCENARIOS))
    assert result.exit_code == 0
    assert result.stdout.count("ok: ") == 5


def test_version(run: Any) -> None:
    assert run("--version").stdout.startswith("tradesim ")


def test_data_filters_by_period_and_reporter(run: Any) -> None:
    records = json.loads(
        run("data", "--period", "jan-nov", "--reported-by", "KAZ", "--partner", "ITA", "-f", "json").stdout
    )
    assert {(r["year"], r["value"]) for r in records} == {(2023, 14.5)}
    bad = run("data", "--reported-by", "XX")
    assert bad.exit_code == 2
    assert bad.stderr.startswith(
        "tradesim: error: --reported-by: no observation has 'XX' (known: CHN, ECB, ITA"
    )


def test_scenarios_and_validate_as_json(run: Any, tmp_path: Path) -> None:
    listing = json.loads(run("scenarios", "--scenarios", str(SCENARIOS), "--format", "json").stdout)
    names = [s["name"] for s in listing["scenarios"]]
    assert names == ["article", "forum-deals", "full-year-2023", "oil-downside", "steady"]
    assert all(s["valid"] and (s["reporter"], s["partner"]) == ("KAZ", "ITA") for s in listing["scenarios"])
    bad = tmp_path / "bad.toml"
    bad.write_text('[growth]\nbilateral = "x"\nrest_of_world = 0\n')
    result = run("scenarios", "validate", "--scenarios", str(tmp_path), "--format", "json")
    assert result.exit_code == 2
    assert json.loads(result.stdout) == {
        "valid": [],
        "problems": [
            {
                "file": str(bad),
                "line": 2,
                "key": "growth.bilateral",
                "message": "must be a rate like 0.07 or 7%, got 'x'",
            }
        ],
    }
    listed = json.loads(run("scenarios", "--scenarios", str(tmp_path), "--format", "json").stdout)
    assert listed["scenarios"][0]["valid"] is False
    assert listed["scenarios"][0]["problems"][0]["key"] == "growth.bilateral"


def test_bash_completion_offers_scenario_names() -> None:
    import os
    import subprocess
    import sys

    tradesim = str(Path(sys.executable).with_name("tradesim"))
    env = {**os.environ, "_TRADESIM_COMPLETE": "complete_bash", "COMP_WORDS": "tradesim project st", "COMP_CWORD": "2",
           "TRADESIM_SCENARIOS": str(SCENARIOS)}  # fmt: skip
    done = subprocess.run([tradesim], env=env, capture_output=True, text=True, check=False)
    assert done.stdout.split() == ["steady"]
    script = subprocess.run(
        [tradesim, "--show-completion", "bash"], capture_output=True, text=True, check=False
    )
    assert "_TRADESIM_COMPLETE=complete_bash" in script.stdout
