"""Workbooks as the portals also hand them out: a real download saved as .xlsx (by XlsxWriter, a writer that is
not the reader) imports to the same observations as the CSV itself, numbers stored as numbers and codes as
text; a damaged or empty workbook, or a ZIP that is no workbook, is one error naming the file."""

from __future__ import annotations

import csv
import re
import zipfile
from pathlib import Path

import pytest

from tradesim.data import importers
from tradesim.errors import DataError, InputError

REAL = Path(__file__).parent.parent / "data" / "real"
PLAIN_NUMBER = re.compile(r"-?(0|[1-9]\d*)(\.\d+)?")  # what Excel keeps as a number, not text


def as_workbook(source: Path, target: Path, encoding: str, *, sheets_before: int = 0) -> list[list[str]]:
    """The CSV's rows written to a workbook, a plain number as a number cell, anything else as text; returns
    the rows (read with the csv module alone)."""
    import xlsxwriter

    with source.open(encoding=encoding, newline="") as handle:
        rows = list(csv.reader(handle))
    book = xlsxwriter.Workbook(str(target))
    for n in range(sheets_before):
        book.add_worksheet(f"Empty {n + 1}")
    sheet = book.add_worksheet("Data")
    for r, row in enumerate(rows):
        for c, cell in enumerate(row):
            if r and PLAIN_NUMBER.fullmatch(cell):
                sheet.write_number(r, c, float(cell))
            elif cell:
                sheet.write_string(r, c, cell)
    book.close()
    return rows


def key(row: tuple[object, ...]) -> tuple[object, ...]:
    return (*row[:10], *row[11:])  # all but the source, which names the file


@pytest.mark.parametrize(
    ("name", "encoding"),
    [("wits_long_world_partners_2018.csv", "utf-8"), ("comtradeplus_api_CHN_USA_8542_nodesc.csv", "utf-8")],
)
def test_a_real_download_as_a_workbook_gives_the_same_observations(
    tmp_path: Path, name: str, encoding: str
) -> None:
    book = tmp_path / (Path(name).stem + ".xlsx")
    rows = as_workbook(REAL / name, book, encoding, sheets_before=1)
    options = importers.Options(commodity="8542") if "8542" in name else None
    from_csv = importers.read(REAL / name, options)
    from_book = importers.read(book, options)
    assert [key(r) for r in from_book.rows] == [key(r) for r in from_csv.rows]
    assert from_book.lines == from_csv.lines == len(rows) - 1
    assert from_book.skipped == from_csv.skipped  # the same lines left out, by the same line numbers
    assert from_book.dialect == "a workbook, sheet 'Data' (the first with data, of 2), read as CSV"
    header = rows[0]
    if "wits" in name:  # three values against the raw file
        value = header.index("Export (US$ Thousand)")
        got = {(r[2], r[4]): r[6] for r in from_book.rows}
        for partner, code in (("Italy", "ITA"), ("Kazakhstan", "KAZ"), ("China", "CHN")):
            raw = next(r for r in rows if r[1] == partner)
            assert got[(code, 2018)] == float(raw[value])


def test_a_damaged_or_empty_workbook_or_a_zip_of_something_else_is_one_error(tmp_path: Path) -> None:
    good = tmp_path / "good.xlsx"
    as_workbook(REAL / "wits_long_world_partners_2018.csv", good, "utf-8")
    cut = tmp_path / "cut.xlsx"
    cut.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    with pytest.raises(DataError, match=r"cut\.xlsx: (not a readable workbook|a damaged ZIP archive)"):
        importers.read(cut)
    empty = tmp_path / "empty.xlsx"
    import xlsxwriter

    book = xlsxwriter.Workbook(str(empty))
    book.add_worksheet("Nothing")
    book.close()
    with pytest.raises(DataError, match="a workbook with no data in any of its 1 sheets"):
        importers.read(empty)
    with pytest.raises(InputError, match="--encoding is for text files"):
        importers.read(good, importers.Options(encoding="cp1252"))  # never ignored in silence
    archive = tmp_path / "bulk.zip"
    with zipfile.ZipFile(archive, "w") as handle:
        handle.writestr("comtrade.csv", "a,b\n1,2\n")
    with pytest.raises(DataError, match=r"a ZIP archive, not a workbook: unpack it .* \(comtrade\.csv\)"):
        importers.read(archive)
