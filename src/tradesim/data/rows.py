"""One row of a data folder, checked: what the row reader (:mod:`.folders`) and the columns reader
(:mod:`.columnar`) share — the delimiter, the interned text, the release date and the codes' problems — so
that the two read every file alike."""

from __future__ import annotations

import datetime as dt
import functools
import sys

from tradesim.data.observation import COLUMNS, OPTIONAL_COLUMNS, PUBLISHED, code_problems, money_unit

ORDER = {name: i for i, name in enumerate((*COLUMNS, *OPTIONAL_COLUMNS))}


def delimiter_of(first: str) -> str:
    """``;`` for Excel's CSV where the decimal mark is a comma (a header with semicolons and no comma)."""
    first = first.split("\n", 1)[0]
    return ";" if ";" in first and "," not in first else ","


def shared(value: str) -> str:
    """A field stripped and interned: a data folder's rows repeat the same codes, units, statuses and sources
    a million times; one string each instead of one per row is most of a large folder's memory."""
    return sys.intern(value.strip())


def is_release_date(text: str) -> bool:
    """An ISO date as precise as its source: YYYY-MM-DD, YYYY-MM or YYYY."""
    if not PUBLISHED.match(text):
        return False
    try:
        dt.date.fromisoformat(text if len(text) == 10 else f"{text}-01-01"[:10])
    except ValueError:
        return False
    return True


@functools.lru_cache(maxsize=1 << 16)
def codes_checked(
    kind: str,
    reporter: str,
    partner: str,
    flow: str,
    period: str,
    unit: str,
    status: str,
    reported_by: str,
    undated: bool,
) -> tuple[tuple[tuple[str, str], ...], float | None]:
    """The (column, message) problems of a row's codes (the :func:`~tradesim.data.observation.code_problems`
    of the one row model), and its unit's scale (``None``: not money). Cached: a data folder of a million rows
    holds a few hundred distinct combinations."""
    values = {"kind": kind, "reporter": reporter, "partner": partner, "flow": flow, "period": period,
              "unit": unit, "status": status, "reported_by": reported_by, "undated": undated}  # fmt: skip
    money = money_unit(unit)
    return tuple(code_problems(values)), (money[1] if money else None)
