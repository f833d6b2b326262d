"""Import speed and memory: `tradesim data import comtrade` against pandas, DuckDB and Polars.

    python benchmarks/import_comtrade.py [--megabytes 520] [--repeat 3] [--file PATH] [--gzip] [--quoted]

Writes (or reuses) a synthetic Comtrade+ bulk file (benchmarks/comtrade_synthetic.py) of at least 500 MB —
gzipped with ``--gzip``, every data field quoted as the portal's download with ``--quoted`` — then
reads it with each engine in a fresh process, with the same filter — commodity TOTAL, annual or monthly, the
aggregate breakdowns only (partner2Code 0, customsCode C00, motCode 0, mosCode 0), and for the "one reporter"
case reporter KAZ — and writes the rows kept to a CSV. Prints the median wall time and the peak memory (max
RSS) of each, and tradesim's time over the fastest peer's, round by round. DuckDB is measured when installed
(`pip install duckdb`); Polars is a dependency of tradesim.

``polars+account`` is not a peer: it is Polars asked for what tradesim's import also gives, the account of
every other line (each group of codes counted, with its first line), in the same streaming pass. Its time over
the bare filter's is the floor of any columnar engine for this import, before a row is turned into an
observation.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
KEEP = {"cmdCode": "TOTAL", "partner2Code": "0", "customsCode": "C00", "motCode": "0", "mosCode": "0"}
COLUMNS = ["freqCode", "refYear", "refMonth", "reporterISO", "flowCode", "partnerISO", "primaryValue", *KEEP]


def run_tradesim(path: Path, reporter: str | None, out: Path) -> None:
    from tradesim.cli import app

    args = ["data", "import", str(path), "--output", str(out)]
    code = app(
        args + (["--reporter", reporter] if reporter else []), prog_name="tradesim", standalone_mode=False
    )
    assert code in (None, 0), code


def run_pandas(path: Path, reporter: str | None, out: Path) -> None:
    import pandas as pd

    kept = []
    for chunk in pd.read_csv(path, usecols=COLUMNS, dtype=str, chunksize=500_000, engine="c"):
        mask = chunk.freqCode.isin(["A", "M"])
        for column, value in KEEP.items():
            mask &= chunk[column] == value
        if reporter:
            mask &= chunk.reporterISO == reporter
        kept.append(chunk[mask])
    pd.concat(kept).to_csv(out, index=False)


def run_duckdb(path: Path, reporter: str | None, out: Path) -> None:
    import duckdb

    where = " AND ".join(
        [f"{c} = '{v}'" for c, v in KEEP.items()]
        + ["freqCode IN ('A', 'M')"]
        + ([f"reporterISO = '{reporter}'"] if reporter else [])
    )
    duckdb.sql(
        f"COPY (SELECT {', '.join(COLUMNS)} FROM read_csv('{path}', header = true, all_varchar = true) "
        f"WHERE {where}) TO '{out}' (HEADER, DELIMITER ',')"
    )


def run_polars(path: Path, reporter: str | None, out: Path) -> None:
    import polars as pl

    condition = pl.col("freqCode").is_in(["A", "M"])
    for column, value in KEEP.items():
        condition &= pl.col(column) == value
    if reporter:
        condition &= pl.col("reporterISO") == reporter
    pl.scan_csv(path, infer_schema=False).select(COLUMNS).filter(condition).sink_csv(out)


ACCOUNT = ["typeCode", "cmdCode", "partner2Code", "customsCode", "motCode", "mosCode", "flowCode", "freqCode"]


def run_polars_account(path: Path, reporter: str | None, out: Path) -> None:
    """Polars with the same filter and the account tradesim gives: every other record counted with the
    first line of its codes (grouped by them, in the same streaming pass). Not a peer: how far a columnar
    engine's own floor is from the bare filter's."""
    import polars as pl

    condition = pl.col("freqCode").is_in(["A", "M"])
    for column, value in KEEP.items():
        condition &= pl.col(column) == value
    if reporter:
        condition &= pl.col("reporterISO") == reporter
    account = ACCOUNT + (["reporterISO"] if reporter else [])
    found = (
        pl.scan_csv(path, infer_schema=False)
        .select(list(dict.fromkeys(COLUMNS + account)))
        .with_row_index("line", offset=2)
        .group_by(pl.when(condition).then(pl.col("line")).alias("kept"), *account)
        .agg(
            pl.len().alias("lines"),
            pl.col("line").min().alias("first"),
            *(pl.col(c).first() for c in COLUMNS if c not in account),
        )
        .collect(engine="streaming")
    )
    found.filter(pl.col("kept").is_not_null()).select(COLUMNS).write_csv(out)
    found.filter(pl.col("kept").is_null()).select(*account, "lines", "first").write_csv(
        out.with_suffix(".account.csv")
    )


ENGINES = {
    "tradesim": run_tradesim,
    "pandas": run_pandas,
    "duckdb": run_duckdb,
    "polars": run_polars,
    "polars+account": run_polars_account,
}
NOT_PEERS = ("tradesim", "polars+account")


def child(engine: str, path: Path, reporter: str | None) -> None:
    with tempfile.TemporaryDirectory() as folder:
        start = time.perf_counter()
        ENGINES[engine](path, reporter, Path(folder) / "out.csv")
        seconds = time.perf_counter() - start
    # the largest of this process and its workers (tradesim scans a large file in one process per core)
    peak = (
        max(resource.getrusage(who).ru_maxrss for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
        / 1024
    )
    print(json.dumps({"seconds": seconds, "peak_mb": peak}))


def run_once(engine: str, path: Path, reporter: str | None) -> dict[str, float] | None:
    done = subprocess.run(
        [sys.executable, __file__, "--child", engine, "--file", str(path), "--reporter", reporter or ""],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        if "ModuleNotFoundError" in done.stderr:
            return None
        raise SystemExit(f"{engine} failed:\n{done.stderr}")
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def measure(path: Path, reporter: str | None, repeat: int) -> dict[str, list[dict[str, float]] | None]:
    """Each engine once per round, the rounds in turn: a slow spell of a shared machine hits every engine
    alike, and the ratio of each round is taken on the same spell."""
    runs: dict[str, list[dict[str, float]] | None] = {engine: [] for engine in ENGINES}
    for _ in range(repeat):
        for engine in ENGINES:
            done = runs[engine]
            if done is not None:
                result = run_once(engine, path, reporter)
                runs[engine] = None if result is None else [*done, result]
    return runs


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--megabytes", type=float, default=520)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--file", type=Path)
    parser.add_argument("--gzip", action="store_true", help="the synthetic file gzipped")
    parser.add_argument(
        "--quoted", action="store_true", help="every data field quoted (the portal's download)"
    )
    parser.add_argument("--child")
    parser.add_argument("--reporter", default="")
    args = parser.parse_args()
    if args.child:
        child(args.child, args.file, args.reporter or None)
        return
    kind = ("-quoted" if args.quoted else "") + (".csv.gz" if args.gzip else ".csv")
    path = args.file or Path(tempfile.gettempdir()) / f"tradesim-comtrade-{args.megabytes:.0f}mb{kind}"
    if not path.exists():
        flags = (["--gzip"] if args.gzip else []) + (["--quoted"] if args.quoted else [])
        subprocess.run(
            [
                sys.executable,
                str(HERE / "comtrade_synthetic.py"),
                str(path),
                "--megabytes",
                str(args.megabytes),
                *flags,
            ],
            check=True,
        )
    print(
        f"file: {path} ({path.stat().st_size / 1e6:.0f} MB), median of {args.repeat} runs, peak = max RSS of the process or any of its workers"
    )
    for label, reporter in (("one reporter (KAZ)", "KAZ"), ("every reporter", None)):
        print(f"\n{label}:")
        runs = measure(path, reporter, args.repeat)
        peers = [e for e, r in runs.items() if r and e not in NOT_PEERS]
        for engine, result in runs.items():
            if not result:
                print(f"  {engine:14} not installed")
                continue
            seconds = statistics.median(r["seconds"] for r in result)
            peak = max(r["peak_mb"] for r in result)
            print(f"  {engine:14} {seconds:6.2f} s  peak {peak:5.0f} MB")
        for engine in NOT_PEERS:
            ratio(engine, runs, peers)


def ratio(engine: str, runs: dict[str, list[dict[str, float]] | None], peers: list[str]) -> None:
    """``engine``'s time over the fastest peer's in the same round, each round and their median."""
    mine = runs.get(engine)
    if not peers or not mine:
        return
    ratios = [
        m["seconds"] / min(runs[e][i]["seconds"] for e in peers)  # type: ignore[index]
        for i, m in enumerate(mine)
    ]
    print(
        f"  {engine} / fastest peer, per round: median {statistics.median(ratios):.2f}×"
        f" (rounds: {', '.join(f'{r:.2f}' for r in ratios)})"
    )


if __name__ == "__main__":
    main()
