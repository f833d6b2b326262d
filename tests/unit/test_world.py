"""The shipped WDI totals (issue 18, part 1): every value against the World Bank's raw files, read here."""

from __future__ import annotations

import csv
import gzip
import io
from pathlib import Path

import pytest

from tests.conftest import REPO
from tradesim import data, model, scenario
from tradesim.data import world

RAW = REPO / "tests" / "data" / "wdi"


def _raw(name: str) -> dict[tuple[str, int], float]:
    text = gzip.decompress((RAW / f"{name}.csv.gz").read_bytes()).decode("utf-8")
    return {(r["Country Code"], int(r["Year"])): float(r["Value"]) for r in csv.DictReader(io.StringIO(text))}


def test_every_shipped_value_is_the_raw_files() -> None:
    exports, imports = _raw("tx.val.mrch.cd.wt"), _raw("tm.val.mrch.cd.wt")
    countries = {code for code, _ in exports} - {"WLD", "EUU", "ARB"}
    checked = 0
    for code in sorted(countries):
        rows = world.for_reporter(code).observations
        for o in rows:
            if o.flow == "export":
                assert o.amount == exports[(code, o.year)]
            elif o.flow == "import":
                assert o.amount == imports[(code, o.year)]
            else:
                assert o.amount == exports[(code, o.year)] + imports[(code, o.year)]
                assert o.status == "derived"
            assert (o.reported_by, o.partner, o.unit, o.period) == ("WDI", "WLD", "USD", "FY")
            assert "CC BY 4.0" in o.note
            assert o.url.startswith("https://github.com/datasets/world-development-indicators/blob/")
            checked += 1
    assert checked > 30_000
    # every raw country-year is shipped (the aggregates — regions, income groups — are not countries)
    kaz = {(o.flow, o.year) for o in world.for_reporter("KAZ").observations}
    assert {("export", y) for c, y in exports if c == "KAZ"} <= kaz
    assert world.for_reporter("EUU").observations == ()


def test_the_build_reproduces_the_shipped_file(tmp_path: Path) -> None:
    for name in ("tx.val.mrch.cd.wt", "tm.val.mrch.cd.wt"):
        (tmp_path / f"{name}.csv").write_bytes(gzip.decompress((RAW / f"{name}.csv.gz").read_bytes()))
    built = world.build(tmp_path / "tx.val.mrch.cd.wt.csv", tmp_path / "tm.val.mrch.cd.wt.csv")
    shipped = (REPO / "src" / "tradesim" / "data" / "shipped" / world.FILE).read_bytes()
    assert gzip.decompress(built) == gzip.decompress(shipped)
    assert len(shipped) < 400_000  # small on disk


def test_kazakhstan_2023_uses_its_own_statistics_and_2015_the_wdi() -> None:
    shipped = data.shipped()
    own = shipped.total_baseline("KAZ", 2023)
    assert own.reported_by == "KAZ"
    earlier = shipped.total_baseline("KAZ", 2015)
    assert earlier.reported_by == "WDI"
    assert earlier.amount == 45_956_000_000 + 30_568_000_000
    item = scenario.ad_hoc(0.05, 0.03, base_year=2015)
    base = item.model_copy(update={"baseline": item.baseline.model_copy(update={"bilateral": 10e9})})
    projection = model.project(base)
    assert projection.share[0] == pytest.approx(10e9 / (45_956_000_000 + 30_568_000_000))
    assert any("World Bank's WDI figure" in w for w in projection.baseline.warnings)


def test_any_reporter_has_a_share(tmp_path: Path) -> None:
    """Germany–Kazakhstan: no German total is shipped; the WDI's is the denominator, and the notes say so."""
    import json

    from typer.testing import CliRunner

    from tradesim.cli import app

    path = tmp_path / "deu.toml"
    path.write_text(
        'reporter = "DEU"\npartner = "KAZ"\n[baseline]\nbilateral = "10B"\n'
        '[growth]\nbilateral = "5%"\nrest_of_world = "2%"\n[[targets]]\nvalue = "15B"\n',
        encoding="utf-8",
    )
    result = CliRunner().invoke(app, ["project", str(path), "--format", "json"], catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    (entry,) = json.loads(result.stdout)["scenarios"]
    exports, imports = _raw("tx.val.mrch.cd.wt"), _raw("tm.val.mrch.cd.wt")
    germany = exports[("DEU", 2023)] + imports[("DEU", 2023)]
    assert entry["baseline_total"] == germany
    assert entry["baseline_sources"]["total"]["reported_by"] == "WDI"
    assert entry["years"][0]["share"] == pytest.approx(10e9 / germany)
    assert "World Bank's WDI figure" in result.stderr
