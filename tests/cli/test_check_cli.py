from __future__ import annotations

import json
import re
import shlex
import shutil
import subprocess
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import pytest

from tests.conftest import SCENARIOS, edit


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A copy of the scenarios in a git repository of their own."""
    shutil.copytree(SCENARIOS, tmp_path / "scenarios")
    for command in (
        ["init", "-q"],
        ["add", "-A"],
        ["-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "x"],
    ):
        subprocess.run(["git", *command], cwd=tmp_path, check=True)
    return tmp_path


def test_done_when_flow(run: Any, repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(repo)
    assert run("check").exit_code == 0
    article = repo / "scenarios" / "article.toml"
    edit(article, 'rate = 0.0 # "the rest', 'rate = 0.02 # "the rest')
    failed = run("check")
    assert failed.exit_code == 1
    assert "FAILED article: snapshot drifted from 2024: share 2024 " in failed.stdout
    assert "likely cause: the scenario changed" in failed.stdout
    assert "article: snapshot differences" in failed.stdout
    assert failed.stderr == (  # which folder and which data it checked, then the verdict
        "note: checking 7 scenarios in scenarios against the shipped data\n"
        "tradesim: error: 1 of 7 scenarios failed the check: article\n"
    )
    updated = run("check", "--update")
    assert "article: snapshot updated" in updated.stdout
    # the snapshot follows the file; the hand-derived expectation on the 2027 share does not: it is updated by
    # hand, to 20 / (20 + 125.051207 · 1.02^4)
    assert updated.exit_code == 1
    assert run("check").exit_code == 1
    edit(article, "value = 0.13788234110", f"value = {20 / (20 + 125.051207 * 1.02**4):.11f}")
    assert run("check").exit_code == 0
    changed = subprocess.run(
        ["git", "diff", "--name-only"], cwd=repo, capture_output=True, text=True, check=True
    )
    assert changed.stdout.split() == ["scenarios/article.toml", "scenarios/snapshots/article.csv"]


def test_json_and_junit(run: Any, repo: Path, tmp_path: Path) -> None:
    (repo / "scenarios" / "snapshots" / "oil-downside.csv").unlink()
    junit = tmp_path / "report.xml"
    result = run("check", "--scenarios", str(repo / "scenarios"), "--format", "json", "--junit", str(junit))
    assert result.exit_code == 1
    document = json.loads(result.stdout)
    assert document["passed"] is False
    statuses = {s["name"]: s["snapshot"]["status"] for s in document["scenarios"]}
    assert statuses == {
        "article": "ok",
        "forum-deals": "ok",
        "full-year-2023": "ok",
        "oil-and-rest": "ok",
        "oil-and-rest-brent": "ok",
        "oil-downside": "missing",
        "steady": "ok",
    }
    root = ET.parse(junit).getroot()
    assert root.get("failures") == "1"


def test_corrupt_snapshot_exits_2(run: Any, repo: Path) -> None:
    path = repo / "scenarios" / "snapshots" / "steady.csv"
    path.write_text("# tradesim snapshot\nyear,bilateral,rest_of_world,total,share\n2023,oops,1,1,1\n")
    folder = repo / "scenarios"
    result = run("check", "steady", "--scenarios", str(folder))
    assert result.exit_code == 2
    command = f"tradesim check --scenarios {folder} {folder / 'steady.toml'} --update"
    assert result.stderr == (
        f"note: checking 1 scenario in {folder} against the shipped data\n"
        f"tradesim: error: {path}:3: snapshot: unreadable row '2023,oops,1,1,1' (could not convert string to float: "
        f"'oops'); regenerate it with --update: `{command}`\n"
    )
    # the command works as printed, from another folder: it regenerates the corrupt snapshot
    elsewhere = repo / "elsewhere"
    elsewhere.mkdir()
    done = subprocess.run(shlex.split(command), cwd=elsewhere, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert run("check", "steady", "--scenarios", str(folder)).exit_code == 0


def test_missing_snapshot_hint_works_as_printed_with_scenarios_folder(run: Any, repo: Path) -> None:
    folder = repo / "scenarios"
    (folder / "snapshots" / "oil-downside.csv").unlink()
    result = run("check", "--scenarios", str(folder))
    assert result.exit_code == 1
    (command,) = re.findall(r"create it with `([^`]+)`", result.stdout)
    assert command == f"tradesim check --scenarios {folder} {folder / 'oil-downside.toml'} --update"
    done = subprocess.run(shlex.split(command), cwd=repo.parent, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert run("check", "--scenarios", str(folder)).exit_code == 0


def test_bad_tolerance_exits_2(run: Any) -> None:
    result = run("check", "--rtol", "-1", "--scenarios", str(SCENARIOS))
    assert result.exit_code == 2
    assert result.stderr.startswith("tradesim: error: check: Invalid value for '--rtol'")


def test_check_never_passes_on_scenarios_that_are_not_yours(
    run: Any, repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Run where there is no ./scenarios: inside a folder of scenario files it checks those; in a folder
    with none it is an error, not a pass on the shipped scenarios (they need --shipped)."""
    inside = repo / "scenarios"
    monkeypatch.chdir(inside)
    edit(inside / "article.toml", 'rate = 0.0 # "the rest', 'rate = 0.02 # "the rest')
    broken = run("check")
    assert broken.exit_code == 1  # the edited file is checked, not the shipped copy
    assert broken.stderr.startswith(f"note: checking 7 scenarios in {inside} against the shipped data\n")
    empty = repo / "empty"
    empty.mkdir()
    monkeypatch.chdir(empty)
    result = run("check")
    assert (result.exit_code, result.stderr) == (
        2,
        f"tradesim: error: no scenario folder in {empty}: give --scenarios DIR, run inside a folder of scenario "
        "files, or --shipped to check the reference scenarios shipped with tradesim\n",
    )
    shipped = run("check", "--shipped")
    assert shipped.exit_code == 0, shipped.stderr
    assert "note: checking 7 scenarios in " in shipped.stderr


def test_the_likely_cause_names_the_data_file_that_changed(run: Any, repo: Path) -> None:
    folder = repo / "scenarios"
    data = repo / "data"
    data.mkdir()
    mine = data / "kaz.csv"
    header = "kind,reporter,partner,flow,year,period,value,unit,status,reported_by,source,url,note\n"
    mine.write_text(
        header + "trade,KAZ,ITA,total,2023,FY-as-stated,14.5,USD_bn,reported,KAZ,QazTrade,https://x,\n"
    )
    args = ["check", "article", "--scenarios", str(folder), "--data", str(data)]
    assert run(*args, "--update").exit_code in (0, 1)
    mine.write_text(
        header + "trade,KAZ,ITA,total,2023,FY-as-stated,15.5,USD_bn,reported,KAZ,QazTrade,https://x,\n"
    )
    result = run(*args)
    assert result.exit_code == 1
    assert f"likely cause: your data file {data}/kaz.csv changed" in result.stdout
    assert "the shipped data changed" not in result.stdout


def test_the_readme_check_example_is_what_check_prints(
    run: Any, repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The README's `tradesim check` example, after the edit it names, line for line (stdout and stderr)."""
    from tests.conftest import manual

    readme = manual()
    example = readme[readme.index("$ tradesim check        # after changing") :]
    example = example[: example.index("```")].splitlines()[1:]
    monkeypatch.chdir(repo)
    monkeypatch.delenv("COLUMNS", raising=False)  # piped: lines at their natural width, as the README shows
    edit(repo / "scenarios" / "article.toml", 'rate = 0.0 # "the rest', 'rate = 0.02 # "the rest')
    result = run("check")
    assert result.exit_code == 1
    printed = [
        line.rstrip()
        for line in (
            result.stderr.splitlines()[:1] + result.stdout.splitlines() + result.stderr.splitlines()[1:]
        )
    ]
    assert [line.rstrip() for line in example] == printed
