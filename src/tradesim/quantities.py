"""Parsing and formatting of the quantities people type and read: amounts, rates and shares.

Amounts are plain numbers in currency units (``1.45e10``); rates and shares are fractions (``0.07``).
The parsers accept what analysts write (``20B``, ``$20 billion``, ``7%``, ``1/6``) and reject NaN, infinities
and garbage with an :class:`~tradesim.errors.InputError` that repeats the bad text.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace

from tradesim.errors import InputError

_SCALES = {
    "": 1.0,
    "k": 1e3,
    "thousand": 1e3,
    "m": 1e6,
    "mn": 1e6,
    "mln": 1e6,
    "million": 1e6,
    "b": 1e9,
    "bn": 1e9,
    "billion": 1e9,
    "t": 1e12,
    "tn": 1e12,
    "trillion": 1e12,
    # the abbreviations Kazakh, Russian and Italian sources write: scales, never currencies
    "bln": 1e9,
    "mld": 1e9,  # miliardi
    "mrd": 1e9,
    "млрд": 1e9,  # миллиард
    "млн": 1e6,  # миллион
    "тыс": 1e3,  # тысяча
    "трлн": 1e12,  # триллион
}
_AMOUNT = re.compile(
    r"^(?P<sign>[-+−]?)\s*(?:(?P<symbol>[$€£])|(?P<prefix>[A-Z]{3})\s)?\s*"
    r"(?P<number>[0-9][0-9_,]*(?:\.[0-9_]+)?(?:e[-+]?[0-9]+)?|\.[0-9_]+)"
    r"\s*(?P<scale>[^\W\d_]*)\.?(?:\s+(?P<suffix>[A-Z]{3}))?$",
    re.IGNORECASE,
)
_CURRENCY_SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£"}
_SYMBOL_CURRENCY = {"$": "USD", "€": "EUR", "£": "GBP"}

# The finite domain (README "Exit codes and errors"): what a trade model can meaningfully hold. World trade is
# about 3e13 USD a year; an amount beyond 1e15 (a thousand trillion) or a rate beyond +1000%/yr is a typo, and
# either would let a path overflow to infinity within the 200 years a scenario may span.
MAX_AMOUNT = 1e15
MIN_POSITIVE_AMOUNT = 1.0  # one currency unit: a smaller "positive" baseline or target is a unit mistake
MIN_PLAIN_AMOUNT = 1e6  # an amount written with no scale and no currency below this is a missing "B" or "M"
MAX_RATE = 10.0


def _subject(what: str) -> str:
    return f"{what} " if what else ""


def _finite(value: float, text: object, what: str) -> float:
    if not math.isfinite(value):
        raise InputError(f"{_subject(what)}must be a finite number, got {text!r}")
    return value


def _as_float(value: float) -> float:
    """``float(value)``, with an integer too large for a float (TOML allows them) as infinity."""
    try:
        return float(value)
    except OverflowError:
        return math.inf


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _shown(text: object) -> str:
    """The bad input as the user wrote it: strings and numbers as they are, anything else by its TOML type."""
    if isinstance(text, str | int | float):
        return repr(text)
    if isinstance(text, dict):
        return "a table"
    if isinstance(text, list | tuple):
        return "a list"
    return f"a {type(text).__name__} value"  # TOML dates and times


def parse_amount(text: str | float | int, *, what: str = "amount", positive: bool = False) -> float:
    """Parse ``20e9``, ``20_000_000_000``, ``20B``, ``20bn``, ``$20B``, ``20 billion``, ``500M`` to a float.

    A currency other than ``$`` is refused here: only targets carry one (:func:`parse_money`).

    >>> parse_amount("$20B")
    20000000000.0
    """
    value, currency = parse_money(text, what=what, positive=positive)
    if currency not in (None, "USD"):
        raise InputError(
            f"{_subject(what)}takes no currency but the scenario's (only a target may be in another), got {text!r}"
        )
    return value


def has_no_scale(text: str | float | int) -> bool:
    """Whether an amount was written as a bare number: no scale word or letter, no currency (``20``,
    ``5000000``; not ``20B``, ``$20``, ``20 USD``)."""
    if _is_number(text):
        return True
    if not isinstance(text, str):
        return False
    match = _AMOUNT.match(text.strip())
    if match is None or match.group("scale") or match.group("symbol"):
        return False
    return not (match.group("prefix") or match.group("suffix"))


def parse_money(
    text: str | float | int, *, what: str = "amount", positive: bool = False
) -> tuple[float, str | None]:
    """An amount and its currency, if written: ``€20B``, ``20B EUR``, ``EUR 20bn``, ``$20B`` (USD), ``20e9``
    (none). Codes are three letters (ISO 4217).

    >>> parse_money("EUR 20bn")
    (20000000000.0, 'EUR')
    """
    if not (_is_number(text) or isinstance(text, str)):
        raise InputError(f"{_subject(what)}must be a number like 20e9 or 20B, got {_shown(text)}")
    currency = None
    match, word = None, ""
    if isinstance(text, int | float):
        value = _finite(_as_float(text), text, what)
    else:
        match = _AMOUNT.match(text.strip())
        word = match.group("scale") if match else ""
        codes = [c.upper() for c in (match.group("prefix"), match.group("suffix")) if c] if match else []
        if (
            word.lower() not in _SCALES and len(word) == 3 and word.isascii() and not codes
        ):  # `20 EUR`: a code
            word, codes = "", [word.upper()]
        scale = _SCALES.get(word.lower()) if match else None
        if match is None or scale is None or len(codes) > 1 or (codes and match.group("symbol")):
            raise InputError(
                f"{_subject(what)}must be a number like 20e9, 20_000_000_000, 20B, $20bn or 500M, got {text!r}"
            )
        currency = codes[0] if codes else _SYMBOL_CURRENCY.get(match.group("symbol") or "")
        number = float(match.group("number").replace("_", "").replace(",", ""))
        sign = -1.0 if match.group("sign") in ("-", "−") else 1.0
        value = _finite(sign * number * scale, text, what)
    if positive and value <= 0:
        raise InputError(f"{_subject(what)}must be greater than zero, got {text!r}")
    if abs(value) > MAX_AMOUNT:
        raise InputError(f"{_subject(what)}must be at most 1e15 (a thousand trillion) in size, got {text!r}")
    if positive and value < MIN_POSITIVE_AMOUNT:
        raise InputError(f"{_subject(what)}must be at least 1 (one currency unit), got {text!r}")
    plain = _is_number(text) or (match is not None and not word and currency is None)
    if positive and plain and value < MIN_PLAIN_AMOUNT:  # a target or a baseline, not a change or a spread
        shown = text if isinstance(text, str) else f"{text:g}"
        raise InputError(
            f"{_subject(what)}{shown} has no scale: {value:g} currency units is implausibly small for a country's "
            f"trade; did you mean {shown}B? (write {shown} USD, or another currency code, to mean {value:g} units)"
        )
    return value, currency


@dataclass(frozen=True)
class TargetAmount:
    """A target as it was given: the amount, its currency (``None``: the scenarios', once :meth:`settled`), the
    text it was written as and where (``--target``, or a scenario file's key). One value, from the command line
    to every title, note and JSON field."""

    amount: float
    currency: str | None
    text: str
    source: str = "--target"

    def settled(self, currencies: set[str] | frozenset[str]) -> TargetAmount:
        """The target with its currency: its own, else the one currency of the scenarios it is read against.
        A bare amount over scenarios in more than one currency is refused: which one it means is not known."""
        if self.currency is not None or not currencies:
            return self
        if len(currencies) > 1:
            codes = sorted(currencies)
            raise InputError(
                f"{self.source} {self.text}: the scenarios use {' and '.join(codes)}: write "
                f"{self.source} '{self.text} {codes[-1]}' (or another currency) to say which"
            )
        return replace(self, currency=next(iter(currencies)))

    def label(self) -> str:
        """``$20.0B``, ``€17.7B`` (the scenario's dollars when no currency is known yet)."""
        return format_money(self.amount, self.currency or "USD")

    def to_json(self) -> dict[str, object]:
        return {"amount": self.amount, "currency": self.currency, "text": self.text, "source": self.source}


def parse_target(text: str | float | int, *, what: str = "--target") -> TargetAmount:
    """A target from its text: ``20B``, ``€20B``, ``20B EUR`` (:func:`parse_money`; positive)."""
    amount, currency = parse_money(text, what=what, positive=True)
    return TargetAmount(amount, currency, str(text), what)


class ParsedRate(float):
    """A rate the program already holds as a fraction (a solved rate, a parsed option): taken as it is, where a
    bare number above 1 from a person is refused (:func:`parse_rate`)."""


def parse_rate(text: str | float | int, *, what: str = "rate") -> float:
    """Parse an annual rate: ``0.07`` or ``7%`` → 0.07. Rates at or below −100% are rejected, and so is a
    rate above 1 (100%) written without ``%``: ``5`` is far likelier a missing percent sign than +500%.

    >>> parse_rate("7%")
    0.07
    """
    if not (_is_number(text) or isinstance(text, str)):
        raise InputError(f"{_subject(what)}must be a rate like 0.07 or 7%, got {_shown(text)}")
    if isinstance(text, int | float):
        value = _as_float(text)
    else:
        raw = text.strip().replace("−", "-")
        try:
            value = float(raw[:-1]) / 100 if raw.endswith("%") else float(raw)
        except ValueError:
            raise InputError(f"{_subject(what)}must be a rate like 0.07 or 7%, got {text!r}") from None
    _finite(value, text, what)
    if value <= -1:
        raise InputError(
            f"{_subject(what)}must be greater than -100% (a flow cannot fall below zero), got {text!r}"
        )
    if value > MAX_RATE:
        raise InputError(f"{_subject(what)}must be at most +1000% a year, got {text!r}")
    if (
        value > 1
        and not isinstance(text, ParsedRate)
        and not (isinstance(text, str) and text.strip().endswith("%"))
    ):
        shown = text.strip() if isinstance(text, str) else f"{value:g}"
        raise InputError(
            f"{what + ' ' if what else ''}{shown}: did you mean {shown}%? write {value * 100:g}% to mean it"
        )
    return value


def parse_share(text: str | float | int, *, what: str = "share") -> float:
    """Parse a share strictly between 0 and 1: ``1/6``, ``0.1667`` or ``16.7%``."""
    if not (_is_number(text) or isinstance(text, str)):
        raise InputError(f"{_subject(what)}must be a fraction like 1/6, 0.1667 or 16.7%, got {_shown(text)}")
    try:
        if isinstance(text, int | float):
            value = _as_float(text)
        elif "/" in text:
            numerator, denominator = text.split("/", 1)
            value = float(numerator) / float(denominator)
        elif text.strip().endswith("%"):
            value = float(text.strip()[:-1]) / 100
        else:
            value = float(text)
    except (ValueError, ZeroDivisionError, OverflowError):
        raise InputError(
            f"{_subject(what)}must be a fraction like 1/6, 0.1667 or 16.7%, got {text!r}"
        ) from None
    _finite(value, text, what)
    if not 0 < value < 1:
        raise InputError(f"{_subject(what)}must be strictly between 0 and 1 (0% and 100%), got {text!r}")
    return value


def count(n: int, word: str, plural: str | None = None) -> str:
    """``1 scenario``, ``5 scenarios``, ``1 entry``/``2 entries`` (with ``plural``): a number of things in words."""
    return f"{n:,} {word if n == 1 else (plural or word + 's')}"


def format_money(value: float, currency: str = "USD", digits: int = 1) -> str:
    """``1.45e10`` → ``$14.5B``; ``-1.5e9`` → ``−$1.5B``; ``5e8`` → ``$500.0M``."""
    if not math.isfinite(value):
        return str(value)
    symbol = _CURRENCY_SYMBOLS.get(currency, currency + " ")
    sign = "−" if value < 0 else ""
    magnitude = abs(value)
    for scale, suffix in ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "k")):
        if magnitude >= scale:
            return f"{sign}{symbol}{magnitude / scale:.{digits}f}{suffix}"
    return f"{sign}{symbol}{magnitude:.0f}"


def format_percent(value: float, digits: int = 1, *, signed: bool = False) -> str:
    """``0.1037`` → ``10.4%``; with ``signed`` → ``+10.4%`` (and ``−2.0%`` with a real minus sign)."""
    if not math.isfinite(value):
        return str(value)
    text = f"{value * 100:{'+' if signed else ''}.{digits}f}%"
    return text.replace("-", "−")
