"""A wide table's column headers placed in time (issue 28, "A month column is read as a year"): a month is a
month, a quarter a quarter, never the whole year; a header that cannot be placed is refused naming the column."""

from __future__ import annotations

import calendar
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tradesim.data.observation import MONTHS, PeriodHeaderError, header_period

years = st.integers(1950, 2100)


@given(years, st.integers(1, 12), st.data())
def test_every_month_form_is_that_month(year: int, month: int, data: Any) -> None:
    full, short = calendar.month_name[month], calendar.month_abbr[month]
    form = data.draw(
        st.sampled_from(
            [f"{year}M{month}", f"{year}M{month:02d}", f"{year}-{month:02d}", f"{short} {year}", f"{full} {year}",
             f"{year} {full}", f"{year} {short}", f"{short.upper()} {year}", f"{year}m{month:02d}"]
        )
    )  # fmt: skip
    assert header_period(form) == (year, MONTHS[month - 1])


@given(years, st.integers(1, 4), st.data())
def test_every_quarter_form_is_that_quarter(year: int, quarter: int, data: Any) -> None:
    form = data.draw(
        st.sampled_from(
            [f"{year}Q{quarter}", f"{year} Q{quarter}", f"Q{quarter} {year}", f"{year}-q{quarter}"]
        )
    )
    assert header_period(form) == (year, f"q{quarter}")


@given(years)
def test_a_year_is_the_full_year(year: int) -> None:
    for form in (f"{year}", f"{year} [YR{year}]", f"{year} (prelim)", f"{year}*"):
        assert header_period(form) == (year, "FY")


@pytest.mark.parametrize("header", ["2024W05", "2023/24", "2024M13", "2019-2020", "2024M0"])
def test_a_header_that_cannot_be_placed_is_refused(header: str) -> None:
    with pytest.raises(PeriodHeaderError):
        header_period(header)


def test_the_imf_monthly_layout_imports_february_as_february(run: Any, tmp_path: Path) -> None:
    """Italy→Germany, February 2024 (6,187,024,223) was imported as the whole of 2024."""
    table = tmp_path / "wide.csv"
    table.write_text("Partner,2024M1,2024M2\nDEU,5900000000,6187024223\n", encoding="utf-8")
    result = run("data", "import", "wide", str(table), "--reporter", "ITA", "--flow", "export", "--unit", "USD",
                 "-o", str(tmp_path / "out.csv"))  # fmt: skip
    assert result.exit_code == 0, result.stderr
    rows = (tmp_path / "out.csv").read_text(encoding="utf-8").splitlines()[1:]
    periods = {r.split(",")[5]: float(r.split(",")[6]) for r in rows}
    assert periods == {"jan": 5900000000.0, "feb": 6187024223.0}  # no FY built from part of the year
    refused = run("data", "import", "wide", str(table).replace("wide", "w2"), "--reporter", "ITA")
    assert refused.exit_code == 2
    week = tmp_path / "week.csv"
    week.write_text("Partner,2024W05\nDEU,1\n", encoding="utf-8")
    result = run("data", "import", "wide", str(week), "--reporter", "ITA", "--flow", "export", "--unit", "USD",
                 "-o", str(tmp_path / "w.csv"))  # fmt: skip
    assert result.exit_code == 2
    assert "column '2024W05': cannot place '2024W05' in time" in result.stderr
    assert not (tmp_path / "w.csv").exists()
