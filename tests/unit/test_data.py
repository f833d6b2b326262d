import pytest

from tradesim import data, model, scenario
from tradesim.errors import DataError

SHIPPED = data.shipped()


def test_every_row_keeps_its_provenance() -> None:
    frame = SHIPPED.frame()
    # the curated rows, the 42 read from found_figures.csv (issue 18 part 4), the BNS months summed, and the
    # exports and imports of the BNS by-country workbooks 2018–2023, the 2020 press figure for oil and the
    # World Bank's Brent prices 2015–2025 (issue 28 parts 6 and 7)
    assert len(frame) == 172 + 42 + 114 + 12 + 1 + 11
    for column in ("source", "url", "period", "status", "reported_by", "note"):
        assert column in frame.columns
    assert (frame["source"] != "").all()


def test_default_2023_baseline_is_the_article_figure() -> None:
    # the reference case's period comes from the shipped reference.toml, not from the selection rule
    baseline = model.resolve_baseline(scenario.ad_hoc(0.0, 0.0)).bilateral_source
    assert baseline is not None
    assert baseline.amount == 14.5e9
    assert baseline.period == "FY-as-stated"
    assert SHIPPED.bilateral_baseline("KAZ", "ITA", 2023).amount == 16.1e9  # the rule alone: the full year


def test_full_year_is_one_argument_away() -> None:
    baseline = SHIPPED.bilateral_baseline("KAZ", "ITA", 2023, period="FY")
    assert (baseline.amount, baseline.status) == (16.1e9, "reported")
    assert "QazTrade" in baseline.source


def test_rule_prefers_full_year_then_reported() -> None:
    # 2023 holds FY reported 16.1, FY approximate 15.0, FY-as-stated 14.5 and jan-nov 14.5: the rule takes 16.1
    assert SHIPPED.pick(reporter="KAZ", partner="ITA", year=2023).amount == 16.1e9
    # 2022 total trade: the first releases (reported 134.4, derived 134.8) are superseded by the BNS months'
    # revision, 135.53: a superseded row is never taken
    assert SHIPPED.pick(reporter="KAZ", partner="WLD", year=2022).amount == pytest.approx(135.527431e9)
    # 2020: FY reported 7.58 beats FY approximate 8.0
    assert SHIPPED.pick(reporter="KAZ", partner="ITA", year=2020).amount == pytest.approx(7.58e9)


def test_rule_falls_back_to_a_part_year_when_no_full_year_exists() -> None:
    picked = SHIPPED.pick(reporter="KAZ", partner="ITA", year=2025)
    assert picked is not None
    assert picked.period != "FY"
    assert SHIPPED.actual("KAZ", "ITA", 2025) is None  # actuals are full years only


def test_reporters_are_never_mixed() -> None:
    # 2023 Kazakhstan-China trade: $31.4B on Kazakh statistics, $41.0B on China's customs statistics
    kazakh = SHIPPED.pick(reporter="KAZ", partner="CHN", year=2023)
    chinese = SHIPPED.pick(reporter="CHN", partner="KAZ", year=2023)
    assert (kazakh.amount, kazakh.reported_by) == (31.4e9, "KAZ")
    assert (chinese.amount, chinese.reported_by) == (41.0e9, "CHN")
    assert SHIPPED.pick(reporter="KAZ", partner="CHN", year=2023, reported_by="CHN") is None


def test_doubtful_units_are_never_picked() -> None:
    picked = SHIPPED.pick(reporter="KAZ", partner="ITA", year=2022)
    assert picked.unit == "USD_bn"
    assert picked.amount == pytest.approx(14.9e9)


def _bns(flow: str) -> dict[tuple[int, int], float]:
    """The BNS monthly figures (thousand USD) as the raw file has them, read here."""
    import csv

    from tests.conftest import REPO

    path = REPO / "tests" / "data" / "bns" / f"{flow}_monthly.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        return {(int(r["date"][:4]), int(r["date"][5:7])): float(r["value"]) for r in csv.DictReader(handle)}


def test_the_2023_total_is_the_bns_months_summed_and_says_so() -> None:
    exports, imports = _bns("exports"), _bns("imports")
    total = SHIPPED.total_baseline("KAZ", 2023)
    by_hand = sum(exports[(2023, m)] + imports[(2023, m)] for m in range(1, 13)) * 1e3
    assert total.amount == pytest.approx(by_hand, abs=1e3)  # $139.55B, to the thousand dollars shipped
    assert (total.status, total.reported_by) == ("derived", "KAZ")
    assert SHIPPED.caveats(total, "KAZ total trade") == [
        "KAZ total trade $139.6B (2023) is derived: BNS exports + imports, each the sum of its 12 monthly figures"
    ]
    # the often-quoted $139.8B stays, unverified, and is used by nothing
    (quoted,) = SHIPPED.select(
        kind="trade", reporter="KAZ", partner="WLD", year=2023, period="FY", status="unverified"
    )
    assert quoted.value == 139.8


def test_every_bns_sum_shipped_is_the_raw_months() -> None:
    from tradesim.data.observation import CUMULATIVE

    exports, imports = _bns("exports"), _bns("imports")
    rows = [
        o for o in SHIPPED.observations if o.reporter == "KAZ" and o.source.startswith(("BNS", "the sum"))
    ]
    assert len(rows) == 114
    for o in rows:
        months = 12 if o.period == "FY" else CUMULATIVE[o.period]
        series = {"export": [exports], "import": [imports], "total": [exports, imports]}[o.flow]
        by_hand = sum(s[(o.year, m)] for s in series for m in range(1, months + 1)) * 1e3
        assert o.amount == pytest.approx(by_hand, abs=1e3), o
    # a decade of the reporter's own January–month totals for the nowcast
    assert {o.year for o in rows if o.period == "jan-aug"} == set(range(2019, 2026))


def test_the_bns_workbooks_exports_and_imports_agree_with_the_published_totals() -> None:
    """The by-country workbooks' Italy rows (USD thousand, as the bureau prints them) are another reading of
    the same statistics as the rounded totals the press published: exports + imports lands within one unit
    of the total's last printed digit (9.95 for 2019 is 9.957 cut, not rounded)."""
    book = {
        (o.year, o.flow): o.amount
        for o in SHIPPED.observations
        if o.source.startswith("Kazakhstan Bureau of National Statistics, Основные показатели")
    }
    assert sorted({y for y, _ in book}) == list(range(2018, 2024))
    assert book[(2023, "export")] == 14_833_289.8896e3  # the workbook's cell, sheet 2023, row «Италия»
    published = {  # (USD bn, its last printed digit): KAZ totals shipped from the press; 2021's is estimated
    # (14.9 / 1.54, from 2022 and its growth), and the workbook's 9.675 confirms it
        2018: (13.2, 0.1), 2019: (9.95, 0.01), 2020: (7.58, 0.01), 2021: (9.68, 0.01), 2022: (14.9, 0.1),
        2023: (16.1, 0.1),
    }  # fmt: skip
    for year, (total, digit) in published.items():
        assert any(
            o.amount == pytest.approx(total * 1e9)
            and o.status == ("estimated" if year == 2021 else "reported")
            for o in SHIPPED.observations
            if (o.reporter, o.partner, o.flow, o.year, o.period) == ("KAZ", "ITA", "total", year, "FY")
        ), year
        both = book[(year, "export")] + book[(year, "import")]
        assert abs(both / 1e9 - total) <= digit, (year, both)


def test_as_stated_baseline_warning_names_the_part_year_and_the_alternative() -> None:
    as_stated = SHIPPED.bilateral_baseline("KAZ", "ITA", 2023, period="FY-as-stated")
    (warning,) = SHIPPED.caveats(as_stated, "bilateral baseline")
    assert "official releases give $14.5B for January–November 2023" in warning
    assert (
        "the full year was $16.1B (2023 FY, reported, KAZ statistics): run with --full-year to use it"
        in warning
    )


def test_actual_2024_reached_about_20bn() -> None:
    assert SHIPPED.actual("KAZ", "ITA", 2024).amount == 20e9


def test_a_missing_total_falls_back_to_the_world_banks_and_says_so() -> None:
    # Kazakh statistics (BNS imports start in 2019) hold no 2018 total; the WDI's: exports 60.956 + imports
    # 32.534 (the raw files' rows)
    total = SHIPPED.total_baseline("KAZ", 2018)
    assert total.amount == 60_956_000_000 + 32_534_000_000
    assert (total.reported_by, total.status) == ("WDI", "derived")
    (fallback, _) = SHIPPED.caveats(total, "KAZ total trade")
    assert "the World Bank's WDI figure" in fallback
    assert "no total of KAZ's own statistics" in fallback
    # where Kazakh statistics have the year, they are used, never the WDI's
    assert SHIPPED.total_baseline("KAZ", 2023).reported_by == "KAZ"
    # the WDI has no Taiwan: a data error, as before
    with pytest.raises(DataError, match="no USD figure for TWN's total trade in 2023"):
        SHIPPED.total_baseline("TWN", 2023)


def test_baseline_alternatives_are_distinct_published_figures() -> None:
    amounts = [o.amount for o in SHIPPED.baseline_alternatives("KAZ", "ITA", 2023)]
    assert amounts == [14.5e9, 15.0e9, 16.1e9]


def test_data_hash_is_the_sha256_of_the_shipped_file() -> None:
    import hashlib
    from importlib.resources import files

    raw = files("tradesim.data").joinpath("shipped", data.DATA_FILE).read_bytes()
    totals = files("tradesim.data").joinpath("shipped", "wdi_merchandise.csv.gz").read_bytes()
    assert SHIPPED.digest == hashlib.sha256(raw + totals).hexdigest()


def test_the_audits_findings_are_fixed_in_the_data() -> None:
    """found_figures.csv's audit: a 'January–May 2023' total whose figures are January–April's, an Italy
    target with no deadline in its source, a Uzbek-side row whose reporter the page does not state."""
    exports, imports = _bns("exports"), _bns("imports")
    may = SHIPPED.pick(reporter="KAZ", partner="WLD", year=2023, period="jan-may")
    assert may is not None
    assert may.amount == pytest.approx(
        sum(exports[(2023, m)] + imports[(2023, m)] for m in range(1, 6)) * 1e3, abs=1e3
    )
    (suspect,) = SHIPPED.select(kind="trade", reporter="KAZ", partner="WLD", year=2023, period="jan-may",
                                flow="total", status="unverified")  # fmt: skip
    assert suspect.value == 44.4
    assert "January–April" in suspect.note
    italy = [o for o in SHIPPED.select(kind="target", reporter="KAZ", partner="ITA") if "ANKASAM" in o.source]
    assert [(o.year, o.period) for o in italy] == [(0, "coming years")]
    (uzbek,) = SHIPPED.select(kind="trade", reporter="UZB", partner="KAZ", year=2023, period="jan-nov")
    assert uzbek.status == "unverified"


def _quoted_forms(value: float) -> set[str]:
    """How a figure in billions can appear in a quote: 14.7, 14,7, 24.5; or in millions (939,6 million)."""
    forms = {f"{value:g}", f"{value:.1f}", f"{value:.2f}"}
    millions = value * 1000
    forms |= {f"{millions:g}", f"{millions:.1f}"}
    if value >= 1 and value != int(value):  # "1 milyar 788 milyon"
        forms.add(f"{int(value)} milyar {round((value - int(value)) * 1000)}")
    return forms | {f.replace(".", ",") for f in forms}


def test_every_row_read_from_a_quote_carries_its_figure_in_the_quote() -> None:
    """The rows shipped from found_figures.csv (issue 18 part 4) each hold the quote they were read from, and
    the figure is in it (in billions or millions, with a decimal point or comma), with the address."""
    import csv
    import io
    from importlib.resources import files

    from tradesim.data.packaged import DATA_FILE

    text = files("tradesim.data").joinpath("shipped", DATA_FILE).read_text(encoding="utf-8")
    rows = [r for r in csv.DictReader(io.StringIO(text)) if 'read from the quote: "' in r["note"]]
    assert len(rows) >= 40
    for row in rows:
        quote = row["note"].split('read from the quote: "', 1)[1]
        assert row["url"].startswith("http"), row
        assert any(form in quote for form in _quoted_forms(float(row["value"]))), (row["value"], quote)


def test_two_sources_that_disagree_both_show_with_their_reporters() -> None:
    """Russia 2023: $26.0B (QazTrade, Kazakh statistics) and "nearly $28.5B" (a page that does not say whose
    statistics) both ship; the second is unverified and never enters Kazakhstan's own series."""
    rows = SHIPPED.select(kind="trade", reporter="KAZ", partner="RUS", year=2023)
    by_value = {o.value: o for o in rows}
    assert by_value[26.0].reported_by == "KAZ"
    assert by_value[28.5].reported_by == "UNSTATED"
    assert by_value[28.5].status == "unverified"
    assert SHIPPED.full_years("KAZ", "RUS")[2023].value == 26.0
    assert all(o.reported_by == "KAZ" for o in SHIPPED.full_years("KAZ", "RUS").values())
