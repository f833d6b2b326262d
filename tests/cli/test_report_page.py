"""`tradesim report`: one self-contained HTML page. Parsed as HTML here; rendered by a real browser when one
is installed (CI installs chromium; the test says why when it is skipped)."""

from __future__ import annotations

import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import SCENARIOS


class _Page(HTMLParser):
    """The tags, attributes and text of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def all(self, tag: str) -> list[dict[str, str | None]]:
        return [attrs for name, attrs in self.tags if name == tag]


def _parse(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    page.close()
    return page


@pytest.fixture
def page(run: Any, tmp_path: Path) -> tuple[Path, str]:
    out = tmp_path / "kaz-ita.html"
    result = run(
        "report", "steady", "article", "--scenarios", str(SCENARIOS), "--target", "20B", "-o", str(out)
    )
    assert result.exit_code == 0, result.stderr
    return out, out.read_text(encoding="utf-8")


def test_page_has_the_summary_numbers(page: tuple[Path, str]) -> None:
    _, html = page
    text = " ".join(_parse(html).text)
    # 14.5 · 1.05^t ≥ 20 ⇔ t ≥ ln(20/14.5)/ln(1.05) = 6.59: reached in 2030 from a 2023 base
    assert "2030" in text
    assert "$14.5B" in text
    assert "$20.0B" in text
    # the 2023 total is the BNS months summed (derived) and the $14.5B is Jan–Nov: both said on the page
    assert "is derived: BNS exports + imports" in text
    assert "jan-nov 2023" in text.lower() or "jan–nov 2023" in text.lower()


def test_page_is_accessible_and_self_contained(page: tuple[Path, str]) -> None:
    _, html = page
    parsed = _parse(html)
    assert html.lstrip().lower().startswith("<!doctype html>")
    assert parsed.all("html")[0].get("lang") == "en"
    assert parsed.all("table"), "no table"
    assert all(th.get("scope") in ("col", "row") for th in parsed.all("th"))
    assert parsed.all("caption"), "tables carry captions"
    svgs = parsed.all("svg")
    assert svgs
    assert all(s.get("role") == "img" and s.get("aria-label") for s in svgs)
    # nothing to run and nothing fetched when the page is opened
    assert not parsed.all("script")
    assert not parsed.all("link")
    assert not parsed.all("img")
    for tag, attrs in parsed.tags:
        for name in ("src", "href"):
            value = attrs.get(name) or ""
            assert not (tag != "a" and value), f"<{tag} {name}={value!r}> would fetch"
    assert not re.search(r"url\((?!#)", html)  # only the SVG's own clip paths, url(#id)
    assert "@import" not in html


def test_page_names_how_to_reproduce_it(page: tuple[Path, str]) -> None:
    _out, html = page
    text = " ".join(_parse(html).text)
    assert "tradesim report steady article --output" in text
    assert "--target 20B" in text


def test_simulated_page_has_the_fan(run: Any, tmp_path: Path) -> None:
    out = tmp_path / "sim.html"
    result = run(
        "report", "steady", "--scenarios", str(SCENARIOS), "--simulate", "--runs", "2000", "-o", str(out)
    )
    assert result.exit_code == 0, result.stderr
    parsed = _parse(out.read_text(encoding="utf-8"))
    assert len(parsed.all("svg")) >= 2  # paths and fan
    text = " ".join(parsed.text)
    assert "--simulate --runs 2000 --seed 1" in text
    assert "P(reached by 2035)" in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-o", "report.pdf"], "must end in .html"),
        (["-o", "no/such/folder/r.html"], "does not exist"),
        (["--target", "-5B", "-o", "r.html"], "--target"),
        (["nonesuch", "-o", "r.html"], "nonesuch"),
    ],
)
def test_bad_input_is_one_line_exit_2_and_writes_nothing(
    run: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], message: str
) -> None:
    monkeypatch.chdir(tmp_path)
    result = run("report", "--scenarios", str(SCENARIOS), *args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert result.stderr.count("\n") == 1
    assert list(tmp_path.iterdir()) == []


def _browser() -> str | None:
    return next((b for b in ("chromium", "chromium-browser", "google-chrome") if shutil.which(b)), None)


def _headless_works(browser: str, profile: Path) -> bool:
    """A browser that can render an empty page headless (a snap stub or a broken install cannot: that is the
    machine, not the report)."""
    try:
        probe = subprocess.run(
            [browser, "--headless", "--no-sandbox", "--disable-gpu", f"--user-data-dir={profile}",
             "--dump-dom", "data:text/html,<p>probe</p>"],
            capture_output=True, text=True, timeout=60, check=False,
        )  # fmt: skip
    except (OSError, subprocess.TimeoutExpired):
        return False
    return probe.returncode == 0 and "probe" in probe.stdout


@pytest.mark.skipif(_browser() is None, reason="no chromium on this machine (.ci/run installs it)")
def test_page_renders_in_a_browser_offline(page: tuple[Path, str], tmp_path: Path) -> None:
    out, _ = page
    if not _headless_works(_browser() or "", tmp_path / "probe"):
        pytest.skip(f"{_browser()} is installed but cannot render an empty page headless")
    offline = [
        _browser() or "",
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--host-resolver-rules=MAP * ~NOTFOUND",  # any fetch the page attempted would fail
        f"--user-data-dir={tmp_path / 'profile'}",
    ]
    dom = subprocess.run(
        [*offline, "--dump-dom", out.as_uri()], capture_output=True, text=True, timeout=120, check=True
    ).stdout
    assert "<svg" in dom
    assert "2030" in dom
    assert "$14.5B" in dom
    shot = tmp_path / "page.png"
    subprocess.run(
        [*offline, "--window-size=1100,2000", f"--screenshot={shot}", out.as_uri()],
        capture_output=True,
        timeout=120,
        check=True,
    )
    png = shot.read_bytes()
    assert png.startswith(b"\x89PNG")
    assert len(png) > 20_000


@pytest.mark.parametrize(
    ("q", "year"),
    [(0.05, "2027"), (0.1, "2027"), (0.11, "2028"), (0.5, "2028"), (0.8, "2029"), (0.81, "not by 2035")],
)
def test_reach_year_quantile_is_the_first_year_the_cumulative_share_reaches_q(q: float, year: str) -> None:
    from tradesim.htmlreport import reach_year_quantile

    # cumulative: 2027 0.1, 2028 0.5, 2029 0.8; a fifth never reach the target by the 2035 horizon
    assert reach_year_quantile({"2027": 0.1, "2028": 0.4, "2029": 0.3, "never": 0.2}, q, 2035) == year


def test_a_column_is_right_aligned_only_when_every_cell_is_a_figure() -> None:
    from tradesim.htmlreport import table

    mixed = table([{"growth": "+5.0%/yr"}, {"growth": "to $20.0B in 2027, then held"}])
    assert 'class="n"' not in mixed
    figures = table([{"reached": "2030", "share": "11.7%"}, {"reached": "—", "share": "13.8%"}])
    assert figures.count('<td class="n">') == 4
    assert figures.count('<th scope="col" class="n">') == 2
