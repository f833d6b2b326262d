"""`tradesim report`: one self-contained HTML page that answers first — what the latest figures say about the
target, on each side's statistics — then the projections, the uncertainty, the claims checked, the sources
and the caveats. No script, no stylesheet or image fetched at view time (charts are inline SVG drawn in memory
by the same code as ``tradesim plot``, every id unique on the page); tables reflow into labelled rows on a
phone; printable from the browser.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from typing import Any

from tradesim import __version__
from tradesim.codes import country_name
from tradesim.data.observation import period_words
from tradesim.quantities import format_money, format_percent

NARROW = "40rem"  # below this width tables become labelled rows
# Charts scale to the column's width (SVG viewBox, width 100%), drawn at CHART_SCALE of the plot command's size
# with CHART_FONT-point text: on a 390-px phone (a 358-px column) the smallest text, matplotlib's "small"
# (0.833 of the font), is then 0.833 × 14.5 × 358 / (648 × 0.72) = 9.3 CSS px (a test measures it)
CHART_SCALE = 0.72
CHART_FONT = 14.5

STYLE = (
    """
body{font:15px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:0 auto;max-width:72rem;padding:1rem;color:#1a1a1a}
h1{font-size:1.5rem;margin:.3rem 0 .8rem}h2{font-size:1.15rem;margin:1.6rem 0 .5rem;border-bottom:1px solid #ddd}
.lead{font-size:1.05rem}.answer{background:#eef6ee;border-left:4px solid #2d7a2d;padding:.5rem .8rem}
table{border-collapse:collapse;margin:.4rem 0;font-size:.9rem}th,td{padding:.25rem .55rem;border-bottom:1px solid #e5e5e5;text-align:left;vertical-align:top}
th{background:#f4f4f4}td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
.scroll{overflow-x:auto;background:linear-gradient(to right,#fff 30%,rgba(255,255,255,0)) left/2rem 100% no-repeat local,linear-gradient(to left,#fff 30%,rgba(255,255,255,0)) right/2rem 100% no-repeat local,radial-gradient(farthest-side at 0 50%,rgba(0,0,0,.25),rgba(0,0,0,0)) left/.8rem 100% no-repeat scroll,radial-gradient(farthest-side at 100% 50%,rgba(0,0,0,.25),rgba(0,0,0,0)) right/.8rem 100% no-repeat scroll}
.scroll:focus-visible{outline:2px solid #1f5fbf;outline-offset:2px}
caption{text-align:left;font-weight:600;padding:.2rem 0}figure{margin:.6rem 0}figure svg{display:block;width:100%;max-width:40rem;height:auto}figcaption{font-size:.9rem;color:#333}
.unverified{color:#a40000;font-weight:600}.note{background:#fff8e1;border-left:3px solid #f0b400;padding:.35rem .6rem;margin:.3rem 0;font-size:.9rem}
code{background:#f4f4f4;padding:0 .2rem;overflow-wrap:anywhere}
.sources{padding-left:1.4rem}.sources li{margin:.55rem 0;overflow-wrap:anywhere}.sources p{margin:.1rem 0}
.sources .meta{font-size:.9rem;color:#333}.flag{color:#8a1c00;font-weight:600;font-size:.9rem}
@page{margin:14mm}
"""
    + f"@media (max-width:{NARROW})"
    + """{
table.reflow,table.reflow tbody,table.reflow tr,table.reflow td,table.reflow caption{display:block}
table.reflow thead{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%)}
table.reflow tr{border-bottom:1px solid #bbb;padding:.3rem 0}table.reflow td{border:0;padding:.1rem 0;text-align:left}
table.reflow td::before{content:attr(data-label) ": ";font-weight:600}
}
@media print{body{max-width:none;font-size:11pt}.scroll{overflow:visible;background:none}h2{break-after:avoid}
figure,table,tr,.sources li,.note{break-inside:avoid}
a{color:inherit;text-decoration:none}}
"""
)

# a cell that is one figure (a year, an amount, a percentage, perhaps with a year after it): right-aligned
NUMBER = re.compile(r"^[−+\-]?[$€£]?[\d.,]+[BMkT%]?(?:/yr)?(?: \(\d{4}\))?$")


NUMERIC_CELL = ' class="n"'


def _esc(value: object) -> str:
    return html.escape(str(value), quote=True)


_CODE = re.compile(r"\b[A-Z]{3}\b")
_OPTION = re.compile(r"(?:[:;,] (?:run|rerun|use|give|pass) (?:it )?with --[\w-]+[^;)]*| \(--[\w-]+[^)]*\))")
_KEY_IN_FILE = re.compile(r"\b\w+\[\d+\]\.\w+ in ([\w.-]+)\.toml")


def plain(value: object) -> str:
    """Text for people who never open a terminal: a country's code as its name (``KAZ–ITA`` → ``Kazakhstan–
    Italy``), no command-line option (``: run with --full-year to use it`` goes: the Reproduce box has the
    command), no key path into a scenario file (``legs[0].source in oil-and-rest.toml`` → ``the scenario file
    oil-and-rest``). Currency codes (USD, EUR) stay: they are the unit."""
    from tradesim.codes import area

    text = _OPTION.sub("", str(value))
    text = _KEY_IN_FILE.sub(lambda m: f"the scenario file {m.group(1)}", text)

    def name(match: re.Match[str]) -> str:
        found = area(match.group(0))
        return country_name(match.group(0)) if found is not None and found.is_country else match.group(0)

    return _CODE.sub(name, text)


class _Ids:
    """Ids unique on one page: ``chart-1``, ``chart-2``, ``table-1`` …"""

    def __init__(self) -> None:
        self.counts: dict[str, int] = {}

    def __call__(self, kind: str) -> str:
        self.counts[kind] = self.counts.get(kind, 0) + 1
        return f"{kind}-{self.counts[kind]}"


def table(rows: Sequence[dict[str, Any]], caption: str, ids: _Ids) -> str:
    """A real table: a caption, header cells with scope, every cell labelled with its column for the phone
    layout (labelled rows); a column whose every cell is one figure right-aligned. Its wrapper scrolls
    sideways when the table is wider than the page and can then be scrolled from the keyboard (a focusable
    region named by the caption)."""
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
            f'<td{NUMERIC_CELL if c in numeric else ""} data-label="{_esc(c)}">{_esc(plain(row.get(c, "")))}</td>'
            for c in columns
        ]
        body.append("<tr>" + "".join(cells) + "</tr>")
    name = ids("table")
    return (
        f'<div class="scroll" tabindex="0" role="region" aria-labelledby="{name}"><table class="reflow">'
        f'<caption id="{name}">{_esc(caption)}</caption><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table></div>"
    )


def figure(draw: Any, data: Any, title: str, description: str, ids: _Ids) -> str:
    """A chart drawn in memory as inline SVG with ids of its own, a title and a text alternative
    (``role="img"`` and ``aria-label``), scaled to the column's width with its text legible on a phone."""
    from tradesim import plot

    name = ids("chart")
    svg = plot.inline_svg(draw, data, prefix=name, font_size=CHART_FONT, scale=CHART_SCALE)
    labelled = svg.replace("<svg", f'<svg role="img" aria-label="{_esc(title + ". " + description)}"', 1)
    return (
        f'<figure><div class="chart">'
        f"{labelled}</div><figcaption><strong>{_esc(title)}.</strong> {_esc(description)}</figcaption></figure>"
    )


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


def median_path_year(simulation: Any) -> str:
    """The first year the median path is at or above the target: the model's (the deterministic path) where it
    is the median, else the sample's with its Monte Carlo range (:mod:`tradesim.montecarlo`)."""
    return str(simulation.median_reach_text())


def statistics_of(code: str) -> str:
    """``Kazakhstan's statistics``; the World Bank's for WDI."""
    return "the World Bank's WDI" if code == "WDI" else f"{country_name(code)}'s statistics"


def cited(o: Any) -> str:
    """``$20.0B in 2024 (full year; Tokayev … via news.mail.ru)``: an observation for a reader, its period in
    words, its publication, its status unless reported, and a conversion in short."""
    said = [period_words(o.period), o.source]
    if o.status != "reported":
        said.append(o.status)
    if o.fx:
        said.append(o.fx.split(" (")[0])
    return f"{format_money(o.amount, o.currency)} in {o.year} ({'; '.join(said)})"


def answer(results: Sequence[Any]) -> tuple[str, str]:
    """The page's headline and its first paragraphs: what the latest full-year actuals say about each target,
    on the reporter's statistics with the partner's beside them, before any projection."""
    from tradesim.standing import standing

    heads, paragraphs = [], []
    for s in standing(results):
        reporter, partner = country_name(s.reporter), country_name(s.partner)
        target = format_money(s.target, s.currency)
        if s.reached is not None and s.met_on_rounding and s.latest is not None:
            loose = "an approximate" if s.latest.status == "approximate" else "a rounded"
            head = (
                f"{reporter}–{partner} trade was reported as about {format_money(s.latest.amount, s.currency, 0)} "
                f"in {s.latest.year} on {statistics_of(s.latest.reported_by)}, {loose} statement: the "
                f"{target} target is met on {loose} figure"
            )
            if s.nowcast is not None:
                head += f"; the latest nowcast, {s.nowcast.year}: {format_money(s.nowcast.estimate, s.currency, 2)}"
            heads.append(head)
            text = (
                f"On {statistics_of(s.reached.reported_by)}, trade between {reporter} and {partner} was "
                f"{cited(s.reached)}: the {target} target was met in {s.reached.year}, on a figure "
                f"given to within {format_money(s.latest.tolerance(), s.currency)}."
            )
            if s.nowcast is not None:
                now = s.nowcast
                interval = f"{format_money(now.low, s.currency, 2)}–{format_money(now.high, s.currency, 2)}"
                text += (
                    f" The latest part-year figure, {format_money(now.partial.amount, s.currency)} for "
                    f"{period_words(now.partial.period)} {now.year}, points to "
                    f"{format_money(now.estimate, s.currency, 2)} for the full year ({interval}"
                    + (
                        ", a 90% interval calibrated on past nowcasts)."
                        if now.calibrated
                        else f"; too few past nowcasts to check that range: {now.record[1]} of "
                        f"{now.record[0]} held, so read it as a lower bound on the uncertainty)."
                    )
                )
            if s.latest is not None and s.latest.year > s.reached.year:
                text += f" The latest full year: {cited(s.latest)}."
        elif s.reached is not None:
            heads.append(
                f"{reporter}–{partner} trade reached {format_money(s.reached.amount, s.currency)} in "
                f"{s.reached.year} on {statistics_of(s.reached.reported_by)}: the {target} target is met"
            )
            text = (
                f"On {statistics_of(s.reached.reported_by)}, trade between {reporter} and {partner} was "
                f"{cited(s.reached)}: the {target} target was met in "
                f"{s.reached.year}."
            )
            if s.latest is not None and s.latest.year > s.reached.year:
                text += f" The latest full year: {cited(s.latest)}."
        elif s.latest is not None:
            share = format_percent(s.latest.amount / s.target, 0)
            heads.append(
                f"{reporter}–{partner} trade: {format_money(s.latest.amount, s.currency)} in {s.latest.year}, "
                f"{share} of the {target} target"
            )
            text = (
                f"On {statistics_of(s.latest.reported_by)}, trade between {reporter} and {partner} was "
                f"{cited(s.latest)}: {share} of the {target} target, not yet met."
            )
        else:
            heads.append(f"{reporter}–{partner} trade against a {target} target")
            text = (
                f"The data holds no full-year figure of {reporter}–{partner} trade to set against the target."
            )
        if s.partner_latest is not None:
            mirror = s.partner_latest
            text += f" {statistics_of(mirror.reported_by)} count the same trade differently: {cited(mirror)}"
            if s.ratio is not None and s.reporter_then is not None:
                text += (
                    f", when {statistics_of(s.reporter_then.reported_by)} gave "
                    f"{format_money(s.reporter_then.amount, s.currency)}, {s.ratio:.1f} times as much"
                )
            text += (
                ". The two offices value and attribute the same goods differently; the figures are shown side "
                "by side, never added or averaged."
            )
        else:
            text += f" The data holds no full-year figure from {statistics_of(s.partner)} to set beside it."
        paragraphs.append(f'<p class="lead answer">{_esc(text)}</p>')
    return "; ".join(heads), "".join(paragraphs)


def projections_lead(results: Sequence[Any]) -> str:
    """What the projections are, read against the actuals: "had it not been met" when the target was met
    after the base year, "what comes next" otherwise."""
    first = results[0].scenario
    reporter = country_name(first.reporter)
    base = results[0].projection.baseline
    source = base.bilateral_source
    start = f"{format_money(base.bilateral, first.currency)}" + (
        f" ({period_words(source.period)}, {source.source})" if source is not None else " (the scenario file)"
    )
    met = [r.actual_reached_year for r in results if r.actual_reached_year is not None]
    if met:
        when = (
            f"The scenarios start from {first.base_year}, {start}, and do not know the figures after it: read "
            f"them as what each scenario's assumptions implied had the target not been met in {min(met)}, set "
            "against what happened (the points on the chart)."
        )
    else:
        when = (
            f"The scenarios start from {first.base_year}, {start}: they say when the target would be reached "
            "under each assumption, and what comes next."
        )
    return (
        f"<p>{_esc(when)} For each scenario: the year it reaches the target, the growth it assumes, and "
        f"{_esc(country_name(first.partner))}'s share of {_esc(reporter)}'s total trade then.</p>"
    )


def legs_section(result: Any, ids: _Ids) -> str:
    """A scenario's product legs: how each starts (and how firm that is), how it grows, where it ends, and the
    stacked chart; the legs add up to the pair's trade."""
    from tradesim import plot
    from tradesim.summaries import describe_growth

    s, p = result.scenario, result.projection
    end = int(p.years[-1])
    rows = [
        {
            "product": b.name,
            f"{s.base_year}": format_money(b.value, s.currency),
            "how it starts": b.how,
            "growth": describe_growth(b.leg.growth, s.currency)
            + (" (volume) × price" if b.leg.price else ""),
            f"{end}": format_money(float(p.legs[b.leg.commodity][-1]), s.currency),
            "flag": flag(b.leg.status) if b.source is None and b.leg.commodity != "rest" else "",
        }
        for b in p.baseline.legs
    ]
    name = f"{country_name(s.reporter)}–{country_name(s.partner)}"
    return (
        f"<p>{_esc(name)} trade as the sum of its products in {_esc(s.name)}: each grows on its own; a share "
        "stated in the scenario file carries its status.</p>"
        + table(rows, f"{s.name}: the products of the trade", ids)
        + figure(
            plot.legs_figure,
            result,
            f"{s.name}: trade by product",
            f"The products of {name} trade stacked by year in {s.name}, the target as a dashed line: "
            + "; ".join(
                f"{b.name} {format_money(float(p.legs[b.leg.commodity][-1]), s.currency)} in {end}"
                for b in p.baseline.legs
            ),
            ids,
        )
    )


FLAGS = {  # why a figure is to be checked before it is quoted: one rule for every figure on the page
    "unverified": "check before quoting: nobody has confirmed it",
    "approximate": "check before quoting: a rounded statement",
    "estimated": "check before quoting: an estimate",
    "doubtful_unit": "check before quoting: its unit is in doubt",
    "partial": "check before quoting: part of the year",
    "stated": "check before quoting: as stated, not a statistic",
    "derived": "computed here from other figures (the formula in its source)",
}


def flag(status: str, period: str = "FY") -> str:
    """What a reader is told beside a figure of this status (and period); empty for a figure as reported."""
    if period == "FY-as-stated":
        return "check before quoting: the year as stated may not be the full year"
    return FLAGS.get(status, "")


def sources_table(results: Sequence[Any], ids: _Ids) -> str:
    """Every observation a number on the page rests on: baselines, actuals and the partner's figures, by
    publication, with what each covers and its status."""
    from tradesim.standing import standing

    seen: dict[tuple[object, ...], Any] = {}
    for r in results:
        base = r.projection.baseline
        for what, o in (
            ("base year, bilateral", base.bilateral_source),
            ("base year, total trade", base.total_source),
        ):
            if o is not None:
                seen.setdefault((o.origin, o.key, o.value), (what, o))
        for o in r.projection.actuals.values():
            seen.setdefault((o.origin, o.key, o.value), ("what happened", o))
    for s in standing(results):
        if s.partner_latest is not None:
            o = s.partner_latest
            seen.setdefault((o.origin, o.key, o.value), ("the partner's figure", o))
    rows = []
    for (
        r
    ) in results:  # a product leg's share stated in the scenario file: its status and its source, as written
        for b in r.projection.baseline.legs:
            if b.source is None and b.leg.commodity != "rest":
                rows.append(
                    {
                        "used as": f"base year, the {b.name} leg",
                        "figure": f"{format_money(b.value, r.scenario.currency)} ({r.scenario.base_year})",
                        "covers": "the full year",
                        "status": b.leg.status.upper() if b.leg.status == "unverified" else b.leg.status,
                        "whose statistics": "stated in the scenario file",
                        "published in": b.leg.source,
                        "address": f"scenario {r.scenario.name}, legs",
                        "flag": flag(b.leg.status),
                    }
                )
            elif b.source is not None:
                seen.setdefault(
                    (b.source.origin, b.source.key, b.source.value),
                    (f"base year, the {b.name} leg", b.source),
                )
    for what, o in seen.values():
        covers = period_words(o.period)
        if o.period == "FY-as-stated" and o.note:
            covers += f"; {o.note}"
        rows.append(
            {
                "used as": what,
                "figure": f"{format_money(o.amount, o.currency)} ({o.year})",
                "covers": covers,
                "status": o.status.upper() if o.status == "unverified" else o.status,
                "whose statistics": statistics_of(o.reported_by),
                "published in": o.source,
                "address": o.url or ("—" if o.origin == "shipped" else f"your data: {o.origin}"),
                "flag": flag(o.status, o.period),
            }
        )
    return sources_list(rows, "Every figure the page rests on, by publication", ids)


def _link(address: str) -> str:
    """An http(s) address as a link showing its host (the whole address in the link and its title); anything
    else as text. Text from a data file is never markup: escaped, and never a ``javascript:`` link."""
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(address)
    except ValueError:
        return _esc(address)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return _esc(address)
    return f'<a href="{_esc(address)}" title="{_esc(address)}">{_esc(parts.hostname)}</a>'


def sources_list(rows: Sequence[dict[str, str]], caption: str, ids: _Ids) -> str:
    """The sources as a list that fits its column at any width: each figure first, its caution beside it, then
    what it covers and whose statistics it is, then where it was published, the address a link showing its
    host (a long URL never widens the page, and prints as its host)."""
    name = ids("sources")
    items = []
    for row in rows:
        caution = f' <span class="flag">{_esc(row["flag"])}</span>' if row["flag"] else ""
        items.append(
            f"<li><p><strong>{_esc(row['figure'])}</strong>, {_esc(plain(row['used as']))}{caution}</p>"
            f'<p class="meta">Covers {_esc(plain(row["covers"]))} · status {_esc(row["status"])} · '
            f"{_esc(plain(row['whose statistics']))}</p>"
            f'<p class="meta">{_esc(plain(row["published in"]))} — {_link(row["address"])}</p></li>'
        )
    return f'<p id="{name}"><strong>{_esc(caption)}</strong></p><ol class="sources" aria-labelledby="{name}">{"".join(items)}</ol>'


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
    from tradesim import check, plot, summaries

    ids = _Ids()
    title = summaries.title(results, names=country_name)
    first = results[0].scenario
    reporter = country_name(first.reporter)
    headline, lead = answer(results)
    parts: list[tuple[str, str]] = []
    reached = "; ".join(
        f"{r.scenario.name}: {r.reached_year or 'not by ' + str(r.scenario.horizon_year)}" for r in results
    )
    parts.append(
        (
            "What the scenarios projected",
            projections_lead(results)
            + table(summaries.summary_display(results), title, ids)
            + figure(
                plot.paths_figure,
                results,
                title,
                f"Projected bilateral trade by year for each scenario, the target as a dashed line and full-year "
                f"actuals (what happened) as points. Year each projection reaches the target — {reached}.",
                ids,
            ),
        )
    )
    for r in results:
        if r.projection.legs:
            parts.append((f"{r.scenario.name}: the trade by product", legs_section(r, ids)))
    if simulations:
        sim = simulations[0]
        horizon = int(sim.years[-1])
        rows = [
            {
                "scenario": s.scenario,
                f"chance of reaching it by {horizon}": format_percent(float(s.p_reached_by[-1])),
                "year by which 5% of paths have reached it": reach_year_quantile(
                    s.reached_year_distribution, 0.05, horizon
                ),
                "by which half have": reach_year_quantile(s.reached_year_distribution, 0.5, horizon),
                "by which 95% have": reach_year_quantile(s.reached_year_distribution, 0.95, horizon),
                "year the median path reaches it": median_path_year(s),
            }
            for s in simulations
        ]
        parts.append(
            (
                "How uncertain the projections are",
                f"<p>{sim.runs:,} simulated paths per scenario (seed {sim.seed}), each year's growth drawn "
                "around the scenario's assumption. Two different medians: the year by which half the paths "
                "have reached the target at least once, and the year the median path (each year's middle "
                "value) reaches it. Where the model makes its projection the median path (every event certain, "
                "shocks symmetric), that year is the projection's and no seed moves it; elsewhere it is the "
                "sample's, with the range its Monte Carlo error allows. The first is never later than the "
                "second: a path can reach the target and fall back below it.</p>"
                + figure(
                    plot.fan_figure,
                    simulations,
                    "Simulated bilateral trade: percentile fan",
                    f"5–95 and 25–75 percentile bands and the median path of {sim.runs:,} simulated paths "
                    f"(seed {sim.seed}) for each scenario.",
                    ids,
                )
                + table(rows, "When the simulated paths first reach the target", ids),
            )
        )
    if verdicts:
        rows = [
            {
                "scenario": v.scenario,
                "verdict": "holds" if v.holds else "does not hold",
                "claim": f"“{v.claim.quote}” ({v.claim.source})" if v.claim.source else f"“{v.claim.quote}”",
                "what is checked": v.what,
                "claimed": v.claimed,
                "computed": v.computed_text,
                "what would make it hold": v.would_hold_if or "—",
            }
            for v in verdicts
        ]
        parts.append(
            (
                "The claims, checked",
                "<p>Each claim the scenarios quote from the article, set against what the figures give.</p>"
                + table(rows, "Claims quoted by the scenarios, each checked", ids),
            )
        )
    if tracked:
        rows = [
            {
                "partner": country_name(t.partner),
                "target": format_money(t.value, t.currency),
                "by": "—" if t.year is None else f"{t.year}{' (assumed)' if t.year_assumed else ''}",
                "latest": "—"
                if t.latest_actual is None
                else f"{format_money(t.latest_actual.amount, t.currency)} ({t.latest_actual.year})",
                "growth needed": "—"
                if t.required_growth is None
                else format_percent(t.required_growth, 1, signed=True),
                "chance": "—" if t.p_reach is None else format_percent(t.p_reach, 0),
                "status": t.status,
            }
            for t in tracked
        ]
        parts.append(
            (
                f"{reporter}'s announced targets",
                table(rows, f"Every trade target {reporter} has announced, tracked", ids),
            )
        )
    parts.append(("Sources", sources_table(results, ids)))
    if notes:
        parts.append(("Caveats", "".join(f'<p class="note">{_esc(plain(n))}</p>' for n in notes)))
    hashes = [
        {"scenario": r.scenario.name, "scenario sha256": check.scenario_hash(r.scenario)[:16]}
        for r in results
    ]
    reproduce = (
        f"<p>The command that writes this page again: <code>{_esc(command)}</code></p><p>tradesim "
        f"{_esc(__version__)}; data sha256 <code>{_esc(results[0].projection.data.digest[:16])}</code></p>"
        + table(hashes, "Scenario fingerprints (sha256, first 16 characters)", ids)
    )
    parts.append(("Reproduce", reproduce))
    body = "".join(f"<section><h2>{_esc(h)}</h2>{content}</section>" for h, content in parts)
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        f"<title>{_esc(headline)}</title><style>{STYLE}</style></head>"
        f"<body><header><h1>{_esc(headline)}</h1>{lead}</header><main>{body}</main>"
        f"<footer><p>Written by tradesim {_esc(__version__)}.</p></footer></body></html>\n"
    )
