"""Country codes: ISO 3166-1 alpha-3 from the ``iso3166`` package, plus the aggregates the data uses.

Codes come from the standard, not from a list typed here (STYLE.md 18). The only aggregate is ``WLD``, the
world, the partner of a reporter's total trade, and ``CENTRAL_ASIA``, a regional target's partner in the
data; neither is ever a scenario's reporter or partner.
"""

from __future__ import annotations

from functools import cache

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
