"""How `tradesim check` scales with the number of scenario files: prints seconds per scenario.

    python benchmarks/check_scaling.py [N ...]      (default: 10 100 1000)

Each run writes N small scenario files (one parent, the rest extending it with their own growth and an event)
to a temporary folder, creates their
snapshots with `--update`, then times a plain `check` of all of them in-process (no interpreter start-up).
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from tradesim import check, scenario


def write(folder: Path, n: int) -> None:
    # like a real folder: every file extends one parent (resolving `extends` must not rescan the folder)
    (folder / "base.toml").write_text("[growth]\nbilateral = 0.05\nrest_of_world = 0.02\n")
    for i in range(n - 1):
        (folder / f"s{i:05d}.toml").write_text(
            f"""
extends = "base"
[growth]
bilateral = {0.01 + (i % 50) / 1000}
rest_of_world = 0.02
[[events]]
label = "deal"
year = 2026
amount = "{(i % 7) / 10}B"
ramp_years = 2
[[expect]]
metric = "share"
year = 2023
value = "{14.5 / 139.8}"
rtol = 1e-6
"""
        )


def measure(n: int) -> tuple[float, float]:
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        write(folder, n)
        check.check(scenario.load_many([], folder), folder, update=True)
        start = time.perf_counter()
        results = check.check(scenario.load_many([], folder), folder)
        elapsed = time.perf_counter() - start
        assert all(r.passed for r in results), "fresh snapshots must match"
        return elapsed, elapsed / n


def main() -> None:
    sizes = [int(a) for a in sys.argv[1:]] or [10, 100, 1000]
    print(f"{'scenarios':>10} {'total s':>10} {'ms/scenario':>12}")
    for n in sizes:
        total, each = measure(n)
        print(f"{n:>10} {total:>10.2f} {each * 1000:>12.2f}")


if __name__ == "__main__":
    main()
