"""The hostile-input findings of issue 27 ("Right numbers, every time"), one test each; each fails on the code
before the fix. Subprocess tests run the installed entry point, where a terminal's encoding and a FIFO behave
as they do for a user."""

from __future__ import annotations

import gzip
import io
import json
import os
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

H = "kind,reporter,partner,flow,year,period,value,unit,status,reported_by,source,url,note"
FORMULA = '=HYPERLINK("http://x.example","y")'


def _tradesim(
    *args: str, cwd: Path | None = None, env: dict[str, str] | None = None, timeout: float = 60
) -> Any:
    return subprocess.run(
        [sys.executable, "-m", "tradesim", *args],
        capture_output=True,
        cwd=cwd,
        env=env,
        timeout=timeout,
        check=False,
    )


# 1. formula injection ---------------------------------------------------------------------------------------
def test_a_description_that_is_a_formula_stays_text_in_workbooks_and_csv(
    run: Any, write_scenario: Callable[..., Path], tmp_path: Path
) -> None:
    import openpyxl

    path = write_scenario(
        "f", f'description = \'{FORMULA}\'\n[growth]\nbilateral = "5%"\nrest_of_world = "3%"\n'
    )
    book = tmp_path / "out.xlsx"
    assert run("scenarios", "--scenarios", str(path.parent), "-o", str(book)).exit_code == 0
    with zipfile.ZipFile(book) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet  # no formula cell
    cells = [c.value for row in openpyxl.load_workbook(book).active.iter_rows() for c in row]
    assert FORMULA in cells  # the text, as written
    table = tmp_path / "out.csv"
    assert run("scenarios", "--scenarios", str(path.parent), "-o", str(table)).exit_code == 0
    import csv

    with table.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert rows[0]["description"] == "'" + FORMULA  # OWASP: a leading quote, read as text


# 2. terminal escape injection -------------------------------------------------------------------------------
def test_control_sequences_from_a_file_never_reach_the_terminal(
    run: Any, write_scenario: Callable[..., Path]
) -> None:
    path = write_scenario(
        "esc",
        'description = "\\u001B[2J\\u001B[1;1Hall clear\\u202e"\n[growth]\nbilateral = "5%"\nrest_of_world = "3%"\n',
    )
    result = run("scenarios", "--scenarios", str(path.parent))
    assert result.exit_code == 0
    assert "\x1b" not in result.stdout
    assert "\u202e" not in result.stdout
    assert "\\x1b[2J\\x1b[1;1Hall clear\\u202e" in result.stdout


# 3. markdown injection --------------------------------------------------------------------------------------
def test_a_claim_quote_cannot_break_out_of_a_markdown_table(
    run: Any, write_scenario: Callable[..., Path]
) -> None:
    path = write_scenario(
        "md",
        '[growth]\nbilateral = "5%"\nrest_of_world = "3%"\n[[claims]]\nquote = "a\\n\\n# injected heading | x <b>"\n'
        'metric = "bilateral"\nyear = 2024\nvalue = "15B"\nrtol = 0.5\n',
    )
    result = run("audit", str(path), "--format", "markdown")
    assert result.exit_code in (0, 1), result.stderr
    lines = result.stdout.strip().split("\n")
    assert all(line.startswith("|") for line in lines)  # every line a table row
    assert not any(line.startswith("#") for line in lines)
    assert "a  # injected heading \\| x &lt;b>" in result.stdout


# 4, 5. outputs onto inputs and through links ----------------------------------------------------------------
def test_an_output_that_is_one_of_the_runs_inputs_is_refused(run: Any, tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    mine = data / "mine.csv"
    mine.write_text(H + "\ntrade,KAZ,ESP,total,2023,FY,4.0,USD_bn,reported,KAZ,Test,,\n", encoding="utf-8")
    before = mine.read_bytes()
    link = tmp_path / "link.csv"
    link.symlink_to(mine)
    for target in (mine, link):
        result = run("data", "--partner", "ESP", "--data", str(data), "-o", str(target))
        assert result.exit_code == 2
        assert "is a file of the data folder this run reads" in result.stderr
    assert mine.read_bytes() == before
    assert link.is_symlink()


def test_an_output_through_a_link_is_written_at_its_target_and_the_link_stays(
    run: Any, tmp_path: Path
) -> None:
    target = tmp_path / "real.json"
    target.write_text("old", encoding="utf-8")
    link = tmp_path / "link.json"
    link.symlink_to(target)
    assert run("project", "--target", "20e9", "-o", str(link)).exit_code == 0
    assert link.is_symlink()
    assert json.loads(target.read_text(encoding="utf-8"))["target"] == 20e9


# 6, 7. bombs ------------------------------------------------------------------------------------------------
def _huge_sheet(path: Path) -> None:
    content = (
        '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="xml" ContentType="application/xml"/></Types>'
    )
    sheet = (
        '<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<sheetData><row r="1"><c r="A1"><v>1</v></c></row><row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'
        "</sheetData></worksheet>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", content)
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
    path.write_bytes(buffer.getvalue())


def test_a_workbook_that_declares_seventeen_billion_cells_is_refused_before_it_is_read(
    tmp_path: Path,
) -> None:
    book = tmp_path / "huge.xlsx"
    _huge_sheet(book)
    assert book.stat().st_size < 2_000
    done = _tradesim("data", "import", str(book), "-o", str(tmp_path / "out.csv"))
    assert done.returncode == 2  # was 134: calamine asked for 549,755,813,888 bytes and aborted
    assert b"spans 1,048,576 rows \xc3\x97 16,384 columns" in done.stderr
    assert not (tmp_path / "out.csv").exists()


def test_one_enormous_line_in_a_small_gzip_is_refused_naming_its_line(run: Any, tmp_path: Path) -> None:
    from tests.unit.test_importers import line, write
    from tradesim.data.importers.text import MAX_LINE

    header = write(tmp_path, line(), name="one.csv").read_bytes().split(b"\n")[0] + b"\n"
    bomb = tmp_path / "bomb.csv.gz"
    with gzip.open(bomb, "wb") as handle:
        handle.write(header)
        handle.write(b"x" * (MAX_LINE + 10))
    result = run("data", "import", str(bomb), "-o", str(tmp_path / "out.csv"))
    assert result.exit_code == 2
    assert (
        result.stderr
        == f"tradesim: error: {bomb}: line 2 is longer than 16 MB: not a table of trade figures\n"
    )


# 8. pipes and devices -----------------------------------------------------------------------------------------
def test_a_fifo_in_the_scenario_folder_blocks_nothing_and_a_device_is_named(tmp_path: Path) -> None:
    folder = tmp_path / "scenarios"
    folder.mkdir()
    (folder / "steady.toml").write_text(
        '[growth]\nbilateral = "5%"\nrest_of_world = "3%"\n', encoding="utf-8"
    )
    os.mkfifo(folder / "pipe.toml")
    every = _tradesim("project", "--target", "20e9", "--scenarios", str(folder), timeout=30)
    assert every.returncode == 2
    assert b"pipe.toml: a named pipe (FIFO), not a scenario file" in every.stderr
    named = _tradesim("project", "steady", "--target", "20e9", "--scenarios", str(folder), timeout=30)
    assert named.returncode == 0, named.stderr
    device = _tradesim("project", "/dev/zero", "--target", "20e9")
    assert device.returncode == 2
    assert (
        device.stderr
        == b"tradesim: error: /dev/zero: a character device, not a scenario file: name a regular .toml file\n"
    )


# 9. environments --------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "value"),
    [("COLUMNS", "²"), ("LINES", "٣"), ("PYTHONIOENCODING", "ascii"), ("PYTHONIOENCODING", "latin-1")],
)
def test_odd_terminals_get_a_table_not_a_traceback(name: str, value: str) -> None:
    env = {**os.environ, name: value}
    done = _tradesim("project", "--target", "20e9", "--by", "2027", env=env)
    assert done.returncode == 0, done.stderr
    assert b"Traceback" not in done.stderr
    if value == "ascii":
        assert done.stdout.isascii()
        assert b"KAZ-ITA trade against a $20.0B target" in done.stdout


# 11. every amount ---------------------------------------------------------------------------------------------
def test_an_event_amount_without_a_scale_gets_the_same_question_as_a_target(
    run: Any, write_scenario: Callable[..., Path]
) -> None:
    path = write_scenario(
        "ev",
        '[growth]\nbilateral = "5%"\nrest_of_world = "3%"\n[[events]]\nlabel = "deal"\nyear = 2025\namount = 1.5\n',
    )
    result = run("project", str(path), "--target", "20B")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"tradesim: error: {path}:7: events[0].amount: 1.5 has no scale:")
    assert "did you mean 1.5B?" in result.stderr


# 12. blame where it belongs -----------------------------------------------------------------------------------
def test_a_parents_mistake_is_blamed_on_the_parents_line(
    run: Any, write_scenario: Callable[..., Path]
) -> None:
    parent = write_scenario("parent", 'partner = "XXX"\n[growth]\nbilateral = "5%"\nrest_of_world = "3%"\n')
    child = write_scenario("child", 'extends = "parent"\ndescription = "child"\n')
    result = run("project", str(child), "--target", "20B")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"tradesim: error: {parent}:1: partner: must be an ISO 3166-1 alpha-3")


def test_a_list_entry_is_blamed_on_the_file_whose_list_is_used(
    run: Any, write_scenario: Callable[..., Path]
) -> None:
    """A child's list replaces its parent's, so its entries' mistakes are the child's (found by the hostile-input
    suite: the parent's line was named for the child's list)."""
    write_scenario("parent", '[growth]\nbilateral = "5%"\nrest_of_world = "3%"\n[[targets]]\nvalue = "20B"\n')
    child = write_scenario("child", 'extends = "parent"\ntargets = [{}]\n')
    result = run("project", str(child))
    assert result.exit_code == 2
    assert result.stderr.startswith(f"tradesim: error: {child}:2: targets[0].value: required key is missing")


def test_an_option_is_blamed_on_the_option_and_a_long_name_is_not_an_output(run: Any) -> None:
    horizon = run("project", "steady", "--horizon", "0", "--target", "20B")
    assert (
        horizon.stderr
        == "tradesim: error: --horizon 0: must be after base_year 2023, got 0 (scenario 'steady')\n"
    )
    long = "d" * 300
    data = run("project", "--data", long, "--target", "20B")
    assert data.exit_code == 2
    assert (
        data.stderr
        == f"tradesim: error: {long}: --data: cannot use it as the data folder (File name too long)\n"
    )
    assert "cannot write the output" not in data.stderr
