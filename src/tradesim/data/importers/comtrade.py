"""UN Comtrade, in every layout its sites and API hand out, → observations.

Layouts (:data:`LAYOUTS`, each a map from what a field means to the header names it goes by):

- **Comtrade+** (comtradeplus.un.org): the portal's download (header unquoted, every data field quoted, a
  trailing comma), the API's CSV (``comtradeapicall`` → pandas: ISO columns often empty, codes only) and the
  bulk files (tab-separated, codes only), and the API's JSON (``{"data": [...]}``);
- **legacy Comtrade** (comtrade.un.org, until 2023): the web export (``Classification,Year,Period,...,Trade
  Value (US$),...,Flag``), its short variant (no period, no ISO columns) and the bulk-style one (flow ``X``,
  partner ``W00``), and the legacy API's JSON (``{"dataset": [...]}``).

What is kept (README "Importing"):

- the commodity asked for (``--commodity``, default ``TOTAL``; for services, typeCode ``S``, the EBOPS total
  ``200``), annual (period ``FY``) or monthly (``mar``; with ``cumulate`` also ``jan-<mon>`` sums);
- the total rows only: partner2 the world (``0``), all customs procedures (``C00``), all modes of transport
  and of supply (``0``); the other rows split the same trade and are counted as breakdowns;
- flows export, import, re-export, re-import (``X``/``2``, ``M``/``1``, ``RX``/``3``, ``RM``/``4``), the last
  two kept apart; other flows (inward processing, ...) are counted and skipped;
- reporter and partner by Comtrade's numeric code, else by ISO code, else by name (:mod:`tradesim.codes`):
  Comtrade's "Other Asia, nes" is Taiwan (``TWN``, with a note); former countries and groups are kept as their
  own aggregates; anything else is counted, once per name, and skipped;
- goods (typeCode ``C``) as kind ``trade``, services (``S``) as kind ``services``: never added together;
- values in US dollars (``primaryValue``, ``Trade Value (US$)``), unit ``USD``; ``reported_by`` the reporter.
"""

from __future__ import annotations

import json
import operator
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from tradesim.codes import Area, area_by_name, area_by_number, comtrade_forms
from tradesim.data.importers import text
from tradesim.data.importers.decimals import DecimalError, number
from tradesim.data.importers.imported import NO_VALUE, Collector, Imported, Tally
from tradesim.data.importers.options import Options
from tradesim.data.observation import MONTHS
from tradesim.errors import DataError, InputError, Problem

Fields = dict[str, str]  # what a field means → its text
FLOWS = {
    "X": "export", "2": "export", "EXPORT": "export",
    "M": "import", "1": "import", "IMPORT": "import",
    "RX": "re-export", "3": "re-export", "RE-EXPORT": "re-export",
    "RM": "re-import", "4": "re-import", "RE-IMPORT": "re-import",
}  # fmt: skip
# The columns of a Comtrade+ CSV (portal download and API output), in their order; the reader needs only those
# of PLUS, wherever they stand
LAYOUT = [
    "typeCode",
    "freqCode",
    "refPeriodId",
    "refYear",
    "refMonth",
    "period",
    "reporterCode",
    "reporterISO",
    "reporterDesc",
    "flowCode",
    "flowDesc",
    "partnerCode",
    "partnerISO",
    "partnerDesc",
    "partner2Code",
    "partner2ISO",
    "partner2Desc",
    "classificationCode",
    "classificationSearchCode",
    "isOriginalClassification",
    "cmdCode",
    "cmdDesc",
    "aggrLevel",
    "isLeaf",
    "customsCode",
    "customsDesc",
    "mosCode",
    "motCode",
    "motDesc",
    "qtyUnitCode",
    "qtyUnitAbbr",
    "qty",
    "isQtyEstimated",
    "altQtyUnitCode",
    "altQtyUnitAbbr",
    "altQty",
    "isAltQtyEstimated",
    "netWgt",
    "isNetWgtEstimated",
    "grossWgt",
    "isGrossWgtEstimated",
    "cifvalue",
    "fobvalue",
    "primaryValue",
    "legacyEstimationFlag",
    "isReported",
    "isAggregate",
]
SERVICES_TOTAL = ("200", "S")  # EBOPS 2010: total services
PLUS: dict[str, tuple[str, ...]] = {
    "type": ("typeCode",),
    "freq": ("freqCode",),
    "year": ("refYear",),
    "month": ("refMonth",),
    "period": ("period", "refPeriodId"),
    "reporter_iso": ("reporterISO",),
    "reporter_code": ("reporterCode",),
    "reporter_name": ("reporterDesc",),
    "flow": ("flowCode",),
    "partner_iso": ("partnerISO",),
    "partner_code": ("partnerCode",),
    "partner_name": ("partnerDesc",),
    "partner2": ("partner2Code",),
    "customs": ("customsCode",),
    "mot": ("motCode",),
    "mos": ("mosCode",),
    "commodity": ("cmdCode",),
    "classification": ("classificationCode",),
    "value": ("primaryValue",),
}
LEGACY: dict[str, tuple[str, ...]] = {
    "year": ("Year", "yr"),
    "period": ("Period", "period"),
    "reporter_iso": ("Reporter ISO", "rt3ISO"),
    "reporter_code": ("Reporter Code", "rtCode"),
    "reporter_name": ("Reporter", "rtTitle"),
    "flow": ("Trade Flow Code", "rgCode"),
    "flow_name": ("Trade Flow", "rgDesc"),
    "partner_iso": ("Partner ISO", "pt3ISO"),
    "partner_code": ("Partner Code", "ptCode"),
    "partner_name": ("Partner", "ptTitle"),
    "partner2": ("2nd Partner Code", "pt2Code"),
    "customs": ("Customs Proc. Code", "cstCode"),
    "mot": ("Mode of Transport Code", "motCode"),
    "commodity": ("Commodity Code", "cmdCode"),
    "classification": ("Classification", "pfCode"),
    "value": ("Trade Value (US$)", "TradeValue"),
}
NEEDED = {"plus": ("year", "flow", "commodity", "value"), "legacy": ("year", "flow", "commodity", "value")}
BREAKDOWNS = {  # field → (its total's codes, what a row of another code is)
    "partner2": (("", "0", "W00"), "a partner2 breakdown (partner2Code not 0, the world)"),
    "customs": (("", "C00"), "a customs-procedure breakdown (customsCode not C00)"),
    "mot": (("", "0"), "a mode-of-transport breakdown (motCode not 0)"),
    "mos": (("", "0"), "a mode-of-supply breakdown (mosCode not 0)"),
}
MEANINGS = ("type", "classification", "commodity", *BREAKDOWNS, "flow", "flow_name", "reporter_iso", "reporter_code",
            "reporter_name", "partner_iso", "partner_code", "partner_name",  # the codes: decided once (Reader)
            "freq", "year", "period", "month", "value")  # fmt: skip
SIDES = MEANINGS.index(
    "reporter_iso"
)  # before: what the record is (Reader._classify); then who (Reader._who)
CODES = MEANINGS.index("freq")
URLS = {"plus": "https://comtradeplus.un.org/", "legacy": "https://comtrade.un.org/"}


@dataclass(frozen=True)
class Filters:
    commodity: str = "TOTAL"
    reporter: str | None = None
    partner: str | None = None
    year: int | None = None
    cumulate: bool = False

    def __post_init__(self) -> None:
        if not re.fullmatch(
            r"(?i:all)|[A-Za-z0-9]{1,20}(?:\s*,\s*[A-Za-z0-9]{1,20})*", self.commodity.strip()
        ):
            raise InputError(
                "--commodity must be Comtrade cmdCodes (letters and digits: TOTAL, 27, 2709; several with commas: "
                f"TOTAL,27,2709; or all), got {self.commodity!r}"
            )

    @classmethod
    def of(cls, options: Options) -> Filters:
        """The filters an import's options ask of a Comtrade file (checked: ``--commodity`` as cmdCodes)."""
        return cls(options.commodity, options.reporter, options.partner, options.year, options.cumulate)

    @property
    def codes(self) -> tuple[str, ...] | None:
        """The commodity codes asked for, as written (upper case); ``None`` for ``all``."""
        text = self.commodity.strip().upper()
        return None if text == "ALL" else tuple(dict.fromkeys(c.strip() for c in text.split(",")))


def columns(header: list[str], names: dict[str, tuple[str, ...]]) -> dict[str, int]:
    """What each field means → its position, for the fields the header has."""
    at = {name: i for i, name in reversed(list(enumerate(header)))}
    return {meaning: at[n] for meaning, options in names.items() for n in options if n in at}


def family(header: list[str]) -> str | None:
    """``plus`` or ``legacy`` when the header is a Comtrade layout's, else ``None``."""
    names = set(header)
    if {"refYear", "flowCode", "primaryValue"} <= names:
        return "plus"
    if {"Year", "Trade Value (US$)"} <= names and names & {"Trade Flow Code", "Trade Flow"}:
        return "legacy"
    return None


def describe(
    kind: str, header: list[str], trailing: bool, quoted: bool, empty_iso: bool, dialect: text.Dialect
) -> str:
    if kind == "plus":
        if trailing or quoted:
            variant = (
                "portal download"
                + (", every field quoted" if quoted else "")
                + (", a trailing comma" if trailing else "")
            )
        elif "reporterISO" not in header or dialect.delimiter == "\t":
            variant = "bulk file"
        else:
            variant = "API output"
        if empty_iso:
            variant += ", numeric codes only"
        return f"UN Comtrade+ CSV ({variant})"
    variant = "short layout: no period, no ISO columns" if "Period" not in header else "web export"
    return f"legacy UN Comtrade CSV ({variant})"


class Reader:
    """Records of one Comtrade layout → figures in a :class:`Collector`."""

    def __init__(self, kind: str, filters: Filters, collector: Collector) -> None:
        self.kind, self.filters, self.collector = kind, filters, collector
        self.imported = collector.imported
        codes = filters.codes
        self.wanted = None if codes is None else frozenset(codes)  # as written: SITC, EBOPS
        self.wanted_hs = None if codes is None else frozenset(map(_code, codes))  # 1 and 01: one HS chapter
        self.kept: dict[str, int] = {}  # commodity code kept → lines (a code asked for and not found is said)
        self._areas: dict[tuple[str, str, str], Area | None] = {}
        self._classes: dict[tuple[str, ...], tuple[Tally, str, str] | tuple[str, str, str, str]] = {}
        self._sides: dict[tuple[str, ...], tuple[Tally, str] | tuple[str, str, str]] = {}

    def record(self, line: int, values: tuple[str, ...]) -> None:
        """One record, its fields in the order of :data:`MEANINGS` ('' where the layout lacks one). What the
        record's codes decide (kind, reporter, partner, flow, or why it is left out) is worked out once per
        distinct combination of codes (:meth:`_classify`, :meth:`_who`); the year, month and value, per
        record."""
        key = values[:SIDES]
        decided = self._classes.get(key)
        if decided is None:
            decided = self._classes[key] = self._classify(key)
        if isinstance(decided[0], Tally):
            decided[0].add(decided[1], line)
            if decided[2]:
                commodities = self.imported.commodities
                commodities[decided[2]] = commodities.get(decided[2], 0) + 1
            return
        kind, flow, code, system = decided
        sides = values[SIDES:CODES]
        who = self._sides.get(sides)
        if who is None:
            who = self._sides[sides] = self._who(sides)
        if isinstance(who[0], Tally):
            who[0].add(who[1], line)
            return
        reporter, partner, area_note = who
        freq_text, year_text, period_text, month_text, value_text = values[CODES:]
        year_text, period_text = year_text.strip(), period_text.strip()
        freq = freq_text.strip().upper() or ("M" if len(period_text) == 6 else "A")
        imported, filters = self.imported, self.filters
        try:
            year = int(year_text or period_text[:4])
            month = int(month_text.strip() or period_text[4:6]) if freq == "M" else 0
        except ValueError:
            self.collector.problem(
                line, f"the year and month must be whole numbers, got {year_text!r} {period_text!r}"
            )
            return
        if freq not in ("A", "M"):
            imported.skipped.add(f"frequency {freq!r} (neither annual A nor monthly M)", line)
            return
        if freq == "M" and not 1 <= month <= 12:
            self.collector.problem(line, f"the month must be 1–12 for monthly data, got {month}")
            return
        if filters.year is not None and year != filters.year:
            imported.asked.add(f"another year than {filters.year} (--year)", line)
            return
        try:
            value = number(value_text)
        except DecimalError as exc:
            self.collector.problem(line, str(exc), "value")
            return
        if value is None:
            imported.skipped.add(NO_VALUE, line)
            return
        period = "FY" if freq == "A" else MONTHS[month - 1]
        what = "all commodities" if code == "TOTAL" else f"{_classification_name(system or 'HS')} {code}"
        column = ", primaryValue" if self.kind == "plus" else ", Trade Value (US$)"
        note = f"{what}{column}; {area_note}" if area_note else f"{what}{column}"
        figure = (kind, reporter, partner, flow, year, period)
        self.collector.add(line, figure, value, "USD", note, system or "HS", code)

    def _classify(self, codes: tuple[str, ...]) -> tuple[Tally, str, str] | tuple[str, str, str, str]:
        """(tally, reason, commodity left out or '') for a record these codes leave out, else (kind, flow,
        commodity as the file writes it, classification)."""
        type_code, classification, commodity_text, *breakdowns, flow_code, flow_name = codes
        imported, filters = self.imported, self.filters
        kind = "services" if type_code.strip().upper() == "S" else "trade"
        system = classification.strip().upper()
        hs = system in ("", "HS") or (system[:1] == "H" and system[1:].isdigit())  # H0–H6, HS, or not stated
        written = commodity_text.strip().upper()
        if kind == "services" and written in SERVICES_TOTAL:
            written = "TOTAL"  # the EBOPS total (200, S)
        # EBOPS (200, 205, ...) and SITC (3 is a section, 03 a division) compared as written; HS 1 is chapter 01
        as_written = kind == "services" or not hs
        compared, wanted = (written, self.wanted) if as_written else (_code(written), self.wanted_hs)
        if wanted is not None and compared not in wanted:
            return imported.asked, f"another commodity than {filters.commodity} (--commodity)", compared
        self.kept[written] = self.kept.get(written, 0) + 1
        for text_value, (totals, what) in zip(breakdowns, BREAKDOWNS.values(), strict=True):
            if text_value and text_value.strip().upper() not in totals:
                return imported.breakdowns, what, ""
        flow_code = flow_code.strip().upper()
        flow = FLOWS.get(flow_code) or FLOWS.get(flow_name.strip().upper())
        if flow is None:
            shown = flow_code or flow_name
            return imported.skipped, f"flow {shown!r} (not exports, imports, re-exports or re-imports)", ""
        return kind, flow, written, system

    def check_found(self) -> None:
        """With several codes asked for, one the file does not hold is bad input, naming what it holds (an
        import of some of them would read as if the others were zero)."""
        codes = self.filters.codes
        if codes is None or len(codes) < 2 or not self.kept:
            return  # one code not found: the import says "no row matches", with the file's codes
        kept = set(self.kept) | {_code(c) for c in self.kept}
        missing = [c for c in codes if c not in kept and _code(c) not in kept]
        if missing:
            held = sorted({*self.kept, *self.imported.commodities}, key=lambda c: (c != "TOTAL", len(c), c))
            raise InputError(
                f"{self.imported.path}: --commodity {self.filters.commodity}: the file holds no "
                f"{', '.join(missing)} (it holds {', '.join(held[:20])}{', …' if len(held) > 20 else ''})"
            )

    def _who(self, sides: tuple[str, ...]) -> tuple[Tally, str] | tuple[str, str, str]:
        """(tally, reason) for a record whose reporter or partner is left out, else (reporter, partner, note)."""
        imported, filters = self.imported, self.filters
        reporter_iso, reporter_code, reporter_name, partner_iso, partner_code, partner_name = sides
        reporter = self._area(reporter_iso, reporter_code, reporter_name)
        partner = self._area(partner_iso, partner_code, partner_name)
        for found, iso, code, name in (
            (reporter, reporter_iso, reporter_code, reporter_name),
            (partner, partner_iso, partner_code, partner_name),
        ):
            if found is None:
                parts = (iso.strip(), code.strip(), repr(name.strip()) if name.strip() else "")
                label = " ".join(part for part in parts if part)
                return imported.skipped, f"{label or '(empty)'}: no known country or area"
        assert reporter is not None
        assert partner is not None
        if filters.reporter and reporter.code != filters.reporter:
            return imported.asked, f"another reporter than {filters.reporter} (--reporter)"
        if filters.partner and partner.code != filters.partner:
            return imported.asked, f"another partner than {filters.partner} (--partner)"
        return reporter.code, partner.code, "; ".join(n for n in (reporter.note, partner.note) if n)

    def _area(self, iso: str, code: str, name: str) -> Area | None:
        key = (iso, code, name)
        if key not in self._areas:
            self._areas[key] = self._lookup(iso, code, name)
        return self._areas[key]

    @staticmethod
    def _lookup(iso: str, code: str, name: str) -> Area | None:
        """By Comtrade's own code first (its ISO column can mislead: for 492, "Europe EU, nes", it writes
        Monaco's MCO), then by the ISO code, then by name."""
        if code.strip() and (found := area_by_number(code)):
            return found
        if iso.strip() and (found := area_by_number(iso)):
            return found
        return area_by_name(name) if name.strip() else None


def _classification_name(code: str) -> str:
    """A classification code as a reader knows it: ``S4`` → ``SITC Rev. 4``, ``H4`` → ``HS 2012 (H4)``."""
    hs = {"H0": "HS 1992", "H1": "HS 1996", "H2": "HS 2002", "H3": "HS 2007", "H4": "HS 2012", "H5": "HS 2017",
          "H6": "HS 2022"}  # fmt: skip
    if code in hs:
        return f"{hs[code]} ({code})"
    if len(code) == 2 and code[0] == "S" and code[1].isdigit():
        return f"SITC Rev. {code[1]}"
    if code.startswith("B"):
        return f"BEC ({code})"
    if code.startswith("EB"):
        return f"EBOPS ({code})"
    return "HS" if code == "HS" else code


def _code(code: str) -> str:
    """A cmdCode compared as Comtrade means it: ``1`` and ``01`` are the same HS chapter."""
    code = code.strip().upper()
    return "0" + code if code.isdigit() and len(code) % 2 else code


def read_csv(
    dialect: text.Dialect, head: bytes, header: list[str], options: Options, collector: Collector
) -> None:
    """The records of a Comtrade CSV (``plus`` or ``legacy``: :func:`family`) into ``collector``."""
    kind = family(header)
    assert kind is not None
    filters, imported = Filters.of(options), collector.imported
    at = columns(header, PLUS if kind == "plus" else LEGACY)
    missing = [m for m in NEEDED[kind] if m not in at]
    if missing:
        names = PLUS if kind == "plus" else LEGACY
        raise DataError(
            [Problem(f"a {imported.layout} needs a column {names[m][0]}", dialect.path, 1) for m in missing]
        )
    if "reporter_iso" not in at and "reporter_code" not in at and "reporter_name" not in at:
        raise DataError(
            [Problem("no reporter column (reporterISO, reporterCode, Reporter Code)", dialect.path, 1)]
        )
    width = len(header)
    reader = Reader(kind, filters, collector)
    pick = operator.itemgetter(*(at.get(meaning, width) for meaning in MEANINGS))  # width: the '' appended
    for record in _records(dialect, head, filters, header, imported):
        imported.lines += 1
        fields = record.fields
        if len(fields) != width:
            if len(fields) > width and not any(f.strip() for f in fields[width:]):
                del fields[width:]  # a trailing delimiter (the portal's download)
            elif not any(f.strip() for f in fields):
                imported.skipped.add("a blank line", record.line)
                continue
            else:
                collector.problem(record.line, f"{len(fields)} fields, the header has {width}")
                continue
        fields.append("")
        reader.record(record.line, pick(fields))
    reader.check_found()


PREFILTER_BYTES = 32 << 20  # below this, parsing every line costs less than it saves


def _records(
    dialect: text.Dialect, head: bytes, filters: Filters, header: list[str], imported: Imported
) -> Iterator[text.Record]:
    """Every record; for a large file with a selective filter, only the records holding the wanted code (the
    others counted as left out)."""
    groups = _anchors(filters)
    first, _ = text.first_record(dialect, head)
    if (
        "typeCode" in header
        and header.index("typeCode") < len(first)
        and first[header.index("typeCode")] == "S"
    ):
        groups = tuple(g for g in groups if g != (b"TOTAL",))  # a services file: its total is 200, not TOTAL
    size = dialect.size
    inner = all(
        0 < header.index(name) < len(header) - 1 for name in ANCHORED if name in header
    )  # a wanted code is a whole field between two delimiters
    d = dialect.delimiter.encode()
    forms = tuple(
        tuple(form for code in group for form in (d + code + d, b'"' + code + b'"')) for group in groups
    )
    if (
        not forms
        or not inner
        or size < PREFILTER_BYTES
        or dialect.encoding not in text.ASCII_SAFE
        or b"\n" not in head
    ):
        yield from text.records(dialect)
        return
    shown = " and ".join(" or ".join(code.decode() for code in group) for group in groups)
    for found in text.candidates(dialect, forms):
        if isinstance(found, int):
            imported.lines += found
            imported.asked.add(f"no field holds {shown} (passed over without parsing)", 0, found)
            continue
        yield from found.records(dialect)


ANCHORED = ("cmdCode", "reporterISO", "reporterCode", "partnerISO", "partnerCode", "Commodity Code",
            "Reporter Code", "Reporter ISO", "Partner Code", "Partner ISO", "Reporter", "Partner")  # fmt: skip


def _anchors(filters: Filters) -> tuple[tuple[bytes, ...], ...]:
    """What a matching record must hold as whole fields: for the reporter, the partner and the commodity asked
    for, one of the ways a Comtrade file writes each (ISO code, Comtrade number; ``TOTAL``), leaving out a
    filter any of whose forms is shorter than 3 characters (it stands in too many numbers to select
    anything). Goods only: a services file's total is ``200``."""
    groups = []
    for code in (filters.reporter, filters.partner):
        if code:
            forms = {code, *comtrade_forms(code)}
            if all(len(f) >= 3 for f in forms):
                groups.append(tuple(sorted(f.encode() for f in forms)))
    codes = filters.codes
    if codes is not None and len(codes) == 1 and (len(codes[0]) >= 3 or codes[0] == "TOTAL"):
        groups.append((codes[0].encode(),))
    return tuple(groups)


def read_json(
    path: Path, options: Options, imported: Imported, make: Callable[[str], Collector]
) -> Collector:
    """The Comtrade+ API's JSON (``{"data": [...]}``) or the legacy API's (``{"dataset": [...]}``): each record
    a line for the account, numbered from 1."""
    try:
        document = json.loads(path.read_bytes())
    except (OSError, ValueError, RecursionError) as exc:  # nested past the parser's depth: no response either
        raise DataError([Problem(f"not readable JSON ({exc.__class__.__name__}: {exc})", path)]) from None
    kind, found = _json_records(document)
    if found is None:
        raise DataError(
            [Problem('not a Comtrade API response: no "data" or "dataset" list of records', path)]
        )
    imported.layout = "UN Comtrade+ API JSON" if kind == "plus" else "legacy UN Comtrade API JSON"
    imported.dialect = "JSON, records numbered from 1"
    collector = make(kind)
    reader = Reader(kind, Filters.of(options), collector)
    names = PLUS if kind == "plus" else LEGACY
    for n, item in enumerate(found, start=1):
        imported.lines += 1
        if not isinstance(item, dict):
            collector.problem(n, "a record is not an object")
            continue

        reader.record(n, tuple(_json_field(item, names.get(meaning, ())) for meaning in MEANINGS))
    reader.check_found()
    return collector


def _json_field(item: dict[str, object], names: tuple[str, ...]) -> str:
    for name in names:
        value = item.get(name)
        if value is not None:
            return str(value).lower() if isinstance(value, bool) else str(value)
    return ""


def _json_records(document: object) -> tuple[str, list[object] | None]:
    if isinstance(document, dict):
        for key, kind in (("data", "plus"), ("dataset", "legacy")):
            if isinstance(document.get(key), list):
                return kind, document[key]
    return "plus", None
