"""Write a synthetic UN Comtrade+ bulk CSV (the 47-column layout) for the import benchmark.

    python benchmarks/comtrade_synthetic.py OUT.csv [--megabytes 520] [--gzip] [--quoted]

Reporters × partners × HS chapters × flows (M, X, RM, RX) × years, plus one `TOTAL` row per reporter, partner,
flow and year; partner `W00` is the world. Values are random; the layout, codes and the mix of rows are what a
bulk download holds. Deterministic (seeded), so every run writes the same file.
"""

from __future__ import annotations

import argparse
import gzip
import io
import sys
from pathlib import Path

import numpy as np

from tradesim.data.importers import comtrade

COLUMNS = ",".join(comtrade.LAYOUT)
FLOWS = (("M", "Import"), ("X", "Export"), ("RM", "Re-import"), ("RX", "Re-export"))


def countries() -> list[tuple[int, str, str]]:
    import iso3166

    return [(int(c.numeric), c.alpha3, c.name.replace(",", "")) for c in iso3166.countries]


def write(out: io.TextIOBase, megabytes: float, quoted: bool = False) -> int:
    rng = np.random.default_rng(20231130)
    every = countries()
    chosen = ("KAZ", "ITA", "CHN", "TUR", "DEU")
    by_code = {c[1]: c for c in every}
    reporters = [by_code[c] for c in chosen] + [c for c in every[:60] if c[1] not in chosen]
    partners = [(0, "W00", "World"), *every]
    chapters = ["TOTAL", *(f"{i:02d}" for i in range(1, 98))]
    out.write(COLUMNS + "\n")
    written = rows = 0
    target = megabytes * 1e6
    for year in range(2015, 2100):
        for code, iso, name in reporters:
            for p_code, p_iso, p_name in partners:
                lines = []
                for chapter in chapters[: 1 + int(rng.integers(0, 30))]:
                    for flow, flow_desc in FLOWS[: 2 + int(rng.integers(0, 3))]:
                        value = float(rng.lognormal(16, 2))
                        level = 0 if chapter == "TOTAL" else 2
                        lines.append(
                            f"C,A,{year}0101,{year},52,{year},{code},{iso},{name},{flow},{flow_desc},{p_code},"
                            f"{p_iso},{p_name},0,W00,World,H6,HS,True,{chapter},Chapter {chapter},{level},False,"
                            f"C00,TOTAL CPC,0,0,TOTAL MOT,-1,N/A,0,False,-1,N/A,0,False,{value * 0.01:.1f},False,"
                            f"0,False,{value:.2f},{value * 0.97:.2f},{value:.2f},0,True,{'True' if level == 0 else 'False'}\n"
                        )
                if quoted:  # the portal's download: every data field quoted, the header not
                    lines = ['"' + line.rstrip("\n").replace(",", '","') + '"\n' for line in lines]
                text = "".join(lines)
                out.write(text)
                written += len(text)
                rows += len(lines)
                if written >= target:
                    return rows
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("out", type=Path)
    parser.add_argument("--megabytes", type=float, default=520)
    parser.add_argument("--gzip", action="store_true")
    parser.add_argument("--quoted", action="store_true")
    args = parser.parse_args()
    with gzip.open(args.out, "wt", compresslevel=1) if args.gzip else args.out.open("w") as handle:
        rows = write(handle, args.megabytes, args.quoted)
    print(f"wrote {args.out}: {rows:,} rows, {args.out.stat().st_size / 1e6:.0f} MB", file=sys.stderr)


if __name__ == "__main__":
    main()
