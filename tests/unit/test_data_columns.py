"""The columns reader of large data-folder files (:func:`tradesim.data.columnar.read_columns`) against the row reader
(:func:`tradesim.data.folders.read`), which stays the reference: the columns reader either declines a file or
gives exactly the row reader's observations, and a data folder read either way answers every lookup alike."""

from __future__ import annotations

import csv
import io
import json
import math
import struct
from pathlib import Path

import polars as pl
import pytest
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from tests.strategies import data_rows, hostile_strings
from tradesim import data
from tradesim.data import columnar, folders
from tradesim.data.observation import COLUMNS
from tradesim.data.table import Table
from tradesim.errors import DataError

VALID_ROW = {
    "kind": "trade", "reporter": "KAZ", "partner": "ITA", "flow": "total", "year": "2023", "period": "FY",
    "value": "16.1", "unit": "USD_bn", "status": "reported", "reported_by": "KAZ", "source": "BNS",
    "url": "https://stat.gov.kz", "note": "a note, with a comma",
}  # fmt: skip
WRITERS = {
    "minimal, CRLF": {"lineterminator": "\r\n"},
    "minimal, LF": {"lineterminator": "\n"},
    "all quoted": {"lineterminator": "\n", "quoting": csv.QUOTE_ALL},
    "semicolons": {"lineterminator": "\n", "delimiter": ";"},
}


def _text(rows: list[dict[str, str]], header: tuple[str, ...] = COLUMNS, **dialect: object) -> str:
    out = io.StringIO()
    writer = csv.writer(out, **dialect)  # type: ignore[arg-type]
    writer.writerow(header)
    writer.writerows([[row.get(c, "") for c in header] for row in rows])
    return out.getvalue()


def _both(path: Path, raw: bytes) -> tuple[Table | None, list[object], list[object]]:
    path.write_bytes(raw)
    rows, problems = folders.read(path)
    return columnar.read_columns(raw, path), rows, problems


def _same(table: Table, rows: list[object]) -> None:
    built = table.observations()
    assert built == rows
    # == holds 0.0 == -0.0: the sign is the same bit too
    assert [struct.pack("<d", o.value) for o in built] == [struct.pack("<d", o.value) for o in rows]  # type: ignore[attr-defined]


@pytest.mark.parametrize("name", WRITERS)
def test_a_clean_file_in_each_dialect_reads_into_columns_as_the_row_reader_reads_it(
    tmp_path: Path, name: str
) -> None:
    rows = [
        VALID_ROW,
        VALID_ROW | {"year": "2024", "value": "20.0", "note": 'quoted "words"'},
        VALID_ROW | {"kind": "target", "period": "coming years", "year": "", "value": "20", "note": ""},
        VALID_ROW | {"kind": "fx", "reporter": "EUR", "partner": "USD", "flow": "rate", "period": "Jan02-May09",
                     "unit": "USD_per_EUR", "value": "1.0813", "reported_by": "ECB", "note": " padded "},
    ]  # fmt: skip
    raw = ("\ufeff" + _text(rows, (*COLUMNS, "published"), **WRITERS[name])).encode()
    table, expected, problems = _both(tmp_path / "a.csv", raw)
    assert problems == []
    assert len(expected) == 4
    assert table is not None, "a clean file must not be declined"
    _same(table, expected)
    assert [o.year for o in table.observations()] == [2023, 2024, 0, 2023]
    assert table.observations()[3].note == "padded"  # stripped, as the row reader strips every field


@pytest.mark.parametrize(
    ("change", "why"),
    [
        (lambda t: t.replace("\n", "\n\n", 2), "a blank line"),
        (lambda t: t.replace("KAZ,ITA", "KAZ,ITA,extra", 1), "a row with a field too many"),
        (lambda t: t.replace(",total,", ",", 1), "a row with a field too few"),
        (lambda t: t.replace("a note", "a\nnote", 1), "a quoted line break"),
        (lambda t: t.replace("a note", "a\rnote", 1), "a lone carriage return"),
        (lambda t: t.replace("16.1", "1_6.1", 1), "a value float() reads and pandas does not"),
        (lambda t: t.replace("16.1", "16,1", 1), "a decimal comma"),
        (lambda t: t.replace("2023", "02023", 1), "a year int() reads"),
        (lambda t: t.replace("reported", "reportd", 1), "a bad status"),
        (lambda t: t.replace("BNS", "", 1), "a row without its source"),
    ],
)
def test_what_the_columns_reader_declines_the_row_reader_reads_or_refuses(
    tmp_path: Path, change: object, why: str
) -> None:
    text = _text([VALID_ROW, VALID_ROW | {"year": "2024"}], lineterminator="\n")
    raw = change(text).encode()  # type: ignore[operator]
    table, expected, problems = _both(tmp_path / "a.csv", raw)
    if table is not None:  # read alike (02023 is 2023 to int() and to pandas), never otherwise
        assert problems == [], why
        _same(table, expected)
    else:
        assert problems or expected, why


_FIELD = st.one_of(
    st.sampled_from(["", " ", '"', '""', ",", ";", "\n", "\r", "\r\n", "\t", "\x00", "é", "True", "1.50"]),
    st.text(alphabet=st.sampled_from('ab ,;"\r\n\t'), max_size=6),
    hostile_strings,
)


# valid rows spelled every way the row reader takes them: padded, quoted, numbers as float() and int() read them
_TRICKY_VALID = {
    "kind": st.sampled_from(["trade", " trade", "trade\t"]),
    "reporter": st.sampled_from(["KAZ", "ITA", " DEU ", "WLD"]),
    "partner": st.sampled_from(["ITA", "CHN", "WLD", "CENTRAL_ASIA"]),
    "flow": st.sampled_from(["total", "export", "import", "re-export"]),
    "year": st.sampled_from(["2023", "02023", " 2024", "+2022", "1990", "2300"]),
    "period": st.sampled_from(["FY", "FY-as-stated", "jan-nov", "h1", "q3", "mar"]),
    "value": st.one_of(
        st.floats(-1e15, 1e15, allow_nan=False).map(repr),
        st.sampled_from(
            ["14.5", " 1e3", "1E-3 ", ".5", "5.", "-0", "+7", "0.1000000000000000055511151231257827"]
        ),
    ),
    "unit": st.sampled_from(["USD_bn", "EUR_mn", "USD_th", "KZT", "USD"]),
    "status": st.sampled_from(["reported", "approximate", "derived", "unverified", "superseded"]),
    "reported_by": st.sampled_from(["KAZ", "ITA", "ECB", "WDI"]),
    "source": st.sampled_from(["BNS", "Istat, 2024", 'the "article"', " padded "]),
    "url": st.sampled_from(["", "https://example.org/a,b"]),
    "note": st.text(alphabet=st.sampled_from('ab ,;"é\t'), max_size=8),
    "published": st.sampled_from(["", "2024", "2024-03", "2024-03-01"]),
}
_tricky_rows = st.fixed_dictionaries(_TRICKY_VALID)


@st.composite
def _files(draw: st.DrawFn) -> bytes:
    hostile = draw(st.integers(0, 4)) == 0  # a file in five has rows of hostile values too
    rows = draw(
        st.lists(st.one_of(_tricky_rows, data_rows) if hostile else _tricky_rows, min_size=1, max_size=8)
    )
    rows = [{k: (draw(_FIELD) if draw(st.integers(0, 80)) == 0 else v) for k, v in r.items()} for r in rows]
    header = draw(st.sampled_from([COLUMNS, (*COLUMNS, "published"), tuple(reversed(COLUMNS))]))
    dialect = draw(st.sampled_from([*list(WRITERS.values()), {"quoting": csv.QUOTE_NONNUMERIC}]))
    text = _text(rows, header, **dialect)
    if draw(st.integers(0, 3)) == 0:  # cut or damage the text anywhere
        at = draw(st.integers(0, len(text)))
        text = text[:at] + draw(_FIELD) + text[at + draw(st.integers(0, 3)) :]
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-8", "utf-8-sig", "utf-8", "latin-1"]))
    return text.encode(encoding, errors="replace")


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(raw=_files())
@example(raw=_text([VALID_ROW]).encode())
@example(  # a lone CR before a delimiter: Polars read the field as empty, the row reader ended the line there
    raw=b"kind,reporter,partner,flow,year,period,value,unit,status,reported_by,source,url,note\n"
    b"trade,KAZ,ITA,total,2023,FY,0.0,USD_bn,reported,KAZ,BNS,\r,\n"
)
def test_the_columns_reader_declines_or_reads_exactly_as_the_row_reader(tmp_path: Path, raw: bytes) -> None:
    table, expected, problems = _both(tmp_path / "generated.csv", raw)
    event("read into columns" if table is not None else "declined")
    if table is not None:
        assert problems == []
        _same(table, expected)


_NUMERALS = st.one_of(
    st.floats(allow_nan=False, allow_infinity=False).map(repr),
    st.floats(allow_nan=False, allow_infinity=False).map(lambda x: f"{x:.25e}"),
    st.integers(0, 30)
    .flatmap(lambda p: st.decimals(allow_nan=False, allow_infinity=False, places=p))
    .map(str),
    st.from_regex(r"\A[ +-]?[0-9_]{0,25}(\.[0-9]{0,25})?([eEdD][+-]?[0-9]{0,4})?[ ]?\Z"),
)


@settings(max_examples=600, deadline=None)
@given(text=_NUMERALS)
@example(text="1.700000000000000177635684")
@example(text="-0")
@example(text="2.2250738585072011e-308")
@example(text="+.5E25 ")  # the 1-ulp miss of pandas 3.1's converter for a padded value; Polars refuses it
def test_polars_reads_a_value_as_float_does_or_not_at_all(text: str) -> None:
    """The columns reader takes the values Polars parses: each must be the very float :func:`float` gives,
    bit for bit; a value Polars refuses declines the file."""
    try:
        parsed = pl.read_csv(f'v\n"{text}"\n'.encode(), schema={"v": pl.Float64})
    except pl.exceptions.PolarsError:
        return
    got = parsed["v"][0]
    if got is None:  # an empty value: the columns reader declines a file with one
        assert not text.strip()
        return
    try:
        want = float(text)
    except ValueError:
        pytest.fail(f"Polars read {text!r} as {got!r}; float() refuses it")
    assert struct.pack("<d", got) == struct.pack("<d", want) or (math.isnan(got) and math.isnan(want))


def _bulk(size: int) -> list[dict[str, str]]:
    """Distinct valid rows of other pairs, enough to pass ``size`` bytes: a file the columns reader reads."""
    codes = ["DEU", "FRA", "ESP", "CHN", "USA", "TUR", "IND", "BRA", "JPN", "KOR", "POL", "NLD"]
    periods = ["FY", "jan", "feb", "mar", "h1", "q3", "jan-nov"]
    rows: list[dict[str, str]] = []
    for i, (r, p, y, q) in enumerate(
        (r, p, y, q) for r in codes for p in codes for y in range(1990, 2031) for q in periods
    ):
        rows.append(VALID_ROW | {"reporter": r, "partner": p, "reported_by": r, "year": str(y), "period": q,
                                 "value": f"{i}.25", "note": "bulk, all commodities"})  # fmt: skip
        if i % 1000 == 0 and len(_text(rows)) > size:
            break
    return rows


MINE = [
    VALID_ROW | {"year": "2023", "value": "141.0", "partner": "WLD", "note": "my total"},
    VALID_ROW | {"year": "2022", "period": "jan-nov", "value": "12.0"},
    VALID_ROW | {"kind": "fx", "reporter": "EUR", "partner": "USD", "flow": "rate", "year": "2024",
                 "period": "FY", "unit": "USD_per_EUR", "value": "1.2", "reported_by": "ECB"},
]  # fmt: skip


def _by_rows(folder: Path, monkeypatch: pytest.MonkeyPatch) -> data.Dataset:
    with monkeypatch.context() as patched:
        patched.setattr(folders, "COLUMNS_FROM", 1 << 40)  # every file by the row reader
        return data.load(folder)


def test_a_large_folder_answers_every_lookup_as_the_row_reader(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    path = folder / "bulk.csv"
    path.write_text(_text(MINE + _bulk(folders.COLUMNS_FROM)), encoding="utf-8", newline="")
    (folder / "small.csv").write_text(_text([VALID_ROW | {"year": "2019"}]), encoding="utf-8", newline="")
    assert path.stat().st_size >= folders.COLUMNS_FROM
    rows, columns = _by_rows(folder, monkeypatch), data.load(folder)
    assert len(columns.tables) == 2
    assert columns.held == rows.held
    assert columnar.read_columns(path.read_bytes(), path) is not None  # the large file was read into columns
    assert columns.observations == rows.observations
    assert (columns.digest, columns.file_digests) == (rows.digest, rows.file_digests)
    assert columns.superseded == rows.superseded
    assert columns.superseded
    for query in (
        {"kind": "trade", "reporter": "KAZ", "partner": "WLD"},
        {"kind": "trade", "period": "FY"},
        {"kind": "fx"},
        {"reporter": "DEU", "year": 2020},
        {"kind": "trade", "reporter": "KAZ", "partner": "ITA", "year": 2022},
        {"kind": "trade", "reporter": "XXX", "partner": "ITA"},
    ):
        assert columns.select(**query) == rows.select(**query)  # type: ignore[arg-type]
    assert columns.total_baseline("KAZ", 2023).origin == f"{path}:2"
    assert columns.pick(reporter="KAZ", partner="ITA", year=2022) == rows.pick(
        reporter="KAZ", partner="ITA", year=2022
    )
    assert columns.rates == rows.rates
    assert columns.rate("EUR", "USD", 2024) == rows.rate("EUR", "USD", 2024)
    assert columns.full_years("DEU", "FRA") == rows.full_years("DEU", "FRA")
    assert columns.years(kind="trade", period="FY") == rows.years(kind="trade", period="FY")
    assert columns.years(kind="trade", period="FY") == {
        o.year for o in rows.select(kind="trade", period="FY")
    }
    assert (
        max(columns.years(kind="trade", period="FY")) == 2030
    )  # the bulk's last year, not the shipped data's
    assert len(columns.full_years("DEU", "FRA")) == 41


def _refusals(folder: Path, monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """The problems a folder is refused with, read by the columns reader where it can, then by rows alone."""
    messages = []
    for load in (lambda: data.load(folder), lambda: _by_rows(folder, monkeypatch)):
        with pytest.raises(DataError) as refused:
            load()
        messages.append([str(p) for p in refused.value.problems])
    return messages


def test_a_large_file_with_problems_gets_the_row_readers_every_problem(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    bulk = _bulk(folders.COLUMNS_FROM)
    text = _text(MINE + bulk + [bulk[5], VALID_ROW | {"status": "guessed"}])  # a duplicate; a bad status
    (folder / "bulk.csv").write_text(text, encoding="utf-8", newline="")
    (folder / "mine.csv").write_text(_text([MINE[1]]), encoding="utf-8", newline="")  # the same as bulk's
    messages = _refusals(folder, monkeypatch)
    assert messages[0] == messages[1]
    assert any("status" in m and "guessed" in m for m in messages[0])
    # with the bad row gone, the duplicates are named by both readers alike, each with the first's line
    (folder / "bulk.csv").write_text(_text(MINE + bulk + [bulk[5]]), encoding="utf-8", newline="")
    messages = _refusals(folder, monkeypatch)
    assert messages[0] == messages[1]
    assert len(messages[0]) == 2
    assert f"the same figure as {folder / 'bulk.csv'}:{5 + 3 + 1 + 1}" in messages[0][0]
    assert f"the same figure as {folder / 'bulk.csv'}:3" in messages[0][1]


def test_the_data_command_on_a_large_folder_shows_what_the_row_reader_would(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`tradesim data` builds only the rows its options select (a million-row folder: 3 s, not 54)."""
    from typer.testing import CliRunner

    from tradesim.cli import app

    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "bulk.csv").write_text(_text(MINE + _bulk(folders.COLUMNS_FROM)), encoding="utf-8", newline="")
    shown = {}
    for reader, size in (("columns", folders.COLUMNS_FROM), ("rows", 1 << 40)):
        monkeypatch.setattr(folders, "COLUMNS_FROM", size)
        for options in (["--reporter", "KAZ", "--partner", "ITA"], ["--reporter", "DEU", "--year", "2020"]):
            result = CliRunner().invoke(app, ["data", *options, "--data", str(folder), "--format", "json"])
            assert result.exit_code == 0, result.stderr
            shown[reader, tuple(options)] = json.loads(result.stdout)
        wrong = CliRunner().invoke(
            app, ["data", "--reporter", "DEU", "--year", "1800", "--data", str(folder)]
        )
        shown[reader, "error"] = wrong.stderr
    for options in (("--reporter", "KAZ", "--partner", "ITA"), ("--reporter", "DEU", "--year", "2020")):
        assert shown["columns", options] == shown["rows", options]
    assert [
        r["origin"]
        for r in shown["columns", ("--reporter", "KAZ", "--partner", "ITA")]
        if r["origin"] != "shipped"
    ] == [f"{folder / 'bulk.csv'}:3"]
    assert (
        len(shown["columns", ("--reporter", "DEU", "--year", "2020")]) == 12 * 7
    )  # every partner and period
    assert shown["columns", "error"] == shown["rows", "error"]
    assert "--year: no observation has 1800 (known: 1990, 1991" in shown["columns", "error"]
