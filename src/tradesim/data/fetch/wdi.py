"""The World Bank's API v2 for World Development Indicators: the requests a query needs, and its rows.

``/v2/country/KAZ/indicator/TX.VAL.MRCH.CD.WT?format=json&date=2015:2025&per_page=1000&page=1`` answers a
list of two: the page's metadata (``page``, ``pages``, ``total``, ``lastupdated``, the indicator's release
date) and the observations (``countryiso3code``, ``date``, ``value``; ``null`` for a year without a figure).
A query asks for merchandise exports and imports (WTO-compiled, current US$): the country's trade with the
world, ``reported_by`` ``WDI`` as the shipped WDI rows are, ``published`` the answer's ``lastupdated``. Later
pages are asked when the first says there are more.
"""

from __future__ import annotations

import math

from tradesim.data.fetch.client import Request, parse_json
from tradesim.data.importers import wdi as download
from tradesim.data.importers.imported import Row
from tradesim.data.observation import PUBLISHED
from tradesim.errors import InputError

BASE = "https://api.worldbank.org"
# flow → the merchandise indicator (goods, WTO-compiled), as the reader of WDI downloads knows them
INDICATORS = {flow: code for code, (kind, flow, _) in download.INDICATORS.items() if kind == "trade"}
PER_PAGE = 1000
PUBLISHER = "World Bank, World Development Indicators (API v2)"


def requests_for(
    base: str, reporter: str, years: list[int], flow: str | None, page: int = 1
) -> list[Request]:
    flows = [flow] if flow in INDICATORS else list(INDICATORS)
    return [page_request(base, reporter, years, INDICATORS[f], page) for f in flows if f is not None]


def page_request(base: str, reporter: str, years: list[int], indicator: str, page: int) -> Request:
    return Request(
        "wdi",
        f"{base.rstrip('/')}/v2/country/{reporter}/indicator/{indicator}",
        (
            ("format", "json"),
            ("date", f"{years[0]}:{years[-1]}"),
            ("per_page", str(PER_PAGE)),
            ("page", str(page)),
        ),
        f"{reporter} {indicator} {years[0]}–{years[-1]}" + (f", page {page}" if page > 1 else ""),
        "data" if page == 1 else "page",
        base.rstrip("/"),
    )


def document(body: bytes, where: str) -> tuple[dict[str, object], list[object]]:
    """(metadata, observations) of one page; an error answer, a page, or a body that is not JSON refused."""
    found = parse_json(body, where)
    if isinstance(found, list) and found and isinstance(found[0], dict) and "message" in found[0]:
        messages = found[0]["message"]
        said = (
            "; ".join(f"{m.get('key', '')}: {m.get('value', '')}" for m in messages if isinstance(m, dict))
            if isinstance(messages, list)
            else str(messages)
        )
        raise InputError(f"{where}: the World Bank says: {' '.join(said.split())[:200]}")
    if not (isinstance(found, list) and len(found) == 2 and isinstance(found[0], dict)):
        raise InputError(f"{where}: not a World Bank API v2 answer (a list of metadata and observations)")
    return found[0], (found[1] if isinstance(found[1], list) else [])


def pages(body: bytes, where: str) -> int:
    meta, _ = document(body, where)
    value = meta.get("pages", 1)
    return value if isinstance(value, int) and 0 <= value <= 1000 else 1


def rows(
    body: bytes, where: str, reporter: str, flow: str, url: str, note: str, retrieved: str = ""
) -> tuple[list[Row], int]:
    """The page's figures as rows, and how many of its records were left (no value, another country)."""
    meta, found = document(body, where)
    published = str(meta.get("lastupdated") or "")[:10]
    if not PUBLISHED.match(published):  # no date, no release date
        published = ""
    out: list[Row] = []
    left = 0
    for item in found:
        if not isinstance(item, dict):
            left += 1
            continue
        value = item.get("value")
        date = str(item.get("date", ""))
        who = str(item.get("countryiso3code") or "")
        indicator = item.get("indicator")
        indicator_id = str(indicator.get("id", "")) if isinstance(indicator, dict) else ""
        if (
            value is None
            or isinstance(value, bool)
            or not isinstance(value, int | float)
            or not math.isfinite(value)
            or value < 0
            or not (date.isdigit() and len(date) == 4)
            or who != reporter
            or indicator_id not in INDICATORS.values()
        ):
            left += 1
            continue
        source = f"{PUBLISHER}, {indicator_id}"
        out.append(
            ("trade", reporter, "WLD", flow, int(date), "FY", float(value), "USD", "reported", "WDI", source, url,
             note, published, "TOTAL", "TOTAL", retrieved)
        )  # fmt: skip
    return out, left
