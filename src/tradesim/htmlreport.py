"""`tradesim report`: one self-contained HTML page with the question, the tables, the charts, the sources
and the caveats — no script, no stylesheet or image fetched at view time (charts are inline SVG from the
same code as ``tradesim plot``), readable on a phone and printable from the browser.
"""

from __future__ import annotations

import html
import re
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from tradesim import __version__
from tradesim.quantities import format_money, format_percent

STYLE = """
body{font:15px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:0 auto;max-width:72rem;padding:1rem;color:#1a1a1a}
h1{font-size:1.5rem;margin:.3rem 0 .8rem}h2{font-size:1.15rem;margin:1.6rem 0 .5rem;border-bottom:1px solid #ddd}
table{border-collapse:collapse;margin:.4rem 0;font-size:.9rem}th,td{padding:.25rem .55rem;border-bottom:1px solid #e5e5e5;text-align:left;vertical-align:top}
th{background:#f4f4f4}td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}.scroll{overflow-x:auto}
caption{text-align:left;font-weight:600;padding:.2rem 0}figure{margin:.6rem 0}figure svg{max-width:100%;height:auto}figcaption{font-size:.85rem;color:#444}
.unverified{color:#a40000;font-weight:600}.note{background:#fff8e1;border-left:3px solid #f0b400;padding:.35rem .6rem;margin:.3rem 0;font-size:.9rem}
.holds{color:#116611;font-weight:600}.fails{color:#a40000;font-weight:600}code{background:#f4f4f4;padding:0 .2rem}
@media print{body{max-width:none}.scroll{overflow:visible}h2{break-after:avoid}figure,table{break-inside:avoid}}
"""


# a cell that is one figure (a year, an amount, a percentage, perhaps with a year after it): right-aligned
NUMBER = re.compile(r"^[−+\-]?[$€£]?[\d.,]+[BMkT%]?(?:/yr)?(?: \(\d{4}\))?$")


def _esc(value: object) -> str:
    return html.escape(str(value), quote=True)


def table(rows: Sequence[dict[str, Any]], caption: str = "") -> str:
    """A real table: a caption, header cells with scope; a column whose every cell is one figure right-aligned
    (a column mixing figures and words, like `growth`, stays left-aligned so it reads as one column)."""
    if not rows:
        return "<p>—</p>"
    columns = list(rows[0])
    numeric = {
        c
        for c in columns
        if c not in ("scenario", "partner", "pair")
        and all(NUMBER.match(str(row.get(c, ""))) or str(row.get(c, "")) in ("", "—") for row in rows)
    }
    head = "".join(
        f'<th scope="col" class="n">{_esc(c)}</th>' if c in numeric else f'<th scope="col">{_esc(c)}</th>'
        for c in columns
    )
    body = []
    for row in rows:
        cells = [
            f'<td class="n">{_esc(row.get(c, ""))}</td>'
            if c in numeric
            else f"<td>{_esc(row.get(c, ''))}</td>"
            for c in columns
        ]
        body.append("<tr>" + "".join(cells) + "</tr>")
    cap = f"<caption>{_esc(caption)}</caption>" if caption else ""
    return f'<div class="scroll"><table>{cap}<thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table></div>'


def inline_svg(draw: Any, *args: Any) -> str:
    """Run a ``tradesim.plot`` function into a temporary SVG and return the ``<svg>`` element itself."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "chart.svg"
        draw(*args, path)
        text = path.read_text(encoding="utf-8")
    return text[text.index("<svg") :]


def figure(svg: str, title: str, description: str) -> str:
    """A chart with a title and a text alternative (``role="img"`` and ``aria-label`` on the SVG)."""
    labelled = svg.replace("<svg", f'<svg role="img" aria-label="{_esc(title + ". " + description)}"', 1)
    return f"<figure>{labelled}<figcaption><strong>{_esc(title)}.</strong> {_esc(description)}</figcaption></figure>"


def reach_year_quantile(distribution: dict[str, float], q: float, horizon: int) -> str:
    """The first year by which at least ``q`` of the paths have reached the target, from ``{"2027": p, ...,
    "never": p}``; "not by HORIZON" when fewer than ``q`` reach it within the horizon."""
    years = sorted((int(k), p) for k, p in distribution.items() if k != "never")
    cumulative = 0.0
    for year, p in years:
        cumulative += p
        if cumulative >= q - 1e-12:
            return str(year)
    return f"not by {horizon}"


def sources_table(results: Sequence[Any]) -> str:
    """Every observation a number on the page rests on: baselines and actuals, with period and status."""
    seen: dict[tuple[object, ...], Any] = {}
    for r in results:
        base = r.projection.baseline
        for what, o in (("bilateral baseline", base.bilateral_source), ("total trade", base.total_source)):
            if o is not None:
                seen.setdefault((o.origin, o.key, o.value), (what, o))
        for o in r.projection.actuals.values():
            seen.setdefault((o.origin, o.key, o.value), ("actual", o))
    rows = []
    for what, o in seen.values():
        flagged = o.status in ("unverified", "approximate", "derived")
        rows.append(
            {
                "used as": what,
                "figure": f"{format_money(o.amount, o.currency)} ({o.year} {o.period})",
                "status": o.status.upper() if o.status == "unverified" else o.status,
                "whose statistics": o.reported_by,
                "source": o.source,
                "where": o.url or o.origin,
                "flag": "check before quoting" if flagged else "",
            }
        )
    return table(rows, "Every figure the projections rest on")


def render(
    results: Sequence[Any],
    *,
    command: str,
    verdicts: Sequence[Any] = (),
    tracked: Sequence[Any] = (),
    simulations: Sequence[Any] = (),
    notes: Sequence[str] = (),
) -> str:
    """The page, as one HTML string."""
    from tradesim import check, plot, report

    title = report.title(results)
    first = results[0].scenario
    currency = first.currency
    parts: list[tuple[str, str]] = []
    question = (
        f"<p>{_esc(first.reporter)}–{_esc(first.partner)} trade, base year {first.base_year}, in {_esc(currency)}: "
        f"when is the target reached under each scenario, what growth would it take, and what share of "
        f"{_esc(first.reporter)}'s total trade is it then?</p>"
    )
    parts.append(("The question", question))
    parts.append(("Summary", table(report.summary_display(results), title)))
    reached = "; ".join(
        f"{r.scenario.name}: {r.reached_year or 'not by ' + str(r.scenario.horizon_year)}" for r in results
    )
    parts.append(
        (
            "Paths against the target",
            figure(
                inline_svg(plot.paths, results),
                title,
                f"Projected bilateral trade by year for each scenario, the target as a dashed line and full-year "
                f"actuals as points. Year the target is reached — {reached}.",
            ),
        )
    )
    if simulations:
        sim = simulations[0]
        rows = [
            {
                "scenario": s.scenario,
                f"P(reached by {int(s.years[-1])})": format_percent(float(s.p_reached_by[-1])),
                "5th percentile year": reach_year_quantile(
                    s.reached_year_distribution, 0.05, int(s.years[-1])
                ),
                "median year": reach_year_quantile(s.reached_year_distribution, 0.5, int(s.years[-1])),
                "95th percentile year": reach_year_quantile(
                    s.reached_year_distribution, 0.95, int(s.years[-1])
                ),
            }
            for s in simulations
        ]
        parts.append(
            (
                "Uncertainty",
                figure(
                    inline_svg(plot.fan, simulations),
                    "Simulated bilateral trade: percentile fan",
                    f"5–95 and 25–75 percentile bands and the median of {sim.runs:,} simulated paths (seed "
                    f"{sim.seed}) for each scenario.",
                )
                + table(rows, "The year the target is first reached, across the simulated paths"),
            )
        )
    if verdicts:
        rows = [
            {
                "scenario": v.scenario,
                "verdict": "holds" if v.holds else "does not hold",
                "claim": f"“{v.claim.quote}” ({v.claim.source})" if v.claim.source else f"“{v.claim.quote}”",
                "what": v.what,
                "claimed": v.claimed,
                "computed": v.computed_text,
                "would hold if": v.would_hold_if,
            }
            for v in verdicts
        ]
        parts.append(("Claims audit", table(rows, "The scenarios' [[claims]]")))
    if tracked:
        rows = [
            {
                "partner": t.partner,
                "target": format_money(t.value, t.currency),
                "by": "—" if t.year is None else f"{t.year}{' (assumed)' if t.year_assumed else ''}",
                "latest": "—"
                if t.latest_actual is None
                else f"{format_money(t.latest_actual.amount, t.currency)} ({t.latest_actual.year})",
                "required": "—"
                if t.required_growth is None
                else format_percent(t.required_growth, 1, signed=True),
                "P(reach)": "—" if t.p_reach is None else format_percent(t.p_reach, 0),
                "status": t.status,
            }
            for t in tracked
        ]
        parts.append(
            (f"{first.reporter}'s announced targets", table(rows, "Every announced target, tracked"))
        )
    parts.append(("Sources", sources_table(results)))
    if notes:
        parts.append(("Caveats", "".join(f'<p class="note">{_esc(n)}</p>' for n in notes)))
    hashes = [
        {"scenario": r.scenario.name, "scenario sha256": check.scenario_hash(r.scenario)[:16]}
        for r in results
    ]
    reproduce = (
        f"<p><code>{_esc(command)}</code></p><p>tradesim {_esc(__version__)}; data sha256 "
        f"<code>{_esc(results[0].projection.data.digest[:16])}</code></p>"
        + table(hashes, "Scenario hashes (first 16 characters)")
    )
    parts.append(("Reproduce", reproduce))
    body = "".join(f"<section><h2>{_esc(h)}</h2>{content}</section>" for h, content in parts)
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        f"<title>{_esc(title)}</title><style>{STYLE}</style></head>"
        f"<body><header><h1>{_esc(title)}</h1><p>tradesim report</p></header><main>{body}</main></body></html>\n"
    )
