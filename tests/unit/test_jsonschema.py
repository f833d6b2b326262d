"""The JSON Schema of scenario files: it accepts every shipped and valid scenario and rejects the invalid
fixtures at the keys `scenarios validate` names — but for the cross-field rules, which a schema cannot state."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import tomllib
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from tests.conftest import REPO, SCENARIOS, manual
from tradesim.jsonschema import scenario_schema

VALIDATOR = jsonschema.Draft202012Validator(scenario_schema())
INVALID = REPO / "tests" / "scenarios" / "invalid"
CROSS_FIELD = {
    "event-before-base",
    "table-gap",
}  # validate's job, said in the schema's text
NOT_TOML = {"syntax-error"}


def _deepest(error: Any) -> Any:
    """The most specific error below an anyOf (jsonschema reports the anyOf itself first)."""
    found = [error, *(_deepest(e) for e in error.context)]
    return max(found, key=lambda e: len(e.absolute_path))


def _key(error: Any) -> str:
    error = _deepest(error)
    path = [str(p) if isinstance(p, str) else f"[{p}]" for p in error.absolute_path]
    if error.validator == "additionalProperties":
        path.append(re.search(r"\('(\w+)' was unexpected", error.message).group(1))
    return ".".join(path).replace(".[", "[")


@pytest.mark.parametrize(
    "path",
    sorted(
        [
            *SCENARIOS.glob("*.toml"),
            *(SCENARIOS / "pairs").glob("*.toml"),
            *(REPO / "tests/scenarios/valid").glob("*.toml"),
        ]
    ),
    ids=lambda p: p.stem,
)
def test_every_valid_scenario_passes(path: Path) -> None:
    assert list(VALIDATOR.iter_errors(tomllib.loads(path.read_text()))) == []


@pytest.mark.parametrize(
    "path",
    sorted(p for p in INVALID.glob("*.toml") if p.stem not in NOT_TOML),  # not TOML: the parser says so first
    ids=lambda p: p.stem,
)
def test_invalid_fixtures_fail_at_the_keys_validate_names(path: Path) -> None:
    errors = list(VALIDATOR.iter_errors(tomllib.loads(path.read_text())))
    if path.stem in CROSS_FIELD:
        assert errors == []
        return
    expected = {
        m.group(1) for m in re.finditer(r"^# expect: [^:]+:(?:\d+:)? ([\w.\[\]]+): ", path.read_text(), re.M)
    }
    found = {_key(e) for e in errors}
    if path.stem == "empty":
        assert [e.message for e in errors] == ["'growth' is a required property"]
        return
    # a pair the loader refuses at their table ("growth: set exactly one of …") the schema flags at the key
    # it puts its message on (growth.rest_of_world)
    assert all(any(f == key or f.startswith(f"{key}.") for f in found) for key in expected), (expected, found)


# ----------------------------------------------------------------------- a schema editors can use (issue 19)
def _properties(node: Any, path: str = "") -> list[tuple[str, dict[str, Any]]]:
    """Every property of the schema, with its path, at any depth."""
    found = []
    if isinstance(node, dict):
        for key, value in node.get("properties", {}).items():
            found.append((f"{path}.{key}", value))
            found.extend(_properties(value, f"{path}.{key}"))
        for key, value in node.items():
            if key not in ("properties", "if", "then", "else"):  # conditions on keys described where they are
                found.extend(_properties(value, f"{path}/{key}"))
    elif isinstance(node, list):
        for item in node:
            found.extend(_properties(item, path))
    return found


def test_every_property_has_a_description_an_editor_can_show() -> None:
    schema = scenario_schema()
    properties = _properties(schema)
    assert len(properties) > 80
    missing = [path for path, prop in properties if not prop.get("description", "").strip()]
    assert missing == []
    assert all("``" not in prop["description"] for _, prop in properties)  # Markdown, not reST
    assert schema["description"].startswith("A tradesim scenario:")  # not the model's docstring


def test_the_descriptions_are_the_models_own_field_docstrings() -> None:
    """One text: the field's docstring in tradesim.schema is what the editor shows, read from the source with
    ast (tradesim.jsonschema.field_docstrings), a base class's field with the base class's docstring."""
    from tradesim.jsonschema import field_docstrings

    docs = field_docstrings()
    schema = scenario_schema()
    assert schema["properties"]["partner"]["description"] == docs["Scenario"]["partner"]
    assert docs["Scenario"]["partner"].startswith("The partner country, ISO 3166 alpha-3")
    event = schema["$defs"]["Event"]["properties"]["ramp_years"]["description"]
    assert event == docs["Event"]["ramp_years"]
    assert "ramps in linearly" in event
    inherited = schema["$defs"]["Claim"]["properties"]["metric"]["description"]
    assert inherited.startswith("The figure checked")


def _errors(text: str) -> list[tuple[str, str]]:
    return [
        (".".join(str(p) for p in e.absolute_path), e.message)
        for e in VALIDATOR.iter_errors(tomllib.loads(text))
    ]


GROWTH = '[growth]\nbilateral = "5%"\ntotal = 0.03\n'


def test_an_unknown_country_and_an_unreadable_amount_are_flagged_at_their_keys() -> None:
    assert [key for key, _ in _errors('partner = "XXX"\n' + GROWTH)] == ["partner"]
    assert [key for key, _ in _errors('reporter = "kaz"\n' + GROWTH)] == ["reporter"]
    assert [key for key, _ in _errors(GROWTH + '[[targets]]\nvalue = "20zillion"\n')] == ["targets.0.value"]
    assert [key for key, _ in _errors(GROWTH + '[[targets]]\nvalue = "1/6"\n')] == ["targets.0.value"]
    assert [key for key, _ in _errors('[baseline]\nbilateral = "-3B"\n' + GROWTH)] == ["baseline.bilateral"]
    assert [key for key, _ in _errors("[baseline]\nbilateral = -3\n" + GROWTH)] == ["baseline.bilateral"]
    assert _errors('partner = "DEU"\ncurrency = "EUR"\n' + GROWTH + '[[targets]]\nvalue = "€10 bln"\n') == []


def test_a_typo_in_a_growth_table_names_the_key_not_an_anyof() -> None:
    for table in (
        '{model = "constant", rat = 0.05}',
        "{rat = 0.05}",
        '{model = "reach", value = "20B", year = 2027, aftr = 0}',
    ):
        errors = _errors(f"[growth]\nbilateral = {table}\ntotal = 0.03\n")
        assert errors, table
        assert all("not valid under any of" not in message for _, message in errors), errors
        assert any("was unexpected" in message for _, message in errors), errors


def test_no_invalid_fixture_gets_an_anyof_message() -> None:
    for path in sorted(INVALID.glob("*.toml")):
        if path.stem in NOT_TOML:
            continue
        for error in VALIDATOR.iter_errors(tomllib.loads(path.read_text())):
            assert "not valid under any of" not in error.message, (path.name, error.message)


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from tradesim.jsonschema import AMOUNT_TEXT  # noqa: E402
from tradesim.quantities import _SCALES, parse_money  # noqa: E402

AMOUNT = re.compile(AMOUNT_TEXT)
amount_texts = st.builds(
    lambda sign, prefix, number, space, scale, suffix: f"{sign}{prefix}{number}{space}{scale}{suffix}",
    st.sampled_from(["", "-", "+", "−"]),
    st.sampled_from(["", "$", "€", "£", "EUR ", "usd "]),
    st.sampled_from(["20", "14.5", "1_000", "1,234.5", ".5", "2e9", "0", "3E3"]),
    st.sampled_from(["", " "]),
    st.sampled_from([*_SCALES, "zillion", "B.", "bn.", "KZT", "x"]),
    st.sampled_from(["", " EUR", " KZT", " eur", " EURO"]),
)


@settings(max_examples=400, deadline=None)
@given(amount_texts)
def test_the_amount_pattern_accepts_what_the_parser_reads_and_refuses_what_it_cannot(text: str) -> None:
    """Generated amounts in the parser's grammar and near it: the schema is never stricter than the parser,
    and it refuses what the parser cannot read at all (a range error is the parser's to give)."""
    try:
        parse_money(text, what="x")
        readable = True
    except Exception as error:
        readable = "must be a number like" not in str(error)
    assert bool(AMOUNT.match(text)) == readable, text


# --------------------------------------------------------------------- the committed schema and taplo
def test_the_committed_schema_is_the_generated_one() -> None:
    """scenarios/scenario.schema.json, which .taplo.toml maps every shipped scenario to, is current (rewrite it
    with `tradesim scenarios schema > scenarios/scenario.schema.json`)."""
    committed = (SCENARIOS / "scenario.schema.json").read_text(encoding="utf-8")
    assert json.loads(committed) == scenario_schema()


def _taplo(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["taplo", *args], cwd=cwd, capture_output=True, text=True, timeout=120, check=False)


@pytest.mark.skipif(
    shutil.which("taplo") is None, reason="no taplo here (pip install taplo; the test extra has it)"
)
def test_taplo_formats_and_checks_the_shipped_scenarios_as_they_are() -> None:
    assert _taplo("fmt", "--check").returncode == 0, _taplo("fmt", "--check").stderr[-2000:]
    checked = _taplo("check")
    assert checked.returncode == 0, checked.stderr[-2000:]
    assert "found files total=9" in checked.stderr  # the nine shipped scenario files, through .taplo.toml


@pytest.mark.skipif(
    shutil.which("taplo") is None, reason="no taplo here (pip install taplo; the test extra has it)"
)
def test_taplo_flags_an_unknown_partner_through_the_schema(tmp_path: Path) -> None:
    shutil.copy(REPO / ".taplo.toml", tmp_path / ".taplo.toml")
    (tmp_path / "scenarios").mkdir()
    shutil.copy(SCENARIOS / "scenario.schema.json", tmp_path / "scenarios" / "scenario.schema.json")
    (tmp_path / "scenarios" / "bad.toml").write_text('partner = "XXX"\n' + GROWTH, encoding="utf-8")
    checked = _taplo("check", cwd=tmp_path)
    assert checked.returncode != 0
    said = checked.stdout + checked.stderr
    assert '"a country\'s ISO 3166 alpha-3 code, such as KAZ or ITA" was expected' in said
    assert '"ABW"' not in said  # the form, not the 250 codes


def test_the_readme_key_table_is_the_schemas_text() -> None:
    from tradesim.jsonschema import key_table

    assert key_table() in manual()


def test_every_growth_models_key_is_named_where_an_editor_completes_it() -> None:
    """An editor completes and explains the keys of `[growth.bilateral]` from GrowthKeys, reached through an
    anyOf that refuses nothing (taplo's language server follows anyOf, not if/then): every model's keys are
    there, each saying which models take it, with no constraint of its own — the model's branch still refuses
    a key it does not have. (tests/unit/test_editor.py asks the language server itself.)"""
    from tradesim.schema import GROWTH_CLASSES

    schema = json.loads((SCENARIOS / "scenario.schema.json").read_text(encoding="utf-8"))
    named = schema["$defs"]["GrowthKeys"]["properties"]
    flows = [
        *schema["$defs"]["Growth"]["properties"].values(),
        schema["$defs"]["Leg"]["properties"]["growth"],
    ]
    assert all(flow["anyOf"] == [{"$ref": "#/$defs/GrowthKeys"}, True] for flow in flows)
    for kind, model in GROWTH_CLASSES.items():
        for key in model.model_fields:
            assert key in named, (kind, key)
            assert kind in named[key]["description"], (kind, key)
            assert set(named[key]) == {"description"} or key == "model"
    errors = _errors('[growth]\nbilateral = {model = "linear", rate = 0.05}\ntotal = 0.03\n')
    assert any("rate" in message for _, message in errors), errors  # a constant's key in a linear table
