"""Wide tables, as national statistics offices and WITS export them: one row per partner or per flow, one
column per year.

- the first column labels the row; columns whose header holds a year (``2023``, ``2023 [YR2023]``) hold the
  values; any other column (an indicator name, a unit) is left aside;
- with ``--flow``, every row is a partner: an ISO 3166 alpha-3 code or a country's name (``World`` is WLD);
- with ``--partner``, every row is a flow: export(s), import(s), total (or turnover, trade);
- empty cells and ``..``, ``-``, ``…`` are missing values, not zeros; thousands separators are allowed;
- the file does not say whose statistics these are: ``--reporter`` does (it is also ``reported_by``), and
  ``--unit``, ``--source`` and ``--url`` what a row of our schema needs.
"""

from __future__ import annotations

import csv
import math
import re
from pathlib import Path

from tradesim.codes import AGGREGATES, country_problem
from tradesim.data.importers.comtrade import Row
from tradesim.data.observations import money_unit
from tradesim.errors import DataError, InputError, Problem

MISSING = ("", "..", "...", "-", "–", "—", "…", "n/a", "na", "x")
FLOW_LABELS = {
    "export": "export",
    "exports": "export",
    "import": "import",
    "imports": "import",
    "total": "total",
    "turnover": "total",
    "trade": "total",
    "total trade": "total",
}
YEAR = re.compile(r"(?<!\d)(19\d\d|2[0-2]\d\d)(?!\d)")


def _partner(label: str) -> str | None:
    """An ISO alpha-3 code, a country's name, or World → the code; ``None`` when it is neither."""
    import iso3166

    if label.upper() in AGGREGATES or label.lower() == "world":
        return "WLD" if label.lower() in ("world", "wld") else label.upper()
    if country_problem(label.upper()) is None and len(label) == 3:
        return label.upper()
    found = iso3166.countries_by_name.get(label.upper()) or iso3166.countries_by_apolitical_name.get(
        label.upper()
    )
    return found.alpha3 if found else None


def read(
    path: Path,
    *,
    reporter: str | None,
    partner: str | None,
    flow: str | None,
    unit: str,
    source: str | None,
    url: str,
    year: int | None = None,
) -> list[Row]:
    """Rows in the data folder's columns (see :func:`tradesim.data.importers.to_csv`)."""
    if reporter is None or country_problem(reporter) is not None:
        raise InputError(
            f"--reporter: a wide table does not say whose statistics it holds; name the country (ISO 3166 alpha-3), got {reporter!r}"
        )
    if (partner is None) == (flow is None):
        raise InputError("give --partner (each row is a flow) or --flow (each row is a partner), not both")
    if flow is not None and flow not in ("total", "export", "import"):
        raise InputError(f"--flow must be total, export or import, got {flow!r}")
    if partner is not None and partner not in AGGREGATES and country_problem(partner) is not None:
        raise InputError(f"--partner: {country_problem(partner)}")
    if money_unit(unit) is None:
        raise InputError(
            f"--unit must be a currency code, optionally with _bn or _mn (USD_mn, EUR_bn, KZT), got {unit!r}"
        )
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise DataError([Problem(f"cannot read the file ({exc.__class__.__name__}: {exc})", path)]) from None
    dialect = (
        csv.excel_tab if text.split("\n", 1)[0].count("\t") > text.split("\n", 1)[0].count(",") else csv.excel
    )
    lines = list(csv.reader(text.splitlines(), dialect))
    if not lines:
        raise DataError([Problem("the file is empty", path)])
    header = lines[0]
    years = {i: int(m.group(1)) for i, name in enumerate(header) if i > 0 and (m := YEAR.search(name))}
    if not years:
        raise DataError([Problem("no column header holds a year (2019, 2020 [YR2020], ...)", path, 1)])
    label_name = header[0] or "the first column"
    name = source or f"{path.name} (wide table)"
    rows: list[Row] = []
    problems: list[Problem] = []
    seen: dict[tuple[str, str, int], int] = {}
    for number, values in enumerate(lines[1:], start=2):
        if not any(v.strip() for v in values):
            continue
        label = values[0].strip()
        if flow is not None:
            row_partner, row_flow = _partner(label), flow
            if row_partner is None:
                problems.append(Problem(f"not a country code or name: {label!r}", path, number, label_name))
                continue
        else:
            row_partner, row_flow = partner, FLOW_LABELS.get(label.lower())  # type: ignore[assignment]
            if row_flow is None:
                problems.append(
                    Problem(f"not a flow (export, import, total): {label!r}", path, number, label_name)
                )
                continue
        assert row_partner is not None
        for column, when in years.items():
            if year is not None and when != year:
                continue
            cell = values[column].strip() if column < len(values) else ""
            if cell.lower() in MISSING:
                continue
            try:
                value = float(cell.replace(",", "").replace("\u202f", "").replace(" ", ""))
            except ValueError:
                problems.append(Problem(f"not a number: {cell!r}", path, number, header[column]))
                continue
            if not math.isfinite(value):
                problems.append(Problem(f"not a finite number: {cell!r}", path, number, header[column]))
                continue
            key = (row_partner, row_flow, when)
            if key in seen:
                problems.append(
                    Problem(
                        f"{row_partner} {row_flow} {when} also on line {seen[key]}",
                        path,
                        number,
                        header[column],
                    )
                )
                continue
            seen[key] = number
            rows.append(
                (
                    "trade",
                    reporter,
                    row_partner,
                    row_flow,
                    when,
                    "FY",
                    value,
                    unit,
                    "reported",
                    reporter,
                    name,
                    url,
                    f"{label}, column {header[column]!r}",
                    "",
                )
            )
    if problems:
        raise DataError(problems)
    return rows
