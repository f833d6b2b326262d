"""Country codes: ISO 3166-1 alpha-3 from the ``iso3166`` package, plus the aggregates the data uses.

Codes come from the standard, not from a list typed here (STYLE.md 18). The only aggregate is ``WLD``, the
world, the partner of a reporter's total trade, and ``CENTRAL_ASIA``, a regional target's partner in the
data; neither is ever a scenario's reporter or partner.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

AGGREGATES = {
    "WLD": "the world (a reporter's total trade)",
    "CENTRAL_ASIA": "Kazakhstan, Kyrgyzstan, Tajikistan, Turkmenistan and Uzbekistan (a regional target)",
}


@cache
def _countries() -> dict[str, str]:
    import iso3166  # imported on first use: `tradesim --help` stays light

    return {code: country.name for code, country in iso3166.countries_by_alpha3.items()}


def country_codes() -> frozenset[str]:
    """Every ISO 3166-1 alpha-3 country code."""
    return frozenset(_countries())


# the aggregates as a sentence names them
AGGREGATE_NAMES = {"WLD": "the world", "CENTRAL_ASIA": "Central Asia"}


def country_name(code: str) -> str:
    """``Kazakhstan`` for ``KAZ``: the ISO 3166 name of a country, the plain name of an aggregate (``Central
    Asia``), else the code as it is."""
    return _countries().get(code) or AGGREGATE_NAMES.get(code, code)


def country_problem(code: str) -> str | None:
    """Why ``code`` is not an ISO 3166-1 alpha-3 country code, or ``None`` if it is one.

    No "did you mean" beyond case: three-letter codes are all close to each other (EUR is one letter from URY).
    """
    countries = _countries()
    if code in countries:
        return None
    if code in AGGREGATES:
        return f"{code!r} is an aggregate ({AGGREGATES[code]}), not a country"
    upper = code.upper()
    if upper in countries:
        return f"country codes are upper case: did you mean {upper!r} ({countries[upper]})?"
    return f"must be an ISO 3166-1 alpha-3 country code such as KAZ or ITA, got {code!r}"


# --- Areas: how trade statistics name and number countries, former countries and groups -------------------


@dataclass(frozen=True)
class Area:
    """A country or an aggregate as an importer meets it: its code in the data (ISO 3166 alpha-3 for a
    country), what kind it is (``country``, ``former``, ``group``, ``unspecified``), and the note an imported
    row carries (Taiwan under Comtrade's "Other Asia, nes", a former country kept apart)."""

    code: str
    kind: str
    name: str
    note: str = ""

    @property
    def is_country(self) -> bool:
        return self.kind == "country"


def _key(name: str) -> str:
    """A name compared without case, accents, punctuation or spacing: ``Côte d'Ivoire`` = ``COTE D IVOIRE``."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().casefold()
    return " ".join(re.findall(r"[a-z0-9]+", plain))


@cache
def _areas() -> tuple[dict[str, Area], dict[str, Area], dict[str, Area]]:
    """(by code, by Comtrade numeric or ISO-like code, by name), from ISO 3166 and ``shipped/areas.csv`` (the
    codes and names Comtrade and WITS write that ISO 3166 does not, each row with the file it was read in)."""
    import iso3166

    by_code: dict[str, Area] = {}
    by_number: dict[str, Area] = {}
    by_name: dict[str, Area] = {}
    for country in iso3166.countries:
        area = Area(country.alpha3, "country", country.name)
        by_code[country.alpha3] = area
        by_number[str(int(country.numeric))] = area
        by_number[country.alpha3] = area
        for name in (country.name, country.apolitical_name):
            by_name[_key(name)] = area
    table = files("tradesim.data").joinpath("shipped", "areas.csv").read_text(encoding="utf-8")
    for row in csv.DictReader(io.StringIO(table, newline="")):
        known = by_code.get(row["code"])
        area = Area(row["code"], row["kind"], known.name if known else row["name"], row["note"])
        by_code[area.code] = area
        for number in filter(None, row["comtrade_codes"].split(";")):
            by_number[number] = area
        for name in (row["name"], *filter(None, row["names"].split(";"))):
            by_name[_key(name)] = area
    return by_code, by_number, by_name


def area(code: str) -> Area | None:
    """The country or aggregate a data row's code names (``KAZ``, ``WLD``, ``SUN``), or ``None``."""
    return _areas()[0].get(code)


def area_by_number(code: str) -> Area | None:
    """A Comtrade reporter or partner code (``398``, ``842``; ``0`` is the world) or ISO-like code (``W00``,
    ``S19``), whitespace and leading zeros aside, or ``None``."""
    code = code.strip()
    if code.isdigit():
        code = str(int(code))
    return _areas()[1].get(code.upper())


def area_by_name(name: str) -> Area | None:
    """A country or aggregate by the name a statistics portal writes (``Korea, Rep.``, ``Türkiye``,
    ``Soviet Union``), or ``None``."""
    return _areas()[2].get(_key(name))


def comtrade_forms(code: str) -> list[str]:
    """Every Comtrade number or ISO-like code that stands for the area ``code`` (``KAZ``: ``398``; ``WLD``:
    ``0``, ``W00``), as an importer's prefilter looks for them."""
    return [number for number, found in _areas()[1].items() if found.code == code]
