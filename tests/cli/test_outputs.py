"""One way out: every command's -o FILE is a file of the kind its name says, or exit 2 (issue 16, part 2).

Each file is opened with the reader of its kind — csv, json, a Markdown table's shape, openpyxl for a workbook
— and its numbers checked against what the same command gives as JSON, or against hand arithmetic."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from tests.conftest import SCENARIOS

COMMANDS = {
    "project": ["project", "steady", "article", "--target", "20e9", "--scenarios", str(SCENARIOS)],
    "simulate": ["simulate", "steady", "--runs", "2000", "--seed", "3", "--scenarios", str(SCENARIOS)],
    "targets": ["targets", "--scenarios", str(SCENARIOS)],
    "backtest": ["backtest", "--method", "cagr:1", "--horizons", "1,2"],
}


def _workbook(path: Path, sheet: str | None = None) -> list[dict[str, Any]]:
    book = openpyxl.load_workbook(path, read_only=True)
    try:
        chosen = book[sheet] if sheet is not None else book.worksheets[0]
        header, *rows = list(chosen.iter_rows(values_only=True))
    finally:
        book.close()
    return [dict(zip(header, row, strict=True)) for row in rows]


def _csv(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))


@pytest.mark.parametrize("command", sorted(COMMANDS))
@pytest.mark.parametrize("suffix", [".csv", ".json", ".md", ".xlsx", ".txt"])
def test_the_suffix_decides_and_the_file_is_of_that_kind(
    run: Any, tmp_path: Path, command: str, suffix: str
) -> None:
    out = tmp_path / f"out{suffix}"
    result = run(*COMMANDS[command], "-o", str(out))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""  # it all went to the file
    if suffix == ".json":
        assert isinstance(json.loads(out.read_text(encoding="utf-8")), dict)
    elif suffix == ".csv":
        rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
        assert rows
        assert all(len(r) == len(rows[0]) for r in rows)
    elif suffix == ".md":
        lines = out.read_text(encoding="utf-8").splitlines()
        assert lines[0].startswith("| ")
        assert set(lines[1].replace("|", "").split()) == {"---"}
    elif suffix == ".xlsx":
        assert out.read_bytes()[:2] == b"PK"  # a zip: the Office Open XML container
        assert _workbook(out)
    else:
        text = out.read_text(encoding="utf-8")
        assert not text.lstrip().startswith(("{", "|"))
        assert "\x1b" not in text


def test_the_csv_and_the_workbook_hold_the_numbers_of_the_json(run: Any, tmp_path: Path) -> None:
    args = COMMANDS["project"]
    document = json.loads(run(*args, "--format", "json").stdout)
    steady = next(s for s in document["scenarios"] if s["name"] == "steady")
    run(*args, "-o", str(tmp_path / "p.csv"))
    run(*args, "-o", str(tmp_path / "p.xlsx"))
    rows = _csv(tmp_path / "p.csv")
    sheet = _workbook(tmp_path / "p.xlsx", "years")
    for year in document["scenarios"][0]["years"][:3]:
        expected = next(y for y in steady["years"] if y["year"] == year["year"])["bilateral"]
        from_csv = next(r for r in rows if r["scenario"] == "steady" and int(r["year"]) == year["year"])
        from_sheet = next(r for r in sheet if r["scenario"] == "steady" and r["year"] == year["year"])
        assert float(from_csv["bilateral"]) == pytest.approx(expected, rel=1e-12)
        assert from_sheet["bilateral"] == pytest.approx(expected, rel=1e-12)
    # the hand check: 14.5 · 1.05 in the first year after 2023
    first = next(r for r in sheet if r["scenario"] == "steady" and r["year"] == 2024)
    assert first["bilateral"] == pytest.approx(14.5e9 * 1.05)


def test_the_backtest_csv_is_its_scores(run: Any, tmp_path: Path) -> None:
    args = COMMANDS["backtest"]
    document = json.loads(run(*args, "--format", "json").stdout)
    run(*args, "-o", str(tmp_path / "b.csv"))
    rows = _csv(tmp_path / "b.csv")
    assert [int(r["horizon"]) for r in rows] == [h["horizon"] for h in document["horizons"]] == [1, 2]
    assert [int(r["n"]) for r in rows] == [h["n"] for h in document["horizons"]]


@pytest.mark.parametrize("command", ["project", "simulate"])
def test_the_iamc_export_as_csv_and_as_a_workbook_pyam_reads(run: Any, tmp_path: Path, command: str) -> None:
    args = COMMANDS[command]
    assert run(*args, "--format", "iamc", "-o", str(tmp_path / "i.csv")).exit_code == 0
    long = _csv(tmp_path / "i.csv")
    keys = [
        "model",
        "scenario",
        "region",
        "variable",
        "unit",
        *(["quantile"] if command == "simulate" else []),
    ]
    assert list(long[0]) == [*keys, "year", "value"]  # simulate's percentiles: a quantile column
    assert run(*args, "--format", "iamc", "-o", str(tmp_path / "i.xlsx")).exit_code == 0
    book = openpyxl.load_workbook(tmp_path / "i.xlsx", read_only=True)
    assert book.sheetnames == ["data"]  # where pyam looks
    book.close()
    wide = _workbook(tmp_path / "i.xlsx")
    assert list(wide[0])[: len(keys)] == keys
    first = long[0]
    row = next(r for r in wide if all(str(r[k]) == str(first[k]) for k in keys if k != "quantile"))
    assert row[first["year"]] == pytest.approx(float(first["value"]), rel=1e-11)
    assert len(wide) * (len(wide[0]) - len(keys)) == len(long)  # every value once


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--format", "json", "-o", "x.csv"], "a .csv file cannot hold --format json"),
        (["--format", "csv", "-o", "x.xlsx"], "a .xlsx file cannot hold --format csv"),
        (["-o", "x.xls"], ".xls is not a format tradesim writes"),
        (["--format", "json", "-o", "x.html"], ".html is not a format tradesim writes"),
        (["--format", "xlsx"], "--format xlsx writes an Excel workbook: give --output FILE.xlsx"),
        (["--format", "iamc", "-o", "x.json"], "a .json file cannot hold --format iamc"),
    ],
)
def test_a_file_never_lies_about_its_name(
    run: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], message: str
) -> None:
    monkeypatch.chdir(tmp_path)
    result = run(*COMMANDS["project"], *args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert list(tmp_path.iterdir()) == []  # refused before anything was written


@pytest.mark.parametrize("command", ["targets", "backtest"])
def test_iamc_is_refused_where_there_is_no_scenario_path(run: Any, command: str) -> None:
    result = run(*COMMANDS[command], "--format", "iamc")
    assert result.exit_code == 2
    # refused by the option itself, which offers only this command's formats (its --help lists them)
    assert "'iamc' is not one of 'table', 'json', 'csv', 'markdown', 'xlsx'" in result.stderr
    assert "<table|json|csv|markdown|xlsx>" in run(command, "--help").stdout


@pytest.mark.parametrize(
    "args",
    [
        ["nowcast", "--reporter", "KAZ", "--partner", "ITA"],
        ["audit", "--scenarios", str(SCENARIOS)],
        ["sensitivity", "steady", "--scenarios", str(SCENARIOS)],
        ["data", "--partner", "ITA"],
        ["data", "mirror", "--reporter", "KAZ", "--partner", "CHN"],
        ["solve", "growth", "--target", "20B", "--by", "2027"],
        ["scenarios", "--scenarios", str(SCENARIOS)],
        ["check", "--scenarios", str(SCENARIOS)],
    ],
)
def test_every_command_that_prints_a_result_takes_output(run: Any, tmp_path: Path, args: list[str]) -> None:
    out = tmp_path / "r.json"
    result = run(*args, "-o", str(out))
    assert result.exit_code == 0, result.stderr
    assert json.loads(out.read_text(encoding="utf-8")) == json.loads(run(*args, "--format", "json").stdout)


def test_the_project_workbook_opens_as_an_analyst_would_have_made_it(
    run: Any, tmp_path: Path, write_scenario: Any
) -> None:
    """The answer on the first sheet (equal to the JSON), then the years, the sources and the notes; each sheet an
    Excel table under a frozen header, numbers formatted by what they hold, a source's text never a formula."""
    import zipfile

    path = write_scenario("s", 'base_year = 2023\n[growth]\nbilateral = "5%"\nrest_of_world = "3%"\n')
    data = tmp_path / "data"
    data.mkdir()
    (data / "mine.csv").write_text(
        "kind,reporter,partner,flow,year,period,value,unit,status,reported_by,source,url,note,published\n"
        "trade,KAZ,ITA,total,2023,FY-as-stated,14.5,USD_bn,reported,KAZ,=1+1,,,2030-01-01\n",
        encoding="utf-8",
    )
    args = ("project", str(path), "--target", "20e9", "--by", "2027", "--data", str(data))
    out = tmp_path / "p.xlsx"
    assert run(*args, "-o", str(out)).exit_code == 0
    scenario = json.loads(run(*args, "-f", "json").stdout)["scenarios"][0]
    assert (
        scenario["baseline_sources"]["bilateral"]["source"] == "=1+1"
    )  # the row the sheet must keep as text
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["answer", "years", "sources", "notes"]
    assert book.properties.title == "KAZ–ITA trade against a $20.0B target"
    assert (book.properties.creator or "").startswith("tradesim ")
    answer = book["answer"]
    header = [c.value for c in answer[1]]
    row = dict(zip(header, answer[2], strict=True))
    assert row["reached_year"].value == scenario["reached_year"] == 2030
    assert row["reached_year"].number_format == "0"
    assert row["share_at_reached"].value == pytest.approx(scenario["share_at_reached"], rel=1e-15)
    assert row["share_at_reached"].number_format == "0.00%"
    assert row["required_growth"].value == pytest.approx((20 / 14.5) ** 0.25 - 1, rel=1e-12)  # by hand
    assert row["baseline"].value == 14.5e9
    assert row["baseline"].number_format == '"USD "#,##0.00,,,"bn"'
    assert row["bilateral_growth"].number_format == "General"  # text is not formatted as a number
    for sheet in (answer, book["years"], book["sources"]):
        assert sheet.freeze_panes == "A2"
        (table,) = sheet.tables.values()
        assert table.ref.startswith("A1:")
        assert table.autoFilter is not None
        assert sheet.column_dimensions["A"].width > 8
    formula = [c for r in book["sources"].iter_rows() for c in r if c.value == "=1+1"]
    assert [c.data_type for c in formula] == ["s"]  # text, as the source wrote it
    assert any("KAZ total trade $139.6B (2023) is derived" in (c.value or "") for c in book["notes"]["A"][1:])
    with zipfile.ZipFile(out) as archive:
        xml = "".join(archive.read(n).decode() for n in archive.namelist() if n.startswith("xl/worksheets/"))
    assert "<f>" not in xml  # no cell anywhere holds a formula


@pytest.mark.parametrize(
    ("args", "sheets"),
    [
        (["solve", "growth", "--target", "20e9", "--by", "2027"], ["answer", "data"]),
        (["targets"], ["answer", "data", "notes"]),
        (["data", "mirror", "--reporter", "KAZ", "--partner", "ITA"], ["answer", "data", "notes"]),
        (["sensitivity", "steady", "article"], ["steady", "article", "data"]),
        (["audit", "article"], ["answer", "data"]),
    ],
    ids=["solve", "targets", "mirror", "sensitivity", "audit"],
)
def test_every_command_writes_the_workbook_an_analyst_would_build(
    run: Any, tmp_path: Path, args: list[str], sheets: list[str]
) -> None:
    """The table people read first (one table: "answer"; several: a sheet each), then the numbers behind it
    ("data", formatted by what they hold) and the notes; each sheet an Excel table with filters under a frozen
    header; the title in the document's properties."""
    out = tmp_path / "x.xlsx"
    result = run(*args, "--scenarios", str(SCENARIOS), "-o", str(out)) if args[0] in (
        "sensitivity", "audit"
    ) else run(*args, "-o", str(out))  # fmt: skip
    assert result.exit_code == 0, result.stderr
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == sheets
    assert (book.properties.creator or "").startswith("tradesim ")
    assert book.properties.title
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2"
        (table,) = sheet.tables.values()
        assert table.autoFilter is not None
    shown = json.loads(
        (run(*args, "--scenarios", str(SCENARIOS), "-f", "json") if args[0] in ("sensitivity", "audit")
         else run(*args, "-f", "json")).stdout
    )  # fmt: skip
    if args[0] == "solve":  # the numbers: the data sheet's required growth is the JSON's, shown as a percent
        data = book["data"]
        header = [c.value for c in data[1]]
        row = dict(zip(header, data[2], strict=True))
        assert row["required_growth"].value == shown["results"][0]["required_growth"]
        assert row["required_growth"].value == pytest.approx((20 / 14.5) ** 0.25 - 1, rel=1e-12)  # by hand
        assert row["required_growth"].number_format == "0.00%"
        assert row["baseline"].number_format == '"USD "#,##0.00,,,"bn"'
        answer = [c.value for c in book["answer"][2]]
        assert "+8.37%/yr" in answer


@pytest.mark.slow
@pytest.mark.parametrize(
    "args",
    [
        ["project", "--target", "20e9", "--by", "2027"],
        ["solve", "growth", "--target", "20e9", "--by", "2027"],
        ["targets"],
    ],
    ids=["project", "solve", "targets"],
)
def test_libreoffice_opens_every_workbook(run: Any, tmp_path: Path, args: list[str]) -> None:
    """LibreOffice (headless, where installed: .ci/run installs it) converts each workbook to CSV (UTF-8: filter
    option 76) without an error, and the first sheet's cells show the JSON's numbers in the workbook's formats
    (an amount as USD 14.50bn, a share as 13.79%)."""
    import shutil
    import subprocess

    office = shutil.which("soffice") or shutil.which("libreoffice")
    if office is None:
        pytest.skip("no LibreOffice here (.ci/run installs libreoffice-calc-nogui)")
    book = tmp_path / "book.xlsx"
    assert run(*args, "-o", str(book)).exit_code == 0
    done = subprocess.run(
        [office, "--headless", "--norestore", f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
         "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76", "--outdir", str(tmp_path / "out"), str(book)],
        capture_output=True, text=True, timeout=180, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    converted = tmp_path / "out" / "book.csv"
    assert converted.is_file(), done.stdout + done.stderr
    with converted.open(encoding="utf-8", newline="") as handle:
        first = list(csv.DictReader(handle))
    assert first
    if args[0] == "project":
        shown = json.loads(run(*args, "-f", "json").stdout)["scenarios"]
        by_name = {r["scenario"]: r for r in first}
        for scenario in shown:
            row = by_name[scenario["name"]]
            assert (int(row["reached_year"]) if row["reached_year"] else None) == scenario["reached_year"]
            # as LibreOffice shows the cells: the workbook's number formats, understood by another program
            assert row["baseline"] == f"USD {scenario['baseline'] / 1e9:.2f}bn"
            if scenario["share_at_reached"] is not None:
                assert row["share_at_reached"] == f"{scenario['share_at_reached'] * 100:.2f}%"
