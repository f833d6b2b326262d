"""The README and the help text are part of the interface."""

from __future__ import annotations

import re

import pytest
from typer.testing import CliRunner

from tests.conftest import REPO
from tradesim.cli import app

README = (REPO / "README.md").read_text(encoding="utf-8")
COMMANDS = [
    "project",
    "data",
    "scenarios",
    "scenarios validate",
    "solve growth",
    "solve year",
    "solve share",
    "solve rest-growth",
    "audit",
    "check",
    "simulate",
    "sensitivity",
    "plot",
]


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_and_is_in_the_readme(command: str) -> None:
    result = CliRunner().invoke(app, [*command.split(), "--help"], prog_name="tradesim")
    assert result.exit_code == 0
    assert "Usage:" in result.stdout
    assert f"tradesim {command}" in README


def test_readme_has_the_two_setup_commands() -> None:
    assert "pip install -e . && tradesim project --target 20e9" in README
    assert "pip install -e '.[test]' && pytest" in README


def test_readme_documents_every_json_key() -> None:
    for key in (
        "reached_year",
        "share_at_reached",
        "required_growth",
        "baseline_total",
        "gap_to_target",
        "actual",
    ):
        assert re.search(rf"`{key}`", README), key
