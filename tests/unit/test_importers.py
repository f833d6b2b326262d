"""Importers against small files whose every figure is written out here, so results can be checked by hand."""

from __future__ import annotations

import csv
import gzip
import io
import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tradesim.data import importers
from tradesim.data.importers import Options, comtrade, to_csv
from tradesim.data.importers.imported import NO_VALUE, Row
from tradesim.errors import DataError, InputError

HEADER = ",".join(comtrade.LAYOUT)
# Comtrade's numeric code beside each ISO code, as its files write them (the reader goes by the number first)
NUMBERS = {
    "KAZ": 398,
    "DEU": 276,
    "ITA": 380,
    "FRA": 251,
    "CHN": 156,
    "ESP": 724,
    "W00": 0,
    "_X": 899,
    "USA": 842,
}


def read(path: Path, **options: object) -> importers.Imported:
    return importers.read(path, Options(**options))  # type: ignore[arg-type]


def line(
    reporter: str = "KAZ",
    partner: str = "DEU",
    flow: str = "X",
    value: float = 1e9,
    *,
    year: int = 2023,
    freq: str = "A",
    month: int = 52,
    cmd: str = "TOTAL",
    partner2: str = "0",
    desc: str = "Germany",
) -> str:
    return (
        f"C,{freq},{year}0101,{year},{month},{year},{NUMBERS[reporter]},{reporter},Kazakhstan,{flow},Flow,"
        f"{NUMBERS[partner]},{partner},{desc},"
        f"{partner2},W00,World,H6,HS,True,{cmd},All Commodities,0,False,C00,TOTAL CPC,0,0,TOTAL MOT,-1,N/A,0,"
        f"False,-1,N/A,0,False,0,False,0,False,{value},{value},{value},0,True,True"
    )


def write(tmp_path: Path, *lines: str, name: str = "ct.csv") -> Path:
    path = tmp_path / name
    path.write_text("\n".join([HEADER, *lines]) + "\n", encoding="utf-8")
    return path


def by_key(rows: list[Row]) -> dict[tuple[str, str, str, int, str], Row]:
    return {(r[1], r[2], r[3], r[4], r[5]): r for r in rows}


def test_annual_flows_derived_total_and_what_is_left_out(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        line(flow="X", value=3.3e9),
        line(flow="M", value=0.9e9),
        line(flow="RX", value=0.2e9),  # kept apart
        line(flow="DX", value=3.0e9),  # domestic exports: counted, skipped
        line(flow="X", value=9e9, partner2="380"),  # a breakdown by second partner: would count twice
        line(flow="X", value=7e9, cmd="27"),  # a chapter, not the total
        line(partner="W00", flow="X", value=60e9, desc="World"),
        line(partner="W00", flow="M", value=40e9, desc="World"),
        line(partner="_X", flow="X", value=1e6, desc='"Areas, nes"'),  # quoted field with a comma
        line(reporter="CHN", partner="KAZ", flow="M", value=3.1e9),  # another reporter
    )
    imported = read(path, reporter="KAZ")
    found = by_key(imported.rows)
    assert set(found) == {
        ("KAZ", "DEU", "export", 2023, "FY"),
        ("KAZ", "DEU", "import", 2023, "FY"),
        ("KAZ", "DEU", "re-export", 2023, "FY"),
        ("KAZ", "DEU", "total", 2023, "FY"),
        ("KAZ", "WLD", "export", 2023, "FY"),
        ("KAZ", "WLD", "import", 2023, "FY"),
        ("KAZ", "WLD", "total", 2023, "FY"),
        ("KAZ", "NES", "export", 2023, "FY"),  # "Areas, nes" (_X): kept as its own aggregate
    }
    total = found[("KAZ", "DEU", "total", 2023, "FY")]
    assert total[6] == 3.3e9 + 0.9e9  # export + import; the re-export is not added
    assert (total[8], total[9]) == ("derived", "KAZ")
    assert found[("KAZ", "DEU", "export", 2023, "FY")][6:10] == (3.3e9, "USD", "reported", "KAZ")
    assert found[("KAZ", "WLD", "total", 2023, "FY")][6] == 100e9
    assert found[("KAZ", "NES", "export", 2023, "FY")][6] == 1e6  # "Areas, nes": kept as its own aggregate
    assert imported.lines == 10  # lines 2–11
    assert imported.skipped.lines() == [
        "1 line: flow 'DX' (not exports, imports, re-exports or re-imports) (line 5)"
    ]
    assert imported.breakdowns.lines() == [
        "1 line: a partner2 breakdown (partner2Code not 0, the world) (line 6)"
    ]
    assert imported.asked.lines() == [
        "1 line: another commodity than TOTAL (--commodity) (line 7)",
        "1 line: another reporter than KAZ (--reporter) (line 11)",
    ]
    chapter = read(path, reporter="KAZ", commodity="27").rows
    assert [(r[3], r[6]) for r in chapter] == [("export", 7e9)]
    mirror = read(path, partner="KAZ").rows
    assert [(r[1], r[2], r[9], r[6]) for r in mirror] == [("CHN", "KAZ", "CHN", 3.1e9)]  # a mirror stays one


def test_monthly_figures_and_their_cumulation(tmp_path: Path) -> None:
    months = [line(freq="M", month=m, year=2024, value=m * 1e8) for m in (1, 2, 3, 5)]
    path = write(tmp_path, *months)
    rows = read(path, cumulate=True).rows
    found = by_key(rows)
    assert found[("KAZ", "DEU", "export", 2024, "mar")][6] == 3e8
    assert found[("KAZ", "DEU", "export", 2024, "jan-feb")][6] == pytest.approx(3e8)
    assert found[("KAZ", "DEU", "export", 2024, "jan-mar")][6] == pytest.approx(6e8)
    assert ("KAZ", "DEU", "export", 2024, "jan-may") not in found  # April is missing: no sum through May
    plain = read(path).rows
    assert {r[5] for r in plain} == {"jan", "feb", "mar", "may"}


def test_gzip_gives_the_same_rows(tmp_path: Path) -> None:
    lines = [
        line(partner=p, flow=f, value=v)
        for p in ("DEU", "ITA", "FRA", "W00")
        for f, v in (("X", 2e9), ("M", 1e9))
    ]
    path = write(tmp_path, *lines * 1)
    packed = tmp_path / "ct.csv.gz"
    with path.open("rb") as source, gzip.open(packed, "wb") as target:
        shutil.copyfileobj(source, target)
    single = read(path).rows
    unpacked = [(*r[:10], r[10].replace("ct.csv.gz", "ct.csv"), *r[11:]) for r in read(packed).rows]
    assert sorted(unpacked) == sorted(single)
    assert len(single) == 12  # 4 partners × (export, import, total)


def test_the_prefilter_gives_what_parsing_every_line_gives(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A large file is read through the prefilter (records holding the wanted code); it must keep exactly the
    rows that parsing every record keeps, quoted fields with line breaks and an identical repeat included."""
    months = [
        line(freq="M", month=m, year=2024, flow=f, value=m * 1e8) for m in range(1, 13) for f in ("X", "M")
    ]
    annual = [line(partner=p, flow=f, value=v) for p in ("ITA", "FRA") for f, v in (("X", 2e9), ("M", 1e9))]
    others = [line(reporter="CHN", partner="KAZ", flow="M", value=5e8), line(cmd="27", value=3e8)]
    broken = line(partner="DEU", flow="RX", value=4e8).replace(",Germany,", ',"Germany,\nFed. Rep.",')
    odd = line(partner="FRA", flow="RM", value=6e8).replace(
        ",Germany,", ",Ger\x0bmany\u2028\x85,"
    )  # not breaks
    path = write(tmp_path, annual[0], *months, broken, odd, *others, *annual[1:], annual[0])
    for options in ({}, {"reporter": "KAZ"}, {"partner": "ITA"}, {"cumulate": True, "reporter": "KAZ"}):
        expected = read(path, **options)
        monkeypatch.setattr(comtrade, "PREFILTER_BYTES", 0)
        monkeypatch.setattr(importers.text, "BLOCK", 300)  # many blocks, a record across two
        got = read(path, **options)
        monkeypatch.undo()
        assert got.rows == expected.rows, options
        assert got.lines == expected.lines
        assert got.skipped == expected.skipped
        assert got.asked.count == expected.asked.count
    packed = tmp_path / "ct.csv.gz"  # inflated in a thread, blocks ahead of the scan
    packed.write_bytes(gzip.compress(path.read_bytes()))
    monkeypatch.setattr(comtrade, "PREFILTER_BYTES", 0)
    monkeypatch.setattr(importers.text, "BLOCK", 300)
    assert [r[:10] for r in read(packed, reporter="KAZ").rows] == [
        r[:10] for r in read(path, reporter="KAZ").rows
    ]
    data = packed.read_bytes()
    middle = len(data) // 2
    damaged = tmp_path / "damaged.csv.gz"
    damaged.write_bytes(
        data[:middle] + bytes(b ^ 0xFF for b in data[middle : middle + 16]) + data[middle + 16 :]
    )
    with pytest.raises(DataError, match="cannot read the file"):
        read(damaged, reporter="KAZ")
    monkeypatch.undo()
    kept = by_key(read(path, reporter="KAZ").rows)
    assert kept[("KAZ", "DEU", "re-export", 2023, "FY")][6] == 4e8  # the record with a line break in a field
    assert kept[("KAZ", "FRA", "re-import", 2023, "FY")][6] == 6e8  # separators that are no CSV line break


def test_bad_lines_name_their_line_number(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        line(flow="X", value=2e9),
        line(flow="M", value=1e9),
        "C,A,20230101,2023,52,2023,398,KAZ,TOTAL,too,few",  # could match (holds ,TOTAL,): checked
        line(flow="X", value=2e9),  # the same figure again: counted once
        line(flow="X", value=2.5e9),  # a different figure for the same key
    )
    with pytest.raises(DataError) as caught:
        read(path)
    assert [str(p) for p in caught.value.problems] == [
        f"{path}:4: 11 fields, the header has 47",
        f"{path}:6: KAZ–DEU export 2023 FY twice with different values: line 2 has 2e+09 USD, this line 2.5e+09 USD",
    ]
    other = tmp_path / "other.csv"
    other.write_text(HEADER.replace("cmdCode", "commodity") + "\n")
    with pytest.raises(DataError, match="needs a column cmdCode"):
        read(other)


def test_the_csv_has_the_data_folders_columns(tmp_path: Path) -> None:
    rows = read(write(tmp_path, line(flow="X", value=0.1 + 0.2))).rows
    text = to_csv(rows)
    assert text.splitlines()[0] == (
        "kind,reporter,partner,flow,year,period,value,unit,status,reported_by,source,url,note,published,"
        "classification,commodity"
    )
    assert "0.30000000000000004" in text  # full precision
    assert text.splitlines()[1].endswith(",TOTAL,TOTAL")  # all goods, said


def test_notes_and_names_with_commas_and_quotes_stay_one_field(tmp_path: Path) -> None:
    months = [
        line(freq="M", month=m, year=2024, flow=f, value=m * 1e8 + 0.1, cmd="27")
        for m in (1, 2, 3)
        for f in ("X", "M")
    ]
    path = write(tmp_path, *months, line(flow="X", value=1 / 3, cmd="27"), name='kaz, "raw".csv')
    imported = read(path, commodity="27", cumulate=True)
    rows = imported.rows
    assert len(imported) == 1 + 6 + 4 + 5  # FY export; 6 months; 2 sums × 2 flows; 5 totals
    assert {len(row) for row in csv.reader(io.StringIO(imported.csv_text()))} == {16}
    assert {(r[14], r[15]) for r in rows} == {("H6", "27")}  # as the file says: HS 2022, chapter 27
    assert by_key(rows)[("KAZ", "DEU", "total", 2024, "jan-mar")][6] == pytest.approx(2 * (6e8 + 0.3))
    with pytest.raises(InputError, match="commodity"):
        read(path, commodity='27,"x"')


def test_wide_tables(tmp_path: Path) -> None:
    table = tmp_path / "kaz.csv"
    table.write_text(
        "Partner,Indicator,2022,2023 [YR2023],2024\n"
        'ITA,Export,"13,500.5",..,16 000\n'
        "Germany,Export,1000,1100,\n"
        "World,Export,84000,78000,-\n",
        encoding="utf-8",
    )
    rows = read(
        table,
        format="wide",
        reporter="KAZ",
        flow="export",
        unit="USD_mn",
        source="BNS",
        url="https://stat.gov.kz",
    ).rows
    values = {(r[2], r[4]): r[6] for r in rows}
    assert values == {
        ("ITA", 2022): 13500.5,
        ("ITA", 2024): 16000.0,
        ("DEU", 2022): 1000.0,
        ("DEU", 2023): 1100.0,
        ("WLD", 2022): 84000.0,
        ("WLD", 2023): 78000.0,
    }
    assert {(r[3], r[5], r[7], r[8], r[9], r[10]) for r in rows} == {
        ("export", "FY", "USD_mn", "reported", "KAZ", "BNS")
    }
    with pytest.raises(InputError, match="states no unit"):
        read(table, format="wide", reporter="KAZ", flow="export")  # no silent default unit
    flows = tmp_path / "flows.csv"
    flows.write_text("Flow,2023\nExports,13.3\nImports,1.2\nTurnover,14.5\nSomething,1\n", encoding="utf-8")
    imported = read(flows, format="wide", reporter="KAZ", partner="ITA", unit="USD_bn")
    assert imported.skipped.lines() == [
        "1 line: Flow 'Something': not a flow (export, import, total) (line 5)"
    ]
    assert {r[3]: r[6] for r in imported.rows} == {"export": 13.3, "import": 1.2, "total": 14.5}
    with pytest.raises(InputError, match="--reporter"):
        read(flows, format="wide", partner="ITA", unit="USD_bn")


def test_comtrades_own_code_decides_where_its_iso_column_misleads(tmp_path: Path) -> None:
    """Comtrade's reference gives its code 492, "Europe EU, nes", Monaco's ISO code MCO (it counts Monaco with
    France, 251): the partner is the unspecified EU aggregate, never Monaco. Former countries and the other
    "nes" codes are their own aggregates."""
    eu = line(partner="DEU", value=4e8).replace(",276,DEU,Germany,", ',492,MCO,"Europe EU, nes",')
    west = line(partner="DEU", value=5e8).replace(
        ",276,DEU,Germany,", ",280,DEU,Fed. Rep. of Germany (...1990),"
    )
    path = write(tmp_path, line(partner="DEU", value=3e8), eu, west)
    got = {r[2]: r[6] for r in read(path).rows if r[3] == "export"}
    assert got == {"DEU": 3e8, "NES_EU": 4e8, "DEU_FMR": 5e8}


def test_a_table_line_without_a_figure_is_counted(tmp_path: Path) -> None:
    """A line every cell of which is empty or a missing-value mark gives no observation and is said so; with
    --year, a line whose figures are all of other years is left out as asked. Never dropped in silence."""
    table = tmp_path / "kaz.csv"
    table.write_text(
        "Partner,2022,2023\nITA,1.5,2.5\nFRA,..,-\nDEU,3.5,\n", encoding="utf-8"
    )  # fmt: skip
    imported = read(table, format="wide", reporter="KAZ", flow="export", unit="USD_bn")
    assert {(r[2], r[4]): r[6] for r in imported.rows} == {
        ("ITA", 2022): 1.5,
        ("ITA", 2023): 2.5,
        ("DEU", 2022): 3.5,
    }
    assert imported.skipped.lines() == [f"1 line: {NO_VALUE} (line 3)"]
    in_2023 = read(table, format="wide", reporter="KAZ", flow="export", unit="USD_bn", year=2023)
    assert [(r[2], r[6]) for r in in_2023.rows] == [("ITA", 2.5)]
    assert in_2023.asked.lines() == ["1 line: another year than 2023 (--year) (line 4)"]
    assert in_2023.skipped.lines() == [f"1 line: {NO_VALUE} (line 3)"]
    long = tmp_path / "wits_long.csv"
    long.write_text(
        "Reporter Name,Partner Name,Year,Trade Flow,Export (US$ Thousand),Import (US$ Thousand)\n"
        "Kazakhstan,Italy,2021,Export,10,20\nKazakhstan,Italy,2022,Export,11,21\nKazakhstan,France,2022,Export,,\n",
        encoding="utf-8",
    )
    found = read(long, year=2022)
    assert sorted((r[2], r[3], r[6]) for r in found.rows if r[8] == "reported") == [
        ("ITA", "export", 11.0), ("ITA", "import", 21.0)
    ]  # fmt: skip
    assert found.asked.lines() == ["1 line: another year than 2022 (--year) (line 2)"]
    assert found.skipped.lines() == [f"1 line: {NO_VALUE} (line 4)"]
    assert found.lines == 3  # one line kept (two figures), one left out as asked, one skipped


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["trade", "services"]),
            st.text(max_size=12),
            st.floats(allow_nan=False, allow_infinity=False),
            st.text(max_size=30),
            st.text(max_size=30),
            st.text(max_size=30),
        ),
        max_size=20,
    )
)
def test_the_csv_text_reads_back_as_the_rows(found: list[tuple[str, str, float, str, str, str]]) -> None:
    """Whatever the texts hold (commas, quotes, line breaks, a lone carriage return, which the csv module
    itself leaves unquoted), the CSV an import writes reads back, with the csv module, as the same rows."""
    rows: list[Row] = [
        (
            kind,
            code,
            "WLD",
            "export",
            2023,
            "FY",
            value,
            "USD",
            "reported",
            "KAZ",
            source,
            url,
            note,
            "",
            "TOTAL",
            "TOTAL",
            "",
        )
        for kind, code, value, source, url, note in found
    ]
    text = importers.Imported(Path(), "", "", rows).csv_text()
    header, *back = csv.reader(io.StringIO(text, newline=""))
    assert header == [
        "kind",
        "reporter",
        "partner",
        "flow",
        "year",
        "period",
        "value",
        "unit",
        "status",
        "reported_by",
        "source",
        "url",
        "note",
        "published",
        "classification",
        "commodity",
    ]  # no retrieved column: no row was fetched
    assert back == [[str(v) if not isinstance(v, float) else repr(v) for v in row[:16]] for row in rows]
    if rows:  # a fetched row: the retrieved column, for every row
        fetched = [(*rows[0][:16], "2026-12-07T08:01:02Z"), *rows[1:]]
        header, *back = csv.reader(
            io.StringIO(importers.Imported(Path(), "", "", fetched).csv_text(), newline="")
        )
        assert header[-1] == "retrieved"
        assert [r[-1] for r in back] == ["2026-12-07T08:01:02Z"] + [""] * (len(rows) - 1)
