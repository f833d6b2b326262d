"""Product legs from the command line: the shipped oil-and-rest scenarios, their answers against hand-derived
values, and bad legs as one line naming file, line and key (exit 2, nothing written)."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path
from typing import Any

import pytest

B = 16.1e9  # KAZ–ITA 2023 full year, the shipped data's pick (QazTrade), which oil-and-rest takes


def test_the_done_when_command_answers_with_the_legs_required_growth(run: Any) -> None:
    result = run("solve", "growth", "oil-and-rest", "--leg", "HS:27", "--target", "20e9", "--by", "2027",
                 "--format", "json")  # fmt: skip
    assert result.exit_code == 0, result.stderr
    answer = json.loads(result.stdout)["results"][0]
    by_hand = ((20e9 - 0.1 * B * 1.05**4) / (0.9 * B)) ** 0.25 - 1
    assert answer["leg"] == "HS:27"
    assert answer["required_growth"] == pytest.approx(by_hand, rel=1e-12)
    assert answer["leg_baseline"] == pytest.approx(0.9 * B)
    table = run("solve", "growth", "oil-and-rest", "--leg", "HS:27", "--target", "20e9", "--by", "2027")
    assert "required growth of HS 27" in table.stdout
    assert "+5.64%/yr" in table.stdout
    assert "HS 27 alone (the other legs as in the scenario)" in table.stdout


def test_solve_price_on_the_brent_variant(run: Any) -> None:
    result = run("solve", "price", "oil-and-rest-brent", "--leg", "HS:27", "--target", "20e9", "--by", "2027",
                 "-f", "json")  # fmt: skip
    assert result.exit_code == 0, result.stderr
    answer = json.loads(result.stdout)["results"][0]
    volume = 0.9 * B / 82.61625  # barrels at the 2023 Brent average (World Bank Pink Sheet)
    assert answer["required_price"] == pytest.approx((20e9 - 0.1 * B * 1.05**4) / volume, rel=1e-12)
    assert answer["unit"] == "USD_per_bbl"
    refused = run("solve", "price", "oil-and-rest", "--leg", "HS:27", "--target", "20e9", "--by", "2027")
    assert refused.exit_code == 2
    assert refused.stderr.strip().endswith("leg HS 27 of 'oil-and-rest' has no price driver ([legs.price])")


def test_project_shows_the_legs_in_every_output(run: Any, tmp_path: Path) -> None:
    shown = run("project", "oil-and-rest", "--target", "20e9", "--detail")
    assert shown.exit_code == 0
    assert "HS 27 +0.0%/yr, other goods +5.0%/yr" in shown.stdout
    assert " HS 27 " in shown.stdout
    assert " other goods " in shown.stdout
    assert (
        "oil-and-rest: product legs in 2023: HS 27 $14.5B, 90.0% of the bilateral trade (approximate"
        in shown.stderr
    )
    document = json.loads(run("project", "oil-and-rest", "--target", "20e9", "-f", "json").stdout)[
        "scenarios"
    ][0]
    assert [leg["commodity"] for leg in document["legs"]] == ["HS:27", "rest"]
    assert document["legs"][0]["status"] == "approximate"
    assert "6.5B" in document["legs"][0]["source"]
    year = document["years"][4]
    assert year["leg:HS:27"] + year["leg:rest"] == pytest.approx(year["bilateral"], rel=1e-15)
    assert year["leg:rest"] == pytest.approx(0.1 * B * 1.05**4, rel=1e-12)
    plain = json.loads(run("project", "steady", "--target", "20e9", "-f", "json").stdout)["scenarios"][0]
    assert "legs" not in plain
    assert not any(k.startswith("leg:") for k in plain["years"][0])
    csv = run("project", "oil-and-rest", "--target", "20e9", "-f", "csv").stdout.splitlines()
    assert csv[0].endswith(",leg:HS:27,leg:rest")
    iamc = run("project", "oil-and-rest", "--target", "20e9", "-f", "iamc").stdout
    assert "Trade|KAZ|ITA|HS 27,billion USD/yr,2023,14.49" in iamc  # the scale the values carry
    assert "Trade|KAZ|ITA|Other goods,billion USD/yr,2023,1.61" in iamc


BASE = """\
base_year = 2023
[baseline]
bilateral = "16.1B"
total = "139.55B"
[growth.rest_of_world]
rate = 0.0
"""


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (  # a leg whose share exceeds the pair's trade
            '[[legs]]\ncommodity = "HS:27"\namount = "17B"\nsource = "s"\ngrowth = "2%"\n'
            '[[legs]]\ncommodity = "rest"\ngrowth = "5%"\n',
            "bad.toml:7: legs: the named legs add up to $17.0B in 2023, not below the bilateral baseline $16.1B",
        ),
        (  # a code the data does not have for the pair
            '[[legs]]\ncommodity = "HS:27"\nshare = "from data"\ngrowth = "2%"\n'
            '[[legs]]\ncommodity = "rest"\ngrowth = "5%"\n',
            "bad.toml:9: legs[0].share: leg HS:27: the data holds no KAZ-reported USD figure for HS 27",
        ),
        (  # two classifications mixed
            '[[legs]]\ncommodity = "HS:27"\nshare = "50%"\nsource = "s"\ngrowth = "2%"\n'
            '[[legs]]\ncommodity = "SITC:3"\nshare = "10%"\nsource = "s"\ngrowth = "2%"\n'
            '[[legs]]\ncommodity = "rest"\ngrowth = "5%"\n',
            "bad.toml:13: legs[1].commodity: SITC:3 is not HS like legs[0] (HS:27)",
        ),
        (  # a price leg with no price for a year
            '[[legs]]\ncommodity = "HS:27"\nshare = "90%"\nsource = "s"\ngrowth = "0%"\n'
            'price = { series = "CRUDE_BRENT" }\n[[legs]]\ncommodity = "rest"\ngrowth = "5%"\n',
            "bad.toml:12: legs[0].price.series: leg HS:27: no price for 2026",
        ),
        (  # an event on a leg the scenario does not have
            '[[legs]]\ncommodity = "HS:27"\nshare = "90%"\nsource = "s"\ngrowth = "0%"\n'
            '[[legs]]\ncommodity = "rest"\ngrowth = "5%"\n'
            '[[events]]\nlabel = "u"\nyear = 2027\nrelative = "10%"\nleg = "HS:26"\n',
            "bad.toml:19: events[0].leg: event 'u': no leg 'HS:26' (the legs: HS:27, rest)",
        ),
        (  # a leg's commodity without its classification
            '[[legs]]\ncommodity = "27"\nshare = "90%"\nsource = "s"\ngrowth = "0%"\n'
            '[[legs]]\ncommodity = "rest"\ngrowth = "5%"\n',
            'bad.toml:8: legs[0].commodity: must be classification:code, the code as the source writes it ("HS:27"',
        ),
    ],
)
def test_a_bad_leg_is_one_line_naming_file_line_and_key(
    run: Any, tmp_path: Path, body: str, expected: str
) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(BASE + textwrap.dedent(body), encoding="utf-8")
    out = tmp_path / "out.json"
    result = run("project", str(path), "--target", "20e9", "-o", str(out))
    assert result.exit_code == 2
    errors = [line for line in result.stderr.splitlines() if line.startswith("tradesim: error:")]
    assert len(errors) == 1, result.stderr
    assert expected in errors[0].replace(str(tmp_path) + "/", "")
    assert "Traceback" not in result.stderr
    assert not out.exists()


def test_the_chart_and_the_page_show_the_legs(run: Any, tmp_path: Path) -> None:
    chart = tmp_path / "legs.svg"
    drawn = run("plot", "legs", "oil-and-rest", "-o", str(chart))
    assert drawn.exit_code == 0, drawn.stderr
    text = chart.read_text(encoding="utf-8")
    assert text.startswith("<?xml")
    assert "trade by product" in text
    refused = run("plot", "legs", "steady", "-o", str(tmp_path / "no.svg"))
    assert refused.exit_code == 2
    assert "scenario 'steady' has no product legs" in refused.stderr
    assert not (tmp_path / "no.svg").exists()
    page = tmp_path / "page.html"
    assert run("report", "oil-and-rest", "-o", str(page)).exit_code == 0
    html = page.read_text(encoding="utf-8")
    assert "oil-and-rest: the trade by product" in html
    assert "base year, the HS 27 leg" in html  # the stated share in the sources, flagged
    section = html[html.index("oil-and-rest: the products of the trade") :]
    assert "$14.5B" in section[:3000]
    assert "check before quoting" in section[:3000]
    assert "$2.9B" in section[:3000]  # other goods in 2035: 1.61B · 1.05^12 = $2.89B
