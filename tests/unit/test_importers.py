"""Importers against small files whose every figure is written out here, so results can be checked by hand."""

from __future__ import annotations

import csv
import gzip
import io
import shutil
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from tradesim.data.importers import comtrade, to_csv, wide
from tradesim.errors import DataError, InputError

HEADER = ",".join(comtrade.LAYOUT)


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
        f"C,{freq},{year}0101,{year},{month},{year},398,{reporter},Kazakhstan,{flow},Flow,276,{partner},{desc},"
        f"{partner2},W00,World,H6,HS,True,{cmd},All Commodities,0,False,C00,TOTAL CPC,0,0,TOTAL MOT,-1,N/A,0,"
        f"False,-1,N/A,0,False,0,False,0,False,{value},{value},{value},0,True,True"
    )


def write(tmp_path: Path, *lines: str, name: str = "ct.csv") -> Path:
    path = tmp_path / name
    path.write_text("\n".join([HEADER, *lines]) + "\n", encoding="utf-8")
    return path


def by_key(rows: list[comtrade.Row]) -> dict[tuple[str, str, str, int, str], comtrade.Row]:
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
    imported = comtrade.read(path, comtrade.Filters(reporter="KAZ"))
    rows, summary = imported.rows(), imported.summary
    found = by_key(rows)
    assert set(found) == {
        ("KAZ", "DEU", "export", 2023, "FY"),
        ("KAZ", "DEU", "import", 2023, "FY"),
        ("KAZ", "DEU", "re-export", 2023, "FY"),
        ("KAZ", "DEU", "total", 2023, "FY"),
        ("KAZ", "WLD", "export", 2023, "FY"),
        ("KAZ", "WLD", "import", 2023, "FY"),
        ("KAZ", "WLD", "total", 2023, "FY"),
    }
    total = found[("KAZ", "DEU", "total", 2023, "FY")]
    assert total[6] == 3.3e9 + 0.9e9  # export + import; the re-export is not added
    assert (total[8], total[9]) == ("derived", "KAZ")
    assert found[("KAZ", "DEU", "export", 2023, "FY")][6:10] == (3.3e9, "USD", "reported", "KAZ")
    assert found[("KAZ", "WLD", "total", 2023, "FY")][6] == 100e9
    assert summary.skipped_flows == {"DX": 1}
    assert summary.skipped_partners == {"_X": 1}
    chapter = comtrade.read(path, comtrade.Filters(reporter="KAZ", commodity="27")).rows()
    assert [(r[3], r[6]) for r in chapter] == [("export", 7e9)]
    mirror = comtrade.read(path, comtrade.Filters(partner="KAZ")).rows()
    assert [(r[1], r[2], r[9], r[6]) for r in mirror] == [("CHN", "KAZ", "CHN", 3.1e9)]  # a mirror stays one


def test_monthly_figures_and_their_cumulation(tmp_path: Path) -> None:
    months = [line(freq="M", month=m, year=2024, value=m * 1e8) for m in (1, 2, 3, 5)]
    path = write(tmp_path, *months)
    rows = comtrade.read(path, comtrade.Filters(cumulate=True)).rows()
    found = by_key(rows)
    assert found[("KAZ", "DEU", "export", 2024, "mar")][6] == 3e8
    assert found[("KAZ", "DEU", "export", 2024, "jan-feb")][6] == pytest.approx(3e8)
    assert found[("KAZ", "DEU", "export", 2024, "jan-mar")][6] == pytest.approx(6e8)
    assert ("KAZ", "DEU", "export", 2024, "jan-may") not in found  # April is missing: no sum through May
    plain = comtrade.read(path).rows()
    assert {r[5] for r in plain} == {"jan", "feb", "mar", "may"}


def test_gzip_and_parallel_reads_give_the_same_rows(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    lines = [
        line(partner=p, flow=f, value=v)
        for p in ("DEU", "ITA", "FRA", "W00")
        for f, v in (("X", 2e9), ("M", 1e9))
    ]
    path = write(tmp_path, *lines * 1)
    packed = tmp_path / "ct.csv.gz"
    with path.open("rb") as source, gzip.open(packed, "wb") as target:
        shutil.copyfileobj(source, target)
    single = comtrade.read(path, workers=1).rows()
    monkeypatch.setattr(comtrade.reading, "PARALLEL_BYTES", 0)
    parallel = comtrade.read(path, workers=3).rows()
    assert sorted(parallel) == sorted(single)
    unpacked = [
        (*r[:10], r[10].replace("ct.csv.gz", "ct.csv"), *r[11:]) for r in comtrade.read(packed).rows()
    ]
    assert sorted(unpacked) == sorted(single)
    assert len(single) == 12  # 4 partners × (export, import, total)


def test_parallel_parts_agree_when_figures_and_months_straddle_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Byte ranges cut wherever they fall: an export in one part and its import in another still make a
    total, a year's months in two parts still sum, and the same figure in two parts is one row."""
    months = [
        line(freq="M", month=m, year=2024, flow=f, value=m * 1e8) for m in range(1, 13) for f in ("X", "M")
    ]
    annual = [line(partner=p, flow=f, value=v) for p in ("ITA", "FRA") for f, v in (("X", 2e9), ("M", 1e9))]
    path = write(tmp_path, annual[0], *months, *annual[1:], annual[0])  # the first figure again, last
    monkeypatch.setattr(comtrade.reading, "PARALLEL_BYTES", 0)
    for cumulate in (True, False):
        expected = comtrade.read(path, comtrade.Filters(cumulate=cumulate), workers=1)
        assert expected.summary.repeated == 1
        for workers in (2, 3, 5, 8):
            got = comtrade.read(path, comtrade.Filters(cumulate=cumulate), workers=workers)
            assert got.lines == expected.lines, (cumulate, workers)
            assert got.summary == expected.summary
    unique = write(tmp_path, *annual, *months, name="unique.csv")  # no figure twice: nothing read again
    assert comtrade.read(unique, workers=3).lines == comtrade.read(unique, workers=1).lines
    monkeypatch.setattr(comtrade.reading.threading, "active_count", lambda: 2)  # threads: workers are spawned
    assert comtrade.read(unique, workers=2).lines == comtrade.read(unique, workers=1).lines
    summed = comtrade.read(path, comtrade.Filters(cumulate=True), workers=3)
    found = by_key(summed.rows())
    assert len(found) == len(summed)  # no row twice
    assert found[("KAZ", "DEU", "total", 2024, "jan-dec")][6] == pytest.approx(2 * 78 * 1e8)  # 2 × (1+…+12)
    assert found[("KAZ", "ITA", "total", 2023, "FY")][6] == 3e9


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
        comtrade.read(path)
    assert [str(p) for p in caught.value.problems] == [
        f"{path}:4: 11 fields, the header has 47",
        f"{path}:6: KAZ–DEU export 2023 FY twice with different values: line 2 has 2e+09, this line 2.5e+09",
    ]
    other = tmp_path / "other.csv"
    other.write_text(HEADER.replace("cmdCode", "commodity") + "\n")
    with pytest.raises(DataError, match="not a Comtrade\\+ CSV: no column cmdCode"):
        comtrade.read(other)


def test_the_csv_has_the_data_folders_columns(tmp_path: Path) -> None:
    rows = comtrade.read(write(tmp_path, line(flow="X", value=0.1 + 0.2))).rows()
    text = to_csv(rows)
    assert text.splitlines()[0] == (
        "kind,reporter,partner,flow,year,period,value,unit,status,reported_by,source,url,note,published"
    )
    assert "0.30000000000000004" in text  # full precision


def test_the_fast_csv_text_is_what_the_csv_module_writes(tmp_path: Path) -> None:
    """csv_text() formats rows itself (a bulk import writes a few hundred thousand); it must equal csv.writer's
    output, quoting included: a file name holding a comma and quotes, a chapter, monthly sums, totals."""
    months = [
        line(freq="M", month=m, year=2024, flow=f, value=m * 1e8 + 0.1, cmd="27")
        for m in (1, 2, 3)
        for f in ("X", "M")
    ]
    path = write(tmp_path, *months, line(flow="X", value=1 / 3, cmd="27"), name='kaz, "raw".csv')
    imported = comtrade.read(path, comtrade.Filters(commodity="27", cumulate=True))
    rows = imported.rows()
    assert len(imported) == len(rows) == 1 + 6 + 4 + 5  # FY export; 6 months; 2 sums × 2 flows; 5 totals
    assert imported.csv_text() == to_csv(rows)
    assert {len(row) for row in rows} == {14}  # a note with a comma is quoted, not two fields
    assert {len(row) for row in csv.reader(io.StringIO(imported.csv_text()))} == {14}
    assert by_key(rows)[("KAZ", "DEU", "total", 2024, "jan-mar")][6] == pytest.approx(2 * (6e8 + 0.3))
    with pytest.raises(InputError, match="commodity"):
        comtrade.read(path, comtrade.Filters(commodity='27,"x"'))


def test_wide_tables(tmp_path: Path) -> None:
    table = tmp_path / "kaz.csv"
    table.write_text(
        "Partner,Indicator,2022,2023 [YR2023],2024\n"
        'ITA,Export,"13,500.5",..,16 000\n'
        "Germany,Export,1000,1100,\n"
        "World,Export,84000,78000,-\n",
        encoding="utf-8",
    )
    rows = wide.read(
        table,
        reporter="KAZ",
        partner=None,
        flow="export",
        unit="USD_mn",
        source="BNS",
        url="https://stat.gov.kz",
    )
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
    flows = tmp_path / "flows.csv"
    flows.write_text("Flow,2023\nExports,13.3\nImports,1.2\nTurnover,14.5\nSomething,1\n", encoding="utf-8")
    with pytest.raises(DataError) as caught:
        wide.read(flows, reporter="KAZ", partner="ITA", flow=None, unit="USD_bn", source=None, url="")
    assert [str(p) for p in caught.value.problems] == [
        f"{flows}:5: Flow: not a flow (export, import, total): 'Something'"
    ]
    with pytest.raises(InputError, match="--reporter"):
        wide.read(flows, reporter=None, partner="ITA", flow=None, unit="USD_bn", source=None, url="")


FIELDS = {  # (good values, bad or odd ones) for each field the reader reads
    "reporter": (["KAZ", "CHN"], ["W00", "_X", "KA", "KAZZ", "kaz", ""]),
    "partner": (["ITA", "DEU", "W00"], ["WLD", "X1", "", "ITAL"]),
    "flow": (["X", "M", "RX", "RM"], ["DX", "", "XXX"]),
    "value": (["1e9", "2.5", "0", "-3", "7.25"], ["nan", "inf", "abc", "", "1_0", " 7"]),
    "year": (["2023", "2024"], [" 2023", "+2023", "20a3", "", "9", "1234567890"]),
    "freq": (["A", "M"], ["Q", ""]),
    "month": (["1", "3", "12", "52"], ["0", "13", "03", "", "x"]),
    "cmd": (["TOTAL"], ["27", "TOTALS", ""]),
    "partner2": (["0"], ["", "380"]),
}


@st.composite
def comtrade_lines(draw: st.DrawFn) -> str:
    """A line of the Comtrade layout with each read field drawn from good and bad values, sometimes quoted,
    sometimes short or ending in \\r."""
    f = {
        name: draw(st.sampled_from(good if draw(st.integers(0, 9)) < 8 else bad))
        for name, (good, bad) in FIELDS.items()
    }
    text = (
        f"C,{f['freq']},20230101,{f['year']},{f['month']},2023,398,{f['reporter']},Kazakhstan,{f['flow']},Flow,276,"
        f"{f['partner']},Germany,{f['partner2']},W00,World,H6,HS,True,{f['cmd']},All,0,False,C00,TOTAL CPC,0,0,"
        f"TOTAL MOT,-1,N/A,0,False,-1,N/A,0,False,0,False,0,False,{f['value']},{f['value']},{f['value']},0,True,True"
    )
    shape = draw(st.sampled_from(["plain"] * 8 + ["quoted", "short", "return"]))
    if shape == "quoted":
        return text.replace(",Germany,", ',"Germany, Fed. Rep.",')
    if shape == "short":
        return text.rsplit(",", 3)[0]
    return text + "\r" if shape == "return" else text


@settings(max_examples=300)
@given(
    st.lists(comtrade_lines(), min_size=1, max_size=30),
    st.sampled_from([{}, {"reporter": "KAZ"}, {"partner": "WLD"}, {"partner": "ITA"}, {"year": 2023}]),
)
@example([line(freq="M", month=0), line(freq="M", month=13), line(freq="M", month=12)], {})
@example([line(partner="W00"), line(partner="WLD"), line(partner="W00", flow="M")], {"partner": "WLD"})
@example([line(value=float("nan")), line(flow="M", value=float("inf")), line(flow="RX")], {})
@example([line(), line(), line(value=2.0)], {})  # the same figure twice, then a different one
def test_the_batch_reader_and_the_line_reader_agree(lines: list[str], chosen: dict[str, object]) -> None:
    """The array path (columns.Batch) must give exactly what reading each line on its own gives: the same
    figures, counts and problems, whatever mix of good and bad lines a batch holds."""
    layout = comtrade.Layout(
        Path("ct.csv"), {n: i for i, n in enumerate(comtrade.LAYOUT)}, len(comtrade.LAYOUT), False, 0, False
    )
    filters = comtrade.Filters(**chosen)  # type: ignore[arg-type]
    encoded = [text.encode() for text in lines]
    offsets = [1000 * i for i in range(len(lines))]
    batched = comtrade.parsing.Parser(layout, filters)
    batched.batch(offsets, encoded)
    one_by_one = comtrade.parsing.Parser(layout, filters)
    for offset, line_bytes in zip(offsets, encoded, strict=True):
        one_by_one.line(offset, line_bytes)
    assert batched.part.figures == one_by_one.part.figures
    assert batched.part.summary.rows or not one_by_one.part.summary.rows
    assert batched.part.summary == one_by_one.part.summary
    assert sorted(batched.part.problems) == sorted(one_by_one.part.problems)


def test_key_numbers_tell_every_key_apart() -> None:
    """Parts are checked for a shared figure by their keys as numbers: different keys, different numbers."""
    keys = [
        (reporter, partner, flow, year, period)
        for reporter in ("KAZ", "ZWE", "WLD")
        for partner in ("AFG", "KAZ", "WLD")
        for flow in ("export", "import", "re-export", "re-import")
        for year in (0, 2023, 2024, (1 << 30) - 1)
        for period in ("FY", "jan", "dec")
    ]
    numbers = comtrade.reading.key_numbers(dict.fromkeys(keys, (1.0, 0)))
    assert numbers is not None
    assert len(set(numbers.tolist())) == len(keys)
    assert (
        comtrade.reading.key_numbers({("KAZ", "ITA", "export", 1 << 30, "FY"): (1.0, 0)}) is None
    )  # does not fit
    assert comtrade.reading.key_numbers({("KAZ", "ITA", "export", -1, "FY"): (1.0, 0)}) is None
