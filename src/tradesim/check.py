"""``tradesim check``: snapshots of computed paths and ``[[expect]]`` entries, for CI.

A snapshot is ``<scenario folder>/snapshots/<name>.csv``: a header of ``# key: value`` lines recording the
scenario's hash, the data's hash and the tradesim version, then ``year,bilateral,rest_of_world,total,share``
with 12 significant digits (stable, so git diffs stay small). A check compares each value with
``|actual − expected| ≤ atol + rtol · |expected|`` and, when something moved, says what changed since the
snapshot was written: the scenario, the data, or tradesim itself.
"""

from __future__ import annotations

import csv
import hashlib
import io
import itertools
import json
import math
import re
import shlex
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from tradesim import __version__, metrics, model
from tradesim.atomic import sweep_temporaries, write_text_atomic
from tradesim.data import Dataset, shipped
from tradesim.errors import Problem, SnapshotError
from tradesim.output import Collection, Result, Rows
from tradesim.quantities import count
from tradesim.schema import Expectation, Scenario

if TYPE_CHECKING:
    import pandas as pd

SNAPSHOT_FOLDER = "snapshots"
SNAPSHOT_METRICS = ("bilateral", "rest_of_world", "total", "share")
HEADER = "# tradesim snapshot"
DEFAULT_RTOL = 1e-9
SNAPSHOT_RTOL = 1e-11  # what counts as "changed" for --update: beyond the rounding of 12 digits
DEFAULT_ATOL = 0.0
Status = Literal["ok", "drift", "missing", "created", "updated", "refreshed", "unchanged"]


@dataclass(frozen=True)
class Difference:
    year: int
    metric: str
    expected: float | None  # None: the year is not in the snapshot
    actual: float | None  # None: the year is no longer projected

    @property
    def difference(self) -> float | None:
        return None if self.expected is None or self.actual is None else self.actual - self.expected


@dataclass(frozen=True)
class SnapshotResult:
    path: Path
    status: Status
    differences: tuple[Difference, ...] = ()
    causes: tuple[str, ...] = ()

    @property
    def passed(self) -> bool:
        return self.status in ("ok", "created", "updated", "refreshed", "unchanged")

    @property
    def first_year(self) -> int | None:
        return min((d.year for d in self.differences), default=None)


@dataclass(frozen=True)
class ExpectationResult:
    index: int
    expectation: Expectation
    what: str
    expected: str
    computed: float | None
    computed_text: str
    holds: bool


@dataclass(frozen=True)
class ScenarioCheck:
    scenario: str
    file: Path | None
    snapshot: SnapshotResult
    expectations: tuple[ExpectationResult, ...] = field(default_factory=tuple)
    update_command: str = ""  # what writes this snapshot, for messages
    currency: str = "USD"  # the scenario's: the snapshot's amounts are in it

    @property
    def passed(self) -> bool:
        return self.snapshot.passed and all(e.holds for e in self.expectations)


# -------------------------------------------------------------------------------------------- fingerprints
def scenario_hash(scenario: Scenario) -> str:
    """SHA-256 of the scenario as loaded (after ``extends``), leaving out what does not move a number.

    Defaults are left out too, so a new tradesim version adding a field does not change every hash.
    """
    dumped = scenario.model_dump(
        mode="json", exclude={"description", "claims", "expect"}, exclude_defaults=True
    )
    return hashlib.sha256(json.dumps(dumped, sort_keys=True).encode()).hexdigest()


def snapshot_path(scenario: Scenario, directory: Path) -> Path:
    folder = scenario.path.parent if scenario.path is not None else directory
    return folder / SNAPSHOT_FOLDER / f"{scenario.name}.csv"


# ------------------------------------------------------------------------------------------ read and write
LEG_COLUMN = re.compile(r"^leg:[A-Za-z0-9:._-]{1,60}$")  # a product leg's column: leg:HS:27, leg:rest


def snapshot_columns(projection: model.Projection) -> tuple[str, ...]:
    """The snapshot's columns for ``projection``: :data:`SNAPSHOT_METRICS`, then each product leg's."""
    return (*SNAPSHOT_METRICS, *(f"leg:{c}" for c in projection.legs))


def _value(projection: model.Projection, metric: str, index: int) -> float:
    if metric.startswith("leg:"):
        leg = projection.legs.get(metric.removeprefix("leg:"))
        return math.nan if leg is None else float(leg[index])
    return float(getattr(projection, metric)[index])


def render_snapshot(scenario: Scenario, projection: model.Projection) -> str:
    data = projection.data
    lines = [
        HEADER,
        f"# scenario: {scenario.name}",
        f"# scenario_sha256: {scenario_hash(scenario)}",
        f"# data_sha256: {data.digest}",
        f"# shipped_data_sha256: {shipped().digest}",
        f"# data_files: {_data_files(data)}",
        f"# tradesim_version: {__version__}",
        "year," + ",".join(snapshot_columns(projection)),
    ]
    for i, year in enumerate(projection.years):
        values = (f"{_value(projection, m, i):.12g}" for m in snapshot_columns(projection))
        lines.append(f"{int(year)}," + ",".join(values))
    return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class Snapshot:
    meta: dict[str, str]
    values: dict[int, dict[str, float]]


def read_snapshot(path: Path) -> Snapshot:
    """Parse a snapshot; raise :class:`SnapshotError` naming file and line if it is not one."""

    def bad(line: int | None, message: str) -> SnapshotError:
        return SnapshotError([Problem(f"{message}; regenerate it with --update", path, line, "snapshot")])

    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise bad(None, f"cannot read the snapshot ({exc.__class__.__name__})") from None
    lines = [
        line.removesuffix("\r") for line in text.removesuffix("\n").split("\n")
    ]  # never splitlines: U+2028
    if not text or lines[0] != HEADER:
        raise bad(1, f"not a tradesim snapshot (the first line must be {HEADER!r})")
    comments = list(itertools.takewhile(lambda line: line.startswith("#"), lines[1:]))
    meta: dict[str, str] = {}
    for line in comments:
        key, _, value = line[1:].partition(":")
        meta[key.strip()] = value.strip()
    number = 2 + len(comments)  # the line of the column header
    body = lines[number - 1 :]
    header = body[0].split(",") if body else []
    columns = tuple(header[1 + len(SNAPSHOT_METRICS) :])
    if header[: 1 + len(SNAPSHOT_METRICS)] != ["year", *SNAPSHOT_METRICS] or not all(
        LEG_COLUMN.match(c) for c in columns
    ):
        raise bad(
            number, "the column header must be year," + ",".join(SNAPSHOT_METRICS) + " (then leg:... columns)"
        )
    names = (*SNAPSHOT_METRICS, *columns)
    values: dict[int, dict[str, float]] = {}
    for offset, row in enumerate(csv.reader(io.StringIO("\n".join(body[1:]))), start=number + 1):
        try:
            if len(row) != 1 + len(names):
                raise ValueError(f"{len(row)} fields")
            numbers = [float(v) for v in row[1:]]
            if not all(math.isfinite(v) for v in numbers):
                raise ValueError("not finite")
            values[int(row[0])] = dict(zip(names, numbers, strict=True))
        except ValueError as exc:
            raise bad(offset, f"unreadable row {','.join(row)!r} ({exc})") from None
    if not values:
        raise bad(number, "no rows")
    return Snapshot(meta, values)


# --------------------------------------------------------------------------------------------------- check
def _close(expected: float, actual: float, rtol: float, atol: float) -> bool:
    return abs(actual - expected) <= atol + rtol * abs(expected)


def compare(snapshot: Snapshot, projection: model.Projection, rtol: float, atol: float) -> list[Difference]:
    """Every value that moved beyond tolerance, and every year present on one side only."""
    found = []
    projected = {int(y): i for i, y in enumerate(projection.years)}
    recorded = {m for row in snapshot.values.values() for m in row}
    columns = (*snapshot_columns(projection), *sorted(recorded - set(snapshot_columns(projection))))
    for year in sorted(set(projected) | set(snapshot.values)):
        for metric in columns:
            expected = snapshot.values.get(year, {}).get(metric)
            actual = _value(projection, metric, projected[year]) if year in projected else None
            if actual is not None and math.isnan(actual):
                actual = None  # a leg the scenario no longer has
            if expected is None or actual is None or not _close(expected, actual, rtol, atol):
                found.append(Difference(year, metric, expected, actual))
    return found


def causes(snapshot: Snapshot, scenario: Scenario, data: Dataset) -> tuple[str, ...]:
    """What changed since the snapshot was written, from the recorded hashes and version (``data``: the
    data the check ran on)."""
    said = []
    if snapshot.meta.get("scenario_sha256") != scenario_hash(scenario):
        said.append("the scenario changed (its file, or a scenario it extends)")
    if snapshot.meta.get("data_sha256") != data.digest:
        said.append(_data_cause(snapshot.meta, data))
    if snapshot.meta.get("tradesim_version") != __version__:
        said.append(f"tradesim changed ({snapshot.meta.get('tradesim_version', '?')} → {__version__})")
    return tuple(said) or ("the model's code changed (same scenario, data and version)",)


def _data_files(data: Dataset) -> str:
    """``name=sha256; ...`` of the data folder's files in use (empty: the shipped data alone), as the
    dataset hashed them when it read them."""
    return "; ".join(f"{name}={digest}" for name, digest in data.file_digests)


def _data_cause(meta: dict[str, str], data: Dataset) -> str:
    """Which data changed since a snapshot: the shipped data, or which of the data folder's files."""
    if "shipped_data_sha256" not in meta:  # a snapshot from before the files were recorded
        return "the data changed (the shipped data, or a file of your data folder)"
    said = []
    if meta["shipped_data_sha256"] != shipped().digest:
        said.append("the shipped data changed")
    before = dict(entry.split("=", 1) for entry in meta.get("data_files", "").split("; ") if "=" in entry)
    now = dict(entry.split("=", 1) for entry in _data_files(data).split("; ") if "=" in entry)
    folder = data.folder
    where = f"{folder}/" if folder is not None else ""
    for name in sorted(set(before) | set(now)):
        if name not in now:
            said.append(f"your data file {where}{name} is gone")
        elif name not in before:
            said.append(f"your data file {where}{name} is new")
        elif before[name] != now[name]:
            said.append(f"your data file {where}{name} changed")
    return "; ".join(said) or "the data changed"


def _expectations(scenario: Scenario, projection: model.Projection) -> tuple[ExpectationResult, ...]:
    results = []
    for i, expectation in enumerate(scenario.expect):
        evaluation = metrics.evaluate(expectation, projection)
        results.append(
            ExpectationResult(
                i,
                expectation,
                metrics.describe(expectation, scenario, evaluation.year),
                metrics.format_claimed(expectation, scenario.currency),
                evaluation.computed,
                metrics.format_value(expectation.metric, evaluation.computed, scenario.currency),
                evaluation.holds,
            )
        )
    return tuple(results)


def check_one(
    scenario: Scenario,
    directory: Path,
    *,
    rtol: float = DEFAULT_RTOL,
    atol: float = DEFAULT_ATOL,
    update: bool = False,
    data: Dataset | None = None,
) -> ScenarioCheck:
    """Check (or with ``update``, rewrite) one scenario's snapshot, and evaluate its expectations, on ``data``
    (default: the shipped data)."""
    projection = model.project(scenario, data=data)
    path = snapshot_path(scenario, directory)
    sweep_temporaries(path)  # what a killed update left
    try:
        existing = read_snapshot(path) if path.exists() else None
    except SnapshotError as error:
        if not update:  # say how to regenerate it, as a command that works as printed
            hint = update_command(scenario, directory)
            raise SnapshotError(
                [Problem(f"{p.message}: `{hint}`", p.file, p.line, p.key) for p in error.problems]
            ) from None
        existing = None  # --update regenerates a corrupt snapshot
    if update:
        rendered = render_snapshot(scenario, projection)
        # changed beyond the 12 significant digits a snapshot keeps (rounding is at most 5e-12 relative)
        differences = compare(existing, projection, SNAPSHOT_RTOL, 0.0) if existing else []
        status: Status = "created" if existing is None else "updated" if differences else "unchanged"
        if status == "unchanged" and path.read_text(encoding="utf-8") != rendered:
            status = "refreshed"  # same numbers, new hashes or version in the header
        if status != "unchanged":
            path.parent.mkdir(parents=True, exist_ok=True)
            write_text_atomic(path, rendered)
        snapshot = SnapshotResult(path, status, tuple(differences))
    elif existing is None:
        snapshot = SnapshotResult(path, "missing")
    else:
        differences = compare(existing, projection, rtol, atol)
        snapshot = SnapshotResult(
            path,
            "drift" if differences else "ok",
            tuple(differences),
            causes(existing, scenario, projection.data) if differences else (),
        )
    return ScenarioCheck(
        scenario.name,
        scenario.path,
        snapshot,
        _expectations(scenario, projection),
        update_command(scenario, directory),
        scenario.currency,
    )


def update_command(scenario: Scenario, directory: Path) -> str:
    """The command that writes this scenario's snapshot, as it can be pasted: the file (which always resolves)
    and the folder (where its ``extends`` may point)."""
    where = str(scenario.path) if scenario.path is not None else scenario.name
    return f"tradesim check --scenarios {shlex.quote(str(directory))} {shlex.quote(where)} --update"


def check(
    scenarios: Iterable[Scenario],
    directory: Path,
    *,
    rtol: float = DEFAULT_RTOL,
    atol: float = DEFAULT_ATOL,
    update: bool = False,
    data: Dataset | None = None,
) -> Checks:
    """Every scenario checked on ``data`` (default: the shipped data)."""
    return Checks(
        [check_one(s, directory, rtol=rtol, atol=atol, update=update, data=data) for s in scenarios],
        rtol,
        atol,
    )


# ---------------------------------------------------------------------------------------------- reporting
@dataclass(frozen=True, eq=False)
class Checks(Collection[ScenarioCheck], Result):
    """The checks of one ``tradesim check`` run, and the tolerances they used."""

    rtol: float
    atol: float

    @property
    def title(self) -> str:
        return "Checks"

    @property
    def passed(self) -> bool:
        return all(r.passed for r in self)

    def to_json(self) -> dict[str, Any]:
        return to_json(self, self.rtol, self.atol)

    def rows(self) -> Rows:
        return [
            {
                "scenario": r.scenario,
                "result": "ok" if r.passed else "FAILED",
                "snapshot": r.snapshot.status,
                "expectations": f"{sum(e.holds for e in r.expectations)} of {len(r.expectations)} hold",
                "summary": summary_line(r),
            }
            for r in self
        ]

    def frame(self) -> pd.DataFrame:
        """One row per scenario: passed, the snapshot's status and first year of drift, expectations held."""
        import pandas as pd

        return pd.DataFrame(
            [
                {
                    "scenario": r.scenario,
                    "file": str(r.file) if r.file else None,
                    "passed": r.passed,
                    "snapshot": r.snapshot.status,
                    "first_year": r.snapshot.first_year,
                    "differences": len(r.snapshot.differences),
                    "expectations": len(r.expectations),
                    "expectations_held": sum(e.holds for e in r.expectations),
                    "causes": "; ".join(r.snapshot.causes),
                }
                for r in self
            ]
        ).set_index("scenario")


def to_json(results: Sequence[ScenarioCheck], rtol: float, atol: float) -> dict[str, Any]:
    return {
        "passed": all(r.passed for r in results),
        "rtol": rtol,
        "atol": atol,
        "scenarios": [
            {
                "name": r.scenario,
                "file": str(r.file) if r.file else None,
                "currency": r.currency,
                "passed": r.passed,
                "snapshot": {
                    "file": str(r.snapshot.path),
                    "status": r.snapshot.status,
                    "first_year": r.snapshot.first_year,
                    "causes": list(r.snapshot.causes),
                    "differences": [
                        {
                            "year": d.year,
                            "metric": d.metric,
                            "expected": d.expected,
                            "actual": d.actual,
                            "difference": d.difference,
                        }
                        for d in r.snapshot.differences
                    ],
                },
                "expectations": [
                    {
                        "index": e.index,
                        "metric": e.expectation.metric,
                        "what": e.what,
                        "expected": e.expected,
                        "computed": e.computed,
                        "holds": e.holds,
                        "message": e.expectation.message,
                    }
                    for e in r.expectations
                ],
            }
            for r in results
        ],
    }


def junit_xml(results: Sequence[ScenarioCheck]) -> str:
    """JUnit XML: one test case per scenario snapshot and one per expectation."""
    from xml.etree import ElementTree as ET

    cases = []
    for r in results:
        snapshot = ET.Element("testcase", classname=f"tradesim.check.{r.scenario}", name="snapshot")
        if not r.snapshot.passed:
            message = summary_line(r)
            ET.SubElement(snapshot, "failure", message=message, type=r.snapshot.status).text = message
        cases.append(snapshot)
        for e in r.expectations:
            case = ET.Element(
                "testcase", classname=f"tradesim.check.{r.scenario}", name=f"expect[{e.index}] {e.what}"
            )
            if not e.holds:
                message = f"{e.what}: expected {e.expected}, computed {e.computed_text}. {e.expectation.message}".strip()
                ET.SubElement(case, "failure", message=message, type="expectation").text = message
            cases.append(case)
    failures = sum(1 for c in cases if c.find("failure") is not None)
    suite = ET.Element(
        "testsuite", name="tradesim check", tests=str(len(cases)), failures=str(failures), errors="0"
    )
    suite.extend(cases)
    root = ET.Element("testsuites", tests=str(len(cases)), failures=str(failures), errors="0")
    root.append(suite)
    ET.indent(root)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def summary_line(r: ScenarioCheck) -> str:
    """One line per scenario for people: what moved first, by how much, and why it might have."""
    snapshot = r.snapshot
    if snapshot.status == "missing":
        return f"{r.scenario}: no snapshot at {snapshot.path}; create it with `{r.update_command}`"
    failing = sum(1 for e in r.expectations if not e.holds)
    but = (
        f", but {count(failing, 'expectation')} {'does' if failing == 1 else 'do'} not hold"
        if failing
        else ""
    )
    if snapshot.status == "updated":
        first = snapshot.first_year
        changed = count(len(snapshot.differences), "value")
        return f"{r.scenario}: snapshot updated ({changed} changed from {first}, {snapshot.path}){but}"
    if snapshot.status in ("created", "refreshed", "unchanged"):
        return f"{r.scenario}: snapshot {snapshot.status} ({snapshot.path}){but}"
    if snapshot.status == "ok":
        return f"{r.scenario}: snapshot matches{but}"
    year = snapshot.first_year
    share = next((d for d in snapshot.differences if d.year == year and d.metric == "share"), None)
    moved = ""
    if share is not None and share.expected is not None and share.actual is not None:
        moved = (
            f": share {year} {share.expected:.4%} → {share.actual:.4%} "
            f"({(share.actual - share.expected) * 100:+.4f} pp)"
        )
    elif year is not None:
        moved = f": years differ from {year}"
    return f"{r.scenario}: snapshot drifted from {year}{moved}; likely cause: {'; '.join(snapshot.causes)}"
