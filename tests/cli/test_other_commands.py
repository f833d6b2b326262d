from __future__ import annotations

import csv
import io
import json
from typing import Any

from tests.conftest import SCENARIOS
from tradesim import data


def test_data_json_keeps_provenance(run: Any) -> None:
    result = run("data", "--partner", "ITA", "--year", "2023", "--kind", "trade", "--format", "json")
    records = json.loads(result.stdout)
    assert {r["value"] for r in records} == {15.0, 16.1, 14.5, 11.76}
    assert len(records) == len(data.select(partner="ITA", year=2023, kind="trade"))
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
    records = json.loads(run("data", "--period", "jan-nov", "--reported-by", "KAZ", "-f", "json").stdout)
    assert {(r["year"], r["value"]) for r in records} == {(2023, 14.5)}
    bad = run("data", "--reported-by", "XX")
    assert bad.exit_code == 2
    assert bad.stderr.startswith(
        "tradesim: error: --reported-by: no observation has 'XX' (known: CHN, ECB, ITA"
    )
