"""Mirror statistics: what each side reports for the same trade, year by year, in one currency.

Kazakhstan's exports to Italy are Italy's imports from Kazakhstan; the two offices count them differently
(valuation CIF/FOB, the country of origin versus consignment, the timing of oil shipments), and for
Kazakhstan–Italy they differ about threefold. The reporter's figure and the partner's are shown side by side —
never added, never averaged — each converted at its year's annual average rate where it is in another currency.
"""

from __future__ import annotations

from dataclasses import dataclass

from tradesim.data.dataset import Dataset
from tradesim.data.observation import Observation

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


def mirror(data: Dataset, reporter: str, partner: str, *, currency: str = "USD") -> list[MirrorRow]:
    """Every year and flow for which either side reports a full-year figure (the selection rule picks each)."""
    years = sorted(
        {
            o.year
            for o in data.observations
            if o.kind == "trade" and o.is_full_year and {o.reporter, o.partner} == {reporter, partner}
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
            )
            mirrored = data.pick(
                reporter=partner,
                partner=reporter,
                year=year,
                flow=seen_from_partner,
                currency=currency,
                full_year_only=True,
            )
            if reported is not None or mirrored is not None:
                rows.append(MirrorRow(year, flow, reported, mirrored))
    return rows
