"""The scenario schema: frozen pydantic models, and the cross-field rules a schema cannot say.

Reading files (TOML, error locations, ``extends``, discovery) is :mod:`tradesim.scenario`, which re-exports
these names.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, ClassVar, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationInfo,
    field_validator,
    model_validator,
)

from tradesim.codes import country_problem
from tradesim.data.observation import Product, classification_family, split_product
from tradesim.errors import Problem, ScenarioError
from tradesim.quantities import (
    MAX_RATE,
    format_money,
    format_percent,
    has_no_scale,
    parse_amount,
    parse_money,
    parse_rate,
    parse_share,
)
from tradesim.reference import reference

DEFAULT_HORIZON_YEARS = 12
MAX_YEARS = 200  # the longest projection: base_year to horizon
# A scenario's name names its snapshot file: a slug, so that it can never point outside the snapshot folder.
NAME_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$"
FLOWS = ("bilateral", "exports", "imports", "rest_of_world", "total")

Rate = Annotated[float, BeforeValidator(lambda v: parse_rate(v, what=""))]
Amount = Annotated[float, BeforeValidator(lambda v: parse_amount(v, what=""))]
# gt=0 says in the JSON Schema what the parser enforces (the parser's message is the one a user sees)
PositiveAmount = Annotated[
    float, Field(gt=0), BeforeValidator(lambda v: parse_amount(v, what="", positive=True))
]
# a target's value may be in any currency (the text's code or symbol; `currency` says which)
TargetAmount = Annotated[
    float, Field(gt=0), BeforeValidator(lambda v: parse_money(v, what="", positive=True)[0])
]
Year = Annotated[int, Field(ge=1900, le=2300, strict=True)]
YearKey = Annotated[int, Field(ge=1900, le=2300)]  # TOML table keys are strings: "2024" = 0.05


class _Frozen(BaseModel):
    # A field's docstring is its description in the JSON Schema (what an editor shows on hover), added there by
    # tradesim.jsonschema (field_docstrings): pydantic's use_attribute_docstrings would read this module's
    # source at every start (30 ms of the main job's start-up) for text only the schema needs.
    model_config = ConfigDict(frozen=True, extra="forbid")


# An sd of 1 already means a one-sd year multiplies trade by e ≈ 2.7; beyond that the model means nothing.
Sd = Annotated[float, Field(ge=0, le=1, allow_inf_nan=False)]


class _Growth(_Frozen):
    """A growth model: its fields, its path (:meth:`path`), its description (:meth:`describe`) and the inputs
    ``tradesim sensitivity`` swings (:attr:`inputs`). Adding a model is one class here (and its test).

    Every growth model may carry ``sd``: the standard deviation of its annual log growth (Monte Carlo)."""

    sd: Sd = 0.0
    """Standard deviation of the annual log growth, for `tradesim simulate` (0 to 1; default 0: no uncertainty)."""
    inputs: ClassVar[tuple[tuple[str, str], ...]] = ()  # (field, "rate" or "amount") the tornado swings
    scales: ClassVar[bool] = True  # the path is proportional to its start: a baseline grid can rescale it

    def path(self, start: Any, base_year: int, years: Any) -> Any:
        """The level in each of ``years`` (numpy, the first is ``base_year``, valued ``start``); ``start`` may be
        an array with a trailing axis of 1, and the path broadcasts over it (the grid's baseline axis)."""
        raise NotImplementedError  # pragma: no cover - every model defines it

    def describe(self, currency: str = "USD") -> str:
        """A short description for people: ``+5.0%/yr``, ``to $20.0B in 2027, then held``."""
        raise NotImplementedError  # pragma: no cover - every model defines it


def _steps(years: Any, base_year: int) -> Any:
    return (years - base_year).astype(float)


def _compound(start: Any, rates: Any) -> Any:
    import numpy as np

    return start * np.concatenate(([1.0], np.cumprod(1.0 + np.asarray(rates, dtype=float))))


class ConstantGrowth(_Growth):
    """The same rate every year: ``x_t = x_0 (1 + rate)^t``."""

    model: Literal["constant"] = "constant"
    """The growth model: `constant` (the default when `model` is left out)."""
    rate: Rate
    """The annual growth rate: 0.05 or "5%" (above −100%, at most +1000%)."""
    inputs: ClassVar[tuple[tuple[str, str], ...]] = (("rate", "rate"),)

    def path(self, start: Any, base_year: int, years: Any) -> Any:
        return self.compound(start, self.rate, _steps(years, base_year))

    @staticmethod
    def compound(start: Any, rate: Any, steps: Any) -> Any:
        """``start · (1 + rate)^steps``, broadcasting: the sensitivity grid's axis of rates uses it too."""
        return start * (1.0 + rate) ** steps

    def describe(self, currency: str = "USD") -> str:
        return f"{format_percent(self.rate, signed=True)}/yr"


class LinearGrowth(_Growth):
    """The same amount added every year: ``x_t = x_0 + amount · t``."""

    model: Literal["linear"]
    """The growth model: `linear`, the same amount added every year."""
    amount: Amount
    """The amount added every year (negative to subtract): 1.5e9 or "1.5B", in the scenario's currency."""
    inputs: ClassVar[tuple[tuple[str, str], ...]] = (("amount", "amount"),)
    scales: ClassVar[bool] = False

    def path(self, start: Any, base_year: int, years: Any) -> Any:
        return start + self.amount * _steps(years, base_year)

    def describe(self, currency: str = "USD") -> str:
        return f"{'+' if self.amount >= 0 else ''}{format_money(self.amount, currency)}/yr"


class TableGrowth(_Growth):
    """An explicit rate per year; years not listed take ``default`` (an error if there is none)."""

    model: Literal["table"]
    """The growth model: `table`, an explicit rate for each year."""
    rates: dict[YearKey, Rate]
    """The rate of each year: {2024 = 0.10, 2025 = "8%"}."""
    default: Rate | None = None
    """The rate of every year not in `rates` (required when a projected year is missing)."""
    inputs: ClassVar[tuple[tuple[str, str], ...]] = (("rates", "rate"),)

    def path(self, start: Any, base_year: int, years: Any) -> Any:
        return _compound(start, [self.rates.get(int(y), self.default) for y in years[1:]])

    def describe(self, currency: str = "USD") -> str:
        rates, default = self.rates, self.default
        fallback = "" if default is None else f", else {format_percent(default, signed=True)}"
        return f"table {min(rates)}–{max(rates)}{fallback}" if rates else f"table{fallback}"


class PiecewiseGrowth(_Growth):
    """Each rate applies from its year until the next listed year; the first must cover the first year."""

    model: Literal["piecewise"]
    """The growth model: `piecewise`, each rate from its year until the next listed year."""
    rates: dict[YearKey, Rate]
    """Rates by the year they start: {2024 = 0.08, 2028 = 0.04}; the first year must be the first projected year."""
    inputs: ClassVar[tuple[tuple[str, str], ...]] = (("rates", "rate"),)

    def path(self, start: Any, base_year: int, years: Any) -> Any:
        changes = sorted(self.rates)
        return _compound(start, [self.rates[max(c for c in changes if c <= y)] for y in years[1:]])

    def describe(self, currency: str = "USD") -> str:
        return ", ".join(f"{format_percent(r, signed=True)} from {y}" for y, r in sorted(self.rates.items()))


class ReachGrowth(_Growth):
    """The constant rate that takes the baseline to ``value`` in ``year``; afterwards ``after`` (default: same)."""

    model: Literal["reach"]
    """The growth model: `reach`, the constant rate that takes the baseline to `value` in `year`."""
    value: PositiveAmount
    """The level to reach: 20e9 or "20B", in the scenario's currency."""
    year: Year
    """The year `value` is reached (after the base year)."""
    after: Rate | None = None
    """The annual rate after `year` (default: the same rate; 0 holds the level)."""
    inputs: ClassVar[tuple[tuple[str, str], ...]] = (("value", "amount"),)
    scales: ClassVar[bool] = False  # a path to a fixed value: rescaling its start changes its rate

    def path(self, start: Any, base_year: int, years: Any) -> Any:
        import numpy as np

        t = _steps(years, base_year)
        implied = (self.value / start) ** (1.0 / (self.year - base_year)) - 1.0
        later = implied if self.after is None else self.after
        before = np.minimum(t, self.year - base_year)
        return start * (1.0 + implied) ** before * (1.0 + later) ** (t - before)

    def describe(self, currency: str = "USD") -> str:
        after = self.after
        then = (
            ""
            if after is None
            else (", then held" if after == 0 else f", then {format_percent(after, signed=True)}/yr")
        )
        return f"to {format_money(self.value, currency)} in {self.year}{then}"


class LogisticGrowth(_Growth):
    """Logistic growth toward ``ceiling``: ``x_t = K / (1 + (K / x_0 − 1) e^(−rate · t))``."""

    model: Literal["logistic"]
    """The growth model: `logistic`, S-shaped growth toward `ceiling`."""
    rate: Annotated[float, Field(gt=0, le=MAX_RATE, allow_inf_nan=False)]
    """The logistic growth rate (above 0, at most 10): 0.3 or "30%"."""
    ceiling: PositiveAmount
    """The level growth approaches: "40B", in the scenario's currency; above the baseline."""
    inputs: ClassVar[tuple[tuple[str, str], ...]] = (("rate", "rate"), ("ceiling", "amount"))
    scales: ClassVar[bool] = False

    def path(self, start: Any, base_year: int, years: Any) -> Any:
        import numpy as np

        t = _steps(years, base_year)
        return self.ceiling / (1.0 + (self.ceiling / start - 1.0) * np.exp(-self.rate * t))

    def describe(self, currency: str = "USD") -> str:
        return f"logistic {format_percent(self.rate)} toward {format_money(self.ceiling, currency)}"


# every growth model by its TOML name: the one list the loader, the JSON Schema and the error messages use
GROWTH_CLASSES: dict[str, type[_Growth]] = {
    "constant": ConstantGrowth,
    "linear": LinearGrowth,
    "table": TableGrowth,
    "reach": ReachGrowth,
    "logistic": LogisticGrowth,
    "piecewise": PiecewiseGrowth,
}
GROWTH_MODELS = tuple(GROWTH_CLASSES)

GrowthModel = Annotated[
    ConstantGrowth | LinearGrowth | TableGrowth | PiecewiseGrowth | ReachGrowth | LogisticGrowth,
    Field(discriminator="model"),
]


def _growth_shorthand(value: Any) -> Any:
    """``bilateral = 0.05`` or ``"5%"`` means a constant rate; a table without ``model`` is constant too."""
    if isinstance(value, int | float | str) and not isinstance(value, bool):
        return {"model": "constant", "rate": value}
    if isinstance(value, dict) and "model" not in value:
        return {"model": "constant", **value}
    return value


Growth_ = Annotated[GrowthModel, BeforeValidator(_growth_shorthand)]


class Growth(_Frozen):
    """Growth of bilateral trade (or of exports and imports), and of exactly one of rest_of_world or total."""

    bilateral: Growth_ | None = None
    """Growth of the bilateral trade: a rate ("5%") or a table with `model` (constant, linear, table, piecewise, reach, logistic). Or give `exports` and `imports` instead."""
    exports: Growth_ | None = None
    """Growth of the reporter's exports to the partner (with `imports`, instead of `bilateral`)."""
    imports: Growth_ | None = None
    """Growth of the reporter's imports from the partner (with `exports`, instead of `bilateral`)."""
    rest_of_world: Growth_ | None = None
    """Growth of the reporter's trade with everyone else (give this or `total`, not both)."""
    total: Growth_ | None = None
    """Growth of the reporter's total trade (give this or `rest_of_world`, not both)."""

    @property
    def other_flow(self) -> Literal["rest_of_world", "total"]:
        return "total" if self.total is not None else "rest_of_world"

    @property
    def split(self) -> bool:
        return self.exports is not None


class Baseline(_Frozen):
    """Base-year values. Anything left out comes from the shipped data (see ``tradesim.data``)."""

    _plain: frozenset[str] = PrivateAttr(default=frozenset())  # the amounts written as bare numbers

    @model_validator(mode="wrap")
    @classmethod
    def _remember_plain(cls, data: Any, handler: Any) -> Any:
        made = handler(data)
        if isinstance(data, dict):
            made._plain = frozenset(k for k, v in data.items() if v is not None and has_no_scale(v))
        return made

    @property
    def plain(self) -> frozenset[str]:
        """The amounts written with no scale and no currency (``bilateral = 5000000``): checked against the
        pair's actuals, where a missing ``B`` shows."""
        return self._plain

    bilateral: PositiveAmount | None = None
    """The base year's bilateral trade: "14.5B" (default: the data's figure by the selection rule)."""
    bilateral_period: str | None = None
    """Which of the data's figures for the base year to take: "FY" (full year) or "FY-as-stated"."""
    total: PositiveAmount | None = None
    """The reporter's total trade in the base year: "139.55B" (or give `rest_of_world`, not both)."""
    rest_of_world: PositiveAmount | None = None
    """The reporter's trade with everyone but the partner in the base year (or give `total`)."""
    exports: PositiveAmount | None = None
    """The base year's exports to the partner (with `imports`; bilateral = exports + imports)."""
    imports: PositiveAmount | None = None
    """The base year's imports from the partner (with `exports`)."""


class Event(_Frozen):
    """A level change on one flow: an ``amount`` or a ``relative`` change, permanent or for one year."""

    label: str
    """What the event is, for tables and charts: "2024 business forum: 18 agreements"."""
    year: Year
    """The year the event starts (after the base year)."""
    flow: Literal["bilateral", "exports", "imports", "rest_of_world", "total"] = "bilateral"
    """The flow it changes: bilateral, exports, imports, rest_of_world or total."""
    amount: Amount | None = None
    """A change by an amount: "1.5B" (or give `relative`, not both)."""
    relative: Rate | None = None
    """A change by a share of the level: "-22.5%" (or give `amount`, not both)."""
    kind: Literal["permanent", "one-off"] = "permanent"
    """`permanent` (from its year on) or `one-off` (its year only)."""
    ramp_years: Annotated[int, Field(ge=1, le=100, strict=True)] = 1
    """A permanent event ramps in linearly over this many years (default 1: all at once)."""
    probability: Annotated[float, Field(ge=0, le=1, allow_inf_nan=False)] = 1.0
    """The chance the event happens in a simulation (0 to 1; default 1)."""
    leg: Annotated[str, Field(pattern=LEG_PATTERN)] | None = None
    """The product leg it changes, by its commodity: "HS:27" (a scenario with [[legs]]; default: every leg)."""

    _plain: bool = PrivateAttr(default=False)  # the amount was written as a bare number

    @model_validator(mode="wrap")
    @classmethod
    def _remember_plain(cls, data: Any, handler: Any) -> Any:
        made = handler(data)
        if isinstance(data, dict) and data.get("amount") is not None:
            made._plain = has_no_scale(data["amount"])
        return made

    @property
    def plain(self) -> bool:
        """Whether ``amount`` was written with no scale (``amount = 1.5``)."""
        return self._plain


_CLASSIFIED = r"(HS|H[0-6]|HS(92|96|02|07|12|17|22)|SITC|S[1-4]|BEC\d?|EBOPS|WITS)"  # a leg's or product's
_CODE = r"[A-Za-z0-9][A-Za-z0-9.\-]{0,19}"  # the code as the source writes it
LEG_PATTERN = rf"^(rest|{_CLASSIFIED}:{_CODE})$"
REST = "rest"  # the leg of what the named legs leave
# a product modelled on its own: classification:code, or the code alone (the data's classification)
PRODUCT_PATTERN = rf"^({_CLASSIFIED}:)?{_CODE}$"


def _share_or_data(value: Any) -> Any:
    if value == "from data":
        return value
    return parse_share(value, what="")


class Price(_Frozen):
    """A leg driven by a price: value = volume × price, the leg's growth being its volume's."""

    series: Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,39}$")] | None = None
    """A price series in the data (kind = price), by its commodity code: "CRUDE_BRENT"."""
    prices: dict[YearKey, Annotated[float, Field(gt=0, allow_inf_nan=False)]] = {}
    """Stated prices by year: {2026 = 70.0}; a year takes the latest entry at or before it, after the series' own years."""
    unit: Annotated[str, Field(pattern=r"^[A-Z]{3}_per_[a-z]{1,10}$")] | None = None
    """The price's unit, CUR_per_QUANTITY: "USD_per_bbl" (default: the series'; needed with prices alone)."""
    source: str = ""
    """Where stated prices come from (required with `prices`)."""
    hold: bool = False
    """true: a year after the last price (the series' or stated) takes that price, said in a note (default false: a year without a price is an error)."""


class Leg(_Frozen):
    """One product leg of the bilateral trade: a commodity, its base-year part and its own growth. The pair's
    path is the sum of its legs; the leg ``rest`` is what the named legs leave."""

    commodity: Annotated[str, Field(pattern=LEG_PATTERN)]
    """The product, classification:code as the source writes it: "HS:27", "SITC:3"; or "rest" (what the other legs leave)."""
    share: Annotated[float | Literal["from data"], BeforeValidator(_share_or_data)] | None = None
    """The leg's part of the base-year bilateral trade: "90%", or "from data" (the same reporter's figure for the commodity)."""
    amount: PositiveAmount | None = None
    """Or the leg's base-year value: "14.5B" (not with `share`)."""
    source: str = ""
    """Where a stated share or amount comes from (required with them): "Kazakh statistics via press, 2020"."""
    status: Literal["reported", "approximate", "derived", "estimated", "unverified"] = "unverified"
    """How firm a stated share or amount is: reported, approximate, derived, estimated or unverified (default)."""
    growth: Growth_
    """The leg's growth (its volume's, with `price`): a rate ("2%") or a table with `model`."""
    price: Price | None = None
    """A price driver: value = volume × price, with the price from a data series or stated."""

    @property
    def classification(self) -> str:
        return self.commodity.split(":", 1)[0] if self.commodity != REST else REST

    @property
    def code(self) -> str:
        return self.commodity.split(":", 1)[1] if self.commodity != REST else REST

    @property
    def name(self) -> str:
        """``HS 27``, ``other goods``: the leg in prose, titles and columns."""
        return "other goods" if self.commodity == REST else f"{self.classification} {self.code}"


class Target(_Frozen):
    """A target: ``value`` may carry its own currency (``€20B``, ``20B EUR``), converted when it is read."""

    value: TargetAmount
    """The target: "20B", "€20B" or "20B EUR" (a value in another currency is converted when read)."""
    year: Year | None = None
    """The year the target is for (optional; `--by` defaults to it)."""
    label: str = ""
    """Who set the target and when: "Tokayev, Jan 2024"."""
    currency: Annotated[str, Field(pattern=r"^[A-Z]{3}$")] | None = None  # from the value's text, or given
    """The target's currency, ISO 4217 (default: from `value`, else the scenario's)."""

    _plain: bool = PrivateAttr(default=False)  # the value was written as a bare number

    @model_validator(mode="wrap")
    @classmethod
    def _remember_plain(cls, data: Any, handler: Any) -> Any:
        made = handler(data)
        if isinstance(data, dict) and "value" in data:
            made._plain = has_no_scale(data["value"])
        return made

    @property
    def plain(self) -> bool:
        """Whether ``value`` was written with no scale and no currency (``value = 5000000``)."""
        return self._plain

    @model_validator(mode="before")
    @classmethod
    def _currency_from_value(cls, data: Any) -> Any:
        if isinstance(data, dict) and isinstance(data.get("value"), str):
            try:
                _, currency = parse_money(data["value"], what="", positive=True)
            except ValueError:
                return data  # the field validator reports it
            if currency is not None:  # the text stays: its currency is what makes "20 USD" not a missing B
                return {**data, "currency": data.get("currency", currency)}
        return data


METRICS = ("bilateral", "total", "rest_of_world", "share", "reached_year", "required_growth")
Metric = Literal["bilateral", "total", "rest_of_world", "share", "reached_year", "required_growth"]


def _metric_value(value: Any, info: ValidationInfo) -> Any:
    """Parse ``value``/``min``/``max`` in the metric's own unit: an amount, a share, a rate or a year."""
    if value is None:
        return None
    metric = info.data.get("metric")
    if metric in ("bilateral", "total", "rest_of_world"):
        return parse_amount(value, what="")
    if metric == "share":
        return parse_share(value, what="")
    if metric == "required_growth":
        return parse_rate(value, what="")
    if metric == "reached_year":
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f"must be a year (a whole number) for metric 'reached_year', got {value!r}")
        return value
    return value  # unknown metric: reported on `metric`


class Assertion(_Frozen):
    """A statement about one computed figure: a metric, when, and a value with tolerance or a range.

    Shared by ``[[claims]]`` (``tradesim audit``) and ``[[expect]]`` (``tradesim check``).
    """

    metric: Metric
    """The figure checked: bilateral, total, rest_of_world, share, reached_year or required_growth."""
    year: Year | None = None
    """The year the metric is read in (or give `at = "target"`)."""
    at: Literal["target"] | None = None
    """`target`: read the metric in the year the target is reached."""
    value: float | None = None
    """The value it should have: "14.5B", "1/6", "10%" or a year, in the metric's unit (with `rtol`/`atol`)."""
    rtol: Annotated[float, Field(ge=0, allow_inf_nan=False)] | None = None
    """Relative tolerance on `value` (default 1e-9): holds when |computed − value| ≤ atol + rtol·|value|."""
    atol: Annotated[float, Field(ge=0, allow_inf_nan=False)] | None = None
    """Absolute tolerance on `value`, in the metric's unit (default 0)."""
    min: float | None = None
    """The lowest value that holds (a range, with or without `max`)."""
    max: float | None = None
    """The highest value that holds (a range, with or without `min`)."""
    target: PositiveAmount | None = None  # its own target (default: the scenario's first [[targets]] entry)
    """This entry's own target: "50B" (default: the scenario's first [[targets]] entry)."""

    _parse = field_validator("value", "min", "max", mode="before")(_metric_value)


class Claim(Assertion):
    """A published statement to audit: who said it (``quote``, ``source``) and what it formally says.

    ``against = "data"`` compares with the data's full-year figures instead of the scenario's projection.
    """

    quote: str
    """The words of the claim, as published."""
    source: str = ""
    """Who published it and when: "New Eastern Outlook, 2024-03-01"."""
    against: Literal["scenario", "data"] = "scenario"
    """`scenario` (the projection, default) or `data` (the data's full-year figures)."""
    note: str = ""
    """Anything a reader of the audit should know about the claim."""


class Expectation(Assertion):
    """A figure ``tradesim check`` must reproduce; ``message`` says why it matters."""

    message: str = ""
    """Why the figure matters, shown when the check fails."""


def _country(code: str) -> str:
    problem = country_problem(code)
    if problem is not None:
        raise ValueError(problem)
    return code


class Scenario(_Frozen):
    """One validated scenario. ``path`` is the file it came from (``None`` for one built in code)."""

    name: Annotated[str, Field(pattern=NAME_PATTERN)]
    """The scenario's name (default: the file name without .toml): letters, digits, . _ -"""
    description: str = ""
    """What the scenario assumes and why, in a sentence or two."""
    # a scenario that names no reporter, partner or base year takes the reference case's (reference.toml)
    reporter: Annotated[str, AfterValidator(_country)] = Field(default_factory=lambda: reference().reporter)
    """The country whose trade is modelled, ISO 3166 alpha-3: "KAZ" (default: the reference case's)."""
    partner: Annotated[str, AfterValidator(_country)] = Field(default_factory=lambda: reference().partner)
    """The partner country, ISO 3166 alpha-3: "ITA" (default: the reference case's)."""
    currency: Annotated[str, Field(pattern=r"^[A-Z]{3}$")] = (
        "USD"  # ISO 4217; needs rates unless the data has it
    )
    """The currency of every amount in the file, ISO 4217: "USD" (default), "EUR"."""
    commodity: Annotated[str, Field(pattern=PRODUCT_PATTERN)] | None = None
    """The product whose trade is modelled, as the data writes it: "HS:27", or "27" (default: all goods, the pair's trade)."""
    base_year: Year = Field(default_factory=lambda: reference().base_year)
    """The year the projection starts from (default: the reference case's, 2023)."""
    horizon: Year | None = None
    """The last projected year (default: base_year + 12)."""
    baseline: Baseline = Baseline()
    """Base-year values; anything left out comes from the data."""
    growth: Growth
    """How each flow grows: `bilateral` (or `exports` and `imports`) and one of `rest_of_world` or `total`."""
    correlation: Annotated[float, Field(ge=-1, le=1, allow_inf_nan=False)] = 0.0
    """Correlation of the bilateral and rest-of-world growth shocks in a simulation (−1 to 1; default 0)."""
    legs: tuple[Leg, ...] = ()
    """Product legs: [[legs]] with commodity, share (or amount) and growth; bilateral trade is their sum."""
    events: tuple[Event, ...] = ()
    """Level changes on a flow: [[events]] with label, year, and amount or relative."""
    targets: tuple[Target, ...] = ()
    """Targets to read the projection against: [[targets]] with value, and optionally year and label."""
    claims: tuple[Claim, ...] = ()
    """Published statements to check with `tradesim audit`: [[claims]] with quote, metric and value."""
    expect: tuple[Expectation, ...] = ()
    """Figures `tradesim check` must reproduce: [[expect]] with metric, year and value."""
    # an exchange-rate path for future years: {EUR = {2026 = 1.10, 2030 = 1.15}} — units of the scenario's
    # currency per unit of EUR; a year between two entries takes the earlier one (default: the last full year's)
    fx: dict[
        Annotated[str, Field(pattern=r"^[A-Z]{3}$")],
        dict[YearKey, Annotated[float, Field(gt=0, allow_inf_nan=False)]],
    ] = {}
    """Exchange rates for future years: {EUR = {2026 = 1.10}} — units of the scenario's currency per unit; a year takes the latest entry before it."""

    _path: Path | None = PrivateAttr(default=None)
    _notes: tuple[str, ...] = PrivateAttr(default=())  # what loading the file wants the reader to know
    _chain: tuple[Path, ...] = PrivateAttr(default=())  # the file and the files it extends, child first

    @property
    def notes(self) -> tuple[str, ...]:
        return self._notes

    @property
    def path(self) -> Path | None:
        return self._path

    @property
    def product(self) -> Product | None:
        """``(code, family)`` of :attr:`commodity` (``("27", "HS")``; family ``None`` for a bare code), or
        ``None`` for the pair's trade in all goods."""
        return None if self.commodity is None else split_product(self.commodity)

    @property
    def commodity_name(self) -> str:
        """``HS 27`` (``27`` for a bare code), or ``""`` for all goods: the product in titles and notes."""
        return "" if self.commodity is None else self.commodity.replace(":", " ", 1)

    @property
    def horizon_year(self) -> int:
        return self.horizon if self.horizon is not None else self.base_year + DEFAULT_HORIZON_YEARS

    @property
    def target(self) -> Target | None:
        return self.targets[0] if self.targets else None

    def with_horizon(self, horizon: int) -> Scenario:
        """A copy projecting to ``horizon`` (checked like a file's horizon). Its claims and expectations may
        then name years past the horizon: they are read by ``audit`` and ``check`` on the file's own horizon."""
        problems = semantic_problems(self.model_copy(update={"horizon": horizon}), assertions=False)
        if problems:  # the option's value is wrong, not the file
            raise ScenarioError(
                [Problem(f"--horizon {horizon}: {p.message} (scenario {self.name!r})") for p in problems]
            )
        return _with_path(self.model_copy(update={"horizon": horizon}), self.path)


def _with_path(scenario: Scenario, path: Path | None, *, check: bool = False) -> Scenario:
    if check:
        problems = semantic_problems(scenario, assertions=False)
        if problems:
            raise ScenarioError([Problem(p.message, path, None, p.key) for p in problems])
    scenario._path = path
    return scenario


# --------------------------------------------------------------------------------------------------- checks
def semantic_problems(scenario: Scenario, *, assertions: bool = True) -> list[Problem]:
    """Cross-field rules a schema cannot say: years in order, exactly one driver per flow, consistent splits
    (and, with ``assertions``, the rules of ``[[claims]]`` and ``[[expect]]``)."""
    problems: list[Problem] = []
    base, horizon = scenario.base_year, scenario.horizon_year

    def bad(key: str, message: str) -> None:
        problems.append(Problem(message, key=key))

    if scenario.reporter == scenario.partner:
        bad(
            "partner", f"must differ from reporter {scenario.reporter!r}: bilateral trade needs two countries"
        )
    if horizon <= base:
        bad("horizon", f"must be after base_year {base}, got {horizon}")
    elif horizon - base > MAX_YEARS:
        bad("horizon", f"must be at most {MAX_YEARS} years after base_year {base}, got {horizon}")
    growth, baseline = scenario.growth, scenario.baseline
    if (growth.rest_of_world is None) == (growth.total is None):
        bad("growth", "set exactly one of growth.rest_of_world and growth.total")
    if scenario.commodity is not None and scenario.commodity.upper() in ("TOTAL", "REST"):
        bad("commodity", f'names a product ("HS:27"); all goods is the default, got {scenario.commodity!r}')
    if scenario.commodity is not None and scenario.legs:
        bad("commodity", "a scenario of one product has no product legs: drop commodity or [[legs]]")
    if scenario.legs:
        if growth.bilateral is not None or growth.exports is not None or growth.imports is not None:
            bad(
                "growth",
                "a scenario with [[legs]] grows each leg: drop growth.bilateral (and exports, imports)",
            )
        problems.extend(_leg_problems(scenario))
    elif growth.bilateral is not None and (growth.exports or growth.imports):
        bad("growth", "set either growth.bilateral or growth.exports and growth.imports, not both")
    elif growth.bilateral is None and (growth.exports is None or growth.imports is None):
        bad("growth", "set growth.bilateral, or both growth.exports and growth.imports")
    if (baseline.exports is None) != (baseline.imports is None):
        bad("baseline", "set both baseline.exports and baseline.imports, or neither")
    if growth.split and baseline.exports is None:
        bad("baseline", "growth.exports and growth.imports need baseline.exports and baseline.imports")
    if baseline.exports is not None and baseline.imports is not None and baseline.bilateral is not None:
        total = baseline.exports + baseline.imports
        if abs(total - baseline.bilateral) > 1e-9 * baseline.bilateral:
            bad("baseline.bilateral", f"must equal exports + imports ({total:g}), got {baseline.bilateral:g}")
    if baseline.bilateral is not None and baseline.bilateral_period is not None:
        bad("baseline.bilateral_period", "set baseline.bilateral or baseline.bilateral_period, not both")
    if baseline.total is not None and baseline.rest_of_world is not None:
        bad("baseline", "set baseline.total or baseline.rest_of_world, not both")
    models = [(f"growth.{flow}", getattr(growth, flow)) for flow in FLOWS]
    models += [(f"legs[{i}].growth", leg.growth) for i, leg in enumerate(scenario.legs)]
    for key, model in models:
        if isinstance(model, TableGrowth):
            for year in model.rates:
                if not base < year <= horizon:
                    bad(f"{key}.rates.{year}", f"year must be in {base + 1}–{horizon}, got {year}")
            missing = [y for y in range(base + 1, horizon + 1) if y not in model.rates]
            if missing and model.default is None:
                bad(f"{key}.default", f"required: the table has no rate for {_years(missing)}")
        elif isinstance(model, PiecewiseGrowth):
            if not model.rates:
                bad(f"{key}.rates", "needs at least one year = rate entry")
            elif min(model.rates) > base + 1:
                bad(f"{key}.rates", f"the first year must be {base + 1} or earlier, got {min(model.rates)}")
        elif isinstance(model, ReachGrowth) and model.year <= base:
            bad(f"{key}.year", f"must be after base_year {base}, got {model.year}")
    for i, event in enumerate(scenario.events):
        key = f"events[{i}]"
        if (event.amount is None) == (event.relative is None):
            bad(key, f"event {event.label!r}: set exactly one of amount and relative")
        if event.kind == "one-off" and event.ramp_years != 1:
            bad(f"{key}.ramp_years", f"event {event.label!r}: only a permanent event can be ramped in")
        if event.year <= base:
            bad(f"{key}.year", f"event {event.label!r}: must be after base_year {base}, got {event.year}")
        if event.leg is not None and event.leg not in {leg.commodity for leg in scenario.legs}:
            named = ", ".join(leg.commodity for leg in scenario.legs) or "none: the scenario has no [[legs]]"
            bad(f"{key}.leg", f"event {event.label!r}: no leg {event.leg!r} (the legs: {named})")
        elif event.leg is not None and event.flow != "bilateral":
            bad(
                f"{key}.flow",
                f"event {event.label!r}: an event on a leg changes bilateral trade, not {event.flow}",
            )
        elif scenario.legs and event.flow == "bilateral" and event.leg is None and event.amount is not None:
            bad(
                f"{key}.leg",
                f'event {event.label!r}: an amount changes one product: name its leg (leg = "HS:27"); a '
                "relative change without a leg applies to every leg",
            )
        if event.flow in ("exports", "imports") and not growth.split:
            bad(f"{key}.flow", f"event {event.label!r}: {event.flow} needs growth.exports and growth.imports")
        if event.flow in ("rest_of_world", "total") and event.flow != growth.other_flow:
            bad(
                f"{key}.flow",
                f"event {event.label!r}: this scenario grows {growth.other_flow}, so an event on "
                f"{event.flow} is ambiguous; use flow = {growth.other_flow!r}",
            )
    for i, target in enumerate(scenario.targets):
        if target.year is not None and target.year <= base:
            bad(f"targets[{i}].year", f"must be after base_year {base}, got {target.year}")
    for section, items in (("claims", scenario.claims), ("expect", scenario.expect)) if assertions else ():
        for i, item in enumerate(items):
            problems.extend(_assertion_problems(f"{section}[{i}]", item, scenario))
    return problems


def _leg_problems(scenario: Scenario) -> list[Problem]:
    """The legs' own rules: one rest leg, no product twice or inside another, one classification, a stated base
    with its source, shares that leave the rest something, a price that can be found."""
    problems: list[Problem] = []

    def bad(key: str, message: str) -> None:
        problems.append(Problem(message, key=key))

    legs = scenario.legs
    rests = [i for i, leg in enumerate(legs) if leg.commodity == REST]
    named = [(i, leg) for i, leg in enumerate(legs) if leg.commodity != REST]
    if len(rests) != 1:
        where = "legs" if not rests else f"legs[{rests[1]}].commodity"
        bad(
            where,
            f'needs exactly one leg with commodity = "rest" (what the named legs leave), got {len(rests)}',
        )
    if not named:
        bad("legs", 'needs at least one named leg (commodity = "HS:27") beside the rest')
    if scenario.baseline.exports is not None:
        bad("legs", "legs split the bilateral trade by product: drop baseline.exports and baseline.imports")
    first = classification_family(named[0][1].classification) if named else None
    for i, leg in named:
        if classification_family(leg.classification) != first:
            bad(
                f"legs[{i}].commodity",
                f"{leg.commodity} is not {first} like legs[{named[0][0]}] ({named[0][1].commodity}): legs in two "
                "classifications may overlap; split the trade in one",
            )
    seen: dict[str, int] = {}
    for i, leg in named:
        for other, j in seen.items():
            code, known = leg.code, other.split(":", 1)[1]
            if code == known or code.startswith(known) or known.startswith(code):
                bad(
                    f"legs[{i}].commodity",
                    f"{leg.commodity} overlaps legs[{j}] ({other}): a product counted twice",
                )
        seen[leg.commodity] = i
    stated = 0.0
    for i, leg in enumerate(legs):
        key = f"legs[{i}]"
        if leg.commodity == REST:
            if leg.share is not None or leg.amount is not None or leg.price is not None:
                bad(key, "the rest leg is what the named legs leave: it takes no share, amount or price")
            continue
        if (leg.share is None) == (leg.amount is None):
            bad(key, f'leg {leg.commodity}: set exactly one of share ("90%" or "from data") and amount')
        elif leg.share != "from data" and not leg.source.strip():
            bad(f"{key}.source", f"leg {leg.commodity}: a stated share or amount needs its source")
        if isinstance(leg.share, float):
            stated += leg.share
        if leg.price is not None:
            price = leg.price
            if price.series is None and not price.prices:
                bad(f"{key}.price", f"leg {leg.commodity}: give the price a series or prices")
            if price.prices and not price.source.strip():
                bad(f"{key}.price.source", f"leg {leg.commodity}: stated prices need their source")
            if price.series is None and price.unit is None:
                bad(f"{key}.price.unit", f"leg {leg.commodity}: stated prices need their unit (USD_per_bbl)")
            for year in price.prices:
                if not scenario.base_year <= year <= scenario.horizon_year:
                    bad(
                        f"{key}.price.prices.{year}",
                        f"year must be in {scenario.base_year}–{scenario.horizon_year}",
                    )
    if stated >= 1.0:
        bad(
            "legs",
            f"the named legs' shares add up to {format_percent(stated)}: they leave nothing for the rest",
        )
    return problems


def _assertion_problems(key: str, item: Assertion, scenario: Scenario) -> list[Problem]:
    problems = []
    base, horizon = scenario.base_year, scenario.horizon_year
    if item.metric == "reached_year":
        if item.year is not None or item.at is not None:
            problems.append(Problem("metric 'reached_year' takes neither year nor at", key=f"{key}.metric"))
    elif (item.year is None) == (item.at is None):
        problems.append(Problem(f"metric {item.metric!r}: set exactly one of year and at", key=key))
    elif item.metric == "required_growth" and item.year is None:
        problems.append(
            Problem("metric 'required_growth' needs year (the year to reach the target by)", key=key)
        )
    if item.year is not None and not base <= item.year <= horizon:
        problems.append(Problem(f"must be in {base}–{horizon}, got {item.year}", key=f"{key}.year"))
    ranged = item.min is not None or item.max is not None
    if (item.value is None) == (not ranged):
        problems.append(Problem("set value (with optional rtol/atol) or min and/or max", key=key))
    elif ranged and (item.rtol is not None or item.atol is not None):
        problems.append(Problem("rtol and atol go with value, not with min/max", key=key))
    elif item.min is not None and item.max is not None and item.min > item.max:
        problems.append(Problem(f"min {item.min:g} is above max {item.max:g}", key=f"{key}.min"))
    needs_target = item.at == "target" or item.metric in ("reached_year", "required_growth")
    if needs_target and scenario.target is None and item.target is None:
        problems.append(
            Problem(
                f"metric {item.metric!r} needs a target: its own target = ... or the scenario's [[targets]]",
                key=f"{key}.metric",
            )
        )
    if (
        isinstance(item, Claim)
        and item.against == "data"
        and (item.metric not in ("bilateral", "total", "share") or item.year is None)
    ):
        problems.append(
            Problem(
                "against = 'data' works for bilateral, total and share in a given year", key=f"{key}.against"
            )
        )
    return problems


def _years(years: list[int]) -> str:
    return ", ".join(map(str, years)) if len(years) <= 4 else f"{years[0]}–{years[-1]} ({len(years)} years)"
