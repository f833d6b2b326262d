"""Layering, entry points and packaging, checked in fresh interpreters."""

from __future__ import annotations

import ast
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


def _imports(path: Path, package: str) -> set[str]:
    """The ``package`` modules ``path`` imports anywhere (module level or inside a function)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module, *(f"{node.module}.{a.name}" for a in node.names)]
        elif isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        else:
            continue
        found |= {name for name in names if name.startswith(package + ".")}
    return found


def test_the_data_modules_import_each_other_in_one_direction() -> None:
    """No circle among tradesim.data's modules (observation → currency → dataset → folders → ...)."""
    root = REPO / "src" / "tradesim" / "data"
    modules = {}
    for path in root.rglob("*.py"):
        parts = path.relative_to(root).with_suffix("").parts
        name = ".".join(("tradesim.data", *parts)).removesuffix(".__init__")
        modules[name] = path
    graph = {
        name: {m for m in _imports(path, "tradesim.data") if m in modules and m != name}
        for name, path in modules.items()
        if not name.endswith(("tradesim.data", "importers"))  # packages re-export what is below them
    }
    visiting: list[str] = []
    done: set[str] = set()

    def visit(name: str) -> None:
        if name in done or name not in graph:
            return
        assert name not in visiting, "import circle: " + " → ".join([*visiting[visiting.index(name) :], name])
        visiting.append(name)
        for other in sorted(graph[name]):
            visit(other)
        visiting.pop()
        done.add(name)

    for name in sorted(graph):
        visit(name)
    assert graph["tradesim.data.observation"] == set()  # the vocabulary needs nothing of its own


def test_only_the_cli_looks_for_a_data_folder() -> None:
    """The environment and the working folder are read by the command line, never behind a caller's back."""
    naming = sorted(
        str(path.relative_to(REPO))
        for path in (REPO / "src" / "tradesim").rglob("*.py")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Constant) and node.value in ("TRADESIM_DATA", "TRADESIM_SCENARIOS")
    )
    assert naming == ["src/tradesim/cli/locations.py", "src/tradesim/cli/locations.py"]


def test_no_core_module_reads_the_environment_or_the_working_folder() -> None:
    """Where the scenario and data folders are is decided by the CLI (``tradesim.cli.locations``): no core
    module reads ``os.environ``, ``os.getenv``, ``Path.cwd`` or ``os.getcwd`` (the console script's own
    stream set-up aside, which is the command line's boundary too)."""
    readers = []
    for path in (REPO / "src" / "tradesim").rglob("*.py"):
        if "cli" in path.parts or path.name == "console.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and node.attr in ("environ", "getenv", "cwd", "getcwd"):
                readers.append(f"{path.relative_to(REPO)}:{node.lineno}: {node.attr}")
    assert readers == []
    core = [p for p in (REPO / "src" / "tradesim").rglob("*.py") if "cli" not in p.parts]
    assert not [p.name for p in core if "options.dataset" in p.read_text(encoding="utf-8")]


def test_the_api_gives_the_same_numbers_from_any_working_folder(tmp_path: Path) -> None:
    """A notebook folder with an unrelated ``data/`` (and $TRADESIM_DATA set) changes nothing: the data is
    what the caller passes."""
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "total.csv").write_text(
        "kind,reporter,partner,flow,year,period,value,unit,status,reported_by,source,url,note\n"
        "trade,KAZ,WLD,total,2023,FY,150,USD_bn,reported,KAZ,Mine,,\n",
        encoding="utf-8",
    )
    notebook = tmp_path / "notebook"
    (notebook / "data").mkdir(parents=True)
    (notebook / "data" / "prices.csv").write_text("date,price\n2024-01-01,3\n", encoding="utf-8")
    steady = REPO / "scenarios" / "steady.toml"
    code = (
        "from tradesim import data, model, scenario\n"
        f"s = scenario.load({str(steady)!r})\n"
        "print(model.project(s).value('total', 2030))\n"
        f"print(model.project(s, data=data.load({str(mine)!r})).value('total', 2030))\n"
    )
    import os

    environment = {**os.environ, "TRADESIM_DATA": str(notebook / "data")}
    outputs = [
        subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=cwd, env=env
        ).stdout
        for cwd, env in ((REPO, None), (notebook, None), (notebook, environment))
    ]
    assert outputs[0] == outputs[1] == outputs[2]
    shipped, own = map(float, outputs[0].split())
    # 2030 is 7 years on at +5% (bilateral, from 14.5) and +3% (the rest: total − 14.5)
    assert shipped == pytest.approx(14.5e9 * 1.05**7 + (139.551207e9 - 14.5e9) * 1.03**7)
    assert own == pytest.approx(14.5e9 * 1.05**7 + (150e9 - 14.5e9) * 1.03**7)


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
@pytest.mark.parametrize("by", [[], ["--by", "2027"]])
def test_project_does_not_import_pandas(output: str, by: list[str]) -> None:
    """The main job, with or without --by, imports neither pandas nor scipy (benchmarks/run.py)."""
    code = (
        "import sys\nfrom tradesim.cli import app\n"
        f"try:\n    app(['project', '--target', '20e9', '--format', '{output}', *{by!r}], prog_name='tradesim')\n"
        "except SystemExit:\n    pass\n"
        "print(sorted({'pandas', 'scipy'} & set(sys.modules)), file=sys.stderr)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stderr.strip().splitlines()[-1] == "[]"


def test_a_command_imports_only_its_own_module_and_help_imports_none() -> None:
    """Subcommands are loaded on first use: `project` builds project's options only; `--help` lists every
    command from the application's table, importing none of them."""
    code = (
        "import sys\nfrom tradesim.cli import app\n"
        "try:\n    app(sys.argv[1:], prog_name='tradesim')\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in sys.modules if m.startswith('tradesim.cli.')), file=sys.stderr)"
    )
    helped = subprocess.run(
        [sys.executable, "-c", code, "--help"], capture_output=True, text=True, check=True
    )
    loaded = helped.stderr.strip().splitlines()[-1]
    assert "tradesim.cli.project" not in loaded
    assert "tradesim.cli.data" not in loaded
    assert "solve" in helped.stdout
    project = subprocess.run(
        [sys.executable, "-c", code, "project", "--target", "20e9"],
        capture_output=True,
        text=True,
        check=True,
    )
    modules = ast.literal_eval(project.stderr.strip().splitlines()[-1])  # the list printed above
    others = {"tradesim.cli.data", "tradesim.cli.solve", "tradesim.cli.uncertainty", "tradesim.cli.htmlreport",
              "tradesim.cli.audit", "tradesim.cli.check", "tradesim.cli.targets", "tradesim.cli.nowcast",
              "tradesim.cli.backtest", "tradesim.cli.scenarios"}  # fmt: skip
    assert "tradesim.cli.project" in modules
    assert not others & set(modules), sorted(others & set(modules))


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
    (wheel,) = tmp_path.glob("tradesim_bilateral-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    shipped = {f"tradesim/scenarios/{p.name}" for p in (REPO / "scenarios").glob("*.toml")}
    assert shipped <= names
    assert "tradesim/data/shipped/kazakhstan_trade_sources.csv" in names
    assert "tradesim/data/shipped/reference.toml" in names
    assert "tradesim/data/shipped/wdi_merchandise.csv.gz" in names
    assert "tradesim/py.typed" in names
