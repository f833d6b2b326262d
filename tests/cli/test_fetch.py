"""`tradesim data fetch` and `data vintages` against recorded answers served from 127.0.0.1 (tests/fetchserver.py);
the socket guard (tests/conftest.py) makes any other connection fail."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.fetchserver import (
    ITA_KAZ,
    KAZ_ITA,
    Reply,
    Server,
    availability_answer,
    comtrade_answer,
    wdi_page,
)

REAL = Path(__file__).parent.parent / "data" / "real"
PREVIEW = "/public/v1/preview/C/A/HS"
DATA = "/data/v1/get/C/A/HS"
DA = "/public/v1/getDA/C/A/HS"
KEYED_DA = "/data/v1/getDA/C/A/HS"
YEARS = [2018, 2019, 2020]


@pytest.fixture
def server() -> Iterator[Server]:
    with Server() as found:
        yield found


def rows_of(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))


def fetch(run: Callable[..., Any], server: Server, folder: Path, *extra: str) -> Any:
    return run(
        "data", "fetch", "comtrade", "--reporter", "KAZ", "--partner", "ITA", "--years", "2018-2020",
        "--base-url", server.url, "--wait", "0", "--retries", "2", "--timeout", "5",
        "-o", str(folder / "kaz_ita.csv"), *extra,
    )  # fmt: skip


def serve_kaz_ita(
    server: Server, figures: dict[int, dict[str, float]] = KAZ_ITA, released: str = "2024-05-02T10:11:12"
) -> None:
    server.route(DA, Reply(body=availability_answer(398, YEARS, released)))
    server.route(PREVIEW, Reply(body=comtrade_answer(398, 380, figures)))


def test_a_fetch_writes_the_served_figures_with_their_release_date_and_where_they_came_from(
    run: Callable[..., Any], server: Server, tmp_path: Path
) -> None:
    serve_kaz_ita(server)
    result = fetch(run, server, tmp_path)
    assert result.exit_code == 0, result.stderr
    rows = rows_of(tmp_path / "kaz_ita.csv")
    got = {(r["flow"], int(r["year"])): r for r in rows}
    for year, flows in KAZ_ITA.items():
        for code, flow in (("X", "export"), ("M", "import")):
            row = got[(flow, year)]
            assert float(row["value"]) == flows[code]
            assert (row["unit"], row["status"], row["reported_by"], row["partner"]) == (
                "USD",
                "reported",
                "KAZ",
                "ITA",
            )
            assert row["published"] == "2024-05-02"  # the availability answer's lastReleased
            assert row["source"] == "UN Comtrade+ API"
            assert row["url"].startswith(
                server.url + PREVIEW + "?reporterCode=398&partnerCode=380&period=2018,2019,2020"
            )
            assert re.fullmatch(r"20\d\d-\d\d-\d\dT\d\d:\d\d:\d\dZ", row["retrieved"])  # UTC, its own column
            assert "archived at raw/comtrade/" in row["note"]
        total = got[("total", year)]
        assert float(total["value"]) == pytest.approx(flows["X"] + flows["M"])
        assert total["status"] == "derived"
    # the fixed selectors that give one total row, asked of the public preview without a key
    (call,) = server.calls(PREVIEW)
    assert {k: v[0] for k, v in call.query.items()}.items() >= {
        "customsCode": "C00", "motCode": "0", "partner2Code": "0", "cmdCode": "TOTAL", "flowCode": "X,M",
    }.items()  # fmt: skip
    assert "Ocp-Apim-Subscription-Key" not in call.headers
    assert call.headers["User-Agent"].startswith("tradesim/")
    # the archive holds each answer byte for byte, with its request and sha256
    bodies = sorted((tmp_path / "raw" / "comtrade").rglob("*.body"))
    assert len(bodies) == 2
    served = {availability_answer(398, YEARS, "2024-05-02T10:11:12"), comtrade_answer(398, 380, KAZ_ITA)}
    assert {b.read_bytes() for b in bodies} == served
    for body in bodies:
        meta = json.loads(body.with_suffix(".json").read_text())
        import hashlib

        assert meta["sha256"] == hashlib.sha256(body.read_bytes()).hexdigest()
        assert meta["status"] == 200
    # the data folder reads it: the fetched figure is the one in use
    listed = run("data", "--reporter", "KAZ", "--partner", "ITA", "--year", "2019", "--flow", "export",
                 "--data", str(tmp_path), "-f", "csv")  # fmt: skip
    assert "8380000000" in listed.stdout.replace(".0", "")


def test_mirror_asks_each_partner_for_its_own_report(
    run: Callable[..., Any], server: Server, tmp_path: Path
) -> None:
    server.route(DA, Reply(body=availability_answer(398, YEARS, "2024-05-02T00:00:00")))
    kaz = comtrade_answer(398, 380, KAZ_ITA)
    ita = comtrade_answer(380, 398, ITA_KAZ)
    server.route(PREVIEW, Reply(body=kaz), Reply(body=ita))
    result = fetch(run, server, tmp_path, "--mirror")
    assert result.exit_code == 0, result.stderr
    reporters = [c.query["reporterCode"][0] for c in server.calls(PREVIEW)]
    assert reporters == ["398", "380"]
    rows = rows_of(tmp_path / "kaz_ita.csv")
    italy = {(r["flow"], int(r["year"])): float(r["value"]) for r in rows if r["reporter"] == "ITA"}
    assert italy[("export", 2019)] == ITA_KAZ[2019]["X"]
    assert {r["reported_by"] for r in rows if r["reporter"] == "ITA"} == {"ITA"}  # never mixed with KAZ's
    assert "Comtrade has no rows from ITA for 2018" in result.stderr


def test_a_revised_answer_is_a_second_vintage_and_the_first_figure_stays_as_superseded(
    run: Callable[..., Any], server: Server, tmp_path: Path
) -> None:
    serve_kaz_ita(server)
    assert fetch(run, server, tmp_path).exit_code == 0
    revised = {**KAZ_ITA, 2019: {"X": 8.5e9, "M": 1.58e9}}
    serve_kaz_ita(server, revised, "2025-06-01T00:00:00")
    result = fetch(run, server, tmp_path, "--refresh")
    assert result.exit_code == 0, result.stderr
    data_vintages = sorted((tmp_path / "raw" / "comtrade").glob("data-*/*.body"))
    assert [b.read_bytes() for b in data_vintages] == [
        comtrade_answer(398, 380, KAZ_ITA),
        comtrade_answer(398, 380, revised),
    ]
    rows = rows_of(tmp_path / "kaz_ita.csv")
    exports_2019 = [r for r in rows if (r["flow"], r["year"]) == ("export", "2019")]
    by_status = {r["status"]: r for r in exports_2019}
    assert float(by_status["reported"]["value"]) == 8.5e9
    assert float(by_status["superseded"]["value"]) == 8.38e9
    assert by_status["superseded"]["published"] < by_status["reported"]["published"]
    # the derived total of 2019 changed too, and the unchanged figures are not repeated
    assert sum(r["status"] == "superseded" for r in rows) == 2
    listed = run("data", "vintages", "--data", str(tmp_path), "-f", "json")
    assert listed.exit_code == 0, listed.stderr
    changes = [v["changed"] for v in json.loads(listed.stdout) if v["request"].endswith("(data)")]
    assert changes == ["first answer", "2 revised, 0 new, 0 gone"]  # 2019's export and its total
    # the first vintage is what `backtest --vintage first` reads
    from tradesim.backtest import actual_series
    from tradesim.data import folders

    data = folders.load(tmp_path)
    first, _ = actual_series("KAZ", "ITA", "first", data=data)
    latest, _ = actual_series("KAZ", "ITA", "latest", data=data)
    assert first[2019] == pytest.approx(8.38e9 + 1.58e9)
    assert latest[2019] == pytest.approx(8.5e9 + 1.58e9)


def test_offline_rebuilds_the_same_file_byte_for_byte(
    run: Callable[..., Any], server: Server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    serve_kaz_ita(server)
    assert fetch(run, server, tmp_path).exit_code == 0
    written = (tmp_path / "kaz_ita.csv").read_bytes()
    (tmp_path / "kaz_ita.csv").unlink()
    calls = len(server.seen)
    assert fetch(run, server, tmp_path, "--offline").exit_code == 0
    assert (tmp_path / "kaz_ita.csv").read_bytes() == written
    monkeypatch.setenv("TRADESIM_OFFLINE", "1")
    (tmp_path / "kaz_ita.csv").unlink()
    assert fetch(run, server, tmp_path).exit_code == 0
    assert (tmp_path / "kaz_ita.csv").read_bytes() == written
    assert len(server.seen) == calls  # nothing sent
    other = tmp_path / "elsewhere"
    other.mkdir()
    missing = fetch(run, server, other, "--offline")
    assert missing.exit_code == 2
    assert "--offline: no archived answer for" in missing.stderr
    assert not (other / "kaz_ita.csv").exists()


def test_an_answer_under_a_day_old_is_reused_and_refresh_asks_again(
    run: Callable[..., Any], server: Server, tmp_path: Path
) -> None:
    serve_kaz_ita(server)
    assert fetch(run, server, tmp_path).exit_code == 0
    assert len(server.seen) == 2
    again = fetch(run, server, tmp_path)
    assert len(server.seen) == 2
    assert "0 calls sent, 2 answers from the archive" in again.stderr
    assert fetch(run, server, tmp_path, "--refresh").exit_code == 0
    assert len(server.seen) == 4
    # the same answers again: confirmed, not copied
    assert len(list((tmp_path / "raw").rglob("*.body"))) == 2
    meta = json.loads(next((tmp_path / "raw" / "comtrade").glob("data-*/*.json")).read_text())
    assert len(meta["confirmed"]) == 1


def test_429_then_200_succeeds_after_the_wait_the_server_asked(
    run: Callable[..., Any], server: Server, tmp_path: Path
) -> None:
    server.route(DA, Reply(body=availability_answer(398, YEARS, "2024-05-02T00:00:00")))
    server.route(
        PREVIEW,
        Reply(429, b'{"statusCode": 429}', {"Retry-After": "1"}),
        Reply(body=comtrade_answer(398, 380, KAZ_ITA)),
    )
    result = fetch(run, server, tmp_path)
    assert result.exit_code == 0, result.stderr
    first, second = server.calls(PREVIEW)
    assert second.at - first.at >= 0.95


@pytest.mark.parametrize(
    ("reply", "message"),
    [
        (
            Reply(401, b'{"statusCode": 401, "message": "Access denied"}'),
            "answered 401: this call needs a subscription key",
        ),
        (Reply(503, b"busy"), "answered 503 (a server error) after 2 retries"),
        (Reply(429, b"{}", {"Retry-After": "0"}), "still answers 429 (too many requests) after 2 retries"),
        (
            Reply(200, b"<!DOCTYPE html><html><body>Sign in</body></html>", {"Content-Type": "text/html"}),
            "is an HTML page, not data",
        ),
        (Reply(200, b'{"count": 4, "data": [{"typeCode": "C", "freqC'), "not valid JSON"),
        (Reply(200, comtrade_answer(398, 380, KAZ_ITA), cut=700), "was cut off"),
        (
            Reply(200, (REAL / "comtradeplus_api_services_empty.json").read_bytes()),
            "Comtrade has no KAZ→ITA rows for 2018–2020: not released yet?",
        ),
        (
            Reply(200, b'{"count": 0, "data": [], "error": "period: too many values"}'),
            "Comtrade says: period: too many values",
        ),
        (Reply(200, comtrade_answer(398, 380, KAZ_ITA), delay=3), "sent nothing for 1 s"),
    ],
    ids=["401", "500s", "429s", "html", "bad-json", "truncated", "empty", "api-error", "slow"],
)
def test_each_failure_is_one_line_exit_2_and_no_data_file(
    run: Callable[..., Any], server: Server, tmp_path: Path, reply: Reply, message: str
) -> None:
    server.route(DA, Reply(body=availability_answer(398, YEARS, "2024-05-02T00:00:00")))
    server.route(PREVIEW, reply)
    result = fetch(run, server, tmp_path, "--timeout", "1")
    assert result.exit_code == 2
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "kaz_ita.csv").exists()
    if reply.status == 200 and reply.cut is None and not reply.delay:  # kept for inspection, with its date
        bodies = [b.read_bytes() for b in (tmp_path / "raw" / "comtrade").glob("data-*/*.body")]
        assert bodies == [reply.body]


def test_the_key_travels_in_its_header_only_and_is_written_nowhere(
    run: Callable[..., Any], server: Server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    secret = "k3y-SECRET-0f-the-test-9a8b7c"
    monkeypatch.setenv("COMTRADE_API_KEY", secret)
    server.route(KEYED_DA, Reply(body=availability_answer(398, YEARS, "2024-05-02T00:00:00")))
    server.route(DATA, Reply(body=comtrade_answer(398, 380, KAZ_ITA)))
    result = fetch(run, server, tmp_path)
    assert result.exit_code == 0, result.stderr
    assert [c.headers.get("Ocp-Apim-Subscription-Key") for c in server.seen] == [secret, secret]
    assert all(secret not in str(c.query) for c in server.seen)
    written = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert len(written) == 5  # the data file, two bodies, two records
    for path in written:
        assert secret.encode() not in path.read_bytes(), path
    assert secret not in result.stdout + result.stderr
    refused = tmp_path / "refused"
    refused.mkdir()
    server.route(DATA, Reply(401, b'{"message": "invalid key"}'))
    failed = fetch(run, server, refused, "--refresh")
    assert failed.exit_code == 2
    assert "the subscription key was refused" in failed.stderr
    assert secret not in failed.stderr


def test_dry_run_prints_the_requests_and_sends_nothing(
    run: Callable[..., Any], server: Server, tmp_path: Path
) -> None:
    result = run(
        "data", "fetch", "comtrade", "--reporter", "KAZ", "--partner", "ITA,WLD", "--years", "2000-2025",
        "--base-url", server.url, "--dry-run", "-o", str(tmp_path / "x.csv"),
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 6  # 26 years: three calls of at most 12, each with its availability call
    assert f"{server.url}{PREVIEW}?reporterCode=398&partnerCode=380,0&period=2000,2001" in lines[1]
    assert "nothing sent" in result.stderr
    assert server.seen == []
    assert not list(tmp_path.iterdir())


def test_a_reporter_is_asked_under_the_number_valid_that_year() -> None:
    from tradesim.data.fetch import comtrade

    requests = comtrade.requests_for(
        "http://x", False, "DEU", ["ITA"], [1989, 1990, 1991, 1992], None, "TOTAL", False
    )
    asked = [dict(r.params) for r in requests if r.role == "data"]
    assert [(a["reporterCode"], a["period"]) for a in asked] == [("280", "1989,1990"), ("276", "1991,1992")]


def test_wdi_fetch_follows_the_pages(run: Callable[..., Any], server: Server, tmp_path: Path) -> None:
    exports = "/v2/country/KAZ/indicator/TX.VAL.MRCH.CD.WT"
    imports = "/v2/country/KAZ/indicator/TM.VAL.MRCH.CD.WT"
    # WDI's merchandise exports of Kazakhstan (shipped data: World Bank WDI TX.VAL.MRCH.CD.WT)
    server.route(
        exports,
        Reply(body=wdi_page("TX.VAL.MRCH.CD.WT", {2022: 84.4e9, 2021: 60.3e9}, 1, 2, "2025-07-01")),
        Reply(body=wdi_page("TX.VAL.MRCH.CD.WT", {2020: 47.5e9, 2019: None}, 2, 2, "2025-07-01")),
    )
    server.route(imports, Reply(body=wdi_page("TM.VAL.MRCH.CD.WT", {2022: 50.8e9}, 1, 1, "2025-07-01")))
    result = run(
        "data", "fetch", "wdi", "--reporter", "KAZ", "--years", "2019-2022", "--base-url", server.url,
        "--wait", "0", "-o", str(tmp_path / "wdi.csv"),
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert [c.query["page"][0] for c in server.calls(exports)] == ["1", "2"]
    rows = rows_of(tmp_path / "wdi.csv")
    got = {(r["flow"], int(r["year"])): r for r in rows}
    assert float(got[("export", 2020)]["value"]) == 47.5e9
    assert ("export", 2019) not in got  # a null is no figure
    assert {r["reported_by"] for r in rows} == {"WDI"}
    assert {r["published"] for r in rows} == {"2025-07-01"}
    assert {r["partner"] for r in rows} == {"WLD"}


def test_bad_options_are_one_line(run: Callable[..., Any], tmp_path: Path) -> None:
    for args, message in (
        (["wdi", "--reporter", "KAZ", "--partner", "ITA"], "trade with the world"),
        (["comtrade", "--reporter", "KAZ"], "give --partner"),
        (
            ["comtrade", "--reporter", "KAZ", "--partner", "ITA", "--years", "2025-2015"],
            "--years must run forward",
        ),
        (
            ["comtrade", "--reporter", "KAZ", "--partner", "ITA", "--base-url", "ftp://x"],
            "--base-url must be",
        ),
        (["imf", "--reporter", "KAZ", "--partner", "ITA"], "unknown source 'imf'"),
        (["comtrade", "--reporter", "XXX", "--partner", "ITA"], "--reporter"),
    ):
        result = run("data", "fetch", *args, "-o", str(tmp_path / "x.csv"))
        assert result.exit_code == 2, args
        assert message in result.stderr, (args, result.stderr)
        assert len(result.stderr.strip().splitlines()) == 1


def test_the_network_is_guarded_in_tests() -> None:
    import socket

    with pytest.raises(OSError, match="tests never touch the network"):
        socket.create_connection(("192.0.2.1", 80), timeout=1)


def test_an_answer_with_years_not_asked_is_cut_to_the_years_asked(
    run: Callable[..., Any], server: Server, tmp_path: Path
) -> None:
    """A server that answers every call with the same body (years 2018–2020) to a fetch of 1990–2020 in three
    calls: the figures once, each from the call that asked for its year (found by the hostile-answer fuzz)."""
    serve_kaz_ita(server)
    result = run(
        "data", "fetch", "comtrade", "--reporter", "KAZ", "--partner", "ITA", "--years", "1990-2020",
        "--base-url", server.url, "--wait", "0", "-o", str(tmp_path / "k.csv"),
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert len(server.calls(PREVIEW)) == 3  # 31 years: 12 + 12 + 7
    assert (
        "rows of the answer to KAZ → ITA 1990–2001 are for years not asked (2018, 2019, 2020): left out"
        in (result.stderr)
    )
    rows = rows_of(tmp_path / "k.csv")
    assert len(rows) == 9  # 3 years × export, import, total: each once
    listed = run("data", "--data", str(tmp_path), "--reporter", "KAZ", "--partner", "ITA", "--year", "2019")
    assert listed.exit_code == 0, listed.stderr  # the data folder reads what the fetch wrote


def test_a_refresh_sends_the_archived_validators_and_a_304_confirms_the_answer(
    run: Callable[..., Any], server: Server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The archive is the cache: a refresh asks with the archived answer's ETag and Last-Modified, and a 304
    keeps that answer (a confirmation, no new vintage). The base URL may come from the environment."""
    monkeypatch.setenv("TRADESIM_COMTRADE_URL", server.url)
    stamped = {"ETag": '"v1"', "Last-Modified": "Mon, 01 Dec 2026 08:00:00 GMT"}
    server.route(DA, Reply(body=availability_answer(398, YEARS, "2024-05-02T00:00:00"), headers=stamped),
                 Reply(304, b""))  # fmt: skip
    server.route(PREVIEW, Reply(body=comtrade_answer(398, 380, KAZ_ITA), headers=stamped), Reply(304, b""))
    args = ("data", "fetch", "comtrade", "--reporter", "KAZ", "--partner", "ITA", "--years", "2018-2020",
            "--wait", "0", "-o", str(tmp_path / "k.csv"))  # fmt: skip
    assert run(*args).exit_code == 0
    written = (tmp_path / "k.csv").read_bytes()
    again = run(*args, "--refresh")
    assert again.exit_code == 0, again.stderr
    second = server.calls(PREVIEW)[1]
    assert second.headers.get("If-None-Match") == '"v1"'
    assert second.headers.get("If-Modified-Since") == "Mon, 01 Dec 2026 08:00:00 GMT"
    assert "2 calls sent, 0 answers from the archive" in again.stderr
    assert "0 new vintages" in again.stderr
    assert len(list((tmp_path / "raw").rglob("*.body"))) == 2
    assert (tmp_path / "k.csv").read_bytes() == written


def test_vintages_of_one_source_and_of_an_empty_archive(
    run: Callable[..., Any], server: Server, tmp_path: Path
) -> None:
    serve_kaz_ita(server)
    assert fetch(run, server, tmp_path).exit_code == 0
    listed = run("data", "vintages", "--data", str(tmp_path), "--source", "comtrade", "-f", "json")
    assert listed.exit_code == 0, listed.stderr
    assert {v["source"] for v in json.loads(listed.stdout)} == {"comtrade"}
    none = run("data", "vintages", "--data", str(tmp_path), "--source", "wdi")
    assert none.exit_code == 2
    assert "holds no archived answer of wdi" in none.stderr


def test_the_world_as_partner_is_comtrade_partner_0(
    run: Callable[..., Any], server: Server, tmp_path: Path
) -> None:
    serve_kaz_ita(server)
    server.route(PREVIEW, Reply(body=comtrade_answer(398, 0, KAZ_ITA)))
    result = run(
        "data", "fetch", "comtrade", "--reporter", "KAZ", "--partner", "WLD", "--years", "2018-2020",
        "--base-url", server.url, "--wait", "0",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr  # the default output: ./data/comtrade_KAZ_WLD_2018-2020.csv
    assert server.calls(PREVIEW)[0].query["partnerCode"] == ["0"]
    rows = rows_of(Path("data") / "comtrade_KAZ_WLD_2018-2020.csv")
    assert {r["partner"] for r in rows} == {"WLD"}


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test runs in its own folder: a default output (./data/…) lands there."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("TRADESIM_DATA", raising=False)
    monkeypatch.delenv("COMTRADE_API_KEY", raising=False)
    monkeypatch.delenv("TRADESIM_OFFLINE", raising=False)
