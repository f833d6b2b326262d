"""A euro scenario through every command (issue 17): every printed figure in euros, every JSON saying so.

The dollar figures of the shipped data are converted at the ECB's annual average (2023: about 1.0813 USD per
EUR, recomputed in the test from the same daily rates); a `$` anywhere in a euro run's table is a bug."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.unit.test_currency import _usd_per_eur

EURO = (
    'currency = "EUR"\n[growth]\nbilateral = "5%"\nrest_of_world = "3%"\n'
    '[[targets]]\nvalue = "€18B"\n'
    '[[claims]]\nquote = "about €20B by 2030"\nmetric = "bilateral"\nyear = 2030\nvalue = "20B"\nrtol = 0.05\n'
    '[[expect]]\nmetric = "reached_year"\nvalue = 2030\n  # 14.5 / 1.0813 = €13.4B; 18 / 13.4 = 1.34 = 1.05^6.03\n'
)


@pytest.fixture
def euro(write_scenario: Callable[..., Path]) -> Path:
    return write_scenario("eur", EURO)


def _commands(path: Path) -> dict[str, list[str]]:
    folder = ["--scenarios", str(path.parent)]
    return {
        "project": ["project", str(path)],
        "simulate": ["simulate", str(path), "--runs", "2000", "--seed", "1"],
        "sensitivity": ["sensitivity", str(path)],
        "grid": [
            "sensitivity",
            str(path),
            "--grid",
            "target=15e9:20e9:5e9",
            "--grid",
            "baseline=13e9:14e9:1e9",
        ],
        "solve growth": ["solve", "growth", str(path), "--target", "€18B", "--by", "2028"],
        "solve year": ["solve", "year", str(path), "--target", "€18B"],
        "solve share": ["solve", "share", str(path), "--target", "€18B", "--share", "1/6"],
        "audit": ["audit", path.stem, *folder],
        "check": ["check", path.stem, *folder],
        "backtest": ["backtest", "--currency", "EUR", "--method", "cagr:1"],
        "nowcast": ["nowcast", "--currency", "EUR"],
    }


@pytest.mark.parametrize(
    "name",
    ["project", "simulate", "sensitivity", "grid", "solve growth", "solve year", "solve share", "audit",
     "check", "backtest", "nowcast"],
)  # fmt: skip
def test_no_dollar_sign_in_a_euro_run_and_the_json_says_euro(run: Any, euro: Path, name: str) -> None:
    args = _commands(euro)[name]
    if name == "check":
        assert run(*args, "--update").exit_code == 0
    table = run(*args)
    assert table.exit_code in (0, 1), table.stderr  # check and audit report a failure with exit 1 at most
    assert "$" not in table.stdout, table.stdout
    if name != "check":  # a check that passes prints no figure
        assert "€" in table.stdout
    document = json.loads(run(*args, "--format", "json").stdout)
    assert "EUR" in json.dumps(document)
    assert '"USD"' not in json.dumps({k: v for k, v in document.items() if k != "used"})


def test_the_numbers_are_the_dollar_ones_converted(run: Any, euro: Path) -> None:
    rate = _usd_per_eur(2023)
    (answer,) = json.loads(run(*_commands(euro)["solve share"], "--format", "json").stdout)["results"]
    assert answer["currency"] == "EUR"
    assert answer["amount"] == 18e9
    assert answer["total"] == pytest.approx(18e9 * 6)
    # the scenario's own total: the 2023 total of $139.6B in euros, the rest of trade +3%/yr to the year reached
    projected = json.loads(run("project", str(euro), "--format", "json").stdout)["scenarios"][0]
    assert projected["baseline_total"] == pytest.approx(139.551207e9 / rate, rel=1e-9)
    year = answer["year"]
    assert answer["reference_total"] == pytest.approx(
        next(y["total"] for y in projected["years"] if y["year"] == year), rel=1e-12
    )
    dollars = run("solve", "share", str(euro), "--target", "$18B", "--share", "1/6", "--format", "json")
    (converted,) = json.loads(dollars.stdout)["results"]
    # no --year: at the horizon's rate, which is past the data: the last full year's (2025), held
    assert converted["amount"] == pytest.approx(18e9 / _usd_per_eur(2025), rel=1e-9)
    assert "target $18.0B = €" in dollars.stderr


def test_a_euro_nowcast_is_the_dollar_one_converted(run: Any) -> None:
    dollars = json.loads(run("nowcast", "--format", "json").stdout)
    euros = json.loads(run("nowcast", "--currency", "EUR", "--format", "json").stdout)
    rate = _usd_per_eur(dollars["year"])
    assert euros["currency"] == "EUR"
    assert euros["partial"] == pytest.approx(dollars["partial"] / rate, rel=1e-9)
    assert euros["estimate"] == pytest.approx(dollars["estimate"] / rate, rel=1e-9)
    assert run("nowcast", "--currency", "euro").exit_code == 2


TENGE_RATES = {2023: 456.31, 2024: 469.44, 2025: 521.59}  # test rates, KZT per USD (the ECB has no tenge)


@pytest.fixture
def tenge(write_scenario: Callable[..., Path], tmp_path: Path) -> tuple[Path, Path]:
    """A data folder of the user's KZT rates, and the euro scenario in tenge."""
    data = tmp_path / "rates"
    data.mkdir()
    (data / "kzt.csv").write_text(
        "kind,reporter,partner,flow,year,period,value,unit,status,reported_by,source,url,note\n"
        + "".join(
            f"fx,USD,KZT,rate,{y},FY,{r},KZT_per_USD,reported,NBK,test rate,,\n"
            for y, r in TENGE_RATES.items()
        ),
        encoding="utf-8",
    )
    path = write_scenario(
        "kzt", EURO.replace('"EUR"', '"KZT"').replace("€18B", "9T KZT").replace('"20B"', '"10T"')
    )
    return data, path


@pytest.mark.parametrize(
    "name", ["project", "simulate", "sensitivity", "solve growth", "solve share", "audit"]
)
def test_a_tenge_scenario_on_the_users_rates(run: Any, tenge: tuple[Path, Path], name: str) -> None:
    data, path = tenge
    args = [a.replace("€18B", "9T KZT") for a in _commands(path)[name]]
    table = run(*args, "--data", str(data))
    assert table.exit_code in (0, 1), table.stderr
    assert "$" not in table.stdout
    assert "KZT" in table.stdout
    if name == "project":
        (entry,) = json.loads(run(*args, "--data", str(data), "--format", "json").stdout)["scenarios"]
        assert entry["baseline"] == pytest.approx(14.5e9 * TENGE_RATES[2023], rel=1e-9)
        assert entry["target"] == 9e12


def test_a_bare_number_far_below_the_pairs_actuals_is_refused(run: Any, tenge: tuple[Path, Path]) -> None:
    """A tenge pair trades KZT trillions: `--target 5000000` (above the one-million floor) is a missing B."""
    data, path = tenge
    for command in (["project", str(path)], ["solve", "growth", str(path), "--by", "2028"]):
        refused = run(*command, "--target", "5000000", "--data", str(data))
        assert refused.exit_code == 2
        assert "--target 5000000 has no scale" in refused.stderr
        assert "below a millionth of KAZ–ITA trade" in refused.stderr
        assert "did you mean 5000000B?" in refused.stderr
        assert (
            run(*command, "--target", "5000000 KZT", "--data", str(data)).exit_code == 0
        )  # meant as written
    assert run("project", "steady", "--target", "20e9").exit_code == 0  # a bare number of the right size


@pytest.mark.parametrize("kind", ["paths", "fan", "tornado"])
def test_no_dollar_sign_in_a_euro_chart(run: Any, euro: Path, tmp_path: Path, kind: str) -> None:
    """The charts' text, written as SVG text (not glyph paths) so it can be read: euros, never dollars."""
    import matplotlib

    out = tmp_path / f"{kind}.svg"
    with matplotlib.rc_context({"svg.fonttype": "none"}):
        args = ["plot", kind, str(euro), "-o", str(out)] + (["--runs", "2000"] if kind == "fan" else [])
        result = run(*args)
    assert result.exit_code == 0, result.stderr
    svg = out.read_text(encoding="utf-8")
    assert "€" in svg
    assert "$" not in svg.replace("\\$", "")  # matplotlib's own escapes aside


def test_a_scenario_files_bare_amounts_far_below_the_pairs_actuals_are_refused_at_their_keys(
    run: Any, write_scenario: Callable[..., Path], tenge: tuple[Path, Path]
) -> None:
    """The --target rule for a file's own amounts: KAZ–ITA trade is $20.0B in 2024 = KZT 9.39T at the test
    rate 469.44; a target of 5000000 (tenge, no scale) is below its millionth (KZT 9.39M), and so is a baseline of
    5000000: each refused naming file, line and key, with the likely reading. Written with a unit it is taken."""
    data, _ = tenge
    body = (
        'currency = "KZT"\n[growth]\nbilateral = "5%"\nrest_of_world = "3%"\n[[targets]]\nvalue = 5000000\n'
    )
    path = write_scenario("bare", body)
    refused = run("project", str(path), "--data", str(data))
    assert refused.exit_code == 2
    assert f"{path}:6: targets[0].value: 5000000 has no scale" in refused.stderr
    assert "below a millionth of KAZ–ITA trade" in refused.stderr
    assert "did you mean 5000000B?" in refused.stderr
    assert refused.stderr.count("\n") == 1
    baseline = write_scenario(
        "bare-base",
        'currency = "KZT"\n[baseline]\nbilateral = 5000000\n[growth]\nbilateral = "5%"\nrest_of_world = "3%"\n[[targets]]\nvalue = "10T"\n',
    )
    refused = run("project", str(baseline), "--data", str(data))
    assert refused.exit_code == 2
    assert f"{baseline}:3: baseline.bilateral: 5000000 has no scale" in refused.stderr
    meant = write_scenario("meant", body.replace("value = 5000000", 'value = "5000000 KZT"'))
    assert run("project", str(meant), "--data", str(data)).exit_code == 0
    # the right size, bare: taken (a dollar pair's 20e9 target)
    assert run("project", "steady", "--data", str(data)).exit_code == 0


def test_the_html_report_of_a_euro_scenario_is_in_euros(run: Any, euro: Path, tmp_path: Path) -> None:
    """The page's headline, projections, charts and sources are in euros: Kazakhstan–Italy 2024's $20.0B at the
    ECB's 2024 mean; only the announced-targets table keeps each target in its own currency, each cell with its
    own symbol."""
    import html as html_module
    import re

    out = tmp_path / "eur.html"
    result = run("report", str(euro), "-o", str(out))
    assert result.exit_code == 0, result.stderr
    page = out.read_text(encoding="utf-8")
    targets = page.index("announced targets</h2>")
    sources = page.index("<h2>Sources</h2>")
    kept = page[:targets] + page[sources:]
    text = html_module.unescape(re.sub("<[^>]+>", " ", kept))
    assert "$" not in text
    usd_per_eur = _usd_per_eur(2024)
    assert f"was €{20.0 / usd_per_eur:.1f}B in 2024" in text
