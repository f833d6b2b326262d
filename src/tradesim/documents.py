"""The JSON documents the commands write, as types: one pydantic model per command's ``--format json``, and the
JSON Schema generated from it (:func:`schema`), shipped in the package (``tradesim/schemas/*.schema.json``)
and published in the manual ("JSON output").

A solve's answers are the result types themselves (:mod:`tradesim.solve`'s frozen dataclasses): their schema is
generated from those classes, so a field added there is in the schema without a second definition. The other
documents are written out here beside the ``to_json`` that builds them; a test validates every command's JSON
against its schema (the jsonschema package), so the two cannot drift apart unseen. The same quantity has the same
name everywhere: ``reached_year``, ``required_growth``, ``share_at_reached``, ``target``, ``currency``, ``by``.
Models forbid keys they do not name (``additionalProperties: false``): a new key is a schema change.

Pydantic is imported only to make a schema (``tradesim schema json COMMAND``), never to write a document.
"""

from __future__ import annotations

import dataclasses
import json
from functools import cache
from typing import Any

COMMANDS = (
    "project",
    "solve",
    "simulate",
    "sensitivity",
    "audit",
    "targets",
    "nowcast",
    "backtest",
    "mirror",  # data mirror
    "data",  # the observations
    "coverage",  # data coverage
    "vintages",  # data vintages
    "check",
)


@cache
def _models() -> dict[str, Any]:
    from typing import Literal, get_type_hints

    from pydantic import BaseModel, ConfigDict, Field, RootModel, create_model

    from tradesim import solve

    class Strict(BaseModel):
        model_config = ConfigDict(extra="forbid")

    from tradesim.data.observation import RECORD, Observation

    described = {
        "origin": '"shipped", or FILE:LINE of your data folder',
        "retrieved": "when a fetch received it (UTC); empty for any other row",
    }
    observed = get_type_hints(Observation)
    row: dict[str, Any] = {
        c: (observed[c], Field(description=described[c]) if c in described else ...) for c in RECORD
    }
    row["amount"] = (float, Field(description="value in currency units (value × the unit's scale)"))
    # the columns of a data row as outputs list it (RECORD, the one list), with their types from Observation
    Columns: Any = create_model(
        "Columns",
        __base__=Strict,
        __doc__="A data row: the data folder's columns, with ``origin`` and ``amount``.",
        **row,
    )

    class Provenance(Columns):
        """A data row a figure rests on, as an output cites it: with ``fx`` (how it was converted, if it was)."""

        fx: str

    class TargetGiven(Strict):
        amount: float
        currency: str
        text: str
        source: str

    class TargetEntry(Strict):
        value: float = Field(description="in the scenario's currency")
        year: int | None
        label: str
        reached_year: int | None
        share_at_reached: float | None
        required_growth: float | None

    class Leg(Strict):
        commodity: str
        name: str
        baseline: float
        baseline_how: str
        baseline_source: Provenance | None
        status: str | None
        source: str | None
        growth: str
        price: dict[str, Any] | None

    class Year(BaseModel):
        """A year of a projection. Further keys: ``leg:HS:27``, ``leg:rest``, … (a scenario with product legs)."""

        model_config = ConfigDict(extra="allow")
        __pydantic_extra__: dict[str, float | None]
        year: int
        bilateral: float
        rest_of_world: float
        total: float
        share: float
        growth: float | None = Field(description="year on year; null in the base year")
        gap_to_target: float | None
        actual: float | None = Field(description="a full-year actual from the data, else null")
        exports: float | None = Field(default=None, description="a split scenario only")
        imports: float | None = Field(default=None, description="a split scenario only")

    class Sources(Strict):
        bilateral: Provenance | None
        total: Provenance | None

    class ProjectedScenario(Strict):
        name: str
        scenario: str = Field(description="the same as name: the key every command uses for a scenario")
        reporter: str
        partner: str
        commodity: str | None = Field(default=None, description="a scenario of one product only (HS:27)")
        currency: str
        description: str
        file: str | None
        base_year: int
        baseline: float
        baseline_total: float
        baseline_sources: Sources
        target: float
        target_given: TargetGiven | None
        target_note: str | None
        by: int | None
        reached_year: int | None
        share_at_reached: float | None
        required_growth: float | None
        actual_reached_year: int | None
        warnings: list[str]
        conversions: list[str]
        targets: list[TargetEntry]
        legs: list[Leg] | None = Field(default=None, description="a scenario with [[legs]] only")
        years: list[Year]

    class Project(Strict):
        """``tradesim project --format json``."""

        target: float | None = Field(description="null when the scenarios used different targets")
        by: int | None
        currency: str | None = Field(description="null when the scenarios are in different currencies")
        scenarios: list[ProjectedScenario]
        spread: list[dict[str, Any]] | None = Field(default=None, description="--baselines all only")

    def from_dataclass(cls: type, optional: tuple[str, ...] = (), **more: Any) -> Any:
        """A model with a dataclass's fields and types (the result type is the document's definition); the
        fields named by a prefix in ``optional`` may be left out, and ``more`` adds fields after them."""
        hints = get_type_hints(cls)
        fields: dict[str, Any] = {
            f.name: (hints[f.name], None if f.name.startswith(optional) else ...)
            for f in dataclasses.fields(cls)
        }
        return create_model(cls.__name__, __base__=Strict, **fields, **more)

    def answer(cls: type) -> Any:
        """A solve answer's model: its dataclass's fields (``leg…`` left out when None, as ``to_json`` does),
        then currency and commodity."""
        return from_dataclass(cls, ("leg",), currency=(str, ...), commodity=(str | None, None))

    answers = [
        answer(solve.GrowthAnswer),
        answer(solve.YearAnswer),
        answer(solve.ShareAnswer),
        answer(solve.RestGrowthAnswer),
        answer(solve.PriceAnswer),
    ]
    answer_union: Any = answers[0] | answers[1] | answers[2] | answers[3] | answers[4]

    class Solve(Strict):
        """``tradesim solve growth|year|share|rest-growth|price --format json``."""

        solve: Literal["growth", "year", "share", "rest-growth", "price"]
        solved: str
        results: list[answer_union]

    class Distribution(BaseModel):
        """Year → the share of paths that first reach the target that year; ``never``: not by the horizon."""

        model_config = ConfigDict(extra="allow")
        __pydantic_extra__: dict[str, float]

    class SimulatedYear(Strict):
        year: int
        p_at_or_above: float
        p_reached_by: float
        bilateral_percentiles: dict[str, float]
        share_percentiles: dict[str, float]

    class SimulatedScenario(Strict):
        name: str
        scenario: str = Field(description="the same as name: the key every command uses for a scenario")
        currency: str
        target: float
        commodity: str | None = None
        median_reached_year: int | None
        median_share_at_reached: float | None
        median_source: str
        median_reached_year_range: list[int | None] | None
        median_share_source: str
        median_share_at_reached_range: list[float | None] | None
        reached_year_distribution: Distribution
        years: list[SimulatedYear]

    class Simulate(Strict):
        """``tradesim simulate --format json``."""

        runs: int
        seed: int
        target: float | None
        currency: str | None
        scenarios: list[SimulatedScenario]

    class Swing(Strict):
        scenario: str
        currency: str
        input: str
        base: float
        low: float
        high: float
        reached_low: int | None
        reached_high: int | None
        share_low: float
        share_high: float
        share_swing: float

    class Sensitivity(Strict):
        """``tradesim sensitivity --format json`` (the tornado; ``--grid`` writes its own grid)."""

        tornado: list[Swing]

    class Range(Strict):
        min: float | None
        max: float | None

    class Claim(Strict):
        scenario: str
        currency: str
        baseline: float
        quote: str
        source: str
        metric: str
        year: int | None
        against: str
        what: str
        claimed: float | Range | None
        claimed_text: str
        computed: float | None
        computed_text: str
        holds: bool
        would_hold_if: str
        actual: str
        note: str

    class Audit(Strict):
        """``tradesim audit --format json``."""

        claims: list[Claim]
        warnings: list[str] = Field(default_factory=list)

    from tradesim import backtest

    class Backtest(Strict):
        """``tradesim backtest --format json``."""

        reporter: str
        partner: str
        method: str
        vintage: Literal["first", "latest"]
        currency: str
        commodity: str | None = None
        sd: float
        calibrated_sd: float | None
        horizons: list[from_dataclass(backtest.HorizonScore)]  # type: ignore[valid-type]
        forecasts: list[from_dataclass(backtest.Forecast)]  # type: ignore[valid-type]
        warnings: list[str]

    class Ratio(Strict):
        year: int
        full_over_partial: float

    class Record(Strict):
        evaluations: int
        held: int

    class Nowcast(Strict):
        """``tradesim nowcast --format json``: the full year from a part of it, with its interval."""

        reporter: str
        partner: str
        year: int
        from_period: str
        currency: str
        commodity: str | None = None
        partial: float
        estimate: float
        low: float
        high: float
        interval: float
        interval_basis: str
        calibrated: bool
        record: Record
        method: str
        ratios: list[Ratio]
        used: list[Provenance]
        warnings: list[str]

    class Evaluation(Nowcast):
        actual: float
        error: float
        held: bool

    class Evaluated(Strict):
        """``tradesim nowcast --evaluate --format json``: each past nowcast against the full year."""

        reporter: str
        partner: str
        currency: str
        interval: float
        evaluations: list[Evaluation]

    class Figure(Strict):
        year: int
        value: float
        currency: str
        source: str
        origin: str
        fx: str | None

    class Total(Strict):
        year: int
        value: float
        status: str

    class Portfolio(Strict):
        partners: list[str]
        sum_of_targets: float
        year: int
        total_latest: Total | None
        total_growth: float | None
        total_then: float | None
        share_then: float | None
        share_now: float | None
        implausible: bool

    class TrackedTarget(Strict):
        partner: str
        value: float
        currency: str
        year: int | None
        year_assumed: bool
        announced: int | None
        source: str
        origin: str
        at_announcement: Figure | None
        latest_actual: Figure | None
        nowcast: Nowcast | None
        progress: float | None
        required_growth: float | None
        achieved_growth: float | None
        assumed_growth: float | None
        assumed_growth_basis: str
        status: str
        status_text: str
        met_on_rounded_figure: bool
        p_reach: float | None

    class Targets(Strict):
        """``tradesim targets --format json``: every announced target tracked, and the portfolio."""

        as_of: int | None
        reporter: str
        commodity: str | None = None
        targets: list[TrackedTarget]
        portfolio: Portfolio | None

    class MirrorRow(Strict):
        year: int
        flow: str
        currency: str
        reported: float | None
        reported_by: str
        mirror: float | None
        mirror_by: str
        ratio: float | None
        reported_source: Provenance | None
        mirror_source: Provenance | None

    class Mirror(Strict):
        """``tradesim data mirror --format json``: each side's figure for the same trade, never added."""

        reporter: str
        partner: str
        currency: str
        commodity: str | None = None
        rows: list[MirrorRow]

    class NowcastDocument(RootModel[Nowcast | Evaluated]):
        """``tradesim nowcast --format json``: a nowcast, or with ``--evaluate`` each past one against the year."""

    class DataRow(Columns):
        """An observation as ``tradesim data`` lists it."""

    class Data(RootModel[list[DataRow]]):
        """``tradesim data --format json``: the observations in use."""

    class Series(Strict):
        kind: str
        reporter: str
        partner: str
        flow: str
        commodity: str
        reported_by: str
        full_years: list[int]
        other_periods: dict[str, list[int]]
        care: dict[str, list[int]]
        rows: int

    class Coverage(Strict):
        """``tradesim data coverage --format json``: every series, its years and what to treat with care."""

        series: list[Series]

    class Vintage(Strict):
        source: str
        request: str
        retrieved: str = Field(description="UTC, to the microsecond (answers of one second keep their order)")
        confirmed: str
        status: int
        bytes: int
        sha256: str = Field(description="the first 16 hex digits of the body's sha256")
        figures: int
        changed: str
        address: str = Field(description="the request as sent (never a key)")
        archived: str = Field(description="the body's path in the data folder")

    class Vintages(RootModel[list[Vintage]]):
        """``tradesim data vintages --format json``: every archived answer, oldest first within a request."""

    class Difference(Strict):
        year: int
        metric: str
        expected: float | None
        actual: float | None
        difference: float | None

    class Snapshot(Strict):
        file: str
        status: str
        first_year: int | None
        causes: list[str]
        differences: list[Difference]

    class Expectation(Strict):
        index: int
        metric: str
        what: str
        expected: Any
        computed: Any
        holds: bool
        message: str

    class Checked(Strict):
        name: str
        file: str | None
        currency: str
        passed: bool
        snapshot: Snapshot
        expectations: list[Expectation]

    class Check(Strict):
        """``tradesim check --format json``: each scenario's snapshot and expectations."""

        passed: bool
        rtol: float
        atol: float
        scenarios: list[Checked]

    return {
        "data": Data,
        "coverage": Coverage,
        "vintages": Vintages,
        "check": Check,
        "targets": Targets,
        "nowcast": NowcastDocument,
        "backtest": Backtest,
        "mirror": Mirror,
        "project": Project,
        "solve": Solve,
        "simulate": Simulate,
        "sensitivity": Sensitivity,
        "audit": Audit,
    }


def schema(command: str) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of ``command``'s ``--format json``, generated from its model."""
    if command not in COMMANDS:
        from tradesim.errors import InputError

        raise InputError(f"no JSON schema for {command!r} (known: {', '.join(COMMANDS)})")
    found: dict[str, Any] = _models()[command].model_json_schema()
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"https://tradesim.example/schemas/{command}.schema.json",
        **found,
    }


def schema_text(command: str) -> str:
    """The schema as the shipped file holds it: sorted keys, two-space indent, a final newline."""
    return json.dumps(schema(command), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def shipped() -> dict[str, str]:
    """The schema files shipped in the package, by command."""
    from importlib.resources import files

    folder = files("tradesim").joinpath("schemas")
    return {c: folder.joinpath(f"{c}.schema.json").read_text(encoding="utf-8") for c in COMMANDS}


def main() -> None:
    """``python -m tradesim.documents``: write the schema files (``src/tradesim/schemas/``) from the models."""
    from pathlib import Path

    folder = Path(__file__).parent / "schemas"
    folder.mkdir(exist_ok=True)
    for command in COMMANDS:
        (folder / f"{command}.schema.json").write_text(schema_text(command), encoding="utf-8")


if __name__ == "__main__":
    main()

__all__ = ["COMMANDS", "schema", "schema_text", "shipped"]
