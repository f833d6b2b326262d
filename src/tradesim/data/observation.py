"""One sourced figure (:class:`Observation`) and the vocabulary of the data schema.

The shipped file and every data-folder CSV have the columns :data:`COLUMNS` (plus, optionally,
:data:`OPTIONAL_COLUMNS`). What each coded column may hold — :data:`KINDS`, :data:`FLOWS`, :data:`PERIODS`
(:data:`PERIOD`), :data:`STATUSES`, units (:func:`money_unit`) — is defined here once; the readers, the
README's tables and the selection rule (:mod:`.dataset`) use these names.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from tradesim.quantities import format_money

COLUMNS = (
    "kind",
    "reporter",
    "partner",
    "flow",
    "year",
    "period",
    "value",
    "unit",
    "status",
    "reported_by",
    "source",
    "url",
    "note",
)
OPTIONAL_COLUMNS = (
    "published",  # when the figure was released (ISO 8601: 2024-03-01, or as precisely as its source says)
    "classification",  # of the commodity: TOTAL (all goods, the default), HS or H0–H6, SITC or S1–S4, BEC, EBOPS
    "commodity",  # its code exactly as the source writes it (27, 2709, 3); TOTAL for all goods (the default)
    "retrieved",  # when `data fetch` received it from the source (UTC: 2026-12-07T08:01:02Z); empty otherwise
)
RECORD = (*COLUMNS, *OPTIONAL_COLUMNS, "origin")  # a row as an output lists it (then its "amount")
TOTAL = "TOTAL"  # all goods: the classification and commodity of a pair's trade
CLASSIFICATION = re.compile(
    r"^(TOTAL|HS|H[0-6]|HS(?:92|96|02|07|12|17|22)|SITC|S[1-4]|BEC\d?|EBOPS(?:\d{4})?|WITS|CMO)$"
)  # CMO: the World Bank's commodity price series (Pink Sheet), for kind = price
# a code as the source writes it: 27, 2709, CRUDE_BRENT, or a WITS product group's name (Food Products)
COMMODITY = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9_.\- ]{0,38}[A-Za-z0-9_.\-])?$")


def classification_family(classification: str) -> str:
    """``HS``, ``H5`` and ``HS12`` are one family (their codes nest alike), as are ``SITC`` and ``S4``."""
    if classification.startswith("H"):
        return "HS"
    if classification.startswith("S"):
        return "SITC"
    return classification


Product = tuple[
    str, str | None
]  # one product's series: (code, classification family; None: as the data has it)
ALL_GOODS: Product = (TOTAL, None)  # the pair's trade


def split_product(text: str) -> Product:
    """``HS:27`` → ``("27", "HS")``, ``H5:2709`` → ``("2709", "HS")``, ``27`` → ``("27", None)``."""
    classification, _, code = text.rpartition(":")
    return code, (classification_family(classification) if classification else None)


def product_words(product: Product) -> str:
    """``HS 27``; ``27`` for a code of no family yet; ``""`` for all goods: a product in a sentence."""
    code, family = product
    return "" if product == ALL_GOODS else f"{family} {code}" if family else code


def commodity_problem(classification: str, commodity: str) -> tuple[str, str] | None:
    """(column, message) when a row's classification and commodity do not go together, else ``None``: a
    classification of the vocabulary, a code of letters and digits, and ``TOTAL`` with ``TOTAL`` only."""
    if not CLASSIFICATION.match(classification):
        return (
            "classification",
            "must be TOTAL, HS (or H0–H6, HS92–HS22), SITC (or S1–S4), BEC, EBOPS, WITS or CMO (prices)",
        )
    if not COMMODITY.match(commodity):
        return (
            "commodity",
            "must be a commodity code as the source writes it (27, 2709, 3, Food Products) or TOTAL",
        )
    if (classification == TOTAL) != (commodity.upper() == TOTAL):
        return (
            "commodity",
            f"TOTAL goes with the classification TOTAL (this row: {classification} {commodity})",
        )
    return None


PUBLISHED = re.compile(r"^\d{4}(?:-(?:0[1-9]|1[0-2])(?:-(?:0[1-9]|[12]\d|3[01]))?)?$")
RETRIEVED = re.compile(
    r"^\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])T(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\dZ$"
)
KINDS = ("trade", "services", "goods_and_services", "share", "target", "fx", "price")
FLOWS = {
    "trade": ("total", "export", "import", "re-export", "re-import"),
    "services": ("total", "export", "import"),  # trade in services, never added into a goods total
    # goods and services together, national-accounts basis (WDI NE.EXP.GNFS.CD): never taken for goods trade
    "goods_and_services": ("total", "export", "import"),
    "share": ("total", "export", "import"),
    "target": ("total", "export", "import"),
    "fx": ("rate",),
    "price": ("price",),  # a commodity's price (Brent, USD_per_bbl): a driver of a product leg, never trade
}
STATUSES = (
    "reported",
    "approximate",
    "derived",
    "estimated",  # an estimate from a share or a growth rate (the formula in `source`), not an exact sum
    "unverified",
    "doubtful_unit",
    "computed",
    "partial",
    "stated",
    "superseded",  # a first release later revised: kept for `backtest --vintage first`, never taken otherwise
)
STATUS_RANK = {
    "reported": 0,
    "approximate": 1,
    "derived": 2,
    "estimated": 3,
    "unverified": 4,
}  # a lookup takes these
ESTIMATES = ("estimated", "unverified")  # below every official figure and exact sum, whatever their dates
FULL_YEAR = "FY"
PERIOD_RANK = {FULL_YEAR: 0, "FY-as-stated": 1}  # any other period is a part year: rank 2
MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
# months from January each cumulative period covers: h1 6, q1 3, jan 1, jan-feb 2 … jan-dec 12
CUMULATIVE = {"h1": 6, "q1": 3, "jan": 1} | {f"jan-{m}": i for i, m in enumerate(MONTHS, start=1) if i > 1}
PERIODS = "FY, FY-as-stated, by, h1, h2, q1–q4, a month (mar) or months so far (jan-aug)"
# FY, FY-as-stated, `by` (a target's year), h1/h2, q1–q4, one month (mar), months so far (jan-aug)
PERIOD = re.compile(rf"^(FY|FY-as-stated|by|h[12]|q[1-4]|{'|'.join(MONTHS)}|jan-({'|'.join(MONTHS[1:])}))$")
# for fx, a range of days (Jan02-May09: a partial year's mean)
DAY_RANGE = re.compile(
    rf"^({'|'.join(m.title() for m in MONTHS)})\d\d-({'|'.join(m.title() for m in MONTHS)})\d\d$"
)
UNDATED_TARGET = "coming years"  # the period of a target stated without a year
SCALES = {"bn": 1e9, "mn": 1e6, "th": 1e3}
UNITS = "a currency code, optionally with _bn, _mn or _th: USD_bn, EUR_mn, USD_th, KZT"
SHIPPED = "shipped"
WDI = "WDI"  # the reported_by of the World Bank's totals (.world): a fallback, said wherever it is used
REPORTED_BY = re.compile(r"^[A-Z][A-Z0-9_]{1,19}$")  # a country code or an institution (ECB, IMF, WDI, ...)


_Y = r"(?P<year>(?:19|20|21)\d\d)"
_HEADER_FORMS = (  # (pattern, period): a wide table's column header placed in time, tried in order
    (re.compile(rf"^{_Y}$"), "FY"),
    (re.compile(rf"^{_Y}\s*\[YR(?:19|20|21)\d\d\]$", re.IGNORECASE), "FY"),  # WDI: 2020 [YR2020]
    (re.compile(rf"^(?:YR|FY)\s*{_Y}$", re.IGNORECASE), "FY"),
    (re.compile(rf"^{_Y}\s*-?\s*M(?P<month>0?[1-9]|1[0-2])$", re.IGNORECASE), "month"),  # 2024M2, 2024M02
    (re.compile(rf"^{_Y}[-/.](?P<month>0[1-9]|1[0-2])$"), "month"),  # 2024-02
    (re.compile(rf"^(?P<name>[A-Za-z]{{3,9}})\.?[\s-]*{_Y}$"), "named"),  # Feb 2024, February-2024
    (re.compile(rf"^{_Y}[\s-]*(?P<name>[A-Za-z]{{3,9}})\.?$"), "named"),  # 2024 February, 2024 Feb.
    (re.compile(rf"^{_Y}\s*-?\s*Q(?P<quarter>[1-4])$", re.IGNORECASE), "quarter"),  # 2024Q1, 2024 Q1, 2024-Q1
    (re.compile(rf"^Q(?P<quarter>[1-4])\s*-?\s*{_Y}$", re.IGNORECASE), "quarter"),  # Q1 2024
    (re.compile(rf"^{_Y}\s*-?\s*H(?P<half>[12])$", re.IGNORECASE), "half"),  # 2024H1
    (re.compile(rf"^H(?P<half>[12])\s*-?\s*{_Y}$", re.IGNORECASE), "half"),  # H1 2024
)
_A_YEAR = re.compile(r"(?<!\d)(?:19|20|21)\d\d(?!\d)")


class PeriodHeaderError(ValueError):
    """A column header that holds a year but cannot be placed in time (a week, a fiscal year, two years)."""


def header_period(header: str) -> tuple[int, str] | None:
    """The year and period a wide table's column header names: ``2024`` and ``2024 [YR2024]`` a full year
    (``FY``); ``2024M2``, ``2024M02``, ``2024-02``, ``Feb 2024``, ``2024 February`` a month (``feb``); ``2024Q1``,
    ``2024 Q1``, ``Q1 2024`` a quarter (``q1``); ``2024H1`` a half (``h1``). ``None``: the header holds no year (a
    label column). A header with a year that none of these places (``2024W05``, ``2023/24``, ``2024M13``) raises
    :class:`PeriodHeaderError`: a month is never read as a year.

    A year with a word after it that names no period (``2020 (prelim)``, ``2020*``) is that year, as stated."""
    text = " ".join(header.split())
    years = _A_YEAR.findall(text)
    if not years:
        return None
    for pattern, kind in _HEADER_FORMS:
        found = pattern.match(text)
        if found is None:
            continue
        year = int(found.group("year"))
        if kind == "FY":
            return year, FULL_YEAR
        if kind == "month":
            return year, MONTHS[int(found.group("month")) - 1]
        if kind == "quarter":
            return year, f"q{found.group('quarter')}"
        if kind == "half":
            return year, f"h{found.group('half')}"
        month = _month_word(found.group("name"))
        if month is not None:
            return year, month
        break  # a word after the year that is no month: judged below
    rest = _A_YEAR.sub("", text, count=1)
    words = re.findall(r"[A-Za-z]+", rest)
    if (
        len(years) == 1
        and not re.search(r"\d", rest)
        and not re.search(r"(?i)\b(?:[QHMW]\d|week|quarter|month)", rest)
        and not any(_month_word(w) for w in words)  # a month's name beside the year is never the year
    ):
        return int(years[0]), FULL_YEAR  # "2020 (prelim)", "2020*", "Year 2020"
    raise PeriodHeaderError(
        f"cannot place {header!r} in time (a year, 2024M2, 2024-02, Feb 2024, 2024Q1 or 2024H1)"
    )


def _month_word(word: str) -> str | None:
    """``feb`` for February, Feb, feb, Sept …; ``None`` for a word that names no month."""
    word = word.lower()
    for i, name in enumerate(_MONTH_NAMES):
        if word in (name.lower(), name[:3].lower()) or (word == "sept" and i == 8):
            return MONTHS[i]
    return None


def months_covered(period: str) -> int | None:
    """How many months from January a period covers (``None`` for a period that does not start in January)."""
    return CUMULATIVE.get(period)


_MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
                "October", "November", "December")  # fmt: skip
_PARTS = {"h1": (1, 6), "h2": (7, 12), "q1": (1, 3), "q2": (4, 6), "q3": (7, 9), "q4": (10, 12)}


def period_words(period: str) -> str:
    """A period in words for a reader: ``full year``, ``January–November``, ``March``; ``FY-as-stated`` is
    "the year, as its source stated it" (not checked to be a full year)."""
    if period == FULL_YEAR:
        return "full year"
    if period == "FY-as-stated":
        return "the year, as its source stated it"
    if period == "by":
        return "by that year"
    if period in MONTHS:
        return _MONTH_NAMES[MONTHS.index(period)]
    first, last = _PARTS.get(period) or (1, CUMULATIVE.get(period, 0))
    if last:
        return f"{_MONTH_NAMES[first - 1]}–{_MONTH_NAMES[last - 1]}"
    return period


def money_unit(unit: str) -> tuple[str, float] | None:
    """``USD_bn`` → ``("USD", 1e9)``, ``EUR_mn`` → ``("EUR", 1e6)``, ``KZT`` → ``("KZT", 1.0)``; ``None`` for
    units that are not money (``percent``, ``USD_per_EUR``)."""
    currency, _, scale = unit.partition("_")
    if len(currency) != 3 or not currency.isalpha() or not currency.isupper():
        return None
    if not scale:
        return currency, 1.0
    return (currency, SCALES[scale]) if scale in SCALES else None


@dataclass(frozen=True, slots=True)
class Observation:
    """One sourced figure. ``amount`` is in currency units (``1.45e10``); ``value`` as the source gives it.

    ``origin`` is where the row came from: ``shipped`` or ``FILE:LINE`` of the user's data folder.
    """

    kind: str
    reporter: str
    partner: str
    flow: str
    year: int
    period: str
    value: float
    unit: str
    status: str
    reported_by: str
    source: str
    url: str
    note: str
    published: str = ""
    origin: str = SHIPPED
    fx: str = ""  # for a figure converted from another currency: from what, at which rate, from where
    rounding: float = 0.0  # a converted figure: the relative rounding of the figure it was converted from
    classification: str = TOTAL  # of the commodity (HS, H5, SITC, S4, ...); TOTAL for all goods
    commodity: str = TOTAL  # the code as the source writes it; TOTAL for all goods
    retrieved: str = ""  # when a fetch received it (UTC, ISO 8601 to the second); empty for any other row

    @property
    def is_total(self) -> bool:
        """All goods: a figure of the pair's trade (a commodity's figure never is)."""
        return self.commodity == TOTAL

    @property
    def what(self) -> str:
        """``HS 27``, ``SITC S4 3``; empty for all goods."""
        return "" if self.is_total else f"{self.classification} {self.commodity}"

    @property
    def relative_rounding(self) -> float:
        """Half a unit of the last digit the figure is written with, relative to it: ``20.0`` (bn) → 0.5/20 =
        2.5%, ``16.1`` → 0.31%, an exact count from a database → about 0. Trailing zeros after the decimal
        point are not taken as significant (a curator's ``20.0`` for a statement's "20")."""
        if self.rounding:
            return self.rounding
        if not self.value or not math.isfinite(self.value):
            return 0.0
        text = f"{abs(self.value)!r}"
        if "e" in text or "E" in text:
            return 0.0
        decimals = len(text.partition(".")[2].rstrip("0"))
        return 0.5 * 10.0**-decimals / abs(self.value)

    def tolerance(self) -> float:
        """How far below its amount the figure's true value may lie: its rounding, and at least 5% for a figure
        its source gives as approximate ("about", "over", "nearly")."""
        relative = self.relative_rounding
        if self.status == "approximate":
            relative = max(relative, 0.05)
        return abs(self.amount) * relative

    def met_on_rounding(self, target: float) -> bool:
        """The figure is at or above ``target``, but its rounding (or approximation) leaves room below it."""
        return self.amount >= target * (1 - 1e-9) and self.amount - self.tolerance() < target

    @property
    def currency(self) -> str:
        money = money_unit(self.unit)
        return money[0] if money else self.unit

    @property
    def amount(self) -> float:
        money = money_unit(self.unit)
        if money is None:  # a rate, a share: as the source gives it
            return self.value
        # rounded to a thousandth of a currency unit so 16.1 bn is 16_100_000_000.0, not ...000002
        return round(self.value * money[1], 3)

    @property
    def key(self) -> tuple[str, str, str, str, int, str, str, str, str]:
        """What a user row shares with the shipped row it supersedes."""
        return (self.kind, self.reporter, self.partner, self.flow, self.year, self.period, self.reported_by,
                self.classification, self.commodity)  # fmt: skip

    @property
    def is_full_year(self) -> bool:
        return self.period == FULL_YEAR

    def label(self) -> str:
        """``$14.5B (2023 FY-as-stated, reported, KAZ statistics)``, and the file when it is the user's."""
        where = "" if self.origin == SHIPPED else f", {self.origin}"
        return (
            f"{format_money(self.amount, self.currency)} ({self.year} {self.period}, {self.status}, "
            f"{self.reported_by} statistics{where})"
        )

    def provenance(self) -> dict[str, Any]:
        """The provenance columns, for JSON output (``origin`` names the file a user's figure came from)."""
        record = {f: getattr(self, f) for f in _PROVENANCE}
        record["amount"] = self.amount
        return record


_PROVENANCE = ("kind", "reporter", "partner", "flow", "year", "period", "value", "unit", "status", "reported_by",
               "source", "url", "note", "published", "origin", "fx", "classification", "commodity",
               "retrieved")  # fmt: skip


# ------------------------------------------------------------------------------------------ the row's codes
@cache
def _codes_model() -> Any:
    """:class:`Codes`, built on first use (pydantic's model machinery is not needed to read the shipped data)."""
    from pydantic import BaseModel, ConfigDict, ValidationInfo, field_validator

    from tradesim.codes import AGGREGATES, area, country_problem

    def got(message: str, value: str) -> ValueError:
        return ValueError(f"{message}, got {value!r}")

    class Codes(BaseModel):
        """What a data row's coded columns may hold: one pydantic model for the vocabulary above.

        A row of a data folder is validated field by field (:func:`code_problems`); a column that depends
        on another (``flow`` on ``kind``, ``unit`` on ``kind``) is checked against it when that one is valid.
        """

        model_config = ConfigDict(frozen=True, extra="forbid")

        kind: str
        reporter: str
        partner: str
        flow: str
        period: str
        unit: str
        status: str
        reported_by: str
        undated: bool = False  # a target stated without a year (period "coming years", no year)

        @field_validator("kind")
        @classmethod
        def _kind(cls, value: str) -> str:
            if value not in KINDS:
                raise got(f"must be one of {', '.join(KINDS)}", value)
            return value

        @field_validator("reporter", "partner")
        @classmethod
        def _area(cls, value: str, info: ValidationInfo) -> str:
            if info.data.get("kind") == "fx":
                if not re.fullmatch(r"[A-Z]{3}", value):
                    raise got("must be an ISO 4217 currency code such as EUR or USD (kind fx)", value)
            elif value not in AGGREGATES and area(value) is None and (problem := country_problem(value)):
                raise ValueError(f"{problem} (or an aggregate: {', '.join(AGGREGATES)})")
            return value

        @field_validator("flow")
        @classmethod
        def _flow(cls, value: str, info: ValidationInfo) -> str:
            kind = info.data.get("kind")
            if kind in FLOWS and value not in FLOWS[kind]:
                raise got(f"must be one of {', '.join(FLOWS[kind])} for kind {kind}", value)
            return value

        @field_validator("unit")
        @classmethod
        def _unit(cls, value: str, info: ValidationInfo) -> str:
            kind = info.data.get("kind")
            if kind == "fx":
                if not re.fullmatch(r"[A-Z]{3}_per_[A-Z]{3}", value):
                    raise got("must be CUR_per_CUR for kind fx, e.g. USD_per_EUR", value)
            elif kind == "price":
                if not re.fullmatch(r"[A-Z]{3}_per_[a-z]{1,10}", value):
                    raise got("must be CUR_per_QUANTITY for kind price, e.g. USD_per_bbl", value)
            elif kind == "share":
                if value != "percent":
                    raise got("must be percent for kind share", value)
            elif money_unit(value) is None:
                raise got(f"must be {UNITS}", value)
            return value

        @field_validator("status")
        @classmethod
        def _status(cls, value: str) -> str:
            if value not in STATUSES:
                raise got(f"must be one of {', '.join(STATUSES)}", value)
            return value

        @field_validator("reported_by")
        @classmethod
        def _reported_by(cls, value: str) -> str:
            if not REPORTED_BY.match(value):
                raise got(
                    "must name whose statistics these are: a country code (KAZ) or an institution (ECB)",
                    value,
                )
            return value

        @field_validator("period")
        @classmethod
        def _period(cls, value: str, info: ValidationInfo) -> str:
            return value  # checked in code_problems: it depends on `undated`, which comes after it

    return Codes


def code_problems(values: dict[str, Any]) -> list[tuple[str, str]]:
    """The (column, message) problems of a row's coded columns (``kind`` … ``reported_by``, ``undated``), in
    the columns' order: the :class:`Codes` model's verdict."""
    from pydantic import ValidationError

    codes = _codes_model()
    problems: list[tuple[str, str]] = []
    try:
        codes.model_validate(values)
    except ValidationError as error:
        for item in error.errors(include_url=False):
            message = str(item["msg"]).removeprefix("Value error, ")
            problems.append((str(item["loc"][0]), message))
    period, kind = values["period"], values["kind"]
    if not (PERIOD.match(period) or values["undated"] or (kind == "fx" and DAY_RANGE.match(period))):
        problems.append(("period", f"must be {PERIODS}, got {period!r}"))
    order = {name: i for i, name in enumerate(COLUMNS)}
    return sorted(problems, key=lambda p: order.get(p[0], len(order)))
