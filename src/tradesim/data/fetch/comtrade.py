"""UN Comtrade+ API v1: the requests a query needs, and the rows its answers hold.

- With a subscription key: ``/data/v1/get/C/A/HS`` (up to 100,000 rows a call); without one, the public
  preview ``/public/v1/preview/C/A/HS`` (500 rows a call). The release dates come from the data-availability
  call of the same kind (``/data/v1/getDA/C/A/HS``, ``/public/v1/getDA/C/A/HS``): its ``lastReleased`` per
  reporter and year is each row's ``published``.
- The fixed selectors that leave one total row per reporter, partner, flow and year: ``customsCode=C00``
  (all customs procedures), ``motCode=0`` (all modes of transport), ``partner2Code=0`` (the world as second
  partner).
- A call asks for at most :data:`YEARS_PER_CALL` years (the API's cap on ``period``); more are split.
- Reporter and partner numbers come from the shipped reference (``shipped/comtrade_reporters.csv``: code,
  ISO alpha-3, name, first and last year of validity, group — the API's ``Reporters.json`` as recorded in
  ropensci/comtradr, ``tests/testthat/re_tb2/comtradeapi.un.org/files/v1/app/reference/Reporters.json.R``,
  commit 4228faca07be54e5485dc08c263d1e10a5784d2a, 2025-12-07): a year is asked under the number valid that
  year (Germany 280 until 1990, 276 from 1991), and the world is partner 0.

An answer's rows pass through the importer of Comtrade+ API JSON (:func:`tradesim.data.importers.read`): the
same reading, the same account of every record, the row's own classification and its valuation (CIF for
imports, FOB for exports, as the API's ``cifvalue``/``fobvalue`` and ``primaryValue`` say).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

from tradesim.data.fetch.client import Request, parse_json
from tradesim.data.observation import PUBLISHED
from tradesim.errors import InputError

BASE = "https://comtradeapi.un.org"
YEARS_PER_CALL = 12
FLOWS = {"export": "X", "import": "M", "total": "X,M", None: "X,M"}
KEY_HEADER = "Ocp-Apim-Subscription-Key"
PUBLISHER = "UN Comtrade+ API"


@dataclass(frozen=True)
class Code:
    code: int
    iso3: str
    name: str
    first: int
    last: int  # 9999: still valid


@cache
def reference() -> tuple[Code, ...]:
    text = files("tradesim.data").joinpath("shipped", "comtrade_reporters.csv").read_text(encoding="utf-8")
    return tuple(
        Code(int(r["code"]), r["iso3"], r["name"], int(r["from"]), int(r["until"] or 9999))
        for r in csv.DictReader(io.StringIO(text, newline=""))
    )


def code_for(iso3: str, year: int) -> int:
    """The Comtrade number of ``iso3`` in ``year`` (``WLD``: 0)."""
    if iso3 == "WLD":
        return 0
    found = [c for c in reference() if c.iso3 == iso3]
    if not found:
        raise InputError(
            f"Comtrade has no reporter or partner number for {iso3} (shipped/comtrade_reporters.csv)"
        )
    valid = [c for c in found if c.first <= year <= c.last]
    if valid:
        return valid[0].code
    return max(found, key=lambda c: c.last).code  # before its first year: the number it has had since


def chunks(years: list[int]) -> list[list[int]]:
    return [years[i : i + YEARS_PER_CALL] for i in range(0, len(years), YEARS_PER_CALL)]


def requests_for(
    base: str,
    keyed: bool,
    reporter: str,
    partners: list[str],
    years: list[int],
    flow: str | None,
    commodity: str,
    mirror: bool,
) -> list[Request]:
    """The availability and data calls for the query: the reporter's side, and with ``mirror`` each partner's
    report of the same trade."""
    sides = [(reporter, partners)]
    if mirror:
        sides += [(p, [reporter]) for p in partners if p != "WLD"]
    base = base.rstrip("/")
    root = f"{base}/{'data/v1' if keyed else 'public/v1'}"
    data_path = f"{root}/get/C/A/HS" if keyed else f"{root}/preview/C/A/HS"
    out: list[Request] = []
    for who, whom in sides:
        by_code: dict[tuple[int, tuple[int, ...]], list[int]] = {}
        for year in years:
            key = (code_for(who, year), tuple(code_for(p, year) for p in whom))
            by_code.setdefault(key, []).append(year)
        for (number, numbers), its_years in by_code.items():
            for part in chunks(its_years):
                period = ",".join(map(str, part))
                span = f"{part[0]}–{part[-1]}" if len(part) > 1 else str(part[0])
                out.append(
                    Request(
                        "comtrade",
                        f"{root}/getDA/C/A/HS",
                        (("reporterCode", str(number)), ("period", period)),
                        f"{who}'s release dates {span}",
                        "availability",
                        base,
                    )
                )
                out.append(
                    Request(
                        "comtrade",
                        data_path,
                        (
                            ("reporterCode", str(number)),
                            ("partnerCode", ",".join(map(str, numbers))),
                            ("period", period),
                            ("flowCode", FLOWS[flow]),
                            ("cmdCode", commodity),
                            ("customsCode", "C00"),
                            ("motCode", "0"),
                            ("partner2Code", "0"),
                            ("includeDesc", "true"),
                        ),
                        f"{who} → {', '.join(whom)} {span}",
                        "data",
                        base,
                    )
                )
    return out


def document(body: bytes, where: str) -> dict[str, object]:
    """The answer as JSON: ``{"count", "data", "error"}``; a page, a truncated or non-JSON body refused."""
    found = parse_json(body, where)
    if not isinstance(found, dict) or not isinstance(found.get("data", []), list):
        raise InputError(f'{where}: the answer is not a Comtrade+ API answer (no "data" list)')
    error = found.get("error")
    if error:
        raise InputError(f"{where}: Comtrade says: {' '.join(str(error).split())[:200]}")
    return found


def released(body: bytes, where: str) -> dict[tuple[str, str], str]:
    """(reporter number, year) → the date of the latest release (``lastReleased``), from an availability answer."""
    out = {}
    items = document(body, where).get("data")
    for item in items if isinstance(items, list) else []:
        if not isinstance(item, dict):
            continue
        stamp = str(item.get("lastReleased") or item.get("publicationDate") or "")[:10]
        if not PUBLISHED.match(stamp):  # no date, no release date: the row's `published` stays empty
            continue
        number = str(item.get("reporterCode", "")).strip()
        period = str(item.get("period", "")).strip()[:4]
        if stamp and number and period:
            out[(number, period)] = stamp
    return out
