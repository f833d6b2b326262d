"""Readable at any width: every figure a command's table shows is whole at 60, 80, 100, 120 and 160 columns,
in a table or, where none fits, in the stacked layout; and piped, at the table's natural width.

The figures are the ones the command itself formats for the table (its Markdown rows, the same ``rows()``),
so the test does not re-derive the formatting: it checks that what was formatted reaches the reader whole —
every cell with no space in it appears as one token, and every word of a cell with spaces does."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from typing import Any

import pytest

WIDTHS = (60, 80, 100, 120, 160)
COMMANDS = [
    ["project", "--target", "20e9", "--by", "2027"],
    ["targets"],
    ["nowcast"],
    ["nowcast", "--evaluate"],
    ["data", "coverage", "--reporter", "ITA"],
    ["data", "--partner", "ITA", "--year", "2023"],
    ["backtest"],
    ["solve", "growth", "steady", "article", "--target", "20e9", "--by", "2027"],
    ["solve", "year", "steady", "--target", "20e9"],
    ["scenarios"],
    ["sensitivity", "steady", "--target", "20e9"],
    ["simulate", "steady", "--target", "20e9", "--runs", "2000", "--seed", "1"],
]


def _cells(markdown: str) -> list[str]:
    """Every body cell of a Markdown table, unescaped."""
    cells = []
    for line in markdown.strip().split("\n")[2:]:
        for cell in re.split(r"(?<!\\)\|", line.strip())[1:-1]:
            cells.append(cell.strip().replace("\\|", "|").replace("&lt;", "<").replace("&amp;", "&"))
    return cells


def _tokens(text: str) -> set[str]:
    """The words of ``text``, also without a trailing colon (``steady:`` in a title, ``kind:`` stacked)."""
    words = set(text.split())
    return words | {w.rstrip(":") for w in words}


@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: " ".join(a[:2]))
@pytest.mark.parametrize("width", WIDTHS)
def test_every_figure_is_whole_at_every_width(run_with: Any, args: list[str], width: int) -> None:
    markdown = run_with({}, *args, "--format", "markdown") if "simulate" not in args else None
    table = run_with({"COLUMNS": str(width)}, *args)
    lines = table.split("\n")
    assert all(len(line) <= width for line in lines), max(lines, key=len)
    if markdown is None:  # simulate has no Markdown form: its rows through the JSON are checked elsewhere
        assert "p50" in table or "p50:" in table
        return
    shown = _tokens(table)
    for cell in _cells(markdown):
        for word in cell.split():
            assert word in shown, (width, word, cell)


@pytest.mark.parametrize("args", COMMANDS[:5], ids=lambda a: " ".join(a[:2]))
def test_piped_output_is_the_table_at_its_natural_width(run_with: Any, args: list[str]) -> None:
    table = run_with({}, *args)
    assert ": " not in table.split("\n")[2][:12]  # a table, not the stacked layout
    for cell in _cells(run_with({}, *args, "--format", "markdown")):
        assert cell in table  # unwrapped: every cell on one line, as written


@pytest.mark.skipif(shutil.which("script") is None, reason="needs script(1) to run in a pseudo-terminal")
def test_a_real_terminal_of_100_columns_cuts_no_figure() -> None:
    """The issue's reproduction: `need by` showed `+8` for +8.37% at 100 columns."""
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    command = f"stty cols 100; {sys.executable} -m tradesim project --target 20e9 --by 2027"
    done = subprocess.run(
        ["script", "-qec", command, "/dev/null"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    text = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", done.stdout)
    for figure in ("+8.37%", "+11.65%", "+6.28%", "$14.5B", "$16.1B", "+0.0%/yr", "13.8%"):
        assert figure in text, text
