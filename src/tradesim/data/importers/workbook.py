"""A spreadsheet as the portals also hand it out (Excel ``.xlsx``, ``.xls``, ``.xlsb``; OpenDocument ``.ods``) →
the CSV text of its sheets, which the CSV readers then read as they read a download.

Read by python-calamine (the Rust calamine library: six times faster than openpyxl on a 100,000-row sheet,
the same values; README "Dependencies"), imported only for a workbook. The first sheet that holds anything is
read; the summary names it and says how many others were left aside. A cell becomes the text a CSV download
would hold (the first sheet that holds anything is what a one-table layout reads; every such sheet is
kept, by name, for a layout that spans them: IMF DOTS): an integral number its digits (Excel keeps every number as a double: ``2023.0`` is ``2023``), any
other number the shortest text that reads back as the same float, a date its ISO form, a boolean ``True`` or
``False``, an empty cell nothing. Line 1 is the sheet's first row that holds anything (the header), and each
row after it one line (a cell holding a line break is quoted, and its row ends a line later); empty rows
after the last data row are not lines. The sheet is held in memory as text (the whole import of a
100,000-row, 10-column sheet peaks at 120 MB; `/usr/bin/time tradesim data import`).
"""

from __future__ import annotations

import csv
import datetime
import io
import math
from collections.abc import Iterable, Sequence
from pathlib import Path

from tradesim.errors import DataError, Problem

ZIP = b"PK\x03\x04"  # .xlsx, .xlsb, .ods are zip archives
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls (BIFF) is an OLE compound file


def is_workbook(head: bytes) -> bool:
    return head.startswith((ZIP, OLE))


def to_csv(path: Path) -> tuple[bytes, str, tuple[tuple[str, bytes], ...]]:
    """The sheet's rows as UTF-8 CSV text (CRLF line ends: a cell holding a carriage return is quoted too),
    what was read (``sheet 'Data' (the first with data, of 2)``), and every sheet that holds anything, by name
    (a layout that spans sheets, IMF DOTS's exports and imports, reads them all)."""
    import zipfile

    with path.open("rb") as handle:
        zipped = handle.read(4) == ZIP
    if zipped:
        try:
            with zipfile.ZipFile(path) as archive:
                names = archive.namelist()
        except (zipfile.BadZipFile, OSError, ValueError) as exc:
            raise DataError([Problem(f"a damaged ZIP archive ({exc})", path)]) from None
        if not any(n in names for n in ("[Content_Types].xml", "mimetype")):
            shown = ", ".join(names[:3]) + (", …" if len(names) > 3 else "")
            raise DataError(
                [
                    Problem(
                        f"a ZIP archive, not a workbook: unpack it and import the file inside ({shown})", path
                    )
                ]
            )
        _bounded(path, names)
    from python_calamine import CalamineWorkbook

    found: list[tuple[str, bytes]] = []
    try:
        book = CalamineWorkbook.from_path(str(path))
        sheets = list(book.sheet_names)
        for name in sheets:
            sheet = book.get_sheet_by_name(name)
            if sheet.height and sheet.width:
                text, lines = _text(sheet.iter_rows())
                if lines:
                    found.append((name, text))
    except BaseException as exc:  # calamine's errors, and a Rust panic on a damaged file (not an Exception)
        if isinstance(exc, (KeyboardInterrupt, SystemExit, MemoryError)):
            raise
        raise DataError(
            [Problem(f"not a readable workbook ({exc.__class__.__name__}: {exc})", path)]
        ) from None
    if not found:
        raise DataError([Problem(f"a workbook with no data in any of its {len(sheets)} sheets", path)])
    name, text = found[0]
    where = f"sheet {name!r}" + (f" (the first with data, of {len(sheets)})" if len(sheets) > 1 else "")
    return text, where, tuple(found)


MAX_CELLS = 50_000_000  # a sheet's span, rows × columns: a trade table of a million rows has 20 columns
MAX_SHEET_BYTES = 2_000_000_000  # a worksheet's XML, uncompressed: a zip bomb stops here


def _bounded(path: Path, names: Sequence[str]) -> None:
    """Refuse an .xlsx whose sheets span more cells than :data:`MAX_CELLS` (its ``<dimension>`` or its cells'
    own references, read from the XML before calamine, which allocates the whole span and aborts the process
    on ``A1:XFD1048576``: 17 billion cells)."""
    import re
    import zipfile

    reference = re.compile(
        rb'<(?:\w+:)?(?:c|dimension)\b[^>]*?\b(?:r|ref)="(?:[A-Z]+\d+:)?([A-Z]{1,3})(\d{1,7})"'
    )
    sheets = [n for n in names if n.startswith("xl/worksheets/") and n.endswith(".xml")]
    with zipfile.ZipFile(path) as archive:
        for name in sheets:
            rows = columns = 0
            seen = 0
            tail = b""
            with archive.open(name) as stream:
                while chunk := stream.read(1 << 20):
                    seen += len(chunk)
                    if seen > MAX_SHEET_BYTES:
                        raise DataError(
                            [
                                Problem(
                                    f"{name} holds over {MAX_SHEET_BYTES / 1e9:g} GB of XML: not a trade table",
                                    path,
                                )
                            ]
                        )
                    block = tail + chunk
                    for letters, digits in reference.findall(block):
                        column = 0
                        for letter in letters:
                            column = column * 26 + letter - 64
                        rows, columns = max(rows, int(digits)), max(columns, column)
                    tail = block[-256:]
            if rows * columns > MAX_CELLS:
                raise DataError(
                    [
                        Problem(
                            f"{name} spans {rows:,} rows × {columns:,} columns ({rows * columns:,} cells); a trade "
                            f"table has far fewer (at most {MAX_CELLS:,}): cut the sheet to its data and save it again",
                            path,
                        )
                    ]
                )


def _text(rows: Iterable[Sequence[object]]) -> tuple[bytes, int]:
    """The rows as CSV, and how many lines (trailing empty rows left out; each row cut to the header's width
    where the cells beyond it are empty, as the sheet's used range pads them)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    width = -1
    empty = 0  # empty rows not yet written: only written when a data row follows
    lines = 0
    for row in rows:
        cells = [_cell(v) for v in row]
        if width < 0:
            width = max((i + 1 for i, v in enumerate(cells) if v), default=0)
            if not width:
                continue  # empty rows above the header are not part of the table
        while len(cells) > width and not cells[-1]:
            cells.pop()
        if not any(cells):
            empty += 1
            continue
        for _ in range(empty):
            writer.writerow([])
        lines += empty + 1
        empty = 0
        writer.writerow(cells)
    return out.getvalue().encode("utf-8"), lines


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "True" if value else "False"
    if isinstance(value, float):
        if math.isfinite(value) and value.is_integer():
            return str(int(value))
        return repr(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, datetime.datetime) and value.time() == datetime.time():
        return value.date().isoformat()  # a date cell: no midnight
    return str(value)  # text; a date, time or duration in its ISO form
