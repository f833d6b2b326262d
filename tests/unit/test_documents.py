"""Every command's JSON validates against its published schema (generated from its type: tradesim.documents)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from typer.testing import CliRunner

from tests.conftest import SCENARIOS
from tradesim import documents
from tradesim.cli import app

PAIRS = SCENARIOS / "pairs"
RUNS = {
    "project": [
        ["project", "--scenarios", str(SCENARIOS), "--target", "20e9", "--by", "2027"],
        ["project", "--scenarios", str(SCENARIOS)],  # each scenario's own [[targets]]
        ["project", "steady", "--scenarios", str(SCENARIOS), "--baselines", "all", "--target", "20B"],
        ["project", "--scenarios", str(PAIRS)],  # other pairs, other currencies
    ],
    "solve": [
        ["solve", "growth", "--target", "20e9", "--by", "2027"],
        ["solve", "year", "--target", "20e9", "--growth", "5%"],
        ["solve", "share", "--target", "20e9", "--share", "1/6"],
        ["solve", "rest-growth", "--share", "1/6", "--by", "2030"],
        ["solve", "growth", "oil-and-rest", "--scenarios", str(SCENARIOS), "--leg", "HS:27", "--target", "20e9",
         "--by", "2027"],
        ["solve", "price", "oil-and-rest-brent", "--scenarios", str(SCENARIOS), "--leg", "HS:27", "--target",
         "20e9", "--by", "2027"],
    ],
    "simulate": [
        ["simulate", "steady", "oil-and-rest", "--scenarios", str(SCENARIOS), "--runs", "500", "--seed", "1"],
    ],
    "sensitivity": [["sensitivity", "steady", "oil-and-rest", "--scenarios", str(SCENARIOS)]],
    "audit": [["audit", "--scenarios", str(SCENARIOS)]],
    "targets": [["targets"], ["targets", "--as-of", "2020"]],
    "nowcast": [["nowcast"], ["nowcast", "--evaluate"]],
    "backtest": [["backtest"], ["backtest", "--vintage", "first"]],
    "mirror": [["data", "mirror", "--reporter", "KAZ", "--partner", "ITA"]],
    "data": [["data", "--partner", "ITA"], ["data", "--commodity", "27"]],
    "coverage": [["data", "coverage"]],
    "vintages": [["data", "vintages", "--data", str(SCENARIOS.parent / "docs" / "how-to" / "fetched")]],
    "check": [["check", "--scenarios", str(SCENARIOS)]],
}  # fmt: skip


def _json(args: list[str]) -> Any:
    result = CliRunner().invoke(app, [*args, "--format", "json"], catch_exceptions=False)
    assert result.exit_code in (0, 1), (args, result.stderr)
    return json.loads(result.stdout)


@pytest.mark.parametrize(
    ("command", "args"),
    [(c, a) for c, runs in RUNS.items() for a in runs],
    ids=[f"{c}-{i}" for c, runs in RUNS.items() for i in range(len(runs))],
)
def test_every_command_json_validates_against_its_schema(command: str, args: list[str]) -> None:
    schema = json.loads(documents.shipped()[command])
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(_json(args), schema, cls=jsonschema.Draft202012Validator)


def test_a_one_product_projection_validates_too(tmp_path: Path) -> None:
    """USA–CHN HS 27 (the chapter imported from the real legacy file): the document carries its commodity."""
    real = Path(__file__).parent.parent / "data" / "real" / "comtrade_legacy_short_USA_CHN_2017.csv"
    data = tmp_path / "data"
    data.mkdir()
    imported = CliRunner().invoke(
        app, ["data", "import", str(real), "--commodity", "27", "-o", str(data / "usa27.csv")]
    )
    assert imported.exit_code == 0, imported.stderr
    scenario = tmp_path / "usa.toml"
    scenario.write_text(
        'reporter = "USA"\npartner = "CHN"\nbase_year = 2017\nhorizon = 2025\n[baseline]\ntotal = "3.9T"\n'
        '[growth]\nbilateral = "5%"\nrest_of_world = "3%"\n',
        encoding="utf-8",
    )
    document = _json(
        ["project", str(scenario), "--target", "20B", "--data", str(data), "--commodity", "HS:27"]
    )
    assert document["scenarios"][0]["commodity"] == "HS:27"
    jsonschema.validate(
        document, json.loads(documents.shipped()["project"]), cls=jsonschema.Draft202012Validator
    )


def test_a_failing_check_validates_too(tmp_path: Path) -> None:
    """A scenario drifted from its snapshot: the differences and the failed expectation are in the schema."""
    import shutil

    folder = tmp_path / "scenarios"
    shutil.copytree(SCENARIOS, folder, ignore=shutil.ignore_patterns("pairs"))
    steady = folder / "steady.toml"
    steady.write_text(steady.read_text(encoding="utf-8").replace('"5%"', '"6%"', 1), encoding="utf-8")
    document = _json(["check", "--scenarios", str(folder)])
    assert document["passed"] is False
    drifted = next(s for s in document["scenarios"] if s["name"] == "steady")
    assert drifted["snapshot"]["differences"]
    jsonschema.validate(
        document, json.loads(documents.shipped()["check"]), cls=jsonschema.Draft202012Validator
    )


def test_the_shipped_schemas_are_the_generated_ones() -> None:
    """Regenerate with `python -m tradesim.documents`."""
    assert documents.shipped() == {c: documents.schema_text(c) for c in documents.COMMANDS}


def test_a_key_the_schema_does_not_name_is_refused() -> None:
    """The schemas forbid undeclared keys, so a new key is a schema change, not silent drift."""
    document = _json(RUNS["project"][0])
    schema = json.loads(documents.shipped()["project"])
    document["scenarios"][0]["reached"] = 2030  # a misspelt reached_year
    with pytest.raises(jsonschema.ValidationError, match="'reached' was unexpected"):
        jsonschema.validate(document, schema, cls=jsonschema.Draft202012Validator)
    solved = _json(RUNS["solve"][0])
    del solved["results"][0]["required_growth"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(
            solved, json.loads(documents.shipped()["solve"]), cls=jsonschema.Draft202012Validator
        )


def test_the_same_quantity_has_the_same_name_in_every_schema() -> None:
    """reached_year, required_growth, target, currency: one spelling across the commands' schemas."""
    names: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            names.update(node.get("properties", {}))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    for command in documents.COMMANDS:
        walk(documents.schema(command))
    assert {"reached_year", "required_growth", "target", "currency", "share_at_reached"} <= names
    for variant in ("year_reached", "reachedYear", "growth_required", "requiredGrowth", "ccy"):
        assert variant not in names


def test_result_is_a_protocol_every_result_type_meets() -> None:
    """The output contract is structural: the result types meet it, and so does any object with its methods."""
    from tradesim import output
    from tradesim.backtest import Backtest
    from tradesim.check import Checks
    from tradesim.data.coverage import Coverage
    from tradesim.data.mirror import Mirror
    from tradesim.montecarlo import Simulations
    from tradesim.report import Results
    from tradesim.sensitivity import Tornados
    from tradesim.solve import Answers

    for kind in (Results, Answers, Simulations, Tornados, Backtest, Checks, Coverage, Mirror):
        assert output.Result in kind.__mro__, kind  # named as a base: the defaults (title, iamc, tables)
    from tradesim import report, scenario

    evaluated = report.evaluate([scenario.load(SCENARIOS / "steady.toml")], target=20e9)
    assert isinstance(evaluated, output.Result)
    # the results are frozen collections holding their rows: read them, never change them
    import dataclasses

    assert len(evaluated) == 1
    assert evaluated[0].scenario.name == "steady"
    assert not hasattr(evaluated, "append")
    with pytest.raises(dataclasses.FrozenInstanceError):
        evaluated.all_baselines = True  # type: ignore[misc]
    for kind in (Results, Answers, Simulations, Tornados, Checks, Coverage, Mirror):
        assert dataclasses.is_dataclass(kind)
        assert not issubclass(kind, list)

    class Plain:  # not derived from Result: it meets the contract by its methods alone
        title = "plain"

        def to_json(self) -> Any:
            return {}

        def rows(self) -> list[dict[str, str]]:
            return []

        def frame(self) -> Any:
            return None

        def iamc(self) -> list[tuple[Any, ...]]:
            return []

        def tables(self) -> list[tuple[str, list[dict[str, str]]]]:
            return []

    assert isinstance(Plain(), output.Result)
    assert not isinstance(object(), output.Result)
