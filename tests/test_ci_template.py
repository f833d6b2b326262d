"""The GitHub Actions template works when copied: its `run:` steps, run as the runner would run them (bash, the
repository checked out as the working folder, $RUNNER_TEMP), install tradesim into a fresh virtual environment
and check the scenarios — green on this repository's own scenarios."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import REPO

TEMPLATE = REPO / ".github" / "workflows" / "tradesim-check.yml"


def _steps() -> tuple[dict[str, str], list[str]]:
    """The workflow's env and its `run:` commands (a YAML scalar, quoted or plain), in order."""
    env: dict[str, str] = {}
    runs: list[str] = []
    section = ""
    for line in TEMPLATE.read_text(encoding="utf-8").split("\n"):
        if not line.startswith(" ") and line.endswith(":"):
            section = line[:-1]
        stripped = line.strip()
        if section == "env" and line.startswith("  ") and ":" in stripped:
            key, _, value = stripped.partition(":")
            env[key] = value.strip().strip('"')
        if stripped.startswith("- run:"):
            command = stripped[len("- run:") :].strip()
            if command.startswith("'") and command.endswith("'"):
                command = command[1:-1].replace("''", "'")
            runs.append(command)
    return env, runs


def test_the_template_installs_from_a_source_not_from_the_missing_package() -> None:
    env, runs = _steps()
    assert env["TRADESIM_SOURCE"] == "."
    assert not any("pip install tradesim-bilateral" in r and "TRADESIM_SOURCE" not in r for r in runs)
    assert any("check --scenarios scenarios" in r for r in runs)


@pytest.mark.slow
def test_the_copied_templates_steps_go_green(tmp_path: Path) -> None:
    """In tradesim's own repository (a copy of its tracked files): the steps as written."""
    checkout = tmp_path / "checkout"
    files = subprocess.run(
        ["git", "ls-files"], cwd=REPO, capture_output=True, text=True, check=True
    ).stdout.split()
    for name in files:
        target = checkout / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPO / name, target)
    runner = tmp_path / "runner"
    runner.mkdir()
    template_env, runs = _steps()
    env = {**os.environ, **template_env, "RUNNER_TEMP": str(runner)}
    env.pop("VIRTUAL_ENV", None)
    for command in runs:
        done = subprocess.run(
            ["bash", "-e", "-c", command],
            cwd=checkout,
            env=env,
            capture_output=True,
            text=True,
            timeout=900,
            check=False,
        )
        assert done.returncode == 0, (command, done.stdout[-2000:], done.stderr[-2000:])
    assert (checkout / "tradesim-check.xml").is_file()
