"""The user's data folder: strict validation, precedence over shipped rows, provenance."""

from __future__ import annotations

from pathlib import Path

import pytest

from tradesim import data
from tradesim.data import folders
from tradesim.errors import DataError

HEADER = "kind,reporter,partner,flow,year,period,value,unit,status,reported_by,source,url,note\n"


def _folder(tmp_path: Path, **files: str) -> Path:
    folder = tmp_path / "data"
    folder.mkdir()
    for name, body in files.items():
        (folder / f"{name}.csv").write_text(body, encoding="utf-8")
    return folder


def test_a_user_row_supersedes_the_shipped_rows_with_its_key(tmp_path: Path) -> None:
    folder = _folder(
        tmp_path, totals=HEADER + "trade,KAZ,WLD,total,2023,FY,141.0,USD_bn,reported,KAZ,Mine,,\n"
    )
    dataset = data.load(folder)
    total = dataset.total_baseline("KAZ", 2023)
    assert (total.amount, total.origin, total.status) == (141e9, f"{folder / 'totals.csv'}:2", "reported")
    # both shipped rows with that key go: the quoted $139.8B (unverified) and the BNS sum (derived)
    assert sorted((o.value, o.status) for o in dataset.superseded) == [
        (139.551207, "derived"),
        (139.8, "unverified"),
    ]
    assert len(dataset.observations) == len(data.shipped().observations) - 1  # two out, one in
    assert dataset.digest != data.shipped().digest
    assert data.shipped().total_baseline("KAZ", 2023).origin == "shipped"  # the shipped data untouched


def test_every_problem_of_every_file_at_once(tmp_path: Path) -> None:
    folder = _folder(
        tmp_path,
        a=HEADER
        + "trade,KAZ,EUR,total,20x3,Q5,abc,USD_bn,maybe,kaz,,,\ntrade,KAZ,ITA,total,2023,FY,inf,USD,reported,KAZ,s,,\n",
        b="kind,reporter\n",
    )
    with pytest.raises(DataError) as caught:
        data.load(folder)
    a, b = folder / "a.csv", folder / "b.csv"
    assert [str(p) for p in caught.value.problems] == [
        f"{a}:2: partner: must be an ISO 3166-1 alpha-3 country code such as KAZ or ITA, got 'EUR' (or an "
        "aggregate: WLD, CENTRAL_ASIA)",
        f"{a}:2: year: must be a whole number, got '20x3'",
        f"{a}:2: period: must be FY, FY-as-stated, by, h1, h2, q1–q4, a month (mar) or months so far (jan-aug), "
        "got 'Q5'",
        f"{a}:2: value: must be a number, got 'abc'",
        f"{a}:2: status: must be one of reported, approximate, derived, estimated, unverified, doubtful_unit, "
        "computed, partial, stated, superseded, got 'maybe'",
        f"{a}:2: reported_by: must name whose statistics these are: a country code (KAZ) or an institution "
        "(ECB), got 'kaz'",
        f"{a}:2: source: every figure needs its source",
        f"{a}:3: value: must be a finite number, got 'inf'",
        *(f"{b}:1: {column}: required column is missing" for column in data.COLUMNS[2:]),
    ]


def test_unknown_columns_and_duplicates(tmp_path: Path) -> None:
    row = "trade,KAZ,ESP,total,2023,FY,4.2,USD_bn,reported,KAZ,Mine,,\n"
    folder = _folder(tmp_path, one=HEADER + row + row, two=HEADER.strip() + ",extra\n" + row.strip() + ",x\n")
    with pytest.raises(DataError) as caught:
        data.load(folder)
    one, two = folder / "one.csv", folder / "two.csv"
    assert [str(p) for p in caught.value.problems] == [
        f"{one}:3: duplicate row: the same figure as {one}:2",
        f"{two}:1: extra: unknown column (allowed: {', '.join((*data.COLUMNS, 'published', 'classification', 'commodity', 'retrieved'))})",
    ]


def test_where_the_folder_is(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tradesim.cli.options import ENV_DATA, dataset

    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv(ENV_DATA, raising=False)
    assert dataset(None).folder is None
    (tmp_path / "data").mkdir()
    assert dataset(None).folder == Path("data")
    monkeypatch.setenv(ENV_DATA, str(tmp_path / "elsewhere"))
    with pytest.raises(DataError, match=r"TRADESIM_DATA: data folder not found"):
        dataset(None)
    with pytest.raises(DataError, match=r"--data: data folder not found"):
        dataset(tmp_path / "nope")
    with pytest.raises(DataError, match=r"nope: data folder not found"):
        data.load(tmp_path / "nope")  # the library reads the folder it is given, and only that one


def test_published_dates_are_checked_and_kept(tmp_path: Path) -> None:
    header = HEADER.strip() + ",published\n"
    folder = _folder(
        tmp_path,
        a=header + "trade,KAZ,ESP,total,2023,FY,4.2,USD_bn,reported,KAZ,Mine,,,2024-02-01\n",
    )
    (row,) = [o for o in data.load(folder).observations if o.partner == "ESP"]
    assert row.published == "2024-02-01"
    (folder / "a.csv").write_text(
        header + "trade,KAZ,ESP,total,2023,FY,4.2,USD_bn,reported,KAZ,Mine,,,soon\n"
    )
    with pytest.raises(
        DataError,
        match=r"published: must be a date: YYYY-MM-DD, or YYYY-MM or YYYY as precisely as the source says, got 'soon'",
    ):
        data.load(folder)


def test_the_shipped_file_passes_the_rules_a_data_folder_must() -> None:
    """One set of rules: what a user's file must satisfy, the shipped file does too."""
    from importlib.resources import files

    shipped = Path(str(files("tradesim.data").joinpath("shipped", data.DATA_FILE)))
    rows, problems = folders.read(shipped)
    assert problems == []
    assert len(rows) == len(data.shipped().observations)


def test_data_folder_files_a_user_actually_has(tmp_path: Path) -> None:
    """A cp1252 file is an error naming its line and what to save it as; Excel's semicolon CSV is read; a
    decimal comma is named; a spreadsheet in the folder is named, never ignored."""
    from tradesim.data import folders

    header = "kind;reporter;partner;flow;year;period;value;unit;status;reported_by;source;url;note\n"
    data = tmp_path / "data"
    data.mkdir()
    latin = data / "a.csv"
    latin.write_bytes(
        (header + "trade;KAZ;ITA;total;2023;FY;16.1;USD_bn;reported;KAZ;QazTrade;u;Côte\n").encode("cp1252")
    )
    rows, problems = folders.read(latin)
    assert [str(p) for p in problems] == [
        f"{latin}:2: not UTF-8 text (byte 0xf4): save it as CSV UTF-8, or import it with `tradesim data import`, "
        "which reads cp1252 and Latin-1"
    ]
    latin.write_text(
        header + "trade;KAZ;ITA;total;2023;FY;16.1;USD_bn;reported;KAZ;QazTrade;u;Côte\n", encoding="utf-8"
    )
    rows, problems = folders.read(latin)
    assert (problems, [(r.value, r.note) for r in rows]) == ([], [(16.1, "Côte")])
    latin.write_text(
        header + "trade;KAZ;ITA;total;2023;FY;16,1;USD_bn;reported;KAZ;QazTrade;u;n\n", encoding="utf-8"
    )
    _, problems = folders.read(latin)
    assert [p.message for p in problems] == [
        "must be a number with a decimal point (the data folder takes 16.1, not 16,1), got '16,1'"
    ]
    (data / "source.xlsx").write_bytes(b"PK\x03\x04")
    with pytest.raises(DataError) as caught:
        folders.load(data)
    assert f"{data / 'source.xlsx'}: a spreadsheet is not read from a data folder" in str(caught.value)


@pytest.mark.parametrize(
    ("published", "ok"),
    [
        ("2024-03-01", True),
        ("2024-03", True),
        ("2024", True),
        ("2024-13", False),
        ("2024-02-30", False),
        ("March 2024", False),
    ],
)
def test_published_is_a_date_as_precise_as_the_source(tmp_path: Path, published: str, ok: bool) -> None:
    from tradesim.data.folders import load
    from tradesim.errors import DataError

    (tmp_path / "kaz.csv").write_text(
        "kind,reporter,partner,flow,year,period,value,unit,status,reported_by,source,url,note,published\n"
        f"trade,KAZ,ITA,total,2023,FY,16.1,USD_bn,reported,KAZ,QazTrade,,,{published}\n",
        encoding="utf-8",
    )
    if ok:
        (row,) = [
            o
            for o in load(tmp_path).observations
            if o.origin != "shipped" and o.partner == "ITA" and o.year == 2023 and o.source == "QazTrade"
        ]
        assert row.published == published
    else:
        with pytest.raises(DataError, match="published"):
            load(tmp_path)


def test_a_fetched_rows_retrieved_time_is_read_and_a_bad_one_named(tmp_path: Path) -> None:
    header = HEADER.strip() + ",retrieved\n"
    good = "trade,KAZ,ESP,total,2023,FY,4.2,USD_bn,reported,KAZ,Mine,,,2026-12-07T08:01:02Z\n"
    folder = _folder(tmp_path, one=header + good)
    (mine,) = [o for o in data.load(folder).observations if o.origin.endswith("one.csv:2")]
    assert mine.retrieved == "2026-12-07T08:01:02Z"
    assert mine.provenance()["retrieved"] == "2026-12-07T08:01:02Z"
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "one.csv").write_text(header + good.replace("2026-12-07T08:01:02Z", "yesterday"), encoding="utf-8")
    with pytest.raises(DataError) as caught:
        data.load(bad)
    assert [str(p) for p in caught.value.problems] == [
        f"{bad / 'one.csv'}:2: retrieved: must be a UTC time to the second, as a fetch writes it: "
        "2026-12-07T08:01:02Z, got 'yesterday'"
    ]
