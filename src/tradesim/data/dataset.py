"""The observations a computation uses (:class:`Dataset`), and the rule that picks one value per year.

A :class:`Dataset` is passed in: every core function that reads figures takes one (``data=``), defaulting to
:func:`shipped`. Where a user's data folder is (``--data``, ``$TRADESIM_DATA``, ``./data``) is the command
line's business; :func:`tradesim.data.folders.load` reads a folder it is given into a Dataset.

Selection rule (:meth:`Dataset.pick`), applied to the observations of one kind, reporter, partner, flow and
year; the order is :func:`rank`, written once:

1. only figures from one reporter's statistics (``reported_by``, default: the reporter itself) — figures from
   different reporters are never mixed;
2. only figures in the requested currency (``USD_bn`` for USD), else the best in another converted at its
   year's annual average rate (:mod:`.currency`); ``doubtful_unit`` and ``superseded`` rows are never picked;
3. full year (``FY``) over a figure a source calls full-year (``FY-as-stated``) over part years
   (``jan-nov``, ``h1``, ...);
4. official figures and their exact sums (``reported``, ``approximate``, ``derived``) over estimates
   (``estimated`` from a share or a growth rate, ``unverified``);
5. a later vintage over an earlier one (the ``published`` column, as precisely as it is given; a figure without
   a date counts as the earliest);
6. then ``reported`` over ``approximate`` over ``derived`` (over ``estimated`` over ``unverified``);
7. then the order of the file.

A caller that wants another period asks for it (``period=``): the reference scenarios take the article's
$14.5B (``FY-as-stated``) as their 2023 baseline because their files say so, not because of a rule here.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from tradesim.data import currency
from tradesim.data.observation import (
    ALL_GOODS,
    ESTIMATES,
    FULL_YEAR,
    PERIOD_RANK,
    RECORD,
    STATUS_RANK,
    TOTAL,
    WDI,
    Observation,
    Product,
    classification_family,
    money_unit,
    period_words,
    split_product,
)
from tradesim.data.table import Table
from tradesim.errors import DataError, Problem
from tradesim.quantities import format_money

if TYPE_CHECKING:
    import pandas as pd

WORLD = "WLD"


def _matching(observations: Sequence[Observation], criteria: Mapping[str, object]) -> list[Observation]:
    """The observations whose every ``column: value`` criterion holds, in order."""
    return [o for o in observations if all(getattr(o, k) == v for k, v in criteria.items())]


def rank(observation: Observation) -> tuple[int, int, tuple[int, ...], int]:
    """The selection rule's order (module docstring), smallest first: period, estimate or not, vintage (later
    first), status. Ties keep file order (callers sort stably)."""
    vintage = (
        tuple(-int(part) for part in observation.published.split("-")) if observation.published else (1,)
    )
    return (
        PERIOD_RANK.get(observation.period, 2),
        observation.status in ESTIMATES,
        vintage,
        STATUS_RANK[observation.status],
    )


def reasons(winner: Observation, other: Observation) -> str:
    """Why ``winner`` ranks before ``other`` under :func:`rank`, in words."""
    a, b = rank(winner), rank(other)
    if a[0] != b[0]:
        return f"{period_words(winner.period)} before {period_words(other.period)}"
    if a[1] != b[1]:
        return f"an official figure or exact sum before an estimate ({other.status})"
    if a[2] != b[2]:
        return f"a later vintage (published {winner.published}) before {other.published or 'an undated one'}"
    if a[3] != b[3]:
        return f"{winner.status} before {other.status}"
    return "file order"


@dataclass(frozen=True)
class Dataset:
    """Observations with their provenance, in order: the shipped file's (less what a user row superseded),
    then the user's data folder's. The lookups below are the selection rule (module docstring).

    ``held`` are built observations (the shipped rows); ``tables`` the data folder's files, held as columns
    (:mod:`.table`): a lookup builds observations only for the rows it returns.
    ``digest`` changes when any of the files does (``tradesim check`` reads it to tell a data change).
    """

    held: tuple[Observation, ...]
    folder: Path | None = None
    files: tuple[Path, ...] = ()
    digest: str = ""
    superseded: tuple[Observation, ...] = ()  # shipped rows a user row replaced
    file_digests: tuple[tuple[str, str], ...] = ()  # (file name, sha256 prefix) of each file of the folder
    # reporter → the World Bank's figures of its total trade (:mod:`.world`): where the reporter's own
    # statistics have no total for a year, :meth:`pick` takes it from there, and says so
    world: Callable[[str], Dataset] | None = field(default=None, repr=False, compare=False)
    tables: tuple[Table, ...] = ()

    def __repr__(self) -> str:
        count = len(self.held) + sum(len(t) for t in self.tables)
        return f"Dataset({count} observations, {self.describe()})"

    @cached_property
    def observations(self) -> tuple[Observation, ...]:
        """Every observation, in order (the data folder's all built: a lookup builds only what it needs)."""
        return (*self.held, *(o for t in self.tables for o in t.observations()))

    def describe(self) -> str:
        """What the data is, for messages: ``the shipped data`` or ``the shipped data and the data folder D``."""
        return "the shipped data" + (f" and the data folder {self.folder}" if self.folder is not None else "")

    @cached_property
    def _by_series(self) -> dict[tuple[str, str, str], list[Observation]]:
        """(kind, reporter, partner) → its held observations in file order: built once, on the first lookup."""
        index: dict[tuple[str, str, str], list[Observation]] = {}
        for o in self.held:
            index.setdefault((o.kind, o.reporter, o.partner), []).append(o)
        return index

    @cached_property
    def _series_built(self) -> dict[tuple[str, str, str], list[Observation]]:
        """(kind, reporter, partner) → every observation of the series, the tables' built once each."""
        return {}

    def _series(self, kind: str, reporter: str, partner: str) -> list[Observation]:
        key = (kind, reporter, partner)
        found = self._series_built.get(key)
        if found is None:
            found = self._by_series.get(key, []) + self._from_tables({"kind": kind, "reporter": reporter,
                                                                      "partner": partner})  # fmt: skip
            self._series_built[key] = found
        return found

    def _from_tables(self, criteria: Mapping[str, object]) -> list[Observation]:
        return [o for t in self.tables for o in t.observations(t.rows(criteria))]

    @cached_property
    def rates(self) -> tuple[Observation, ...]:
        """The ``kind = fx`` rows, for :mod:`.currency`."""
        return (*(o for o in self.held if o.kind == "fx"), *self._from_tables({"kind": "fx"}))

    def frame(self, rows: Sequence[Observation] | None = None) -> pd.DataFrame:
        """Every observation (or ``rows``, e.g. a :meth:`select`'s) as a DataFrame with every provenance column,
        ``origin`` and ``amount``."""
        import pandas as pd

        rows = self.observations if rows is None else rows
        # attribute by attribute: dataclasses.asdict deep-copies every field (20 s for 200,000 rows)
        frame = pd.DataFrame([[getattr(o, c) for c in RECORD] for o in rows], columns=list(RECORD))
        frame["amount"] = [o.amount for o in rows]
        return frame

    @staticmethod
    def records(rows: Sequence[Observation]) -> list[dict[str, object]]:
        """``rows`` as :meth:`frame`'s records (its columns, native ints and floats), without pandas."""
        return [{**{c: getattr(o, c) for c in RECORD}, "amount": o.amount} for o in rows]

    def select(
        self,
        *,
        kind: str | None = None,
        reporter: str | None = None,
        partner: str | None = None,
        flow: str | None = None,
        year: int | None = None,
        period: str | None = None,
        reported_by: str | None = None,
        status: str | None = None,
        commodity: str | None = TOTAL,
        classification: str | None = None,
        family: str | None = None,
    ) -> list[Observation]:
        """Observations matching every criterion given (``None`` matches anything), in file order. By default
        only figures of all goods (``commodity = TOTAL``): a commodity's figure is never taken for a pair's
        trade; ask for one by its code, or for every row with ``commodity=None``. ``family`` (``HS``) takes any
        classification of it (``H5``, ``HS12``)."""
        found = self._select(
            kind, reporter, partner, flow, year, period, reported_by, status, commodity, classification
        )
        if family is None:
            return found
        return [o for o in found if classification_family(o.classification) == family]

    def _select(
        self,
        kind: str | None,
        reporter: str | None,
        partner: str | None,
        flow: str | None,
        year: int | None,
        period: str | None,
        reported_by: str | None,
        status: str | None,
        commodity: str | None,
        classification: str | None,
    ) -> list[Observation]:
        wanted = {
            "flow": flow,
            "year": year,
            "period": period,
            "reported_by": reported_by,
            "status": status,
            "kind": kind,
            "reporter": reporter,
            "partner": partner,
            "commodity": commodity,
            "classification": classification,
        }
        criteria = {key: value for key, value in wanted.items() if value is not None}
        if kind is not None and reporter is not None and partner is not None:
            found: Sequence[Observation] = self._series(kind, reporter, partner)
        elif "observations" in self.__dict__ or not self.tables:  # all built already, or nothing to build
            found = self.observations
        else:  # the tables' matching rows only
            return _matching(self.held, criteria) + self._from_tables(criteria)
        return _matching(found, criteria)

    def values(self, column: str) -> set[object]:
        """The distinct values of one column over every observation, without building the data folder's."""
        if column == "year":
            return set(self.years())
        found: set[object] = {getattr(o, column) for o in self.held}
        for table in self.tables:
            found.update(table.names[column].tolist())
        return found

    def years(self, **criteria: str) -> set[int]:
        """The years of the observations matching every ``column=value`` criterion (:meth:`select`'s), found
        without building the data folder's observations."""
        found = {o.year for o in _matching(self.held, criteria)}
        for table in self.tables:
            found.update(int(y) for y in np.unique(table.year[table.rows(criteria)]).tolist())
        return found

    def rate(self, base: str, quote: str, year: int) -> currency.Rate | None:
        """The annual average rate of ``quote`` per ``base`` in ``year`` (:func:`.currency.annual_rate`)."""
        return currency.annual_rate(base, quote, year, self.rates)

    def convert(self, observation: Observation, to: str) -> Observation | None:
        """``observation`` in currency ``to`` at its year's annual average rate (``None``: no rate)."""
        return currency.convert(observation, to, self.rates)

    def pick(
        self,
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
        commodity: str = TOTAL,
        family: str | None = None,
    ) -> Observation | None:
        """The one value the selection rule picks (module docstring), or ``None`` if the data has none.

        ``commodity`` (default all goods) with ``family`` (``HS``: any HS revision) picks one product's figure."""
        candidates = [
            o
            for o in self.select(
                kind=kind,
                reporter=reporter,
                partner=partner,
                flow=flow,
                year=year,
                reported_by=reported_by or reporter,
                period=period,
                commodity=commodity,
                family=family,
            )
            if o.status in STATUS_RANK and money_unit(o.unit) and (o.is_full_year or not full_year_only)
        ]
        native = min((o for o in candidates if o.currency == currency), key=rank, default=None)
        if native is not None or kind == "fx":
            return native  # min() is stable: file order breaks ties
        # no figure in the currency asked for: the best in another, at its year's annual average rate
        converted = (self.convert(o, currency) for o in sorted(candidates, key=rank))
        found = next((o for o in converted if o is not None), None)
        if (
            found is None
            and not candidates
            and commodity == TOTAL
            and self._world_applies(kind, partner, reported_by, period)
        ):
            assert self.world is not None
            world = self.world(reporter)
            found = world.pick(
                reporter=reporter, partner=partner, year=year, flow=flow, currency=currency,
                reported_by=WDI,
                full_year_only=True,
            )  # fmt: skip
            if found is not None and found.currency != currency:
                found = self.convert(found, currency)
        return found

    def explain(
        self,
        *,
        reporter: str,
        partner: str,
        year: int,
        flow: str = "total",
        kind: str = "trade",
        currency: str = "USD",
        period: str | None = None,
    ) -> list[tuple[Observation, str]]:
        """Every figure for the key with what the selection rule made of it, the pick first: ``"picked"``,
        ``"after the pick: <why>"`` or ``"never picked: <why>"`` (another reporter's statistics, a status or
        unit a lookup does not take). The pick is :meth:`pick`'s, so the two can never disagree."""
        picked = self.pick(reporter=reporter, partner=partner, year=year, flow=flow, kind=kind,
                           currency=currency, period=period)  # fmt: skip
        rows = self.select(kind=kind, reporter=reporter, partner=partner, flow=flow, year=year, period=period)
        eligible, refused = [], []
        for o in rows:
            if o.reported_by != reporter:
                refused.append(
                    (o, f"never picked: {o.reported_by}'s statistics, not {reporter}'s (never mixed)")
                )
            elif o.status not in STATUS_RANK:
                refused.append((o, f"never picked: status {o.status}"))
            elif not money_unit(o.unit):
                refused.append((o, f"never picked: unit {o.unit}"))
            else:
                eligible.append(o)
        ordered = sorted(eligible, key=lambda o: (o.currency != currency, rank(o)))
        winner = next((o for o in ordered if o is picked), None)  # pick() returns the row itself when native
        explained = []
        for o in ordered:
            if winner is not None and o is winner:
                explained.append((o, "picked"))
            elif winner is not None:
                why = (
                    f"not in {currency}" if o.currency != currency != winner.currency else reasons(winner, o)
                )
                explained.append((o, f"after the pick: {why}"))
            else:
                explained.append((o, "after the pick: none picked"))
        if picked is not None and winner is None:  # converted, or the World Bank's fallback
            explained.insert(0, (picked, "picked"))
        return explained + refused

    def _world_applies(self, kind: str, partner: str, reported_by: str | None, period: str | None) -> bool:
        """A reporter's total with the world, its own statistics asked for by default (not one reporter's by
        name), a full year: the lookups the World Bank's series may answer when the reporter's do not."""
        return (
            self.world is not None
            and kind == "trade"
            and partner == WORLD
            and reported_by is None
            and period in (None, FULL_YEAR)
        )

    def product(self, reporter: str, partner: str, commodity: str | None) -> Product:
        """The product ``--commodity`` asks for (``HS:27`` or ``27``; ``None``: all goods), with its family: a
        bare code takes the one classification family the pair's rows (either side's) write it in; a code in two,
        or in none, is bad input naming what there is."""
        if commodity is None:
            return ALL_GOODS
        code, family = split_product(commodity)
        if family is not None:
            return code, family
        found = {
            classification_family(o.classification)
            for a, b in ((reporter, partner), (partner, reporter))
            for o in self.select(kind="trade", reporter=a, partner=b, commodity=code)
        }
        if len(found) > 1:
            raise DataError(
                [
                    Problem(
                        f"commodity {code} is in {' and '.join(sorted(found))} in the data for {reporter}–{partner}: "
                        f"say which ({', '.join(f'{f}:{code}' for f in sorted(found))})",
                        key="commodity",
                    )
                ]
            )
        if not found:
            raise DataError(
                [
                    Problem(
                        f"{self.describe()} hold no {reporter}–{partner} row of commodity {code}",
                        key="commodity",
                    )
                ]
            )
        return code, found.pop()

    def full_years(
        self,
        reporter: str,
        partner: str,
        *,
        currency: str = "USD",
        commodity: str = TOTAL,
        family: str | None = None,
    ) -> dict[int, Observation]:
        """Year → the pair's full-year figure by the rule, in ``currency``: a series, so the reporter's own
        statistics only, named (never another reporter's, never the World Bank's fallback for some years);
        ``commodity`` and ``family`` one product's."""
        years = sorted(
            {
                o.year
                for o in self.select(
                    kind="trade", reporter=reporter, partner=partner, period=FULL_YEAR, commodity=commodity,
                    family=family,
                )
            }
        )  # fmt: skip
        series = {}
        for year in years:
            found = self.pick(
                reporter=reporter,
                partner=partner,
                year=year,
                period=FULL_YEAR,
                full_year_only=True,
                currency=currency,
                reported_by=reporter,
                commodity=commodity,
                family=family,
            )
            if found is not None:
                series[year] = found
        return series

    def bilateral_baseline(
        self,
        reporter: str,
        partner: str,
        year: int,
        *,
        period: str | None = None,
        currency: str = "USD",
        commodity: str = TOTAL,
        family: str | None = None,
    ) -> Observation:
        """The bilateral baseline by the rule; ``period`` asks for one period (``"FY"``: ``--full-year``);
        ``commodity`` and ``family`` one product's (``27``, ``HS``).

        A :class:`DataError` names ``baseline.bilateral`` when the data holds none."""
        found = self.pick(
            reporter=reporter, partner=partner, year=year, period=period, currency=currency,
            commodity=commodity, family=family,
        )  # fmt: skip
        if found is None:
            if commodity == TOTAL:
                self._commodities_only(reporter, partner, year)
            which = f" for period {period!r}" if period else ""
            product = "" if commodity == TOTAL else f" {family or ''} {commodity}".replace("  ", " ")
            raise DataError(
                [
                    Problem(
                        f"the data holds no {currency}{product} trade figure for {reporter}–{partner} in {year}{which}"
                        f"{self._no_rate(reporter, partner, year, currency)}; set baseline.bilateral in the "
                        "scenario file",
                        key="baseline.bilateral",
                    )
                ]
            )
        return found

    def _commodities_only(self, reporter: str, partner: str, year: int) -> None:
        """Bad input when the data holds commodities' figures for the pair and year but none of all goods: the
        error names them and where they are, so they are never taken for the pair's trade."""
        rows = [
            o
            for o in self.select(kind="trade", reporter=reporter, partner=partner, year=year, commodity=None)
            if o.commodity != TOTAL
        ]
        if not rows or self.select(kind="trade", reporter=reporter, partner=partner, year=year):
            return  # no commodity, or a figure of all goods (in a currency without a rate: said elsewhere)
        what = sorted({f"{o.what} in {o.origin.rsplit(':', 1)[0]}" for o in rows})
        first = min(rows, key=lambda o: (o.classification, o.commodity))
        raise DataError(
            [
                Problem(
                    f"{reporter}–{partner} {year}: only {', '.join(what)}, a commodity's trade, not the pair's: "
                    f"project it with --commodity {classification_family(first.classification)}:{first.commodity}, "
                    "add the total (commodity TOTAL), or set baseline.bilateral in the scenario file",
                    key="baseline.bilateral",
                )
            ]
        )

    def _no_rate(self, reporter: str, partner: str, year: int, currency: str) -> str:
        """``, and no rate converts its USD figure (...)`` when a figure exists in a currency without a rate."""
        others = sorted(
            {
                o.currency
                for o in self.select(kind="trade", reporter=reporter, partner=partner, year=year)
                if money_unit(o.unit)
            }
            - {currency}
        )
        if not others:
            return ""
        return (
            f", and no rate converts its {'/'.join(others)} figure to {currency} (add a kind = fx row to your "
            "data folder, e.g. from the central bank)"
        )

    def total_baseline(self, reporter: str, year: int, *, currency: str = "USD") -> Observation:
        """The reporter's total trade with the world in ``year``, by the selection rule."""
        found = self.pick(reporter=reporter, partner="WLD", year=year, currency=currency)
        if found is None:
            raise DataError(
                [
                    Problem(
                        f"the data holds no {currency} figure for {reporter}'s total trade in {year}"
                        f"{self._no_rate(reporter, 'WLD', year, currency)}; "
                        "set baseline.total or baseline.rest_of_world in the scenario file",
                        key="baseline.total",
                    )
                ]
            )
        return found

    def actual(
        self,
        reporter: str,
        partner: str,
        year: int,
        *,
        currency: str = "USD",
        commodity: str = TOTAL,
        family: str | None = None,
    ) -> Observation | None:
        """A full-year actual for the pair and year, for display beside a projection (never a part year)."""
        return self.pick(
            reporter=reporter, partner=partner, year=year, currency=currency, full_year_only=True,
            commodity=commodity, family=family,
        )  # fmt: skip

    def baseline_alternatives(
        self, reporter: str, partner: str, year: int, *, currency: str = "USD"
    ) -> list[Observation]:
        """Every distinct full-year (or as-stated full-year) bilateral figure the data holds for ``year``.

        One observation per distinct amount, the best-ranked first; used for the baseline spread.
        """
        candidates = sorted(
            (
                o
                for o in self.select(
                    kind="trade",
                    reporter=reporter,
                    partner=partner,
                    flow="total",
                    year=year,
                    reported_by=reporter,
                )
                if o.status in STATUS_RANK and money_unit(o.unit) and o.period in PERIOD_RANK
            ),
            key=rank,
        )
        native = [o for o in candidates if o.currency == currency]
        if not native:  # converted at the year's annual average, as pick() does
            native = [c for o in candidates if (c := self.convert(o, currency)) is not None]
        seen: dict[float, Observation] = {}
        for observation in native:
            seen.setdefault(observation.amount, observation)
        return sorted(seen.values(), key=lambda o: o.amount)

    def caveats(self, observation: Observation, what: str) -> list[str]:
        """Warnings a reader must see when ``observation`` is used as ``what`` (e.g. "bilateral baseline")."""
        warnings = []
        money = format_money(observation.amount, observation.currency)
        if observation.period == "FY-as-stated":
            full = self.pick(
                reporter=observation.reporter,
                partner=observation.partner,
                year=observation.year,
                flow=observation.flow,
                period=FULL_YEAR,
                currency=observation.currency,
            )
            same = [
                o.period
                for o in self.select(
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
                f"official releases give {money} for {period_words(same[0])} {observation.year}"
                if same
                else ("official releases give it for a part of the year")
            )
            alternative = (
                f"; the full year was {full.label()}: run with --full-year to use it" if full else ""
            )
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
        if observation.partner == WORLD and observation.reported_by == WDI:
            warnings.append(
                f"{what} {money} ({observation.year}) is the World Bank's WDI figure (WTO-compiled "
                f"merchandise trade): the data holds no total of {observation.reporter}'s own statistics "
                "for the year"
            )
        if observation.status == "unverified":
            warnings.append(f"{what} {money} ({observation.year}) is unverified: {observation.source}")
        elif observation.status in ("approximate", "derived", "estimated"):
            warnings.append(
                f"{what} {money} ({observation.year}) is {observation.status}: {observation.source}"
            )
        return warnings
