"""How a large data-folder file is read: the columns reader (Polars) against the engines it was chosen over.

    python benchmarks/data_columns.py [N]      (default: 1,000,000 observations)

Writes the data folder `benchmarks/data_scale.py` writes (N valid observations) and reads its file, best of 3,
in this process:

- ``columns``: tradesim's columns reader (:func:`tradesim.data.columnar.read_columns`: Polars, then the checks);
- ``rows``: tradesim's row reader (:func:`tradesim.data.folders.read`: the csv module, an Observation a row),
  once (it takes about 20 s for a million rows);
- ``pandas``: pandas' C parser with the strings as categories and the value column as text, turned into floats
  by :func:`float` (what exact values need: pandas 3.1's float path misreads a padded value by an ulp);
- ``polars``: Polars alone, the strings read as strings and made categories (what the columns reader does
  before its checks).

README "Dependencies" quotes the figures.
"""

from __future__ import annotations

import io
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
from data_scale import write

from tradesim.data import columnar, folders
from tradesim.data.observation import COLUMNS


def best(what: Callable[[], object], rounds: int = 3) -> float:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        what()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    with tempfile.TemporaryDirectory() as name:
        write(Path(name), n)
        path = Path(name) / "bulk.csv"
        raw = path.read_bytes()

        def with_pandas() -> None:
            import pandas as pd

            strings = [c for c in COLUMNS if c != "value"]
            frame = pd.read_csv(
                io.BytesIO(raw), dtype=dict.fromkeys(strings, "category") | {"value": object}, na_filter=False
            )
            frame["value"].to_numpy(dtype=object).astype(np.float64)

        def with_polars() -> None:
            import polars as pl

            schema = {c: (pl.Float64 if c == "value" else pl.String) for c in COLUMNS}
            frame = pl.read_csv(raw, has_header=True, schema=schema)
            frame.select(pl.col(c).cast(pl.Categorical) for c in COLUMNS if c != "value")

        assert columnar.read_columns(raw, path) is not None, (
            "the columns reader declined the benchmark's file"
        )
        print(f"{len(raw) / 1e6:.0f} MB, {n:,} observations; seconds, best of 3")
        print(f"  columns (tradesim)   {best(lambda: columnar.read_columns(raw, path)):6.2f}")
        print(f"  polars alone         {best(with_polars):6.2f}")
        print(f"  pandas, exact values {best(with_pandas):6.2f}")
        print(f"  rows (tradesim)      {best(lambda: folders.read(path), rounds=1):6.2f}")


if __name__ == "__main__":
    main()
