"""Charts with matplotlib (the optional extra ``tradesim-bilateral[plot]``): paths, simulation fans, tornado bars,
backtests.

Each function writes one file (PNG or SVG, by the suffix) and returns its path. Every chart has a title, units
on its axes and a source line.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from contextvars import ContextVar
from pathlib import Path
from typing import Any

from tradesim import model
from tradesim.atomic import check_destination
from tradesim.backtest import Backtest
from tradesim.codes import country_name
from tradesim.errors import InputError
from tradesim.montecarlo import SimulationResult
from tradesim.quantities import format_money, format_percent
from tradesim.report import ScenarioResult
from tradesim.sensitivity import Tornado

SUFFIXES = (".png", ".svg")
SOURCE = "Source: tradesim; each reporter's own statistics (period, status, source: `tradesim data`)"


def _pyplot() -> Any:
    try:
        import matplotlib
    except ImportError:
        raise InputError("plotting needs matplotlib: pip install 'tradesim-bilateral[plot]'") from None
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _text(label: str) -> str:
    """Escape ``$`` so matplotlib does not read ``$94.0B … $156.6B`` as mathematics."""
    return label.replace("$", r"\$")


def _short(label: str, width: int = 44) -> str:
    return label if len(label) <= width else label[: width - 1] + "…"


_SCALE: ContextVar[float] = ContextVar("figure_scale", default=1.0)


def _source_room(fig: Any) -> float:
    """The share of the figure's height left at the bottom for the source line (two lines when it wraps)."""
    return min(0.2, 0.38 / float(fig.get_size_inches()[1]))


def _figsize(width: float, height: float) -> tuple[float, float]:
    """A figure's size in inches, times the scale a page asks for (:func:`inline_svg`)."""
    scale = _SCALE.get()
    return width * scale, height * scale


def _encode(fig: Any, kind: str) -> bytes:
    """The figure, with its source line, as PNG or SVG bytes (no date or creator metadata: the same figure
    gives the same bytes), and closed."""
    import io

    plt = _pyplot()
    buffer = io.BytesIO()
    fig.text(0.01, 0.01, SOURCE, fontsize="small", color="0.35", wrap=True)
    metadata = {"Date": None, "Creator": None, "Format": None, "Type": None} if kind == "svg" else None
    try:
        fig.savefig(buffer, format=kind, dpi=120, metadata=metadata)
    finally:
        plt.close(fig)
    return buffer.getvalue()


def _save(fig: Any, output: Path) -> Path:
    from tradesim.atomic import write_bytes_atomic

    write_bytes_atomic(output, _encode(fig, output.suffix.lower()[1:]))
    return output


# the attributes of matplotlib's SVG that name an id or point at one
_ID = re.compile(r'(\bid=")([^"]+)(")|(url\(#)([^)]+)(\))|((?:xlink:)?href="#)([^"]+)(")')


def inline_svg(draw: Any, *args: Any, prefix: str, font_size: float = 13, scale: float = 1.0) -> str:
    """The ``<svg>`` element of ``draw(*args)`` (one of the ``*_figure`` functions), drawn in memory for a page:
    text as text (``svg.fonttype = none``) at ``font_size`` points on a figure ``scale`` times its usual size
    (a page that shrinks a chart to a phone's width draws it smaller, so that its text stays legible), and
    every id prefixed with ``prefix`` so that several charts on one page never share an id."""
    plt = _pyplot()
    token = _SCALE.set(scale)
    try:
        with plt.rc_context({"font.size": font_size, "svg.fonttype": "none", "svg.hashsalt": prefix}):
            text = _encode(draw(*args), "svg").decode("utf-8")
    finally:
        _SCALE.reset(token)
    element = text[text.index("<svg") :]

    def rename(match: re.Match[str]) -> str:
        groups = [g for g in match.groups() if g is not None]
        return f"{groups[0]}{prefix}-{groups[1]}{groups[2]}"

    return _ID.sub(rename, element)


def legs(result: ScenarioResult, output: Path) -> Path:
    """A scenario's product legs stacked (billions of its currency) by year: their sum is the pair's trade; the
    target as a dashed line."""
    check_destination(output, suffixes=SUFFIXES)
    return _save(legs_figure(result), output)


def legs_figure(result: ScenarioResult) -> Any:
    """The figure :func:`legs` saves."""
    if not result.projection.legs:
        raise InputError(f"plot legs: scenario {result.scenario.name!r} has no product legs ([[legs]])")
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=_figsize(9, 5.2))
    p, s = result.projection, result.scenario
    names = [b.name for b in p.baseline.legs]
    ax.stackplot(p.years, *(values / 1e9 for values in p.legs.values()), labels=names, alpha=0.85)
    ax.axhline(result.target / 1e9, color="black", linestyle="--", linewidth=1)
    ax.annotate(
        _text(f"target {format_money(result.target, s.currency)}"),
        (p.years[0], result.target / 1e9),
        textcoords="offset points",
        xytext=(2, 4),
        fontsize="small",
    )
    ax.set_title(
        _text(f"{s.name}: {country_name(s.reporter)}–{country_name(s.partner)} trade by product"),
        wrap=True,
    )  # the legs add up to the pair: said in the caption
    ax.set_xlabel("year")
    ax.set_ylabel(f"billion {s.currency} per year")
    ax.set_ylim(0, max(result.target, float(p.bilateral.max())) / 1e9 * 1.12)
    ax.legend(loc="lower right", fontsize="small", framealpha=0.9)
    ax.grid(alpha=0.3)
    fig.subplots_adjust(bottom=0.16)
    return fig


def paths(results: Sequence[ScenarioResult], output: Path) -> Path:
    """Each scenario's bilateral trade (billions of its currency) by year, the target line, and full-year
    actuals as points."""
    check_destination(output, suffixes=SUFFIXES)
    return _save(paths_figure(results), output)


def paths_figure(results: Sequence[ScenarioResult]) -> Any:
    """The figure :func:`paths` saves."""
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=_figsize(9, 5.2))
    for r in results:
        p = r.projection
        ax.plot(p.years, p.bilateral / 1e9, marker="o", markersize=3, linewidth=1.6, label=r.scenario.name)
    targets = sorted({(r.target, r.scenario.currency) for r in results})
    for target, currency in targets:
        ax.axhline(target / 1e9, color="black", linestyle="--", linewidth=1)
        ax.annotate(
            _text(f"target {format_money(target, currency)}"),
            (results[0].projection.years[-1], target / 1e9),
            textcoords="offset points",
            xytext=(-2, -12),  # under the line at the right: clear of the legend at the top left
            ha="right",
            fontsize="small",
        )
    years = range(
        int(min(r.projection.years[0] for r in results)),
        int(max(r.projection.years[-1] for r in results)) + 1,
    )
    data = results[0].projection.data  # one evaluate() call: one dataset
    pairs = list(
        dict.fromkeys(
            (
                r.scenario.reporter,
                r.scenario.partner,
                r.scenario.currency,
                *model.product_of(r.scenario, data),
            )
            for r in results
        )
    )
    for (reporter, partner, currency, code, family), colour in zip(
        pairs, ("crimson", "darkorange", "purple", "brown"), strict=False
    ):
        actuals = [
            (y, o)
            for y in years
            if (o := data.actual(reporter, partner, y, currency=currency, commodity=code, family=family))
            is not None
        ]
        if actuals:
            ax.scatter(
                [y for y, _ in actuals],
                [o.amount / 1e9 for _, o in actuals],
                color=colour,
                zorder=5,
                label=f"actual {country_name(reporter)}–{country_name(partner)} (full year, "
                f"{country_name(reporter)}'s statistics)"
                if len(pairs) > 1
                else f"actual (full year, {country_name(reporter)}'s statistics)",
            )
    currencies = {pair[2] for pair in pairs}
    named = {model.product_name(r.scenario, r.projection.baseline) for r in results}
    what = f" {named.pop()}" if len(named) == 1 and "" not in named else ""
    pair = (
        f"{country_name(pairs[0][0])}–{country_name(pairs[0][1])}{what}"
        if len({p[:2] for p in pairs}) == 1
        else "Bilateral"
    )  # names, not codes: a chart is read by people who never open a terminal
    ax.set_title(
        f"{pair} trade: scenarios against {'the target' if len(targets) == 1 else 'their targets'}", wrap=True
    )
    ax.set_xlabel("year")
    unit = f"billions of {currencies.pop()}" if len(currencies) == 1 else "billions, each scenario's currency"
    ax.set_ylabel(f"{unit}, current prices")
    ax.grid(alpha=0.3)
    ax.legend(fontsize="small", loc="best")  # where it covers the fewest points
    fig.tight_layout(rect=(0, _source_room(fig), 1, 1))
    return fig


def fan(simulations: Sequence[SimulationResult], output: Path) -> Path:
    """The 5–95 and 25–75 percentile bands and the median of simulated bilateral trade, one panel a scenario."""
    check_destination(output, suffixes=SUFFIXES)
    return _save(fan_figure(simulations), output)


def fan_figure(simulations: Sequence[SimulationResult]) -> Any:
    """The figure :func:`fan` saves: a panel per scenario, all on one y scale (the panels compare at a glance).
    The scale is set by the 25–75 band and the target, so that one scenario's long upper tail does not flatten
    the others: a 95th percentile above it is clipped, marked ▲ at the top, and its highest value written."""
    plt = _pyplot()
    fig, axes = plt.subplots(
        len(simulations), 1, figsize=_figsize(9, 1.6 + 3.6 * len(simulations)), squeeze=False, sharex=True
    )
    bands = [{p: v / 1e9 for p, v in sim.bilateral_percentiles.items()} for sim in simulations]
    top = 1.3 * max(
        max(float(q[75].max()), sim.target / 1e9) for q, sim in zip(bands, simulations, strict=True)
    )
    for ax, sim, q in zip(axes[:, 0], simulations, bands, strict=True):
        ax.fill_between(sim.years, q[5], q[95], alpha=0.2, color="tab:blue", label="5–95th percentile")
        ax.fill_between(sim.years, q[25], q[75], alpha=0.35, color="tab:blue", label="25–75th percentile")
        ax.plot(sim.years, q[50], color="tab:blue", linewidth=1.8, label="median")
        ax.axhline(
            sim.target / 1e9,
            color="black",
            linestyle="--",
            linewidth=1,
            label=_text(f"target {format_money(sim.target, sim.currency)}"),
        )
        ax.set_ylim(0, top)
        over = q[95] > top
        if over.any():
            ax.plot(
                sim.years[over], [top] * int(over.sum()), linestyle="none", marker="^", color="tab:blue",
                clip_on=False, label="95th percentile above the scale",
            )  # fmt: skip
            ax.annotate(
                _text(f"95th up to {format_money(float(q[95].max()) * 1e9, sim.currency)}"),
                (float(sim.years[-1]), top),
                textcoords="offset points",
                xytext=(-4, -12),
                ha="right",
                fontsize="small",
            )
        by_end = format_percent(float(sim.p_reached_by[-1]))
        ax.set_title(
            f"{sim.scenario}{f' ({sim.product} trade)' if sim.product else ''}: "
            f"reached by {int(sim.years[-1])} in {by_end} of {sim.runs:,} runs (seed {sim.seed})",
            fontsize="medium",
            wrap=True,
        )
        ax.set_ylabel(f"billions of {sim.currency}")
        ax.grid(alpha=0.3)
    handles, labels = {}, []
    for ax in axes[:, 0]:  # one legend for every panel, under the title: no panel's data is covered
        for handle, label in zip(*ax.get_legend_handles_labels(), strict=True):
            if label not in handles:
                handles[label] = handle
                labels.append(label)
    axes[-1, 0].set_xlabel("year")
    height = fig.get_size_inches()[1]
    fig.suptitle("Simulated bilateral trade: percentile fan", fontsize="large", y=1 - 0.08 / height)
    fig.legend(
        [handles[label] for label in labels], labels, loc="upper center", ncol=2, fontsize="small",
        bbox_to_anchor=(0.5, 1 - 0.36 / height), frameon=False,
    )  # fmt: skip
    # the top of the layout leaves the title and the legend their lines (inches, whatever the figure's height)
    fig.tight_layout(rect=(0, _source_room(fig), 1, 1 - 1.2 / height))
    return fig


def tornado(result: Tornado, output: Path) -> Path:
    """Horizontal bars: the share at the horizon with each input moved down and up, largest swing on top."""
    check_destination(output, suffixes=SUFFIXES)
    return _save(tornado_figure(result), output)


def tornado_figure(result: Tornado) -> Any:
    """The figure :func:`tornado` saves."""
    plt = _pyplot()
    swings = [s for s in result.swings if not (math.isnan(s.share_low) or math.isnan(s.share_high))][:12][
        ::-1
    ]
    fig, ax = plt.subplots(figsize=_figsize(9, 1.2 + 0.5 * max(len(swings), 1)))
    base = result.share_at_horizon * 100
    for i, s in enumerate(swings):
        low, high = s.share_low * 100, s.share_high * 100
        ax.barh(
            i, low - base, left=base, color="tab:red", alpha=0.7, label="input moved down" if i == 0 else None
        )
        ax.barh(
            i,
            high - base,
            left=base,
            color="tab:green",
            alpha=0.7,
            label="input moved up" if i == 0 else None,
        )
    ax.set_yticks(range(len(swings)))
    ax.set_yticklabels(
        [
            _text(
                f"{_short(s.input)}\n{s.format_value(s.low, result.currency)} … "
                f"{s.format_value(s.high, result.currency)}"
            )
            for s in swings
        ],
        fontsize="small",
    )
    ax.axvline(base, color="black", linewidth=1)
    ax.set_xlabel(f"{result.partner}'s share of {result.reporter}'s total trade in {result.horizon}, %")
    ax.set_title(
        f"{result.scenario}{f' ({result.product} trade)' if result.product else ''}: what moves the share at "
        f"{result.horizon} (base {format_percent(result.share_at_horizon)})"
    )
    ax.grid(axis="x", alpha=0.3)
    ax.legend(fontsize="small", loc="lower right")
    fig.tight_layout(rect=(0, _source_room(fig), 1, 1))
    return fig


def backtest(result: Backtest, output: Path) -> Path:
    """The actual path, and the projection made from each past origin fanning out from it."""
    check_destination(output, suffixes=SUFFIXES)
    return _save(backtest_figure(result), output)


def backtest_figure(result: Backtest) -> Any:
    """The figure :func:`backtest` saves."""
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=_figsize(9, 5.2))
    years = sorted(result.actuals)
    runs: list[list[int]] = []  # consecutive years: a gap in the data is not drawn as a line
    for year in years:
        if runs and year == runs[-1][-1] + 1:
            runs[-1].append(year)
        else:
            runs.append([year])
    for i, run in enumerate(runs):
        ax.plot(
            run,
            [result.actuals[y] / 1e9 for y in run],
            color="black",
            marker="o",
            linewidth=1.8,
            label=f"actual (full year, {result.reporter} statistics; gaps: no figure)" if i == 0 else None,
        )
    by_origin: dict[int, list[tuple[int, float]]] = {}
    for forecast in result.forecasts:
        by_origin.setdefault(forecast.origin, []).append(
            (forecast.origin + forecast.horizon, forecast.forecast)
        )
    colours = plt.get_cmap("viridis")
    for i, (origin, ahead) in enumerate(sorted(by_origin.items())):
        path = [(origin, result.actuals[origin]), *sorted(ahead)]
        ax.plot(
            [y for y, _ in path],
            [v / 1e9 for _, v in path],
            color=colours(i / max(len(by_origin) - 1, 1)),
            linestyle="--",
            linewidth=1.1,
            label="projected from that year, with what was known then" if i == 0 else None,
        )
    ax.set_title(
        f"{result.reporter}–{result.partner}{f' {result.product}' if result.product else ''}: projections "
        f"({result.method}) from each past year against the actuals"
    )
    ax.set_xlabel("year")
    ax.set_ylabel("bilateral trade, billions of USD")
    ax.grid(alpha=0.3)
    ax.legend(fontsize="small", loc="lower right")
    fig.tight_layout(rect=(0, _source_room(fig), 1, 1))
    return fig
