"""A local HTTP server on 127.0.0.1 that serves recorded answers, for the tests of ``tradesim data fetch``.

The answers' shapes are the real APIs': a Comtrade+ v1 data answer as ropensci/comtradr records it
(``tests/testthat/goods/comtradeapi.un.org/data/v1/get/C/A/HS-60a6ad.json``, commit
529bb516b69590c359e63ac644f838e6056ee02a: ``elapsedTime``, ``count``, ``data`` with every field of a record,
``error``); its empty answer is the real one (``tests/data/real/comtradeplus_api_services_empty.json``); the
availability answer has the fields ``reporterCode``, ``period``, ``datasetChecksum``, ``lastReleased``; a World
Bank v2 page is ``[{page, pages, per_page, total, sourceid, lastupdated}, [{indicator, country,
countryiso3code, date, value, unit, obs_status, decimal}]]``. The *figures* are not copied from those
recordings (GPL): they are Kazakhstan–Italy figures from tradesim's own sourced data (shipped rows, e.g.
KAZ→ITA exports 2019 $8.38B, imports $1.58B), so a test's expected value is a sourced number.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

# KAZ's own figures for its trade with Italy (shipped data, reported by KAZ), US$
KAZ_ITA = {
    2018: {"X": 11.7e9, "M": 1.5e9},
    2019: {"X": 8.38e9, "M": 1.58e9},
    2020: {"X": 6.64e9, "M": 0.9732e9},
}
# Italy's side, as a mirror: illustrative figures of the order the shipped ISTAT rows give (Italy reports about a
# third of Kazakhstan's figure: README "Kazakh and Italian statistics differ about threefold")
ITA_KAZ = {2019: {"X": 1.3e9, "M": 3.1e9}, 2020: {"X": 0.8e9, "M": 2.4e9}}
ISO = {398: ("KAZ", "Kazakhstan"), 380: ("ITA", "Italy"), 0: ("W00", "World")}


def comtrade_record(reporter: int, partner: int, year: int, flow: str, value: float) -> dict[str, object]:
    """One record of a Comtrade+ v1 data answer, every field as the API writes it."""
    r_iso, r_name = ISO[reporter]
    p_iso, p_name = ISO[partner]
    return {
        "typeCode": "C", "freqCode": "A", "refPeriodId": int(f"{year}0101"), "refYear": year, "refMonth": 52,
        "period": str(year), "reporterCode": reporter, "reporterISO": r_iso, "reporterDesc": r_name,
        "flowCode": flow, "flowDesc": "Export" if flow == "X" else "Import", "partnerCode": partner,
        "partnerISO": p_iso, "partnerDesc": p_name, "partner2Code": 0, "partner2ISO": "W00",
        "partner2Desc": "World", "classificationCode": "H5", "classificationSearchCode": "HS",
        "isOriginalClassification": True, "cmdCode": "TOTAL", "cmdDesc": "All Commodities", "aggrLevel": 0,
        "isLeaf": False, "customsCode": "C00", "customsDesc": "TOTAL CPC", "mosCode": "0", "motCode": 0,
        "motDesc": "TOTAL MOT", "qtyUnitCode": -1, "qtyUnitAbbr": "N/A", "qty": None, "isQtyEstimated": False,
        "altQtyUnitCode": -1, "altQtyUnitAbbr": "N/A", "altQty": None, "isAltQtyEstimated": False,
        "netWgt": None, "isNetWgtEstimated": False, "grossWgt": None, "isGrossWgtEstimated": False,
        "cifvalue": value if flow == "M" else None, "fobvalue": value if flow == "X" else None,
        "primaryValue": value, "legacyEstimationFlag": 0, "isReported": True, "isAggregate": False,
    }  # fmt: skip


def comtrade_answer(reporter: int, partner: int, figures: dict[int, dict[str, float]]) -> bytes:
    records = [
        comtrade_record(reporter, partner, year, flow, value)
        for year, flows in sorted(figures.items())
        for flow, value in flows.items()
    ]
    return json.dumps(
        {"elapsedTime": "0.03 secs", "count": len(records), "data": records, "error": ""}
    ).encode()


def availability_answer(reporter: int, years: list[int], released: str) -> bytes:
    data = [
        {"datasetCode": int(f"{reporter}{y}"), "typeCode": "C", "freqCode": "A", "period": str(y),
         "reporterCode": reporter, "classificationCode": "H5", "totalRecords": 1000, "datasetChecksum": -140332,
         "firstReleased": f"{y + 1}-03-01T00:00:00", "lastReleased": released}
        for y in years
    ]  # fmt: skip
    return json.dumps({"elapsedTime": "0.01 secs", "count": len(data), "data": data, "error": ""}).encode()


def wdi_page(indicator: str, values: dict[int, float | None], page: int, pages: int, updated: str) -> bytes:
    meta = {"page": page, "pages": pages, "per_page": 1000, "total": len(values) * pages, "sourceid": "2",
            "sourcename": "World Development Indicators", "lastupdated": updated}  # fmt: skip
    rows = [
        {"indicator": {"id": indicator, "value": "Merchandise exports (current US$)"},
         "country": {"id": "KZ", "value": "Kazakhstan"}, "countryiso3code": "KAZ", "date": str(year),
         "value": value, "unit": "", "obs_status": "", "decimal": 0}
        for year, value in sorted(values.items(), reverse=True)
    ]  # fmt: skip
    return json.dumps([meta, rows]).encode()


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds before answering
    cut: int | None = None  # send only this many bytes of the body (a Content-Length promising all of it)


@dataclass
class Seen:
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    at: float


class Server:
    """Routes (a path → the replies to give in turn; the last one repeats) and the requests seen."""

    def __init__(self) -> None:
        self.routes: dict[str, list[Reply]] = {}
        self.seen: list[Seen] = []
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                parts = urlsplit(self.path)
                owner.seen.append(
                    Seen(parts.path, parse_qs(parts.query), dict(self.headers), time.monotonic())
                )
                replies = owner.routes.get(parts.path)
                reply = (replies.pop(0) if len(replies) > 1 else replies[0]) if replies else Reply(404, b"{}")
                if reply.delay:
                    time.sleep(reply.delay)
                self.send_response(reply.status)
                headers = {"Content-Type": "application/json", **reply.headers}
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(reply.body)))
                self.end_headers()
                try:
                    self.wfile.write(reply.body if reply.cut is None else reply.body[: reply.cut])
                    if reply.cut is not None:
                        self.wfile.flush()
                        self.close_connection = True
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def log_message(self, format: str, *args: object) -> None:  # quiet
                return

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def route(self, path: str, *replies: Reply) -> None:
        self.routes[path] = list(replies)

    def __enter__(self) -> Server:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def calls(self, path: str) -> list[Seen]:
        return [s for s in self.seen if s.path == path]


def serving() -> Iterator[Server]:
    with Server() as server:
        yield server
