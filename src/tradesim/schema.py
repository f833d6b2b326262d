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
from tradesim.errors import Problem, ScenarioError
from tradesim.quantities import (
    MAX_RATE,
    format_money,
    format_percent,
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
PositiveAmount = Annotated[float, BeforeValidator(lambda v: parse_amount(v, what="", positive=True))]
Year = Annotated[int, Field(ge=1900, le=2300, strict=True)]
YearKey = Annotated[int, Field(ge=1900, le=2300)]  # TOML table keys are strings: "2024" = 0.05


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


# An sd of 1 already means a one-sd year multiplies trade by e ≈ 2.7; beyond that the model means nothing.
Sd = Annotated[float, Field(ge=0, le=1, allow_inf_nan=False)]


class _Growth(_Frozen):
    """A growth model: its fields, its path (:meth:`path`), its description (:meth:`describe`) and the inputs
    ``tradesim sensitivity`` swings (:attr:`inputs`). Adding a model is one class here (and its test).

    Every growth model may carry ``sd``: the standard deviation of its annual log growth (Monte Carlo)."""

    sd: Sd = 0.0
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
    rate: Rate
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
    amount: Amount
    inputs: ClassVar[tuple[tuple[str, str], ...]] = (("amount", "amount"),)
    scales: ClassVar[bool] = False

    def path(self, start: Any, base_year: int, years: Any) -> Any:
        return start + self.amount * _steps(years, base_year)

    def describe(self, currency: str = "USD") -> str:
        return f"{'+' if self.amount >= 0 else ''}{format_money(self.amount, currency)}/yr"


class TableGrowth(_Growth):
    """An explicit rate per year; years not listed take ``default`` (an error if there is none)."""

    model: Literal["table"]
    rates: dict[YearKey, Rate]
    default: Rate | None = None
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
    rates: dict[YearKey, Rate]
    inputs: ClassVar[tuple[tuple[str, str], ...]] = (("rates", "rate"),)

    def path(self, start: Any, base_year: int, years: Any) -> Any:
        changes = sorted(self.rates)
        return _compound(start, [self.rates[max(c for c in changes if c <= y)] for y in years[1:]])

    def describe(self, currency: str = "USD") -> str:
        return ", ".join(f"{format_percent(r, signed=True)} from {y}" for y, r in sorted(self.rates.items()))


class ReachGrowth(_Growth):
    """The constant rate that takes the baseline to ``value`` in ``year``; afterwards ``after`` (default: same)."""

    model: Literal["reach"]
    value: PositiveAmount
    year: Year
    after: Rate | None = None
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
    rate: Annotated[float, Field(gt=0, le=MAX_RATE, allow_inf_nan=False)]
    ceiling: PositiveAmount
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
    exports: Growth_ | None = None
    imports: Growth_ | None = None
    rest_of_world: Growth_ | None = None
    total: Growth_ | None = None

    @property
    def other_flow(self) -> Literal["rest_of_world", "total"]:
        return "total" if self.total is not None else "rest_of_world"

    @property
    def split(self) -> bool:
        return self.exports is not None


class Baseline(_Frozen):
    """Base-year values. Anything left out comes from the shipped data (see ``tradesim.data``)."""

    bilateral: PositiveAmount | None = None
    bilateral_period: str | None = None
    total: PositiveAmount | None = None
    rest_of_world: PositiveAmount | None = None
    exports: PositiveAmount | None = None
    imports: PositiveAmount | None = None


class Event(_Frozen):
    """A level change on one flow: an ``amount`` or a ``relative`` change, permanent or for one year."""

    label: str
    year: Year
    flow: Literal["bilateral", "exports", "imports", "rest_of_world", "total"] = "bilateral"
    amount: Amount | None = None
    relative: Rate | None = None
    kind: Literal["permanent", "one-off"] = "permanent"
    ramp_years: Annotated[int, Field(ge=1, le=100, strict=True)] = 1
    probability: Annotated[float, Field(ge=0, le=1, allow_inf_nan=False)] = 1.0


class Target(_Frozen):
    """A target: ``value`` may carry its own currency (``€20B``, ``20B EUR``), converted when it is read."""

    value: PositiveAmount
    year: Year | None = None
    label: str = ""
    currency: Annotated[str, Field(pattern=r"^[A-Z]{3}$")] | None = None  # from the value's text, or given

    @model_validator(mode="before")
    @classmethod
    def _currency_from_value(cls, data: Any) -> Any:
        if isinstance(data, dict) and isinstance(data.get("value"), str):
            try:
                amount, currency = parse_money(data["value"], what="", positive=True)
            except ValueError:
                return data  # the field validator reports it
            if currency is not None:
                return {**data, "value": amount, "currency": data.get("currency", currency)}
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
    year: Year | None = None
    at: Literal["target"] | None = None
    value: float | None = None
    rtol: Annotated[float, Field(ge=0, allow_inf_nan=False)] | None = None
    atol: Annotated[float, Field(ge=0, allow_inf_nan=False)] | None = None
    min: float | None = None
    max: float | None = None
    target: PositiveAmount | None = None  # its own target (default: the scenario's first [[targets]] entry)

    _parse = field_validator("value", "min", "max", mode="before")(_metric_value)


class Claim(Assertion):
    """A published statement to audit: who said it (``quote``, ``source``) and what it formally says.

    ``against = "data"`` compares with the data's full-year figures instead of the scenario's projection.
    """

    quote: str
    source: str = ""
    against: Literal["scenario", "data"] = "scenario"
    note: str = ""


class Expectation(Assertion):
    """A figure ``tradesim check`` must reproduce; ``message`` says why it matters."""

    message: str = ""


def _country(code: str) -> str:
    problem = country_problem(code)
    if problem is not None:
        raise ValueError(problem)
    return code


class Scenario(_Frozen):
    """One validated scenario. ``path`` is the file it came from (``None`` for one built in code)."""

    name: Annotated[str, Field(pattern=NAME_PATTERN)]
    description: str = ""
    # a scenario that names no reporter, partner or base year takes the reference case's (reference.toml)
    reporter: Annotated[str, AfterValidator(_country)] = Field(default_factory=lambda: reference().reporter)
    partner: Annotated[str, AfterValidator(_country)] = Field(default_factory=lambda: reference().partner)
    currency: Annotated[str, Field(pattern=r"^[A-Z]{3}$")] = (
        "USD"  # ISO 4217; needs rates unless the data has it
    )
    base_year: Year = Field(default_factory=lambda: reference().base_year)
    horizon: Year | None = None
    baseline: Baseline = Baseline()
    growth: Growth
    correlation: Annotated[float, Field(ge=-1, le=1, allow_inf_nan=False)] = 0.0
    events: tuple[Event, ...] = ()
    targets: tuple[Target, ...] = ()
    claims: tuple[Claim, ...] = ()
    expect: tuple[Expectation, ...] = ()
    # an exchange-rate path for future years: {EUR = {2026 = 1.10, 2030 = 1.15}} — units of the scenario's
    # currency per unit of EUR; a year between two entries takes the earlier one (default: the last full year's)
    fx: dict[
        Annotated[str, Field(pattern=r"^[A-Z]{3}$")],
        dict[YearKey, Annotated[float, Field(gt=0, allow_inf_nan=False)]],
    ] = {}

    _path: Path | None = PrivateAttr(default=None)
    _notes: tuple[str, ...] = PrivateAttr(default=())  # what loading the file wants the reader to know

    @property
    def notes(self) -> tuple[str, ...]:
        return self._notes

    @property
    def path(self) -> Path | None:
        return self._path

    @property
    def horizon_year(self) -> int:
        return self.horizon if self.horizon is not None else self.base_year + DEFAULT_HORIZON_YEARS

    @property
    def target(self) -> Target | None:
        return self.targets[0] if self.targets else None

    def with_horizon(self, horizon: int) -> Scenario:
        """A copy projecting to ``horizon`` (checked like a file's horizon). Its claims and expectations may
        then name years past the horizon: they are read by ``audit`` and ``check`` on the file's own horizon."""
        return _with_path(self.model_copy(update={"horizon": horizon}), self.path, check=True)


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
    if growth.bilateral is not None and (growth.exports or growth.imports):
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
    for flow in FLOWS:
        model = getattr(growth, flow)
        key = f"growth.{flow}"
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
