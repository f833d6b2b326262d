"""How `tradesim project` and `tradesim targets` scale with the size of the data folder.

    python benchmarks/data_scale.py [N ...]      (default: 10000 100000 1000000)

For each N, writes a data folder of N valid observations (every reporter × partner × flow × year × month,
status reported, as an import of a bulk file writes them) and runs, each in a fresh process, `tradesim project
--target 20e9 --data FOLDER` and `tradesim targets --data FOLDER`; prints the wall time and the peak memory
(max RSS) of each. Goal (README "Performance"): linear in N, and with 1,000,000 observations `project` under 3 s
and 1 GB.
"""

from __future__ import annotations

import csv
import itertools
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tradesim.data.observation import COLUMNS as HEADER
from tradesim.data.observation import MONTHS


def write(folder: Path, n: int) -> None:
    import iso3166

    codes = sorted(c.alpha3 for c in iso3166.countries if c.alpha3 not in ("KAZ", "ITA"))
    keys = itertools.product(codes, codes, ("export", "import"), range(1990, 2030), ("FY", *MONTHS))
    with (folder / "bulk.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for i, (reporter, partner, flow, year, period) in enumerate(itertools.islice(keys, n)):
            writer.writerow(["trade", reporter, partner, flow, year, period, 1e6 + i, "USD", "reported", reporter,
                             "UN Comtrade+ (bulk.csv)", "https://comtradeplus.un.org/", "all commodities"])  # fmt: skip


def run(args: list[str]) -> tuple[float, float]:
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "tradesim", *args], capture_output=True, text=True, check=False
    )
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"tradesim {' '.join(args)} failed:\n{done.stderr}")
    return seconds, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def main() -> None:
    sizes = [int(a) for a in sys.argv[1:]] or [10_000, 100_000, 1_000_000]
    print(f"{'observations':>12}  {'project':>16}  {'targets':>16}")
    for n in sizes:
        with tempfile.TemporaryDirectory() as name:
            folder = Path(name)
            write(folder, n)
            project = run(["project", "--target", "20e9", "--data", str(folder)])
            targets = run(["targets", "--data", str(folder)])
        print(f"{n:>12,}  {project[0]:6.2f} s {project[1]:5.0f} MB  {targets[0]:6.2f} s {targets[1]:5.0f} MB")


if __name__ == "__main__":
    main()
