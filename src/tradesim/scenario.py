"""Scenario files: the schema (frozen pydantic models) and loading, with errors that name file, line and key.

A scenario file is TOML. Every problem in a file is reported at once, each as one line
``FILE:LINE: key.path: what is wrong (got VALUE); allowed: ...``. See README "Scenario files".
"""

from __future__ import annotations

import difflib
import os
import re
import tomllib
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationError,
    ValidationInfo,
    field_validator,
)

from tradesim.errors import Problem, ScenarioError
from tradesim.quantities import parse_amount, parse_rate, parse_share

DEFAULT_HORIZON_YEARS = 12
ENV_SCENARIOS = "TRADESIM_SCENARIOS"
FLOWS = ("bilateral", "exports", "imports", "rest_of_world", "total")
GROWTH_MODELS = ("constant", "linear", "table", "reach", "logistic", "piecewise")

Rate = Annotated[float, BeforeValidator(lambda v: parse_rate(v, what=""))]
Amount = Annotated[float, BeforeValidator(lambda v: parse_amount(v, what=""))]
PositiveAmount = Annotated[float, BeforeValidator(lambda v: parse_amount(v, what="", positive=True))]
Year = Annotated[int, Field(ge=1900, le=2300, strict=True)]
YearKey = Annotated[int, Field(ge=1900, le=2300)]  # TOML table keys are strings: "2024" = 0.05


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


Sd = Annotated[float, Field(ge=0, allow_inf_nan=False)]


class _Growth(_Frozen):
    """Every growth model may carry ``sd``: the standard deviation of its annual log growth (Monte Carlo)."""

    sd: Sd = 0.0


class ConstantGrowth(_Growth):
    """The same rate every year: ``x_t = x_0 (1 + rate)^t``."""

    model: Literal["constant"] = "constant"
    rate: Rate


class LinearGrowth(_Growth):
    """The same amount added every year: ``x_t = x_0 + amount · t``."""

    model: Literal["linear"]
    amount: Amount


class TableGrowth(_Growth):
    """An explicit rate per year; years not listed take ``default`` (an error if there is none)."""

    model: Literal["table"]
    rates: dict[YearKey, Rate]
    default: Rate | None = None


class PiecewiseGrowth(_Growth):
    """Each rate applies from its year until the next listed year; the first must cover the first year."""

    model: Literal["piecewise"]
    rates: dict[YearKey, Rate]


class ReachGrowth(_Growth):
    """The constant rate that takes the baseline to ``value`` in ``year``; afterwards ``after`` (default: same)."""

    model: Literal["reach"]
    value: PositiveAmount
    year: Year
    after: Rate | None = None


class LogisticGrowth(_Growth):
    """Logistic growth toward ``ceiling``: ``x_t = K / (1 + (K / x_0 − 1) e^(−rate · t))``."""

    model: Literal["logistic"]
    rate: Annotated[float, Field(gt=0, allow_inf_nan=False)]
    ceiling: PositiveAmount


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
    value: PositiveAmount
    year: Year | None = None
    label: str = ""


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


class Scenario(_Frozen):
    """One validated scenario. ``path`` is the file it came from (``None`` for one built in code)."""

    name: Annotated[str, Field(min_length=1)]
    description: str = ""
    reporter: Annotated[str, Field(pattern=r"^[A-Z]{3}$")] = "KAZ"
    partner: Annotated[str, Field(pattern=r"^[A-Z]{3}$")] = "ITA"
    currency: Literal["USD"] = "USD"
    base_year: Year = 2023
    horizon: Year | None = None
    baseline: Baseline = Baseline()
    growth: Growth
    correlation: Annotated[float, Field(ge=-1, le=1, allow_inf_nan=False)] = 0.0
    events: tuple[Event, ...] = ()
    targets: tuple[Target, ...] = ()
    claims: tuple[Claim, ...] = ()
    expect: tuple[Expectation, ...] = ()

    _path: Path | None = PrivateAttr(default=None)

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
        """A copy projecting to ``horizon`` (checked like a file's horizon)."""
        return _with_path(self.model_copy(update={"horizon": horizon}), self.path, check=True)


def _with_path(scenario: Scenario, path: Path | None, *, check: bool = False) -> Scenario:
    if check:
        problems = semantic_problems(scenario)
        if problems:
            raise ScenarioError([Problem(p.message, path, None, p.key) for p in problems])
    scenario._path = path
    return scenario


# --------------------------------------------------------------------------------------------------- checks
def semantic_problems(scenario: Scenario) -> list[Problem]:
    """Cross-field rules a schema cannot say: years in order, exactly one driver per flow, consistent splits."""
    problems: list[Problem] = []
    base, horizon = scenario.base_year, scenario.horizon_year

    def bad(key: str, message: str) -> None:
        problems.append(Problem(message, key=key))

    if horizon <= base:
        bad("horizon", f"must be after base_year {base}, got {horizon}")
    elif horizon - base > 200:
        bad("horizon", f"must be at most 200 years after base_year {base}, got {horizon}")
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
    for section, items in (("claims", scenario.claims), ("expect", scenario.expect)):
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
    if needs_target and scenario.target is None:
        problems.append(
            Problem(f"metric {item.metric!r} needs the scenario's [[targets]]", key=f"{key}.metric")
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


# -------------------------------------------------------------------------------------------------- loading
_TAGS = set(GROWTH_MODELS)
_MESSAGES = {
    "missing": "required key is missing",
    "model_attributes_type": "must be a table",
    "dict_type": "must be a table",
    "tuple_type": "must be a list of tables ([[...]])",
    "int_type": "must be a whole number",
    "int_parsing": "must be a whole number",
    "float_type": "must be a number",
    "float_parsing": "must be a number",
    "string_type": "must be a string",
    "bool_type": "must be true or false",
}


def _key_path(loc: tuple[int | str, ...]) -> tuple[int | str, ...]:
    """Drop pydantic's union tags (``constant``, ...) so the path reads as the user wrote it."""
    return tuple(p for i, p in enumerate(loc) if not (i > 0 and p in _TAGS and loc[i - 1] in FLOWS))


def _dotted(path: Iterable[int | str]) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _allowed_keys(path: tuple[int | str, ...], raw: Mapping[str, Any]) -> list[str]:
    """The keys the schema allows where ``path`` points (for "did you mean")."""
    model: type[BaseModel] | None = Scenario
    node: Any = raw
    for part in path[:-1]:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            node = None
        if isinstance(part, int):
            continue
        if model is Growth:
            kind = node.get("model", "constant") if isinstance(node, Mapping) else "constant"
            model = _GROWTH_CLASSES.get(kind)
        else:
            model = _SECTIONS.get(part)
        if model is None:
            return []
    return list(model.model_fields) if model is not None else []


_SECTIONS: dict[str, type[BaseModel]] = {
    "growth": Growth,
    "baseline": Baseline,
    "events": Event,
    "targets": Target,
}
_GROWTH_CLASSES: dict[str, type[BaseModel]] = {
    "constant": ConstantGrowth,
    "linear": LinearGrowth,
    "table": TableGrowth,
    "piecewise": PiecewiseGrowth,
    "reach": ReachGrowth,
    "logistic": LogisticGrowth,
}


def _problem_from_pydantic(error: Any, raw: Mapping[str, Any]) -> tuple[tuple[int | str, ...], str]:
    path = _key_path(tuple(error["loc"]))
    if len(path) == 3 and path[0] == "growth" and not isinstance(raw.get("growth", {}).get(path[1]), dict):
        path = path[:2]  # the shorthand `bilateral = 0.05`: the user wrote no `.rate`
    kind = error["type"]
    if kind == "extra_forbidden":
        allowed = _allowed_keys(path, raw)
        guess = difflib.get_close_matches(str(path[-1]), allowed, n=1)
        hint = f"; did you mean {guess[0]!r}?" if guess else ""
        return path, f"unknown key{hint} (allowed: {', '.join(allowed)})" if allowed else "unknown key"
    if kind == "union_tag_invalid":
        got = error["ctx"].get("tag")
        guess = difflib.get_close_matches(str(got), GROWTH_MODELS, n=1)
        hint = f"; did you mean {guess[0]!r}?" if guess else ""
        return (*path, "model"), f"unknown growth model {got!r}{hint} (allowed: {', '.join(GROWTH_MODELS)})"
    message = _MESSAGES.get(kind) or str(error["msg"]).removeprefix("Value error, ").replace(
        "Input should", "must"
    )
    if kind.startswith(("int_", "float_", "literal_", "string_", "greater", "less", "bool")):
        message += f" (got {error['input']!r})"
    return path, message


def locate(text: str, path: tuple[int | str, ...]) -> int | None:
    """The line of ``text`` that sets the deepest prefix of ``path`` (a table header or ``key =``)."""
    target = tuple(str(p) for p in path)
    best, best_depth = None, 0
    table: tuple[str, ...] = ()
    counts: dict[tuple[str, ...], int] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if stripped.startswith("[["):
            name = tuple(k.strip().strip("\"'") for k in stripped[2:].split("]]")[0].split("."))
            counts[name] = counts.get(name, -1) + 1
            table = full = (*name, str(counts[name]))
        elif stripped.startswith("["):
            table = full = tuple(k.strip().strip("\"'") for k in stripped[1:].split("]")[0].split("."))
        elif match := re.match(r"^([A-Za-z0-9_\-.\"' ]+?)\s*=", stripped):
            full = (*table, *(k.strip().strip("\"'") for k in match.group(1).split(".")))
        else:
            continue
        if target[: len(full)] == full and len(full) > best_depth:
            best, best_depth = number, len(full)
    return best


def _read_toml(path: Path) -> tuple[str, dict[str, Any]]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ScenarioError([Problem("file not found", path)]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ScenarioError(
            [Problem(f"cannot read the file ({exc.__class__.__name__}: {exc})", path)]
        ) from None
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        found = re.search(r"\(at line (\d+), column \d+\)$", message)
        line = int(found.group(1)) if found else None
        raise ScenarioError([Problem(f"TOML syntax error: {message}", path, line)]) from None
    if not raw:
        raise ScenarioError([Problem("the file is empty; a scenario needs at least a [growth] table", path)])
    return text, raw


def _merge(parent: dict[str, Any], child: dict[str, Any]) -> dict[str, Any]:
    """Child keys override parent keys; tables merge recursively; lists replace unless the child's list has
    an element ``{append = true}``, in which case the child's entries (without that marker) are appended."""
    merged = dict(parent)
    for key, value in child.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        elif isinstance(value, list) and any(isinstance(v, dict) and v.get("append") is True for v in value):
            entries = [{k: v for k, v in e.items() if k != "append"} for e in value if isinstance(e, dict)]
            merged[key] = [*merged.get(key, []), *entries]
        else:
            merged[key] = value
    return merged


def _load_raw(path: Path, directory: Path | None, chain: tuple[Path, ...]) -> tuple[str, dict[str, Any]]:
    """Read a file and resolve ``extends`` (a scenario name or a path relative to the file)."""
    text, raw = _read_toml(path)
    parent_ref = raw.pop("extends", None)
    if parent_ref is None:
        return text, raw
    if not isinstance(parent_ref, str) or not parent_ref:
        line = locate(text, ("extends",))
        raise ScenarioError(
            [Problem(f"must be a scenario name or path, got {parent_ref!r}", path, line, "extends")]
        )
    parent = _find_parent(parent_ref, path, directory)
    if parent is None:
        line = locate(text, ("extends",))
        raise ScenarioError([Problem(f"parent scenario {parent_ref!r} not found", path, line, "extends")])
    if parent.resolve() in {p.resolve() for p in (*chain, path)}:
        names = " → ".join(p.stem for p in (*chain, path, parent))
        raise ScenarioError(
            [Problem(f"inheritance cycle: {names}", path, locate(text, ("extends",)), "extends")]
        )
    _, parent_raw = _load_raw(parent, directory, (*chain, path))
    parent_raw.pop("name", None)  # a child is never named after its parent
    parent_raw.pop("expect", None)  # expectations pin the parent's own numbers: never inherited
    return text, _merge(parent_raw, raw)


def _find_parent(ref: str, child: Path, directory: Path | None) -> Path | None:
    as_path = (child.parent / ref) if not Path(ref).is_absolute() else Path(ref)
    if as_path.suffix == ".toml" or "/" in ref:
        return as_path if as_path.is_file() else None
    for folder in (child.parent, directory):
        if folder is not None:
            found = discover(folder).get(ref)
            if found is not None:
                return found
    return None


def load(path: str | os.PathLike[str], *, directory: Path | None = None) -> Scenario:
    """Load and validate one scenario file; raise :class:`ScenarioError` listing every problem in it."""
    path = Path(path)
    text, raw = _load_raw(path, directory, ())
    raw.setdefault("name", path.stem)
    try:
        scenario = Scenario.model_validate(raw)
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            key_path, message = _problem_from_pydantic(error, raw)
            problems.append(Problem(message, path, locate(text, key_path), _dotted(key_path) or None))
        raise ScenarioError(sorted(problems, key=lambda p: p.line or 0)) from None
    found = semantic_problems(scenario)
    if found:
        raise ScenarioError([Problem(p.message, path, locate(text, _split_key(p.key)), p.key) for p in found])
    return _with_path(scenario, path)


_LISTS = ("events", "targets", "claims", "expect")


def _split_key(key: str | None) -> tuple[int | str, ...]:
    parts: list[int | str] = []
    for token in re.findall(r"[^.\[\]]+", key or ""):
        parts.append(
            int(token) if token.isdigit() and parts and parts[-1] in ("events", "targets") else token
        )
    return tuple(parts)


# ------------------------------------------------------------------------------------------------ discovery
def shipped_directory() -> Path:
    """The reference scenarios inside the installed package (or, from a source checkout, the repo's)."""
    from importlib.resources import files

    inside = Path(str(files("tradesim"))) / "scenarios"
    if inside.is_dir():
        return inside
    return Path(__file__).resolve().parents[2] / "scenarios"  # editable install: the one copy in the repo


def scenario_directory(explicit: str | os.PathLike[str] | None = None) -> Path:
    """``--scenarios DIR``, else ``$TRADESIM_SCENARIOS``, else ``./scenarios`` if present, else shipped."""
    if explicit is not None:
        chosen, what = Path(explicit), "--scenarios"
    elif os.environ.get(ENV_SCENARIOS):
        chosen, what = Path(os.environ[ENV_SCENARIOS]), ENV_SCENARIOS
    elif Path("scenarios").is_dir():
        return Path("scenarios")
    else:
        return shipped_directory()
    if not chosen.is_dir():
        raise ScenarioError([Problem(f"{what}: scenario directory not found", chosen)])
    return chosen


def discover(directory: Path) -> dict[str, Path]:
    """Scenario name → file, for every ``*.toml`` directly in ``directory``, sorted by name."""
    found: dict[str, Path] = {}
    for path in sorted(directory.glob("*.toml")):
        name = path.stem
        try:
            declared = tomllib.loads(path.read_text(encoding="utf-8")).get("name")
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
            declared = None  # reported when the file is loaded
        found[declared if isinstance(declared, str) and declared else name] = path
    return dict(sorted(found.items()))


def resolve(reference: str, directory: Path) -> Path:
    """A scenario name (looked up in ``directory``) or a path to a file."""
    candidate = Path(reference)
    if candidate.suffix == ".toml" or os.sep in reference or candidate.is_file():
        if not candidate.is_file():
            raise ScenarioError([Problem("file not found", candidate)])
        return candidate
    known = discover(directory)
    if reference in known:
        return known[reference]
    guess = difflib.get_close_matches(reference, list(known), n=1)
    hint = f"; did you mean {guess[0]!r}?" if guess else ""
    available = ", ".join(known) or "none"
    raise ScenarioError(
        [Problem(f"unknown scenario {reference!r} in {directory}{hint} (available: {available})")]
    )


def load_many(references: Iterable[str], directory: Path) -> list[Scenario]:
    """Load the scenarios named (or every scenario in ``directory`` if none), collecting all problems."""
    references = list(references)
    paths = [resolve(r, directory) for r in references] if references else list(discover(directory).values())
    if not paths:
        raise ScenarioError([Problem("no scenario files (*.toml) found", directory)])
    scenarios: list[Scenario] = []
    problems: list[Problem] = []
    for path in paths:
        try:
            scenarios.append(load(path, directory=directory))
        except ScenarioError as exc:
            problems.extend(exc.problems)
    if problems:
        raise ScenarioError(problems)
    return scenarios


def ad_hoc(
    growth: float,
    rest_growth: float,
    *,
    growth_sd: float = 0.0,
    rest_sd: float = 0.0,
    correlation: float = 0.0,
    base_year: int = 2023,
    horizon: int | None = None,
) -> Scenario:
    """The ``ad-hoc`` scenario of ``--growth``/``--rest-growth``: constant rates on the default baseline."""
    try:
        return Scenario.model_validate(
            {
                "name": "ad-hoc",
                "description": f"constant growth {growth:+.2%}/yr, rest of trade {rest_growth:+.2%}/yr",
                "base_year": base_year,
                "horizon": horizon,
                "correlation": correlation,
                "growth": {
                    "bilateral": {"rate": growth, "sd": growth_sd},
                    "rest_of_world": {"rate": rest_growth, "sd": rest_sd},
                },
            }
        )
    except ValidationError as exc:
        options = {
            "correlation": "--correlation",
            "growth.bilateral.sd": "--growth-sd",
            "growth.rest_of_world.sd": "--rest-sd",
        }
        problems = []
        for error in exc.errors():
            key = _dotted(_key_path(tuple(error["loc"])))
            message = str(error["msg"]).replace("Input should", "must")
            problems.append(Problem(f"{options.get(key, key)} {message}, got {error['input']!r}"))
        raise ScenarioError(problems) from None
