"""`tradesim check`: snapshots, expectations, tolerances, atomic writes, JUnit."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from tests.conftest import SCENARIOS, edit
from tradesim import atomic, check, model, scenario
from tradesim.errors import InputError, SnapshotError


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A copy of the reference scenarios and their snapshots."""
    copy = tmp_path / "scenarios"
    shutil.copytree(SCENARIOS, copy)
    return copy


def _check(folder: Path, *names: str, **options: object) -> list[check.ScenarioCheck]:
    return check.check(scenario.load_many(list(names), folder), folder, **options)  # type: ignore[arg-type]


def test_committed_snapshots_match(folder: Path) -> None:
    results = _check(folder)
    assert [r.snapshot.status for r in results] == ["ok"] * 7
    assert all(r.passed for r in results)


def test_snapshot_values_are_the_projection(folder: Path) -> None:
    snapshot = check.read_snapshot(folder / "snapshots" / "steady.csv")
    assert snapshot.values[2023]["share"] == pytest.approx(14.5 / 139.551207, rel=1e-11)
    assert snapshot.values[2025]["bilateral"] == pytest.approx(14.5e9 * 1.05**2, rel=1e-11)
    assert snapshot.meta["tradesim_version"]


def test_a_changed_growth_rate_drifts_names_the_first_year_and_the_cause(folder: Path) -> None:
    path = folder / "article.toml"
    edit(path, 'rate = 0.0 # "the rest', 'rate = 0.01 # "the rest')
    (result,) = _check(folder, "article")
    assert result.snapshot.status == "drift"
    assert result.snapshot.first_year == 2024  # 2023 is the baseline: unchanged
    assert result.snapshot.causes == ("the scenario changed (its file, or a scenario it extends)",)
    share = next(d for d in result.snapshot.differences if d.year == 2024 and d.metric == "share")
    bilateral_2024 = 14.5e9 * (20 / 14.5) ** 0.25  # the reach model: 14.5 → 20 in four equal steps
    assert share.expected == pytest.approx(bilateral_2024 / (bilateral_2024 + 125.051207e9), rel=1e-11)
    assert share.actual == pytest.approx(bilateral_2024 / (bilateral_2024 + 125.051207e9 * 1.01), rel=1e-11)
    line = check.summary_line(result)
    assert line.startswith("article: snapshot drifted from 2024: share 2024 ")
    assert line.endswith("likely cause: the scenario changed (its file, or a scenario it extends)")


def test_update_rewrites_only_what_moved(folder: Path) -> None:
    path = folder / "article.toml"
    edit(path, 'rate = 0.0 # "the rest', 'rate = 0.01 # "the rest')
    before = {p.name: p.read_bytes() for p in (folder / "snapshots").iterdir()}
    results = _check(folder, update=True)
    assert {r.scenario: r.snapshot.status for r in results}["article"] == "updated"
    after = {p.name: p.read_bytes() for p in (folder / "snapshots").iterdir()}
    assert [name for name in before if before[name] != after[name]] == ["article.csv"]
    rechecked = _check(folder)
    assert all(r.snapshot.passed for r in rechecked)
    # the snapshot follows the file; the hand-derived expectation on the 2027 share does not, on purpose
    assert [r.scenario for r in rechecked if not r.passed] == ["article"]


def test_missing_snapshot_fails_with_the_command_to_create_it(folder: Path) -> None:
    (folder / "snapshots" / "steady.csv").unlink()
    (result,) = _check(folder, "steady")
    assert (result.snapshot.status, result.passed) == ("missing", False)
    assert check.summary_line(result).endswith(
        f"create it with `tradesim check --scenarios {folder} {folder / 'steady.toml'} --update`"
    )


@pytest.mark.parametrize(
    ("content", "line", "message"),
    [
        ("", None, "not a tradesim snapshot"),
        ("year,bilateral\n", 1, "not a tradesim snapshot (the first line must be '# tradesim snapshot')"),
        ("# tradesim snapshot\n# scenario: steady\nyear,x\n", 3, "the column header must be"),
        (
            "# tradesim snapshot\nyear,bilateral,rest_of_world,total,share\n2023,1,2,3\n",
            3,
            "unreadable row '2023,1,2,3'",
        ),
        (
            "# tradesim snapshot\nyear,bilateral,rest_of_world,total,share\n2023,1,2,nan,0.1\n",
            3,
            "not finite",
        ),
        ("# tradesim snapshot\nyear,bilateral,rest_of_world,total,share\n", 2, "no rows"),
    ],
)
def test_corrupt_snapshot_is_a_clear_error(
    folder: Path, content: str, line: int | None, message: str
) -> None:
    path = folder / "snapshots" / "steady.csv"
    path.write_text(content)
    with pytest.raises(SnapshotError) as caught:
        _check(folder, "steady")
    (problem,) = caught.value.problems
    assert (problem.file, problem.key) == (path, "snapshot")
    if line is not None:
        assert problem.line == line
    assert message in problem.message
    command = f"tradesim check --scenarios {folder} {folder / 'steady.toml'} --update"
    assert problem.message.endswith(f"regenerate it with --update: `{command}`")
    # and --update does regenerate it
    (result,) = _check(folder, "steady", update=True)
    assert result.snapshot.status == "created"
    assert all(r.passed for r in _check(folder, "steady"))


def test_update_sweeps_temporaries_a_killed_update_left(folder: Path) -> None:
    snapshots = folder / "snapshots"
    stale = [snapshots / ".steady.csv.abc123.tmp", snapshots / ".steady.csv.x.tmp"]
    others = [snapshots / ".article.csv.abc.tmp", snapshots / "notes.tmp", snapshots / ".steady.csv.keep"]
    young = snapshots / ".steady.csv.beingwritten.tmp"
    for path in (*stale, *others, young):
        path.write_text("half a snapsh")
    an_hour_ago = time.time() - 3600
    for path in (*stale, *others):
        os.utime(path, (an_hour_ago, an_hour_ago))
    _check(folder, "steady")
    assert [p.exists() for p in stale] == [False, False]
    assert [p.exists() for p in others] == [True, True, True]  # not its pattern, or another scenario's
    assert young.exists()  # may be another update's, being written


def test_tolerance_boundaries(folder: Path) -> None:
    path = folder / "snapshots" / "steady.csv"
    snapshot = check.read_snapshot(path)
    projection = model.project(scenario.load(folder / "steady.toml", directory=folder))
    assert check.compare(snapshot, projection, 1e-9, 0.0) == []
    # move one value by a relative 1e-6: caught at rtol 1e-9 and 1e-7, passes at rtol 2e-6
    text = path.read_text()
    moved = text.replace("2025,15986250000,", f"2025,{15986250000 * (1 + 1e-6):.12g},")
    assert moved != text
    path.write_text(moved)
    shifted = check.read_snapshot(path)
    (difference,) = check.compare(shifted, projection, 1e-7, 0.0)
    assert (difference.year, difference.metric) == (2025, "bilateral")
    assert check.compare(shifted, projection, 2e-6, 0.0) == []
    assert check.compare(shifted, projection, 0.0, 15986250000 * 1.01e-6) == []
    assert len(check.compare(shifted, projection, 0.0, 15986250000 * 0.99e-6)) == 1


def test_failed_expectation(folder: Path) -> None:
    path = folder / "steady.toml"
    edit(path, "value = 2030", "value = 2029")
    (result,) = _check(folder, "steady")
    assert result.snapshot.status == "ok"
    failed = [e for e in result.expectations if not e.holds]
    assert [(e.expectation.metric, e.computed) for e in failed] == [("reached_year", 2030.0)]
    assert not result.passed


def test_interrupted_write_leaves_the_old_file_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "snapshot.csv"
    target.write_text("old complete content\n")

    def interrupted(*args: object) -> None:
        raise KeyboardInterrupt  # Ctrl-C between writing the temporary file and renaming it

    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        atomic.write_text_atomic(target, "new content " * 10_000)
    assert target.read_text() == "old complete content\n"
    assert [p.name for p in tmp_path.iterdir()] == ["snapshot.csv"]  # no temporary file left behind


def test_interrupted_mid_write(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "snapshot.csv"
    target.write_text("old\n")
    real_fsync = os.fsync

    def dies(fd: int) -> None:
        real_fsync(fd)
        raise OSError("disk full")

    monkeypatch.setattr(os, "fsync", dies)
    with pytest.raises(InputError, match=r"cannot write .*snapshot.csv: disk full"):  # one line, no traceback
        atomic.write_text_atomic(target, "half")
    assert target.read_text() == "old\n"
    assert len(list(tmp_path.iterdir())) == 1


def test_junit_xml_parses_with_the_right_counts(folder: Path) -> None:
    path = folder / "steady.toml"
    edit(path, "value = 2030", "value = 2029")
    (folder / "snapshots" / "article.csv").unlink()
    results = _check(folder)
    root = ET.fromstring(check.junit_xml(results))
    expectations = sum(len(r.expectations) for r in results)
    assert root.tag == "testsuites"
    assert int(root.get("tests")) == 7 + expectations  # one per snapshot, one per expectation
    assert int(root.get("failures")) == 2  # article's missing snapshot, steady's reached_year
    failed = [
        c.get("classname") + " " + c.get("name")
        for c in root.iter("testcase")
        if c.find("failure") is not None
    ]
    assert failed == [
        "tradesim.check.article snapshot",
        "tradesim.check.steady expect[0] year KAZ–ITA trade reaches $20.0B",
    ]


def test_expect_is_not_inherited(folder: Path) -> None:
    child = folder / "child.toml"
    child.write_text('extends = "steady"\n')
    assert scenario.load(child, directory=folder).expect == ()
    steady = scenario.load(folder / "steady.toml", directory=folder).expect
    forum = scenario.load(folder / "forum-deals.toml", directory=folder).expect
    assert len(steady) == 4
    assert not set(forum) & set(steady)  # forum-deals has expectations of its own, none of steady's


def test_atomic_writes_keep_or_set_ordinary_permissions(tmp_path: Path) -> None:
    fresh = tmp_path / "new.csv"
    atomic.write_text_atomic(fresh, "x")
    mask = os.umask(0)
    os.umask(mask)
    assert fresh.stat().st_mode & 0o777 == 0o666 & ~mask  # not mkstemp's 0600
    existing = tmp_path / "old.csv"
    existing.write_text("y")
    existing.chmod(0o640)
    atomic.write_text_atomic(existing, "z")
    assert existing.stat().st_mode & 0o777 == 0o640


@pytest.mark.parametrize(
    ("name", "old", "new"),
    [
        ("steady", 'rate = "5%"', 'rate = "5.1%"'),
        ("steady", 'rate = "3%"', 'rate = "3.1%"'),
        ("forum-deals", 'amount = "1.5B"', 'amount = "1.4B"'),
        ("forum-deals", "ramp_years = 3", "ramp_years = 2"),
        ("forum-deals", "year = 2025", "year = 2026"),
        ("oil-downside", 'relative = "-22.5%"', 'relative = "-20%"'),
        ("oil-downside", 'relative = "14.52%"', 'relative = "14%"'),
        ("oil-downside", "ramp_years = 2", "ramp_years = 3"),
        ("full-year-2023", 'bilateral_period = "FY"', 'bilateral = "16.2B"'),
        ("article", "after = 0.0", "after = 0.01"),
        ("article", 'rate = 0.0 # "the rest', 'rate = 0.01 # "the rest'),
        ("article", "year = 2027\nafter", "year = 2028\nafter"),
        ("article", 'model = "reach"\nvalue = "20B"', 'model = "reach"\nvalue = "21B"'),
    ],
)
def test_each_reference_assumption_is_pinned_by_an_expectation(
    folder: Path, name: str, old: str, new: str
) -> None:
    """Changing any one of a reference scenario's own assumptions breaks one of its own [[expect]] entries
    (not only the snapshot): the expectations are derived by hand in the files' comments."""
    (before,) = _check(folder, name)
    assert all(e.holds for e in before.expectations)
    edit(folder / f"{name}.toml", old, new)
    (after,) = _check(folder, name)
    assert not all(e.holds for e in after.expectations)


@pytest.mark.parametrize(
    ("name", "old", "new"),
    [
        ("china", 'rate = "5%"', 'rate = "5.1%"'),
        ("china", 'rate = "3%"', 'rate = "3.1%"'),
        ("turkiye", 'rate = "5%"', 'rate = "5.1%"'),
    ],
)
def test_the_other_pairs_reference_scenarios_hold_and_are_pinned(
    tmp_path: Path, name: str, old: str, new: str
) -> None:
    """scenarios/pairs: Kazakhstan–China and Kazakhstan–Türkiye against their targets, on the shipped data."""
    folder = tmp_path / "pairs"
    shutil.copytree(SCENARIOS / "pairs", folder)
    (before,) = _check(folder, name)
    assert before.passed
    assert before.snapshot.status == "ok"
    edit(folder / f"{name}.toml", old, new)
    (after,) = _check(folder, name)
    assert not all(e.holds for e in after.expectations)
