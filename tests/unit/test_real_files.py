"""Real files as analysts download them (tests/data/real, SOURCES.md there says where each was read): each
imports, and its values equal the raw file's, read here with the csv module alone (no tradesim code)."""

from __future__ import annotations

import csv
import gzip
from pathlib import Path

import pytest

from tradesim.data import importers
from tradesim.data.importers import Options
from tradesim.data.importers.imported import NO_VALUE

REAL = Path(__file__).parent.parent / "data" / "real"


def raw(name: str, encoding: str) -> list[dict[str, str]]:
    with (REAL / name).open(encoding=encoding, newline="") as handle:
        return list(csv.DictReader(handle))


def values(imported: importers.Imported) -> dict[tuple[str, str, str, int, str], tuple[float, str, str]]:
    return {(r[1], r[2], r[3], r[4], r[5]): (r[6], r[7], r[8]) for r in imported.rows}


def test_comtrade_plus_portal_download() -> None:
    """Header unquoted, every data field quoted, a trailing comma, CRLF, Latin-1."""
    name = "comtradeplus_web_CHN_imports_2022_quoted.csv"
    rows = raw(name, "latin-1")
    imported = importers.read(REAL / name)
    assert imported.layout == "UN Comtrade+ CSV (portal download, every field quoted, a trailing comma)"
    assert imported.dialect.startswith("cp1252")
    assert imported.lines == len(rows) == 1352
    got = values(imported)
    flow = {"X": "export", "M": "import"}
    for reporter, partner, code in (
        ("CHN", "USA", "M"),
        ("DEU", "W00", "X"),
        ("USA", "CIV", "M"),
        ("CHN", "S19", "M"),
    ):
        row = next(
            r for r in rows if (r["reporterISO"], r["partnerISO"], r["flowCode"]) == (reporter, partner, code)
        )
        key_partner = {"W00": "WLD", "S19": "TWN"}.get(partner, partner)
        assert got[(reporter, key_partner, flow[code], 2022, "FY")] == (
            float(row["primaryValue"]),
            "USD",
            "reported",
        )
    both = {(r["reporterISO"], r["partnerCode"]) for r in rows if r["flowCode"] == "X"} & {
        (r["reporterISO"], r["partnerCode"]) for r in rows if r["flowCode"] == "M"
    }
    assert imported.derived == len(both)  # one total for each pair with both flows
    assert len(imported) - imported.derived == len(rows)  # every line an observation: nothing dropped
    assert not imported.skipped.count
    assert not imported.breakdowns.count
    taiwan = next(r for r in imported.rows if r[2] == "TWN")
    assert "Other Asia, nes" in taiwan[12]  # said, not silently renamed


def test_comtrade_plus_api_output_with_numeric_codes_only() -> None:
    """reporterISO and partnerISO empty; mosCode "0 " in two years; partner2 breakdown rows."""
    name = "comtradeplus_api_CHN_USA_8542_nodesc.csv"
    rows = raw(name, "utf-8")
    imported = importers.read(REAL / name, Options(commodity="8542"))
    assert imported.layout == "UN Comtrade+ CSV (API output, numeric codes only)"
    totals = [
        r for r in rows
        if r["partner2Code"].strip() == "0" and r["mosCode"].strip() == "0" and r["motCode"].strip() == "0"
        and r["customsCode"].strip() == "C00"
    ]  # fmt: skip
    assert {r["mosCode"] for r in totals} == {"0", "0 "}
    got = values(imported)
    assert len(got) == len(totals) == 15
    for r in totals:
        assert got[("CHN", "USA", "import", int(r["refYear"]), "FY")] == (
            float(r["primaryValue"]),
            "USD",
            "reported",
        )
    assert {2015, 2017} <= {key[3] for key in got}  # the years whose mosCode has a trailing space
    assert imported.breakdowns.count == len(rows) - len(totals)
    assert imported.lines == len(rows)


def test_legacy_web_export() -> None:
    name = "comtrade_legacy_web_bicycles_871200.csv"
    rows = raw(name, "utf-8-sig")
    imported = importers.read(REAL / name, Options(commodity="871200"))
    assert imported.layout == "legacy UN Comtrade CSV (web export)"
    got = values(imported)
    flow = {"1": "import", "2": "export", "3": "re-export", "4": "re-import"}
    for r in rows[:3] + rows[-3:] + [rows[len(rows) // 2]]:
        key = (r["Reporter ISO"], "WLD", flow[r["Trade Flow Code"]], int(r["Year"]), "FY")
        assert got[key] == (float(r["Trade Value (US$)"]), "USD", "reported")
    assert len(imported) - imported.derived == len(rows)
    assert not imported.skipped.count


def test_legacy_short_layout_by_chapter() -> None:
    name = "comtrade_legacy_short_USA_CHN_2017.csv"
    rows = raw(name, "utf-8-sig")
    imported = importers.read(REAL / name, Options(commodity="27"))
    chapter = [r for r in rows if r["Commodity Code"] == "27"]
    got = values(imported)
    flow = {"Import": "import", "Export": "export", "Re-Export": "re-export"}
    assert {k[2]: v[0] for k, v in got.items() if v[2] == "reported"} == {
        flow[r["Trade Flow"]]: float(r["Trade Value (US$)"]) for r in chapter
    }
    assert got[("USA", "CHN", "total", 2017, "FY")][0] == sum(
        float(r["Trade Value (US$)"]) for r in chapter if r["Trade Flow"] in ("Import", "Export")
    )
    assert imported.asked.count == len(rows) - len(chapter)


def test_legacy_short_layout_without_a_total_says_which_commodities_it_holds() -> None:
    imported = importers.read(REAL / "comtrade_legacy_short_USA_CHN_2017.csv")
    assert not imported
    assert imported.summary()[-1].startswith("the file's commodity codes: 01, 03, 04")


def test_wits_wide_in_thousands() -> None:
    name = "wits_wide_USA_partners_imports.csv"
    rows = raw(name, "latin-1")
    imported = importers.read(REAL / name)
    assert imported.layout == "WITS wide table"
    got = values(imported)
    names = {"Korea, Rep.": "KOR", "Russian Federation": "RUS", "Turkey": "TUR", "Vietnam": "VNM",
             "Kyrgyz Republic": "KGZ", "Soviet Union": "SUN", "Cura\xe7ao": "CUW", "China": "CHN"}  # fmt: skip
    checked = 0
    for r in rows:
        code = names.get(r["Partner Name"])
        for year in ("1991", "2005", "2018"):
            if code and r[year]:
                assert got[("USA", code, "import", int(year), "FY")] == (float(r[year]), "USD_th", "reported")
                checked += 1
    assert checked >= 12
    cells = sum(1 for r in rows for column, cell in r.items() if column.isdigit() and cell.strip())
    assert len(imported) == cells  # every figure of the file, none invented (imports only: no total)
    assert not imported.skipped.count


def test_wits_in_thousands_and_in_millions_give_the_same_dollars(tmp_path: Path) -> None:
    source = (REAL / "wits_wide_USA_partners_imports.csv").read_text(encoding="latin-1")
    lines = source.splitlines()
    millions = [lines[0]]
    for line in lines[1:]:
        cells = next(csv.reader([line]))
        cells[4] = cells[4].replace("US$ Thousand", "US$ Mil")
        cells[5:] = [repr(float(c) / 1000) if c else "" for c in cells[5:]]
        millions.append(",".join(f'"{c}"' if "," in c else c for c in cells))
    path = tmp_path / "mil.csv.gz"
    with gzip.open(path, "wt", encoding="cp1252", newline="") as handle:
        handle.write("\r\n".join(millions) + "\r\n")
    from tradesim.data.observation import money_unit

    def dollars(imported: importers.Imported) -> dict[tuple[str, str, str, int, str], float]:
        return {(r[1], r[2], r[3], r[4], r[5]): r[6] * money_unit(r[7])[1] for r in imported.rows}  # type: ignore[index]

    thousands = dollars(importers.read(REAL / "wits_wide_USA_partners_imports.csv"))
    in_millions = importers.read(path)
    assert {r[7] for r in in_millions.rows} == {"USD_mn"}
    assert dollars(in_millions) == pytest.approx(thousands, rel=1e-12)


def test_wits_long_with_a_bom() -> None:
    name = "wits_long_bom.csv"
    rows = raw(name, "utf-8-sig")
    imported = importers.read(REAL / name)
    assert imported.layout == "WITS long table"
    got = values(imported)
    for partner, code in (("Afghanistan", "AFG"), ("China", "CHN"), ("Italy", "ITA"), ("Japan", "JPN")):
        r = next(r for r in rows if r["Partner Name"] == partner)
        assert got[("AUS", code, "export", 2021, "FY")] == (
            float(r["Export (US$ Thousand)"]),
            "USD_th",
            "reported",
        )
        assert got[("AUS", code, "import", 2021, "FY")] == (
            float(r["Import (US$ Thousand)"]),
            "USD_th",
            "reported",
        )
    assert imported.lines == len(rows)
    assert not imported.skipped.count


def test_wits_long_world_to_every_partner() -> None:
    """The world's exports to each partner: reporter ` World` (a leading space), names as WITS writes them
    (cut at 30 characters, old names, regions and 'Unspecified'), rows with no figure."""
    name = "wits_long_world_partners_2018.csv"
    rows = raw(name, "utf-8")
    imported = importers.read(REAL / name)
    assert imported.layout == "WITS long table"
    got = values(imported)
    names = {"Italy": "ITA", "Kazakhstan": "KAZ", "Macedonia, FYR": "MKD", "Swaziland": "SWZ",
             "Bonaire": "BES", "South Georgia and the South Sa": "SGS", "United States Minor Outlying I": "UMI",
             "Other Asia, nes": "TWN", "Serbia, FR(Serbia/Montenegro)": "SCG", "Unspecified": "NES",
             " World": "WLD", "Free Zones": "FREE_ZONES", "Special Categories": "SPECIAL_CATEGORIES",
             "Netherlands Antilles": "ANT", "Br. Antr. Terr": "ATB"}  # fmt: skip
    for r in rows:
        if r["Partner Name"] in names and r["Export (US$ Thousand)"]:
            assert r["Reporter Name"] == " World"
            key = ("WLD", names[r["Partner Name"]], "export", 2018, "FY")
            assert got[key] == (float(r["Export (US$ Thousand)"]), "USD_th", "reported")
    empty = [r["Partner Name"] for r in rows if not r["Export (US$ Thousand)"]]
    assert empty == ["Netherlands Antilles", "Br. Antr. Terr"]
    assert imported.lines == len(rows)
    assert len(imported) == len(rows) - 2  # every figure of the file but the two rows without one
    reason = imported.skipped.reasons[NO_VALUE]
    assert (reason.count, reason.lines) == (2, [8, 19])  # file lines (1 is the header)
    assert imported.skipped.count == 2
    assert sum(v[0] for v in got.values() if v[1] == "USD_th") == pytest.approx(
        sum(float(r["Export (US$ Thousand)"]) for r in rows if r["Export (US$ Thousand)"])
    )


def test_a_sitc_section_is_read_as_sitc_not_padded_like_an_hs_chapter(tmp_path: Path) -> None:
    """Legacy Comtrade in SITC Rev. 4: `--commodity 3` is section 3 (mineral fuels), as the file writes it — not
    division 03 (fish), which padding it like an HS chapter took — and the note names SITC, not HS. Values
    against the raw file, read here with the csv module alone."""
    import csv as csv_module

    from tradesim.data import importers

    path = REAL / "comtrade_legacy_web_sitc4_section3_allreporters_world_2015.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        raw = [r for r in csv_module.DictReader(handle) if r["Reporter ISO"] == "CHN"]
    assert {r["Classification"] for r in raw} == {"S4"}
    assert {r["Commodity Code"] for r in raw} == {"3"}
    expected = {r["Trade Flow"].lower(): float(r["Trade Value (US$)"]) for r in raw}
    imported = importers.read(path, importers.Options(commodity="3", reporter="CHN"))
    rows = {r[3]: r for r in imported.rows if r[8] == "reported"}  # flow → (kind, …, value, unit, status, …)
    assert rows["export"][6] == expected["export"]
    assert rows["import"][6] == expected["import"]
    assert str(rows["export"][12]).startswith("SITC Rev. 4 3")
    assert "HS" not in str(rows["export"][12])
    padded = importers.read(path, importers.Options(commodity="03", reporter="CHN"))
    assert not padded.rows  # division 03 is not in the file: nothing taken for it


def test_imf_dots_workbook_reads_both_sheets_in_millions_with_estimates_flagged() -> None:
    """IMF DOTS: two sheets (Exports, FOB; Imports, CIF), five title rows, US$ millions, IMF names, "0.14 e"
    estimates. Checked against the workbook read here by openpyxl (not the reader tradesim uses)."""
    import openpyxl

    name = "imf_dots_KAZ_by_partner_1992_2020.xlsx"
    book = openpyxl.load_workbook(REAL / name, read_only=True, data_only=True)
    imported = importers.read(REAL / name)
    assert imported.layout == "IMF Direction of Trade Statistics (DOTS) table"
    got = values(imported)
    checked = estimated = 0
    for sheet, flow in (("Exports, FOB", "export"), ("Imports, CIF", "import")):
        rows = [r for r in book[sheet].iter_rows(values_only=True) if any(c not in (None, "") for c in r)]
        while all(r[0] in (None, "") for r in rows):  # the table starts in column B
            rows = [r[1:] for r in rows]
        assert rows[1][0] == "Kazakhstan, Rep. of"
        assert rows[2][0] == "US Dollars, Millions"
        years = {i: int(y) for i, y in enumerate(rows[3]) if i and y}
        by_name = {r[0]: r for r in rows[4:]}
        for label, partner in (("Italy", "ITA"), ("World", "WLD"), ("China, P.R.: Mainland", "CHN"),
                               ("Kyrgyz Rep.", "KGZ"), ("Netherlands, The", "NLD")):  # fmt: skip
            for i, year in years.items():
                cell = by_name[label][i]
                if cell in (None, ""):
                    assert (partner, flow, year) not in {(k[1], k[2], k[3]) for k in got if k[0] == "KAZ"}
                    continue
                text = str(cell).strip()
                flagged = text.endswith(" e")
                value = float(text.removesuffix(" e")) if isinstance(cell, str) else float(cell)
                assert got[("KAZ", partner, flow, year, "FY")] == (
                    value,
                    "USD_mn",
                    "estimated" if flagged else "reported",
                )
                checked += 1
                estimated += flagged
    assert checked > 200
    assert estimated > 0  # the flag survives: an IMF estimate is never "reported"
    # Italy 2019, by hand from the workbook: exports FOB + imports CIF, in millions
    exports = got[("KAZ", "ITA", "export", 2019, "FY")][0]
    imports = got[("KAZ", "ITA", "import", 2019, "FY")][0]
    assert got[("KAZ", "ITA", "total", 2019, "FY")] == (exports + imports, "USD_mn", "derived")
    # every partner line is a figure, a group left aside, or the repeated Australia row: nothing unaccounted
    groups = sum(r.count for k, r in imported.skipped.reasons.items() if "IMF group" in k)
    assert groups == 36
    assert imported.lines == 433
    assert any("the same row again" in k for k in imported.skipped.reasons)


def test_imf_dots_refuses_a_commodity_and_a_reporter_it_does_not_hold() -> None:
    name = "imf_dots_KAZ_by_partner_1992_2020.xlsx"
    with pytest.raises(importers.InputError, match="all goods only"):
        importers.read(REAL / name, Options(commodity="27"))
    imported = importers.read(REAL / name, Options(reporter="ITA"))
    assert not imported.rows
    assert imported.asked.count == imported.lines


def test_wdi_download_with_its_metadata_lines() -> None:
    """WDI's CSV button: a BOM, four metadata lines, every field quoted, a trailing comma; goods and services
    (NE.EXP.GNFS.CD) stays goods and services, never merchandise trade. Values against the csv module."""
    name = "wdi_api_NE.EXP.GNFS.CD_exports_goods_services.csv"
    with (REAL / name).open(encoding="utf-8-sig", newline="") as handle:
        lines = list(csv.reader(handle))
    assert lines[2][:2] == ["Last Updated Date", "2024-02-21"]
    header = lines[4]
    table = [dict(zip(header, r, strict=False)) for r in lines[5:] if r]
    imported = importers.read(REAL / name)
    assert imported.layout == "World Bank WDI download (one indicator, a column per year)"
    rows = {(r[0], r[1], r[2], r[3], r[4]): r for r in imported.rows}
    for code in ("KAZ", "ITA", "USA", "CHN"):
        raw_row = next(r for r in table if r["Country Code"] == code)
        for year in range(1960, 2023):
            cell = raw_row[str(year)]
            key = ("goods_and_services", code, "WLD", "export", year)
            if not cell:
                assert key not in rows
                continue
            row = rows[key]
            assert (row[6], row[7], row[8], row[9], row[13]) == (
                float(cell),
                "USD",
                "reported",
                "WDI",
                "2024-02-21",
            )
    assert not any(r[0] == "trade" for r in imported.rows)  # never taken for goods trade
    assert imported.lines == len(table) == 266


def test_wdi_download_of_an_indicator_it_does_not_read_is_refused_naming_it(tmp_path: Path) -> None:
    name = "wdi_api_NE.EXP.GNFS.CD_exports_goods_services.csv"
    text = (REAL / name).read_text(encoding="utf-8-sig").replace("NE.EXP.GNFS.CD", "NE.EXP.GNFS.ZS")
    path = tmp_path / "API_NE.EXP.GNFS.ZS.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(importers.InputError, match=r"line 6: WDI indicator NE\.EXP\.GNFS\.ZS"):
        importers.read(path)
