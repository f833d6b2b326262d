"""The manual (``docs/``): it builds strictly and offline, its reference pages are what the application and the
schema generate, and every console example in it and in the README prints what it shows."""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from tests.conftest import REPO
from tests.docs_console import examples, matches, pages, run


def test_the_readme_is_a_landing_page() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert len(readme.encode("utf-8")) <= 10_240
    for heading in ("## Set-up: two commands", "## The main job", "## The manual", "## Licence"):
        assert heading in readme
    assert "python3 -m venv" in readme  # how to make the virtual environment a fresh machine needs


def test_the_command_reference_is_what_the_application_generates() -> None:
    from tradesim.cli.reference import markdown

    written = (REPO / "docs" / "reference" / "cli.md").read_text(encoding="utf-8")
    assert written == markdown(), "regenerate: python -m tradesim.cli.reference > docs/reference/cli.md"
    for command in ("tradesim project", "tradesim data import", "tradesim solve growth", "tradesim targets"):
        assert f"## `{command}`" in written


def test_the_scenario_keys_are_what_the_schema_generates() -> None:
    from tradesim.jsonschema import key_table

    assert key_table() in (REPO / "docs" / "reference" / "scenario-files.md").read_text(encoding="utf-8")


def test_the_tutorials_scenario_is_the_file_it_shows() -> None:
    page = (REPO / "docs" / "tutorial" / "index.md").read_text(encoding="utf-8")
    shown = re.search(r"```toml\n(.*?)```", page, re.S)
    assert shown
    assert shown.group(1) == (REPO / "docs" / "tutorial" / "scenarios" / "mine.toml").read_text(
        encoding="utf-8"
    )


EXAMPLES = [e for page in pages() for e in examples(page) if not e.comment.startswith("after")]


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda e: f"{e.file.relative_to(REPO)}:{e.line}")
def test_every_console_example_prints_what_it_shows(example: object, tmp_path: Path) -> None:
    printed = run(example, tmp_path)  # type: ignore[arg-type]
    assert matches(example.expected, printed), (  # type: ignore[attr-defined]
        "\n".join(printed) + "\n(regenerate: python -m tests.docs_console --regenerate)"
    )


def test_every_page_is_in_the_table_of_contents() -> None:
    index = (REPO / "docs" / "index.md").read_text(encoding="utf-8")
    for page in (REPO / "docs").rglob("*.md"):
        name = str(page.relative_to(REPO / "docs").with_suffix(""))
        assert name == "index" or name in index, name


@pytest.mark.slow
@pytest.mark.skipif(
    importlib.util.find_spec("sphinx") is None, reason="needs the docs extra: pip install -e '.[docs]'"
)
def test_the_manual_builds_strictly_and_fetches_nothing() -> None:
    with tempfile.TemporaryDirectory() as out:
        done = subprocess.run(
            [sys.executable, "-m", "sphinx", "-W", "--keep-going", "-q", "-b", "html", str(REPO / "docs"), out],
            capture_output=True, text=True, timeout=600, check=False,
        )  # fmt: skip
        assert done.returncode == 0, done.stdout + done.stderr
        built = Path(out)
        assert (built / "tutorial" / "index.html").is_file()
        assert (built / "reference" / "cli.html").is_file()
        for page in built.rglob("*.html"):  # offline: no font, script or style from elsewhere
            text = page.read_text(encoding="utf-8")
            remote = re.findall(r'<(?:script|link)[^>]+(?:src|href)="(https?://[^"]+)"', text)
            assert remote == [], (page, remote)
