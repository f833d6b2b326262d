"""Layering, entry points and packaging, checked in fresh interpreters."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import REPO

# Every module but the CLI side: a new core module is covered without being listed here.
CLI_SIDE = {"cli", "render", "__main__"}
CORE = sorted(
    f"tradesim.{path.stem}"
    for path in (REPO / "src" / "tradesim").glob("*.py")
    if path.stem not in CLI_SIDE and not path.stem.startswith("_")
) + sorted(
    f"tradesim.{path.name}"
    for path in (REPO / "src" / "tradesim").iterdir()
    if path.is_dir() and (path / "__init__.py").exists() and path.name != "cli"
)


def _python(code: str, cwd: Path | None = None) -> str:
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=cwd)
    return done.stdout


def test_core_never_imports_typer_or_rich() -> None:
    code = f"import sys; import {', '.join(CORE)}; print(sorted({{'typer', 'rich'}} & set(sys.modules)))"
    assert _python(code) == "[]\n"


def test_help_does_not_import_pandas() -> None:
    code = (
        "import sys\nfrom tradesim.cli import app\n"
        "try:\n    app(['--help'], prog_name='tradesim')\nexcept SystemExit:\n    pass\n"
        "print('pandas' in sys.modules, file=sys.stderr)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "project" in done.stdout
    assert done.stderr.strip() == "False"


@pytest.mark.parametrize("output", ["table", "json", "markdown"])
def test_project_does_not_import_pandas(output: str) -> None:
    """The main job stays under the import floor of `import pandas, typer, rich` (benchmarks/run.py)."""
    code = (
        "import sys\nfrom tradesim.cli import app\n"
        f"try:\n    app(['project', '--target', '20e9', '--format', '{output}'], prog_name='tradesim')\n"
        "except SystemExit:\n    pass\n"
        "print(sorted({'pandas', 'scipy'} & set(sys.modules)), file=sys.stderr)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stderr.strip().splitlines()[-1] == "[]"


def test_installed_entry_point_and_module_run_from_anywhere(tmp_path: Path) -> None:
    script = Path(sys.executable).with_name("tradesim")
    for command in ([str(script)], [sys.executable, "-m", "tradesim"]):
        done = subprocess.run(
            [*command, "project", "--target", "20e9", "--format", "json"],
            capture_output=True,
            text=True,
            cwd=tmp_path,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        assert '"name": "steady"' in done.stdout
        bad = subprocess.run(
            [*command, "project", "--target", "-5"], capture_output=True, text=True, cwd=tmp_path, check=False
        )
        assert (bad.returncode, bad.stderr) == (
            2,
            "tradesim: error: --target must be greater than zero, got '-5'\n",
        )


@pytest.mark.slow
def test_wheel_carries_the_scenarios_and_the_data(tmp_path: Path) -> None:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path),
            str(REPO),
        ],
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("tradesim-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    shipped = {f"tradesim/scenarios/{p.name}" for p in (REPO / "scenarios").glob("*.toml")}
    assert shipped <= names
    assert "tradesim/data/shipped/kazakhstan_trade_sources.csv" in names
    assert "tradesim/py.typed" in names
