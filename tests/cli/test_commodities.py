"""A commodity's figure is never the pair's trade (issue 28): every observation carries its classification and
commodity, a data folder's rows without them are all goods, and every command reads a pair's trade from the
figures of all goods only — a folder holding only a commodity's rows for the pair is said so, by file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import REPO

REAL = REPO / "tests" / "data" / "real"
USA_CHN = REAL / "comtrade_legacy_short_USA_CHN_2017.csv"
CHIPS = REAL / "comtradeplus_api_CHN_USA_8542_nodesc.csv"


def _import(run: Any, source: Path, folder: Path, name: str, *args: str) -> Path:
    out = folder / name
    result = run("data", "import", str(source), *args, "-o", str(out))
    assert result.exit_code == 0, result.stderr
    return out


def test_a_chapter_27_import_is_not_usa_china_trade(run: Any, tmp_path: Path) -> None:
    """$9.3B is HS chapter 27 alone; the file's chapters sum to about $656B."""
    data = tmp_path / "fuel"
    data.mkdir()
    written = _import(run, USA_CHN, data, "usa27.csv", "--commodity", "27")
    header, first = written.read_text(encoding="utf-8").splitlines()[:2]
    assert header.endswith(",classification,commodity")
    assert first.endswith(",H5,27")
    scenario = tmp_path / "usa.toml"
    scenario.write_text(
        'reporter = "USA"\npartner = "CHN"\nbase_year = 2017\n[growth]\nbilateral = "5%"\nrest_of_world = "3%"\n',
        encoding="utf-8",
    )
    refused = run("project", str(scenario), "--target", "20B", "--data", str(data))
    assert refused.exit_code == 2
    assert f"USA–CHN 2017: only H5 27 in {written}, a commodity's trade, not the pair's" in refused.stderr, (
        refused.stderr
    )
    listed = json.loads(
        run("data", "--partner", "CHN", "--reporter", "USA", "--data", str(data), "--format", "json").stdout
    )
    assert {(r["classification"], r["commodity"]) for r in listed} == {("H5", "27")}
    table = run("data", "--partner", "CHN", "--reporter", "USA", "--data", str(data)).stdout
    assert "H5 27" in table


def test_mirror_never_shows_a_commodity_as_the_pairs_trade(run: Any, tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    _import(run, CHIPS, data, "chips.csv", "--commodity", "8542")
    mirror = run("data", "mirror", "--reporter", "CHN", "--partner", "USA", "--data", str(data))
    assert mirror.exit_code == 2  # no figure of all goods from either side: nothing to set side by side
    assert "12.18" not in mirror.stdout


def test_a_total_and_a_commodity_of_one_pair_are_two_figures_not_a_duplicate(
    run: Any, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    data.mkdir()
    _import(run, USA_CHN, data, "usa27.csv", "--commodity", "27")
    _import(run, USA_CHN, data, "usa28.csv", "--commodity", "28")
    listed = run("data", "--reporter", "USA", "--data", str(data), "--format", "json")
    assert listed.exit_code == 0, listed.stderr  # was: "the same figure" twice, the folder refused
    rows = json.loads(listed.stdout)
    assert {r["commodity"] for r in rows} == {"27", "28"}


@pytest.mark.parametrize(
    ("classification", "commodity", "message"),
    [
        ("HS", "TOTAL", "commodity: TOTAL goes with the classification TOTAL"),
        ("TOTAL", "27", "commodity: TOTAL goes with the classification TOTAL"),
        ("NACE", "27", "classification: must be TOTAL, HS"),
        ("HS", "27;DROP", "commodity: must be a commodity code"),
    ],
)
def test_a_commodity_column_that_does_not_fit_is_named(
    run: Any, tmp_path: Path, classification: str, commodity: str, message: str
) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "mine.csv").write_text(
        "kind,reporter,partner,flow,year,period,value,unit,status,reported_by,source,url,note,classification,commodity\n"
        f"trade,KAZ,ITA,export,2023,FY,1.0,USD_bn,reported,KAZ,Test,,,{classification},{commodity}\n",
        encoding="utf-8",
    )
    result = run("data", "--data", str(data))
    assert result.exit_code == 2
    assert f"{data / 'mine.csv'}:2: {message}" in result.stderr


def test_several_commodities_and_all_of_them_in_one_import(run: Any, tmp_path: Path) -> None:
    """`--commodity 27,28` keeps each apart; `all` keeps every line, each chapter its own figure, and per flow
    the chapters add up to what the raw file's lines add up to (read here with the csv module alone)."""
    import csv as csv_module

    two = _import(run, USA_CHN, tmp_path, "two.csv", "--commodity", "27,28")
    with two.open(encoding="utf-8", newline="") as handle:
        rows = [r for r in csv_module.DictReader(handle) if r["status"] == "reported"]
    assert {r["commodity"] for r in rows} == {"27", "28"}
    every = _import(run, USA_CHN, tmp_path, "all.csv", "--commodity", "all")
    with every.open(encoding="utf-8", newline="") as handle:
        imported = [r for r in csv_module.DictReader(handle) if r["status"] == "reported"]
    with USA_CHN.open(encoding="utf-8", newline="") as handle:
        raw = list(csv_module.DictReader(handle))
    flows = {"Export": "export", "Import": "import", "Re-Export": "re-export", "Re-Import": "re-import"}
    for label, flow in flows.items():
        expected = sum(float(r["Trade Value (US$)"]) for r in raw if r["Trade Flow"] == label)
        got = sum(float(r["value"]) for r in imported if r["flow"] == flow)
        assert got == pytest.approx(expected, rel=1e-12), flow
    assert len({r["commodity"] for r in imported}) == len({r["Commodity Code"] for r in raw})
    missing = run("data", "import", str(USA_CHN), "--commodity", "27,2709", "-o", str(tmp_path / "x.csv"))
    assert missing.exit_code == 2
    assert "--commodity 27,2709: the file holds no 2709 (it holds " in missing.stderr
    assert not (tmp_path / "x.csv").exists()


@pytest.mark.parametrize("codes", [",", "27,,27", "S4:3", "27 28"])
def test_a_commodity_option_that_is_not_codes_is_refused_by_name(
    run: Any, tmp_path: Path, codes: str
) -> None:
    """An empty code, a doubled comma, a classification prefix (a Comtrade cmdCode has none): one line naming
    the option and the value, exit 2, nothing written."""
    out = tmp_path / "x.csv"
    result = run("data", "import", str(USA_CHN), "--commodity", codes, "-o", str(out))
    assert result.exit_code == 2
    assert result.stderr.startswith("tradesim: error: --commodity must be Comtrade cmdCodes")
    assert result.stderr.rstrip().endswith(f"got {codes!r}")
    assert result.stderr.count("\n") == 1
    assert not out.exists()


@pytest.mark.parametrize("codes", ["TOTAL,Fuels", "all"])
def test_a_wits_table_is_read_one_product_group_at_a_time(run: Any, tmp_path: Path, codes: str) -> None:
    """Several WITS product groups are refused by name, not read as "no row matches"."""
    out = tmp_path / "w.csv"
    result = run(
        "data",
        "import",
        str(REAL / "wits_wide_USA_partners_imports.csv"),
        "--commodity",
        codes,
        "-o",
        str(out),
    )
    assert result.exit_code == 2
    assert "one product group at a time" in result.stderr
    assert not out.exists()


def test_coverage_keeps_a_commoditys_rows_out_of_the_pairs_series(run: Any, tmp_path: Path) -> None:
    """Chapters 27 and 28 of USA–CHN are two series each, named by commodity, never the pair's export series."""
    data = tmp_path / "data"
    data.mkdir()
    _import(run, USA_CHN, data, "u.csv", "--commodity", "27,28")
    result = run("data", "coverage", "--data", str(data), "--reporter", "USA", "-f", "json")
    assert result.exit_code == 0, result.stderr
    series = json.loads(result.stdout)["series"]
    exports = [(s["commodity"], s["rows"]) for s in series if s["flow"] == "export"]
    assert exports == [("H5 27", 1), ("H5 28", 1)]
    shipped = json.loads(run("data", "coverage", "--reporter", "KAZ", "-f", "json").stdout)["series"]
    # the shipped 2020 press figure for oil is a series of its own (HS 27), never in the pair's exports
    assert {s["commodity"] for s in shipped} == {"all goods", "HS 27"}
    oil = [s for s in shipped if s["commodity"] == "HS 27"]
    assert [(s["partner"], s["flow"], s["rows"]) for s in oil] == [("ITA", "export", 1)]


def test_a_wits_product_group_is_a_commodity_never_the_pairs_trade(run: Any, tmp_path: Path) -> None:
    """`--commodity Fuels` on a WITS table writes WITS/Fuels on each row; All Products stays TOTAL."""
    import csv as csv_module

    source = tmp_path / "wits.csv"
    source.write_text(
        "Reporter Name,Partner Name,Trade Flow,Product Group,Indicator,2017,2018\n"
        "United States,China,Import,  All Products,Import (US$ Thousand),100,200\n"
        "United States,China,Import,Fuels,Import (US$ Thousand),10,20\n"
        "United States,China,Import,Food Products,Import (US$ Thousand),3,4\n",
        encoding="utf-8",
    )
    data = tmp_path / "data"
    data.mkdir()
    for name, codes, expected in (
        ("fuels.csv", "Fuels", {("WITS", "Fuels", "10.0"), ("WITS", "Fuels", "20.0")}),
        # a group's name as WITS writes it, spaces and all: written, and read back from the folder
        ("food.csv", "Food Products", {("WITS", "Food Products", "3.0"), ("WITS", "Food Products", "4.0")}),
        ("all.csv", "TOTAL", {("TOTAL", "TOTAL", "100.0"), ("TOTAL", "TOTAL", "200.0")}),
    ):
        written = _import(run, source, data, name, "--commodity", codes)
        with written.open(encoding="utf-8", newline="") as handle:
            rows = {(r["classification"], r["commodity"], r["value"]) for r in csv_module.DictReader(handle)}
        assert rows == expected
    listed = run("data", "--data", str(data), "--reporter", "USA", "-f", "json")
    assert listed.exit_code == 0, listed.stderr
    assert {r["commodity"] for r in json.loads(listed.stdout)} >= {"TOTAL", "Fuels", "Food Products"}


def _chapter_27(run: Any, tmp_path: Path) -> tuple[Path, Path]:
    """A data folder holding only HS 27 of USA–CHN 2017 (imported from the real file), and a USA–CHN scenario."""
    data = tmp_path / "fuel"
    data.mkdir()
    _import(run, USA_CHN, data, "usa27.csv", "--commodity", "27")
    scenario = tmp_path / "usa.toml"
    scenario.write_text(
        'reporter = "USA"\npartner = "CHN"\nbase_year = 2017\nhorizon = 2025\n[baseline]\ntotal = "3.9T"\n'
        '[growth]\nbilateral = "5%"\nrest_of_world = "3%"\n',
        encoding="utf-8",
    )
    return data, scenario


def _raw_chapter(path: Path, code: str) -> dict[str, float]:
    """Flow → value of one chapter in a legacy Comtrade file, read with the csv module alone."""
    import csv

    with path.open(encoding="utf-8", newline="") as handle:
        return {
            r["Trade Flow"]: float(r["Trade Value (US$)"])
            for r in csv.DictReader(handle)
            if r["Commodity Code"] == code
        }


def test_commodity_on_the_model_commands_projects_that_product_and_says_so(run: Any, tmp_path: Path) -> None:
    """The USA–CHN case: refused as the pair's trade, projected as HS 27 with --commodity 27 — named in the
    title, the notes and the JSON — from the file's chapter 27 (export + import) read independently here."""
    data, scenario = _chapter_27(run, tmp_path)
    refused = run("project", str(scenario), "--target", "20B", "--data", str(data))
    assert refused.exit_code == 2
    assert "project it with --commodity HS:27" in refused.stderr
    raw = _raw_chapter(USA_CHN, "27")
    base = raw["Export"] + raw["Import"]  # 8,572,094,620 + 680,553,347
    for given in ("27", "HS:27", "H5:27"):
        shown = run("project", str(scenario), "--target", "20B", "--data", str(data), "--commodity", given)
        assert shown.exit_code == 0, shown.stderr
        assert shown.stdout.startswith("USA–CHN HS 27 trade against a $20.0B target")
        assert "usa models HS 27 only: USA–CHN HS 27 trade from $9.3B (2017 FY" in shown.stderr
        assert "its share is of USA's total trade (all goods)" in shown.stderr
    document = json.loads(
        run(
            "project",
            str(scenario),
            "--target",
            "20B",
            "--data",
            str(data),
            "--commodity",
            "27",
            "-f",
            "json",
        ).stdout
    )["scenarios"][0]
    assert document["commodity"] == "27"
    assert document["baseline"] == pytest.approx(base, rel=1e-15)
    assert document["baseline_sources"]["bilateral"]["commodity"] == "27"
    assert document["years"][1]["bilateral"] == pytest.approx(base * 1.05, rel=1e-12)
    assert document["years"][0]["share"] == pytest.approx(base / 3.9e12, rel=1e-12)
    solved = json.loads(
        run(
            "solve",
            "growth",
            str(scenario),
            "--target",
            "20B",
            "--by",
            "2022",
            "--data",
            str(data),
            "--commodity",
            "27",
            "-f",
            "json",
        ).stdout
    )
    assert solved["solved"] == "the constant annual growth of HS 27 trade that reaches $20.0B in 2022"
    assert solved["results"][0]["commodity"] == "HS 27"
    assert solved["results"][0]["required_growth"] == pytest.approx((20e9 / base) ** (1 / 5) - 1, rel=1e-12)
    simulated = json.loads(
        run(
            "simulate",
            str(scenario),
            "--target",
            "20B",
            "--data",
            str(data),
            "--commodity",
            "27",
            "--runs",
            "500",
            "--seed",
            "1",
            "-f",
            "json",
        ).stdout
    )
    assert simulated["scenarios"][0]["commodity"] == "HS 27"
    missing = run("project", str(scenario), "--target", "20B", "--data", str(data), "--commodity", "28")
    assert missing.exit_code == 2
    assert "the data holds no USD 28 trade figure for USA–CHN in 2017" in missing.stderr
    bad = run("project", str(scenario), "--target", "20B", "--commodity", "rest")
    assert (bad.exit_code, bad.stderr.count("\n")) == (2, 1)


def test_a_bare_code_in_two_classifications_is_refused_naming_both(run: Any, tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "two.csv").write_text(
        "kind,reporter,partner,flow,year,period,value,unit,status,reported_by,source,url,note,classification,commodity\n"
        "trade,USA,CHN,total,2017,FY,9.0,USD_bn,reported,USA,t,,,H5,3\n"
        "trade,USA,CHN,total,2017,FY,4.0,USD_bn,reported,USA,t,,,S4,3\n",
        encoding="utf-8",
    )
    scenario = tmp_path / "usa.toml"
    scenario.write_text(
        'reporter = "USA"\npartner = "CHN"\nbase_year = 2017\n[baseline]\ntotal = "3.9T"\n'
        '[growth]\nbilateral = "5%"\nrest_of_world = "3%"\n',
        encoding="utf-8",
    )
    refused = run("project", str(scenario), "--target", "20B", "--data", str(data), "--commodity", "3")
    assert refused.exit_code == 2
    assert "commodity 3 is in HS and SITC in the data for USA–CHN: say which (HS:3, SITC:3)" in refused.stderr
    sitc = run(
        "project",
        str(scenario),
        "--target",
        "20B",
        "--data",
        str(data),
        "--commodity",
        "SITC:3",
        "-f",
        "json",
    )
    assert json.loads(sitc.stdout)["scenarios"][0]["baseline"] == 4e9


def test_mirror_compares_the_same_commodity_on_both_sides(run: Any, tmp_path: Path) -> None:
    """CHN's imports of HS 8542 from the USA (the real Comtrade+ file) beside the USA's exports of HS 8542 to
    China (a row of the user's), never beside the USA's exports of all goods."""
    data = tmp_path / "data"
    data.mkdir()
    _import(run, CHIPS, data, "chips.csv", "--commodity", "8542")
    (data / "usa.csv").write_text(
        "kind,reporter,partner,flow,year,period,value,unit,status,reported_by,source,url,note,classification,commodity\n"
        "trade,USA,CHN,export,2022,FY,4.0,USD_bn,reported,USA,t,,,H6,8542\n"
        "trade,USA,CHN,export,2022,FY,154.0,USD_bn,reported,USA,t,,,TOTAL,TOTAL\n",
        encoding="utf-8",
    )
    import csv

    with CHIPS.open(encoding="utf-8-sig", newline="") as handle:  # the raw file, read independently
        china = [
            float(r["primaryValue"])
            for r in csv.DictReader(handle)
            if r["refYear"] == "2022" and r["flowCode"] == "M" and r["partner2Code"] == "0"
            and r["customsCode"] == "C00" and r["motCode"] == "0"
        ]  # fmt: skip
    assert len(china) == 1
    result = run("data", "mirror", "--reporter", "CHN", "--partner", "USA", "--data", str(data),
                 "--commodity", "8542", "-f", "json")  # fmt: skip
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["commodity"] == "HS 8542"
    row = next(r for r in document["rows"] if r["year"] == 2022 and r["flow"] == "import")
    assert row["reported"] == pytest.approx(china[0], rel=1e-15)
    assert row["mirror"] == 4.0e9  # the USA's HS 8542 exports, not its $154B of all goods
    assert row["ratio"] == pytest.approx(china[0] / 4.0e9)
    table = run(
        "data", "mirror", "--reporter", "CHN", "--partner", "USA", "--data", str(data), "--commodity", "8542"
    )
    assert table.stdout.startswith("CHN–USA HS 8542 trade as each side reports it, USD")


FUEL_AND_TOTAL = (
    "kind,reporter,partner,flow,year,period,value,unit,status,reported_by,source,url,note,classification,commodity\n"
    "trade,USA,CHN,total,2017,h1,4,USD_bn,reported,USA,t,,,H5,27\n"
    "trade,USA,CHN,total,2017,FY,9,USD_bn,reported,USA,t,,,H5,27\n"
    "trade,USA,CHN,total,2018,h1,5,USD_bn,reported,USA,t,,,H5,27\n"
    "trade,USA,CHN,total,2018,FY,10.5,USD_bn,reported,USA,t,,,H5,27\n"
    "trade,USA,CHN,total,2019,h1,6,USD_bn,reported,USA,t,,,H5,27\n"
    "trade,USA,CHN,total,2017,h1,100,USD_bn,reported,USA,t,,,TOTAL,TOTAL\n"
    "trade,USA,CHN,total,2017,FY,300,USD_bn,reported,USA,t,,,TOTAL,TOTAL\n"
    "trade,USA,CHN,total,2018,h1,120,USD_bn,reported,USA,t,,,TOTAL,TOTAL\n"
    "trade,USA,CHN,total,2018,FY,360,USD_bn,reported,USA,t,,,TOTAL,TOTAL\n"
    "trade,USA,CHN,total,2019,h1,150,USD_bn,reported,USA,t,,,TOTAL,TOTAL\n"
)


def test_nowcast_of_one_product_uses_that_products_history_only(run: Any, tmp_path: Path) -> None:
    """HS 27's 2019 from its own h1 and its own h1/FY history (2017: ×2.25, 2018: ×2.1), never the pair's
    (×3 both years); the pair's nowcast is unchanged by the product's rows."""
    import math

    data = tmp_path / "data"
    data.mkdir()
    (data / "usa.csv").write_text(FUEL_AND_TOTAL, encoding="utf-8")
    fuel = run(
        "nowcast",
        "--reporter",
        "USA",
        "--partner",
        "CHN",
        "--data",
        str(data),
        "--commodity",
        "27",
        "-f",
        "json",
    )
    assert fuel.exit_code == 0, fuel.stderr
    estimate = json.loads(fuel.stdout)
    assert estimate["commodity"] == "HS 27"
    assert estimate["estimate"] == pytest.approx(6e9 * math.sqrt(9 / 4 * 10.5 / 5), rel=1e-12)
    assert [r["full_over_partial"] for r in estimate["ratios"]] == pytest.approx([2.25, 2.1])
    pair = json.loads(
        run("nowcast", "--reporter", "USA", "--partner", "CHN", "--data", str(data), "-f", "json").stdout
    )
    assert "commodity" not in pair
    assert pair["estimate"] == pytest.approx(150e9 * 3, rel=1e-12)
    table = run(
        "nowcast", "--reporter", "USA", "--partner", "CHN", "--data", str(data), "--commodity", "HS:27"
    )
    assert table.stdout.startswith("USA–CHN HS 27 trade, full year 2019")
    missing = run(
        "nowcast", "--reporter", "USA", "--partner", "CHN", "--data", str(data), "--commodity", "28"
    )
    assert missing.exit_code == 2
    assert "hold no USA–CHN row of commodity 28" in missing.stderr


def test_backtest_of_one_product_scores_that_products_series(run: Any, tmp_path: Path) -> None:
    """cagr:1 from 2018 (HS 27: 10 after 8) projects 12.5 for 2019 against its actual 11; the pair's rows of all
    goods (100, 200, 400, 800) never enter the product's series."""
    data = tmp_path / "data"
    data.mkdir()
    head = "kind,reporter,partner,flow,year,period,value,unit,status,reported_by,source,url,note,classification,commodity\n"
    fuel = "".join(
        f"trade,USA,CHN,total,{y},FY,{v},USD_bn,reported,USA,t,,,H5,27\n"
        for y, v in ((2017, 8), (2018, 10), (2019, 11))
    )
    total = "".join(
        f"trade,USA,CHN,total,{y},FY,{v},USD_bn,reported,USA,t,,,TOTAL,TOTAL\n"
        for y, v in ((2016, 100), (2017, 200), (2018, 400), (2019, 800))
    )
    (data / "usa.csv").write_text(head + fuel + total, encoding="utf-8")
    result = run("backtest", "--reporter", "USA", "--partner", "CHN", "--data", str(data), "--commodity", "27",
                 "--method", "cagr:1", "--horizons", "1", "-f", "json")  # fmt: skip
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["commodity"] == "HS 27"
    assert [(f["origin"], f["forecast"], f["actual"]) for f in document["forecasts"]] == [
        (2018, pytest.approx(10e9 * 10 / 8), 11e9)
    ]
    legs = run("backtest", "oil-and-rest", "--method", "scenario")
    assert legs.exit_code == 2
    assert "'oil-and-rest' grows its product legs instead" in legs.stderr


def test_targets_of_one_product_are_read_against_its_series(run: Any, tmp_path: Path) -> None:
    """A target stated for HS 27 is never read against the pair's trade in all goods, nor the reverse."""
    data = tmp_path / "data"
    data.mkdir()
    head = "kind,reporter,partner,flow,year,period,value,unit,status,reported_by,source,url,note,classification,commodity\n"
    rows = (
        "trade,USA,CHN,total,2018,FY,10,USD_bn,reported,USA,t,,,H5,27\n"
        "trade,USA,CHN,total,2019,FY,11,USD_bn,reported,USA,t,,,H5,27\n"
        "trade,USA,CHN,total,2019,FY,600,USD_bn,reported,USA,t,,,TOTAL,TOTAL\n"
        "target,USA,CHN,total,2025,by,20,USD_bn,stated,USA,fuel pledge,,,H5,27\n"
    )
    (data / "usa.csv").write_text(head + rows, encoding="utf-8")
    fuel = run("targets", "--reporter", "USA", "--data", str(data), "--commodity", "27", "-f", "json")
    assert fuel.exit_code == 0, fuel.stderr
    document = json.loads(fuel.stdout)
    assert document["commodity"] == "commodity 27"
    assert document["portfolio"] is None
    (target,) = document["targets"]
    assert target["value"] == 20e9
    assert target["latest_actual"]["value"] == 11e9  # the HS 27 series, not the $600B of all goods
    plain = run("targets", "--reporter", "USA", "--data", str(data), "-f", "json")
    assert plain.exit_code == 2  # the fuel pledge is not a target of the pair's trade: USA has none
    assert "no target of USA in the data or the scenarios" in plain.stderr


def test_the_chart_and_every_solve_name_the_product(run: Any, tmp_path: Path) -> None:
    data, scenario = _chapter_27(run, tmp_path)
    common = ("--data", str(data), "--commodity", "27")
    chart = tmp_path / "p.svg"
    assert run("plot", "paths", str(scenario), "--target", "20B", "-o", str(chart), *common).exit_code == 0
    text = " ".join(chart.read_text(encoding="utf-8").split())  # a title wrapped over two lines
    assert "United States of America–China HS 27 trade: scenarios against the target" in text
    share = run("solve", "share", str(scenario), "--target", "20B", "--share", "1%", *common)
    assert share.stdout.startswith("Solved: the total trade at which $20.0B of HS 27 trade is 1.0% of it")
    rest = run("solve", "rest-growth", str(scenario), "--share", "1%", "--by", "2022", *common)
    assert "makes the share of HS 27 trade 1.0% in 2022" in rest.stdout
