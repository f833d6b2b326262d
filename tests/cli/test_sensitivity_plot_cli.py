from __future__ import annotations

import json
import struct
import sys
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import pytest

from tests.conftest import SCENARIOS


def _png_size(path: Path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", header[16:24])
    return width, height


def test_tornado_table_and_json(run: Any) -> None:
    table = run("sensitivity", "steady", "--scenarios", str(SCENARIOS))
    assert table.exit_code == 0
    assert "growth.bilateral.rate" in table.stdout
    document = json.loads(run("sensitivity", "steady", "--scenarios", str(SCENARIOS), "-f", "json").stdout)
    inputs = [row["input"] for row in document["tornado"]]
    assert inputs[0] == "growth.bilateral.rate"


def test_grid_table_csv_and_limits(run: Any) -> None:
    args = (
        "sensitivity",
        "--growth",
        "5%",
        "--target",
        "20B",
        "--grid",
        "growth=0.04:0.12:0.04",
        "--grid",
        "rest-growth=0:0.02:0.01",
    )
    table = run(*args)
    assert table.exit_code == 0
    # ceil(ln(20/14.5) / ln(1 + g)) years: 4% → 9 (2032), 8% → 5 (2028), 12% → 3 (2026), whatever the rest
    rows = [
        line.split()
        for line in table.stdout.splitlines()
        if line.strip().startswith(("4.0%", "8.0%", "12.0%"))
    ]
    assert rows == [
        ["4.0%", "2032", "2032", "2032"],
        ["8.0%", "2028", "2028", "2028"],
        ["12.0%", "2026", "2026", "2026"],
    ]
    csv_out = run(*args, "--format", "csv").stdout.splitlines()
    assert len(csv_out) == 1 + 3
    big = run(
        "sensitivity",
        "--growth",
        "5%",
        "--target",
        "20B",
        "--grid",
        "growth=0:0.999:0.001",
        "--grid",
        "rest-growth=0:0.0999:0.0001",
    )
    assert big.exit_code == 2
    assert "too large for a table; use --format csv or json" in big.stderr
    one = run("sensitivity", "--growth", "5%", "--target", "20B", "--grid", "growth=0:0.1:0.05")
    assert one.stderr == "tradesim: error: --grid must be given exactly twice (rows and columns), got 1\n"


@pytest.mark.slow
def test_plots_are_valid_images(run: Any, tmp_path: Path) -> None:
    paths = tmp_path / "paths.png"
    assert (
        run("plot", "paths", "--target", "20e9", "-o", str(paths), "--scenarios", str(SCENARIOS)).exit_code
        == 0
    )
    assert _png_size(paths) == (1080, 624)  # 9 × 5.2 in at 120 dpi
    fan = tmp_path / "fan.png"
    result = run(
        "plot", "fan", "article", "steady", "--runs", "2000", "-o", str(fan), "--scenarios", str(SCENARIOS)
    )
    assert result.exit_code == 0
    assert _png_size(fan) == (
        1080,
        1056,
    )  # 9 × (1.6 + 2 · 3.6) in: a panel per scenario, the title and legend
    svg = tmp_path / "tornado.svg"
    assert run("plot", "tornado", "forum-deals", "-o", str(svg), "--scenarios", str(SCENARIOS)).exit_code == 0
    root = ET.parse(svg).getroot()
    assert root.tag.endswith("svg")
    backtest = tmp_path / "backtest.png"
    result = run(
        "plot",
        "backtest",
        "steady",
        "--method",
        "scenario",
        "-o",
        str(backtest),
        "--scenarios",
        str(SCENARIOS),
    )
    assert result.exit_code == 0, result.stderr
    assert _png_size(backtest) == (1080, 624)
    none = run("plot", "backtest", "--partner", "DEU", "-o", str(tmp_path / "none.png"))
    assert none.exit_code == 2
    assert "no past projection to draw" in none.stderr


def test_plot_without_matplotlib_says_how_to_install(
    run: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # import matplotlib → ImportError
    result = run("plot", "paths", "-o", str(tmp_path / "x.png"), "--scenarios", str(SCENARIOS))
    assert (result.exit_code, result.stderr) == (
        2,
        "tradesim: error: plotting needs matplotlib: pip install 'tradesim-bilateral[plot]'\n",
    )


def test_plot_rejects_other_suffixes(run: Any, tmp_path: Path) -> None:
    result = run("plot", "paths", "-o", str(tmp_path / "x.jpg"), "--scenarios", str(SCENARIOS))
    assert result.stderr == "tradesim: error: --output must end in .png or .svg, got 'x.jpg'\n"
