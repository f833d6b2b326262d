"""The hostile-input suite for `tradesim data fetch`: generated answers served from 127.0.0.1 — any JSON, a
Comtrade or WDI answer with hostile records (NaN, infinities, negative or huge values, wrong types, duplicate
records, missing fields), deep nesting, bytes that are no JSON, a body cut off, an HTML page, odd statuses —
and hostile options.

For every run: exit code 0 or 2, no traceback; a written data file reads back as a data folder (every value
finite, no NaN); nothing is written outside the data folder.
"""

from __future__ import annotations

import json
import math
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from tests.fetchserver import KAZ_ITA, Reply, Server, availability_answer, comtrade_record, wdi_page
from tradesim.cli import app

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)
hostile_numbers = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.text(max_size=6),
    st.none(),
    st.booleans(),
    st.just(-1.0),
)
FIELDS = (
    "primaryValue",
    "period",
    "reporterCode",
    "partnerCode",
    "flowCode",
    "cmdCode",
    "motCode",
    "refYear",
)


@st.composite
def comtrade_bodies(draw: st.DrawFn) -> bytes:
    records: list[Any] = [
        comtrade_record(398, 380, year, flow, value)
        for year, flows in KAZ_ITA.items()
        for flow, value in flows.items()
    ]
    for _ in range(draw(st.integers(0, 4))):
        record = dict(draw(st.sampled_from(records)))
        field = draw(st.sampled_from(FIELDS))
        record[field] = draw(hostile_numbers)
        if draw(st.booleans()):
            record.pop(draw(st.sampled_from(FIELDS)), None)
        records.append(record)
    if draw(st.booleans()):
        records.append(draw(json_values))
    records = draw(st.permutations(records))
    document: dict[str, Any] = {"count": draw(st.integers(-1, 100)), "data": records, "error": ""}
    if draw(st.integers(0, 9)) == 0:
        document["error"] = draw(st.text(max_size=20))
    return json.dumps(document, allow_nan=True).encode()


@st.composite
def wdi_bodies(draw: st.DrawFn) -> bytes:
    page = json.loads(wdi_page("TX.VAL.MRCH.CD.WT", {2022: 84.4e9, 2021: 60.3e9}, 1, 1, "2025-07-01"))
    for item in page[1]:
        if draw(st.booleans()):
            item[draw(st.sampled_from(["value", "date", "countryiso3code"]))] = draw(hostile_numbers)
    if draw(st.booleans()):
        page[0]["pages"] = draw(hostile_numbers)
    if draw(st.booleans()):
        page[1].append(draw(json_values))
    return json.dumps(page, allow_nan=True).encode()


bodies = st.one_of(
    comtrade_bodies(),
    comtrade_bodies(),
    wdi_bodies(),
    json_values.map(lambda v: json.dumps(v, allow_nan=True).encode()),
    st.integers(1, 100_000).map(lambda n: b"[" * n),
    st.binary(max_size=64),
    st.just(b"<html><body>maintenance</body></html>"),
    st.just(b""),
)


@settings(
    max_examples=max(60, settings.default.max_examples // 10),  # `--hypothesis-profile=long`: 300
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(
    body=bodies,
    status=st.sampled_from([200, 200, 200, 200, 204, 404, 403, 500]),
    cut=st.one_of(st.none(), st.none(), st.none(), st.integers(0, 400)),
    source=st.sampled_from(["comtrade", "wdi"]),
    years=st.sampled_from(["2018-2020", "2020", "1950-2100", "2020-2019", "x", "2019-"]),
    partner=st.sampled_from(["ITA", "WLD", "ITA,WLD", "ZZZ", "", "ITA,ITA"]),
)
def test_fetch_survives_hostile_answers(
    body: bytes, status: int, cut: int | None, source: str, years: str, partner: str
) -> None:
    with tempfile.TemporaryDirectory() as temporary, Server() as server:
        root = Path(temporary)
        folder = root / "data"
        server.route("/public/v1/getDA/C/A/HS", Reply(body=availability_answer(398, [2018, 2019, 2020], "x")))
        server.route(
            "/public/v1/preview/C/A/HS", Reply(status, body, cut=None if cut is None else min(cut, len(body)))
        )
        for indicator in ("TX.VAL.MRCH.CD.WT", "TM.VAL.MRCH.CD.WT"):
            server.route(f"/v2/country/KAZ/indicator/{indicator}", Reply(status, body))
        args = ["data", "fetch", source, "--reporter", "KAZ", "--years", years, "--base-url", server.url,
                "--wait", "0", "--retries", "0", "--timeout", "2", "--data", str(folder)]  # fmt: skip
        if partner:
            args += ["--partner", partner]
        result = CliRunner().invoke(app, args, catch_exceptions=True, prog_name="tradesim")
        assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
        assert result.exit_code in (0, 2), (result.exit_code, result.stderr)
        assert "Traceback" not in result.stderr
        written = [p for p in root.rglob("*") if p.is_file()]
        assert all(folder in p.parents for p in written)
        if result.exit_code == 0:
            from tradesim.data import folders

            data = folders.load(folder)
            mine = [o for o in data.observations if o.origin.startswith(str(folder))]
            assert mine
            assert all(math.isfinite(o.value) and o.value >= 0 for o in mine)
        else:
            lines = result.stderr.strip().splitlines()
            assert lines[0].startswith("tradesim: error: "), result.stderr
            # one line, or one per problem of an archived answer's records, each naming the answer's file
            assert len(lines) == 1 or all(".body:" in line for line in lines), result.stderr
            assert not list(folder.glob("*.csv"))
