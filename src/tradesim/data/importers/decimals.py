"""Numbers as tables write them: a decimal point or a decimal comma, thousands grouped or not.

A file has one convention. :func:`convention` finds it from the cells that show it (``3,6`` or ``1.234,5``
can only be a decimal comma; ``4597.924`` or ``1,234,567`` only a decimal point); cells that could be either
(``1,234``: a thousand and some, or one and a bit) follow the others, and a file of nothing but such cells
is an error naming one, unless the decimal is given. :func:`number` then reads a cell by that convention and
refuses one that breaks it (``1,23`` in a decimal-point file), naming the cell. Never a silently wrong
number.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable

SPACES = re.compile(r"[\s\u00a0\u202f\u2009']")  # thousands separated by spaces, no-break spaces, apostrophes
PLAIN = re.compile(r"[+-]?\d+")
SCIENTIFIC = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)[eE][+-]?\d+")
NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")
FIRST = frozenset("0123456789+-.")
MISSING = frozenset(("", "..", "...", "-", "–", "—", "…", "n/a", "na", "x", "nan", "null"))


class DecimalError(ValueError):
    """A cell whose number cannot be read, with why."""


def _shows(cell: str) -> str | None:
    """``.`` or ``,`` when the cell can only be read one way; ``?`` when it can be read both ways; ``None``
    when it shows no decimal at all."""
    text = SPACES.sub("", cell).lstrip("+-")
    if PLAIN.fullmatch(text) or not text:
        return None
    if SCIENTIFIC.fullmatch(text):
        return "."
    for decimal, group in ((".", ","), (",", ".")):
        grouped = rf"\d{{1,3}}(\{group}\d{{3}})+"
        if re.fullmatch(rf"{grouped}\{decimal}\d+", text) or re.fullmatch(
            rf"\d{{1,3}}(\{group}\d{{3}}){{2,}}", text
        ):
            return decimal
    match = re.fullmatch(r"(\d*)([.,])(\d+)", text)
    if match is None:
        return None
    whole, mark, fraction = match.groups()
    if len(fraction) == 3 and 0 < len(whole) <= 3:
        return "?"
    return mark


def convention(cells: Iterable[tuple[str, str]]) -> tuple[str, str | None]:
    """The file's decimal mark from ``(cell, where)`` pairs, and a problem (naming the cell) or ``None``."""
    first: dict[str, str] = {}
    for cell, where in cells:
        shown = _shows(cell)
        if shown is not None:
            first.setdefault(shown, f"{where}: {cell.strip()!r}")
    if "." in first and "," in first:
        return ".", (
            f"the file mixes decimal points ({first['.']}) and decimal commas ({first[',']}); "
            "give --decimal . or --decimal , and fix the cells that differ"
        )
    if "," in first:
        return ",", None
    if "." in first or "?" not in first:
        return ".", None
    return ".", (
        f"{first['?']} could be a thousands separator or a decimal mark, and no other cell tells; "
        "give --decimal . or --decimal ,"
    )


def number(cell: str, decimal: str = ".") -> float | None:
    """The cell's value (``None`` for a missing value: empty, ``..``, ``-``, ``n/a``), by the file's decimal
    mark; :class:`DecimalError` when the cell is not a finite number written that way."""
    if (  # a plain number, fast
        cell.isascii() and cell[:1] in FIRST and "," not in cell and " " not in cell and "_" not in cell
        and "'" not in cell
    ):  # fmt: skip
        try:
            plain = float(cell)
        except ValueError:
            pass  # read again below, for the exact error
        else:
            if math.isfinite(plain) and (decimal == "." or "." not in cell):
                return plain
    text = cell.strip()
    if text.lower() in MISSING:
        return None
    text = SPACES.sub("", text)
    group = "," if decimal == "." else "."
    body = text.lstrip("+-")
    if group in body:
        if not re.fullmatch(rf"\d{{1,3}}(\{group}\d{{3}})+(\{decimal}\d+)?", body):
            raise DecimalError(
                f"{cell.strip()!r} is not a number with decimal mark {decimal!r}"
                + (" (a decimal comma? give --decimal ,)" if decimal == "." else "")
            )
        text = text.replace(group, "")
    if decimal == ",":
        text = text.replace(",", ".")
    if not NUMBER.fullmatch(text):  # float() alone would take "1_000", "infinity", "nan"
        raise DecimalError(f"{cell.strip()!r} is not a number")
    value = float(text)
    if not math.isfinite(value):
        raise DecimalError(f"{cell.strip()!r} is not a finite number")
    return value
