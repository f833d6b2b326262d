"""Import speed and memory: `tradesim data import comtrade` against pandas, DuckDB and Polars.

    python benchmarks/import_comtrade.py [--megabytes 520] [--repeat 3] [--file PATH]

Writes (or reuses) a synthetic Comtrade+ bulk file (benchmarks/comtrade_synthetic.py) of at least 500 MB, then
reads it with each engine in a fresh process, with the same filter — commodity TOTAL, annual or monthly, the
aggregate breakdowns only (partner2Code 0, customsCode C00, motCode 0, mosCode 0), and for the "one reporter"
case reporter KAZ — and writes the rows kept to a CSV. Prints the median wall time and the peak memory (max
RSS) of each. DuckDB and Polars are measured when installed (`pip install duckdb polars`); tradesim needs
neither.
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

    args = ["data", "import", "comtrade", str(path), "--output", str(out)]
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


ENGINES = {"tradesim": run_tradesim, "pandas": run_pandas, "duckdb": run_duckdb, "polars": run_polars}


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


def measure(engine: str, path: Path, reporter: str | None, repeat: int) -> tuple[float, float] | None:
    runs = []
    for _ in range(repeat):
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
        runs.append(json.loads(done.stdout.strip().splitlines()[-1]))
    return statistics.median(r["seconds"] for r in runs), max(r["peak_mb"] for r in runs)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--megabytes", type=float, default=520)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--file", type=Path)
    parser.add_argument("--child")
    parser.add_argument("--reporter", default="")
    args = parser.parse_args()
    if args.child:
        child(args.child, args.file, args.reporter or None)
        return
    path = args.file or Path(tempfile.gettempdir()) / f"tradesim-comtrade-{args.megabytes:.0f}mb.csv"
    if not path.exists():
        subprocess.run(
            [
                sys.executable,
                str(HERE / "comtrade_synthetic.py"),
                str(path),
                "--megabytes",
                str(args.megabytes),
            ],
            check=True,
        )
    print(
        f"file: {path} ({path.stat().st_size / 1e6:.0f} MB), median of {args.repeat} runs, peak = max RSS of the process or any of its workers"
    )
    for label, reporter in (("one reporter (KAZ)", "KAZ"), ("every reporter", None)):
        print(f"\n{label}:")
        results = {e: measure(e, path, reporter, args.repeat) for e in ENGINES}
        fastest = min((r[0] for e, r in results.items() if r and e != "tradesim"), default=None)
        for engine, result in results.items():
            if result is None:
                print(f"  {engine:9} not installed")
                continue
            ratio = f"  {result[0] / fastest:.2f}× the fastest peer" if fastest else ""
            print(f"  {engine:9} {result[0]:6.2f} s  peak {result[1]:5.0f} MB{ratio}")


if __name__ == "__main__":
    main()
