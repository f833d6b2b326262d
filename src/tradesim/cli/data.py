"""`tradesim data`: the observations with their provenance."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from tradesim.cli import render
from tradesim.cli._app import Boundary
from tradesim.cli.options import (
    TABLES,
    DataDir,
    Output,
    TableFormat,
    check_countries,
    dataset,
    format_option,
)
from tradesim.errors import DataError, InputError
from tradesim.output import Table
from tradesim.quantities import count

data_app = typer.Typer(
    cls=Boundary,
    help="The observations in use, with their provenance; import or fetch official statistics.",
    rich_markup_mode=None,
)


@data_app.callback(invoke_without_command=True)
def data(
    ctx: typer.Context,
    partner: Annotated[
        str | None, typer.Option(help="ISO 3166 alpha-3 partner, e.g. ITA (WLD: the world).")
    ] = None,
    reporter: Annotated[str | None, typer.Option(help="Reporting country, e.g. KAZ.")] = None,
    year: Annotated[int | None, typer.Option(help="Year of the observation.")] = None,
    kind: Annotated[str | None, typer.Option(help="trade, share, target or fx.")] = None,
    flow: Annotated[str | None, typer.Option(help="total, export, import (rate for fx).")] = None,
    status: Annotated[
        str | None, typer.Option(help="reported, approximate, derived, estimated, unverified, ...")
    ] = None,
    period: Annotated[str | None, typer.Option(help="FY, FY-as-stated, jan-nov, h1, ...")] = None,
    reported_by: Annotated[str | None, typer.Option(help="Whose statistics, e.g. KAZ or CHN.")] = None,
    commodity: Annotated[
        str | None,
        typer.Option(help="Only this commodity's code (27, 2709) or TOTAL (all goods); default: every row."),
    ] = None,
    format: Annotated[TableFormat | None, format_option(*TABLES)] = None,
    output: Output = None,
    data_dir: DataDir = None,
    explain: Annotated[
        bool,
        typer.Option(
            "--explain",
            help="With --reporter, --partner and --year (and --flow, --kind, --period): every figure for that "
            "key, which one the selection rule picks and why each other one is not.",
        ),
    ] = False,
) -> None:
    """Print the observations in use (shipped, and your data folder's) with period, status, source and origin.

    `tradesim data import FORMAT FILE --output PATH` turns a download into a data folder's CSV; `tradesim data
    fetch comtrade|wdi` asks the source itself and keeps every answer (`tradesim data vintages`).
    """
    if ctx.invoked_subcommand is not None:
        return
    chosen_format = render.settle(format, output, TABLES)
    from tradesim.data import COLUMNS

    data = dataset(data_dir)
    if explain:
        missing = [
            o for o, v in (("--reporter", reporter), ("--partner", partner), ("--year", year)) if v is None
        ]
        if missing:
            raise InputError(f"--explain: give {', '.join(missing)} (the key whose figures to explain)")
        assert reporter is not None
        assert partner is not None
        assert year is not None
        explained = data.explain(reporter=reporter, partner=partner, year=year, flow=flow or "total",
                                 kind=kind or "trade", period=period)  # fmt: skip
        if not explained:
            raise InputError(
                f"--explain: no {kind or 'trade'} figure for {reporter}–{partner} {flow or 'total'} {year}"
            )
        frame = data.frame([o for o, _ in explained])
        frame["verdict"] = [verdict for _, verdict in explained]
        shown = frame[
            [
                "year",
                "period",
                "value",
                "unit",
                "status",
                "reported_by",
                "published",
                "source",
                "origin",
                "verdict",
            ]
        ]
        listed: list[dict[str, Any]] = shown.astype(str).to_dict("records")  # type: ignore[assignment]
        title = (
            f"{reporter}–{partner} {flow or 'total'} {year}: the selection rule's candidates, the pick first"
        )
        render.emit(Table(title, frame, listed, frame.to_dict("records")), chosen_format, output)
        return
    criteria = {
        "partner": partner,
        "reporter": reporter,
        "year": year,
        "kind": kind,
        "flow": flow,
        "status": status,
        "period": period,
        "reported_by": reported_by,
        "commodity": commodity,
    }
    given = {column: value for column, value in criteria.items() if value is not None}
    # every row, of all goods and of each commodity, unless --commodity names one
    rows = data.select(**{"commodity": None, **given})  # type: ignore[arg-type]  # built only when selected
    if not rows:  # which option matches nothing, among the rows the options before it leave
        before: dict[str, object] = {"commodity": None}
        for column, value in given.items():
            within = data.select(**before) if len(before) > 1 else None  # type: ignore[arg-type]
            known = sorted(
                map(str, data.values(column) if within is None else {getattr(o, column) for o in within})
            )
            if str(value) not in known:
                option = "--" + column.replace("_", "-")
                raise InputError(f"{option}: no observation has {value!r} (known: {', '.join(known)})")
            before[column] = value
    # the table leaves out url, note and published (`--format json`, csv or xlsx have them); origin says
    # which file a row came from. Each form built only for the format that shows it.
    columns: list[str] = [*(c for c in COLUMNS if c not in ("url", "note")), "origin"]
    native = data.records(rows) if chosen_format == "json" else []  # 1.3257 stays 1.3257, "/" stays "/"
    records: list[dict[str, Any]] = (
        [
            {**{c: str(r[c]) for c in columns[:4]}, "commodity": o.what or "all goods",
             **{c: str(r[c]) for c in columns[4:]}}
            for o, r in zip(rows, data.records(rows), strict=True)
        ]
        if chosen_format in ("table", "markdown")
        else []
    )  # fmt: skip
    render.emit(
        Table(count(len(rows), "observation"), lambda: data.frame(rows), records, native),
        chosen_format,
        output,
    )


@data_app.command("import", short_help="Official statistics into a data folder's CSV.")
def data_import(
    arguments: Annotated[
        list[str],
        typer.Argument(
            help="The file to import: CSV, .gz, JSON or a workbook (.xlsx, .xls, .ods); its layout is recognised. "
            "Or a format and the file: comtrade FILE, "
            "wits FILE, imf FILE, wdi FILE, wide FILE.",
            metavar="[FORMAT] FILE",
        ),
    ],
    output: Annotated[
        Path,
        typer.Option(
            "--output",
            "-o",
            help="The CSV to write (atomically), e.g. data/kaz.csv (the data folder is made if it is the one "
            "the commands read: ./data or $TRADESIM_DATA); - is stdout.",
        ),
    ] = ...,  # type: ignore[assignment]
    reporter: Annotated[
        str | None, typer.Option(help="Keep this reporter (ISO 3166 alpha-3); wide: whose statistics.")
    ] = None,
    partner: Annotated[str | None, typer.Option(help="Keep this partner (WLD: the world).")] = None,
    year: Annotated[int | None, typer.Option(help="Keep this year.")] = None,
    commodity: Annotated[
        str,
        typer.Option(
            help="The commodity to keep: TOTAL, a Comtrade cmdCode such as 27, several (TOTAL,27,2709) "
            "or all (WITS: one product group)."
        ),
    ] = "TOTAL",
    cumulate: Annotated[
        bool, typer.Option("--cumulate", help="Monthly Comtrade data: also the jan-<mon> sums.")
    ] = False,
    flow: Annotated[
        str | None, typer.Option(help="wide: the flow of every row (else rows are flows).")
    ] = None,
    unit: Annotated[
        str | None,
        typer.Option(
            help="The unit of the values when the file does not state it: USD_th, USD_mn, EUR_bn, KZT."
        ),
    ] = None,
    source: Annotated[
        str | None, typer.Option(help="Who published the file (default: from its layout).")
    ] = None,
    url: Annotated[str | None, typer.Option(help="Where you downloaded it.")] = None,
    encoding: Annotated[
        str | None,
        typer.Option(help="The file's encoding, when detection is not what you want (cp1252, utf-16)."),
    ] = None,
    decimal: Annotated[
        str | None, typer.Option(help="The decimal mark, when the file's cells do not tell: . or ,")
    ] = None,
    strict: Annotated[
        bool, typer.Option("--strict", help="Exit 2, writing nothing, when any line is skipped.")
    ] = False,
) -> None:
    """Turn official statistics into a CSV in tradesim's columns, for a data folder. The layout (UN Comtrade+
    CSV or JSON, legacy Comtrade, WITS wide or long, IMF DOTS, a WDI download, a wide table, a data-folder
    file) and the dialect
    (encoding, delimiter, quoting, gzip, a workbook sheet) are recognised and said; every line read is
    accounted for. An import that fails writes nothing."""
    from tradesim.atomic import check_destination, write_text_atomic
    from tradesim.data import importers

    if not 1 <= len(arguments) <= 2:
        raise InputError(
            f"give the file to import, or a format ({', '.join(importers.FORMATS)}) and the file"
        )
    format_name = arguments[0] if len(arguments) == 2 else None
    if format_name is not None and format_name not in importers.FORMATS:
        raise InputError(f"unknown format {format_name!r} (known: {', '.join(importers.FORMATS)})")
    file = Path(arguments[-1])
    to_stdout = str(output) == "-"
    # the folder the commands read is made for its first file, once the import has succeeded
    make_folder = not to_stdout and not output.parent.exists() and _is_data_folder(output.parent)
    if not to_stdout and not make_folder:
        check_destination(output)
    if not to_stdout and output.suffix != ".csv":  # exactly: a data folder reads *.csv
        raise InputError(f"--output must name a .csv file (a data folder reads *.csv), got {str(output)!r}")
    if file.exists() and output.exists() and file.resolve() == output.resolve():
        raise InputError(f"--output {output} is the file being imported: name another file")
    options = importers.Options(
        format_name, commodity, reporter, partner, year, cumulate, flow, unit, source, url, encoding, decimal
    )
    imported = importers.read(file, options)
    summary = imported.summary()
    if not imported:
        raise InputError(f"{file}: no row matches (nothing written); " + "; ".join(summary[1:]))
    if strict and imported.skipped.count:
        raise InputError(
            f"{file}: --strict: {imported.skipped.count:,} lines skipped (nothing written): "
            + "; ".join(imported.skipped.lines())
        )
    if to_stdout:
        render.write(imported.csv_text(), None)
        render.print_notes([f"{len(imported):,} observation{'s' if len(imported) != 1 else ''}", *summary])
        return
    if make_folder:
        output.parent.mkdir(parents=True)
        summary = [f"made the data folder {output.parent}", *summary]
    write_text_atomic(output, imported.csv_text())
    typer.echo(f"wrote {output}: {len(imported):,} observation{'s' if len(imported) != 1 else ''}")
    render.print_notes(summary)


def _is_data_folder(folder: Path) -> bool:
    """Whether ``folder`` is where the commands would look for data: ``$TRADESIM_DATA``, else ``./data``."""
    import os

    from tradesim.cli.locations import ENV_DATA

    wanted = os.environ.get(ENV_DATA) or "data"
    return os.path.abspath(folder) == os.path.abspath(wanted)


@data_app.command("coverage", short_help="Every series: its years, its periods, what to treat with care.")
def data_coverage(
    reporter: Annotated[
        str | None, typer.Option(help="Only the series with this reporter or partner (ISO 3166 alpha-3).")
    ] = None,
    format: Annotated[TableFormat | None, format_option(*TABLES)] = None,
    output: Output = None,
    data_dir: DataDir = None,
) -> None:
    """Per series (kind, reporter, partner, flow, whose statistics): the full years covered, the other periods,
    and the points to treat with care (unverified, approximate, derived, doubtful). The README's table of the
    shipped series is this command's Markdown."""
    from tradesim.data.coverage import coverage

    chosen_format = render.settle(format, output, TABLES)
    if reporter is not None:
        check_countries(reporter=reporter)
    result = coverage(dataset(data_dir), reporter)
    if not result:
        raise InputError(f"no series with {reporter} in the data")
    render.emit(result, chosen_format, output)


@data_app.command("mirror", short_help="What each side reports for the same trade.")
def data_mirror(
    reporter: Annotated[str, typer.Option(help="The reporter, e.g. KAZ.")],
    partner: Annotated[str, typer.Option(help="The partner, e.g. ITA.")],
    currency: Annotated[str, typer.Option(help="Show both sides in this currency.")] = "USD",
    commodity: Annotated[
        str | None,
        typer.Option(metavar="CODE", help="One product on both sides: 27, or HS:27 (default: all goods)."),
    ] = None,
    format: Annotated[TableFormat | None, format_option(*TABLES)] = None,
    output: Output = None,
    data_dir: DataDir = None,
) -> None:
    """Mirror statistics: the reporter's figure and the partner's for the same trade, year by year, in one
    currency (converted at annual average rates), and their ratio. Never added, never averaged."""
    from tradesim.data.mirror import mirror

    chosen_format = render.settle(format, output, TABLES)
    check_countries(reporter=reporter, partner=partner)
    data = dataset(data_dir)
    rows = mirror(data, reporter, partner, currency=currency, commodity=commodity)
    if not rows:
        what = f" {rows.product}" if rows.product else ""
        raise InputError(
            f"{data.describe()} hold no full-year figure of {reporter}–{partner}{what} trade from either side"
        )
    render.emit(rows, chosen_format, output)
    render.print_notes(rows.notes())


@data_app.command("fetch", short_help="Official statistics by query, from the source; every answer kept.")
def data_fetch(
    source: Annotated[str, typer.Argument(help="comtrade (UN Comtrade+ API) or wdi (World Bank API).")],
    reporter: Annotated[str, typer.Option(help="The reporting country (ISO 3166 alpha-3), e.g. KAZ.")],
    partner: Annotated[
        list[str] | None,
        typer.Option(help="A partner (ISO 3166 alpha-3; WLD: the world); several: repeat it, or ITA,CHN."),
    ] = None,
    years: Annotated[str, typer.Option(help="A year or a span: 2023, 2015-2025.")] = "2015-2025",
    flow: Annotated[str | None, typer.Option(help="export or import (default: both).")] = None,
    commodity: Annotated[
        str, typer.Option(help="comtrade: the HS code (TOTAL: all goods; 27; several: TOTAL,27).")
    ] = "TOTAL",
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="The CSV to write, in the data folder (default: a name that says what it holds, e.g. "
            "data/comtrade_KAZ_ITA_2015-2025.csv). The answers are archived beside it, under raw/.",
        ),
    ] = None,
    mirror: Annotated[
        bool, typer.Option("--mirror", help="comtrade: also each partner's report of the same trade.")
    ] = False,
    refresh: Annotated[
        bool,
        typer.Option("--refresh", help="Ask again even when the archive holds an answer under 24 h old."),
    ] = False,
    offline: Annotated[
        bool,
        typer.Option(
            "--offline", help="Rebuild from the archive, sending nothing (also: TRADESIM_OFFLINE=1)."
        ),
    ] = False,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Print the requests (never a key) and send nothing.")
    ] = False,
    base_url: Annotated[
        str | None,
        typer.Option(
            help="The source's address, for a proxy or mirror (also TRADESIM_COMTRADE_URL, TRADESIM_WDI_URL)."
        ),
    ] = None,
    key_env: Annotated[
        str,
        typer.Option(
            help="comtrade: the environment variable holding the subscription key (sent only as a header). "
            "Without one, the public preview: 500 rows a call."
        ),
    ] = "COMTRADE_API_KEY",
    wait: Annotated[
        float | None,
        typer.Option(
            help="Seconds between two calls (default: 3 for Comtrade's preview, 1 with a key, 0.5 for WDI).",
            min=0,
            max=600,
        ),
    ] = None,
    retries: Annotated[
        int,
        typer.Option(help="Retries of a call that fails (429 and 5xx honour Retry-After).", min=0, max=10),
    ] = 4,
    timeout: Annotated[
        float, typer.Option(help="Seconds to wait for a connection or the next bytes.", min=1, max=600)
    ] = 60.0,
    data_dir: DataDir = None,
) -> None:
    """Fetch official statistics by query — UN Comtrade+ (a reporter's goods trade with its partners, and with
    --mirror the partners' own reports) or the World Bank's WDI (a country's merchandise trade with the world) —
    into a data-folder CSV. Every answer is archived under the data folder's raw/ as received (with the request,
    the time, the HTTP validators and a sha256); an answer that differs from the last is a new vintage beside
    it, and `tradesim data vintages` lists them. The rows carry their source, the request's URL, the release
    date and when they were retrieved; figures a later release revised stay as `superseded` rows (what
    `backtest --vintage first` reads). --offline rebuilds the same file from the archive."""
    import os

    from tradesim import __version__
    from tradesim.atomic import check_destination, write_text_atomic
    from tradesim.cli.locations import ENV_DATA, choose
    from tradesim.data import fetch
    from tradesim.data.fetch.archive import Archive
    from tradesim.data.fetch.client import Client

    check_countries(reporter=reporter)
    partners = [p.strip() for given in partner or [] for p in given.split(",") if p.strip()]
    for p in partners:
        if p != "WLD":
            check_countries(partner=p)
    query = fetch.Query(
        source, reporter, tuple(dict.fromkeys(partners)), _years(years), flow, commodity, mirror
    )
    base = fetch.base_url(source, base_url, dict(os.environ))
    key = os.environ.get(key_env, "").strip() if source == "comtrade" else ""
    if dry_run:
        lines = [r.address for r in fetch.plan(query, base, bool(key))]
        render.write("\n".join(lines) + "\n", None)
        how = (
            f"the key from ${key_env} goes in the {fetch.comtrade.KEY_HEADER} header, never in a URL"
            if key
            else "no key: Comtrade's public preview (500 rows a call)"
            if source == "comtrade"
            else "no key needed"
        )
        render.print_notes([f"{len(lines)} requests, nothing sent (--dry-run); {how}"])
        return
    if output is None:
        found = choose(data_dir, "--data", ENV_DATA, "data")
        folder = found[0] if found else Path("data")
        output = folder / query.default_name()
    if output.suffix != ".csv":
        raise InputError(f"--output must name a .csv file (a data folder reads *.csv), got {str(output)!r}")
    folder = output.parent
    if folder.exists():
        check_destination(output)
    offline = offline or os.environ.get("TRADESIM_OFFLINE", "") not in ("", "0")
    client = None
    if not offline:
        between = wait if wait is not None else fetch.WAITS.get((source, bool(key)), 1.0)
        client = Client(
            user_agent=f"tradesim/{__version__} (bilateral trade-target modelling; +https://pypi.org/project/tradesim-bilateral/)",
            timeout=timeout,
            retries=retries,
            backoff=between,  # a retry waits at least as long as two calls apart, doubling (or what Retry-After says)
            wait=between,
            headers={fetch.comtrade.KEY_HEADER: key} if key else {},
        )
    archive = Archive(folder)
    with render.fetch_progress() as progress:
        result = fetch.Fetcher(query, archive, client, base, bool(key), refresh, progress).run()
    text = result.csv_text()
    from tradesim.data import folders

    _, problems = folders.parse(text, output)  # what the data folder will read: else nothing is written
    if problems:
        raise DataError(problems[:20])
    folder.mkdir(parents=True, exist_ok=True)
    write_text_atomic(output, text)
    typer.echo(f"wrote {output}: {count(len(result.rows), 'observation')}")
    superseded = sum(1 for r in result.rows if r[8] == "superseded")
    render.print_notes(
        [
            f"{count(result.asked, 'call')} sent, {count(result.reused, 'answer')} from the archive "
            f"({archive.root(source)}), {count(result.new, 'new vintage')}",
            *(
                [f"{count(superseded, 'earlier figure')} kept as superseded (revised since)"]
                if superseded
                else []
            ),
            *result.notes,
        ]
    )


def _years(text: str) -> tuple[int, ...]:
    first, _, last = text.partition("-")
    try:
        start, end = int(first), int(last or first)
    except ValueError:
        raise InputError(f"--years must be a year or a span such as 2015-2025, got {text!r}") from None
    if not 1950 <= start <= end <= 2100:
        raise InputError(f"--years must run forward within 1950–2100, got {text!r}")
    return tuple(range(start, end + 1))


@data_app.command("vintages", short_help="What was fetched when, and what changed between answers.")
def data_vintages(
    source: Annotated[str | None, typer.Option(help="Only this source: comtrade or wdi.")] = None,
    format: Annotated[TableFormat | None, format_option(*TABLES)] = None,
    output: Output = None,
    data_dir: DataDir = None,
) -> None:
    """Every archived answer of the data folder's raw/: the request, when it was retrieved (and confirmed
    since), its size and sha256, and what changed from the request's previous answer (figures revised,
    added, gone)."""
    from tradesim.cli.locations import ENV_DATA, choose
    from tradesim.data.fetch.archive import Archive
    from tradesim.data.fetch.vintages import vintages

    chosen_format = render.settle(format, output, TABLES)
    found = choose(data_dir, "--data", ENV_DATA, "data")
    if found is None or not found[0].is_dir():
        raise InputError("no data folder (--data, $TRADESIM_DATA or ./data): nothing has been fetched")
    result = vintages(Archive(found[0]), source)
    if not result.rows():
        raise InputError(f"{found[0]}/raw holds no archived answer{' of ' + source if source else ''}")
    render.emit(result, chosen_format, output)
