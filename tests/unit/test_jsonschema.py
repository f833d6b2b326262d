"""The JSON Schema of scenario files: it accepts every shipped and valid scenario and rejects the invalid
fixtures at the keys `scenarios validate` names — but for the cross-field rules, which a schema cannot state."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from tests.conftest import REPO, SCENARIOS
from tradesim.jsonschema import scenario_schema

VALIDATOR = jsonschema.Draft202012Validator(scenario_schema())
INVALID = REPO / "tests" / "scenarios" / "invalid"
CROSS_FIELD = {
    "both-other-flows",
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
    assert expected <= found, (expected, found)
