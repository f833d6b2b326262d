"""What a dataset covers, series by series: ``tradesim data coverage``.

A series is one kind, reporter, partner, flow, commodity (``all goods``, or ``H5 27``: a commodity's rows
are never counted into the pair's series) and ``reported_by``. For each: the full years it has, its other
periods (part years; a target's deadline), and the points to treat with care (every row whose status is
unverified, approximate, derived, doubtful_unit or partial), years written as ranges (``2019–2025``). The
README's table of the shipped series is this command's Markdown (a test holds them equal).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from tradesim.data.dataset import Dataset
from tradesim.data.observation import FULL_YEAR, KINDS, Observation
from tradesim.output import Collection, Result, Rows

if TYPE_CHECKING:
    import pandas as pd

CARE = ("unverified", "approximate", "derived", "estimated", "doubtful_unit", "partial")
COLUMNS = (
    "kind",
    "reporter → partner",
    "flow",
    "commodity",
    "reported by",
    "full years (FY)",
    "part years / other periods",
    "unverified, approximate, derived, estimated, doubtful",
)


def spans(years: list[int]) -> str:
    """2012, 2013, 2014, 2016 → ``2012–2014, 2016`` (``—`` for none)."""
    runs: list[list[int]] = []
    for year in sorted(set(years)):
        if runs and year == runs[-1][-1] + 1:
            runs[-1].append(year)
        else:
            runs.append([year])
    return ", ".join(str(r[0]) if len(r) == 1 else f"{r[0]}–{r[-1]}" for r in runs) or "—"


@dataclass(frozen=True)
class Series:
    kind: str
    reporter: str
    partner: str
    flow: str
    commodity: str  # "all goods", or the classification and code: "H5 27"
    reported_by: str
    rows: tuple[Observation, ...]

    @property
    def full_years(self) -> list[int]:
        return sorted({o.year for o in self.rows if o.period == FULL_YEAR})

    def others(self) -> dict[str, list[int]]:
        """Each other period (a target's: its deadline) → its years."""
        found: dict[str, list[int]] = {}
        for o in self.rows:
            if o.period == FULL_YEAR:
                continue
            label = (f"by {o.year}" if o.period == "by" else o.period) if self.kind == "target" else o.period
            found.setdefault(label, []).append(o.year)
        return found

    def care(self) -> dict[str, list[int]]:
        """``status period`` → the years of the rows to treat with care."""
        found: dict[str, list[int]] = {}
        for o in self.rows:
            if o.status in CARE:
                found.setdefault(f"{o.status} {o.period}", []).append(o.year)
        return found


@dataclass(frozen=True, eq=False)
class Coverage(Collection[Series], Result):
    """Every series of a dataset (optionally one reporter's), in the order kind, reporter, partner, flow."""

    @property
    def title(self) -> str:
        return f"{len(self)} series"

    def rows(self) -> Rows:
        shown = []
        for s in self:
            others = sorted(
                label if s.kind == "target" else f"{label} {spans(years)}"
                for label, years in s.others().items()
            )
            care = sorted(f"{label} {spans(years)}" for label, years in s.care().items())
            values = (s.kind, f"{s.reporter} → {s.partner}", s.flow, s.commodity, s.reported_by, spans(s.full_years),
                      ", ".join(dict.fromkeys(others)) or "—", ", ".join(care) or "—")  # fmt: skip
            shown.append(dict(zip(COLUMNS, values, strict=True)))
        return shown

    def to_json(self) -> dict[str, Any]:
        return {
            "series": [
                {
                    "kind": s.kind,
                    "reporter": s.reporter,
                    "partner": s.partner,
                    "flow": s.flow,
                    "commodity": s.commodity,
                    "reported_by": s.reported_by,
                    "full_years": s.full_years,
                    "other_periods": s.others(),
                    "care": s.care(),
                    "rows": len(s.rows),
                }
                for s in self
            ]
        }

    def frame(self) -> pd.DataFrame:
        import pandas as pd

        return pd.DataFrame(
            [
                {
                    "kind": s.kind,
                    "reporter": s.reporter,
                    "partner": s.partner,
                    "flow": s.flow,
                    "commodity": s.commodity,
                    "reported_by": s.reported_by,
                    "first_year": min((o.year for o in s.rows), default=None),
                    "last_year": max((o.year for o in s.rows), default=None),
                    "full_years": len(s.full_years),
                    "rows": len(s.rows),
                    "to_treat_with_care": sum(o.status in CARE for o in s.rows),
                }
                for s in self
            ]
        )


def coverage(data: Dataset, reporter: str | None = None) -> Coverage:
    """The series of ``data`` (only ``reporter``'s, as reporter or partner, when given)."""
    grouped: dict[tuple[str, str, str, str, str, str], list[Observation]] = {}
    for o in data.observations:
        if reporter is not None and reporter not in (o.reporter, o.partner):
            continue
        key = (o.kind, o.reporter, o.partner, o.flow, o.what or "all goods", o.reported_by)
        grouped.setdefault(key, []).append(o)
    order = {kind: i for i, kind in enumerate(("trade", "share", "target", "fx", *KINDS))}
    keys = sorted(grouped, key=lambda k: (order[k[0]], k[1], k[2], k[3], k[4] != "all goods", *k[4:]))
    return Coverage(tuple(Series(*key, tuple(grouped[key])) for key in keys))


__all__ = ["Coverage", "Series", "coverage", "spans"]
