"""The conventions of well-behaved command lines: -h, -o -, --quiet, NO_COLOR/FORCE_COLOR, --format offering
only what a command writes, and the README's import example working verbatim in an empty folder."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import REPO


@pytest.mark.parametrize(
    "args", [["-h"], ["project", "-h"], ["data", "import", "-h"], ["solve", "growth", "-h"]]
)
def test_dash_h_is_help(run: Any, args: list[str]) -> None:
    result = run(*args)
    assert result.exit_code == 0
    assert "Usage:" in result.stdout


def test_dash_o_dash_is_standard_output(run: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = run("project", "--target", "20e9", "--format", "json", "-o", "-")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["target"] == 20e9
    assert list(tmp_path.iterdir()) == []  # no file named "-"


@pytest.mark.parametrize("where", ["before", "after"])
def test_quiet_silences_notes_not_errors(run: Any, where: str) -> None:
    args = ["project", "--target", "20e9"]
    loud = run(*args)
    assert "note:" in loud.stderr
    quiet = run("--quiet", *args) if where == "before" else run(*args, "-q")
    assert quiet.exit_code == 0
    assert quiet.stderr == ""
    assert quiet.stdout == loud.stdout
    error = run(*args[:1], "--target", "-5", "-q")
    assert error.exit_code == 2
    assert error.stderr.startswith("tradesim: error: ")


def _colours(env: dict[str, str]) -> str:
    base = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR", "TERM")}
    done = subprocess.run(
        [sys.executable, "-m", "tradesim", "project", "--target", "20e9"],
        capture_output=True, text=True, env={**base, **env}, timeout=60, check=True,
    )  # fmt: skip
    return done.stdout + done.stderr


def test_no_color_and_force_color_are_honoured() -> None:
    yellow = "\x1b[33m"  # the notes' colour
    assert "\x1b[" not in _colours({})  # a pipe: plain text
    assert yellow in _colours({"FORCE_COLOR": "1", "TERM": "xterm-256color"})
    # NO_COLOR: no colour, whatever else forces a terminal (bold and italic are not colours)
    assert yellow not in _colours({"FORCE_COLOR": "1", "NO_COLOR": "1", "TERM": "xterm-256color"})


def test_import_into_the_data_folder_makes_it(
    run: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The README's example, verbatim, from an empty folder: `--output: folder data does not exist` before."""
    monkeypatch.chdir(tmp_path)
    source = REPO / "tests" / "data" / "real" / "comtrade_legacy_short_USA_CHN_2017.csv"
    result = run("data", "import", str(source), "--commodity", "27", "-o", "data/usa27.csv")
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "data" / "usa27.csv").is_file()
    assert "made the data folder data" in result.stderr
    elsewhere = run("data", "import", str(source), "--commodity", "27", "-o", "other/usa27.csv")
    assert elsewhere.exit_code == 2  # a folder that is not the data folder is not made
    assert not (tmp_path / "other").exists()
    failed = run("data", "import", str(source), "--commodity", "99", "-o", "data2/x.csv")
    assert failed.exit_code == 2
    assert not (tmp_path / "data2").exists()
