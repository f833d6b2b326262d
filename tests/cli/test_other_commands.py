from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import SCENARIOS, SHIPPED_NAMES
from tradesim import data


def test_data_json_keeps_provenance(run: Any) -> None:
    result = run("data", "--partner", "ITA", "--year", "2023", "--kind", "trade", "--format", "json")
    records = json.loads(result.stdout)
    # the values as their sources print them: the press in USD bn, the bureau's workbook in USD thousand
    assert {r["value"] for r in records} == {15.0, 16.1, 14.5, 11.76, 14_833_289.8896, 1_242_193.22207}
    assert {r["unit"] for r in records if r["value"] > 1e6} == {"USD_th"}
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
    assert result.stdout.count("ok: ") == 7


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
    assert names == SHIPPED_NAMES
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


COMPLETES = [  # every command that takes scenario names, as typed up to the name's first letters
    "project st",
    "simulate st",
    "sensitivity st",
    "plot paths st",
    "check st",
    "audit st",
    "report st",
    "solve year st",
    "solve growth st",
    "scenarios validate st",
    "backtest st",
]


def _bash_complete(words: str, env: dict[str, str]) -> list[str]:
    """What bash offers after ``words``: the completion script tradesim prints, sourced into a real bash, and
    its completion function called as bash calls it on TAB."""
    import shlex
    import subprocess
    import sys

    tradesim = str(Path(sys.executable).with_name("tradesim"))
    typed = shlex.split(words)
    script = (
        f'eval "$(_TRADESIM_COMPLETE=source_bash {shlex.quote(tradesim)})"\n'
        f"COMP_WORDS=({' '.join(shlex.quote(w) for w in ['tradesim', *typed])})\n"
        f"COMP_CWORD={len(typed)}\n"
        f"_tradesim_completion {shlex.quote(tradesim)}\n"
        'printf "%s\\n" "${COMPREPLY[@]}"\n'
    )
    done = subprocess.run(
        ["bash", "-c", script], env=env, capture_output=True, text=True, check=False, timeout=60
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.split()


@pytest.mark.parametrize("words", COMPLETES)
def test_bash_completes_scenario_names_on_every_command_that_takes_them(words: str) -> None:
    import os

    env = {**os.environ, "TRADESIM_SCENARIOS": str(SCENARIOS)}
    assert _bash_complete(words, env) == ["steady"]


def test_completion_reads_the_scenario_folder_named_on_the_command_line(tmp_path: Path) -> None:
    import os

    (tmp_path / "mine.toml").write_text('[growth]\nbilateral = "5%"\ntotal = 0.03\n', encoding="utf-8")
    (tmp_path / "other.toml").write_text('[growth]\nbilateral = "4%"\ntotal = 0.03\n', encoding="utf-8")
    env = {**os.environ, "TRADESIM_SCENARIOS": str(SCENARIOS)}
    assert _bash_complete(f"simulate --scenarios {tmp_path} m", env) == ["mine"]
    assert _bash_complete(f"report --scenarios {tmp_path} ''", env) == ["mine", "other"]
