"""Mirror statistics: what each side reports for the same trade, year by year, in one currency.

Kazakhstan's exports to Italy are Italy's imports from Kazakhstan; the two offices count them differently
(valuation CIF/FOB, the country of origin versus consignment, the timing of oil shipments), and for
Kazakhstan–Italy they differ about threefold. The reporter's figure and the partner's are shown side by side —
never added, never averaged — each converted at its year's annual average rate where it is in another currency.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from tradesim.data.dataset import Dataset
from tradesim.data.observation import FULL_YEAR, Observation, product_words
from tradesim.output import Collection, Result, Rows
from tradesim.quantities import format_money

if TYPE_CHECKING:
    import pandas as pd

# the reporter's flow and the partner's flow that count the same goods
PAIRS = (("total", "total"), ("export", "import"), ("import", "export"))


@dataclass(frozen=True)
class MirrorRow:
    year: int
    flow: str  # as the reporter sees it
    reported: Observation | None  # the reporter's figure
    mirror: Observation | None  # the partner's figure for the same trade

    @property
    def ratio(self) -> float | None:
        """The reporter's figure over the partner's."""
        if self.reported is None or self.mirror is None or self.mirror.amount == 0:
            return None
        return self.reported.amount / self.mirror.amount


@dataclass(frozen=True, eq=False)
class Mirror(Collection[MirrorRow], Result):
    """Both sides of a pair, year by year and flow by flow, in ``currency``."""

    reporter: str
    partner: str
    currency: str
    product: str = ""  # "HS 8542": the same commodity on both sides ("": all goods)

    @property
    def title(self) -> str:
        what = f" {self.product}" if self.product else ""
        return f"{self.reporter}–{self.partner}{what} trade as each side reports it, {self.currency}"

    def records(self) -> list[dict[str, Any]]:
        return [
            {
                "year": r.year,
                "flow": r.flow,
                "currency": self.currency,
                "reported": r.reported.amount if r.reported else None,
                "reported_by": self.reporter,
                "mirror": r.mirror.amount if r.mirror else None,
                "mirror_by": self.partner,
                "ratio": r.ratio,
                "reported_source": r.reported.provenance() if r.reported else None,
                "mirror_source": r.mirror.provenance() if r.mirror else None,
            }
            for r in self
        ]

    def to_json(self) -> dict[str, Any]:
        return {
            "reporter": self.reporter,
            "partner": self.partner,
            "currency": self.currency,
            **({"commodity": self.product} if self.product else {}),  # absent: all goods
            "rows": self.records(),
        }

    def frame(self) -> pd.DataFrame:
        import pandas as pd

        flat = [{k: v for k, v in r.items() if not k.endswith("_source")} for r in self.records()]
        return pd.DataFrame(flat).set_index("year")

    def rows(self) -> Rows:
        def show(o: Observation | None) -> str:
            if o is None:
                return "—"
            converted = " *" if o.fx else ""
            return f"{format_money(o.amount, self.currency, 2)}{converted} ({o.status})"

        mirrored = {"total": "total", "export": "import", "import": "export"}
        return [
            {
                "year": str(r.year),
                "flow": r.flow,
                f"{self.reporter} reports": show(r.reported),
                f"{self.partner}'s flow": mirrored[r.flow],
                f"{self.partner} reports": show(r.mirror),
                "ratio": f"×{r.ratio:.2f}" if r.ratio is not None else "—",
            }
            for r in self
        ]

    def notes(self) -> list[str]:
        """Each conversion, marked * in the table."""
        return sorted(
            {
                f"* {o.origin if o.origin != 'shipped' else o.source}: {o.fx}"
                for r in self
                for o in (r.reported, r.mirror)
                if o is not None and o.fx
            }
        )


def mirror(
    data: Dataset, reporter: str, partner: str, *, currency: str = "USD", commodity: str | None = None
) -> Mirror:
    """Every year and flow for which either side reports a full-year figure (the selection rule picks each);
    with ``commodity`` (``27``, ``HS:27``), that product's figures on both sides, in one classification family."""
    code, family = data.product(reporter, partner, commodity)
    years = sorted(
        {
            o.year
            for a, b in ((reporter, partner), (partner, reporter))
            for o in data.select(
                kind="trade", reporter=a, partner=b, period=FULL_YEAR, commodity=code, family=family
            )
        }
    )
    rows = []
    for year in years:
        for flow, seen_from_partner in PAIRS:
            reported = data.pick(
                reporter=reporter,
                partner=partner,
                year=year,
                flow=flow,
                currency=currency,
                full_year_only=True,
                commodity=code,
                family=family,
            )
            mirrored = data.pick(
                reporter=partner,
                partner=reporter,
                year=year,
                flow=seen_from_partner,
                currency=currency,
                full_year_only=True,
                commodity=code,
                family=family,
            )
            if reported is not None or mirrored is not None:
                rows.append(MirrorRow(year, flow, reported, mirrored))
    return Mirror(rows, reporter, partner, currency, product_words((code, family)))
