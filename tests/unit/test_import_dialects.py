"""Generated observations written in every dialect a download comes in, and in each layout, read back the
same: quoting, a trailing delimiter, CRLF or LF, a BOM, UTF-8, UTF-16 or cp1252, `,` `;` or tab, gzip, and a
decimal comma with its flag."""

from __future__ import annotations

import csv
import gzip
import io
import json
from pathlib import Path
from tempfile import TemporaryDirectory

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tradesim.data import importers
from tradesim.data.importers import Options, comtrade
from tradesim.errors import DataError

COUNTRIES = [("398", "KAZ", "Kazakhstan"), ("381", "ITA", "Italy"), ("384", "CIV", "Côte d'Ivoire"),
             ("842", "USA", "USA"), ("0", "W00", "World")]  # fmt: skip
FLOWS = {"X": "export", "M": "import"}

figures = st.dictionaries(
    st.tuples(st.sampled_from(COUNTRIES[:4]), st.sampled_from(COUNTRIES), st.sampled_from(list(FLOWS)),
              st.integers(1990, 2030)),
    st.integers(0, 10**13).map(lambda cents: cents / 100),
    min_size=1,
    max_size=12,
)  # fmt: skip
dialects = st.fixed_dictionaries(
    {
        "delimiter": st.sampled_from([",", ";", "\t"]),
        "quoting": st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL, csv.QUOTE_NONNUMERIC]),
        "trailing": st.booleans(),
        "newline": st.sampled_from(["\n", "\r\n"]),
        "encoding": st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252"]),
        "gzip": st.booleans(),
    }
)


def write(path: Path, header: list[str], rows: list[list[object]], d: dict[str, object]) -> Path:
    out = io.StringIO()
    writer = csv.writer(
        out, delimiter=str(d["delimiter"]), quoting=d["quoting"], lineterminator=str(d["newline"])
    )  # type: ignore[arg-type]
    csv.writer(out, delimiter=str(d["delimiter"]), lineterminator=str(d["newline"])).writerow(header)
    for row in rows:
        writer.writerow([*row, ""] if d["trailing"] else row)
    data = out.getvalue().encode(str(d["encoding"]))
    if d["gzip"]:
        path = path.with_suffix(".csv.gz")
        data = gzip.compress(data)
    path.write_bytes(data)
    return path


def comtrade_row(
    reporter: tuple[str, str, str], partner: tuple[str, str, str], flow: str, year: int, value: float
) -> list[object]:
    fields: dict[str, object] = dict.fromkeys(comtrade.LAYOUT, "")
    fields.update(
        typeCode="C", freqCode="A", refYear=year, refMonth=52, period=year, reporterCode=reporter[0],
        reporterISO=reporter[1], reporterDesc=reporter[2], flowCode=flow, partnerCode=partner[0],
        partnerISO=partner[1], partnerDesc=partner[2], partner2Code=0, cmdCode="TOTAL",
        cmdDesc="All Commodities, total", customsCode="C00", motCode=0, mosCode=0, primaryValue=value,
    )  # fmt: skip
    return [fields[name] for name in comtrade.LAYOUT]


@settings(max_examples=60, deadline=None)
@given(figures, dialects, st.booleans())
def test_comtrade_plus_in_any_dialect(
    found: dict[tuple[object, ...], float], dialect: dict[str, object], codes_only: bool
) -> None:
    with TemporaryDirectory() as folder:
        rows = []
        for (reporter, partner, flow, year), value in found.items():
            if codes_only:  # the API output: ISO columns empty
                rows.append(comtrade_row((reporter[0], "", ""), (partner[0], "", ""), flow, year, value))
            else:
                rows.append(comtrade_row(reporter, partner, flow, year, value))
        path = write(Path(folder) / "ct.csv", list(comtrade.LAYOUT), rows, dialect)
        imported = importers.read(path)
    expected = {
        (r[1], "WLD" if p[1] == "W00" else p[1], FLOWS[f], y, "FY"): v for (r, p, f, y), v in found.items()
    }
    got = {(r[1], r[2], r[3], r[4], r[5]): r[6] for r in imported.rows if r[8] == "reported"}
    assert got == expected
    assert imported.lines == len(found)


@settings(max_examples=40, deadline=None)
@given(figures, dialects, st.sampled_from([".", ","]))
def test_wits_wide_in_any_dialect_and_decimal_mark(
    found: dict[tuple[object, ...], float], dialect: dict[str, object], decimal: str
) -> None:
    years = sorted({key[3] for key in found})
    series: dict[tuple[str, str, str], dict[int, float]] = {}
    for (reporter, partner, flow, year), value in found.items():
        series.setdefault((reporter[2], partner[2], FLOWS[flow].title()), {})[year] = value
    header = ["Reporter Name", "Partner Name", "Trade Flow", "Product Group", "Indicator", *map(str, years)]
    rows = []
    for (reporter, partner, flow), by_year in series.items():
        cells = [f"{by_year[y]:.2f}".replace(".", decimal) if y in by_year else "" for y in years]
        rows.append([reporter, partner, flow, "All Products", f"{flow} (US$ Thousand)", *cells])
    if decimal == "," and dialect["delimiter"] == ",":
        dialect = {**dialect, "quoting": csv.QUOTE_ALL}
    with TemporaryDirectory() as folder:
        path = write(Path(folder) / "wits.csv", header, rows, dialect)
        imported = importers.read(path, Options(decimal=decimal))
    by_name = {c[2]: ("WLD" if c[1] == "W00" else c[1]) for c in COUNTRIES}
    expected = {(r[1], by_name[p[2]], FLOWS[f], y, "FY"): round(v, 2) for (r, p, f, y), v in found.items()}
    got = {(r[1], r[2], r[3], r[4], r[5]): r[6] for r in imported.rows if r[8] == "reported"}
    assert got == pytest.approx(expected)
    assert {r[7] for r in imported.rows} == {"USD_th"}


def test_a_decimal_comma_table_imports_right_or_names_the_cell(tmp_path: Path) -> None:
    table = tmp_path / "kaz.csv"
    table.write_text("Flow;2022;2023;2024\nExports;3,6;2,80;1.234,5\n", encoding="utf-8")
    imported = importers.read(table, Options(format="wide", reporter="KAZ", partner="ITA", unit="USD_bn"))
    assert {r[4]: r[6] for r in imported.rows} == {2022: 3.6, 2023: 2.8, 2024: 1234.5}
    ambiguous = tmp_path / "ambiguous.csv"
    ambiguous.write_text("Flow;2022\nExports;1,234\n", encoding="utf-8")
    with pytest.raises(DataError, match="'1,234' could be a thousands separator or a decimal mark"):
        importers.read(ambiguous, Options(format="wide", reporter="KAZ", partner="ITA", unit="USD_bn"))
    assert (
        importers.read(
            ambiguous, Options(format="wide", reporter="KAZ", partner="ITA", unit="USD_bn", decimal=",")
        ).rows[0][6]
        == 1.234
    )
    mixed = tmp_path / "mixed.csv"
    mixed.write_text('Flow,2022,2023\nExports,"3,6",4.25\n', encoding="utf-8")
    with pytest.raises(DataError, match="mixes decimal points"):
        importers.read(mixed, Options(format="wide", reporter="KAZ", partner="ITA", unit="USD_bn"))


def test_comtrade_api_json_services_and_taiwan(tmp_path: Path) -> None:
    def record(**fields: object) -> dict[str, object]:
        base = {"typeCode": "C", "freqCode": "A", "refYear": 2023, "refMonth": 52, "reporterCode": 398,
                "reporterISO": None, "flowCode": "X", "partnerCode": 381, "partnerISO": None, "partner2Code": 0,
                "cmdCode": "TOTAL", "customsCode": "C00", "motCode": 0, "mosCode": "0", "primaryValue": 1.5e10}  # fmt: skip
        return base | fields

    path = tmp_path / "api.json"
    path.write_text(
        json.dumps({"elapsedTime": "0.1 secs", "count": 4, "data": [
            record(),
            record(flowCode="M", primaryValue=1.2e9),
            record(typeCode="S", cmdCode="200", primaryValue=3e8),  # services: their own kind
            record(partnerCode=490, primaryValue=2e7),  # Other Asia, nes: Taiwan
        ], "error": ""}),
        encoding="utf-8",
    )  # fmt: skip
    imported = importers.read(path)
    assert imported.layout == "UN Comtrade+ API JSON"
    got = {(r[0], r[1], r[2], r[3]): r[6] for r in imported.rows}
    assert got == {
        ("trade", "KAZ", "ITA", "export"): 1.5e10,
        ("trade", "KAZ", "ITA", "import"): 1.2e9,
        ("trade", "KAZ", "ITA", "total"): 1.5e10 + 1.2e9,  # goods only: the services are never added
        ("services", "KAZ", "ITA", "export"): 3e8,
        ("trade", "KAZ", "TWN", "export"): 2e7,
    }


def test_a_file_of_no_known_layout_says_what_it_tried_and_saw(tmp_path: Path) -> None:
    path = tmp_path / "odd.csv"
    path.write_text("Country,Value\nKAZ,1\n", encoding="utf-8")
    with pytest.raises(DataError) as caught:
        importers.read(path)
    message = str(caught.value)
    assert "not a layout tradesim knows (tried: UN Comtrade+ CSV" in message
    assert "its header begins 'Country', 'Value'" in message


def test_a_quoted_line_break_in_a_data_folder_note_is_kept(tmp_path: Path) -> None:
    from tradesim.data import folders

    path = tmp_path / "kaz.csv"
    path.write_text(
        "kind,reporter,partner,flow,year,period,value,unit,status,reported_by,source,url,note\n"
        'trade,KAZ,ITA,total,2023,FY,16.1,USD_bn,reported,KAZ,QazTrade,https://x,"line one\nline two"\n'
        "trade,KAZ,ITA,total,2024,FY,x,USD_bn,reported,KAZ,QazTrade,https://x,\n",
        encoding="utf-8",
    )
    rows, problems = folders.read(path)
    assert [r.note for r in rows] == ["line one\nline two"]
    assert [str(p) for p in problems] == [f"{path}:4: value: must be a number, got 'x'"]  # the file's line 4
