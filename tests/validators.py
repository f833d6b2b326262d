"""Real validators nobody here wrote, run where they are installed: the Nu HTML checker (``vnu.jar`` under a
JRE) and axe-core in headless chromium. ``.ci/run`` installs them where it can (``npm install vnu-jar
axe-core``, a JRE from Debian) and says where through ``TRADESIM_VNU_JAR`` and ``TRADESIM_AXE_JS``; each test
that needs one is skipped, saying which, where it cannot run."""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

_NODE_MODULES = [Path(p) for p in os.environ.get("TRADESIM_NODE_MODULES", "").split(os.pathsep) if p] + [
    Path.cwd() / "node_modules",
    Path.home() / "node_modules",
]


def _first(env: str, relative: str) -> Path | None:
    given = os.environ.get(env)
    if given and Path(given).is_file():
        return Path(given)
    return next((folder / relative for folder in _NODE_MODULES if (folder / relative).is_file()), None)


def vnu_jar() -> Path | None:
    return _first("TRADESIM_VNU_JAR", "vnu-jar/build/dist/vnu.jar") if shutil.which("java") else None


def axe_js() -> Path | None:
    return _first("TRADESIM_AXE_JS", "axe-core/axe.min.js") if chromium() else None


def chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")


def _headless(browser: str, folder: str) -> list[str]:
    """Headless chromium with a profile of its own in ``folder``."""
    return [browser, "--headless", "--no-sandbox", "--disable-gpu", f"--user-data-dir={folder}/profile"]


def nu_errors(page: Path) -> list[str]:
    """The Nu HTML checker's errors (and warnings) on ``page``, one line each."""
    jar = vnu_jar()
    assert jar is not None
    done = subprocess.run(
        ["java", "-jar", str(jar), "--format", "gnu", "--also-check-svg", str(page)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    return [line for line in (done.stderr + done.stdout).splitlines() if line.strip()]


_RUNNER = """<script>%s</script><script>
axe.run(document, {resultTypes: ['violations']}).then(function (r) {
  var out = document.createElement('pre'); out.id = 'axe-result';
  out.textContent = JSON.stringify(r.violations.map(function (v) {
    return {id: v.id, impact: v.impact, help: v.help,
            targets: v.nodes.map(function (n) { return n.target.join(' '); })};
  }));
  document.body.appendChild(out);
});
</script>"""


def axe_violations(page: Path, width: int) -> list[dict[str, Any]]:
    """axe-core's violations on ``page`` in headless chromium at ``width`` CSS pixels (the page is copied with
    axe injected before ``</body>``; the result is read back from the rendered DOM)."""
    script, browser = axe_js(), chromium()
    assert script is not None
    assert browser is not None
    text = page.read_text(encoding="utf-8")
    runner = _RUNNER % script.read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / "page.html"
        copy.write_text(text.replace("</body>", runner + "</body>", 1), encoding="utf-8")
        done = subprocess.run(
            [
                *_headless(browser, folder),
                f"--window-size={width},900",
                "--virtual-time-budget=30000",
                "--dump-dom",
                copy.as_uri(),
            ],
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
    found = re.search(r'<pre id="axe-result">(.*?)</pre>', done.stdout, re.S)
    assert found, f"axe-core gave no result (chromium exit {done.returncode}): {done.stderr[-500:]}"
    violations: list[dict[str, Any]] = json.loads(html.unescape(found.group(1)))
    return violations


def screenshot(page: Path, width: int, out: Path) -> Path:
    """A PNG of ``page`` at ``width`` pixels (for looking at, not for asserting)."""
    browser = chromium()
    assert browser is not None
    with tempfile.TemporaryDirectory() as folder:
        subprocess.run(
            [
                *_headless(browser, folder),
                "--hide-scrollbars",
                f"--window-size={width},2400",
                f"--screenshot={out}",
                page.as_uri(),
            ],
            capture_output=True,
            timeout=300,
            check=False,
        )
    return out


_LAYOUT = """<script>
window.addEventListener('load', function () {
  var col = document.querySelector('main').getBoundingClientRect();
  var wide = [];
  document.querySelectorAll('.sources, .sources *, .flag, p, h1, h2, figure').forEach(function (e) {
    var r = e.getBoundingClientRect();
    if (r.width && (r.right > col.right + 1 || r.left < col.left - 1)) {
      wide.push(e.tagName + '.' + e.className + ' ' + Math.round(r.left) + '–' + Math.round(r.right));
    }
  });
  var flags = Array.prototype.map.call(document.querySelectorAll('.flag'), function (e) {
    var r = e.getBoundingClientRect(); return [r.left, r.right];
  });
  var out = document.createElement('pre'); out.id = 'layout-result';
  out.textContent = JSON.stringify({width: window.innerWidth, column: [col.left, col.right], wide: wide,
                                    flags: flags});
  document.body.appendChild(out);
});
</script>"""


def layout(page: Path, width: int) -> dict[str, Any]:
    """Where things fall on ``page`` in headless chromium at ``width`` CSS pixels: the content column, every
    element wider than it (sources, flags, paragraphs, headings, figures), and each flag's left and right."""
    browser = chromium()
    assert browser is not None
    text = page.read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / "page.html"
        copy.write_text(text.replace("</body>", _LAYOUT + "</body>", 1), encoding="utf-8")
        done = subprocess.run(
            [*_headless(browser, folder), "--hide-scrollbars", f"--window-size={width},900",
             "--virtual-time-budget=10000", "--dump-dom", copy.as_uri()],
            capture_output=True, text=True, timeout=300, check=False,
        )  # fmt: skip
    found = re.search(r'<pre id="layout-result">(.*?)</pre>', done.stdout, re.S)
    assert found, f"no layout measured (chromium exit {done.returncode}): {done.stderr[-500:]}"
    measured: dict[str, Any] = json.loads(html.unescape(found.group(1)))
    return measured


def printed_pages(page: Path, size: str, text: str | None = None) -> list[str]:
    """The text of each page of ``page`` (or of ``text``, an HTML page) printed to PDF by headless chromium on
    ``size`` paper (A4, Letter), read back by pypdf."""
    import pypdf

    browser = chromium()
    assert browser is not None
    text = page.read_text(encoding="utf-8") if text is None else text
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / "page.html"
        copy.write_text(text.replace("</style>", f"@page{{size:{size}}}</style>", 1), encoding="utf-8")
        pdf = Path(folder) / "page.pdf"
        subprocess.run(
            [*_headless(browser, folder), "--no-pdf-header-footer", f"--print-to-pdf={pdf}", copy.as_uri()],
            capture_output=True, timeout=300, check=False,
        )  # fmt: skip
        assert pdf.is_file(), "chromium printed no PDF"
        return [p.extract_text() or "" for p in pypdf.PdfReader(pdf).pages]


def printed_text(page: Path, size: str) -> str:
    """The text of ``page`` printed to PDF on ``size`` paper, whitespace collapsed."""
    return " ".join(" ".join(printed_pages(page, size)).split())


_BLOCK = re.compile(r"<(tr|figure|li)\b[^>]*>.*?</\1>", re.S)
_CELL = re.compile(r"(<(?:td|th|figcaption)\b[^>]*>)(.*?)(</(?:td|th|figcaption)>)", re.S)


def printed_blocks(page: Path, size: str) -> tuple[int, dict[int, set[int]]]:
    """Which printed pages each table row (not a header row), figure and list item of ``page`` lands on:
    every block is marked
    with short tokens (``QX12A`` at the start of each of its cells, ``QX12Z`` at the end; a figure's at its
    start and end), the marked page printed on ``size`` paper, and the tokens found on each page. Returns
    the number of blocks marked and, for each block whose tokens were found, the pages they were on: a block
    split across pages is on two."""
    text = page.read_text(encoding="utf-8")
    count = 0

    def mark(block: re.Match[str]) -> str:
        nonlocal count
        if block.group(1) == "tr" and "<td" not in block.group(0):
            return block.group(0)  # a header row, which chromium repeats on every page a table runs onto
        count += 1
        n, whole, tag = count, block.group(0), block.group(1)
        if tag in ("figure", "li"):  # a token first and last inside the element
            opened, closing = whole.index(">") + 1, len(f"</{tag}>")
            start, end = (
                (f"<span>QX{n}A</span>", f"<span>QX{n}Z</span>")
                if tag == "figure"
                else (f"QX{n}A ", f" QX{n}Z")
            )
            return f"{whole[:opened]}{start}{whole[opened:-closing]}{end}{whole[-closing:]}"
        return _CELL.sub(lambda c: f"{c.group(1)}QX{n}A {c.group(2)} QX{n}Z{c.group(3)}", whole)

    body_at = text.index("<body")
    marked = text[:body_at] + _BLOCK.sub(mark, text[body_at:])
    found: dict[int, set[int]] = {}
    for number, printed in enumerate(printed_pages(page, size, marked)):
        for token in re.findall(r"QX(\d+)[AZ]", printed):
            found.setdefault(int(token), set()).add(number)
    return count, found
