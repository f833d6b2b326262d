"""``tradesim data fetch``: official statistics asked of their source by query, every answer kept.

A :class:`Query` (source, reporter, partners, years, flow, commodity, mirror) becomes requests
(:mod:`.comtrade`, :mod:`.wdi`); each request's answer comes from the network through the one polite
:class:`~.client.Client`, or from the vintage archive (:mod:`.archive`) when it is already there and fresh,
or when asked to stay offline. Every answer received is archived before it is read, so a body that does not
parse is kept for inspection. The answers' figures pass through the same readers and observation rows as an
import (Comtrade's JSON through :func:`tradesim.data.importers.read`), each row with its ``source``, its
``url`` (the request, never a key), its ``published`` release date and, in its note, when it was retrieved and
where its answer is archived. An earlier vintage's figure that a later answer revised is kept as a
``superseded`` row with its own release date — what ``backtest --vintage first`` reads — and never taken
otherwise.

This is the only module of tradesim that reaches the network.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import partial

from tradesim.data.fetch import comtrade, wdi
from tradesim.data.fetch.archive import Archive, Vintage
from tradesim.data.fetch.client import Client, FetchError, Request
from tradesim.data.importers.imported import Row
from tradesim.errors import DataError, InputError

SOURCES = {
    "comtrade": "UN Comtrade+ API v1: a reporter's goods trade with partners (and the partners' mirror)",
    "wdi": "World Bank API v2, World Development Indicators: a country's merchandise trade with the world",
}
BASES = {"comtrade": comtrade.BASE, "wdi": wdi.BASE}
ENV_BASES = {"comtrade": "TRADESIM_COMTRADE_URL", "wdi": "TRADESIM_WDI_URL"}
WAITS = {("comtrade", False): 3.0, ("comtrade", True): 1.0, ("wdi", False): 0.5}  # seconds between calls
VALUATION = {
    "export": "valued FOB",
    "re-export": "valued FOB",
    "import": "valued CIF",
    "re-import": "valued CIF",
    "total": "exports FOB + imports CIF",
}
MAX_AGE = timedelta(hours=24)  # an archived answer younger than this is reused unless --refresh

Progress = Callable[[int, int, str], None]


@dataclass(frozen=True)
class Query:
    source: str
    reporter: str
    partners: tuple[str, ...]
    years: tuple[int, ...]
    flow: str | None = None  # export, import; None: both
    commodity: str = "TOTAL"
    mirror: bool = False

    def __post_init__(self) -> None:
        if self.source not in SOURCES:
            raise InputError(f"unknown source {self.source!r} (known: {', '.join(SOURCES)})")
        if self.flow not in (None, "export", "import", "total"):
            raise InputError(f"--flow must be export, import or total, got {self.flow!r}")
        if self.source == "wdi":
            if set(self.partners) - {"WLD"}:
                raise InputError(
                    "wdi: WDI figures are a country's trade with the world: --partner WLD (or none)"
                )
            if self.mirror:
                raise InputError("wdi: --mirror needs a partner; WDI figures are trade with the world")
            if self.commodity != "TOTAL":
                raise InputError("wdi: --commodity is for comtrade; WDI's merchandise trade is all goods")
        elif not self.partners:
            raise InputError("comtrade: give --partner (several, or WLD for the world)")

    def default_name(self) -> str:
        """A file name that says what it holds: ``comtrade_KAZ_ITA_2015-2025.csv``."""
        partners = "-".join(self.partners) or "WLD"
        span = f"{self.years[0]}-{self.years[-1]}" if len(self.years) > 1 else str(self.years[0])
        parts = [self.source, self.reporter, partners, span]
        if self.commodity != "TOTAL":
            parts.append(self.commodity.replace(",", "-"))
        if self.flow in ("export", "import"):
            parts.append(self.flow)
        if self.mirror:
            parts.append("mirror")
        return "_".join(parts) + ".csv"


@dataclass
class Fetched:
    """The rows of a fetch, and its account: calls made, answers reused, vintages new, notes."""

    rows: list[Row] = field(default_factory=list)
    asked: int = 0  # requests sent over the network
    reused: int = 0  # answers taken from the archive
    new: int = 0  # new vintages archived
    notes: list[str] = field(default_factory=list)

    def csv_text(self) -> str:
        from tradesim.data.importers import to_csv

        return to_csv(self.rows)


def plan(query: Query, base: str, keyed: bool) -> list[Request]:
    """The requests a fetch sends first (a paged answer's later pages are known only from its first)."""
    years = list(query.years)
    if query.source == "comtrade":
        return comtrade.requests_for(
            base,
            keyed,
            query.reporter,
            list(query.partners),
            years,
            query.flow,
            query.commodity,
            query.mirror,
        )
    return wdi.requests_for(base, query.reporter, years, query.flow)


@dataclass
class Fetcher:
    """One fetch: the query, where its answers come from, and the account it keeps."""

    query: Query
    archive: Archive
    client: Client | None  # None: offline
    base: str
    keyed: bool = False
    refresh: bool = False
    progress: Progress | None = None
    now: datetime = field(default_factory=lambda: datetime.now(UTC))
    result: Fetched = field(default_factory=Fetched)

    def run(self) -> Fetched:
        requests = plan(self.query, self.base, self.keyed)
        if self.query.source == "comtrade":
            self._comtrade(requests)
        else:
            self._wdi(requests)
        self.result.rows = self._once(self.result.rows)
        self.result.rows.sort(key=operator.itemgetter(0, 1, 2, 4, 3, 5, 15, 14, 8, 13))
        return self.result

    def _once(self, rows: list[Row]) -> list[Row]:
        """Each figure once: the same figure in two answers (a server that repeats itself) is kept once, and
        counted; two answers giving one figure different values is an error naming both (a data folder holds
        one value per key; a superseded row is kept beside its revision, by design)."""
        kept: dict[tuple[object, ...], Row] = {}
        out: list[Row] = []
        repeated = 0
        for row in rows:
            if row[8] == "superseded":
                out.append(row)
                continue
            key = (*row[:6], row[9], row[14], row[15])
            found = kept.get(key)
            if found is None:
                kept[key] = row
                out.append(row)
            elif found[6] == row[6] and found[7] == row[7]:
                repeated += 1
            else:
                what = f"{row[1]}–{row[2]} {row[3]} {row[4]} {row[5]}"
                raise FetchError(
                    f"two answers give {what} different values ({found[6]:g} and {row[6]:g} {row[7]}): "
                    "nothing written; the answers are archived (tradesim data vintages)"
                )
        if repeated:
            self.result.notes.append(f"{repeated} figures came twice (the same value): kept once")
        return out

    # -- answers ---------------------------------------------------------------------------------------------

    def answer(self, request: Request, done: int, total: int) -> Vintage:
        """The request's answer: archived and fresh (or offline), else asked and archived."""
        if self.progress:
            self.progress(done, total, request.what)
        latest = self.archive.latest(request)
        if self.client is None:
            if latest is None:
                raise FetchError(
                    f"--offline: no archived answer for {request.address} ({request.what}): fetch it once online"
                )
            self.result.reused += 1
            return latest
        if latest is not None and not self.refresh and self.now - _when(latest.retrieved) < MAX_AGE:
            self.result.reused += 1
            return latest
        answer = self.client.get(request, latest.validators if latest else None)
        self.result.asked += 1
        where = f"{request.host} ({request.what})"
        if answer.status == 304 and latest is not None:
            return self.archive.confirm(latest, answer.retrieved)
        if answer.status in (401, 403):
            fix = (
                "the subscription key was refused: check COMTRADE_API_KEY (or --key-env), or fetch without a key "
                "(the public preview, 500 rows a call)"
                if self.keyed
                else "this call needs a subscription key: set COMTRADE_API_KEY (comtradedeveloper.un.org)"
                if request.source == "comtrade"
                else "access refused"
            )
            raise FetchError(f"{where} answered {answer.status}: {fix}")
        if answer.status == 429:
            wait = answer.headers.get("retry-after", "")
            raise FetchError(
                f"{where} still answers 429 (too many requests) after {self.client.retries} retries"
                + (f"; it asks to wait {wait} s" if wait else "")
                + ": fetch again later (--offline uses what is archived)"
            )
        if answer.status >= 500:
            raise FetchError(
                f"{where} answered {answer.status} (a server error) after {self.client.retries} retries: try "
                "later, or use --offline"
            )
        if answer.status != 200:
            raise FetchError(f"{where} answered {answer.status}: is the base URL right? ({request.url})")
        vintage, new = self.archive.keep(request, answer)
        self.result.new += new
        return vintage

    def where(self, vintage: Vintage) -> str:
        """The archived body's path, relative to the data folder (what an error and a note name)."""
        return vintage.body.relative_to(self.archive.folder).as_posix()

    # -- Comtrade --------------------------------------------------------------------------------------------

    def _comtrade(self, requests: list[Request]) -> None:
        released: dict[tuple[str, str], str] = {}
        availability: Request | None = None
        seen_years: dict[str, set[int]] = {}
        total = len(requests)
        for n, request in enumerate(requests, start=1):
            vintage = self.answer(request, n, total)
            body = vintage.read()
            where = f"{request.host} answer archived at {self.where(vintage)}"
            if request.role == "availability":
                released.update(comtrade.released(body, where))
                availability = request
                continue
            comtrade.document(body, where)
            number = dict(request.params)["reporterCode"]
            period = _period(request)
            rows = comtrade_rows(vintage, request.address, self.query.commodity)
            outside = [r for r in rows if r[4] not in period]
            if outside:  # an answer holding years it was not asked for: left out, and said
                self.result.notes.append(
                    f"{len(outside)} rows of the answer to {request.what} are for years not asked "
                    f"({', '.join(sorted({str(r[4]) for r in outside}))}): left out"
                )
            fresh = [
                self._dated(r, released.get((number, str(r[4])), ""), vintage) for r in rows if r[4] in period
            ]
            self.result.rows += fresh
            for r in fresh:
                seen_years.setdefault(r[1], set()).add(r[4])
            self._superseded(
                request,
                vintage,
                fresh,
                partial(self._comtrade_rows, request=request),
                partial(self._released_then, availability, number),
            )
        asked = sorted(self.query.years)
        sides = [
            self.query.reporter,
            *([p for p in self.query.partners if p != "WLD"] if self.query.mirror else []),
        ]
        if not self.result.rows:
            span = f"{asked[0]}–{asked[-1]}" if len(asked) > 1 else str(asked[0])
            raise FetchError(
                f"Comtrade has no {self.query.reporter}→{','.join(self.query.partners)} rows for {span}: not "
                "released yet? (the empty answers are archived, with their date)"
            )
        for side in sides:
            missing = [y for y in asked if y not in seen_years.get(side, set())]
            if missing:
                self.result.notes.append(
                    f"Comtrade has no rows from {side} for {', '.join(map(str, missing))}: not released yet?"
                )

    def _comtrade_rows(self, vintage: Vintage, request: Request) -> list[Row]:
        """An answer's rows for the years its request asked (an earlier vintage's too)."""
        period = _period(request)
        return [r for r in comtrade_rows(vintage, request.address, self.query.commodity) if r[4] in period]

    # -- WDI -------------------------------------------------------------------------------------------------

    def _wdi(self, requests: list[Request]) -> None:
        total = len(requests)
        n = 0
        for first in requests:
            indicator = first.url.rsplit("/", 1)[1]
            flow = next(f for f, i in wdi.INDICATORS.items() if i == indicator)
            n += 1
            vintage = self.answer(first, n, total)
            where = f"{first.host} answer archived at {self.where(vintage)}"
            pages = wdi.pages(vintage.read(), where)
            chain = [(first, vintage)]
            total += max(pages - 1, 0)
            for page in range(2, pages + 1):
                request = wdi.page_request(
                    self.base, self.query.reporter, list(self.query.years), indicator, page
                )
                n += 1
                chain.append((request, self.answer(request, n, total)))
            for request, got in chain:
                rows = self._wdi_rows(got, request, flow)
                self.result.rows += rows
                self._superseded(request, got, rows, partial(self._wdi_rows, request=request, flow=flow))
        if not self.result.rows:
            raise FetchError(
                f"the World Bank has no merchandise trade figures for {self.query.reporter} in "
                f"{self.query.years[0]}–{self.query.years[-1]} (the answers are archived, with their date)"
            )

    def _wdi_rows(self, vintage: Vintage, request: Request, flow: str) -> list[Row]:
        where = f"{request.host} answer archived at {self.where(vintage)}"
        rows, _ = wdi.rows(
            vintage.read(),
            where,
            self.query.reporter,
            flow,
            request.address,
            self._note(vintage),
            vintage.when,
        )
        wanted = set(self.query.years)
        return [r for r in rows if r[4] in wanted]  # a year not asked for is no answer to this query

    # -- vintages --------------------------------------------------------------------------------------------

    def _note(self, vintage: Vintage) -> str:
        return f"archived at {self.where(vintage)}"  # when it was retrieved: the row's own `retrieved` column

    def _dated(self, row: Row, published: str, vintage: Vintage) -> Row:
        valued = VALUATION.get(row[3], "")  # Comtrade's primaryValue: exports FOB, imports CIF
        note = "; ".join(n for n in (row[12], valued, self._note(vintage)) if n)
        return (*row[:12], note, published or row[13], row[14], row[15], vintage.when)

    def _released_then(self, availability: Request | None, number: str, older: Vintage, row: Row) -> str:
        """The release date Comtrade gave for ``row``'s year when ``older`` was retrieved: its availability
        answer archived last before then."""
        if availability is None:
            return ""
        before = [v for v in self.archive.vintages(availability) if v.retrieved <= older.retrieved]
        if not before:
            return ""
        try:
            return comtrade.released(before[-1].read(), self.where(before[-1])).get((number, str(row[4])), "")
        except InputError:
            return ""

    def _superseded(
        self,
        request: Request,
        latest: Vintage,
        rows: list[Row],
        read: Callable[[Vintage], list[Row]],
        released: Callable[[Vintage, Row], str] | None = None,
    ) -> None:
        """Each earlier vintage's figures that the latest answer revised or dropped: ``superseded`` rows, with
        the release date the source gave then (Comtrade's availability answer of the time, WDI's
        ``lastupdated``), else the day that answer was retrieved."""
        current = {_key(r): r[6] for r in rows}
        kept: set[tuple[object, ...]] = set()
        for older in reversed(self.archive.vintages(request)[:-1]):
            if older.sha256 == latest.sha256 or older.status != 200:
                continue
            try:
                earlier = read(older)
            except (InputError, DataError):
                continue  # an answer that never read (kept for inspection) held no figure
            for row in earlier:
                key = _key(row)
                if current.get(key) == row[6] or (key, row[6]) in kept:
                    continue
                kept.add((key, row[6]))
                note = (
                    f"an earlier answer (retrieved {older.when}), revised or withdrawn by the answer retrieved "
                    f"{latest.when}; archived at {self.where(older)}"
                )
                published = (released(older, row) if released else "") or row[13] or older.retrieved[:10]
                self.result.rows.append(
                    (*row[:8], "superseded", *row[9:12], note, published, row[14], row[15], older.when)
                )


def _period(request: Request) -> set[int]:
    """The years a Comtrade request asks for (its ``period``)."""
    return {int(y) for y in dict(request.params).get("period", "").split(",") if y.isdigit()}


def _key(row: Row) -> tuple[object, ...]:
    return (row[0], row[1], row[2], row[3], row[4], row[5], row[14], row[15])


def _when(stamp: str) -> datetime:
    try:
        return datetime.strptime(stamp[:19], "%Y-%m-%dT%H:%M:%S").replace(tzinfo=UTC)
    except ValueError:
        return datetime.min.replace(tzinfo=UTC)


def base_url(source: str, explicit: str | None, environ: dict[str, str]) -> str:
    """``--base-url``, else ``$TRADESIM_<SOURCE>_URL``, else the source's own address."""
    chosen = explicit or environ.get(ENV_BASES[source]) or BASES[source]
    if not chosen.startswith(("http://", "https://")):
        raise InputError(f"--base-url must be an http:// or https:// address, got {chosen!r}")
    return chosen


def comtrade_rows(vintage: Vintage, address: str, commodity: str) -> list[Row]:
    """A Comtrade+ answer's rows, read by the importer of its JSON (the same rows an import gives)."""
    from tradesim.data import importers

    options = importers.Options(
        format="comtrade", commodity=commodity, source=comtrade.PUBLISHER, url=address
    )
    try:
        return importers.read(vintage.body, options).rows
    except (
        DataError
    ) as exc:  # a record the importer refuses: each problem names the archived answer and record
        raise DataError(exc.problems) from None


def figures(vintage: Vintage) -> dict[tuple[object, ...], object] | None:
    """What an archived answer says, by key (a figure's value, or a release date), to compare two vintages;
    ``None`` when its body does not read."""
    meta = vintage.meta
    listed = meta.get("params")
    pairs = listed if isinstance(listed, list) else []
    params = {str(p[0]): str(p[1]) for p in pairs if isinstance(p, list) and len(p) == 2}
    where = vintage.body.name
    try:
        if meta.get("source") == "comtrade" and meta.get("role") == "availability":
            return dict(comtrade.released(vintage.read(), where).items())
        if meta.get("source") == "comtrade":
            rows = comtrade_rows(vintage, str(meta.get("address", "")), params.get("cmdCode", "TOTAL"))
        else:
            url = str(meta.get("url", ""))
            indicator, reporter = url.rsplit("/", 1)[-1], url.split("/country/", 1)[-1].split("/", 1)[0]
            flow = next((f for f, i in wdi.INDICATORS.items() if i == indicator), "export")
            rows, _ = wdi.rows(vintage.read(), where, reporter, flow, url, "")
    except (InputError, DataError):
        return None
    return {_key(r): r[6] for r in rows}


__all__ = ["SOURCES", "Archive", "Client", "FetchError", "Fetched", "Fetcher", "Query", "plan"]
