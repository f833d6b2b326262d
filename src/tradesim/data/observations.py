"""Observations with their provenance, the dataset in use, and the rule that picks one value per year.

Every number keeps its provenance: ``source``, ``url``, ``period``, ``status``, ``reported_by`` and ``note``
travel with it as an :class:`Observation`.

Selection rule (:func:`pick`), applied to the observations of one kind, reporter, partner, flow and year:

1. only figures from one reporter's statistics (``reported_by``, default: the reporter itself) — figures from
   different reporters are never mixed;
2. only figures in the requested currency (``USD_bn`` for USD); ``doubtful_unit`` rows are never picked;
3. full year (``FY``) over a figure a source calls full-year (``FY-as-stated``) over part years
   (``jan-nov``, ``h1``, ...);
4. then ``reported`` over ``approximate`` over ``derived`` over ``unverified``;
5. then the order of the file.

One exception, asked for by the users: the default 2023 Kazakhstan–Italy baseline is the article's $14.5B
(``FY-as-stated``), not the full-year $16.1B. ``full_year=True`` (CLI ``--full-year``, scenario
``bilateral_period = "FY"``) applies the plain rule instead.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import asdict, dataclass
from functools import cache, cached_property
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tradesim.errors import DataError, Problem
from tradesim.quantities import format_money

if TYPE_CHECKING:
    import pandas as pd

DATA_FILE = "kazakhstan_trade_sources.csv"
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
    "published",
)  # when the figure was first released (ISO date), for first-vintage backtests
STATUS_RANK = {"reported": 0, "approximate": 1, "derived": 2, "unverified": 3}
PERIOD_RANK = {"FY": 0, "FY-as-stated": 1}  # any other period is a part year: rank 2
FULL_YEAR = "FY"
SCALES = {"bn": 1e9, "mn": 1e6, "th": 1e3}
SHIPPED = "shipped"

# (reporter, partner, year) -> period preferred by default over the plain rule. See the module docstring.
DEFAULT_PERIOD_OVERRIDES: dict[tuple[str, str, int], str] = {("KAZ", "ITA", 2023): "FY-as-stated"}


def money_unit(unit: str) -> tuple[str, float] | None:
    """``USD_bn`` → ``("USD", 1e9)``, ``EUR_mn`` → ``("EUR", 1e6)``, ``KZT`` → ``("KZT", 1.0)``; ``None`` for
    units that are not money (``percent``, ``USD_per_EUR``)."""
    currency, _, scale = unit.partition("_")
    if len(currency) != 3 or not currency.isalpha() or not currency.isupper():
        return None
    if not scale:
        return currency, 1.0
    return (currency, SCALES[scale]) if scale in SCALES else None


@dataclass(frozen=True)
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
    def key(self) -> tuple[str, str, str, str, int, str, str]:
        """What a user row shares with the shipped row it supersedes."""
        return (self.kind, self.reporter, self.partner, self.flow, self.year, self.period, self.reported_by)

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
        record = asdict(self)
        record["amount"] = self.amount
        return record


@dataclass(frozen=True)
class Dataset:
    """The observations in use: the shipped file, superseded row by row by the user's data folder.

    ``digest`` changes when any of the files does (``tradesim check`` reads it to tell a data change).
    """

    observations: tuple[Observation, ...]
    folder: Path | None = None
    files: tuple[Path, ...] = ()
    digest: str = ""
    superseded: tuple[Observation, ...] = ()  # shipped rows a user row replaced
    file_digests: tuple[tuple[str, str], ...] = ()  # (file name, sha256 prefix) of each file of the folder

    @cached_property
    def _by_series(self) -> dict[tuple[str, str, str], list[Observation]]:
        """(kind, reporter, partner) → its observations in file order: built once, on the first lookup."""
        index: dict[tuple[str, str, str], list[Observation]] = {}
        for o in self.observations:
            index.setdefault((o.kind, o.reporter, o.partner), []).append(o)
        return index

    def candidates(
        self, kind: str | None, reporter: str | None, partner: str | None
    ) -> Sequence[Observation]:
        """The observations a lookup of ``kind``, ``reporter`` and ``partner`` can match, in file order: from
        the index when all three are given (every lookup of a projection), else all of them."""
        if kind is not None and reporter is not None and partner is not None:
            return self._by_series.get((kind, reporter, partner), [])
        return self.observations


@cache
def _csv_bytes() -> bytes:
    return files("tradesim.data").joinpath("shipped", DATA_FILE).read_bytes()


@cache
def shipped() -> Dataset:
    """The shipped observations alone."""
    import csv
    import io

    rows = csv.DictReader(io.StringIO(_csv_bytes().decode("utf-8")))
    result = []
    for line, row in enumerate(rows, start=2):
        try:
            result.append(
                Observation(
                    **{key: row[key] or "" for key in COLUMNS if key not in ("year", "value")},
                    year=int(row["year"]) if row["year"] else 0,
                    value=float(row["value"]),
                )
            )
        except (KeyError, ValueError) as exc:  # pragma: no cover - guards the shipped file
            raise DataError(f"{DATA_FILE}:{line}: unreadable row ({exc})") from None
    return Dataset(tuple(result), digest=hashlib.sha256(_csv_bytes()).hexdigest())


_ACTIVE: ContextVar[Dataset | None] = ContextVar("tradesim_dataset", default=None)
_FOLDER: ContextVar[Path | None] = ContextVar("tradesim_data_folder", default=None)


def use(dataset: Dataset | None) -> None:
    """Make ``dataset`` the one every lookup reads (``None``: back to the default of :func:`current`)."""
    _ACTIVE.set(dataset)


def use_folder(folder: Path | None) -> None:
    """Read the data folder ``folder`` (``None``: the default one) when data is first needed, not before:
    a command that reads no data never fails on a data file."""
    _FOLDER.set(folder)
    _ACTIVE.set(None)


@contextmanager
def scope() -> Iterator[None]:
    """Whatever :func:`use` or :func:`use_folder` set inside stays inside: one CLI invocation's data folder
    never leaks into the next call in the same process (a notebook, a test run)."""
    active, folder = _ACTIVE.set(_ACTIVE.get()), _FOLDER.set(_FOLDER.get())
    try:
        yield
    finally:
        _FOLDER.reset(folder)
        _ACTIVE.reset(active)


def current() -> Dataset:
    """The dataset in use: the one given to :func:`use`, else the shipped file plus the data folder of
    :func:`use_folder` (default: ``$TRADESIM_DATA``, else ``./data`` when it exists), read once."""
    dataset = _ACTIVE.get()
    if dataset is None:
        from tradesim.data.folders import load

        dataset = load(_FOLDER.get())
        _ACTIVE.set(dataset)
    return dataset


def in_use() -> str:
    """What the data in use is, for messages: ``the shipped data`` or ``the shipped data and data/``."""
    folder = current().folder
    return "the shipped data" + (f" and the data folder {folder}" if folder is not None else "")


def data_hash() -> str:
    """SHA-256 of the data in use: lets ``tradesim check`` tell a data change from a model change."""
    return current().digest


def observations() -> tuple[Observation, ...]:
    """All observations in use, in order: shipped (less what the user superseded), then the user's."""
    return current().observations


def load_observations() -> pd.DataFrame:
    """The observations in use as a DataFrame with every provenance column, ``origin`` and ``amount``."""
    import pandas as pd

    rows = observations()
    frame = pd.DataFrame([asdict(o) for o in rows], columns=[*COLUMNS, *OPTIONAL_COLUMNS, "origin"])
    frame["amount"] = [o.amount for o in rows]
    return frame


def select(
    *,
    kind: str | None = None,
    reporter: str | None = None,
    partner: str | None = None,
    flow: str | None = None,
    year: int | None = None,
    period: str | None = None,
    reported_by: str | None = None,
    status: str | None = None,
) -> list[Observation]:
    """Observations matching every criterion given (``None`` matches anything), in file order."""
    wanted = {
        "kind": kind,
        "reporter": reporter,
        "partner": partner,
        "flow": flow,
        "year": year,
        "period": period,
        "reported_by": reported_by,
        "status": status,
    }
    criteria = {key: value for key, value in wanted.items() if value is not None}
    found = current().candidates(kind, reporter, partner)
    return [o for o in found if all(getattr(o, k) == v for k, v in criteria.items())]


def _rank(observation: Observation) -> tuple[int, int]:
    return PERIOD_RANK.get(observation.period, 2), STATUS_RANK[observation.status]


def pick(
    *,
    reporter: str,
    partner: str,
    year: int,
    flow: str = "total",
    kind: str = "trade",
    currency: str = "USD",
    reported_by: str | None = None,
    period: str | None = None,
    full_year_only: bool = False,
) -> Observation | None:
    """The one value the selection rule picks (module docstring), or ``None`` if the data has none."""
    candidates = [
        o
        for o in select(
            kind=kind,
            reporter=reporter,
            partner=partner,
            flow=flow,
            year=year,
            reported_by=reported_by or reporter,
            period=period,
        )
        if o.status in STATUS_RANK and money_unit(o.unit) and (o.is_full_year or not full_year_only)
    ]
    native = min((o for o in candidates if o.currency == currency), key=_rank, default=None)
    if native is not None or kind == "fx":
        return native  # min() is stable: file order breaks ties
    from tradesim.data.currency import convert

    # no figure in the currency asked for: the best in another, at its year's annual average rate
    converted = (convert(o, currency) for o in sorted(candidates, key=_rank))
    return next((o for o in converted if o is not None), None)


def bilateral_baseline(
    reporter: str, partner: str, year: int, *, period: str | None = None, currency: str = "USD"
) -> Observation:
    """The default bilateral baseline: the rule, with :data:`DEFAULT_PERIOD_OVERRIDES` unless ``period``.

    ``period="FY"`` asks for the full-year figure (``--full-year``).
    """
    chosen = period or DEFAULT_PERIOD_OVERRIDES.get((reporter, partner, year))
    found = pick(reporter=reporter, partner=partner, year=year, period=chosen, currency=currency)
    if found is None:
        which = f" for period {chosen!r}" if chosen else ""
        raise DataError(
            [
                Problem(
                    f"the data holds no {currency} trade figure for {reporter}–{partner} in {year}{which}"
                    f"{_no_rate(reporter, partner, year, currency)}; set baseline.bilateral in the scenario file",
                    key="baseline.bilateral",
                )
            ]
        )
    return found


def _no_rate(reporter: str, partner: str, year: int, currency: str) -> str:
    """``, and no rate converts its USD figure (...)`` when a figure exists in a currency without a rate."""
    others = sorted(
        {
            o.currency
            for o in select(kind="trade", reporter=reporter, partner=partner, year=year)
            if money_unit(o.unit)
        }
        - {currency}
    )
    if not others:
        return ""
    return (
        f", and no rate converts its {'/'.join(others)} figure to {currency} (add a kind = fx row to your data "
        "folder, e.g. from the central bank)"
    )


def total_baseline(reporter: str, year: int, *, currency: str = "USD") -> Observation:
    """The reporter's total trade with the world in ``year``, by the selection rule."""
    found = pick(reporter=reporter, partner="WLD", year=year, currency=currency)
    if found is None:
        raise DataError(
            [
                Problem(
                    f"the data holds no {currency} figure for {reporter}'s total trade in {year}"
                    f"{_no_rate(reporter, 'WLD', year, currency)}; "
                    "set baseline.total or baseline.rest_of_world in the scenario file",
                    key="baseline.total",
                )
            ]
        )
    return found


def actual(reporter: str, partner: str, year: int, *, currency: str = "USD") -> Observation | None:
    """A full-year actual for the pair and year, for display beside a projection (never a part year)."""
    return pick(reporter=reporter, partner=partner, year=year, currency=currency, full_year_only=True)


def baseline_alternatives(
    reporter: str, partner: str, year: int, *, currency: str = "USD"
) -> list[Observation]:
    """Every distinct full-year (or as-stated full-year) bilateral figure the data holds for ``year``.

    One observation per distinct amount, the best-ranked first; used for the baseline spread.
    """
    candidates = sorted(
        (
            o
            for o in select(
                kind="trade",
                reporter=reporter,
                partner=partner,
                flow="total",
                year=year,
                reported_by=reporter,
            )
            if o.status in STATUS_RANK and money_unit(o.unit) and o.period in PERIOD_RANK
        ),
        key=_rank,
    )
    native = [o for o in candidates if o.currency == currency]
    if not native:  # converted at the year's annual average, as pick() does
        from tradesim.data.currency import convert

        native = [c for o in candidates if (c := convert(o, currency)) is not None]
    candidates = native
    seen: dict[float, Observation] = {}
    for observation in candidates:
        seen.setdefault(observation.amount, observation)
    return sorted(seen.values(), key=lambda o: o.amount)


def caveats(observation: Observation, what: str) -> list[str]:
    """Warnings a reader must see when ``observation`` is used as ``what`` (e.g. "bilateral baseline")."""
    warnings = []
    money = format_money(observation.amount, observation.currency)
    if observation.period == "FY-as-stated":
        full = pick(
            reporter=observation.reporter,
            partner=observation.partner,
            year=observation.year,
            flow=observation.flow,
            period=FULL_YEAR,
            currency=observation.currency,
        )
        same = [
            o.period
            for o in select(
                kind=observation.kind,
                reporter=observation.reporter,
                partner=observation.partner,
                flow=observation.flow,
                year=observation.year,
                reported_by=observation.reported_by,
            )
            if o.amount == observation.amount and o.period not in PERIOD_RANK
        ]
        official = (
            f"official releases give {money} for {same[0]} {observation.year}"
            if same
            else ("official releases give it for a part of the year")
        )
        alternative = f"; full year: {full.label()} (--full-year)" if full else ""
        warnings.append(
            f"{what} {money} ({observation.year}) is the figure as stated by {observation.source}; "
            f"{official}{alternative}"
        )
    elif not observation.is_full_year:
        warnings.append(
            f"{what} {money} ({observation.year}) covers {observation.period} only, not the full year"
        )
    if observation.fx:
        warnings.append(f"{what} {money} ({observation.year}) was {observation.fx}")
    if observation.status == "unverified":
        warnings.append(f"{what} {money} ({observation.year}) is unverified: {observation.source}")
    elif observation.status in ("approximate", "derived"):
        warnings.append(f"{what} {money} ({observation.year}) is {observation.status}: {observation.source}")
    return warnings
