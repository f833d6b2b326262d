from __future__ import annotations

import json
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
    edit(article, 'rate = 0.0           # "the rest', 'rate = 0.02           # "the rest')
    failed = run("check")
    assert failed.exit_code == 1
    assert "FAILED article: snapshot drifted from 2024: share 2024 " in failed.stdout
    assert "likely cause: the scenario changed" in failed.stdout
    assert "article: snapshot differences" in failed.stdout
    assert failed.stderr == "tradesim: error: 1 of 5 scenario(s) failed the check: article\n"
    updated = run("check", "--update")
    assert updated.exit_code == 0
    assert "article: snapshot updated" in updated.stdout
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
        "oil-downside": "missing",
        "steady": "ok",
    }
    root = ET.parse(junit).getroot()
    assert root.get("failures") == "1"


def test_corrupt_snapshot_exits_2(run: Any, repo: Path) -> None:
    path = repo / "scenarios" / "snapshots" / "steady.csv"
    path.write_text("# tradesim snapshot\nyear,bilateral,rest_of_world,total,share\n2023,oops,1,1,1\n")
    result = run("check", "steady", "--scenarios", str(repo / "scenarios"))
    assert result.exit_code == 2
    assert result.stderr == (
        f"tradesim: error: {path}:3: snapshot: unreadable row '2023,oops,1,1,1' (could not convert string to float: "
        "'oops'); regenerate it with `tradesim check --update`\n"
    )


def test_bad_tolerance_exits_2(run: Any) -> None:
    result = run("check", "--rtol", "-1", "--scenarios", str(SCENARIOS))
    assert result.exit_code == 2
    assert result.stderr.startswith("tradesim: error: tradesim check: Invalid value for '--rtol'")
